/*
 * cca-emu sample realm guests: just enough of a flattened device tree reader
 * to find a device's registers and count the CPUs (Devicetree Specification
 * v0.4, chapter 5: a big-endian header, then a token stream of nodes and
 * properties). Reads byte by byte: with the MMU off every access is to
 * Device memory, where unaligned accesses fault.
 */
#include "realm.h"

#define FDT_MAGIC 0xd00dfeed
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9

static uint32_t be32(uint64_t at)
{
    const volatile uint8_t *p = (const volatile uint8_t *)at;
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static int name_has_prefix(uint64_t name, const char *prefix)
{
    for (; *prefix; prefix++, name++)
        if (*(const volatile char *)name != *prefix)
            return 0;
    return 1;
}

static uint64_t align4(uint64_t v)
{
    return (v + 3) & ~3ul;
}

static size_t cstrlen(uint64_t s)
{
    size_t n = 0;
    while (((const volatile char *)s)[n])
        n++;
    return n;
}

static int name_is(uint64_t name, const char *s)
{
    return name_has_prefix(name, s) && cstrlen(name) == strlen(s);
}

/*
 * Walks the children of `parent` ("/" for the root's, else "/name" of a root
 * child) whose names start with `prefix`, and finds the `reg` property of the
 * index-th one (*reg, *reg_len). Returns how many children matched.
 */
static unsigned walk(uint64_t dtb, const char *parent, const char *prefix, unsigned index,
                     uint64_t *reg, uint32_t *reg_len)
{
    if (be32(dtb) != FDT_MAGIC)
        return 0;
    uint64_t p = dtb + be32(dtb + 8);
    uint64_t strings = dtb + be32(dtb + 12);
    int want_root = parent[0] == '/' && parent[1] == '\0';
    int parent_depth = want_root ? 1 : 2;
    int depth = 0;
    int in_parent = 0;
    int in_match = 0; /* inside the index-th matching child */
    unsigned matched = 0;
    for (;;) {
        uint32_t token = be32(p);
        p += 4;
        if (token == FDT_BEGIN_NODE) {
            depth++;
            uint64_t name = p;
            p = align4(p + cstrlen(p) + 1);
            if (depth == parent_depth && (want_root || name_is(name, parent + 1)))
                in_parent = 1;
            else if (in_parent && depth == parent_depth + 1 && name_has_prefix(name, prefix)) {
                in_match = matched == index;
                matched++;
            }
        } else if (token == FDT_END_NODE) {
            if (depth == parent_depth + 1)
                in_match = 0;
            if (depth == parent_depth)
                in_parent = 0;
            depth--;
        } else if (token == FDT_PROP) {
            uint32_t len = be32(p);
            uint64_t name = strings + be32(p + 4);
            uint64_t value = p + 8;
            p = align4(value + len);
            if (in_match && depth == parent_depth + 1 && name_is(name, "reg")) {
                *reg = value;
                *reg_len = len;
            }
        } else if (token != FDT_NOP) {
            return matched; /* FDT_END, or a malformed tree */
        }
    }
}

int fdt_node_reg(uint64_t dtb, const char *parent, const char *prefix, unsigned index, unsigned entry,
                 uint64_t *addr, uint64_t *size)
{
    uint64_t reg = 0;
    uint32_t len = 0;
    walk(dtb, parent, prefix, index, &reg, &len);
    /* The realm's DTB: two address and two size cells at the root, one address cell in /cpus */
    int root = parent[0] == '/' && parent[1] == '\0';
    uint32_t entry_len = root ? 16 : 4;
    if (!reg || (entry + 1) * entry_len > len)
        return -1;
    uint64_t at = reg + entry * entry_len;
    if (root) {
        *addr = ((uint64_t)be32(at) << 32) | be32(at + 4);
        *size = ((uint64_t)be32(at + 8) << 32) | be32(at + 12);
    } else {
        *addr = be32(at);
        *size = 0;
    }
    return 0;
}

unsigned fdt_count_nodes(uint64_t dtb, const char *parent, const char *prefix)
{
    uint64_t reg;
    uint32_t len;
    return walk(dtb, parent, prefix, ~0u, &reg, &len);
}
