/*
 * heap.c - a partition's heap (MEM-18), see heap.h.
 *
 * Each block starts with a 16-byte header holding its payload size (and, while free, the next
 * free block), so payloads are 16-byte aligned like malloc's. Free blocks are kept in address
 * order so that a freed block merges with the free blocks on either side.
 */
#include "heap.h"

#include <stdint.h>
#include <string.h>

struct heap_block {
    size_t size;             /* payload bytes after the header */
    struct heap_block *next; /* free list (free blocks only) */
};

_Static_assert(sizeof(struct heap_block) <= SIM_HEAP_HEADER, "header fits");

#define ALIGN 16u
#define MIN_SPLIT (SIM_HEAP_HEADER + ALIGN) /* a remainder smaller than this stays attached */

static unsigned char *payload(struct heap_block *b)
{
    return (unsigned char *)b + SIM_HEAP_HEADER;
}

static struct heap_block *header(void *p)
{
    return (struct heap_block *)(void *)((unsigned char *)p - SIM_HEAP_HEADER);
}

void sim_heap_init(struct sim_heap *h, void *base, size_t size)
{
    uintptr_t start = ((uintptr_t)base + ALIGN - 1) / ALIGN * ALIGN;
    size_t lost = (size_t)(start - (uintptr_t)base);
    h->base = base;
    h->size = size;
    h->free = NULL;
    if (base != NULL && size >= lost + MIN_SPLIT) {
        h->free = (struct heap_block *)start;
        h->free->size = (size - lost - SIM_HEAP_HEADER) / ALIGN * ALIGN;
        h->free->next = NULL;
    }
}

bool sim_heap_owns(const struct sim_heap *h, const void *p)
{
    uintptr_t a = (uintptr_t)p, b = (uintptr_t)h->base;
    return h->base != NULL && a >= b && a - b < h->size;
}

/* ffm-rule: MEM-18 */
void *sim_heap_malloc(struct sim_heap *h, size_t n)
{
    if (n == 0 || n > h->size) {
        return NULL;
    }
    size_t want = (n + ALIGN - 1) / ALIGN * ALIGN;
    for (struct heap_block **link = &h->free; *link != NULL; link = &(*link)->next) {
        struct heap_block *b = *link;
        if (b->size < want) {
            continue;
        }
        if (b->size >= want + MIN_SPLIT) { /* the rest stays free, in place in the list */
            struct heap_block *rest = (struct heap_block *)(void *)(payload(b) + want);
            rest->size = b->size - want - SIM_HEAP_HEADER;
            rest->next = b->next;
            b->size = want;
            *link = rest;
        } else {
            *link = b->next;
        }
        b->next = NULL;
        return payload(b);
    }
    return NULL;
}

void *sim_heap_calloc(struct sim_heap *h, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size) {
        return NULL;
    }
    void *p = sim_heap_malloc(h, count * size);
    if (p != NULL) {
        memset(p, 0, count * size);
    }
    return p;
}

/* Merge b with the free block right after it when they touch. */
static void merge_next(struct heap_block *b)
{
    if (b->next != NULL && payload(b) + b->size == (unsigned char *)b->next) {
        b->size += SIM_HEAP_HEADER + b->next->size;
        b->next = b->next->next;
    }
}

void sim_heap_free(struct sim_heap *h, void *p)
{
    if (p == NULL) {
        return;
    }
    struct heap_block *b = header(p);
    struct heap_block *prev = NULL;
    struct heap_block *at = h->free;
    while (at != NULL && at < b) {
        prev = at;
        at = at->next;
    }
    b->next = at;
    if (prev == NULL) {
        h->free = b;
    } else {
        prev->next = b;
    }
    merge_next(b);
    if (prev != NULL) {
        merge_next(prev);
    }
}

void *sim_heap_realloc(struct sim_heap *h, void *p, size_t n)
{
    if (p == NULL) {
        return sim_heap_malloc(h, n);
    }
    if (n == 0) {
        sim_heap_free(h, p);
        return NULL;
    }
    struct heap_block *b = header(p);
    if (n <= b->size) {
        return p;
    }
    void *q = sim_heap_malloc(h, n);
    if (q != NULL) { /* on failure the old block is untouched, as realloc promises */
        memcpy(q, p, b->size);
        sim_heap_free(h, p);
    }
    return q;
}

size_t sim_heap_largest(const struct sim_heap *h)
{
    size_t best = 0;
    for (const struct heap_block *b = h->free; b != NULL; b = b->next) {
        best = b->size > best ? b->size : best;
    }
    return best;
}
