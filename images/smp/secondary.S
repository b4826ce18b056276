/*
 * smp: where PSCI CPU_ON starts a secondary PE (EL1, MMU off, X0 = the
 * context ID, which is the PE's index). Takes stacks[index], installs the
 * EL1 vectors and calls secondary_main(index).
 */
    .section .text.secondary_entry, "ax", %progbits
    .global secondary_entry
    .type secondary_entry, %function
secondary_entry:
    msr     spsel, #1
    adrp    x1, stacks
    add     x1, x1, :lo12:stacks
    add     x2, x0, #1
    lsl     x2, x2, #12          /* 4 KiB per PE: the top of stacks[index] */
    add     sp, x1, x2
    adrp    x1, vectors_el1
    add     x1, x1, :lo12:vectors_el1
    msr     vbar_el1, x1
    isb
    bl      secondary_main
1:  wfi
    b       1b
    .size secondary_entry, . - secondary_entry

    .section .note.GNU-stack, "", %progbits
