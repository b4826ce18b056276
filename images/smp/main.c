/*
 * smp: PSCI CPU_ON of every PE the board has (FVP MPIDRs 0x0, 0x100, ...),
 * each secondary prints and waits in WFI; PE 0 pings each with an SGI
 * (ICC_SGI1R_EL1), the secondary answers with an SGI back and powers itself
 * down with CPU_OFF; PE 0 watches it go with AFFINITY_INFO. Also the PSCI
 * error codes: ALREADY_ON, INVALID_PARAMETERS, INVALID_ADDRESS.
 */
#include "cca.h"

#define GICD_BASE 0x2F000000ul
#define GICR_BASE 0x2F100000ul
#define GICR_STRIDE 0x20000ul
#define GICR_WAKER 0x0014
#define GICR_SGI 0x10000ul
#define GICR_IGROUPR0 0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_IPRIORITYR 0x0400

#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_SGI1R_EL1 S3_0_C12_C11_5
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7

#define SGI_PING 1
#define SGI_PONG 2
#define MAX_PES 8

#define PSCI_CPU_OFF 0x84000002ul
#define PSCI_CPU_ON 0xC4000003ul
#define PSCI_AFFINITY_INFO 0xC4000004ul
#define PSCI_MIGRATE_INFO_TYPE 0x84000006ul

uint8_t stacks[MAX_PES][4096] __attribute__((aligned(16)));
extern char secondary_entry[];

static volatile unsigned online[MAX_PES], pinged[MAX_PES], pongs;

static long psci(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
    register uint64_t x0 __asm__("x0") = fid;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;
    __asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
    return (long)x0;
}

static inline uint32_t rd32(uint64_t a) { return *(volatile uint32_t *)a; }
static inline void wr32(uint64_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline void wr8(uint64_t a, uint8_t v) { *(volatile uint8_t *)a = v; }

/* FVP: four PEs per cluster, Aff1 the core, Aff2 the cluster */
static uint64_t mpidr_of(unsigned pe) { return ((uint64_t)(pe >> 2) << 16) | ((uint64_t)(pe & 3) << 8); }

static unsigned my_index(void)
{
    uint64_t m = read_sysreg(mpidr_el1);
    return (unsigned)(((m >> 16) & 0xff) * 4 + ((m >> 8) & 0xff));
}

/* This PE's redistributor awake, the two SGIs enabled in Group 1, the CPU interface open, IRQs on */
static void gic_cpu_init(unsigned pe)
{
    uint64_t rd = GICR_BASE + pe * GICR_STRIDE;
    wr32(rd + GICR_WAKER, rd32(rd + GICR_WAKER) & ~2u);
    while (rd32(rd + GICR_WAKER) & 4u)
        ;
    wr32(rd + GICR_SGI + GICR_IGROUPR0, 0xffffffffu);
    wr8(rd + GICR_SGI + GICR_IPRIORITYR + SGI_PING, 0x80);
    wr8(rd + GICR_SGI + GICR_IPRIORITYR + SGI_PONG, 0x80);
    wr32(rd + GICR_SGI + GICR_ISENABLER0, (1u << SGI_PING) | (1u << SGI_PONG));
    write_sysreg(ICC_PMR_EL1, 0xff);
    write_sysreg(ICC_IGRPEN1_EL1, 1);
    isb();
    __asm__ volatile("msr daifclr, #2");
}

/* An SGI to one PE: its Aff2.Aff1 and Aff0 0 in the target list */
static void send_sgi(unsigned intid, unsigned pe)
{
    uint64_t m = mpidr_of(pe);
    uint64_t v = ((uint64_t)intid << 24) | (((m >> 16) & 0xff) << 32) | (((m >> 8) & 0xff) << 16) | 1;
    write_sysreg(ICC_SGI1R_EL1, v);
    isb();
}

void exc_handler_el1(struct exc_frame *f, unsigned vec)
{
    if (vec != 5)
        exc_unexpected(f, vec, 1);
    uint64_t iar = read_sysreg(ICC_IAR1_EL1);
    unsigned me = my_index();
    if (iar == SGI_PING) {
        pinged[me] = 1;
        send_sgi(SGI_PONG, 0);
    } else if (iar == SGI_PONG) {
        pongs++;
    } else {
        printf("PE %u: unexpected INTID %lu\n", me, (unsigned long)iar);
    }
    write_sysreg(ICC_EOIR1_EL1, iar);
}

void secondary_main(uint64_t index)
{
    gic_cpu_init((unsigned)index);
    printf("PE %lu up: MPIDR 0x%lx, EL%u\n", (unsigned long)index, (unsigned long)read_sysreg(mpidr_el1), current_el());
    online[index] = 1;
    while (!pinged[index])
        __asm__ volatile("wfi");
    printf("PE %lu: pinged, answered, powering off\n", (unsigned long)index);
    psci(PSCI_CPU_OFF, 0, 0, 0);
    printf("PE %lu: CPU_OFF returned!\n", (unsigned long)index);
}

int main(void)
{
    printf("smp: PE 0 MPIDR 0x%lx, MIGRATE_INFO_TYPE %ld\n", (unsigned long)read_sysreg(mpidr_el1),
           psci(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0));
    wr32(GICD_BASE, (1u << 4) | (1u << 1)); /* ARE, EnableGrp1 */
    gic_cpu_init(0);

    unsigned pes = 1;
    for (unsigned pe = 1; pe < MAX_PES; pe++) {
        long r = psci(PSCI_CPU_ON, mpidr_of(pe), (uint64_t)secondary_entry, pe);
        if (r == -2) /* INVALID_PARAMETERS: no such PE on this board */
            break;
        printf("CPU_ON PE %u: %ld\n", pe, r);
        while (!online[pe])
            ;
        pes++;
    }
    printf("smp: %u PEs\n", pes);
    printf("CPU_ON PE 0 (itself): %ld (ALREADY_ON)\n", psci(PSCI_CPU_ON, mpidr_of(0), (uint64_t)secondary_entry, 0));
    printf("CPU_ON MPIDR 0xff00: %ld (INVALID_PARAMETERS)\n", psci(PSCI_CPU_ON, 0xff00, (uint64_t)secondary_entry, 0));
    printf("CPU_ON at address 0x10: %ld (INVALID_ADDRESS)\n", psci(PSCI_CPU_ON, mpidr_of(pes - 1), 0x10, 0));

    for (unsigned pe = 1; pe < pes; pe++) {
        printf("AFFINITY_INFO PE %u: %ld (ON)\n", pe, psci(PSCI_AFFINITY_INFO, mpidr_of(pe), 0, 0));
        unsigned before = pongs;
        send_sgi(SGI_PING, pe);
        while (pongs == before)
            __asm__ volatile("wfi");
        printf("PE %u answered the ping\n", pe);
        while (psci(PSCI_AFFINITY_INFO, mpidr_of(pe), 0, 0) != 1)
            ;
        printf("AFFINITY_INFO PE %u: 1 (OFF)\n", pe);
    }
    int ok = pongs == pes - 1;
    printf("smp: %s\n", ok ? "PASS" : "FAIL");
    return ok ? 0 : 1;
}
