/*
 * realm-hello: the first things a realm guest does. RSI_VERSION (RMM B5.3.10)
 * for ABI 1.0 and for an unknown 2.0, RSI_FEATURES (B5.3.3), RSI_REALM_CONFIG
 * (B5.3.9) for the IPA width and hash algorithm, the DTB the host passed in
 * x0, then one line through the 8250 UART at its Unprotected alias and one
 * through RSI_HOST_CALL.
 */
#include "realm.h"

int main(uint64_t dtb)
{
    console_init(dtb);
    rprintf("realm-hello: DTB at IPA 0x%lx\n", (unsigned long)dtb);

    uint64_t lower, higher;
    uint64_t status = rsi_version(RSI_ABI_VERSION, &lower, &higher);
    rprintf("RSI_VERSION(1.0): status %lu, lower %lu.%lu, higher %lu.%lu\n", (unsigned long)status,
            (unsigned long)(lower >> 16), (unsigned long)(lower & 0xffff),
            (unsigned long)(higher >> 16), (unsigned long)(higher & 0xffff));
    check(status == RSI_SUCCESS && lower == RSI_ABI_VERSION, "RSI ABI 1.0 is implemented");
    status = rsi_version(0x20000, &lower, &higher);
    check(status == RSI_ERROR_INPUT && lower == RSI_ABI_VERSION, "RSI_VERSION(2.0) is refused with the versions offered");

    struct smc_regs features = {{RSI_FEATURES, 0}};
    smc_call(&features);
    check(features.x[0] == RSI_SUCCESS && features.x[1] == 0, "RSI_FEATURES(0) reads as zero");

    rprintf("RSI_REALM_CONFIG: ipa_width %lu, hash_algo %lu (%s)\n", (unsigned long)realm_ipa_width,
            (unsigned long)realm_hash_algo, realm_hash_algo == 0 ? "SHA-256" : "SHA-512");
    check(realm_ipa_width >= 33 && realm_ipa_width <= 48, "the IPA width is one a realm can have");

    uint64_t base = 0, size = 0;
    if (fdt_node_reg(dtb, "/", "memory@", 0, 0, &base, &size) == 0)
        rprintf("DTB: memory at IPA 0x%lx, %lu MiB\n", (unsigned long)base, (unsigned long)(size >> 20));
    check(base == 0x80000000ul && dtb > base && dtb < base + size, "the DTB lies in the realm's RAM at 0x8000_0000");
    uint64_t uart = 0, uart_size = 0;
    check(fdt_node_reg(dtb, "/", "uart@", 0, 0, &uart, &uart_size) == 0 && uart + uart_size <= realm_unprotected_bit,
          "the DTB's UART lies below the Unprotected alias bit");
    rprintf("DTB: %u CPU(s), UART at IPA 0x%lx, reached at 0x%lx\n", fdt_count_nodes(dtb, "/cpus", "cpu@"),
            (unsigned long)uart, (unsigned long)(uart | realm_unprotected_bit));

    rprintf("Hello from the realm, through the UART at its Unprotected alias\n");
    static const char line[] = "Hello from the realm, through RSI_HOST_CALL\n";
    check(host_call_console(line, sizeof(line) - 1) == 0, "the host took a console line by host call");

    rprintf("realm-hello: %s\n", realm_failures ? "FAIL" : "PASS");
    return realm_failures ? 1 : 0;
}
