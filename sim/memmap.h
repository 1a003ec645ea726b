/*
 * memmap.h - memory attribution for the simulator, the SAU/TT model of ffm-rules.md §9
 * (MEM-01..10, MEM-14) and docs/sim.md §3.
 *
 * A memmap is a registry of non-overlapping address ranges. Each registered range is secure
 * (owned by a partition or by the SPM) or non-secure, with rights R, RW or RX. Every address
 * that is not registered is non-secure with the host mapping's rights (MEM-04), read from
 * /proc/self/maps on Linux (cached; re-read when an address is not in the cached copy, when its
 * pages are no longer mapped, and before any refusal) or mach_vm_region on macOS; unmapped
 * memory, page 0 included, is invalid.
 *
 * Cost: a check of registered memory makes no system call (a binary search under a read
 * lock). ffm-sim therefore registers the non-secure memory it knows as non-secure ranges (the
 * NS image's segments, each NS thread's stack, for as long as the thread lives), so NS vectors
 * in them are as cheap as secure ones. Other unregistered memory (the heap, the NS
 * application's own mappings) costs one mincore per check, which keeps a buffer the NS
 * application has unmapped or freed refused (MEM-09).
 *
 * memmap_check() answers "may this caller name [base, base + len) with these rights?" with a
 * verdict naming what is wrong; the core turns a verdict into the API's rule (CALL-14..19,
 * MAPI-08, ...). It never dereferences the range.
 *
 * Threads. Ranges are added at boot and when a partition thread starts (its stack); any number
 * of threads may call memmap_check() and memmap_lookup() concurrently with each other and with
 * memmap_add()/memmap_remove() (a rwlock guards the ranges, a mutex the host-mapping cache).
 *
 * The module also maps platform regions: memmap_map_fixed() at exactly the platform file's
 * `base` (below 4 GiB included), memmap_map_anywhere() otherwise.
 */
#ifndef FFM_SIM_MEMMAP_H
#define FFM_SIM_MEMMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ffm_rules.h"

/* Rights (MEM-02). A check asks for MEMMAP_R or MEMMAP_RW. */
enum memmap_rights {
    MEMMAP_R = 1u,
    MEMMAP_W = 2u,
    MEMMAP_X = 4u,
    MEMMAP_RW = MEMMAP_R | MEMMAP_W,
    MEMMAP_RX = MEMMAP_R | MEMMAP_X,
};

/* Owner of a secure range: a partition ID (> 0) or the SPM. */
#define MEMMAP_OWNER_SPM (0)

struct memmap_range {
    uintptr_t base;
    size_t size;          /* > 0 */
    bool secure;          /* false: registered non-secure memory (e.g. a non-secure region) */
    int32_t owner;        /* secure only: partition ID, or MEMMAP_OWNER_SPM */
    bool owner_psa_rot;   /* secure only: owner is PSA-RoT (the SPM always is); for MEM-05 L2 */
    unsigned rights;      /* enum memmap_rights; always includes MEMMAP_R */
    const char *name;     /* for reports ("TFM_SP_ITS stack", "NVMEM"); copied */
};

/* Who names the memory. NS callers reach NS memory only; a secure caller's reach depends on
 * the isolation level (MEM-05). */
struct memmap_caller {
    bool secure;
    int32_t pid;          /* secure: partition ID (MEMMAP_OWNER_SPM for the SPM itself) */
    unsigned isolation;   /* 1, 2 or 3 (PSA_FRAMEWORK_ISOLATION_LEVEL) */
    bool psa_rot;         /* secure: the caller's partition type is PSA-RoT */
};

enum memmap_verdict {
    MEMMAP_OK = 0,
    MEMMAP_NULL_WITH_LEN, /* base NULL and len > 0 (MEM-07) */
    MEMMAP_WRAPS,         /* base + len wraps around the top of the address space (MEM-08) */
    MEMMAP_UNMAPPED,      /* a byte is invalid: unmapped, page 0, no host access (MEM-04, 09) */
    MEMMAP_SECURE_FOR_NS, /* an NS caller names a secure byte (MEM-06) */
    MEMMAP_NOT_WRITABLE,  /* RW needed, a byte is read-only or code (MEM-02, MEM-10) */
    MEMMAP_OUT_OF_REACH,  /* secure memory beyond the caller's isolation reach (MEM-05) */
};

