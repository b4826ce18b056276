/*
 * simd-c: ordinary C compiled at -O2 without -mgeneral-regs-only, so GCC
 * vectorizes the loops (AdvSIMD integer and FP), copies structures through
 * Q registers and does float/double math in FP registers; plus the AES and
 * SHA256 intrinsics. Each result is checked against a scalar reference
 * (compiled without vectorization) or a published test vector, and printed.
 * Runs at EL1, EL2 or EL3 with the MMU off; enables SIMD&FP first.
 */
#include "cca.h"
#include <arm_neon.h>

#define N 256
#define SCALAR __attribute__((noinline, optimize("no-tree-vectorize")))

static int failures;

static void check(const char *name, int ok)
{
    printf("%s %s\n", ok ? "ok  " : "FAIL", name);
    if (!ok)
        failures++;
}

static uint8_t bytes_a[N] __attribute__((aligned(16)));
static uint8_t bytes_b[N] __attribute__((aligned(16)));
static int16_t shorts_a[N] __attribute__((aligned(16)));
static int16_t shorts_b[N] __attribute__((aligned(16)));
static int32_t ints[N] __attribute__((aligned(16)));
static float floats_a[N] __attribute__((aligned(16)));
static float floats_b[N] __attribute__((aligned(16)));
static float floats_c[N] __attribute__((aligned(16)));

/* A deterministic pseudo-random fill (xorshift32). */
static uint32_t seed = 0x12345678;
static uint32_t next(void)
{
    seed ^= seed << 13;
    seed ^= seed >> 17;
    seed ^= seed << 5;
    return seed;
}

/* ---- integer loops: vectorized, and the same loops kept scalar ---- */
static uint32_t sum_abs_diff(const uint8_t *a, const uint8_t *b)
{
    uint32_t s = 0;
    for (int i = 0; i < N; i++)
        s += a[i] > b[i] ? a[i] - b[i] : b[i] - a[i];
    return s;
}
SCALAR static uint32_t sum_abs_diff_ref(const uint8_t *a, const uint8_t *b)
{
    uint32_t s = 0;
    for (int i = 0; i < N; i++)
        s += a[i] > b[i] ? a[i] - b[i] : b[i] - a[i];
    return s;
}

static int64_t dot16(const int16_t *a, const int16_t *b)
{
    int64_t s = 0;
    for (int i = 0; i < N; i++)
        s += (int32_t)a[i] * b[i];
    return s;
}
SCALAR static int64_t dot16_ref(const int16_t *a, const int16_t *b)
{
    int64_t s = 0;
    for (int i = 0; i < N; i++)
        s += (int32_t)a[i] * b[i];
    return s;
}

static uint8_t max_byte(const uint8_t *a)
{
    uint8_t m = 0;
    for (int i = 0; i < N; i++)
        m = a[i] > m ? a[i] : m;
    return m;
}
SCALAR static uint8_t max_byte_ref(const uint8_t *a)
{
    uint8_t m = 0;
    for (int i = 0; i < N; i++)
        m = a[i] > m ? a[i] : m;
    return m;
}

/* Saturating add of halfwords, written the way compilers recognise. */
static void sat_add(int16_t *d, const int16_t *a, const int16_t *b)
{
    for (int i = 0; i < N; i++) {
        int32_t s = a[i] + b[i];
        d[i] = s > 32767 ? 32767 : s < -32768 ? -32768 : s;
    }
}
SCALAR static uint32_t checksum16(const int16_t *d)
{
    uint32_t h = 2166136261u;
    for (int i = 0; i < N; i++)
        h = (h ^ (uint16_t)d[i]) * 16777619u;
    return h;
}
SCALAR static uint32_t sat_add_ref_checksum(const int16_t *a, const int16_t *b)
{
    uint32_t h = 2166136261u;
    for (int i = 0; i < N; i++) {
        int32_t s = a[i] + b[i];
        int16_t v = s > 32767 ? 32767 : s < -32768 ? -32768 : s;
        h = (h ^ (uint16_t)v) * 16777619u;
    }
    return h;
}

/* ---- floating point ---- */
static void fmadd_loop(float *d, const float *a, const float *b, const float *c)
{
    for (int i = 0; i < N; i++)
        d[i] = a[i] * b[i] + c[i];
}
SCALAR static uint32_t float_checksum(const float *d)
{
    uint32_t h = 0;
    for (int i = 0; i < N; i++) {
        union { float f; uint32_t u; } v = { d[i] };
        h = (h * 31) ^ v.u;
    }
    return h;
}
SCALAR static uint32_t fmadd_ref_checksum(const float *a, const float *b, const float *c)
{
    uint32_t h = 0;
    for (int i = 0; i < N; i++) {
        union { float f; uint32_t u; } v = { a[i] * b[i] + c[i] };
        h = (h * 31) ^ v.u;
    }
    return h;
}

