/*
 * test_sim_memmap.c - memory attribution (sim/memmap.h; ffm-rules.md §9: MEM-01, MEM-02,
 * MEM-04..MEM-10) and the mapping of platform regions at fixed addresses below 4 GiB.
 *
 * The fixture maps 8 pages and gives them these attributes:
 *   page 0: unregistered (NS, host RW)       page 4: S, SPM, RW
 *   page 1: S, partition A (App-RoT), RW     page 5: NS registered, R
 *   page 2: S, partition A, RW (separate)    page 6: unregistered (NS, host RW)
 *   page 3: S, partition B (PSA-RoT), R      page 7: unmapped
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "memmap.h"

#define PID_A 256
#define PID_B 257

struct fixture {
    struct memmap *map;
    unsigned char *pages;
    size_t page;
};

static const struct memmap_caller NS = {.secure = false, .pid = -1, .isolation = 1};

static struct memmap_caller s_caller(int32_t pid, unsigned isolation, bool psa_rot)
{
    struct memmap_caller c = {.secure = true, .pid = pid, .isolation = isolation,
                              .psa_rot = psa_rot};
    return c;
}

static void add(struct fixture *f, unsigned page, bool secure, int32_t owner, bool psa_rot,
                unsigned rights, const char *name)
{
    struct memmap_range r = {
        .base = (uintptr_t)(f->pages + page * f->page),
        .size = f->page,
        .secure = secure,
        .owner = owner,
        .owner_psa_rot = psa_rot,
        .rights = rights,
        .name = name,
    };
    char err[256];
    assert_int_equal(memmap_add(f->map, &r, err, sizeof err), 0);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->page = (size_t)sysconf(_SC_PAGESIZE);
    f->pages = mmap(NULL, 8 * f->page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
                    0);
    assert_true(f->pages != MAP_FAILED);
    assert_int_equal(munmap(f->pages + 7 * f->page, f->page), 0);
    f->map = memmap_create();
    assert_non_null(f->map);
    add(f, 1, true, PID_A, false, MEMMAP_RW, "A data");
    add(f, 2, true, PID_A, false, MEMMAP_RW, "A stack");
    add(f, 3, true, PID_B, true, MEMMAP_R, "B rodata");
    add(f, 4, true, MEMMAP_OWNER_SPM, true, MEMMAP_RW, "SPM");
    add(f, 5, false, 0, false, MEMMAP_R, "NS flash");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    memmap_destroy(f->map);
    munmap(f->pages, 7 * f->page);
    free(f);
    return 0;
}

static void *pg(struct fixture *f, unsigned page, size_t offset)
{
    return f->pages + page * f->page + offset;
}

static enum memmap_verdict check(struct fixture *f, const struct memmap_caller *c,
                                 const void *base, size_t len, unsigned need)
{
    return memmap_check(f->map, c, base, len, need, NULL);
}

/* MEM-07: zero length is never checked, whatever the base; NULL with len > 0 is invalid. */
static void test_zero_length_and_null(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(check(f, &NS, NULL, 0, MEMMAP_RW), MEMMAP_OK);
    assert_int_equal(check(f, &NS, pg(f, 1, 0), 0, MEMMAP_RW), MEMMAP_OK);
    assert_int_equal(check(f, &NS, pg(f, 7, 0), 0, MEMMAP_RW), MEMMAP_OK);
    assert_int_equal(check(f, &NS, (void *)(UINTPTR_MAX - 3), 0, MEMMAP_R), MEMMAP_OK);
    uintptr_t fault = 1;
    assert_int_equal(memmap_check(f->map, &NS, NULL, 1, MEMMAP_R, &fault), MEMMAP_NULL_WITH_LEN);
    assert_int_equal(fault, 0);
    struct memmap_caller s = s_caller(PID_A, 1, false);
    assert_int_equal(check(f, &s, NULL, 4, MEMMAP_RW), MEMMAP_NULL_WITH_LEN);
}

