/*
 * cca-emu sample images: shared declarations for the tiny bare-metal runtime.
 *
 * Board: Arm FVP Base RevC memory map (DRAM at 0x8000_0000, PL011 UART0 at
 * 0x1C09_0000). Everything here is freestanding C built with
 * -mgeneral-regs-only: no FP/SIMD register is ever touched.
 */
#ifndef CCA_H
#define CCA_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* ---- PL011 UART ------------------------------------------------------- */
#ifndef UART_BASE
#define UART_BASE 0x1C090000UL
#endif
#define UART_DR 0x000 /* data register */
#define UART_FR 0x018 /* flag register */
#define UART_FR_TXFF (1u << 5)

void uart_putc(char c);
void uart_puts(const char *s); /* no newline appended */

/* ---- formatted output (to the UART) --------------------------------------
 * Supports %d %i %u %x %X %p %s %c %% with flags '-' and '0', a field width
 * and the length modifiers hh h l ll z.
 */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int puts(const char *s); /* appends '\n' */

/* ---- string.h subset ---------------------------------------------------- */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

/* ---- Arm semihosting (HLT #0xF000) ------------------------------------ */
#define SYS_WRITEC 0x03
#define SYS_WRITE0 0x04
#define SYS_WRITE 0x05
#define SYS_EXIT 0x18
#define SYS_EXIT_EXTENDED 0x20
#define ADP_Stopped_ApplicationExit 0x20026
#define ADP_Stopped_RunTimeErrorUnknown 0x20023

static inline long semihost_call(unsigned long op, const void *arg)
{
    register unsigned long x0 __asm__("x0") = op;
    register const void *x1 __asm__("x1") = arg;
    __asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
    return (long)x0;
}

void semihost_writec(char c);
void semihost_write0(const char *s);
long semihost_write(int fd, const void *buf, size_t len);
/* SYS_EXIT_EXTENDED {ADP_Stopped_ApplicationExit, status}. */
void exit(int status) __attribute__((noreturn));

/* ---- system registers ----------------------------------------------------- */
#define read_sysreg(r)                                                       \
    ({                                                                       \
        uint64_t __v;                                                        \
        __asm__ volatile("mrs %0, " #r : "=r"(__v));                         \
        __v;                                                                 \
    })
#define write_sysreg(r, v)                                                   \
    __asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)) : "memory")
#define isb() __asm__ volatile("isb" : : : "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt : : : "memory")

static inline unsigned current_el(void)
{
    return (unsigned)((read_sysreg(CurrentEL) >> 2) & 3);
}

#define SCTLR_M (1ul << 0)
#define SCTLR_A (1ul << 1)
#define SCTLR_C (1ul << 2)
#define SCTLR_SA (1ul << 3)
#define SCTLR_I (1ul << 12)
#define SCTLR_WXN (1ul << 19)
#define SCTLR_EE (1ul << 25)

/* ---- exceptions --------------------------------------------------------- */
/*
 * Register frame built by the common vector code (vectors.S) on the stack of
 * the exception level that takes the exception. A handler may modify any
 * field: x[], elr and spsr are written back before ERET.
 */
struct exc_frame {
    uint64_t x[31];
    uint64_t elr;
    uint64_t spsr;
    uint64_t esr;
    uint64_t far;
    uint64_t pad;
};
#define EXC_FRAME_SIZE 288

/*
 * Vector index: 0..15 = offset / 0x80 in the vector table:
 *   0-3  current EL with SP_EL0   (sync, irq, fiq, serror)
 *   4-7  current EL with SP_ELx
 *   8-11 lower EL, AArch64
 *   12-15 lower EL, AArch32
 */
#define VEC_CUR_SP0_SYNC 0
#define VEC_CUR_SPX_SYNC 4
#define VEC_LOWER64_SYNC 8

extern char vectors_el1[], vectors_el2[], vectors_el3[];
/* Weak defaults print the exception and exit(100 + EL). */
void exc_handler_el1(struct exc_frame *f, unsigned vec);
void exc_handler_el2(struct exc_frame *f, unsigned vec);
void exc_handler_el3(struct exc_frame *f, unsigned vec);
void exc_unexpected(struct exc_frame *f, unsigned vec, unsigned el)
    __attribute__((noreturn));

