/*
 * heap.h - a partition's heap (MEM-18): a first-fit allocator over one region of exactly
 * heap_size bytes, block headers included, so a request that does not fit returns NULL. It
 * never calls the host's allocator; freed blocks are merged with their free neighbours.
 * Not thread-safe: one simulated thread runs at a time (the token holder allocates).
 */
#ifndef FFM_SIM_HEAP_H
#define FFM_SIM_HEAP_H

#include <stdbool.h>
#include <stddef.h>

struct heap_block;

struct sim_heap {
    unsigned char *base;
    size_t size;             /* heap_size: every byte the heap may use, headers included */
    struct heap_block *free; /* free blocks by address */
};

#define SIM_HEAP_HEADER 16u /* bytes of header before each block (alignment kept) */

/* An empty heap over [base, base + size); size 0: every request returns NULL. */
void sim_heap_init(struct sim_heap *h, void *base, size_t size);
bool sim_heap_owns(const struct sim_heap *h, const void *p);
void *sim_heap_malloc(struct sim_heap *h, size_t n);
void *sim_heap_calloc(struct sim_heap *h, size_t count, size_t size);
void *sim_heap_realloc(struct sim_heap *h, void *p, size_t n);
void sim_heap_free(struct sim_heap *h, void *p);
/* Bytes free in the largest block (tests, reports). */
size_t sim_heap_largest(const struct sim_heap *h);

#endif /* FFM_SIM_HEAP_H */