/* MEM-08: base + len must not wrap around the top of the address space. */
static void test_wrap(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(check(f, &NS, (void *)(UINTPTR_MAX - 9), 20, MEMMAP_R), MEMMAP_WRAPS);
    assert_int_equal(check(f, &NS, pg(f, 0, 0), SIZE_MAX, MEMMAP_R), MEMMAP_WRAPS);
    assert_int_equal(check(f, &NS, (void *)(UINTPTR_MAX - 9), 10, MEMMAP_R), MEMMAP_WRAPS);
    assert_int_equal(check(f, &NS, (void *)(UINTPTR_MAX - 9), 9, MEMMAP_R), MEMMAP_UNMAPPED);
}

/* MEM-04: unregistered memory is NS with the host's rights; unmapped memory and page 0 are
 * invalid. */
static void test_unregistered_is_host(void **state)
{
    struct fixture *f = *state;
    static const char rodata[] = "read-only data";
    uintptr_t fault = 0;
    assert_int_equal(check(f, &NS, pg(f, 0, 0), f->page, MEMMAP_RW), MEMMAP_OK);
    assert_int_equal(check(f, &NS, pg(f, 6, 8), 16, MEMMAP_RW), MEMMAP_OK);
    assert_int_equal(memmap_check(f->map, &NS, pg(f, 7, 4), 4, MEMMAP_R, &fault),
                     MEMMAP_UNMAPPED);
    assert_int_equal(fault, (uintptr_t)pg(f, 7, 4));
    assert_int_equal(check(f, &NS, (void *)16, 4, MEMMAP_R), MEMMAP_UNMAPPED);
    assert_int_equal(check(f, &NS, rodata, sizeof rodata, MEMMAP_R), MEMMAP_OK);
    assert_int_equal(check(f, &NS, rodata, sizeof rodata, MEMMAP_RW), MEMMAP_NOT_WRITABLE);
    int local = 0;
    assert_int_equal(check(f, &NS, &local, sizeof local, MEMMAP_RW), MEMMAP_OK);
    void *heap = malloc(64);
    assert_int_equal(check(f, &NS, heap, 64, MEMMAP_RW), MEMMAP_OK);
    free(heap);
    assert_int_equal(memmap_host_rights(f->map, (uintptr_t)pg(f, 6, 0), NULL), MEMMAP_RW);
    assert_int_equal(memmap_host_rights(f->map, (uintptr_t)pg(f, 7, 0), NULL), 0);
}

/* MEM-10: a function address is not writable (host code mapping). */
static void test_function_not_writable(void **state)
{
    struct fixture *f = *state;
    const void *code = (const void *)(uintptr_t)&setup;
    assert_int_equal(check(f, &NS, code, 4, MEMMAP_R), MEMMAP_OK);
    assert_int_equal(check(f, &NS, code, 4, MEMMAP_RW), MEMMAP_NOT_WRITABLE);
    /* qemu-user (the ILP32 build's runner on a kernel without IA-32 emulation,
     * scripts/m32-exec.sh) lists translated code pages as r--p in /proc/self/maps: there the
     * execute right is the emulator's, not the host's, and is not checked. */
    const char *runner = getenv("FFMSIM_M32_EXEC");
    if (runner == NULL || strcmp(runner, "qemu") != 0) {
        assert_true((memmap_host_rights(f->map, (uintptr_t)code, NULL) & MEMMAP_X) != 0);
    }
}

/* MEM-04: the host's mappings are re-read on a miss, so memory mapped after the first check is
 * seen; a guard page (no access) is invalid until it is made accessible. */