struct memmap;

/* An empty map. NULL when out of memory. */
struct memmap *memmap_create(void);
void memmap_destroy(struct memmap *map);

/* Register a range. Returns 0, or -1 with a one-line reason in err (overlap with a registered
 * range, size 0, wrap, page 0, out of memory). */
int memmap_add(struct memmap *map, const struct memmap_range *range, char *err, size_t err_len);

/* --addr32 (addr32.h): from now on memmap_add() refuses, naming it, any range that reaches
 * `ceiling` (4 GiB), so nothing the simulated system can see is placed above it. Set before
 * anything is registered; 0 removes the ceiling. */
void memmap_set_ceiling(struct memmap *map, uint64_t ceiling);

/* Unregister the range that starts at `base` (e.g. a finished thread's stack). 0, or -1 when
 * no range starts there. */
int memmap_remove(struct memmap *map, uintptr_t base);

/* Verdict for `caller` naming [base, base + len) with rights `need` (MEMMAP_R or MEMMAP_RW).
 * Zero length is always MEMMAP_OK and nothing is looked at (MEM-07). The range may span
 * several adjacent accessible ranges (MEM-09). When the verdict is not OK and fault_addr is not
 * NULL, *fault_addr is the first offending address. */
enum memmap_verdict memmap_check(struct memmap *map, const struct memmap_caller *caller,
                                 const void *base, size_t len, unsigned need,
                                 uintptr_t *fault_addr);

/* The registered range containing `addr` (copied to *out; out->name stays valid until the range
 * is removed), or false when `addr` is not registered. For reports (a fault's owner). */
bool memmap_lookup(struct memmap *map, uintptr_t addr, struct memmap_range *out);

/* "SECURE_FOR_NS", ...; the rule each verdict stands for (MEMMAP_OK -> FFM_RULE_NONE). */
const char *memmap_verdict_name(enum memmap_verdict verdict);
enum ffm_rule memmap_verdict_rule(enum memmap_verdict verdict);

/* Host mapping rights of `addr` (MEMMAP_R/W/X bits), 0 when unmapped or inaccessible; re-reads
 * the host's mappings when `addr` is not in the cached copy. Exposed for tests and reports. */
unsigned memmap_host_rights(struct memmap *map, uintptr_t addr, uintptr_t *mapping_end);

/* Forget the cached host mappings. A cached answer that grants access is reused while its
 * pages are still mapped, so call this after taking rights away from unregistered memory in
 * place (mprotect to read-only, or unmapping and mapping it again read-only at the same
 * address). Refusals are always re-checked; granting rights needs nothing. */
void memmap_host_invalidate(struct memmap *map);

/* ---------------------------------------------------------------- mapping platform regions */

/* Map `size` bytes (rounded up to pages) at exactly `base`, which must be page-aligned and may
 * be below 4 GiB. `rights` is MEMMAP_R or MEMMAP_RW. `shared`: MAP_SHARED (survives in a
 * forked supervisor's children, RESET-03); `fd` >= 0 maps that file from offset 0 instead of
 * anonymous memory. Never replaces an existing mapping: when any page is taken, returns -1
 * with err naming the address range and what occupies it. */
int memmap_map_fixed(uint64_t base, uint64_t size, unsigned rights, bool shared, int fd,
                     char *err, size_t err_len);

/* The same at an address chosen by the host; NULL with err on failure. */
void *memmap_map_anywhere(uint64_t size, unsigned rights, bool shared, int fd, char *err,
                          size_t err_len);

/* Undo either mapping (size as given when mapping). */
int memmap_unmap(void *addr, uint64_t size);

#endif /* FFM_SIM_MEMMAP_H */
