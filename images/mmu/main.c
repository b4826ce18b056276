/*
 * mmu: EL1 stage-1 translation with 4 KiB pages and the faults it raises.
 *
 * Starts from the common identity map and splits the 2 MiB block at
 * TEST_BASE into a level-3 table of 4 KiB pages, then with the MMU on:
 *   - a non-identity page (VA page 4 -> PA page 5) and a remap + TLBI VAE1
 *   - (a) write to a read-only page (AP=0b10): permission fault, level 3
 *   - (b) read of a page with AF=0: access flag fault, level 3
 *   - (c) instruction fetch from a PXN page: instruction abort, permission
 *   - (d) write to an invalid page descriptor: translation fault, level 3
 * Each handler fixes the descriptor, does TLBI VAE1 + DSB + ISB and retries
 * the faulting instruction.
 */
#include "cca.h"

#define TEST_BASE 0x81000000ul /* 16 MiB into DRAM, above the image */
#define PAGE 4096ul
#define TEST_PAGE(n) (TEST_BASE + (n)*PAGE)

#define P_RO 0     /* read-only page */
#define P_NOAF 1   /* access flag clear */
#define P_XN 2     /* code, PXN|UXN */
#define P_INVAL 3  /* invalid descriptor */
#define P_ALIAS 4  /* VA page 4 -> PA page 5, later page 6 */

extern char __image_end[];

static uint64_t l3_table[512] __attribute__((aligned(4096)));

struct record {
    unsigned count;
    uint64_t esr, far, elr;
};
static volatile struct record rec;
static unsigned passed, failed;

static uint64_t *l3_entry(uint64_t va)
{
    return &l3_table[(va - TEST_BASE) / PAGE];
}

void exc_handler_el1(struct exc_frame *f, unsigned vec)
{
    if (vec != VEC_CUR_SPX_SYNC)
        exc_unexpected(f, vec, 1);
    rec.count++;
    rec.esr = f->esr;
    rec.far = f->far;
    rec.elr = f->elr;

    unsigned ec = ESR_EC(f->esr), fsc = ESR_FSC(f->esr);
    uint64_t page = f->far & ~(PAGE - 1);
    uint64_t *pte = (page >= TEST_BASE && page < TEST_BASE + 512 * PAGE)
                        ? l3_entry(page) : 0;
    if (!pte || rec.count > 1)
        exc_unexpected(f, vec, 1);

    if (ec == EC_DABT_CUR && fsc == 0x0f && page == TEST_PAGE(P_RO))
        *pte = (*pte & ~PTE_AP_MASK) | PTE_AP_RW;          /* make writable */
    else if (ec == EC_DABT_CUR && fsc == 0x0b && page == TEST_PAGE(P_NOAF))
        *pte |= PTE_AF;                                    /* set AF */
    else if (ec == EC_IABT_CUR && fsc == 0x0f && page == TEST_PAGE(P_XN))
        *pte &= ~(PTE_PXN | PTE_UXN);                      /* allow exec */
    else if (ec == EC_DABT_CUR && fsc == 0x07 && page == TEST_PAGE(P_INVAL))
        *pte = TEST_PAGE(P_INVAL) | PTE_NORMAL_PAGE;       /* map it */
    else
        exc_unexpected(f, vec, 1);
    tlbi_va(page);
    /* ELR unchanged: retry the faulting instruction. */
}

static void reset_record(void)
{
    rec.count = 0;
    rec.esr = rec.far = rec.elr = 0;
}

static void report(const char *name, int ok)
{
    if (ok) {
        passed++;
        printf("ok %s\n", name);
    } else {
        failed++;
        printf("FAIL %s esr=0x%lx far=0x%lx elr=0x%lx count=%u\n", name,
               (unsigned long)rec.esr, (unsigned long)rec.far,
               (unsigned long)rec.elr, rec.count);
    }
}

/* Data abort from EL1 with the expected DFSC and WnR, not on a walk. */
static int dabort(unsigned fsc, unsigned wnr, uint64_t far)
{
    uint64_t esr = rec.esr;
    return rec.count == 1 && ESR_EC(esr) == EC_DABT_CUR && ESR_IL(esr) &&
           ESR_FSC(esr) == fsc && ESR_WNR(esr) == wnr &&
           !(esr & (1u << 7)) /* S1PTW */ && !(esr & (1u << 8)) /* CM */ &&
           rec.far == far;
}

static inline uint64_t load64(uint64_t addr, uint64_t *pc)
{
    uint64_t v, at;
    __asm__ volatile("adr %1, 1f\n\t"
                     "1: ldr %0, [%2]"
                     : "=&r"(v), "=&r"(at)
                     : "r"(addr)
                     : "memory");
    *pc = at;
    return v;
}

static inline void store64(uint64_t addr, uint64_t v, uint64_t *pc)
{
    uint64_t at;
    __asm__ volatile("adr %0, 1f\n\t"
                     "1: str %1, [%2]"
                     : "=&r"(at)
                     : "r"(v), "r"(addr)
                     : "memory");
    *pc = at;
}

