/*
 * el-switch: starts at EL3, drops to EL2h then EL1h with ERET, and takes
 * HVC (to EL2), SMC (to EL3) and SVC (to EL1) from EL1. Every handler
 * checks the syndrome (EC and ISS immediate), SPSR and ELR, and returns a
 * value in x0 (ELR = the instruction after the call). MMU off at every EL.
 */
#include "cca.h"

#define SCR_NS (1ul << 0)
#define SCR_RES1 (3ul << 4)
#define SCR_SMD (1ul << 7)
#define SCR_HCE (1ul << 8)
#define SCR_RW (1ul << 10)
#define SCR_VALUE (SCR_NS | SCR_RES1 | SCR_HCE | SCR_RW) /* SMD=0: 0x531 */

#define HCR_RW (1ul << 31)

#define SCTLR_EL2_RES1 0x30C50830ul /* MMU, caches, alignment checks off */
#define SCTLR_EL1_RES1 0x30D00800ul

#define SPSR_DAIF (0xful << 6)
#define SPSR_EL2H (SPSR_DAIF | 0x9)
#define SPSR_EL1H (SPSR_DAIF | 0x5)

static uint64_t el2_stack[1024] __attribute__((aligned(16)));
static uint64_t el1_stack[1024] __attribute__((aligned(16)));

static unsigned passed, failed;
static volatile uint64_t last_elr; /* ELR seen by the last handler */

static void check(const char *what, int ok)
{
    if (ok)
        passed++;
    else
        failed++;
    printf("%s %s\n", ok ? "ok" : "FAIL", what);
}

static uint64_t spsel(void)
{
    return read_sysreg(spsel) & 1;
}

/* ---- handlers ------------------------------------------------------------ */

/* Common check for an exception from EL1h (AArch64) to a higher EL. */
static void lower_el_call(struct exc_frame *f, unsigned vec, unsigned el,
                          unsigned want_ec, unsigned want_imm, const char *name)
{
    unsigned ec = ESR_EC(f->esr), imm = ESR_ISS(f->esr) & 0xffff;
    printf("EL%u: %s #%u from EL1: ESR_EL%u=0x%lx\n", el, name, imm, el,
           (unsigned long)f->esr);
    int ok = vec == VEC_LOWER64_SYNC && current_el() == el && ec == want_ec &&
             ESR_IL(f->esr) && ESR_ISS(f->esr) == want_imm &&
             (f->spsr & 0x1f) == 0x5;
    if (!ok)
        printf("  vec=%u CurrentEL=%u ELR=0x%lx SPSR=0x%lx, want EC 0x%x ISS 0x%x\n",
               vec, current_el(), (unsigned long)f->elr, (unsigned long)f->spsr,
               want_ec, want_imm);
    check(name, ok);
    last_elr = f->elr;
    /* ELR already points after the HVC/SMC: hand back a value in x0. */
    f->x[0] = ((uint64_t)el << 28) | (ec << 16) | imm;
}

void exc_handler_el3(struct exc_frame *f, unsigned vec)
{
    if (ESR_EC(f->esr) != EC_SMC64)
        exc_unexpected(f, vec, 3);
    lower_el_call(f, vec, 3, EC_SMC64, 2, "SMC");
}

void exc_handler_el2(struct exc_frame *f, unsigned vec)
{
    if (ESR_EC(f->esr) != EC_HVC64)
        exc_unexpected(f, vec, 2);
    lower_el_call(f, vec, 2, EC_HVC64, 1, "HVC");
}

void exc_handler_el1(struct exc_frame *f, unsigned vec)
{
    if (ESR_EC(f->esr) != EC_SVC64)
        exc_unexpected(f, vec, 1);
    unsigned imm = ESR_ISS(f->esr) & 0xffff;
    printf("EL1: SVC #%u: ESR_EL1=0x%lx\n", imm, (unsigned long)f->esr);
    int ok = vec == VEC_CUR_SPX_SYNC && current_el() == 1 &&
             f->esr == 0x56000003ul && (f->spsr & 0x1f) == 0x5;
    if (!ok)
        printf("  vec=%u CurrentEL=%u ELR=0x%lx SPSR=0x%lx\n", vec, current_el(),
               (unsigned long)f->elr, (unsigned long)f->spsr);
    check("SVC", ok);
    last_elr = f->elr;
    f->x[0] = (1ul << 28) | (EC_SVC64 << 16) | imm;
}

