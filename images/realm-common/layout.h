/*
 * cca-emu sample realm guests: the stacks, shared by start.S and the C code
 * (link.ld reserves REALM_MAX_RECS * REALM_STACK_SIZE bytes; keep it in step).
 */
#ifndef REALM_LAYOUT_H
#define REALM_LAYOUT_H
#define REALM_MAX_RECS 8
#define REALM_STACK_SHIFT 12
#define REALM_STACK_SIZE (1 << REALM_STACK_SHIFT)
#endif
