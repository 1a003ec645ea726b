/*
 * heaps.c - partition heaps (MEM-18): a partition with heap_size > 0 gets, at each boot, a
 * region of exactly that many bytes (mmap'd, registered secure and owned by the partition,
 * MEM-03, and closed to other domains by isolation), managed by sim/heap.c. ffm-sim binds the
 * malloc, calloc, realloc and free references of every partition image to the functions below
 * (image_rebind), which serve the heap of the partition running now: its own thread, an SFN
 * run in a caller's context, or a FLIH in handler mode. A partition without heap_size gets
 * NULL. A boot starts with empty heaps (RESET-01).
 *
 * The heap's block table lives in pages of its own right after the heap's pages, in the same
 * mapping: it is the simulator's bookkeeping, not registered as partition memory, so every
 * byte of the registered region is the partition's to allocate.
 *
 * free and realloc of a block the heap does not own (one libc allocated for the partition,
 * e.g. by strdup) go to the host's allocator, which owns it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "engine.h"
#include "heap.h"
#include "memmap.h"

static struct sim_heap *running_heap(void)
{
    struct sim *sim = sim_current();
    struct sim_thread *self = sim_self();
    if (sim == NULL || self == NULL) {
        return NULL;
    }
    int p = sim_flih_partition();
    if (p < 0 && self->kind == SIM_T_PARTITION) {
        p = (int)self->caller.partition;
    }
    return p >= 0 ? &sim->heaps[p] : NULL;
}

static struct sim_heap *owner_of(void *ptr)
{
    struct sim *sim = sim_current();
    for (size_t p = 0; sim != NULL && p < sim->setup->desc->n_partitions; p++) {
        if (sim_heap_owns(&sim->heaps[p], ptr)) {
            return &sim->heaps[p];
        }
    }
    return NULL;
}

void *sim_partition_malloc(size_t n)
{
    struct sim_heap *h = running_heap();
    return h != NULL ? sim_heap_malloc(h, n) : NULL;
}

void *sim_partition_calloc(size_t count, size_t size)
{
    struct sim_heap *h = running_heap();
    return h != NULL ? sim_heap_calloc(h, count, size) : NULL;
}

void *sim_partition_realloc(void *ptr, size_t n)
{
    if (ptr == NULL) {
        return sim_partition_malloc(n);
    }
    struct sim_heap *h = owner_of(ptr);
    return h != NULL ? sim_heap_realloc(h, ptr, n) : realloc(ptr, n);
}

void sim_partition_free(void *ptr)
{
    struct sim_heap *h = ptr != NULL ? owner_of(ptr) : NULL;
    if (h != NULL) {
        sim_heap_free(h, ptr);
    } else {
        free(ptr);
    }
}

void *sim_map_secure(const struct sim *sim, size_t len)
{
    (void)sim; /* below 4 GiB with --addr32, as every mapping then is (sim/addr32.c) */
    return mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

/* Bytes mapped for a heap of `bytes`: its pages, then the pages of its block table. */
static size_t heap_pages(size_t bytes, size_t page)
{
    return (bytes + page - 1) / page * page;
}

static size_t heap_mapping(size_t bytes, size_t page)
{
    return heap_pages(bytes, page) + heap_pages(SIM_HEAP_GRANULES(bytes) * sizeof(uint32_t), page);
}

int sim_heaps_boot(struct sim *sim, char *err, size_t err_size)
{
    const struct ffm_system_desc *d = sim->setup->desc;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    for (uint16_t p = 0; p < d->n_partitions; p++) {
        const struct ffm_partition_desc *pd = &d->partitions[p];
        sim_heap_init(&sim->heaps[p], NULL, 0, NULL);
        sim->heap_mem[p] = NULL;
        if (pd->heap_bytes == 0) {
            continue;
        }
        size_t size = heap_mapping(pd->heap_bytes, page);
        void *mem = sim_map_secure(sim, size);
        if (mem == MAP_FAILED) {
            snprintf(err, err_size, "cannot map the heap of %s", pd->name);
            return -1;
        }
        char name[SIM_NAME_MAX + 8];
        snprintf(name, sizeof name, "%s heap", pd->name);
        struct memmap_range r = { .base = (uintptr_t)mem, .size = pd->heap_bytes,
                                  .secure = true, .owner = pd->pid,
                                  .owner_psa_rot = pd->type == FFM_PSA_ROT,
                                  .rights = MEMMAP_RW, .name = name };
        if (memmap_add(sim->setup->map, &r, err, err_size) != 0) {
            munmap(mem, size);
            return -1;
        }
        sim->heap_mem[p] = mem;
        sim_heap_init(&sim->heaps[p], mem, pd->heap_bytes,
                      (uint32_t *)(void *)((unsigned char *)mem + heap_pages(pd->heap_bytes, page)));
    }
    return 0;
}

void sim_heaps_end(struct sim *sim)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    for (uint16_t p = 0; p < sim->setup->desc->n_partitions; p++) {
        if (sim->heap_mem[p] != NULL) {
            size_t bytes = sim->setup->desc->partitions[p].heap_bytes;
            memmap_remove(sim->setup->map, (uintptr_t)sim->heap_mem[p]);
            munmap(sim->heap_mem[p], heap_mapping(bytes, page));
            sim->heap_mem[p] = NULL;
        }
        sim_heap_init(&sim->heaps[p], NULL, 0, NULL);
    }
}
