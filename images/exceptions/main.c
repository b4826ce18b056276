/*
 * exceptions: synchronous exceptions taken to EL1 (MMU off).
 *
 * Installs its own EL1 handler on the common VBAR_EL1 table and checks
 * ESR_EL1 / FAR_EL1 / ELR_EL1 / SPSR_EL1 and the vector offset used for:
 * SVC, an undefined instruction, BRK, a synchronous external abort, an
 * alignment fault, a PC alignment fault and an SP alignment fault.
 */
#include "cca.h"

/* Physical address with nothing behind it on the board (external abort). */
#ifndef ABORT_ADDR
#define ABORT_ADDR 0x40000000ul
#endif

struct record {
    unsigned count;
    unsigned vec;
    uint64_t esr, far, elr, spsr;
};

static volatile struct record rec;
/* When non-zero, the handler resumes here instead of the default. */
static volatile uint64_t resume_pc;

void exc_handler_el1(struct exc_frame *f, unsigned vec)
{
    if (vec & 3) /* IRQ, FIQ or SError: never expected here */
        exc_unexpected(f, vec, 1);
    rec.count++;
    rec.vec = vec;
    rec.esr = f->esr;
    rec.far = f->far;
    rec.elr = f->elr;
    rec.spsr = f->spsr;

    unsigned ec = ESR_EC(f->esr);
    if (ec == EC_SVC64) {
        /* Preferred return is already the next instruction. Return a
         * value in x0 to show the frame is written back. */
        f->x[0] = 0xC0DE0000ul | (f->esr & 0xffff);
    } else if (resume_pc) {
        f->elr = resume_pc;
        resume_pc = 0;
    } else {
        f->elr += 4; /* skip the faulting instruction */
    }
}

static unsigned passed, failed;

static void reset_record(void)
{
    rec.count = 0;
    rec.vec = 99;
    rec.esr = rec.far = rec.elr = rec.spsr = 0;
}

static void report(const char *name, int ok)
{
    if (ok) {
        passed++;
        printf("ok %s\n", name);
    } else {
        failed++;
        printf("FAIL %s esr=0x%lx far=0x%lx elr=0x%lx spsr=0x%lx vec=%u count=%u\n",
               name, (unsigned long)rec.esr, (unsigned long)rec.far,
               (unsigned long)rec.elr, (unsigned long)rec.spsr, rec.vec,
               rec.count);
    }
}

/* Common expectations: one exception, synchronous, taken from EL1h. */
static int taken_once_el1h(void)
{
    return rec.count == 1 && rec.vec == VEC_CUR_SPX_SYNC &&
           (rec.spsr & 0xf) == 0x5;
}

/* SVC #0x123: EC 0x15, ISS = imm16, ELR = next instruction. GPRs other
 * than x0 (the returned value) survive the handler. */
