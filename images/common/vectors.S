/*
 * cca-emu sample images: exception vector tables for EL1, EL2 and EL3.
 *
 * Each table is 2 KiB aligned with 16 entries of 0x80 bytes. Every entry
 * builds a struct exc_frame (cca.h) on the current stack (SP_ELx of the EL
 * taking the exception), calls exc_handler_elN(frame, vector_index) and
 * restores x0-x30, ELR_ELN and SPSR_ELN from the (possibly modified) frame
 * before ERET. Only general-purpose registers are saved: the images never
 * use FP/SIMD.
 */
#define FRAME 288

.macro VENTRY el, idx
    .balign 0x80
    sub     sp, sp, #FRAME
    stp     x0, x1, [sp, #0]
    mov     x1, #\idx
    b       exc_common_el\el
.endm

.macro VTABLE el
    .section .text.vectors_el\el, "ax", %progbits
    .balign 2048
    .global vectors_el\el
    .type vectors_el\el, %function
vectors_el\el:
    VENTRY \el, 0
    VENTRY \el, 1
    VENTRY \el, 2
    VENTRY \el, 3
    VENTRY \el, 4
    VENTRY \el, 5
    VENTRY \el, 6
    VENTRY \el, 7
    VENTRY \el, 8
    VENTRY \el, 9
    VENTRY \el, 10
    VENTRY \el, 11
    VENTRY \el, 12
    VENTRY \el, 13
    VENTRY \el, 14
    VENTRY \el, 15
    .size vectors_el\el, . - vectors_el\el

    .type exc_common_el\el, %function
exc_common_el\el:
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    stp     x18, x19, [sp, #144]
    stp     x20, x21, [sp, #160]
    stp     x22, x23, [sp, #176]
    stp     x24, x25, [sp, #192]
    stp     x26, x27, [sp, #208]
    stp     x28, x29, [sp, #224]
    mrs     x2, elr_el\el
    stp     x30, x2, [sp, #240]
    mrs     x2, spsr_el\el
    mrs     x3, esr_el\el
    stp     x2, x3, [sp, #256]
    mrs     x2, far_el\el
    str     x2, [sp, #272]

    mov     x0, sp
    bl      exc_handler_el\el

    ldp     x2, x3, [sp, #248]
    msr     elr_el\el, x2
    msr     spsr_el\el, x3
    ldp     x0, x1, [sp, #0]
    ldp     x2, x3, [sp, #16]
    ldp     x4, x5, [sp, #32]
    ldp     x6, x7, [sp, #48]
    ldp     x8, x9, [sp, #64]
    ldp     x10, x11, [sp, #80]
    ldp     x12, x13, [sp, #96]
    ldp     x14, x15, [sp, #112]
    ldp     x16, x17, [sp, #128]
    ldp     x18, x19, [sp, #144]
    ldp     x20, x21, [sp, #160]
    ldp     x22, x23, [sp, #176]
    ldp     x24, x25, [sp, #192]
    ldp     x26, x27, [sp, #208]
    ldp     x28, x29, [sp, #224]
    ldr     x30, [sp, #240]
    add     sp, sp, #FRAME
    eret
    .size exc_common_el\el, . - exc_common_el\el
.endm

    VTABLE 1
    VTABLE 2
    VTABLE 3

    .section .note.GNU-stack, "", %progbits
