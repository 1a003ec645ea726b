/*
 * isolation.c - page protections that follow the running domain (MEM-15, MEM-16, MEM-19);
 * see isolation.h for the model and docs/isolation.md for the layout and costs.
 */
#include "isolation.h"

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

void isolation_init(struct ffm_isolation *iso, int level, uint64_t psa_rot_domains)
{
    memset(iso, 0, sizeof *iso);
    iso->level = level;
    iso->psa_rot = psa_rot_domains | (1ull << ISO_DOM_SPM);
    iso->reachable = ~0ull;
}

static size_t page_size(void)
{
    static size_t page;
    if (page == 0) {
        page = (size_t)sysconf(_SC_PAGESIZE);
    }
    return page;
}

/* Async-signal-safe bounded copy (fault.c's rule: no stdio in the handler's reach). */
static size_t append(char *buf, size_t size, size_t at, const char *s)
{
    while (s != NULL && *s != '\0' && at + 1 < size) {
        buf[at++] = *s++;
    }
    if (size > 0) {
        buf[at < size ? at : size - 1] = '\0';
    }
    return at;
}

static int add_range(struct ffm_isolation *iso, uintptr_t base, size_t size, uint64_t domains,
                     int open_prot)
{
    for (size_t i = 0; i < iso->n_ranges; i++) {
        struct iso_range *r = &iso->ranges[i];
        if (r->domains != domains || r->open_prot != open_prot) {
            continue;
        }
        if (base <= r->base + r->size && r->base <= base + size) { /* touching: one call */
            uintptr_t lo = base < r->base ? base : r->base;
            uintptr_t hi = base + size > r->base + r->size ? base + size : r->base + r->size;
            r->base = lo;
            r->size = hi - lo;
            return 0;
        }
    }
    if (iso->n_ranges == ISO_MAX_RANGES) {
        return -1;
    }
    bool shares = false;
    for (size_t i = 0; i < iso->n_ranges; i++) { /* MEM-19: a page that holds two owners */
        struct iso_range *r = &iso->ranges[i];
        if (base < r->base + r->size && r->base < base + size) {
            r->shares_page = true;
            shares = true;
        }
    }
    iso->ranges[iso->n_ranges++] = (struct iso_range){ .base = base, .size = size,
                                                       .domains = domains,
                                                       .open_prot = open_prot,
                                                       .shares_page = shares };
    return 0;
}

int isolation_add(struct ffm_isolation *iso, uintptr_t base, size_t size, uint64_t domains,
                  int open_prot, const char *owner, const char *what, char *err, size_t err_len)
{
    size_t page = page_size();
    uintptr_t lo = base / page * page;
    uintptr_t hi = (base + size + page - 1) / page * page;
    if (size == 0) {
        return 0;
    }
    if (iso->n_pieces == ISO_MAX_PIECES || add_range(iso, lo, hi - lo, domains, open_prot) != 0) {
        snprintf(err, err_len, "too many secure ranges to isolate (at most %u): %s %s",
                 ISO_MAX_RANGES, owner, what);
        return -1;
    }
    struct iso_piece *p = &iso->pieces[iso->n_pieces++];
    p->base = base;
    p->size = size;
    append(p->owner, sizeof p->owner, 0, owner);
    append(p->what, sizeof p->what, 0, what);
    return 0;
}

void isolation_truncate(struct ffm_isolation *iso, size_t n_ranges, size_t n_pieces)
{
    isolation_apply(iso, ~0ull, ~0ull);
    if (n_ranges < iso->n_ranges) {
        iso->n_ranges = n_ranges;
    }
    if (n_pieces < iso->n_pieces) {
        iso->n_pieces = n_pieces;
    }
}

uint64_t isolation_reach(const struct ffm_isolation *iso, int running)
{
    uint64_t all = ~0ull;
    if (running == ISO_RUN_ALL || iso->level == 0) {
        return all;
    }
    if (running == ISO_RUN_NS) {
        return 0; /* MEM-05: NS callers reach NS memory only */
    }
    uint64_t own = (1ull << (unsigned)running) | (1ull << ISO_DOM_SHARED);
    switch (iso->level) {
    case 1:
        return all;
    case 2:
        return (iso->psa_rot & (1ull << (unsigned)running)) != 0 ? all : all & ~iso->psa_rot;
    default:
        return own;
    }
}