static void test_host_reread_on_miss(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(check(f, &NS, pg(f, 0, 0), 4, MEMMAP_R), MEMMAP_OK); /* fills the cache */
    unsigned char *fresh = mmap(NULL, 2 * f->page, PROT_READ | PROT_WRITE,
                                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(fresh != MAP_FAILED);
    assert_int_equal(mprotect(fresh + f->page, f->page, PROT_NONE), 0);
    assert_int_equal(check(f, &NS, fresh, f->page, MEMMAP_RW), MEMMAP_OK);
    uintptr_t fault = 0;
    assert_int_equal(memmap_check(f->map, &NS, fresh, 2 * f->page, MEMMAP_R, &fault),
                     MEMMAP_UNMAPPED);
    assert_int_equal(fault, (uintptr_t)(fresh + f->page));
    /* reserved memory made accessible in place, as allocators do (glibc thread arenas): a
     * cached refusal is re-checked */
    assert_int_equal(mprotect(fresh + f->page, f->page, PROT_READ | PROT_WRITE), 0);
    assert_int_equal(check(f, &NS, fresh, 2 * f->page, MEMMAP_RW), MEMMAP_OK);
    munmap(fresh, 2 * f->page);
}

/* MEM-04, MEM-09: an accepted answer is cached, but not past the mapping: memory unmapped
 * after a check that filled the cache is refused at the next check. */
static void test_unmapped_after_cached(void **state)
{
    struct fixture *f = *state;
    unsigned char *fresh = mmap(NULL, 2 * f->page, PROT_READ | PROT_WRITE,
                                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(fresh != MAP_FAILED);
    assert_int_equal(check(f, &NS, fresh + 8, 16, MEMMAP_RW), MEMMAP_OK);
    assert_int_equal(check(f, &NS, fresh + 8, 16, MEMMAP_RW), MEMMAP_OK); /* cached */
    assert_int_equal(munmap(fresh + f->page, f->page), 0);
    uintptr_t fault = 0;
    assert_int_equal(memmap_check(f->map, &NS, fresh, 2 * f->page, MEMMAP_R, &fault),
                     MEMMAP_UNMAPPED);
    assert_int_equal(fault, (uintptr_t)(fresh + f->page));
    assert_int_equal(munmap(fresh, f->page), 0);
    assert_int_equal(check(f, &NS, fresh + 8, 16, MEMMAP_R), MEMMAP_UNMAPPED);
}

/* A registered non-secure range (the NS image, an NS thread's stack) is judged by its
 * registration, rights included, and falls back to the host's map once removed. */
static void test_registered_ns_range(void **state)
{
    struct fixture *f = *state;
    struct memmap_range r = { .base = (uintptr_t)pg(f, 6, 0), .size = f->page,
                              .secure = false, .rights = MEMMAP_R, .name = "NS rodata" };
    char err[128];
    assert_int_equal(memmap_add(f->map, &r, err, sizeof err), 0);
    assert_int_equal(check(f, &NS, pg(f, 6, 8), 8, MEMMAP_R), MEMMAP_OK);
    assert_int_equal(check(f, &NS, pg(f, 6, 8), 8, MEMMAP_RW), MEMMAP_NOT_WRITABLE);
    assert_int_equal(memmap_remove(f->map, r.base), 0);
    assert_int_equal(check(f, &NS, pg(f, 6, 8), 8, MEMMAP_RW), MEMMAP_OK); /* host: RW */
}

/* MEM-06: a single secure byte in an NS caller's range is refused. */
static void test_secure_for_ns(void **state)
{
    struct fixture *f = *state;
    uintptr_t fault = 0;
    assert_int_equal(check(f, &NS, pg(f, 1, 0), 4, MEMMAP_R), MEMMAP_SECURE_FOR_NS);
    assert_int_equal(memmap_check(f->map, &NS, pg(f, 0, f->page - 4), 5, MEMMAP_R, &fault),
                     MEMMAP_SECURE_FOR_NS);
    assert_int_equal(fault, (uintptr_t)pg(f, 1, 0));
    assert_int_equal(check(f, &NS, pg(f, 0, f->page - 4), 4, MEMMAP_R), MEMMAP_OK);
    assert_int_equal(check(f, &NS, pg(f, 4, 0), 1, MEMMAP_R), MEMMAP_SECURE_FOR_NS);
    assert_int_equal(check(f, &NS, pg(f, 4, f->page - 1), 2, MEMMAP_R), MEMMAP_SECURE_FOR_NS);
}

/* MEM-09: crossing adjacent accessible ranges is fine; running into an inaccessible one is
 * not, and the fault address is its first byte. */
static void test_crossing(void **state)
{
    struct fixture *f = *state;
    struct memmap_caller a = s_caller(PID_A, 1, false);
    uintptr_t fault = 0;
    /* A data -> A stack (two registered ranges, same owner) */
    assert_int_equal(check(f, &a, pg(f, 1, 16), f->page, MEMMAP_RW), MEMMAP_OK);
    /* NS host page 0 -> A data -> A stack -> B rodata (R) -> SPM -> NS flash -> NS host 6 */
    assert_int_equal(check(f, &a, pg(f, 0, 0), 7 * f->page, MEMMAP_R), MEMMAP_OK);
    assert_int_equal(memmap_check(f->map, &a, pg(f, 0, 0), 7 * f->page, MEMMAP_RW, &fault),
                     MEMMAP_NOT_WRITABLE);
    assert_int_equal(fault, (uintptr_t)pg(f, 3, 0));
    assert_int_equal(memmap_check(f->map, &a, pg(f, 6, 0), f->page + 1, MEMMAP_R, &fault),
                     MEMMAP_UNMAPPED);
    assert_int_equal(fault, (uintptr_t)pg(f, 7, 0));
    /* NS: registered NS flash -> host page 6 */
    assert_int_equal(check(f, &NS, pg(f, 5, 0), 2 * f->page, MEMMAP_R), MEMMAP_OK);
    assert_int_equal(memmap_check(f->map, &NS, pg(f, 5, 0), 2 * f->page, MEMMAP_RW, &fault),
                     MEMMAP_NOT_WRITABLE);
    assert_int_equal(fault, (uintptr_t)pg(f, 5, 0));
}

/* MEM-02, MEM-10: read-only ranges satisfy R, never RW, even for their owner. */
static void test_rights(void **state)
{
    struct fixture *f = *state;
    struct memmap_caller b = s_caller(PID_B, 1, true);
    assert_int_equal(check(f, &b, pg(f, 3, 0), 8, MEMMAP_R), MEMMAP_OK);
    assert_int_equal(check(f, &b, pg(f, 3, 0), 8, MEMMAP_RW), MEMMAP_NOT_WRITABLE);
    assert_int_equal(check(f, &NS, pg(f, 5, 0), 8, MEMMAP_R), MEMMAP_OK);
    assert_int_equal(check(f, &NS, pg(f, 5, 0), 8, MEMMAP_RW), MEMMAP_NOT_WRITABLE);
}

/* MEM-05: reach of secure callers by isolation level. */
static void test_isolation_levels(void **state)
{
    struct fixture *f = *state;
    void *a_mem = pg(f, 1, 0), *b_mem = pg(f, 3, 0), *spm = pg(f, 4, 0), *ns = pg(f, 6, 0);
    for (unsigned level = 1; level <= 3; level++) {
        struct memmap_caller a = s_caller(PID_A, level, false); /* App-RoT */
        struct memmap_caller b = s_caller(PID_B, level, true);  /* PSA-RoT */
        /* everyone reaches its own memory and NS memory */
        assert_int_equal(check(f, &a, a_mem, 8, MEMMAP_RW), MEMMAP_OK);
        assert_int_equal(check(f, &a, ns, 8, MEMMAP_RW), MEMMAP_OK);
        assert_int_equal(check(f, &b, b_mem, 8, MEMMAP_R), MEMMAP_OK);
        assert_int_equal(check(f, &b, ns, 8, MEMMAP_RW), MEMMAP_OK);
        /* L1: all; L2: App-RoT cannot reach PSA-RoT (and SPM); L3: own and NS only */
        enum memmap_verdict a_to_b = level == 1 ? MEMMAP_OK : MEMMAP_OUT_OF_REACH;
        enum memmap_verdict b_to_a = level == 3 ? MEMMAP_OUT_OF_REACH : MEMMAP_OK;
        assert_int_equal(check(f, &a, b_mem, 8, MEMMAP_R), a_to_b);
        assert_int_equal(check(f, &a, spm, 8, MEMMAP_R), a_to_b);
        assert_int_equal(check(f, &b, a_mem, 8, MEMMAP_R), b_to_a);
        assert_int_equal(check(f, &b, spm, 8, MEMMAP_R), b_to_a);
    }
    /* The SPM itself reaches everything. */
    struct memmap_caller spm_caller = s_caller(MEMMAP_OWNER_SPM, 3, true);
    assert_int_equal(check(f, &spm_caller, a_mem, 8, MEMMAP_RW), MEMMAP_OK);
}

/* Registration: overlaps, size 0, wrap and page 0 are refused with a reason; remove; lookup. */
static void test_registration(void **state)
{
    struct fixture *f = *state;
    char err[256];
    struct memmap_range r = {.base = (uintptr_t)pg(f, 2, 16), .size = f->page, .secure = true,
                             .owner = PID_B, .rights = MEMMAP_RW, .name = "clash"};
    assert_int_equal(memmap_add(f->map, &r, err, sizeof err), -1);
    assert_non_null(strstr(err, "range 'clash'"));
    assert_non_null(strstr(err, "overlaps 'A stack'"));
    r.base = (uintptr_t)pg(f, 0, 16); /* runs into page 1 from below */
    assert_int_equal(memmap_add(f->map, &r, err, sizeof err), -1);
    assert_non_null(strstr(err, "overlaps 'A data'"));
    r.size = 0;
    assert_int_equal(memmap_add(f->map, &r, err, sizeof err), -1);
    assert_string_equal(err, "range 'clash' has size 0");
    r.base = UINTPTR_MAX - 3;
    r.size = 8;
    assert_int_equal(memmap_add(f->map, &r, err, sizeof err), -1);
    assert_non_null(strstr(err, "wraps"));
    r.base = 0x100;
    r.size = 8;
    assert_int_equal(memmap_add(f->map, &r, err, sizeof err), -1);
    assert_non_null(strstr(err, "page 0"));

    struct memmap_range got;
    assert_true(memmap_lookup(f->map, (uintptr_t)pg(f, 2, 100), &got));
    assert_string_equal(got.name, "A stack");
    assert_int_equal(got.owner, PID_A);
    assert_false(memmap_lookup(f->map, (uintptr_t)pg(f, 6, 0), &got));

    /* a thread's stack goes away: its memory becomes host NS memory again */
    assert_int_equal(memmap_remove(f->map, (uintptr_t)pg(f, 2, 0)), 0);
    assert_int_equal(memmap_remove(f->map, (uintptr_t)pg(f, 2, 0)), -1);
    assert_int_equal(check(f, &NS, pg(f, 2, 0), 8, MEMMAP_RW), MEMMAP_OK);
    assert_false(memmap_lookup(f->map, (uintptr_t)pg(f, 2, 100), &got));
}

/* --addr32: with a ceiling, a range that reaches it is refused by name and nothing is
 * registered; a range ending just below it is accepted; removing the ceiling accepts it. */
static void test_ceiling(void **state)
{
    (void)state;
    struct memmap *map = memmap_create();
    assert_non_null(map);
    char err[256];
    memmap_set_ceiling(map, 0x40000);
    struct memmap_range r = {.base = 0x3f000, .size = 0x1001, .secure = true, .owner = PID_A,
                             .rights = MEMMAP_RW, .name = "high stack"};
    assert_int_equal(memmap_add(map, &r, err, sizeof err), -1);
    assert_string_equal(err, "range 'high stack' [0x3f000, +0x1001) lies above 0x40000 "
                             "(--addr32: the host placed it out of a 32-bit address space)");
    struct memmap_range got;
    assert_false(memmap_lookup(map, 0x3f000, &got));
    r.size = 0x1000;
    assert_int_equal(memmap_add(map, &r, err, sizeof err), 0);
    assert_int_equal(memmap_remove(map, 0x3f000), 0);
    memmap_set_ceiling(map, 0);
    r.size = 0x2000;
    assert_int_equal(memmap_add(map, &r, err, sizeof err), 0);
    memmap_destroy(map);
}

/* Verdict names and the rule each verdict stands for. */
static void test_verdict_names(void **state)
{
    (void)state;
    assert_string_equal(memmap_verdict_name(MEMMAP_SECURE_FOR_NS), "SECURE_FOR_NS");
    assert_string_equal(memmap_verdict_name(MEMMAP_OUT_OF_REACH), "OUT_OF_REACH");
    assert_string_equal(ffm_rule_id(memmap_verdict_rule(MEMMAP_NULL_WITH_LEN)), "MEM-07");
    assert_string_equal(ffm_rule_id(memmap_verdict_rule(MEMMAP_WRAPS)), "MEM-08");
    assert_string_equal(ffm_rule_id(memmap_verdict_rule(MEMMAP_UNMAPPED)), "MEM-09");
    assert_string_equal(ffm_rule_id(memmap_verdict_rule(MEMMAP_SECURE_FOR_NS)), "MEM-06");
    assert_string_equal(ffm_rule_id(memmap_verdict_rule(MEMMAP_NOT_WRITABLE)), "MEM-10");
    assert_string_equal(ffm_rule_id(memmap_verdict_rule(MEMMAP_OUT_OF_REACH)), "MEM-05");
    assert_int_equal(memmap_verdict_rule(MEMMAP_OK), FFM_RULE_NONE);
}

/* ---- concurrency: readers check while a writer registers and removes "thread stacks" */

struct race {
    struct fixture *f;
    atomic_int stop; /* set by the writer when done; the readers poll it */
    unsigned long bad;
};

static void *reader(void *arg)
{
    struct race *r = arg;
    struct memmap_caller a = s_caller(PID_A, 3, false);
    while (!atomic_load(&r->stop)) {
        if (check(r->f, &NS, pg(r->f, 1, 0), 8, MEMMAP_R) != MEMMAP_SECURE_FOR_NS ||
            check(r->f, &a, pg(r->f, 1, 0), 2 * r->f->page, MEMMAP_RW) != MEMMAP_OK ||
            check(r->f, &NS, pg(r->f, 0, 0), 8, MEMMAP_RW) != MEMMAP_OK) {
            __atomic_add_fetch(&r->bad, 1, __ATOMIC_RELAXED);
        }
        enum memmap_verdict v = check(r->f, &NS, pg(r->f, 6, 0), 8, MEMMAP_RW);
        if (v != MEMMAP_OK && v != MEMMAP_SECURE_FOR_NS) {
            __atomic_add_fetch(&r->bad, 1, __ATOMIC_RELAXED);
        }
    }
    return NULL;
}

static void test_concurrent_readers(void **state)
{
    struct fixture *f = *state;
    struct race r = {.f = f};
    pthread_t t[4];
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_create(&t[i], NULL, reader, &r), 0);
    }
    for (int i = 0; i < 500; i++) {
        add(f, 6, true, PID_B, true, MEMMAP_RW, "stack");
        assert_int_equal(memmap_remove(f->map, (uintptr_t)pg(f, 6, 0)), 0);
    }
    atomic_store(&r.stop, 1);
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
    }
    assert_int_equal(r.bad, 0);
}