static void test_svc(void)
{
    register uint64_t r0 __asm__("x0");
    register uint64_t r1 __asm__("x1");
    register uint64_t r2 __asm__("x2");
    reset_record();
    __asm__ volatile(
        "mov x1, #(1 << 1)\n\t"
        "mov x2, #(1 << 2)\n\t"
        "mov x3, #(1 << 3)\n\t"
        "mov x4, #(1 << 4)\n\t"
        "mov x5, #(1 << 5)\n\t"
        "mov x6, #(1 << 6)\n\t"
        "mov x7, #(1 << 7)\n\t"
        "mov x8, #(1 << 8)\n\t"
        "mov x9, #(1 << 9)\n\t"
        "mov x10, #(1 << 10)\n\t"
        "mov x11, #(1 << 11)\n\t"
        "mov x12, #(1 << 12)\n\t"
        "mov x13, #(1 << 13)\n\t"
        "mov x14, #(1 << 14)\n\t"
        "mov x15, #(1 << 15)\n\t"
        "mov x16, #(1 << 16)\n\t"
        "mov x17, #(1 << 17)\n\t"
        "mov x19, #(1 << 19)\n\t"
        "mov x20, #(1 << 20)\n\t"
        "mov x21, #(1 << 21)\n\t"
        "mov x22, #(1 << 22)\n\t"
        "mov x23, #(1 << 23)\n\t"
        "mov x24, #(1 << 24)\n\t"
        "mov x25, #(1 << 25)\n\t"
        "mov x26, #(1 << 26)\n\t"
        "mov x27, #(1 << 27)\n\t"
        "mov x28, #(1 << 28)\n\t"
        "mov x0, #0\n\t"
        "svc #0x123\n\t"
        "1: orr x1, x1, x2\n\t"
        "orr x1, x1, x3\n\t"
        "orr x1, x1, x4\n\t"
        "orr x1, x1, x5\n\t"
        "orr x1, x1, x6\n\t"
        "orr x1, x1, x7\n\t"
        "orr x1, x1, x8\n\t"
        "orr x1, x1, x9\n\t"
        "orr x1, x1, x10\n\t"
        "orr x1, x1, x11\n\t"
        "orr x1, x1, x12\n\t"
        "orr x1, x1, x13\n\t"
        "orr x1, x1, x14\n\t"
        "orr x1, x1, x15\n\t"
        "orr x1, x1, x16\n\t"
        "orr x1, x1, x17\n\t"
        "orr x1, x1, x19\n\t"
        "orr x1, x1, x20\n\t"
        "orr x1, x1, x21\n\t"
        "orr x1, x1, x22\n\t"
        "orr x1, x1, x23\n\t"
        "orr x1, x1, x24\n\t"
        "orr x1, x1, x25\n\t"
        "orr x1, x1, x26\n\t"
        "orr x1, x1, x27\n\t"
        "orr x1, x1, x28\n\t"
        "adr x2, 1b\n\t"
        : "=r"(r0), "=r"(r1), "=r"(r2)
        :
        : "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
          "x13", "x14", "x15", "x16", "x17", "x19", "x20", "x21", "x22",
          "x23", "x24", "x25", "x26", "x27", "x28", "memory");
    /* Copy out at once: register variables are only pinned for the asm. */
    uint64_t ret = r0, orsum = r1, after = r2;
    /* bits 1..28 except 18 */
    uint64_t want_or = 0x1ffffffeul & ~(1ul << 18);
    int ok = taken_once_el1h() && rec.esr == 0x56000123ul &&
             rec.elr == after && ret == 0xC0DE0123ul && orsum == want_or;
    if (!ok && orsum != want_or)
        printf("  registers not preserved: or=0x%lx\n", (unsigned long)orsum);
    report("svc", ok);
}

/* UDF #0: EC 0x00 (unknown), IL=1, ISS=0, ELR = the UDF. */
static void test_udf(void)
{
    uint64_t at;
    reset_record();
    __asm__ volatile("adr %0, 1f\n\t"
                     "1: udf #0\n\t"
                     : "=r"(at)
                     :
                     : "memory");
    report("undef", taken_once_el1h() && rec.esr == 0x02000000ul && rec.elr == at);
}

/* BRK #7: EC 0x3C, ISS = imm16, ELR = the BRK. */
static void test_brk(void)
{
    uint64_t at;
    reset_record();
    __asm__ volatile("adr %0, 1f\n\t"
                     "1: brk #7\n\t"
                     : "=r"(at)
                     :
                     : "memory");
    report("brk", taken_once_el1h() && rec.esr == 0xF2000007ul && rec.elr == at);
}

/* Load from an address with nothing behind it (MMU off): data abort,
 * synchronous external abort (DFSC 0x10), WnR=0, FnV=0, FAR = address. */
static void test_external_abort(void)
{
    uint64_t at, val;
    reset_record();
    __asm__ volatile("mov %1, #0x5a\n\t"
                     "adr %0, 1f\n\t"
                     "1: ldr %1, [%2]\n\t"
                     : "=&r"(at), "=&r"(val)
                     : "r"(ABORT_ADDR)
                     : "memory");
    (void)val;
    uint64_t esr = rec.esr;
    report("dabort-external",
           taken_once_el1h() && ESR_EC(esr) == EC_DABT_CUR && ESR_IL(esr) &&
               ESR_FSC(esr) == 0x10 && !ESR_WNR(esr) && !(esr & (1u << 10)) &&
               rec.far == ABORT_ADDR && rec.elr == at);
}

