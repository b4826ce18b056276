/*
 * realm-memory: the realm's IPA states (RMM A5.2, B5.3.5, B5.3.6). Reads the
 * RIPAS of a 64 KiB range of its RAM, gives the range up (RIPAS EMPTY, asking
 * again on partial progress), shares it with the host through the
 * Unprotected alias (the host backs it with Non-secure memory,
 * RMI_RTT_MAP_UNPROTECTED) and has the host print a message from it
 * (host call 0xCCA2), touches the protected IPA whose RIPAS is now EMPTY and
 * takes the synchronous external abort the RMM injects (A5.2.3), then takes
 * the range back as RAM.
 */
#include "realm.h"

#define RANGE_SIZE 0x10000ul
static uint8_t range[RANGE_SIZE] __attribute__((aligned(RANGE_SIZE)));

static const char *ripas_name(unsigned ripas)
{
    return ripas == RSI_RIPAS_EMPTY ? "EMPTY" : ripas == RSI_RIPAS_RAM ? "RAM" : "?";
}

/* RSI_IPA_STATE_GET over [base, top); returns the RIPAS if one value covers all of it, else ~0u. */
static unsigned ripas_of(uint64_t base, uint64_t top)
{
    unsigned first = ~0u;
    while (base < top) {
        uint64_t next;
        unsigned ripas;
        if (rsi_ipa_state_get(base, top, &next, &ripas) != RSI_SUCCESS || next <= base)
            return ~0u;
        if (first == ~0u)
            first = ripas;
        else if (ripas != first)
            return ~0u;
        base = next;
    }
    return first;
}

int main(uint64_t dtb)
{
    console_init(dtb);
    uint64_t base = (uint64_t)(uintptr_t)range, top = base + RANGE_SIZE;
    volatile uint8_t *protected_ipa = range;
    volatile uint8_t *shared = (volatile uint8_t *)(base | realm_unprotected_bit);

    unsigned ripas = ripas_of(base, top);
    rprintf("RSI_IPA_STATE_GET [0x%lx, 0x%lx): %s\n", (unsigned long)base, (unsigned long)top, ripas_name(ripas));
    check(ripas == RSI_RIPAS_RAM, "the range starts as RAM");
    protected_ipa[0x100] = 0x5a;
    check(protected_ipa[0x100] == 0x5a, "RAM reads back what was written");

    uint64_t out_top;
    check(rsi_ipa_state_get(base + 1, top, &out_top, &ripas) == RSI_ERROR_INPUT, "IPA_STATE_GET of an unaligned base is RSI_ERROR_INPUT");
    uint64_t next, response;
    check(rsi_ipa_state_set(base, base, RSI_RIPAS_EMPTY, 0, &next, &response) == RSI_ERROR_INPUT,
          "IPA_STATE_SET of an empty range is RSI_ERROR_INPUT");
    check(rsi_ipa_state_set(base, top, 2, 0, &next, &response) == RSI_ERROR_INPUT,
          "IPA_STATE_SET to RIPAS 2 is RSI_ERROR_INPUT");
    check(rsi_ipa_state_set(base | realm_unprotected_bit, top | realm_unprotected_bit, RSI_RIPAS_EMPTY, 0, &next,
                            &response) == RSI_ERROR_INPUT,
          "IPA_STATE_SET of Unprotected IPAs is RSI_ERROR_INPUT");

    check(realm_set_ripas(base, top, RSI_RIPAS_EMPTY) == 0, "RSI_IPA_STATE_SET of 64 KiB to EMPTY");
    ripas = ripas_of(base, top);
    rprintf("RSI_IPA_STATE_GET [0x%lx, 0x%lx): %s\n", (unsigned long)base, (unsigned long)top, ripas_name(ripas));
    check(ripas == RSI_RIPAS_EMPTY, "the range is EMPTY");

    static const char message[] = "This line was written by the realm into memory it shares with the host.\n";
    for (size_t i = 0; i < sizeof(message) - 1; i++)
        shared[i] = (uint8_t)message[i];
    int intact = 1;
    for (size_t i = 0; i < sizeof(message) - 1; i++)
        intact &= shared[i] == (uint8_t)message[i];
    check(intact, "the shared buffer at the Unprotected alias reads back");
    rprintf("asking the host to print the shared buffer at IPA 0x%lx\n", (unsigned long)(uintptr_t)shared);
    check(host_call_print_shared((uint64_t)(uintptr_t)shared, sizeof(message) - 1) == 0,
          "the host printed the shared buffer (host call 0xCCA2)");

    expected_abort.armed = 1;
    uint8_t v = protected_ipa[0x100];
    (void)v;
    rprintf("access to the EMPTY IPA 0x%lx: %s, ESR 0x%lx\n", (unsigned long)(base + 0x100),
            expected_abort.taken ? "aborted" : "no abort", (unsigned long)expected_abort.esr);
    check(expected_abort.taken && ESR_EC(expected_abort.esr) == EC_DABT_CUR && ESR_FSC(expected_abort.esr) == 0x10,
          "reading a protected IPA with RIPAS EMPTY is a synchronous external abort");
    expected_abort.armed = 0;

    check(realm_set_ripas(base, top, RSI_RIPAS_RAM) == 0, "RSI_IPA_STATE_SET of the range back to RAM");
    ripas = ripas_of(base, top);
    rprintf("RSI_IPA_STATE_GET [0x%lx, 0x%lx): %s\n", (unsigned long)base, (unsigned long)top, ripas_name(ripas));
    check(ripas == RSI_RIPAS_RAM, "the range is RAM again");
    expected_abort.armed = 1;
    protected_ipa[0x200] = 0xa5;
    int ok = protected_ipa[0x200] == 0xa5 && !expected_abort.taken;
    expected_abort.armed = 0;
    check(ok, "the range is usable RAM again");

    rprintf("realm-memory: %s\n", realm_failures ? "FAIL" : "PASS");
    return realm_failures ? 1 : 0;
}
