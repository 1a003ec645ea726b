/*
 * memmap.c - memory attribution (memmap.h; ffm-rules.md §9) and the mapping of platform
 * regions at fixed addresses.
 *
 * Registered ranges live in an array sorted by base, guarded by a rwlock: checks take it for
 * reading, registration for writing. Unregistered memory is judged by the host's own mappings,
 * cached in a second sorted array under a mutex and re-read on a miss (MEM-04).
 *
 * Lock order: map->lock, then map->host_lock (memmap_check holds the first while it consults
 * the host cache). Nothing else is taken while either is held.
 */
#if defined(__linux__)
#define _GNU_SOURCE 1 /* pthread_rwlockattr_setkind_np */
#endif
#if defined(__APPLE__)
#define _DARWIN_C_SOURCE 1
#endif
#include "memmap.h"
#include "errbuf.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__APPLE__)
#include <mach/mach.h>
#include <mach/mach_vm.h>
#endif

#ifndef MAP_ANONYMOUS
#define MAP_ANONYMOUS MAP_ANON
#endif

struct host_mapping {
    uintptr_t start, end; /* [start, end) */
    unsigned rights;      /* MEMMAP_R/W/X; 0 = mapped but inaccessible (guard page) */
};

struct memmap {
    pthread_rwlock_t lock;
    struct memmap_range *ranges; /* sorted by base, non-overlapping; names owned */
    size_t n, cap;

    pthread_mutex_t host_lock;
    struct host_mapping *host; /* sorted by start */
    size_t n_host, cap_host;

    uintptr_t page;
    uint64_t ceiling; /* --addr32: nothing registered reaches it; 0: no ceiling */
};

/* ------------------------------------------------------------------------ registry */

/* A rwlock that lets a waiting writer in: glibc's default prefers readers, so a stream of
 * concurrent checks could starve a thread registering its stack for ever. */
static int init_rwlock(pthread_rwlock_t *lock)
{
#if defined(__GLIBC__)
    pthread_rwlockattr_t attr;
    if (pthread_rwlockattr_init(&attr) != 0) {
        return -1;
    }
    pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    int rc = pthread_rwlock_init(lock, &attr);
    pthread_rwlockattr_destroy(&attr);
    return rc;
#else
    return pthread_rwlock_init(lock, NULL); /* macOS and musl let waiting writers in */
#endif
}

struct memmap *memmap_create(void)
{
    struct memmap *map = calloc(1, sizeof *map);
    if (map == NULL) {
        return NULL;
    }
    if (init_rwlock(&map->lock) != 0) {
        free(map);
        return NULL;
    }
    if (pthread_mutex_init(&map->host_lock, NULL) != 0) {
        pthread_rwlock_destroy(&map->lock);
        free(map);
        return NULL;
    }
    map->page = (uintptr_t)sysconf(_SC_PAGESIZE);
    return map;
}

void memmap_destroy(struct memmap *map)
{
    if (map == NULL) {
        return;
    }
    for (size_t i = 0; i < map->n; i++) {
        free((char *)map->ranges[i].name);
    }
    free(map->ranges);
    free(map->host);
    pthread_mutex_destroy(&map->host_lock);
    pthread_rwlock_destroy(&map->lock);
    free(map);
}

/* Index of the first range whose base is > addr (so the candidate container is index - 1). */
static size_t upper_bound(const struct memmap_range *v, size_t n, uintptr_t addr)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].base <= addr) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

/* The range containing addr, or NULL; *next = base of the first range above addr (0: none). */
static const struct memmap_range *find(const struct memmap *map, uintptr_t addr, uintptr_t *next)
{
    size_t i = upper_bound(map->ranges, map->n, addr);
    if (next != NULL) {
        *next = i < map->n ? map->ranges[i].base : 0;
    }
    if (i > 0 && addr - map->ranges[i - 1].base < map->ranges[i - 1].size) {
        return &map->ranges[i - 1];
    }
    return NULL;
}

