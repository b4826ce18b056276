/*
 * cca-emu sample realm guests: RSI and PSCI calls, the console, the end of the
 * realm and the EL1 exception handler (see realm.h).
 */
#include "realm.h"

uint64_t realm_ipa_width;
uint64_t realm_unprotected_bit;
uint64_t realm_hash_algo;
unsigned realm_failures;
struct expected_abort expected_abort;
void (*irq_handler)(void);

static struct rsi_realm_config config;
static struct rsi_host_call host_call;
static uint64_t uart; /* the UART's Unprotected IPA; 0 until console_init finds it */
static int via_host_call;

/* ---- RSI ------------------------------------------------------------------- */

static uint64_t smc(struct smc_regs *r)
{
    smc_call(r);
    return r->x[0];
}

static void value_to_regs(struct smc_regs *r, unsigned first, const uint8_t value[64])
{
    memcpy(&r->x[first], value, 64);
}

uint64_t rsi_version(uint64_t requested, uint64_t *lower, uint64_t *higher)
{
    struct smc_regs r = {{RSI_VERSION, requested}};
    uint64_t status = smc(&r);
    *lower = r.x[1];
    *higher = r.x[2];
    return status;
}

uint64_t rsi_realm_config(struct rsi_realm_config *cfg)
{
    struct smc_regs r = {{RSI_REALM_CONFIG, (uint64_t)(uintptr_t)cfg}};
    return smc(&r);
}

uint64_t rsi_measurement_read(unsigned index, uint8_t value[64])
{
    struct smc_regs r = {{RSI_MEASUREMENT_READ, index}};
    uint64_t status = smc(&r);
    memcpy(value, &r.x[1], 64);
    return status;
}

uint64_t rsi_measurement_extend(unsigned index, uint64_t size, const uint8_t value[64])
{
    struct smc_regs r = {{RSI_MEASUREMENT_EXTEND, index, size}};
    value_to_regs(&r, 3, value);
    return smc(&r);
}

uint64_t rsi_attestation_token_init(const uint8_t challenge[64], uint64_t *max_size)
{
    struct smc_regs r = {{RSI_ATTESTATION_TOKEN_INIT}};
    value_to_regs(&r, 1, challenge);
    uint64_t status = smc(&r);
    *max_size = r.x[1];
    return status;
}

uint64_t rsi_attestation_token_continue(uint64_t granule, uint64_t offset, uint64_t size, uint64_t *len)
{
    struct smc_regs r = {{RSI_ATTESTATION_TOKEN_CONTINUE, granule, offset, size}};
    uint64_t status = smc(&r);
    *len = r.x[1];
    return status;
}

uint64_t rsi_ipa_state_set(uint64_t base, uint64_t top, unsigned ripas, uint64_t flags,
                           uint64_t *new_base, uint64_t *response)
{
    struct smc_regs r = {{RSI_IPA_STATE_SET, base, top, ripas, flags}};
    uint64_t status = smc(&r);
    *new_base = r.x[1];
    *response = r.x[2];
    return status;
}

uint64_t rsi_ipa_state_get(uint64_t base, uint64_t top, uint64_t *out_top, unsigned *ripas)
{
    struct smc_regs r = {{RSI_IPA_STATE_GET, base, top}};
    uint64_t status = smc(&r);
    *out_top = r.x[1];
    *ripas = (unsigned)r.x[2];
    return status;
}

uint64_t rsi_host_call(struct rsi_host_call *hc)
{
    struct smc_regs r = {{RSI_HOST_CALL, (uint64_t)(uintptr_t)hc}};
    return smc(&r);
}

uint64_t realm_set_ripas(uint64_t base, uint64_t top, unsigned ripas)
{
    /* RMM B5.3.6: the host may change part of the range; ask again from where it stopped */
    while (base < top) {
        uint64_t next, response;
        uint64_t status = rsi_ipa_state_set(base, top, ripas, 0, &next, &response);
        if (status != RSI_SUCCESS)
            return status;
        if (response == RSI_REJECT)
            return 0x100 | RSI_REJECT;
        if (next <= base || next > top)
            return 0x200; /* no progress, or past the range: not what B5.3.6 allows */
        base = next;
    }
    return 0;
}

/* ---- host calls ------------------------------------------------------------ */

static uint64_t host_call_gprs0(void)
{
    if (rsi_host_call(&host_call) != RSI_SUCCESS)
        return ~0ul;
    return host_call.gprs[0];
}

