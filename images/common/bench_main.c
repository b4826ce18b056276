/*
 * cca-emu sample images: bare-metal driver for the benchmark kernels.
 * EL1: identity map with the MMU and caches on, run the kernel, print
 * "bench-NAME: ok <checksum>" and exit 0 (or "FAIL" and exit 1).
 *
 * A runner that cannot translate (Debian's unicorn 2.0.1 takes a prefetch
 * abort as soon as SCTLR_EL1.M is set) passes X0 = BENCH_NO_MMU_REQUEST at
 * entry and the same ELF runs with the MMU off. Build knob (EXTRA_CFLAGS):
 * -DBENCH_CALIBRATE prints the CNTVCT_EL0 ticks the kernel took.
 */
#include "cca.h"
#include "bench.h"

#define BENCH_NO_MMU_REQUEST 0x4e4f4d4dull /* "NOMM" */
extern uint64_t boot_arg0;

int main(void)
{
    unsigned el = current_el();
    if (el != 1) {
        printf("bench-%s: must start at EL1 (running at EL%u)\n", bench_name, el);
        return 1;
    }
    if (boot_arg0 != BENCH_NO_MMU_REQUEST)
        mmu_enable_identity();

    struct bench_result r;
    memset(&r, 0, sizeof r);
#ifdef BENCH_CALIBRATE
    uint64_t t0 = read_sysreg(cntvct_el0);
#endif
    int bad = bench_run(&r);
#ifdef BENCH_CALIBRATE
    uint64_t t1 = read_sysreg(cntvct_el0);
    printf("calibrate: %lu ticks at %lu Hz\n", (unsigned long)(t1 - t0),
           (unsigned long)read_sysreg(cntfrq_el0));
#endif
    printf("bench-%s: %s ", bench_name, bad ? "FAIL" : "ok");
    for (unsigned i = 0; i < r.nwords; i++)
        printf("%08x", r.words[i]);
    printf("\n");
    return bad ? 1 : 0;
}
