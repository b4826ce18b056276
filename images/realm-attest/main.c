/*
 * realm-attest: a CCA attestation token for a fixed 64-byte challenge
 * (RMM A7.2.2): RSI_ATTESTATION_TOKEN_INIT, then RSI_ATTESTATION_TOKEN_CONTINUE
 * until it reports success, filling granule after granule of a buffer
 * (B5.3.1, B5.3.2). Prints the token's length and the token as hex lines,
 * and checks what a realm can: the CBOR tag of a CCA token (399), the
 * challenge inside it, and that CONTINUE after the end is a state error.
 */
#include "realm.h"

#define TOKEN_GRANULES 4
static uint8_t token[TOKEN_GRANULES * GRANULE_SIZE] __attribute__((aligned(4096)));

static int contains(const uint8_t *hay, size_t n, const uint8_t *needle, size_t m)
{
    for (size_t i = 0; i + m <= n; i++)
        if (memcmp(hay + i, needle, m) == 0)
            return 1;
    return 0;
}

static void print_hex_lines(const uint8_t *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    char line[65];
    for (size_t at = 0; at < n; at += 32) {
        size_t k = 0;
        for (size_t i = at; i < n && i < at + 32; i++) {
            line[k++] = digits[p[i] >> 4];
            line[k++] = digits[p[i] & 15];
        }
        line[k++] = '\n';
        console_write(line, k);
    }
}

int main(uint64_t dtb)
{
    console_init(dtb);
    uint8_t challenge[64];
    for (unsigned i = 0; i < 64; i++)
        challenge[i] = (uint8_t)(0xc0 + i);

    uint64_t upper_bound;
    uint64_t status = rsi_attestation_token_init(challenge, &upper_bound);
    rprintf("RSI_ATTESTATION_TOKEN_INIT: status %lu, token at most %lu bytes\n", (unsigned long)status,
            (unsigned long)upper_bound);
    check(status == RSI_SUCCESS, "RSI_ATTESTATION_TOKEN_INIT with a 64-byte challenge");
    if (status != RSI_SUCCESS)
        return 1;

    size_t length = 0;
    unsigned calls = 0;
    uint64_t offset = 0;
    unsigned granule = 0;
    for (;;) {
        uint64_t len;
        status = rsi_attestation_token_continue((uint64_t)(uintptr_t)&token[granule * GRANULE_SIZE], offset,
                                                GRANULE_SIZE - offset, &len);
        calls++;
        if (status != RSI_SUCCESS && status != RSI_INCOMPLETE)
            break;
        length += len;
        offset += len;
        if (status == RSI_SUCCESS)
            break;
        if (offset == GRANULE_SIZE) {
            offset = 0;
            if (++granule == TOKEN_GRANULES)
                break;
        }
    }
    rprintf("RSI_ATTESTATION_TOKEN_CONTINUE: status %lu after %u calls, token %lu bytes\n",
            (unsigned long)status, calls, (unsigned long)length);
    check(status == RSI_SUCCESS, "the token fits in the buffer and CONTINUE completes");
    check(length > 0 && length <= upper_bound, "the token is no longer than INIT said");

    /* CBOR tag 399 (0xd9 0x01 0x8f) opens a CCA token (RMM A7.2.3) */
    check(token[0] == 0xd9 && token[1] == 0x01 && token[2] == 0x8f, "the token carries the CCA token tag 399");
    check(contains(token, length, challenge, sizeof(challenge)), "the realm token holds the challenge");

    uint64_t len;
    status = rsi_attestation_token_continue((uint64_t)(uintptr_t)token, 0, GRANULE_SIZE, &len);
    check(status == RSI_ERROR_STATE, "CONTINUE after the token is complete is RSI_ERROR_STATE");

    rprintf("token (%lu bytes):\n", (unsigned long)length);
    console_to_host_call(1); /* 65 bytes per host call, not one UART exit per byte */
    print_hex_lines(token, length);
    console_to_host_call(0);

    rprintf("realm-attest: %s\n", realm_failures ? "FAIL" : "PASS");
    return realm_failures ? 1 : 0;
}