/* ---- fixed mappings (platform regions with a base), below 4 GiB */

static void test_map_fixed_low(void **state)
{
    char err[512];
    (void)state;
    static const uint64_t bases[] = {0x20000000u, 0x10000000u};
    for (size_t i = 0; i < 2; i++) {
        uint64_t base = bases[i];
        assert_int_equal(memmap_map_fixed(base, 0x4000, MEMMAP_RW, false, -1, err, sizeof err),
                         0);
        volatile unsigned char *p = (unsigned char *)(uintptr_t)base;
        p[0] = 0xA5;
        p[0x3fff] = 0x5A;
        assert_int_equal(p[0] + p[0x3fff], 0xFF);
        /* the same address again: taken, and the message says by what */
        assert_int_equal(memmap_map_fixed(base, 0x1000, MEMMAP_RW, false, -1,
                                          err, sizeof err), -1);
        assert_non_null(strstr(err, "address already in use"));
        assert_int_equal(p[0], 0xA5); /* never replaced */
        assert_int_equal(memmap_unmap((void *)(uintptr_t)base, 0x4000), 0);
    }
}

static void test_map_fixed_errors(void **state)
{
    char err[512];
    (void)state;
    long page = sysconf(_SC_PAGESIZE);
    /* the page holding this program's code is taken */
    uintptr_t code = (uintptr_t)&setup & ~((uintptr_t)page - 1);
    assert_int_equal(memmap_map_fixed(code, (uint64_t)page, MEMMAP_R, false, -1, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "address already in use by ["));
    assert_non_null(strstr(err, "test_sim_memmap"));
    assert_int_equal(memmap_map_fixed(0x20000001u, 0x1000, MEMMAP_RW, false, -1, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "multiple of the page size"));
    assert_int_equal(memmap_map_fixed(0, 0x1000, MEMMAP_RW, false, -1, err, sizeof err), -1);
    assert_int_equal(memmap_map_fixed(0x20000000u, 0, MEMMAP_RW, false, -1, err, sizeof err), -1);
}

