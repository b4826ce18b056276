/*
 * cca-emu sample images: EL1 stage-1 identity map (4 KiB granule, TTBR0_EL1).
 *
 *   level 1 (T0SZ=25: 512 entries of 1 GiB)
 *     [0] 0x0000_0000  1 GiB block  Device-nGnRE, XN
 *     [1] 0x4000_0000  1 GiB block  Device-nGnRE, XN
 *     [2] 0x8000_0000  -> level-2 table: 512 x 2 MiB blocks, Normal WB
 *     [3] 0xC000_0000  1 GiB block  Normal WB
 *     [4..511] invalid
 */
#include "cca.h"

uint64_t mmu_l1_table[512] __attribute__((aligned(4096)));
uint64_t mmu_l2_dram[512] __attribute__((aligned(4096)));

void mmu_build_identity(void)
{
    for (unsigned i = 0; i < 512; i++)
        mmu_l1_table[i] = 0;
    mmu_l1_table[0] = 0x00000000ull | PTE_DEVICE_BLOCK;
    mmu_l1_table[1] = 0x40000000ull | PTE_DEVICE_BLOCK;
    mmu_l1_table[2] = (uint64_t)(uintptr_t)mmu_l2_dram | PTE_TYPE_TABLE;
    mmu_l1_table[3] = 0xC0000000ull | PTE_NORMAL_BLOCK;
    for (unsigned i = 0; i < 512; i++)
        mmu_l2_dram[i] = (0x80000000ull + ((uint64_t)i << 21)) | PTE_NORMAL_BLOCK;
}

void mmu_enable(void)
{
    write_sysreg(mair_el1, MAIR_VALUE);
    write_sysreg(tcr_el1, TCR_VALUE);
    write_sysreg(ttbr0_el1, (uint64_t)(uintptr_t)mmu_l1_table);
    dsb(ish); /* table writes complete before the walker can see them */
    isb();    /* MAIR/TCR/TTBR0 writes take effect */
    __asm__ volatile("tlbi vmalle1" ::: "memory");
    dsb(ish);
    isb();
    uint64_t sctlr = read_sysreg(sctlr_el1);
    sctlr |= SCTLR_M | SCTLR_C | SCTLR_I;
    sctlr &= ~(SCTLR_A | SCTLR_WXN | SCTLR_EE);
    write_sysreg(sctlr_el1, sctlr);
    isb();
}

void mmu_enable_identity(void)
{
    mmu_build_identity();
    mmu_enable();
}

void tlbi_va(uint64_t va)
{
    dsb(ishst);
    __asm__ volatile("tlbi vae1, %0" : : "r"(va >> 12) : "memory");
    dsb(ish);
    isb();
}