static const char *range_name(const struct memmap_range *r)
{
    return r->name != NULL ? r->name : "unnamed";
}

/* Room for one more range; called with the lock held for writing. */
static bool grow(struct memmap *map)
{
    if (map->n < map->cap) {
        return true;
    }
    size_t cap = map->cap == 0 ? 16 : map->cap * 2;
    struct memmap_range *grown = realloc(map->ranges, cap * sizeof grown[0]);
    if (grown == NULL) {
        return false;
    }
    map->ranges = grown;
    map->cap = cap;
    return true;
}

int memmap_add(struct memmap *map, const struct memmap_range *range, char *err, size_t err_len)
{
    if (range->size == 0) {
        ffm_errbuf_set(err, err_len, "range '%s' has size 0", range_name(range));
        return -1;
    }
    if (range->size - 1 > UINTPTR_MAX - range->base) {
        ffm_errbuf_set(err, err_len, "range '%s' at 0x%" PRIxPTR " + 0x%zx wraps", range_name(range),
                range->base, range->size);
        return -1;
    }
    if (range->base < map->page) {
        ffm_errbuf_set(err, err_len, "range '%s' at 0x%" PRIxPTR " is in page 0 (MEM-04)",
                range_name(range), range->base);
        return -1;
    }
    if (map->ceiling != 0 && (uint64_t)range->base + range->size > map->ceiling) {
        ffm_errbuf_set(err, err_len, "range '%s' [0x%" PRIxPTR ", +0x%zx) lies above 0x%" PRIx64
                " (--addr32: the host placed it out of a 32-bit address space)",
                range_name(range), range->base, range->size, map->ceiling);
        return -1;
    }
    struct memmap_range copy = *range;
    copy.rights |= MEMMAP_R;
    copy.name = range->name != NULL ? strdup(range->name) : NULL;
    if (range->name != NULL && copy.name == NULL) {
        ffm_errbuf_set(err, err_len, "out of memory");
        return -1;
    }
    int rc = -1;
    pthread_rwlock_wrlock(&map->lock);
    size_t i = upper_bound(map->ranges, map->n, copy.base);
    uintptr_t last = copy.base + (copy.size - 1);
    const struct memmap_range *clash = NULL;
    if (i > 0 && copy.base - map->ranges[i - 1].base < map->ranges[i - 1].size) {
        clash = &map->ranges[i - 1];
    } else if (i < map->n && map->ranges[i].base <= last) {
        clash = &map->ranges[i];
    }
    if (clash != NULL) {
        ffm_errbuf_set(err, err_len,
                "range '%s' [0x%" PRIxPTR ", +0x%zx) overlaps '%s' [0x%" PRIxPTR ", +0x%zx)",
                range_name(&copy), copy.base, copy.size, range_name(clash), clash->base,
                clash->size);
    } else if (!grow(map)) {
        ffm_errbuf_set(err, err_len, "out of memory");
    } else {
        memmove(&map->ranges[i + 1], &map->ranges[i], (map->n - i) * sizeof map->ranges[0]);
        map->ranges[i] = copy;
        map->n++;
        rc = 0;
    }
    pthread_rwlock_unlock(&map->lock);
    if (rc != 0) {
        free((char *)copy.name);
    }
    return rc;
}

void memmap_set_ceiling(struct memmap *map, uint64_t ceiling)
{
    map->ceiling = ceiling;
}

int memmap_remove(struct memmap *map, uintptr_t base)
{
    int rc = -1;
    char *name = NULL;
    pthread_rwlock_wrlock(&map->lock);
    size_t i = upper_bound(map->ranges, map->n, base);
    if (i > 0 && map->ranges[i - 1].base == base) {
        name = (char *)map->ranges[i - 1].name;
        memmove(&map->ranges[i - 1], &map->ranges[i], (map->n - i) * sizeof map->ranges[0]);
        map->n--;
        rc = 0;
    }
    pthread_rwlock_unlock(&map->lock);
    free(name);
    return rc;
}

