/*
 * cca-emu sample realm guests: the runtime every realm-* image shares.
 *
 * A realm guest starts at EL1 with the MMU off and x0 = the IPA of its DTB
 * (the arm64 boot protocol, as kvmtool starts a realm). realm-common gives it
 * a stack per REC, the EL1 vectors (an unexpected exception prints ESR, ELR
 * and FAR and ends the realm), RSI and PSCI calls by SMC #0 (RMM B5.3, B6),
 * a console on the 8250 UART at its Unprotected alias and through
 * RSI_HOST_CALL, and the end of the realm. See README.md for the host-call
 * convention the hypervisor serves.
 */
#ifndef REALM_H
#define REALM_H

#include "cca.h"
#include "layout.h"

#define GRANULE_SIZE 4096ul

/* ---- SMC calls (SMCCC 1.2: arguments and results in x0-x17) ----------- */
struct smc_regs {
    uint64_t x[18];
};
/* Issues SMC #0 with x0-x17 from r, and writes x0-x17 back into r. */
void smc_call(struct smc_regs *r);

/* ---- RSI (RMM B5.3, RSI ABI 1.0) ---------------------------------------- */
#define RSI_ABI_VERSION 0x10000ul
#define RSI_VERSION 0xC4000190ul
#define RSI_FEATURES 0xC4000191ul
#define RSI_MEASUREMENT_READ 0xC4000192ul
#define RSI_MEASUREMENT_EXTEND 0xC4000193ul
#define RSI_ATTESTATION_TOKEN_INIT 0xC4000194ul
#define RSI_ATTESTATION_TOKEN_CONTINUE 0xC4000195ul
#define RSI_REALM_CONFIG 0xC4000196ul
#define RSI_IPA_STATE_SET 0xC4000197ul
#define RSI_IPA_STATE_GET 0xC4000198ul
#define RSI_HOST_CALL 0xC4000199ul

/* RsiCommandReturnCode (RMM B5.4.1) */
#define RSI_SUCCESS 0
#define RSI_ERROR_INPUT 1
#define RSI_ERROR_STATE 2
#define RSI_INCOMPLETE 3
/* RsiRipas (B5.4.7) and RsiResponse (B5.4.6) */
#define RSI_RIPAS_EMPTY 0
#define RSI_RIPAS_RAM 1
#define RSI_ACCEPT 0
#define RSI_REJECT 1

/* RsiRealmConfig (RMM B5.4.5): one granule, written by RSI_REALM_CONFIG */
struct rsi_realm_config {
    uint64_t ipa_width;
    uint64_t hash_algo; /* 0 SHA-256, 1 SHA-512 */
    uint8_t pad[0x1f0];
    uint8_t rpv[64];
    uint8_t pad2[0xdc0];
} __attribute__((aligned(4096)));

/* RsiHostCall (RMM B5.4.3): 256-byte aligned, imm at 0, gprs[0..30] at 8 */
struct rsi_host_call {
    uint16_t imm;
    uint8_t pad[6];
    uint64_t gprs[31];
} __attribute__((aligned(256)));

uint64_t rsi_version(uint64_t requested, uint64_t *lower, uint64_t *higher);
uint64_t rsi_realm_config(struct rsi_realm_config *cfg);
uint64_t rsi_measurement_read(unsigned index, uint8_t value[64]);
uint64_t rsi_measurement_extend(unsigned index, uint64_t size, const uint8_t value[64]);
uint64_t rsi_attestation_token_init(const uint8_t challenge[64], uint64_t *max_size);
uint64_t rsi_attestation_token_continue(uint64_t granule, uint64_t offset, uint64_t size, uint64_t *len);
uint64_t rsi_ipa_state_set(uint64_t base, uint64_t top, unsigned ripas, uint64_t flags,
                           uint64_t *new_base, uint64_t *response);
uint64_t rsi_ipa_state_get(uint64_t base, uint64_t top, uint64_t *out_top, unsigned *ripas);
uint64_t rsi_host_call(struct rsi_host_call *hc);
/* RIPAS of [base, top) set to `ripas`, looping on partial progress; 0 if all of it changed. */
uint64_t realm_set_ripas(uint64_t base, uint64_t top, unsigned ripas);

/* ---- host calls of the cca-emu hypervisor (README.md) -------------------- */
#define HOST_CALL_CONSOLE 0xCCA0    /* gprs[0] = count <= 232, gprs[1..29] the bytes */
#define HOST_CALL_EXIT 0xCCA1       /* gprs[0] = exit status */
#define HOST_CALL_PRINT_SHARED 0xCCA2 /* gprs[0] = Unprotected IPA, gprs[1] = length */
#define HOST_CALL_CONSOLE_MAX 232
/* The host's answer in gprs[0]: 0 done, all ones for a request it refuses */
uint64_t host_call_console(const char *s, size_t len);
uint64_t host_call_print_shared(uint64_t ipa, uint64_t len);

