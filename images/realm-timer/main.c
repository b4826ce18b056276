/*
 * realm-timer: the EL1 virtual timer (CNTV_CVAL_EL0/CNTV_CTL_EL0) of a realm,
 * three times: the REC waits in WFI until the timer fires, and its
 * interrupt (PPI 27) arrives through the virtual GIC: the host sees the
 * timer's state at the REC exit and injects the PPI in a list register; the
 * realm takes the IRQ, acknowledges it with ICC_IAR1_EL1, masks the timer
 * and completes it with ICC_EOIR1_EL1. Checks that virtual time passed the
 * compare value each time.
 */
#include "realm.h"

#define INTID_VTIMER 27
#define TICKS 3
#define CNTV_CTL_ENABLE (1ul << 0)
#define CNTV_CTL_IMASK (1ul << 1)
#define CNTV_CTL_ISTATUS (1ul << 2)

static volatile unsigned ticks, spurious;
static volatile uint64_t ctl_at_irq, count_at_irq;

static void on_irq(void)
{
    uint64_t iar = gic_acknowledge();
    unsigned intid = (unsigned)(iar & 0xffffff);
    if (intid == INTID_VTIMER) {
        ctl_at_irq = read_sysreg(cntv_ctl_el0);
        count_at_irq = read_sysreg(cntvct_el0);
        write_sysreg(cntv_ctl_el0, CNTV_CTL_IMASK); /* disabled and masked: the line drops */
        isb();
        ticks++;
    } else {
        spurious++;
    }
    if (intid != GIC_SPURIOUS)
        gic_end_of_interrupt(iar);
}

int main(uint64_t dtb)
{
    console_init(dtb);
    irq_handler = on_irq;
    uint64_t frequency = read_sysreg(cntfrq_el0);
    rprintf("realm-timer: CNTFRQ_EL0 %lu Hz\n", (unsigned long)frequency);
    check(gic_init(dtb) == 0 && gic_cpu_init() == 0, "the GIC is in the DTB and this REC's redistributor answers");
    gic_enable_private(INTID_VTIMER, 0xa0);

    uint64_t delay = frequency / 10000; /* 100 us */
    for (unsigned t = 1; t <= TICKS; t++) {
        uint64_t start = read_sysreg(cntvct_el0);
        uint64_t deadline = start + delay * t;
        write_sysreg(cntv_cval_el0, deadline);
        write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE);
        isb();
        wait_for_interrupt_until(&ticks, t);
        uint64_t now = read_sysreg(cntvct_el0);
        rprintf("tick %u: deadline %lu ticks after %lu, interrupt at %lu, now %lu\n", t, (unsigned long)(delay * t),
                (unsigned long)start, (unsigned long)count_at_irq, (unsigned long)now);
        check((ctl_at_irq & CNTV_CTL_ISTATUS) && count_at_irq >= deadline && now >= count_at_irq,
              "the timer interrupt came at or after its deadline, with ISTATUS set");
    }
    check(spurious == 0, "no unexpected interrupts");

    rprintf("realm-timer: %s\n", realm_failures ? "FAIL" : "PASS");
    return realm_failures ? 1 : 0;
}