bool memmap_lookup(struct memmap *map, uintptr_t addr, struct memmap_range *out)
{
    pthread_rwlock_rdlock(&map->lock);
    const struct memmap_range *r = find(map, addr, NULL);
    if (r != NULL) {
        *out = *r;
    }
    pthread_rwlock_unlock(&map->lock);
    return r != NULL;
}

/* ------------------------------------------------------------------------ host mappings */

#if defined(__linux__)
/* Re-read /proc/self/maps into map->host. Called with host_lock held. */
static void host_reload(struct memmap *map)
{
    FILE *f = fopen("/proc/self/maps", "re");
    map->n_host = 0;
    if (f == NULL) {
        return;
    }
    char line[512];
    while (fgets(line, sizeof line, f) != NULL) {
        uintptr_t start, end;
        char perms[8];
        if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " %7s", &start, &end, perms) != 3) {
            continue;
        }
        if (map->n_host == map->cap_host) {
            size_t cap = map->cap_host == 0 ? 64 : map->cap_host * 2;
            struct host_mapping *grown = realloc(map->host, cap * sizeof grown[0]);
            if (grown == NULL) {
                break;
            }
            map->host = grown;
            map->cap_host = cap;
        }
        unsigned rights = (perms[0] == 'r' ? MEMMAP_R : 0u) | (perms[1] == 'w' ? MEMMAP_W : 0u) |
                          (perms[2] == 'x' ? MEMMAP_X : 0u);
        map->host[map->n_host++] = (struct host_mapping){start, end, rights};
    }
    fclose(f);
}
#endif

/* Look addr up in the cache; false on a miss. Called with host_lock held. */
static bool host_cached(const struct memmap *map, uintptr_t addr, unsigned *rights, uintptr_t *end)
{
    size_t lo = 0, hi = map->n_host;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (map->host[mid].end <= addr) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (lo < map->n_host && map->host[lo].start <= addr) {
        *rights = map->host[lo].rights;
        *end = map->host[lo].end;
        return true;
    }
    return false;
}

/* Are all pages of [addr, end) still mapped? Guards cached answers against munmap (MEM-04);
 * a protection changed in place is only seen after memmap_host_invalidate(). */
static bool host_present(const struct memmap *map, uintptr_t addr, uintptr_t end)
{
    uintptr_t page = addr & ~(map->page - 1);
#if defined(__linux__)
    /* mincore fails with ENOMEM on an unmapped page and, unlike msync, is not reported by
     * valgrind when it does: probing possibly unmapped memory is its purpose here. */
    unsigned char vec[64];
    while (page < end) {
        uintptr_t chunk = end - page;
        if (chunk > sizeof vec * map->page) {
            chunk = sizeof vec * map->page;
        }
        if (mincore((void *)page, chunk, vec) != 0) {
            return false;
        }
        page += (chunk + map->page - 1) & ~(map->page - 1);
    }
    return true;
#else
    return msync((void *)page, end - page, MS_ASYNC) == 0;
#endif
}

/* Rights of the host mapping holding addr and its end. A cached answer is used only when it
 * grants `need` and [addr, limit) is still mapped; a refusal is always confirmed by re-reading
 * the host's mappings, because allocators turn reserved (no-access) memory into read-write
 * memory in place (glibc's per-thread arenas, ASan). */