static void to_int(int32_t *d, const float *a)
{
    for (int i = 0; i < N; i++)
        d[i] = (int32_t)(a[i] * 1000.0f);
}

/* Newton's method for sqrt(2) in double precision, and the FSQRT result. */
static double newton_sqrt2(void)
{
    double x = 1.0;
    for (int i = 0; i < 6; i++)
        x = 0.5 * (x + 2.0 / x);
    return x;
}

/* ---- structure copies (LDP/STP of Q registers) ---- */
struct record { uint64_t id; uint32_t words[14]; double weight; };

static void copy_records(struct record *dst, const struct record *src, int n)
{
    for (int i = 0; i < n; i++)
        dst[i] = src[i];
}

/* ---- crypto intrinsics ---- */
/* FIPS-197 appendix C.1: AES-128 of 00112233..ff under key 00010203..0f. */
static int aes128_known_answer(void)
{
    static const uint8_t sbox_rcon[10] = { 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x1b, 0x36 };
    uint8_t key[16], pt[16];
    for (int i = 0; i < 16; i++) {
        key[i] = i;
        pt[i] = (i << 4) | i;
    }
    /* Key expansion with AESE on a zero round key: SubBytes of a replicated word is ShiftRows-invariant */
    uint32_t w[44];
    for (int i = 0; i < 4; i++)
        w[i] = key[4 * i] | key[4 * i + 1] << 8 | key[4 * i + 2] << 16 | (uint32_t)key[4 * i + 3] << 24;
    for (int i = 4; i < 44; i++) {
        uint32_t t = w[i - 1];
        if (i % 4 == 0) {
            uint8x16_t s = vaeseq_u8(vreinterpretq_u8_u32(vdupq_n_u32(t)), vdupq_n_u8(0));
            t = vgetq_lane_u32(vreinterpretq_u32_u8(s), 0);
            t = (t >> 8 | t << 24) ^ sbox_rcon[i / 4 - 1];
        }
        w[i] = w[i - 4] ^ t;
    }
    uint8x16_t state = vld1q_u8(pt);
    for (int r = 0; r < 9; r++)
        state = vaesmcq_u8(vaeseq_u8(state, vreinterpretq_u8_u32(vld1q_u32(&w[4 * r]))));
    state = veorq_u8(vaeseq_u8(state, vreinterpretq_u8_u32(vld1q_u32(&w[36]))), vreinterpretq_u8_u32(vld1q_u32(&w[40])));
    static const uint8_t expected[16] = { 0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30,
                                          0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4, 0xc5, 0x5a };
    uint8_t out[16];
    vst1q_u8(out, state);
    printf("aes128: ");
    for (int i = 0; i < 16; i++)
        printf("%02x", out[i]);
    printf("\n");
    return memcmp(out, expected, 16) == 0;
}

/* SHA-256 of "abc" (FIPS 180-2 appendix B.1) with the SHA256 instructions. */
static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};
static int sha256_known_answer(void)
{
    uint32_t block[16] = { 0x61626380 };
    block[15] = 24; /* message length in bits */
    uint32x4_t abcd = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a };
    uint32x4_t efgh = { 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
    uint32x4_t m[4];
    for (int i = 0; i < 4; i++)
        m[i] = vld1q_u32(&block[4 * i]);
    uint32x4_t a0 = abcd, e0 = efgh;
    for (int r = 0; r < 16; r++) {
        uint32x4_t wk = vaddq_u32(m[r % 4], vld1q_u32(&K256[4 * r]));
        uint32x4_t a1 = vsha256hq_u32(abcd, efgh, wk);
        efgh = vsha256h2q_u32(efgh, abcd, wk);
        abcd = a1;
        if (r < 12)
            m[r % 4] = vsha256su1q_u32(vsha256su0q_u32(m[r % 4], m[(r + 1) % 4]), m[(r + 2) % 4], m[(r + 3) % 4]);
    }
    abcd = vaddq_u32(abcd, a0);
    efgh = vaddq_u32(efgh, e0);
    uint32_t h[8];
    vst1q_u32(h, abcd);
    vst1q_u32(h + 4, efgh);
    static const uint32_t expected[8] = { 0xba7816bf, 0x8f01cfea, 0x414140de, 0x5dae2223,
                                          0xb00361a3, 0x96177a9c, 0xb410ff61, 0xf20015ad };
    printf("sha256(\"abc\"): ");
    for (int i = 0; i < 8; i++)
        printf("%08x", h[i]);
    printf("\n");
    return memcmp(h, expected, sizeof h) == 0;
}

