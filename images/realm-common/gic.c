/*
 * cca-emu sample realm guests: the realm's GICv3 as a bare-metal driver sees
 * it (Arm IHI0069): the distributor and redistributors the DTB names, reached
 * at their Unprotected alias, and the CPU interface system registers (a realm
 * at EL1 gets the virtual CPU interface, ICV_*, under the same names).
 */
#include "realm.h"

#define GICD_CTLR 0x0000
#define GICD_CTLR_ENABLE_GRP1 (1u << 1)
#define GICD_CTLR_ARE (1u << 4)
#define GICR_TYPER 0x0008
#define GICR_TYPER_LAST (1u << 4)
#define GICR_WAKER 0x0014
#define WAKER_PROCESSOR_SLEEP (1u << 1)
#define WAKER_CHILDREN_ASLEEP (1u << 2)
#define GICR_STRIDE 0x20000ul
#define GICR_SGI_BASE 0x10000ul
#define GICR_IGROUPR0 0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_IPRIORITYR 0x0400

/* The CPU interface registers, by encoding (every assembler knows these) */
#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_SGI1R_EL1 S3_0_C12_C11_5
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7

static uint64_t gicd, gicr;

int gic_init(uint64_t dtb)
{
    uint64_t size;
    if (fdt_node_reg(dtb, "/", "intc@", 0, 0, &gicd, &size) || fdt_node_reg(dtb, "/", "intc@", 0, 1, &gicr, &size))
        return -1;
    gicd |= realm_unprotected_bit;
    gicr |= realm_unprotected_bit;
    /* Affinity routing and Group 1 on (GICD_CTLR with one Security state) */
    mmio_write32(gicd + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_GRP1);
    return 0;
}

/* This REC's redistributor: the frame whose GICR_TYPER affinity is our MPIDR's (IHI0069 9.3). */
static uint64_t my_redistributor(void)
{
    uint64_t mpidr = mpidr_affinity();
    uint32_t aff = (uint32_t)((mpidr & 0xffffff) | ((mpidr >> 32) & 0xff) << 24);
    for (uint64_t rd = gicr;; rd += GICR_STRIDE) {
        uint32_t typer_lo = mmio_read32(rd + GICR_TYPER);
        if (mmio_read32(rd + GICR_TYPER + 4) == aff)
            return rd;
        if (typer_lo & GICR_TYPER_LAST)
            return 0;
    }
}

int gic_cpu_init(void)
{
    uint64_t rd = my_redistributor();
    if (!rd)
        return -1;
    mmio_write32(rd + GICR_WAKER, mmio_read32(rd + GICR_WAKER) & ~WAKER_PROCESSOR_SLEEP);
    while (mmio_read32(rd + GICR_WAKER) & WAKER_CHILDREN_ASLEEP)
        ;
    mmio_write32(rd + GICR_SGI_BASE + GICR_IGROUPR0, 0xffffffffu);
    write_sysreg(ICC_PMR_EL1, 0xff);
    write_sysreg(ICC_IGRPEN1_EL1, 1);
    isb();
    return 0;
}

void gic_enable_private(unsigned intid, uint8_t priority)
{
    uint64_t sgi = my_redistributor() + GICR_SGI_BASE;
    mmio_write8(sgi + GICR_IPRIORITYR + intid, priority);
    mmio_write32(sgi + GICR_ISENABLER0, 1u << intid);
}

void gic_send_sgi(unsigned intid, uint64_t target_mpidr)
{
    /* ICC_SGI1R_EL1: INTID [27:24], Aff3 [55:48], Aff2 [39:32], Aff1 [23:16], TargetList [15:0] */
    uint64_t v = ((uint64_t)intid << 24) | (((target_mpidr >> 32) & 0xff) << 48) |
                 (((target_mpidr >> 16) & 0xff) << 32) | (((target_mpidr >> 8) & 0xff) << 16) |
                 (1ul << (target_mpidr & 0xf));
    dsb(ishst);
    write_sysreg(ICC_SGI1R_EL1, v);
    isb();
}

uint64_t gic_acknowledge(void)
{
    return read_sysreg(ICC_IAR1_EL1);
}

void gic_end_of_interrupt(uint64_t iar)
{
    write_sysreg(ICC_EOIR1_EL1, iar);
    isb();
}

void wait_for_interrupt_until(volatile unsigned *flag, unsigned value)
{
    /* IRQs masked between the test and WFI, so an interrupt cannot slip in between; WFI wakes regardless */
    __asm__ volatile("msr daifset, #2" ::: "memory");
    while (*flag < value) {
        __asm__ volatile("wfi\n\tmsr daifclr, #2\n\tisb\n\tmsr daifset, #2" ::: "memory");
    }
    __asm__ volatile("msr daifclr, #2" ::: "memory");
}