/* ---- PSCI (DEN0022; RMM B6: the RMM serves a realm's PSCI calls with the host) ---- */
#define PSCI_VERSION 0x84000000ul
#define PSCI_CPU_OFF 0x84000002ul
#define PSCI_CPU_ON 0xC4000003ul
#define PSCI_AFFINITY_INFO 0xC4000004ul
#define PSCI_SYSTEM_OFF 0x84000008ul
#define PSCI_SUCCESS 0
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_ALREADY_ON (-4)
#define PSCI_AFF_ON 0
#define PSCI_AFF_OFF 1
#define PSCI_AFF_ON_PENDING 2

int64_t psci_cpu_on(uint64_t mpidr, void (*entry)(void), uint64_t context);
int64_t psci_affinity_info(uint64_t mpidr);
void psci_cpu_off(void) __attribute__((noreturn));
void psci_system_off(void) __attribute__((noreturn));

/* ---- console ------------------------------------------------------------- */
/*
 * console_init() asks RSI_REALM_CONFIG for the IPA width and finds the UART in
 * the DTB: it is reached at its IPA with the Unprotected bit, 1 << (ipa_width - 1)
 * (RMM A5.2.1), set. Until then, and with console_to_host_call(1), output goes
 * through RSI_HOST_CALL instead.
 */
void console_init(uint64_t dtb);
void console_to_host_call(int on);
int rprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void console_write(const char *s, size_t len);
extern uint64_t realm_ipa_width;
extern uint64_t realm_unprotected_bit;
extern uint64_t realm_hash_algo;

/* PASS/FAIL line for one self-check; failures are counted in realm_failures. */
void check(int ok, const char *what);
extern unsigned realm_failures;

/* Ends the realm: status 0 with PSCI SYSTEM_OFF, else HOST_CALL_EXIT(status). */
void realm_exit(int status) __attribute__((noreturn));

/* ---- exceptions ---------------------------------------------------------- */
/*
 * An abort the guest provokes on purpose: while armed, a synchronous data
 * abort at EL1 is recorded here and the faulting instruction skipped.
 */
struct expected_abort {
    volatile int armed;
    volatile int taken;
    volatile uint64_t esr, far, elr;
};
extern struct expected_abort expected_abort;
/* Called for IRQs taken at EL1 (set by the guest); unset, an IRQ is unexpected. */
extern void (*irq_handler)(void);

/* ---- the DTB (fdt.c) ----------------------------------------------------- */
/*
 * Entry `entry` of the `reg` property of the index-th node under `parent` ("/"
 * or "/cpus") whose name starts with `prefix`; 0 if there is one.
 */
int fdt_node_reg(uint64_t dtb, const char *parent, const char *prefix, unsigned index, unsigned entry,
                 uint64_t *addr, uint64_t *size);
/* How many nodes under `parent` have names starting with `prefix`. */
unsigned fdt_count_nodes(uint64_t dtb, const char *parent, const char *prefix);

/* ---- the GICv3 (gic.c) ------------------------------------------------------ */
/* Finds the distributor and redistributors in the DTB and turns on affinity routing and Group 1. */
int gic_init(uint64_t dtb);
/* Wakes this REC's redistributor, puts its SGIs and PPIs in Group 1, opens the CPU interface. */
int gic_cpu_init(void);
void gic_enable_private(unsigned intid, uint8_t priority);
void gic_send_sgi(unsigned intid, uint64_t target_mpidr);
uint64_t gic_acknowledge(void); /* ICC_IAR1_EL1 */
void gic_end_of_interrupt(uint64_t iar); /* ICC_EOIR1_EL1 */
#define GIC_SPURIOUS 1023
/* Sleeps in WFI, taking interrupts, until *flag reaches value. */
void wait_for_interrupt_until(volatile unsigned *flag, unsigned value);

/* ---- REC identity --------------------------------------------------------- */
static inline uint64_t mpidr_affinity(void)
{
    return read_sysreg(mpidr_el1) & 0xff00fffffful;
}
/* The REC index RmiRecMpidr encodes: Aff0[3:0] + 16 * Aff1 (RMM B4.4.18) */
static inline unsigned rec_index(uint64_t mpidr)
{
    return (unsigned)((mpidr & 0xf) + 16 * ((mpidr >> 8) & 0xff));
}
static inline uint64_t rec_mpidr(unsigned index)
{
    return (uint64_t)(index & 0xf) | ((uint64_t)(index >> 4) << 8);
}

/* Entry of a secondary REC (start.S): stack by REC index, vectors, then secondary_main(context). */
void secondary_entry(void);
void secondary_main(uint64_t context);

/* ---- MMIO ----------------------------------------------------------------- */
static inline uint32_t mmio_read32(uint64_t a) { return *(volatile uint32_t *)a; }
static inline void mmio_write32(uint64_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline uint8_t mmio_read8(uint64_t a) { return *(volatile uint8_t *)a; }
static inline void mmio_write8(uint64_t a, uint8_t v) { *(volatile uint8_t *)a = v; }

#endif /* REALM_H */