/* A shared mapping is what a forked supervisor's children inherit (RESET-03); read-only
 * mappings are not writable by the host either. */
static void test_map_anywhere(void **state)
{
    char err[256];
    (void)state;
    struct memmap *map = memmap_create();
    unsigned char *p = memmap_map_anywhere(0x4000, MEMMAP_RW, true, -1, err, sizeof err);
    assert_non_null(p);
    p[0] = 1;
    const struct memmap_caller ns = {.secure = false, .pid = -1, .isolation = 1};
    assert_int_equal(memmap_check(map, &ns, p, 0x4000, MEMMAP_RW, NULL), MEMMAP_OK);
    assert_int_equal(memmap_unmap(p, 0x4000), 0);
    /* unmapped since the last check: the cached answer is not used */
    assert_int_equal(memmap_check(map, &ns, p, 0x4000, MEMMAP_R, NULL), MEMMAP_UNMAPPED);
    p = memmap_map_anywhere(0x1000, MEMMAP_R, false, -1, err, sizeof err);
    assert_non_null(p);
    memmap_host_invalidate(map); /* in case p reuses an address cached as RW */
    assert_int_equal(memmap_check(map, &ns, p, 0x1000, MEMMAP_RW, NULL), MEMMAP_NOT_WRITABLE);
    assert_int_equal(memmap_unmap(p, 0x1000), 0);
    assert_null(memmap_map_anywhere(0, MEMMAP_R, false, -1, err, sizeof err));
    memmap_destroy(map);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_zero_length_and_null, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unregistered_is_host, setup, teardown),
        cmocka_unit_test_setup_teardown(test_function_not_writable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_host_reread_on_miss, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unmapped_after_cached, setup, teardown),
        cmocka_unit_test_setup_teardown(test_registered_ns_range, setup, teardown),
        cmocka_unit_test_setup_teardown(test_secure_for_ns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crossing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rights, setup, teardown),
        cmocka_unit_test_setup_teardown(test_isolation_levels, setup, teardown),
        cmocka_unit_test_setup_teardown(test_registration, setup, teardown),
        cmocka_unit_test(test_verdict_names),
        cmocka_unit_test(test_ceiling),
        cmocka_unit_test_setup_teardown(test_concurrent_readers, setup, teardown),
        cmocka_unit_test(test_map_fixed_low),
        cmocka_unit_test(test_map_fixed_errors),
        cmocka_unit_test(test_map_anywhere),
    };
    return cmocka_run_group_tests_name("sim_memmap", tests, NULL, NULL);
}
