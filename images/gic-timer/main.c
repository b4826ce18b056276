/*
 * gic-timer: the EL1 virtual timer's interrupt (PPI 27) taken through the
 * GICv3 at its FVP addresses, acknowledged with ICC_IAR1_EL1 and completed
 * with ICC_EOIR1_EL1. The PE waits in WFI between ticks, so the emulator
 * fast-forwards virtual time to each deadline. Then a software-generated
 * interrupt to itself (ICC_SGI1R_EL1) and the priority mask (ICC_PMR_EL1)
 * holding an interrupt back until it is lowered.
 */
#include "cca.h"

#define GICD_BASE 0x2F000000ul
#define GICR_BASE 0x2F100000ul /* PE 0's redistributor: RD_base, SGI_base at +64 KiB */
#define GICR_SGI (GICR_BASE + 0x10000ul)
#define GICD_CTLR 0x0000
#define GICD_CTLR_ENABLE_GRP1 (1u << 1)
#define GICD_CTLR_ARE (1u << 4)
#define GICR_WAKER 0x0014
#define WAKER_PROCESSOR_SLEEP (1u << 1)
#define WAKER_CHILDREN_ASLEEP (1u << 2)
#define GICR_IGROUPR0 0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_IPRIORITYR 0x0400

#define INTID_VTIMER 27
#define INTID_SGI 3
#define TICK 5000 /* counter ticks between timer interrupts */
#define TICKS 3

/* The GIC CPU interface registers, by encoding (every assembler knows these) */
#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_RPR_EL1 S3_0_C12_C11_3
#define ICC_SGI1R_EL1 S3_0_C12_C11_5
#define ICC_SRE_EL1 S3_0_C12_C12_5
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7

static inline uint32_t mmio_read32(uint64_t a) { return *(volatile uint32_t *)a; }
static inline void mmio_write32(uint64_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline void mmio_write8(uint64_t a, uint8_t v) { *(volatile uint8_t *)a = v; }

static volatile unsigned ticks, sgis, spurious;
static volatile uint64_t last_rpr;

void exc_handler_el1(struct exc_frame *f, unsigned vec)
{
    if (vec != 5) /* IRQ from the current EL with SP_EL1 */
        exc_unexpected(f, vec, 1);
    uint64_t iar = read_sysreg(ICC_IAR1_EL1);
    unsigned intid = (unsigned)(iar & 0xffffff);
    last_rpr = read_sysreg(ICC_RPR_EL1);
    if (intid == INTID_VTIMER) {
        ticks++;
        printf("tick %u at CNTVCT %lu, running priority 0x%lx\n", ticks,
               (unsigned long)read_sysreg(cntvct_el0), (unsigned long)last_rpr);
        if (ticks < TICKS)
            write_sysreg(cntv_tval_el0, TICK);
        else
            write_sysreg(cntv_ctl_el0, 0); /* disable: the line drops */
    } else if (intid == INTID_SGI) {
        sgis++;
        printf("SGI %u taken, running priority 0x%lx\n", intid, (unsigned long)last_rpr);
    } else {
        spurious++;
        printf("unexpected INTID %u\n", intid);
    }
    write_sysreg(ICC_EOIR1_EL1, iar);
}

int main(void)
{
    printf("gic-timer: ICC_SRE_EL1 = 0x%lx\n", (unsigned long)read_sysreg(ICC_SRE_EL1));

    /* Distributor: affinity routing and Group 1 on; wake the redistributor */
    mmio_write32(GICD_BASE + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_GRP1);
    mmio_write32(GICR_BASE + GICR_WAKER, mmio_read32(GICR_BASE + GICR_WAKER) & ~WAKER_PROCESSOR_SLEEP);
    while (mmio_read32(GICR_BASE + GICR_WAKER) & WAKER_CHILDREN_ASLEEP)
        ;

    /* SGIs and PPIs in Group 1; enable the timer PPI and one SGI */
    mmio_write32(GICR_SGI + GICR_IGROUPR0, 0xffffffffu);
    mmio_write8(GICR_SGI + GICR_IPRIORITYR + INTID_VTIMER, 0xa0);
    mmio_write8(GICR_SGI + GICR_IPRIORITYR + INTID_SGI, 0x80);
    mmio_write32(GICR_SGI + GICR_ISENABLER0, (1u << INTID_VTIMER) | (1u << INTID_SGI));

    /* CPU interface: unmask every priority, enable Group 1, unmask IRQs */
    write_sysreg(ICC_PMR_EL1, 0xff);
    write_sysreg(ICC_IGRPEN1_EL1, 1);
    isb();
    __asm__ volatile("msr daifclr, #2");

    uint64_t start = read_sysreg(cntvct_el0);
    write_sysreg(cntv_tval_el0, TICK);
    write_sysreg(cntv_ctl_el0, 1); /* ENABLE, not IMASK */
    while (ticks < TICKS)
        __asm__ volatile("wfi");
    uint64_t elapsed = read_sysreg(cntvct_el0) - start;
    printf("%u ticks in %lu counter ticks (at least %u)\n", ticks, (unsigned long)elapsed, TICKS * TICK);

    /* An SGI to this PE (Aff0 0 in the target list), held back by PMR until it is lowered */
    write_sysreg(ICC_PMR_EL1, 0x80); /* priority 0x80 is not higher than the mask */
    write_sysreg(ICC_SGI1R_EL1, ((uint64_t)INTID_SGI << 24) | 1);
    isb();
    for (int i = 0; i < 100; i++)
        __asm__ volatile("nop");
    printf("with PMR 0x80: %u SGIs taken\n", sgis);
    write_sysreg(ICC_PMR_EL1, 0x90);
    isb();
    for (int i = 0; i < 100 && !sgis; i++)
        __asm__ volatile("nop");
    printf("with PMR 0x90: %u SGIs taken\n", sgis);
    printf("running priority after EOI: 0x%lx\n", (unsigned long)read_sysreg(ICC_RPR_EL1));

    int ok = ticks == TICKS && sgis == 1 && spurious == 0 && elapsed >= TICKS * TICK;
    printf("gic-timer: %s\n", ok ? "PASS" : "FAIL");
    return ok ? 0 : 1;
}