uint64_t host_call_console(const char *s, size_t len)
{
    uint64_t result = 0;
    while (len > 0 && result == 0) {
        size_t n = len < HOST_CALL_CONSOLE_MAX ? len : HOST_CALL_CONSOLE_MAX;
        memset(&host_call, 0, sizeof(host_call));
        host_call.imm = HOST_CALL_CONSOLE;
        host_call.gprs[0] = n;
        memcpy(&host_call.gprs[1], s, n); /* little-endian: byte k in gprs[1 + k / 8] bits 8 * (k % 8) */
        result = host_call_gprs0();
        s += n;
        len -= n;
    }
    return result;
}

uint64_t host_call_print_shared(uint64_t ipa, uint64_t len)
{
    memset(&host_call, 0, sizeof(host_call));
    host_call.imm = HOST_CALL_PRINT_SHARED;
    host_call.gprs[0] = ipa;
    host_call.gprs[1] = len;
    return host_call_gprs0();
}

/* ---- PSCI ------------------------------------------------------------------- */

int64_t psci_cpu_on(uint64_t mpidr, void (*entry)(void), uint64_t context)
{
    struct smc_regs r = {{PSCI_CPU_ON, mpidr, (uint64_t)(uintptr_t)entry, context}};
    return (int64_t)smc(&r);
}

int64_t psci_affinity_info(uint64_t mpidr)
{
    struct smc_regs r = {{PSCI_AFFINITY_INFO, mpidr, 0}};
    return (int64_t)smc(&r);
}

void psci_cpu_off(void)
{
    struct smc_regs r = {{PSCI_CPU_OFF}};
    smc(&r);
    rprintf("FAIL: PSCI CPU_OFF returned %ld\n", (long)r.x[0]);
    realm_exit(1);
}

void psci_system_off(void)
{
    struct smc_regs r = {{PSCI_SYSTEM_OFF}};
    smc(&r);
    for (;;)
        __asm__ volatile("wfi");
}

/* ---- console ---------------------------------------------------------------- */

#define UART_THR 0
#define UART_LSR 5
#define UART_LSR_THRE 0x20

void console_init(uint64_t dtb)
{
    if (rsi_realm_config(&config) != RSI_SUCCESS) {
        rprintf("FAIL: RSI_REALM_CONFIG\n");
        realm_exit(1);
    }
    realm_ipa_width = config.ipa_width;
    realm_hash_algo = config.hash_algo;
    realm_unprotected_bit = 1ul << (realm_ipa_width - 1);
    uint64_t base, size;
    if (fdt_node_reg(dtb, "/", "uart@", 0, 0, &base, &size) == 0)
        uart = base | realm_unprotected_bit;
}

void console_to_host_call(int on)
{
    via_host_call = on;
}

static void uart_write(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        /* THRE is always set on kvmtool's UART; a bounded wait keeps a real one honest */
        for (unsigned spins = 0; !(mmio_read8(uart + UART_LSR) & UART_LSR_THRE) && spins < 1000; spins++)
            ;
        mmio_write8(uart + UART_THR, (uint8_t)s[i]);
    }
}

void console_write(const char *s, size_t len)
{
    if (uart && !via_host_call)
        uart_write(s, len);
    else
        host_call_console(s, len);
}

int rprintf(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    console_write(buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
    return n;
}

void check(int ok, const char *what)
{
    rprintf("%s: %s\n", ok ? "PASS" : "FAIL", what);
    if (!ok)
        realm_failures++;
}

void realm_exit(int status)
{
    if (status != 0) {
        memset(&host_call, 0, sizeof(host_call));
        host_call.imm = HOST_CALL_EXIT;
        host_call.gprs[0] = (uint64_t)(int64_t)status;
        rsi_host_call(&host_call);
    }
    psci_system_off();
}

/* ---- exceptions --------------------------------------------------------------- */

#define VEC_CUR_SPX_IRQ 5

__attribute__((weak)) void secondary_main(uint64_t context)
{
    rprintf("FAIL: REC %u started (context %lu) but this realm has no secondary_main\n",
            rec_index(mpidr_affinity()), (unsigned long)context);
    realm_exit(1);
}

void exc_handler_el1(struct exc_frame *f, unsigned vec)
{
    if (vec == VEC_CUR_SPX_SYNC && ESR_EC(f->esr) == EC_DABT_CUR && expected_abort.armed) {
        expected_abort.armed = 0;
        expected_abort.taken = 1;
        expected_abort.esr = f->esr;
        expected_abort.far = f->far;
        expected_abort.elr = f->elr;
        f->elr += 4;
        return;
    }
    if (vec == VEC_CUR_SPX_IRQ && irq_handler) {
        irq_handler();
        return;
    }
    rprintf("unexpected exception on REC %u: vector %u ESR 0x%lx ELR 0x%lx FAR 0x%lx SPSR 0x%lx\n",
            rec_index(mpidr_affinity()), vec, (unsigned long)f->esr, (unsigned long)f->elr,
            (unsigned long)f->far, (unsigned long)f->spsr);
    realm_exit(2);
}