static unsigned host_lookup(struct memmap *map, uintptr_t addr, uintptr_t limit, unsigned need,
                            uintptr_t *end)
{
    unsigned rights = 0;
    *end = addr + 1;
    pthread_mutex_lock(&map->host_lock);
#if defined(__linux__)
    bool hit = host_cached(map, addr, &rights, end);
    if (hit && ((rights & need) != need || !host_present(map, addr, *end < limit ? *end : limit))) {
        hit = false;
    }
    if (!hit) {
        host_reload(map);
        if (!host_cached(map, addr, &rights, end)) {
            rights = 0;
            *end = addr + 1;
        }
    }
#elif defined(__APPLE__)
    /* mach_vm_region answers directly: the region containing addr or the next one above. */
    (void)host_cached;
    (void)limit;
    (void)need;
    mach_vm_address_t region = addr;
    mach_vm_size_t size = 0;
    vm_region_basic_info_data_64_t info;
    mach_msg_type_number_t count = VM_REGION_BASIC_INFO_COUNT_64;
    mach_port_t object = MACH_PORT_NULL;
    if (mach_vm_region(mach_task_self(), &region, &size, VM_REGION_BASIC_INFO_64,
                       (vm_region_info_t)&info, &count, &object) == KERN_SUCCESS &&
        region <= addr) {
        rights = ((info.protection & VM_PROT_READ) ? MEMMAP_R : 0u) |
                 ((info.protection & VM_PROT_WRITE) ? MEMMAP_W : 0u) |
                 ((info.protection & VM_PROT_EXECUTE) ? MEMMAP_X : 0u);
        *end = (uintptr_t)(region + size);
    }
#else
    /* Documented fallback (docs/sim.md section 3): a mapped page (msync accepts it) is assumed
     * readable and writable; the host's rights are not available. */
    (void)host_cached;
    (void)limit;
    (void)need;
    if (host_present(map, addr, addr + 1)) {
        rights = MEMMAP_RW;
        *end = (addr & ~(map->page - 1)) + map->page;
    }
#endif
    pthread_mutex_unlock(&map->host_lock);
    return rights;
}

unsigned memmap_host_rights(struct memmap *map, uintptr_t addr, uintptr_t *mapping_end)
{
    uintptr_t end;
    unsigned rights = host_lookup(map, addr, addr + 1, MEMMAP_R, &end);
    if (mapping_end != NULL) {
        *mapping_end = end;
    }
    return rights;
}

void memmap_host_invalidate(struct memmap *map)
{
    pthread_mutex_lock(&map->host_lock);
    map->n_host = 0;
    pthread_mutex_unlock(&map->host_lock);
}

/* ------------------------------------------------------------------------ checks */

/* May `caller` use the registered range r with rights `need`? (MEM-05, MEM-06, MEM-10) */
/* ffm-rule: MEM-01, MEM-02 */
static enum memmap_verdict judge_registered(const struct memmap_caller *caller,
                                            const struct memmap_range *r, unsigned need)
{
    if (r->secure) {
        if (!caller->secure) {
            return MEMMAP_SECURE_FOR_NS;
        }
        bool own = r->owner == caller->pid;
        bool spm = caller->pid == MEMMAP_OWNER_SPM;
        if (!own && !spm) {
            if (caller->isolation >= 3) {
                return MEMMAP_OUT_OF_REACH;
            }
            if (caller->isolation == 2 && !caller->psa_rot && r->owner_psa_rot) {
                return MEMMAP_OUT_OF_REACH;
            }
        }
    }
    if ((need & MEMMAP_W) != 0 && (r->rights & MEMMAP_W) == 0) {
        return MEMMAP_NOT_WRITABLE;
    }
    return MEMMAP_OK;
}

/* ffm-rule: MEM-04 */
/* Unregistered memory [cursor, ...): NS with the host's rights (MEM-04). */
static enum memmap_verdict judge_host(struct memmap *map, uintptr_t cursor, uintptr_t limit,
                                      unsigned need, uintptr_t *piece_end)
{
    if (cursor < map->page) {
        return MEMMAP_UNMAPPED;
    }
    unsigned rights = host_lookup(map, cursor, limit, need | MEMMAP_R, piece_end);
    if ((rights & MEMMAP_R) == 0) {
        return MEMMAP_UNMAPPED;
    }
    if ((need & MEMMAP_W) != 0 && (rights & MEMMAP_W) == 0) {
        return MEMMAP_NOT_WRITABLE;
    }
    return MEMMAP_OK;
}