/* LDXR from an odd address: alignment fault (DFSC 0x21), FAR = address. */
static uint64_t xbuf[2] __attribute__((aligned(16)));

static void test_alignment(void)
{
    uint64_t at, val;
    uint64_t addr = (uint64_t)(uintptr_t)xbuf + 1;
    reset_record();
    __asm__ volatile("adr %0, 1f\n\t"
                     "1: ldxr %1, [%2]\n\t"
                     "clrex\n\t"
                     : "=&r"(at), "=&r"(val)
                     : "r"(addr)
                     : "memory");
    (void)val;
    uint64_t esr = rec.esr;
    report("dabort-alignment",
           taken_once_el1h() && ESR_EC(esr) == EC_DABT_CUR && ESR_IL(esr) &&
               ESR_FSC(esr) == 0x21 && !ESR_WNR(esr) && rec.far == addr &&
               rec.elr == at);
}

/* BR to an address with bit 1 set: PC alignment fault (EC 0x22) taken on
 * the fetch, ELR = FAR = the misaligned target; resume at a known label. */
static void test_pc_alignment(void)
{
    uint64_t target;
    reset_record();
    __asm__ volatile("adr x9, 2f\n\t"
                     "str x9, [%1]\n\t"
                     "adr %0, 1f\n\t"
                     "add %0, %0, #2\n\t"
                     "br %0\n\t"
                     "1: nop\n\t"
                     "nop\n\t"
                     "2:\n\t"
                     : "=&r"(target)
                     : "r"(&resume_pc)
                     : "x9", "memory");
    report("pc-alignment", taken_once_el1h() && rec.esr == 0x8A000000ul &&
                               rec.far == target && rec.elr == target);
}

/* Load with a misaligned SP while SCTLR_EL1.SA=1: SP alignment fault
 * (EC 0x26). Done at EL1t (SP_EL0) so the handler's SP_EL1 stays good; the
 * exception therefore arrives through the "current EL with SP_EL0" vector. */
static uint64_t spbuf[8] __attribute__((aligned(16)));

static void test_sp_alignment(void)
{
    uint64_t at;
    uint64_t bad_sp = (uint64_t)(uintptr_t)&spbuf[4] + 8; /* 8 mod 16 */
    uint64_t sctlr = read_sysreg(sctlr_el1);
    write_sysreg(sctlr_el1, sctlr | SCTLR_SA);
    isb();
    reset_record();
    __asm__ volatile("msr spsel, #0\n\t"
                     "mov x4, sp\n\t"
                     "mov sp, %1\n\t"
                     "adr %0, 1f\n\t"
                     "1: ldr x5, [sp]\n\t"
                     "mov sp, x4\n\t"
                     "msr spsel, #1\n\t"
                     : "=&r"(at)
                     : "r"(bad_sp)
                     : "x4", "x5", "memory");
    write_sysreg(sctlr_el1, sctlr);
    isb();
    report("sp-alignment", rec.count == 1 && rec.vec == VEC_CUR_SP0_SYNC &&
                               (rec.spsr & 0xf) == 0x4 &&
                               rec.esr == 0x9A000000ul && rec.elr == at);
}

int main(void)
{
    unsigned el = current_el();
    if (el != 1) {
        printf("exceptions: must start at EL1 (running at EL%u)\n", el);
        return 1;
    }
    printf("exceptions: VBAR_EL1=0x%lx\n", (unsigned long)read_sysreg(vbar_el1));
    test_svc();
    test_udf();
    test_brk();
    test_external_abort();
    test_alignment();
    test_pc_alignment();
    test_sp_alignment();
    if (failed) {
        printf("exceptions: %u of %u FAILED\n", failed, passed + failed);
        return 1;
    }
    printf("exceptions: all %u passed\n", passed);
    return 0;
}