#define ESR_EC(esr) ((unsigned)(((esr) >> 26) & 0x3f))
#define ESR_IL(esr) ((unsigned)(((esr) >> 25) & 1))
#define ESR_ISS(esr) ((unsigned)((esr)&0x1ffffff))
#define ESR_FSC(esr) ((unsigned)((esr)&0x3f))
#define ESR_WNR(esr) ((unsigned)(((esr) >> 6) & 1))

#define EC_UNKNOWN 0x00
#define EC_SVC64 0x15
#define EC_HVC64 0x16
#define EC_SMC64 0x17
#define EC_IABT_LOW 0x20
#define EC_IABT_CUR 0x21
#define EC_PC_ALIGN 0x22
#define EC_DABT_LOW 0x24
#define EC_DABT_CUR 0x25
#define EC_SP_ALIGN 0x26
#define EC_BRK64 0x3c

/* ---- MMU (EL1, stage 1, 4 KiB granule, TTBR0_EL1) ------------------------ */
#define PTE_VALID (1ull << 0)
#define PTE_TYPE_TABLE (3ull << 0) /* level 0-2: next-level table */
#define PTE_TYPE_BLOCK (1ull << 0) /* level 1-2: block */
#define PTE_TYPE_PAGE (3ull << 0)  /* level 3: page */
#define PTE_ATTRIDX(n) ((uint64_t)(n) << 2)
#define PTE_AP_RW (0ull << 6) /* EL1 read/write, EL0 none */
#define PTE_AP_RO (2ull << 6) /* EL1 read-only, EL0 none */
#define PTE_AP_MASK (3ull << 6)
#define PTE_SH_INNER (3ull << 8)
#define PTE_AF (1ull << 10)
#define PTE_PXN (1ull << 53)
#define PTE_UXN (1ull << 54)
#define PTE_ADDR_MASK 0x0000fffffffff000ull

#define MAIR_IDX_DEVICE 0 /* Device-nGnRE (0x04) */
#define MAIR_IDX_NORMAL 1 /* Normal, inner/outer WB RW-allocate (0xFF) */
#define MAIR_IDX_NC 2     /* Normal, non-cacheable (0x44) */
#define MAIR_VALUE 0x000000000044ff04ull

/*
 * TCR_EL1: T0SZ=25 (39-bit VA, walk starts at level 1), IRGN0=ORGN0=WBWA,
 * SH0=inner, TG0=4K, EPD1=1 (no TTBR1 walks), TG1=4K, IPS=40 bits.
 */
#define TCR_VALUE                                                            \
    (25ull | (1ull << 8) | (1ull << 10) | (3ull << 12) | (0ull << 14) |      \
     (25ull << 16) | (1ull << 23) | (2ull << 30) | (2ull << 32))

#define PTE_NORMAL_BLOCK                                                     \
    (PTE_TYPE_BLOCK | PTE_ATTRIDX(MAIR_IDX_NORMAL) | PTE_AP_RW |             \
     PTE_SH_INNER | PTE_AF)
#define PTE_DEVICE_BLOCK                                                     \
    (PTE_TYPE_BLOCK | PTE_ATTRIDX(MAIR_IDX_DEVICE) | PTE_AP_RW | PTE_AF |    \
     PTE_PXN | PTE_UXN)
#define PTE_NORMAL_PAGE                                                      \
    (PTE_TYPE_PAGE | PTE_ATTRIDX(MAIR_IDX_NORMAL) | PTE_AP_RW |              \
     PTE_SH_INNER | PTE_AF)

/*
 * Identity map of the low 4 GiB:
 *   0x0000_0000-0x7FFF_FFFF  two 1 GiB level-1 blocks, Device-nGnRE, XN
 *   0x8000_0000-0xBFFF_FFFF  level-2 table of 2 MiB blocks, Normal WB
 *   0xC000_0000-0xFFFF_FFFF  one 1 GiB level-1 block, Normal WB
 */
extern uint64_t mmu_l1_table[512];
extern uint64_t mmu_l2_dram[512]; /* covers 0x8000_0000-0xBFFF_FFFF */
void mmu_build_identity(void);    /* fill the tables (MMU state untouched) */
void mmu_enable(void);            /* MAIR/TCR/TTBR0, TLBI, SCTLR.M|C|I */
void mmu_enable_identity(void);   /* both of the above */
void tlbi_va(uint64_t va);        /* DSB ISHST; TLBI VAE1; DSB ISH; ISB */

#endif /* CCA_H */
