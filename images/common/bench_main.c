/*
 * cca-emu sample images: bare-metal driver for the benchmark kernels.
 * EL1: identity map with the MMU and caches on, run the kernel, print
 * "bench-NAME: ok <checksum>" and exit 0 (or "FAIL" and exit 1).
 *
 * Build knobs (EXTRA_CFLAGS): -DBENCH_NO_MMU leaves the MMU off (for
 * reference runners without stage-1 translation, e.g. Debian's unicorn
 * 2.0.1); -DBENCH_CALIBRATE prints the CNTVCT_EL0 ticks the kernel took.
 */
#include "cca.h"
#include "bench.h"

int main(void)
{
    unsigned el = current_el();
    if (el != 1) {
        printf("bench-%s: must start at EL1 (running at EL%u)\n", bench_name, el);
        return 1;
    }
#ifndef BENCH_NO_MMU
    mmu_enable_identity();
#endif

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
