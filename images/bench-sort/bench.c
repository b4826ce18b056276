/*
 * bench-sort: quicksort and heapsort of pseudo-random 32-bit arrays.
 *
 * Each round fills an array (uniform values, or heavy duplicates, or a
 * nearly sorted run), sorts one copy with quicksort (median of three,
 * insertion sort below a cutoff, recursion on the smaller side) and another
 * with heapsort. Both results must be ascending and identical, and their
 * order-independent sums (sum, xor, sum of squares) must equal the input's.
 */
#include "bench.h"

#define FULL_ITERATIONS 28
#define QUICK_ITERATIONS 2
/* Verified with the host build (gcc x86-64) and qemu-aarch64. */
#define EXPECTED_FULL 0x9d1baf6cu
#define EXPECTED_QUICK 0xa2e5d0d9u

#ifndef ITERATIONS
#ifdef BENCH_QUICK
#define ITERATIONS QUICK_ITERATIONS
#else
#define ITERATIONS FULL_ITERATIONS
#endif
#endif

#define N 8192
#define CUTOFF 12

const char bench_name[] = "sort";

static uint32_t src[N], qa[N], ha[N];

static void insertion_sort(uint32_t *a, long lo, long hi)
{
    for (long i = lo + 1; i <= hi; i++) {
        uint32_t v = a[i];
        long j = i - 1;
        while (j >= lo && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

static inline void swap(uint32_t *a, long i, long j)
{
    uint32_t t = a[i];
    a[i] = a[j];
    a[j] = t;
}

static void quicksort(uint32_t *a, long lo, long hi)
{
    while (hi - lo > CUTOFF) {
        long mid = lo + (hi - lo) / 2;
        if (a[mid] < a[lo])
            swap(a, mid, lo);
        if (a[hi] < a[lo])
            swap(a, hi, lo);
        if (a[hi] < a[mid])
            swap(a, hi, mid);
        uint32_t pivot = a[mid];
        long i = lo - 1, j = hi + 1;
        for (;;) { /* Hoare partition */
            do
                i++;
            while (a[i] < pivot);
            do
                j--;
            while (a[j] > pivot);
            if (i >= j)
                break;
            swap(a, i, j);
        }
        if (j - lo < hi - j) {
            quicksort(a, lo, j);
            lo = j + 1;
        } else {
            quicksort(a, j + 1, hi);
            hi = j;
        }
    }
    insertion_sort(a, lo, hi);
}

static void sift_down(uint32_t *a, unsigned root, unsigned end)
{
    uint32_t v = a[root];
    for (;;) {
        unsigned child = 2 * root + 1;
        if (child >= end)
            break;
        if (child + 1 < end && a[child + 1] > a[child])
            child++;
        if (a[child] <= v)
            break;
        a[root] = a[child];
        root = child;
    }
    a[root] = v;
}

static void heapsort(uint32_t *a, unsigned n)
{
    for (unsigned i = n / 2; i-- > 0;)
        sift_down(a, i, n);
    for (unsigned end = n - 1; end > 0; end--) {
        swap(a, 0, end);
        sift_down(a, 0, end);
    }
}

struct sums {
    uint32_t sum, x, sq;
};

static struct sums sums_of(const uint32_t *a, unsigned n)
{
    struct sums s = {0, 0, 0};
    for (unsigned i = 0; i < n; i++) {
        s.sum += a[i];
        s.x ^= a[i];
        s.sq += a[i] * a[i];
    }
    return s;
}

int bench_run(struct bench_result *r)
{
    uint32_t seed = 0xBADC0DE5u, h = 0;
    int bad = 0;

    for (unsigned it = 0; it < ITERATIONS; it++) {
        unsigned n = N - (it % 5) * 3;
        unsigned mode = it % 4;
        for (unsigned i = 0; i < n; i++) {
            uint32_t v = xs32(&seed);
            if (mode == 1)
                v %= 97; /* many duplicates */
            else if (mode == 2)
                v = i * 1000 + (v % 4096); /* nearly sorted */
            src[i] = qa[i] = ha[i] = v;
        }
        if (mode == 3) /* descending runs */
            for (unsigned i = 0; i < n; i++)
                src[i] = qa[i] = ha[i] = (n - i) ^ (src[i] & 0x3ff);

        struct sums in = sums_of(src, n);
        quicksort(qa, 0, (long)n - 1);
        heapsort(ha, n);

        uint32_t c = 0;
        for (unsigned i = 0; i < n; i++) {
            if (qa[i] != ha[i])
                bad |= 1;
            if (i && qa[i - 1] > qa[i])
                bad |= 2;
            c = mix32(c, qa[i]);
        }
        struct sums q = sums_of(qa, n), hs = sums_of(ha, n);
        if (q.sum != in.sum || q.x != in.x || q.sq != in.sq ||
            hs.sum != in.sum || hs.x != in.x || hs.sq != in.sq)
            bad |= 4;
        h = mix32(h, c);
    }
    if (bad)
        printf("bench-sort: self-check failed (0x%x)\n", (unsigned)bad);

    bad |= BENCH_CHECK(h);
    r->words[0] = h;
    r->nwords = 1;
    return bad;
}
