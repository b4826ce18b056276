/*
 * cca-emu sample images: common entry point.
 *
 * Entered at the ELF entry with the MMU off and SP undefined, at EL1, EL2 or
 * EL3. X0 at entry is kept in boot_arg0 (a runner may pass a request there,
 * see bench_main.c). Selects SP_ELx, sets the stack, installs the default
 * vector table of the current EL (reports unexpected exceptions), zeroes
 * .bss and calls main(); main's return value goes to exit() which ends the
 * run with semihosting SYS_EXIT_EXTENDED.
 */
    .section .text.boot, "ax", %progbits
    .global _start
    .type _start, %function
_start:
    mov     x19, x0
    msr     spsel, #1
    adrp    x0, __stack_top
    add     x0, x0, :lo12:__stack_top
    mov     sp, x0

    mrs     x0, CurrentEL
    ubfx    x0, x0, #2, #2
    cmp     x0, #3
    b.eq    1f
    cmp     x0, #2
    b.eq    2f
    adrp    x1, vectors_el1
    add     x1, x1, :lo12:vectors_el1
    msr     vbar_el1, x1
    b       3f
1:  adrp    x1, vectors_el3
    add     x1, x1, :lo12:vectors_el3
    msr     vbar_el3, x1
    b       3f
2:  adrp    x1, vectors_el2
    add     x1, x1, :lo12:vectors_el2
    msr     vbar_el2, x1
3:  isb

    /* zero .bss (both ends are 16-byte aligned by the linker script) */
    adrp    x0, __bss_start
    add     x0, x0, :lo12:__bss_start
    adrp    x1, __bss_end
    add     x1, x1, :lo12:__bss_end
4:  cmp     x0, x1
    b.hs    5f
    stp     xzr, xzr, [x0], #16
    b       4b
5:
    adrp    x0, boot_arg0
    str     x19, [x0, :lo12:boot_arg0]
    mov     x0, #0
    mov     x1, #0
    bl      main
    bl      exit
6:  wfi
    b       6b
    .size _start, . - _start

    .section .data
    .balign 8
    .global boot_arg0
boot_arg0:
    .quad   0

    .section .note.GNU-stack, "", %progbits
