/*
 * bench-list: singly linked lists in a node pool.
 *
 * Each round builds a list of NODES pseudo-random keys (push-front), reverses
 * it, checks the generation order, merge-sorts it (stable, top-down with
 * slow/fast split), rotates and interleaves it, sorts again and walks it.
 * Independent checks: the key sum and count match the generator's, and the
 * sorted keys equal an LSD radix sort of the same keys done on an array.
 */
#include "bench.h"

#define FULL_ITERATIONS 58
#define QUICK_ITERATIONS 2
/* Verified with the host build (gcc x86-64) and qemu-aarch64. */
#define EXPECTED_FULL 0x0f3ea027u
#define EXPECTED_QUICK 0x252f8546u

#ifndef ITERATIONS
#ifdef BENCH_QUICK
#define ITERATIONS QUICK_ITERATIONS
#else
#define ITERATIONS FULL_ITERATIONS
#endif
#endif

#define NODES 4096
#define KEY_BITS 16

const char bench_name[] = "list";

struct node {
    struct node *next;
    uint32_t key;
    uint32_t seq;
};

static struct node pool[NODES];
static uint32_t keys[NODES], tmp[NODES];
static uint32_t count[256];

static struct node *build(uint32_t *seed, unsigned n, uint32_t *sum)
{
    struct node *head = 0;
    uint32_t s = 0;
    for (unsigned i = 0; i < n; i++) {
        struct node *p = &pool[i];
        uint32_t k = xs32(seed) & ((1u << KEY_BITS) - 1);
        p->key = k;
        p->seq = i;
        p->next = head;
        head = p;
        keys[i] = k;
        s += k;
    }
    *sum = s;
    return head;
}

static struct node *reverse(struct node *head)
{
    struct node *prev = 0;
    while (head) {
        struct node *next = head->next;
        head->next = prev;
        prev = head;
        head = next;
    }
    return prev;
}

static struct node *merge(struct node *a, struct node *b)
{
    struct node dummy, *tail = &dummy;
    while (a && b) {
        if (b->key < a->key) { /* ties take from a: stable */
            tail->next = b;
            b = b->next;
        } else {
            tail->next = a;
            a = a->next;
        }
        tail = tail->next;
    }
    tail->next = a ? a : b;
    return dummy.next;
}

static struct node *merge_sort(struct node *head)
{
    if (!head || !head->next)
        return head;
    struct node *slow = head, *fast = head->next;
    while (fast && fast->next) {
        slow = slow->next;
        fast = fast->next->next;
    }
    struct node *second = slow->next;
    slow->next = 0;
    return merge(merge_sort(head), merge_sort(second));
}

/* Moves the first k nodes to the end. */
static struct node *rotate(struct node *head, unsigned k)
{
    if (!head || !k)
        return head;
    struct node *p = head;
    for (unsigned i = 1; i < k && p->next; i++)
        p = p->next;
    if (!p->next)
        return head;
    struct node *new_head = p->next, *tail = new_head;
    p->next = 0;
    while (tail->next)
        tail = tail->next;
    tail->next = head;
    return new_head;
}

/* Splits into even and odd positions and appends the odd ones reversed. */
static struct node *interleave(struct node *head)
{
    struct node *even = 0, *odd = 0, **et = &even;
    unsigned i = 0;
    while (head) {
        struct node *next = head->next;
        if (i++ & 1) {
            head->next = odd;
            odd = head;
        } else {
            *et = head;
            et = &head->next;
        }
        head = next;
    }
    *et = odd;
    return even;
}

static void radix_sort(uint32_t *a, unsigned n)
{
    for (unsigned shift = 0; shift < KEY_BITS; shift += 8) {
        for (unsigned i = 0; i < 256; i++)
            count[i] = 0;
        for (unsigned i = 0; i < n; i++)
            count[(a[i] >> shift) & 255]++;
        uint32_t pos = 0;
        for (unsigned i = 0; i < 256; i++) {
            uint32_t c = count[i];
            count[i] = pos;
            pos += c;
        }
        for (unsigned i = 0; i < n; i++)
            tmp[count[(a[i] >> shift) & 255]++] = a[i];
        for (unsigned i = 0; i < n; i++)
            a[i] = tmp[i];
    }
}

int bench_run(struct bench_result *r)
{
    uint32_t seed = 0x1234567u, h = 0;
    int bad = 0;

    for (unsigned it = 0; it < ITERATIONS; it++) {
        unsigned n = NODES - (it % 7) * 13;
        uint32_t sum;
        struct node *head = build(&seed, n, &sum);

        /* after reverse the list is in generation order */
        head = reverse(head);
        unsigned i = 0;
        uint32_t walk = 0;
        for (struct node *p = head; p; p = p->next, i++) {
            if (p->seq != i || p->key != keys[i])
                bad |= 1;
            walk += p->key * (i + 1);
        }
        if (i != n)
            bad |= 1;

        head = merge_sort(head);
        radix_sort(keys, n);

        /* sorted, stable, same keys as the radix sort, same sum */
        uint32_t s = 0, c = 0;
        i = 0;
        for (struct node *p = head; p; p = p->next, i++) {
            if (i < n && p->key != keys[i])
                bad |= 2;
            if (p->next && (p->next->key < p->key ||
                            (p->next->key == p->key && p->next->seq < p->seq)))
                bad |= 2;
            s += p->key;
            c = mix32(c, p->key ^ (p->seq << 16));
        }
        if (i != n || s != sum)
            bad |= 4;

        /* scramble the order again and re-sort (unstable w.r.t. seq now) */
        head = rotate(head, n / 3 + it);
        head = interleave(head);
        head = reverse(head);
        head = merge_sort(head);
        i = 0;
        s = 0;
        for (struct node *p = head; p; p = p->next, i++) {
            if (i < n && p->key != keys[i])
                bad |= 8;
            s += p->key;
            c = mix32(c, p->seq);
        }
        if (i != n || s != sum)
            bad |= 8;

        h = mix32(h, walk);
        h = mix32(h, c);
    }
    if (bad)
        printf("bench-list: self-check failed (0x%x)\n", (unsigned)bad);

    bad |= BENCH_CHECK(h);
    r->words[0] = h;
    r->nwords = 1;
    return bad;
}