__attribute__((noinline)) static int run(void)
{
    for (int i = 0; i < N; i++) {
        bytes_a[i] = next();
        bytes_b[i] = next();
        shorts_a[i] = next();
        shorts_b[i] = i % 7 == 0 ? 32000 : (int16_t)next();
        floats_a[i] = (float)(int32_t)next() / 65536.0f;
        floats_b[i] = (float)(next() % 1000) / 7.0f;
        floats_c[i] = (float)i * 0.25f;
    }

    uint32_t sad = sum_abs_diff(bytes_a, bytes_b);
    printf("sum of absolute differences: %u\n", sad);
    check("sad", sad == sum_abs_diff_ref(bytes_a, bytes_b));

    int64_t dot = dot16(shorts_a, shorts_b);
    printf("dot product: %lld\n", (long long)dot);
    check("dot16", dot == dot16_ref(shorts_a, shorts_b));

    uint8_t mx = max_byte(bytes_a);
    printf("max byte: %u\n", mx);
    check("max", mx == max_byte_ref(bytes_a));

    static int16_t sat[N] __attribute__((aligned(16)));
    sat_add(sat, shorts_a, shorts_b);
    uint32_t satsum = checksum16(sat);
    printf("saturating add checksum: %08x\n", satsum);
    check("sat-add", satsum == sat_add_ref_checksum(shorts_a, shorts_b));

    static float fm[N] __attribute__((aligned(16)));
    fmadd_loop(fm, floats_a, floats_b, floats_c);
    uint32_t fsum = float_checksum(fm);
    printf("a*b+c checksum: %08x\n", fsum);
    check("fmadd", fsum == fmadd_ref_checksum(floats_a, floats_b, floats_c));

    to_int(ints, floats_a);
    int64_t isum = 0;
    for (int i = 0; i < N; i++)
        isum += ints[i];
    printf("float to int sum: %lld\n", (long long)isum);
    int64_t isum_ref = 0;
    for (int i = 0; i < N; i++)
        isum_ref += (int64_t)(floats_a[i] * 1000.0f);
    check("fcvtzs", isum == isum_ref);

    double r = newton_sqrt2();
    union { double d; uint64_t u; } bits = { r };
    printf("sqrt(2) by Newton: %016llx\n", (unsigned long long)bits.u);
    /* IEEE double arithmetic (any conforming host gives it) ends one ulp below the nearest double */
    check("newton", bits.u == 0x3ff6a09e667f3bccull);
    double two = 2.0;
    __asm__("fsqrt %d0, %d1" : "=w"(bits.d) : "w"(two));
    check("fsqrt", bits.u == 0x3ff6a09e667f3bcdull); /* the double nearest sqrt(2) */

    static struct record src[8] __attribute__((aligned(16))), dst[8] __attribute__((aligned(16)));
    for (int i = 0; i < 8; i++) {
        src[i].id = 0x1000 + i;
        for (int j = 0; j < 14; j++)
            src[i].words[j] = next();
        src[i].weight = i * 1.5;
    }
    copy_records(dst, src, 8);
    check("struct-copy", memcmp(dst, src, sizeof src) == 0);

    check("aes128", aes128_known_answer());
    check("sha256", sha256_known_answer());

    printf("simd-c: %d failures\n", failures);
    return failures != 0;
}

/* Enables SIMD&FP at the current EL and below before any code that may use it runs. */
__attribute__((target("general-regs-only"))) int main(void)
{
    unsigned el = current_el();
    uint64_t v;
    if (el == 3) {
        __asm__ volatile("mrs %0, cptr_el3" : "=r"(v));
        __asm__ volatile("msr cptr_el3, %0" :: "r"(v & ~(1ull << 10))); /* TFP */
    }
    if (el >= 2) {
        __asm__ volatile("mrs %0, cptr_el2" : "=r"(v));
        __asm__ volatile("msr cptr_el2, %0" :: "r"(v & ~(1ull << 10))); /* TFP */
    }
    __asm__ volatile("mrs %0, cpacr_el1" : "=r"(v));
    __asm__ volatile("msr cpacr_el1, %0; isb" :: "r"(v | (3ull << 20))); /* FPEN */
    return run();
}