static void setup_tables(void)
{
    mmu_build_identity();
    for (unsigned i = 0; i < 512; i++)
        l3_table[i] = TEST_PAGE(i) | PTE_NORMAL_PAGE;
    l3_table[P_RO] = (l3_table[P_RO] & ~PTE_AP_MASK) | PTE_AP_RO;
    l3_table[P_NOAF] &= ~PTE_AF;
    l3_table[P_XN] |= PTE_PXN | PTE_UXN;
    l3_table[P_INVAL] = 0;
    l3_table[P_ALIAS] = TEST_PAGE(5) | PTE_NORMAL_PAGE;
    mmu_l2_dram[(TEST_BASE - 0x80000000ul) >> 21] =
        (uint64_t)(uintptr_t)l3_table | PTE_TYPE_TABLE;
}

static void fill_pages(void)
{
    for (unsigned p = 0; p < 8; p++) {
        volatile uint64_t *q = (volatile uint64_t *)TEST_PAGE(p);
        for (unsigned i = 0; i < PAGE / 8; i++)
            q[i] = 0x5000000000000000ul | ((uint64_t)p << 32) | i;
    }
    /* page P_XN: "mov w0, #42; ret" */
    volatile uint32_t *code = (volatile uint32_t *)TEST_PAGE(P_XN);
    code[0] = 0x52800540; /* mov w0, #42 */
    code[1] = 0xd65f03c0; /* ret */
    __asm__ volatile("dc cvau, %0\n\t"
                     "dsb ish\n\t"
                     "ic ivau, %0\n\t"
                     "dsb ish\n\t"
                     "isb"
                     :
                     : "r"(TEST_PAGE(P_XN))
                     : "memory");
}

#define PATTERN(p, i) (0x5000000000000000ul | ((uint64_t)(p) << 32) | (i))

int main(void)
{
    uint64_t pc, v;
    unsigned el = current_el();
    if (el != 1) {
        printf("mmu: must start at EL1 (running at EL%u)\n", el);
        return 1;
    }
    if ((uintptr_t)__image_end > TEST_BASE) {
        printf("mmu: image overlaps the test region\n");
        return 1;
    }
    fill_pages();
    setup_tables();
    mmu_enable();
    uint64_t sctlr = read_sysreg(sctlr_el1);
    printf("mmu: MMU %s, caches %s\n", (sctlr & SCTLR_M) ? "on" : "off",
           (sctlr & (SCTLR_C | SCTLR_I)) == (SCTLR_C | SCTLR_I) ? "on" : "off");

    /* Non-identity translation: VA page 4 reads PA page 5. */
    reset_record();
    v = load64(TEST_PAGE(P_ALIAS) + 0x10, &pc);
    report("translate-alias", rec.count == 0 && v == PATTERN(5, 2));

    /* Remap VA page 4 -> PA page 6; TLBI VAE1 must drop the old entry. */
    l3_table[P_ALIAS] = TEST_PAGE(6) | PTE_NORMAL_PAGE;
    tlbi_va(TEST_PAGE(P_ALIAS));
    v = load64(TEST_PAGE(P_ALIAS) + 0x10, &pc);
    report("tlbi-remap", rec.count == 0 && v == PATTERN(6, 2));

    /* (a) read-only page: reads work, a write faults, the handler makes the
     * page writable and the store is retried. */
    reset_record();
    v = load64(TEST_PAGE(P_RO) + 0x18, &pc);
    report("read-only-read", rec.count == 0 && v == PATTERN(P_RO, 3));
    reset_record();
    store64(TEST_PAGE(P_RO) + 0x18, 0xabcdef0123456789ul, &pc);
    v = *(volatile uint64_t *)(TEST_PAGE(P_RO) + 0x18);
    report("permission-fault", dabort(0x0f, 1, TEST_PAGE(P_RO) + 0x18) &&
                                   rec.elr == pc && v == 0xabcdef0123456789ul);

    /* (b) access flag clear: the read faults, the handler sets AF. */
    reset_record();
    v = load64(TEST_PAGE(P_NOAF) + 0x20, &pc);
    report("access-flag-fault", dabort(0x0b, 0, TEST_PAGE(P_NOAF) + 0x20) &&
                                    rec.elr == pc && v == PATTERN(P_NOAF, 4));

    /* (c) execute from a PXN page: instruction abort, permission fault at
     * level 3, ELR = FAR = the target; the handler clears PXN. */
    reset_record();
    int (*fn)(void) = (int (*)(void))TEST_PAGE(P_XN);
    int r = fn();
    report("xn-instruction-abort",
           rec.count == 1 && rec.esr == 0x8600000Ful &&
               rec.far == TEST_PAGE(P_XN) && rec.elr == TEST_PAGE(P_XN) &&
               r == 42);

    /* (d) invalid level-3 descriptor: translation fault, handler maps it. */
    reset_record();
    store64(TEST_PAGE(P_INVAL) + 0x28, 0x1122334455667788ul, &pc);
    v = *(volatile uint64_t *)(TEST_PAGE(P_INVAL) + 0x28);
    report("translation-fault", dabort(0x07, 1, TEST_PAGE(P_INVAL) + 0x28) &&
                                    rec.elr == pc && v == 0x1122334455667788ul);

    /* Everything repaired: a second pass takes no exception. */
    reset_record();
    store64(TEST_PAGE(P_RO) + 0x30, 1, &pc);
    load64(TEST_PAGE(P_NOAF) + 0x30, &pc);
    r = fn();
    store64(TEST_PAGE(P_INVAL) + 0x30, 2, &pc);
    report("no-refault", rec.count == 0 && r == 42);

    if (failed) {
        printf("mmu: %u of %u FAILED\n", failed, passed + failed);
        return 1;
    }
    printf("mmu: all %u passed\n", passed);
    return 0;
}
