/*
 * heap.h - a partition's heap (MEM-18): a first-fit allocator over one region of exactly
 * heap_size bytes, every one of them usable: the block table is kept outside the region (one
 * word per 16-byte granule, given by the caller), so a partition can allocate its whole
 * heap_size in one block, as Arm's FF test suite checks. Blocks are 16-byte aligned; a
 * request that does not fit returns NULL. Memory is scrubbed when freed (and the region is
 * zeroed at the start), so malloc returns zeroed memory and no secret outlives its block.
 * It never calls the host's allocator. Not thread-safe: one simulated thread runs at a time
 * (the token holder allocates).
 */
#ifndef FFM_SIM_HEAP_H
#define FFM_SIM_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sim_heap {
    unsigned char *base;
    size_t size;     /* heap_size: every byte the heap may hand out */
    size_t granules; /* SIM_HEAP_GRANULES(size) */
    uint32_t *runs;  /* per granule: the block's length in granules where a block starts, else 0 */
};

#define SIM_HEAP_ALIGN 16u
/* Entries of the block table a heap of SIZE bytes needs. */
#define SIM_HEAP_GRANULES(size) (((size) + SIM_HEAP_ALIGN - 1) / SIM_HEAP_ALIGN)

/* An empty, zeroed heap over [base, base + size) (base 16-byte aligned), with its block table
 * `runs` of SIM_HEAP_GRANULES(size) entries; size 0 or no base: every request returns NULL. */
void sim_heap_init(struct sim_heap *h, void *base, size_t size, uint32_t *runs);
bool sim_heap_owns(const struct sim_heap *h, const void *p);
void *sim_heap_malloc(struct sim_heap *h, size_t n);
void *sim_heap_calloc(struct sim_heap *h, size_t count, size_t size);
void *sim_heap_realloc(struct sim_heap *h, void *p, size_t n);
void sim_heap_free(struct sim_heap *h, void *p);
/* Bytes free in the largest block (tests, reports). */
size_t sim_heap_largest(const struct sim_heap *h);

#endif /* FFM_SIM_HEAP_H */
