/*
 * realm-smp: every REC of the realm at work. REC 0 starts RECs 1..N-1 one at
 * a time with PSCI CPU_ON (entry, context ID = the REC's index; RMM B6, A4.3.7),
 * each prints its MPIDR, counts itself in and tells REC 0 so with an SGI
 * (REC 0 waits in WFI, which lets the host run the others); then REC 0 pings
 * each with an SGI through ICC_SGI1R_EL1 and waits for its answering SGI (the virtual CPU
 * interface: ICC_IAR1_EL1 / ICC_EOIR1_EL1 after waking the redistributor and
 * enabling Group 1); each secondary then turns itself off with CPU_OFF and
 * REC 0 sees it with AFFINITY_INFO.
 */
#include "realm.h"

#define SGI_PING 1
#define SGI_PONG 2
#define SGI_HELLO 3
#define SGI_PRIORITY 0x80

static volatile unsigned arrived; /* secondaries counted in (each bumps it, one at a time) */
static volatile unsigned hellos;  /* on REC 0: SGI_HELLOs taken */
static volatile unsigned pongs;   /* on REC 0 */
static volatile unsigned pinged[REALM_MAX_RECS];
static volatile unsigned spurious;

static void on_irq(void)
{
    uint64_t iar = gic_acknowledge();
    unsigned intid = (unsigned)(iar & 0xffffff);
    unsigned me = rec_index(mpidr_affinity());
    if (intid == SGI_PONG && me == 0)
        pongs++;
    else if (intid == SGI_HELLO && me == 0)
        hellos++;
    else if (intid == SGI_PING && me != 0)
        pinged[me]++;
    else
        spurious++;
    if (intid != GIC_SPURIOUS)
        gic_end_of_interrupt(iar);
}

static int gic_this_rec(void)
{
    if (gic_cpu_init())
        return -1;
    gic_enable_private(SGI_PING, SGI_PRIORITY);
    gic_enable_private(SGI_PONG, SGI_PRIORITY);
    gic_enable_private(SGI_HELLO, SGI_PRIORITY);
    return 0;
}

void secondary_main(uint64_t context)
{
    uint64_t mpidr = mpidr_affinity();
    unsigned me = rec_index(mpidr);
    rprintf("REC %u: up, MPIDR 0x%lx, context ID %lu\n", me, (unsigned long)mpidr, (unsigned long)context);
    check(context == me, "the context ID reached the started REC in x0");
    check(gic_this_rec() == 0, "this REC's redistributor is in the DTB's range");
    arrived = arrived + 1;
    gic_send_sgi(SGI_HELLO, rec_mpidr(0));
    wait_for_interrupt_until(&pinged[me], 1);
    rprintf("REC %u: ping taken, sending pong\n", me);
    gic_send_sgi(SGI_PONG, rec_mpidr(0));
}

int main(uint64_t dtb)
{
    console_init(dtb);
    irq_handler = on_irq;
    unsigned recs = fdt_count_nodes(dtb, "/cpus", "cpu@");
    rprintf("realm-smp: %u RECs in the DTB; REC 0 MPIDR 0x%lx\n", recs, (unsigned long)mpidr_affinity());
    check(recs >= 2 && recs <= REALM_MAX_RECS, "the realm has 2 to 8 RECs (boot with --recs N)");
    if (recs < 2 || recs > REALM_MAX_RECS)
        return 1;
    check(gic_init(dtb) == 0 && gic_this_rec() == 0, "the GIC is in the DTB and REC 0's redistributor answers");

    check(psci_affinity_info(rec_mpidr(1)) == PSCI_AFF_OFF, "AFFINITY_INFO: REC 1 starts off");
    for (unsigned i = 1; i < recs; i++) {
        int64_t r = psci_cpu_on(rec_mpidr(i), secondary_entry, i);
        if (r != PSCI_SUCCESS)
            rprintf("CPU_ON of REC %u: %ld\n", i, (long)r);
        check(r == PSCI_SUCCESS, "PSCI CPU_ON");
        wait_for_interrupt_until(&hellos, i);
    }
    rprintf("REC 0: %u secondaries counted in\n", arrived);
    check(arrived == recs - 1 && hellos == recs - 1, "every secondary REC ran, counted itself in and said so by SGI");
    check(psci_cpu_on(rec_mpidr(1), secondary_entry, 1) == PSCI_ALREADY_ON, "CPU_ON of a running REC is ALREADY_ON");
    check(psci_cpu_on(rec_mpidr(recs), secondary_entry, recs) == PSCI_INVALID_PARAMETERS,
          "CPU_ON of an MPIDR no REC has is INVALID_PARAMETERS");
    check(psci_affinity_info(rec_mpidr(1)) == PSCI_AFF_ON, "AFFINITY_INFO: REC 1 is on");

    for (unsigned i = 1; i < recs; i++) {
        gic_send_sgi(SGI_PING, rec_mpidr(i));
        wait_for_interrupt_until(&pongs, i);
        rprintf("REC 0: pong %u received\n", i);
    }
    check(pongs == recs - 1, "an SGI went each way between REC 0 and every other REC");

    for (unsigned i = 1; i < recs; i++) {
        unsigned polls = 0;
        while (psci_affinity_info(rec_mpidr(i)) != PSCI_AFF_OFF && polls < 1000000)
            polls++;
        check(psci_affinity_info(rec_mpidr(i)) == PSCI_AFF_OFF, "AFFINITY_INFO: the secondary is off after CPU_OFF");
    }
    check(spurious == 0, "no unexpected interrupts");

    rprintf("realm-smp: %s\n", realm_failures ? "FAIL" : "PASS");
    return realm_failures ? 1 : 0;
}
