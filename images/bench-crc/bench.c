/*
 * bench-crc: CRC-32 (IEEE 802.3, reflected 0xEDB88320) and CRC-32C
 * (Castagnoli, reflected 0x82F63B78) of a generated buffer, each computed
 * four ways that must agree: bit by bit, with a 256-entry table, with
 * slicing-by-4 tables, and with the ARMv8 CRC32B/H/W/X and CRC32CB/H/W/X
 * instructions (inline asm; the native host build falls back to the table
 * code). Known check values of "123456789" are verified first.
 */
#include "bench.h"

#define FULL_ITERATIONS 100
#define QUICK_ITERATIONS 2
/* Verified with the host build (gcc x86-64), qemu-aarch64 and an
 * independent Python model (zlib.crc32 and a bitwise CRC-32C). */
#define EXPECTED_FULL 0x5331a032u
#define EXPECTED_QUICK 0x6afe135bu

#ifndef ITERATIONS
#ifdef BENCH_QUICK
#define ITERATIONS QUICK_ITERATIONS
#else
#define ITERATIONS FULL_ITERATIONS
#endif
#endif

#define BUF_SIZE 8192

#define POLY_CRC32 0xEDB88320u
#define POLY_CRC32C 0x82F63B78u

const char bench_name[] = "crc";

static uint8_t buf[BUF_SIZE + 16] __attribute__((aligned(16)));
static uint32_t tab32[4][256], tab32c[4][256];