/* ---- EL1 ----------------------------------------------------------------- */

#define CALL(insn, ret, after)                                                \
    do {                                                                      \
        register uint64_t x0_ __asm__("x0") = 0;                              \
        uint64_t a_;                                                          \
        __asm__ volatile(insn "\n\t1: adr %1, 1b"                             \
                         : "+r"(x0_), "=r"(a_)                                \
                         :                                                    \
                         : "memory");                                         \
        ret = x0_;                                                            \
        after = a_;                                                           \
    } while (0)

static __attribute__((noreturn)) void el1_main(void)
{
    uint64_t ret, after;
    unsigned el = current_el();
    printf("EL1: entered, CurrentEL=%u SPSel=%lu\n", el, (unsigned long)spsel());
    check("EL1h", el == 1 && spsel() == 1);
    write_sysreg(vbar_el1, (uint64_t)(uintptr_t)vectors_el1);
    isb();

    printf("EL1: HVC #1\n");
    CALL("hvc #1", ret, after);
    printf("EL1: HVC returned x0=0x%lx\n", (unsigned long)ret);
    check("HVC return", ret == 0x20160001ul && last_elr == after &&
                              current_el() == 1);

    printf("EL1: SMC #2\n");
    CALL("smc #2", ret, after);
    printf("EL1: SMC returned x0=0x%lx\n", (unsigned long)ret);
    check("SMC return", ret == 0x30170002ul && last_elr == after &&
                              current_el() == 1);

    printf("EL1: SVC #3\n");
    CALL("svc #3", ret, after);
    printf("EL1: SVC returned x0=0x%lx\n", (unsigned long)ret);
    check("SVC return", ret == 0x10150003ul && last_elr == after &&
                              current_el() == 1);

    if (failed) {
        printf("el-switch: %u of %u checks FAILED\n", failed, passed + failed);
        exit(1);
    }
    printf("el-switch: all %u checks passed\n", passed);
    exit(0);
}

/* ---- EL2 ----------------------------------------------------------------- */

static __attribute__((noreturn)) void el2_main(void)
{
    unsigned el = current_el();
    printf("EL2: entered, CurrentEL=%u SPSel=%lu\n", el, (unsigned long)spsel());
    check("EL2h", el == 2 && spsel() == 1);
    write_sysreg(vbar_el2, (uint64_t)(uintptr_t)vectors_el2);
    write_sysreg(hcr_el2, HCR_RW);
    write_sysreg(sctlr_el1, SCTLR_EL1_RES1);
    write_sysreg(vbar_el1, (uint64_t)(uintptr_t)vectors_el1);
    isb();
    uint64_t hcr = read_sysreg(hcr_el2);
    printf("EL2: HCR_EL2=0x%lx, ERET to EL1h\n", (unsigned long)hcr);
    check("HCR_EL2", hcr == HCR_RW);
    __asm__ volatile("msr sp_el1, %2\n\t"
                     "msr elr_el2, %0\n\t"
                     "msr spsr_el2, %1\n\t"
                     "eret"
                     :
                     : "r"(el1_main), "r"(SPSR_EL1H), "r"(&el1_stack[1024])
                     : "memory");
    __builtin_unreachable();
}

/* ---- EL3 ----------------------------------------------------------------- */

int main(void)
{
    unsigned el = current_el();
    printf("el-switch: start, CurrentEL=%u\n", el);
    if (el != 3) {
        printf("el-switch: must start at EL3\n");
        return 1;
    }
    write_sysreg(vbar_el3, (uint64_t)(uintptr_t)vectors_el3);
    write_sysreg(scr_el3, SCR_VALUE);
    write_sysreg(sctlr_el2, SCTLR_EL2_RES1);
    isb();
    uint64_t scr = read_sysreg(scr_el3);
    printf("EL3: SCR_EL3=0x%lx, ERET to EL2h\n", (unsigned long)scr);
    check("SCR_EL3", scr == SCR_VALUE);
    __asm__ volatile("msr sp_el2, %2\n\t"
                     "msr elr_el3, %0\n\t"
                     "msr spsr_el3, %1\n\t"
                     "eret"
                     :
                     : "r"(el2_main), "r"(SPSR_EL2H), "r"(&el2_stack[1024])
                     : "memory");
    __builtin_unreachable();
}
