/*
 * Native driver for a benchmark kernel: `make -C images host-check` builds
 * each images/bench-NAME/bench.c with the host gcc (and, as a user-mode
 * aarch64 program, with the cross gcc under qemu-aarch64) and prints the
 * same line as the bare-metal image.
 */
#include <stdio.h>
#include <string.h>
#include "bench.h"

int main(void)
{
    struct bench_result r;
    memset(&r, 0, sizeof r);
    int bad = bench_run(&r);
    printf("bench-%s: %s ", bench_name, bad ? "FAIL" : "ok");
    for (unsigned i = 0; i < r.nwords; i++)
        printf("%08x", r.words[i]);
    printf("\n");
    return bad ? 1 : 0;
}
