/*
 * realm-measure: the realm's measurements (RMM A7.1). Reads the RIM and
 * REM0-3 with RSI_MEASUREMENT_READ (B5.3.8), extends REM1 twice with
 * RSI_MEASUREMENT_EXTEND (B5.3.7), reads them all back and checks that each
 * extension changed REM1 and nothing else; hostile requests (index 0 = the
 * RIM, index 5, size above 64) get RSI_ERROR_INPUT and change nothing.
 */
#include "realm.h"

#define MEASUREMENTS 5
static uint8_t before[MEASUREMENTS][64], once[MEASUREMENTS][64], twice[MEASUREMENTS][64], after[MEASUREMENTS][64];

static const char *const names[MEASUREMENTS] = {"RIM ", "REM0", "REM1", "REM2", "REM3"};

static int read_all(uint8_t m[MEASUREMENTS][64])
{
    for (unsigned i = 0; i < MEASUREMENTS; i++)
        if (rsi_measurement_read(i, m[i]) != RSI_SUCCESS)
            return 0;
    return 1;
}

static void print_all(const char *when, uint8_t m[MEASUREMENTS][64])
{
    /* The measurement is as long as the realm's hash: 32 bytes of SHA-256, 64 of SHA-512 */
    unsigned bytes = realm_hash_algo == 0 ? 32 : 64;
    rprintf("%s:\n", when);
    for (unsigned i = 0; i < MEASUREMENTS; i++) {
        char hex[129];
        for (unsigned b = 0; b < bytes; b++)
            snprintf(&hex[2 * b], 3, "%02x", m[i][b]);
        rprintf("  %s %s\n", names[i], hex);
    }
}

static int same(uint8_t a[64], uint8_t b[64])
{
    return memcmp(a, b, 64) == 0;
}

static int others_same(uint8_t a[MEASUREMENTS][64], uint8_t b[MEASUREMENTS][64])
{
    for (unsigned i = 0; i < MEASUREMENTS; i++)
        if (i != 2 && !same(a[i], b[i]))
            return 0;
    return 1;
}

int main(uint64_t dtb)
{
    console_init(dtb);
    check(read_all(before), "RSI_MEASUREMENT_READ of the RIM and REM0-3");
    print_all("measurements at start", before);
    static const uint8_t zero[64];
    check(same(before[1], (uint8_t *)zero) && same(before[2], (uint8_t *)zero) && same(before[3], (uint8_t *)zero) &&
              same(before[4], (uint8_t *)zero),
          "the REMs start as zeros");

    uint8_t value[64] = "cca-emu realm-measure: the first extension of REM1";
    check(rsi_measurement_extend(2, 50, value) == RSI_SUCCESS, "RSI_MEASUREMENT_EXTEND of REM1 with 50 bytes");
    check(read_all(once), "read back");
    for (unsigned i = 0; i < 64; i++)
        value[i] = (uint8_t)(i * 7 + 1);
    check(rsi_measurement_extend(2, 64, value) == RSI_SUCCESS, "RSI_MEASUREMENT_EXTEND of REM1 with 64 bytes");
    check(read_all(twice), "read back");
    print_all("after two extensions of REM1", twice);
    check(!same(before[2], once[2]) && !same(once[2], twice[2]), "each extension changed REM1");
    check(others_same(before, once) && others_same(once, twice), "the RIM and the other REMs did not change");

    check(rsi_measurement_extend(0, 32, value) == RSI_ERROR_INPUT, "extending the RIM (index 0) is RSI_ERROR_INPUT");
    check(rsi_measurement_extend(5, 32, value) == RSI_ERROR_INPUT, "extending index 5 is RSI_ERROR_INPUT");
    check(rsi_measurement_extend(2, 65, value) == RSI_ERROR_INPUT, "extending with 65 bytes is RSI_ERROR_INPUT");
    check(rsi_measurement_extend(0, ~0ul, value) == RSI_ERROR_INPUT, "index 0 with size 2^64-1 is RSI_ERROR_INPUT");
    uint8_t scratch[64];
    check(rsi_measurement_read(5, scratch) == RSI_ERROR_INPUT, "reading index 5 is RSI_ERROR_INPUT");
    check(read_all(after) && others_same(twice, after) && same(twice[2], after[2]), "refused requests changed nothing");

    rprintf("realm-measure: %s\n", realm_failures ? "FAIL" : "PASS");
    return realm_failures ? 1 : 0;
}
