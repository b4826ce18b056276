/*
 * cca-emu sample realm guests: entry points.
 *
 * _start is REC 0's first PC: EL1, MMU off, x0 = the DTB's IPA. Each REC
 * takes the stack its MPIDR's REC index selects (RmiRecMpidr, RMM B4.4.18),
 * installs the EL1 vectors; REC 0 zeroes .bss and runs main(dtb), whose status
 * ends the realm. secondary_entry is where PSCI CPU_ON starts the other RECs
 * with x0 = the context ID: it runs secondary_main(context), then CPU_OFF.
 */
#include "layout.h"

/* x0 = this REC's stack top; clobbers x1, x2; hangs in WFI if the REC has no stack */
.macro rec_stack
    mrs     x1, mpidr_el1
    and     x2, x1, #0xf
    ubfx    x1, x1, #8, #8
    add     x1, x2, x1, lsl #4
    cmp     x1, #REALM_MAX_RECS
    b.hs    .Lno_stack\@
    add     x1, x1, #1
    adrp    x0, __stacks_bottom
    add     x0, x0, :lo12:__stacks_bottom
    add     x0, x0, x1, lsl #REALM_STACK_SHIFT
    b       .Lstack_done\@
.Lno_stack\@:
    wfi
    b       .Lno_stack\@
.Lstack_done\@:
.endm

    .section .text.boot, "ax", %progbits
    .global _start
    .type _start, %function
_start:
    mov     x19, x0
    msr     spsel, #1
    rec_stack
    mov     sp, x0
    adrp    x1, vectors_el1
    add     x1, x1, :lo12:vectors_el1
    msr     vbar_el1, x1
    isb

    /* zero .bss (both ends are 16-byte aligned by the linker script) */
    adrp    x0, __bss_start
    add     x0, x0, :lo12:__bss_start
    adrp    x1, __bss_end
    add     x1, x1, :lo12:__bss_end
1:  cmp     x0, x1
    b.hs    2f
    stp     xzr, xzr, [x0], #16
    b       1b
2:
    mov     x0, x19
    bl      main
    bl      realm_exit
    .size _start, . - _start

    .global secondary_entry
    .type secondary_entry, %function
secondary_entry:
    mov     x19, x0
    msr     spsel, #1
    rec_stack
    mov     sp, x0
    adrp    x1, vectors_el1
    add     x1, x1, :lo12:vectors_el1
    msr     vbar_el1, x1
    isb
    mov     x0, x19
    bl      secondary_main
    bl      psci_cpu_off
    .size secondary_entry, . - secondary_entry

/* void smc_call(struct smc_regs *r): SMC #0 with x0-x17 from r, results back into r (SMCCC 1.2) */
    .section .text.smc_call, "ax", %progbits
    .global smc_call
    .type smc_call, %function
smc_call:
    str     x0, [sp, #-16]!
    mov     x18, x0
    ldp     x0, x1, [x18, #0]
    ldp     x2, x3, [x18, #16]
    ldp     x4, x5, [x18, #32]
    ldp     x6, x7, [x18, #48]
    ldp     x8, x9, [x18, #64]
    ldp     x10, x11, [x18, #80]
    ldp     x12, x13, [x18, #96]
    ldp     x14, x15, [x18, #112]
    ldp     x16, x17, [x18, #128]
    smc     #0
    ldr     x18, [sp], #16
    stp     x0, x1, [x18, #0]
    stp     x2, x3, [x18, #16]
    stp     x4, x5, [x18, #32]
    stp     x6, x7, [x18, #48]
    stp     x8, x9, [x18, #64]
    stp     x10, x11, [x18, #80]
    stp     x12, x13, [x18, #96]
    stp     x14, x15, [x18, #112]
    stp     x16, x17, [x18, #128]
    ret
    .size smc_call, . - smc_call

    .section .note.GNU-stack, "", %progbits
