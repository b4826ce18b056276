/*
 * watchdog: the SBSA generic watchdog's WS0 interrupt (SPI 27, INTID 59)
 * and the SP805 watchdog's interrupt (SPI 0, INTID 32), both routed to
 * this PE through the GICv3 distributor (IROUTER), taken while the PE waits
 * in WFI (virtual time fast-forwards to each expiry), and answered: a
 * refresh for the SBSA watchdog, WdogIntClr for the SP805.
 */
#include "cca.h"

#define GICD_BASE 0x2F000000ul
#define GICR_BASE 0x2F100000ul
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_IPRIORITYR 0x0400
#define GICD_IROUTER 0x6000

#define SBSA_REFRESH 0x2A440000ul
#define SBSA_CONTROL 0x2A450000ul
#define SBSA_WCS 0x000
#define SBSA_WOR 0x008
#define SBSA_INTID 59

#define SP805_BASE 0x1C0F0000ul
#define SP805_LOAD 0x000
#define SP805_CONTROL 0x008
#define SP805_INTCLR 0x00C
#define SP805_LOCK 0xC00
#define SP805_INTID 32

#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7

static inline uint32_t rd32(uint64_t a) { return *(volatile uint32_t *)a; }
static inline void wr32(uint64_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline void wr64(uint64_t a, uint64_t v) { *(volatile uint64_t *)a = v; }
static inline void wr8(uint64_t a, uint8_t v) { *(volatile uint8_t *)a = v; }

static volatile unsigned sbsa_expiries, sp805_expiries;

void exc_handler_el1(struct exc_frame *f, unsigned vec)
{
    if (vec != 5)
        exc_unexpected(f, vec, 1);
    uint64_t iar = read_sysreg(ICC_IAR1_EL1);
    uint64_t now = read_sysreg(cntpct_el0);
    if (iar == SBSA_INTID) {
        sbsa_expiries++;
        printf("SBSA watchdog WS0 at count %lu, WCS 0x%x\n", (unsigned long)now, rd32(SBSA_CONTROL + SBSA_WCS));
        if (sbsa_expiries < 2)
            wr32(SBSA_REFRESH, 0); /* refresh: WS0 clears, a new period starts */
        else
            wr32(SBSA_CONTROL + SBSA_WCS, 0); /* disable */
    } else if (iar == SP805_INTID) {
        sp805_expiries++;
        printf("SP805 interrupt at count %lu\n", (unsigned long)now);
        wr32(SP805_BASE + SP805_CONTROL, 0); /* stop it, then clear the interrupt */
        wr32(SP805_BASE + SP805_INTCLR, 1);
    } else {
        printf("unexpected INTID %lu\n", (unsigned long)iar);
    }
    write_sysreg(ICC_EOIR1_EL1, iar);
}

static void enable_spi(unsigned intid)
{
    wr32(GICD_BASE + GICD_IGROUPR + 4 * (intid / 32), rd32(GICD_BASE + GICD_IGROUPR + 4 * (intid / 32)) | (1u << (intid % 32)));
    wr8(GICD_BASE + GICD_IPRIORITYR + intid, 0x80);
    wr64(GICD_BASE + GICD_IROUTER + 8 * intid, 0); /* to PE 0 (affinity 0.0.0.0) */
    wr32(GICD_BASE + GICD_ISENABLER + 4 * (intid / 32), 1u << (intid % 32));
}

int main(void)
{
    wr32(GICD_BASE, (1u << 4) | (1u << 1)); /* ARE, EnableGrp1 */
    wr32(GICR_BASE + 0x14, 0); /* wake this PE's redistributor */
    while (rd32(GICR_BASE + 0x14) & 4)
        ;
    enable_spi(SBSA_INTID);
    enable_spi(SP805_INTID);
    write_sysreg(ICC_PMR_EL1, 0xff);
    write_sysreg(ICC_IGRPEN1_EL1, 1);
    isb();
    __asm__ volatile("msr daifclr, #2");

    printf("watchdog: SBSA period 200000 counter ticks\n");
    wr32(SBSA_CONTROL + SBSA_WOR, 200000);
    wr32(SBSA_CONTROL + SBSA_WCS, 1);
    while (sbsa_expiries < 2)
        __asm__ volatile("wfi");

    printf("watchdog: SP805 load 99 (100 ticks of its 32 kHz clock)\n");
    wr32(SP805_BASE + SP805_LOCK, 0x1ACCE551);
    wr32(SP805_BASE + SP805_LOAD, 99);
    wr32(SP805_BASE + SP805_CONTROL, 1); /* INTEN */
    while (sp805_expiries < 1)
        __asm__ volatile("wfi");

    int ok = sbsa_expiries == 2 && sp805_expiries == 1;
    printf("watchdog: %s\n", ok ? "PASS" : "FAIL");
    return ok ? 0 : 1;
}