/* ffm-rule: MEM-01 */
enum memmap_verdict memmap_check(struct memmap *map, const struct memmap_caller *caller,
                                 const void *base, size_t len, unsigned need,
                                 uintptr_t *fault_addr)
{
    uintptr_t cursor = (uintptr_t)base;
    enum memmap_verdict verdict = MEMMAP_OK;
    if (len == 0) {
        return MEMMAP_OK; /* MEM-07: never checked */
    }
    if (base == NULL) {
        verdict = MEMMAP_NULL_WITH_LEN;
    } else if (len > UINTPTR_MAX - cursor) {
        verdict = MEMMAP_WRAPS;
    }
    if (verdict != MEMMAP_OK) {
        if (fault_addr != NULL) {
            *fault_addr = cursor;
        }
        return verdict;
    }
    uintptr_t end = cursor + len;
    pthread_rwlock_rdlock(&map->lock);
    while (cursor < end && verdict == MEMMAP_OK) {
        uintptr_t next = 0, piece_end = end;
        const struct memmap_range *r = find(map, cursor, &next);
        if (r != NULL) {
            verdict = judge_registered(caller, r, need);
            piece_end = r->base + (r->size - 1) >= end - 1 ? end : r->base + r->size;
        } else {
            uintptr_t limit = next != 0 && next < end ? next : end;
            verdict = judge_host(map, cursor, limit, need, &piece_end);
            if (next != 0 && next < piece_end) {
                piece_end = next;
            }
            if (piece_end > end || piece_end <= cursor) {
                piece_end = end;
            }
        }
        if (verdict == MEMMAP_OK) {
            cursor = piece_end;
        }
    }
    pthread_rwlock_unlock(&map->lock);
    if (verdict != MEMMAP_OK && fault_addr != NULL) {
        *fault_addr = cursor;
    }
    return verdict;
}

const char *memmap_verdict_name(enum memmap_verdict verdict)
{
    switch (verdict) {
    case MEMMAP_OK: return "OK";
    case MEMMAP_NULL_WITH_LEN: return "NULL_WITH_LEN";
    case MEMMAP_WRAPS: return "WRAPS";
    case MEMMAP_UNMAPPED: return "UNMAPPED";
    case MEMMAP_SECURE_FOR_NS: return "SECURE_FOR_NS";
    case MEMMAP_NOT_WRITABLE: return "NOT_WRITABLE";
    case MEMMAP_OUT_OF_REACH: return "OUT_OF_REACH";
    }
    return "?";
}

enum ffm_rule memmap_verdict_rule(enum memmap_verdict verdict)
{
    switch (verdict) {
    case MEMMAP_OK: return FFM_RULE_NONE;
    case MEMMAP_NULL_WITH_LEN: return FFM_RULE_MEM_07;
    case MEMMAP_WRAPS: return FFM_RULE_MEM_08;
    case MEMMAP_UNMAPPED: return FFM_RULE_MEM_09;
    case MEMMAP_SECURE_FOR_NS: return FFM_RULE_MEM_06;
    case MEMMAP_NOT_WRITABLE: return FFM_RULE_MEM_10;
    case MEMMAP_OUT_OF_REACH: return FFM_RULE_MEM_05;
    }
    return FFM_RULE_NONE;
}

/* ------------------------------------------------------------------------ fixed mappings */

/* What occupies [start, end), for the "address taken" message. */
static void describe_occupant(uintptr_t start, uintptr_t end, char *out, size_t len)
{
    snprintf(out, len, "another mapping");
#if defined(__linux__)
    FILE *f = fopen("/proc/self/maps", "re");
    if (f == NULL) {
        return;
    }
    char line[512];
    while (fgets(line, sizeof line, f) != NULL) {
        uintptr_t s, e;
        int path_at = 0;
        if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " %*s %*s %*s %*s %n", &s, &e, &path_at) < 2) {
            continue;
        }
        if (s < end && start < e) {
            char *path = path_at > 0 ? line + path_at : (char *)"";
            path[strcspn(path, "\n")] = '\0';
            snprintf(out, len, "[0x%" PRIxPTR ", 0x%" PRIxPTR ") %s", s, e,
                     *path != '\0' ? path : "(anonymous)");
            break;
        }
    }
    fclose(f);