static uint32_t crc_bitwise(uint32_t poly, const uint8_t *p, size_t n)
{
    uint32_t crc = 0xFFFFFFFFu;
    while (n--) {
        crc ^= *p++;
        for (unsigned k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (poly & (0u - (crc & 1)));
    }
    return ~crc;
}

static void make_tables(uint32_t poly, uint32_t t[4][256])
{
    for (unsigned i = 0; i < 256; i++) {
        uint32_t c = i;
        for (unsigned k = 0; k < 8; k++)
            c = (c & 1) ? (c >> 1) ^ poly : c >> 1;
        t[0][i] = c;
    }
    for (unsigned i = 0; i < 256; i++)
        for (unsigned j = 1; j < 4; j++)
            t[j][i] = (t[j - 1][i] >> 8) ^ t[0][t[j - 1][i] & 0xff];
}

static uint32_t crc_table(const uint32_t t[4][256], const uint8_t *p, size_t n)
{
    uint32_t crc = 0xFFFFFFFFu;
    while (n--)
        crc = (crc >> 8) ^ t[0][(crc ^ *p++) & 0xff];
    return ~crc;
}

static uint32_t crc_slice4(const uint32_t t[4][256], const uint8_t *p, size_t n)
{
    uint32_t crc = 0xFFFFFFFFu;
    while (n && ((uintptr_t)p & 3)) {
        crc = (crc >> 8) ^ t[0][(crc ^ *p++) & 0xff];
        n--;
    }
    for (; n >= 4; n -= 4, p += 4) {
        crc ^= (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
               (uint32_t)p[3] << 24;
        crc = t[3][crc & 0xff] ^ t[2][(crc >> 8) & 0xff] ^
              t[1][(crc >> 16) & 0xff] ^ t[0][crc >> 24];
    }
    while (n--)
        crc = (crc >> 8) ^ t[0][(crc ^ *p++) & 0xff];
    return ~crc;
}

#if defined(__aarch64__) && defined(__ARM_FEATURE_CRC32)
#define HAVE_HW_CRC 1
typedef uint64_t __attribute__((may_alias)) u64_alias;
typedef uint32_t __attribute__((may_alias)) u32_alias;
typedef uint16_t __attribute__((may_alias)) u16_alias;
/* Byte steps up to 8-byte alignment, CRC32X/CRC32CX over doublewords,
 * then W, H and B steps for the tail: every CRC instruction is used. */
#define HW_CRC_FN(name, B, H, W, X)                                          \
    static uint32_t name(const uint8_t *p, size_t n)                         \
    {                                                                        \
        uint32_t crc = 0xFFFFFFFFu;                                          \
        while (n && ((uintptr_t)p & 7)) {                                    \
            __asm__(B " %w0, %w0, %w1" : "+r"(crc) : "r"((uint32_t)*p));     \
            p++, n--;                                                        \
        }                                                                    \
        for (; n >= 8; n -= 8, p += 8)                                       \
            __asm__(X " %w0, %w0, %x1"                                       \
                    : "+r"(crc)                                              \
                    : "r"(*(const u64_alias *)p));                            \
        if (n >= 4) {                                                        \
            __asm__(W " %w0, %w0, %w1"                                       \
                    : "+r"(crc)                                              \
                    : "r"(*(const u32_alias *)p));                            \
            p += 4, n -= 4;                                                  \
        }                                                                    \
        if (n >= 2) {                                                        \
            __asm__(H " %w0, %w0, %w1"                                       \
                    : "+r"(crc)                                              \
                    : "r"((uint32_t) * (const u16_alias *)p));                \
            p += 2, n -= 2;                                                  \
        }                                                                    \
        if (n)                                                               \
            __asm__(B " %w0, %w0, %w1" : "+r"(crc) : "r"((uint32_t)*p));     \
        return ~crc;                                                         \
    }
HW_CRC_FN(crc32_hw, "crc32b", "crc32h", "crc32w", "crc32x")
HW_CRC_FN(crc32c_hw, "crc32cb", "crc32ch", "crc32cw", "crc32cx")
#else
#define HAVE_HW_CRC 0
static uint32_t crc32_hw(const uint8_t *p, size_t n)
{
    return crc_slice4(tab32, p, n);
}
static uint32_t crc32c_hw(const uint8_t *p, size_t n)
{
    return crc_slice4(tab32c, p, n);
}
#endif

/* all four methods for one polynomial; returns the CRC, sets *bad */
static uint32_t crc4(int castagnoli, const uint8_t *p, size_t n, int *bad)
{
    uint32_t a, b, c, d;
    if (castagnoli) {
        a = crc_bitwise(POLY_CRC32C, p, n);
        b = crc_table(tab32c, p, n);
        c = crc_slice4(tab32c, p, n);
        d = crc32c_hw(p, n);
    } else {
        a = crc_bitwise(POLY_CRC32, p, n);
        b = crc_table(tab32, p, n);
        c = crc_slice4(tab32, p, n);
        d = crc32_hw(p, n);
    }
    if (a != b || a != c || a != d) {
        printf("bench-crc: %s mismatch: bitwise %08x table %08x slice4 %08x hw %08x\n",
               castagnoli ? "crc32c" : "crc32", (unsigned)a, (unsigned)b,
               (unsigned)c, (unsigned)d);
        *bad = 1;
    }
    return a;
}

int bench_run(struct bench_result *r)
{
    static const uint8_t check[] = "123456789";
    uint32_t seed = 0xDEC0DE42u, h = 0;
    int bad = 0;

    make_tables(POLY_CRC32, tab32);
    make_tables(POLY_CRC32C, tab32c);
    if (crc4(0, check, 9, &bad) != 0xCBF43926u ||
        crc4(1, check, 9, &bad) != 0xE3069283u) {
        printf("bench-crc: check value of \"123456789\" wrong\n");
        bad = 1;
    }

    for (unsigned i = 0; i < BUF_SIZE + 16; i++)
        buf[i] = (uint8_t)(xs32(&seed) >> 24);

    for (unsigned it = 0; it < ITERATIONS; it++) {
        /* vary alignment and length so every head/tail path runs */
        unsigned off = it % 8, len = BUF_SIZE - (it * 5) % 16;
        uint32_t c1 = crc4(0, buf + off, len, &bad);
        uint32_t c2 = crc4(1, buf + off, len, &bad);
        h = mix32(h, c1);
        h = mix32(h, c2);
        /* feed the result back into the data */
        for (unsigned k = 0; k < 64; k++)
            buf[(c1 + k * 131) % (BUF_SIZE + 16)] ^= (uint8_t)(c2 >> (k % 4 * 8));
    }

    bad |= BENCH_CHECK(h);
    (void)HAVE_HW_CRC;
    r->words[0] = h;
    r->nwords = 1;
    return bad;
}
