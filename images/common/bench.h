/*
 * cca-emu sample images: interface between a benchmark kernel (bench.c in
 * images/bench-NAME/) and its drivers: bench_main.c (bare metal, EL1, MMU
 * and caches on) and host/bench_host.c (native build, to check the C).
 *
 * Kernels are freestanding C: no FP, no library calls except memcpy/memset
 * and printf (for diagnostics only).
 */
#ifndef BENCH_H
#define BENCH_H

#include <stddef.h>
#include <stdint.h>

struct bench_result {
    uint32_t words[8]; /* printed as consecutive %08x */
    unsigned nwords;
};

/* Defined by the kernel. */
extern const char bench_name[];
/* Runs the fixed amount of work; returns 0 when every self-check passed. */
int bench_run(struct bench_result *r);

int printf(const char *fmt, ...);
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);

static inline uint32_t rotl32(uint32_t x, unsigned r)
{
    return (x << (r & 31)) | (x >> ((32 - r) & 31));
}

/* xorshift32 (never returns 0 for a non-zero state) */
static inline uint32_t xs32(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

/* Mixes v into a running 32-bit checksum. */
static inline uint32_t mix32(uint32_t h, uint32_t v)
{
    h ^= v;
    h *= 0x9E3779B1u;
    return rotl32(h, 13) + 0x7F4A7C15u;
}

/*
 * A kernel's final checksum against the value its iteration count must give: the kernel defines
 * EXPECTED_FULL for FULL_ITERATIONS and EXPECTED_QUICK for QUICK_ITERATIONS; other counts (calibration
 * builds) are not checked. Returns the self-check bit 16 on a mismatch.
 */
static inline int bench_expect(uint32_t h, int known, uint32_t want)
{
    if (!known || h == want)
        return 0;
    printf("bench-%s: checksum %08x, expected %08x\n", bench_name, (unsigned)h, (unsigned)want);
    return 16;
}
#define BENCH_CHECK(h)                                                                  \
    bench_expect((h), ITERATIONS == FULL_ITERATIONS || ITERATIONS == QUICK_ITERATIONS, \
                 ITERATIONS == FULL_ITERATIONS ? EXPECTED_FULL : EXPECTED_QUICK)

#endif /* BENCH_H */