#elif defined(__APPLE__)
    if (start < (UINT64_C(1) << 32)) {
        snprintf(out, len, "another mapping (on macOS the low 4 GiB is __PAGEZERO unless the "
                           "program is linked with -Wl,-pagezero_size,0x1000)");
    }
    (void)end;
#else
    (void)start;
    (void)end;
#endif
}

static int prot_of(unsigned rights)
{
    return PROT_READ | ((rights & MEMMAP_W) != 0 ? PROT_WRITE : 0);
}

static int flags_of(bool shared, int fd)
{
    return (shared ? MAP_SHARED : MAP_PRIVATE) | (fd < 0 ? MAP_ANONYMOUS : 0);
}

int memmap_map_fixed(uint64_t base, uint64_t size, unsigned rights, bool shared, int fd,
                     char *err, size_t err_len)
{
    uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
    if (size == 0 || base % page != 0 || base < page || base > UINTPTR_MAX ||
        size > UINTPTR_MAX - base || size > SIZE_MAX - page) {
        ffm_errbuf_set(err, err_len, "cannot map 0x%" PRIx64 " bytes at 0x%" PRIx64
                ": base must be a non-zero multiple of the page size (0x%" PRIx64
                ") and the range must fit the address space", size, base, page);
        return -1;
    }
    size_t len = (size_t)((size + page - 1) / page * page);
    void *want = (void *)(uintptr_t)base;
    int flags = flags_of(shared, fd);
#if defined(MAP_FIXED_NOREPLACE)
    flags |= MAP_FIXED_NOREPLACE; /* Linux >= 4.17; older kernels treat it as a hint */
#endif
    void *got = mmap(want, len, prot_of(rights), flags, fd, 0);
    int saved = errno;
    if (got == want) {
        return 0;
    }
    if (got != MAP_FAILED) {
        munmap(got, len); /* the hint was not honoured: the address is taken */
        saved = EEXIST;
    }
    if (saved == EEXIST) {
        char who[320];
        describe_occupant((uintptr_t)base, (uintptr_t)(base + len), who, sizeof who);
        ffm_errbuf_set(err, err_len, "cannot map [0x%" PRIx64 ", 0x%" PRIx64 "): address already in use "
                "by %s", base, base + len, who);
    } else if (saved == EPERM || saved == EACCES) {
        ffm_errbuf_set(err, err_len, "cannot map [0x%" PRIx64 ", 0x%" PRIx64 "): %s (below "
                "vm.mmap_min_addr, or not permitted)", base, base + len, strerror(saved));
    } else {
        ffm_errbuf_set(err, err_len, "cannot map [0x%" PRIx64 ", 0x%" PRIx64 "): %s", base, base + len,
                strerror(saved));
    }
    return -1;
}

void *memmap_map_anywhere(uint64_t size, unsigned rights, bool shared, int fd, char *err,
                          size_t err_len)
{
    if (size == 0 || size > SIZE_MAX / 2) {
        ffm_errbuf_set(err, err_len, "cannot map 0x%" PRIx64 " bytes: bad size", size);
        return NULL;
    }
    void *got = mmap(NULL, (size_t)size, prot_of(rights), flags_of(shared, fd), fd, 0);
    if (got == MAP_FAILED) {
        ffm_errbuf_set(err, err_len, "cannot map 0x%" PRIx64 " bytes: %s", size, strerror(errno));
        return NULL;
    }
    return got;
}

int memmap_unmap(void *addr, uint64_t size)
{
    return munmap(addr, (size_t)size);
}
