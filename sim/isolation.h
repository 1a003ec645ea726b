/*
 * isolation.h - direct-access memory isolation (MEM-15, MEM-16): page protections that follow
 * the running protection domain, the way an RTOS reprograms its MPU/SAU at a context switch.
 *
 * The simulated system runs one thread at a time, so the process-wide page protections can
 * describe what the running domain may touch: while NS code runs every secure range is
 * PROT_NONE (level 1 and up); at level 2 an App-RoT partition also loses PSA-RoT memory
 * (SPM memory included, MEM-17); at level 3 a partition keeps only its own ranges (and the
 * secure memory shared by every partition, e.g. an NVMEM region without owner).
 *
 * A range belongs to one or more domains (a bit per partition index, one for the SPM, one for
 * memory shared by every partition). A switch closes the open ranges the new runner may not
 * reach and opens at once the runner's own ranges that it has used before (its working set:
 * e.g. an SFN partition run in its caller's context uses its data and SFN stack, never its
 * thread stack); any other reachable range opens on first touch, in the fault handler
 * (isolation_open_on_fault), like an MPU whose few regions an RTOS swaps in on a MemManage
 * fault. So a switch costs one mprotect per range in use: a round trip from NS to one
 * partition and back costs two per range that partition touches, however many partitions
 * there are, and at level 1 a partition-to-partition switch costs nothing.
 * Ranges are page-rounded (MEM-19: the pages that hold a region), kept sorted by address and
 * merged when adjacent with the same domains and rights, so a contiguous arena is one call.
 *
 * Faults: isolation_describe() names the owner of an address for the fault report; it only
 * reads the table, which is complete before the first switch and never changes while simulated
 * code runs, so the fault handler may call it (async-signal-safe: no locks, no stdio).
 *
 * Not thread-safe by design: switched by the token holder only (sim_domain_switch).
 */
#ifndef FFM_SIM_ISOLATION_H
#define FFM_SIM_ISOLATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ISO_MAX_RANGES 192u
#define ISO_MAX_PIECES 256u
#define ISO_NAME_MAX 64u
#define ISO_DOM_SPM 32u    /* bit for SPM-owned secure memory (PSA-RoT, MEM-17) */
#define ISO_DOM_SHARED 33u /* bit for secure memory every partition may reach */
#define ISO_RUN_NS (-1)    /* the running domain: NS code */
#define ISO_RUN_ALL (-2)   /* everything reachable: the SPM, the end of a boot */

/* One mprotect unit: page-aligned, the domains it belongs to, its rights when reachable. */
struct iso_range {
    uintptr_t base;
    size_t size;
    uint64_t domains;
    int open_prot; /* PROT_READ or PROT_READ|PROT_WRITE */
    bool closed;   /* PROT_NONE now */
    bool shares_page; /* overlaps a range of other owners (MEM-19): reopened after a close */
    bool hot;      /* touched by a runner: opened at once when one of its owners runs */
};

/* What a byte is, for fault reports: exact bounds, owner and name. */
struct iso_piece {
    uintptr_t base;
    size_t size;
    char owner[ISO_NAME_MAX]; /* "CLIENT_SP", "SPM" */
    char what[ISO_NAME_MAX];  /* "stack", "data of img.so", "MMIO region UART0" */
};

struct ffm_isolation {
    int level;          /* 0 (off) .. 3 */
    uint64_t psa_rot;   /* domain bits that are PSA-RoT (SPM included) */
    uint64_t reachable; /* domains reachable now */
    uint64_t eager;     /* domains opened at the last switch (the runner's own) */
    bool dirty;         /* a range was opened on a fault since the last switch */
    unsigned long switches, calls, lazy_opens; /* counters: switches, mprotects, fault opens */
    size_t n_ranges;
    struct iso_range ranges[ISO_MAX_RANGES];
    size_t n_pieces;
    struct iso_piece pieces[ISO_MAX_PIECES];
};

/* An empty table at `level` (0..3); everything reachable. */
void isolation_init(struct ffm_isolation *iso, int level, uint64_t psa_rot_domains);

/* Add [base, base + size) for `domains` with `open_prot` (PROT_*), named for reports. Before the
 * first switch only. 0, or -1 with a reason in err (table full). */
int isolation_add(struct ffm_isolation *iso, uintptr_t base, size_t size, uint64_t domains,
                  int open_prot, const char *owner, const char *what, char *err, size_t err_len);

/* Forget ranges and pieces added after the table had n_ranges/n_pieces (a boot's stacks),
 * making everything reachable first. */
void isolation_truncate(struct ffm_isolation *iso, size_t n_ranges, size_t n_pieces);

/* The domains `running` (a partition index, ISO_RUN_NS or ISO_RUN_ALL) may reach (MEM-05). */
uint64_t isolation_reach(const struct ffm_isolation *iso, int running);

/* The runner may reach the domains in `reach`: close every open range outside it, then open
 * the closed ranges of `eager` (the runner's own; a page shared by two owners stays open when
 * either is reachable, MEM-19). Level 0 does nothing. Returns the number of mprotect calls. */
unsigned isolation_apply(struct ffm_isolation *iso, uint64_t reach, uint64_t eager);

/* The fault handler's question for a fault at `addr`: when a closed range there is reachable
 * (or `privileged`: the SPM reaches everything, MEM-17), open it and return true (the access
 * is retried); false: a real fault. Async-signal-safe. */
bool isolation_open_on_fault(struct ffm_isolation *iso, uintptr_t addr, bool privileged);

/* Is `addr` in a range that is closed now (a direct access there is an isolation fault)? */
bool isolation_closed_at(const struct ffm_isolation *iso, uintptr_t addr);

/* Write "owned by OWNER (WHAT)" for `addr` into buf (always terminated); async-signal-safe.
 * Returns false when the address is not in the table. */
bool isolation_describe(const struct ffm_isolation *iso, uintptr_t addr, char *buf,
                        size_t size);

#endif /* FFM_SIM_ISOLATION_H */
