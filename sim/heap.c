/*
 * heap.c - a partition's heap (MEM-18), see heap.h.
 *
 * The region is cut into 16-byte granules; the block table outside it records, at the first
 * granule of each allocated block, how many granules the block spans. Free granules are the
 * ones no block covers, so a freed block merges with its free neighbours by itself. Heaps are
 * small (the manifest's heap_size), so a first-fit walk over the table is cheap enough.
 * Invariant: every byte of a free granule is 0 (the region is zeroed at init and every freed
 * granule is scrubbed), which is what makes malloc's memory zeroed without a memset.
 */
#include "heap.h"

#include <assert.h>
#include <string.h>

void sim_heap_init(struct sim_heap *h, void *base, size_t size, uint32_t *runs)
{
    bool usable = base != NULL && runs != NULL && size > 0;
    assert(!usable || (uintptr_t)base % SIM_HEAP_ALIGN == 0);
    h->base = usable ? base : NULL;
    h->size = usable ? size : 0;
    h->granules = SIM_HEAP_GRANULES(h->size);
    h->runs = usable ? runs : NULL;
    if (usable) {
        memset(base, 0, size);
        memset(runs, 0, h->granules * sizeof *runs);
    }
}

bool sim_heap_owns(const struct sim_heap *h, const void *p)
{
    uintptr_t a = (uintptr_t)p, b = (uintptr_t)h->base;
    return h->base != NULL && a >= b && a - b < h->size;
}

/* Bytes of the block of `len` granules starting at granule g (the last granule may be cut
 * short by the end of the region). */
static size_t block_bytes(const struct sim_heap *h, size_t g, size_t len)
{
    size_t end = (g + len) * SIM_HEAP_ALIGN;
    return (end < h->size ? end : h->size) - g * SIM_HEAP_ALIGN;
}

/* Scrub and release granules [g, g + len). */
static void release(struct sim_heap *h, size_t g, size_t len)
{
    memset(h->base + g * SIM_HEAP_ALIGN, 0, block_bytes(h, g, len));
}

/* The granule of a block the heap handed out, or SIZE_MAX for any other pointer. */
static size_t block_of(const struct sim_heap *h, const void *p)
{
    if (!sim_heap_owns(h, p)) {
        return SIZE_MAX;
    }
    size_t off = (size_t)((const unsigned char *)p - h->base);
    size_t g = off / SIM_HEAP_ALIGN;
    return off % SIM_HEAP_ALIGN == 0 && h->runs[g] != 0 ? g : SIZE_MAX;
}

/* One step of a first-fit walk over the granules: skip allocated blocks, then take granule *g
 * into the current free run [*start, *start + *run). False past the last granule. */
static bool next_free_granule(const struct sim_heap *h, size_t *g, size_t *start, size_t *run)
{
    while (*g < h->granules && h->runs[*g] != 0) { /* an allocated block: skip it */
        *g += h->runs[*g];
        *run = 0;
    }
    if (*g >= h->granules) {
        return false;
    }
    if ((*run)++ == 0) {
        *start = *g;
    }
    (*g)++;
    return true;
}

/* ffm-rule: MEM-18 */
void *sim_heap_malloc(struct sim_heap *h, size_t n)
{
    if (n == 0 || n > h->size) {
        return NULL;
    }
    size_t want = SIM_HEAP_GRANULES(n);
    size_t g = 0, start = 0, run = 0;
    while (next_free_granule(h, &g, &start, &run)) {
        if (run == want && start * SIM_HEAP_ALIGN + n <= h->size) {
            h->runs[start] = (uint32_t)want;
            return h->base + start * SIM_HEAP_ALIGN;
        }
    }
    return NULL;
}

void *sim_heap_calloc(struct sim_heap *h, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size) {
        return NULL;
    }
    return sim_heap_malloc(h, count * size); /* free memory is zero (invariant above) */
}

void sim_heap_free(struct sim_heap *h, void *p)
{
    size_t g = block_of(h, p);
    if (g == SIZE_MAX) { /* NULL, or no block of this heap: nothing to free */
        return;
    }
    release(h, g, h->runs[g]);
    h->runs[g] = 0;
}

/* Growing always moves the block, so the old one is scrubbed like any freed block; shrinking
 * keeps it and releases the granules it no longer needs. */
void *sim_heap_realloc(struct sim_heap *h, void *p, size_t n)
{
    if (p == NULL) {
        return sim_heap_malloc(h, n);
    }
    size_t g = block_of(h, p);
    if (g == SIZE_MAX) {
        return NULL;
    }
    if (n == 0) {
        sim_heap_free(h, p);
        return NULL;
    }
    size_t have = h->runs[g], want = SIM_HEAP_GRANULES(n);
    if (want <= have) {
        if (want < have) {
            release(h, g + want, have - want);
            h->runs[g] = (uint32_t)want;
        }
        return p;
    }
    void *q = sim_heap_malloc(h, n);
    if (q != NULL) { /* on failure the old block is untouched, as realloc promises */
        memcpy(q, p, block_bytes(h, g, have));
        sim_heap_free(h, p);
    }
    return q;
}

size_t sim_heap_largest(const struct sim_heap *h)
{
    size_t best = 0, g = 0, start = 0, run = 0;
    while (next_free_granule(h, &g, &start, &run)) {
        size_t bytes = block_bytes(h, start, run);
        best = bytes > best ? bytes : best;
    }
    return best;
}
