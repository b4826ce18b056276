/*
 * bench-matrix: 32-bit integer matrix multiply (arithmetic mod 2^32).
 *
 * Each round computes C = A x B for N x N matrices, alternating an i-k-j
 * loop order with a dot-product form over a transposed copy of B, and
 * verifies C with Freivalds' check: C x v == A x (B x v) for a
 * pseudo-random vector v (exact in the ring Z/2^32, computed independently
 * of the product). A is then replaced by a mix of C for the next round.
 */
#include "bench.h"

#define FULL_ITERATIONS 54
#define QUICK_ITERATIONS 2
/* Verified with the host build (gcc x86-64) and qemu-aarch64. */
#define EXPECTED_FULL 0x7b4ff2b1u
#define EXPECTED_QUICK 0xa4d1752cu

#ifndef ITERATIONS
#ifdef BENCH_QUICK
#define ITERATIONS QUICK_ITERATIONS
#else
#define ITERATIONS FULL_ITERATIONS
#endif
#endif

#define N 64

const char bench_name[] = "matrix";

static uint32_t A[N][N], B[N][N], BT[N][N], C[N][N];
static uint32_t v[N], bv[N], abv[N], cv[N];

static void mul_ikj(void)
{
    for (unsigned i = 0; i < N; i++) {
        uint32_t *c = C[i];
        for (unsigned j = 0; j < N; j++)
            c[j] = 0;
        for (unsigned k = 0; k < N; k++) {
            uint32_t a = A[i][k];
            const uint32_t *b = B[k];
            for (unsigned j = 0; j < N; j++)
                c[j] += a * b[j];
        }
    }
}

static void mul_dot(void)
{
    for (unsigned i = 0; i < N; i++)
        for (unsigned j = 0; j < N; j++)
            BT[j][i] = B[i][j];
    for (unsigned i = 0; i < N; i++) {
        const uint32_t *a = A[i];
        for (unsigned j = 0; j < N; j++) {
            const uint32_t *b = BT[j];
            uint32_t s = 0;
            for (unsigned k = 0; k < N; k++)
                s += a[k] * b[k];
            C[i][j] = s;
        }
    }
}

static void matvec(uint32_t (*M)[N], const uint32_t *x, uint32_t *y)
{
    for (unsigned i = 0; i < N; i++) {
        uint32_t s = 0;
        for (unsigned k = 0; k < N; k++)
            s += M[i][k] * x[k];
        y[i] = s;
    }
}

int bench_run(struct bench_result *r)
{
    uint32_t seed = 0xC0FFEE11u, h = 0;
    int bad = 0;

    for (unsigned i = 0; i < N; i++)
        for (unsigned j = 0; j < N; j++) {
            A[i][j] = xs32(&seed);
            B[i][j] = xs32(&seed) >> (i & 7);
        }

    for (unsigned it = 0; it < ITERATIONS; it++) {
        if (it & 1)
            mul_dot();
        else
            mul_ikj();

        /* Freivalds: C v == A (B v) */
        for (unsigned k = 0; k < N; k++)
            v[k] = xs32(&seed);
        matvec(B, v, bv);
        matvec(A, bv, abv);
        matvec(C, v, cv);
        for (unsigned k = 0; k < N; k++)
            if (cv[k] != abv[k])
                bad |= 1;

        uint32_t c = 0;
        for (unsigned i = 0; i < N; i++)
            for (unsigned j = 0; j < N; j++) {
                uint32_t x = C[i][j];
                c = mix32(c, x);
                A[i][j] = x ^ (x >> 15) ^ (i * 0x01000193u + j); /* next A */
            }
        /* perturb one row of B so B changes slowly too */
        for (unsigned j = 0; j < N; j++)
            B[it % N][j] = rotl32(B[it % N][j], 7) + c;
        h = mix32(h, c);
    }
    if (bad)
        printf("bench-matrix: Freivalds check failed\n");

    bad |= BENCH_CHECK(h);
    r->words[0] = h;
    r->nwords = 1;
    return bad;
}