static unsigned protect(struct ffm_isolation *iso, struct iso_range *r, bool open)
{
    (void)mprotect((void *)r->base, r->size, open ? r->open_prot : PROT_NONE); /* our maps */
    r->closed = !open;
    iso->calls++;
    return 1;
}

/* ffm-rule: MEM-16 */
unsigned isolation_apply(struct ffm_isolation *iso, uint64_t reach, uint64_t eager)
{
    unsigned calls = 0;
    if (iso->level == 0 || (reach == iso->reachable && eager == iso->eager && !iso->dirty)) {
        return 0;
    }
    bool closed_some = false;
    for (size_t i = 0; i < iso->n_ranges; i++) { /* what the new runner may not reach */
        struct iso_range *r = &iso->ranges[i];
        if (!r->closed && (r->domains & reach) == 0) {
            calls += protect(iso, r, false);
            closed_some = true;
        }
    }
    /* the runner's own ranges that it used before, at once; the rest on first touch */
    for (size_t i = 0; i < iso->n_ranges; i++) {
        struct iso_range *r = &iso->ranges[i];
        bool reopen = !r->closed && r->shares_page && closed_some && (r->domains & reach) != 0;
        bool own = (r->domains & eager & reach) != 0 && (r->hot || eager == ~0ull);
        if ((r->closed && own) || reopen) {
            calls += protect(iso, r, true); /* MEM-19: a shared page stays open for either */
        }
    }
    iso->reachable = reach;
    iso->eager = eager;
    iso->dirty = false;
    iso->switches++;
    return calls;
}

/* ffm-rule: MEM-15, MEM-17 */
bool isolation_open_on_fault(struct ffm_isolation *iso, uintptr_t addr, bool privileged)
{
    for (size_t i = 0; i < iso->n_ranges; i++) {
        struct iso_range *r = &iso->ranges[i];
        if (r->closed && addr >= r->base && addr - r->base < r->size &&
            (privileged || (r->domains & iso->reachable) != 0)) {
            protect(iso, r, true);
            r->hot = r->hot || !privileged; /* its owners' working set: opened at once later */
            iso->dirty = true; /* the SPM's opening is undone at the next apply */
            iso->lazy_opens++;
            return true;
        }
    }
    return false;
}

bool isolation_closed_at(const struct ffm_isolation *iso, uintptr_t addr)
{
    for (size_t i = 0; i < iso->n_ranges; i++) {
        const struct iso_range *r = &iso->ranges[i];
        if (r->closed && addr >= r->base && addr - r->base < r->size) {
            return true;
        }
    }
    return false;
}

/* "PREFIX OWNER (WHAT)" into buf; async-signal-safe. */
static void describe_piece(const struct iso_piece *p, const char *prefix, char *buf, size_t size)
{
    size_t at = append(buf, size, 0, prefix);
    at = append(buf, size, at, p->owner);
    at = append(buf, size, at, " (");
    at = append(buf, size, at, p->what);
    append(buf, size, at, ")");
}

bool isolation_describe(const struct ffm_isolation *iso, uintptr_t addr, char *buf,
                        size_t size)
{
    size_t page = page_size();
    const struct iso_piece *near = NULL;
    for (size_t i = 0; i < iso->n_pieces; i++) {
        const struct iso_piece *p = &iso->pieces[i];
        if (addr >= p->base && addr - p->base < p->size) {
            describe_piece(p, "owned by ", buf, size);
            return true;
        }
        if (near == NULL && addr / page * page <= p->base + p->size &&
            p->base / page * page <= addr) {
            near = p; /* MEM-19: a byte of a page that holds the piece */
        }
    }
    if (near != NULL) {
        describe_piece(near, "in a page of ", buf, size);
        return true;
    }
    append(buf, size, 0, "");
    return false;
}
