/*
 * test_sim_isolation.c - sim/isolation.c, the page protections that follow the running domain
 * (MEM-15..17, MEM-19): what each level lets a runner reach, which mprotect calls a switch
 * makes (only the ranges whose reach changes; adjacent ranges of one owner are one call), a
 * page shared by two owners (open when either is reachable) and the fault report's owner.
 *
 * Whether a page is readable is asked without touching it: write(2) from it into a pipe fails
 * with EFAULT when it is not.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "isolation.h"

#define P0 (1ull << 0) /* a PSA-RoT partition */
#define P1 (1ull << 1) /* an App-RoT partition */
#define SPM (1ull << ISO_DOM_SPM)
#define SHARED (1ull << ISO_DOM_SHARED)

static struct ffm_isolation iso;

static bool readable(const void *addr)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    ssize_t n = write(fds[1], addr, 1);
    int err = errno;
    close(fds[0]);
    close(fds[1]);
    assert_true(n == 1 || err == EFAULT);
    return n == 1;
}

static unsigned char *map_pages(size_t n)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    void *p = mmap(NULL, n * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(p != MAP_FAILED);
    return p;
}

static void add(uintptr_t base, size_t size, uint64_t domains, const char *owner,
                const char *what)
{
    char err[128];
    assert_int_equal(isolation_add(&iso, base, size, domains, PROT_READ | PROT_WRITE, owner,
                                   what, err, sizeof err), 0);
}

/* MEM-05/MEM-16/MEM-17: the domains each runner reaches, level by level. */
static void test_reach_by_level(void **state)
{
    (void)state;
    isolation_init(&iso, 1, P0);
    assert_true(isolation_reach(&iso, ISO_RUN_NS) == 0);
    assert_true(isolation_reach(&iso, 1) == ~0ull);
    assert_true(isolation_reach(&iso, ISO_RUN_ALL) == ~0ull);
    isolation_init(&iso, 2, P0);
    assert_true(isolation_reach(&iso, 0) == ~0ull);                     /* PSA-RoT: all */
    assert_true(isolation_reach(&iso, 1) == (~0ull & ~(P0 | SPM)));     /* App-RoT */
    assert_true(isolation_reach(&iso, ISO_RUN_NS) == 0);
    isolation_init(&iso, 3, P0);
    assert_true(isolation_reach(&iso, 1) == (P1 | SHARED));
    assert_true(isolation_reach(&iso, 0) == (P0 | SHARED));
    assert_true(isolation_reach(&iso, ISO_RUN_ALL) == ~0ull);
    isolation_init(&iso, 0, P0);
    assert_true(isolation_reach(&iso, ISO_RUN_NS) == ~0ull); /* MEM-16: 0 is off */
}

/* Pages m[0..n) at `level`: P0's "data" on page 0, P1's "stack" on page 2. */
static unsigned char *two_partitions(size_t n, int level)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    unsigned char *m = map_pages(n);
    isolation_init(&iso, level, P0);
    add((uintptr_t)m, page, P0, "P0", "data");
    add((uintptr_t)(m + 2 * page), page, P1, "P1", "stack");
    return m;
}

/* What the fault handler does on a touch of closed memory by the runner: open it (true). */
static bool touch(const void *addr)
{
    return isolation_open_on_fault(&iso, (uintptr_t)addr, false);
}

/* MEM-15: a switch closes what the runner cannot reach; the runner's ranges open on first
 * touch, and at once at its later switches (its working set); one call per range that
 * changes, none for a switch that changes nothing. */
static void test_apply_follows_the_runner(void **state)
{
    (void)state;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    unsigned char *m = two_partitions(4, 3);
    assert_int_equal(iso.n_ranges, 2);
    assert_int_equal(isolation_apply(&iso, isolation_reach(&iso, ISO_RUN_NS), 0), 2);
    assert_false(readable(m));
    assert_true(readable(m + page)); /* not in the table: NS memory */
    assert_false(readable(m + 2 * page));
    assert_true(isolation_closed_at(&iso, (uintptr_t)(m + 2 * page + 8)));
    assert_int_equal(isolation_apply(&iso, isolation_reach(&iso, 1), P1), 0);
    assert_true(touch(m + 2 * page));  /* first touch by its owner */
    assert_false(touch(m));            /* beyond P1's reach at level 3: a real fault */
    assert_false(readable(m));
    assert_true(readable(m + 2 * page));
    assert_int_equal(isolation_apply(&iso, isolation_reach(&iso, 1), P1), 0);
    assert_int_equal(isolation_apply(&iso, isolation_reach(&iso, ISO_RUN_NS), 0), 1);
    assert_int_equal(isolation_apply(&iso, isolation_reach(&iso, 1), P1), 1); /* working set */
    assert_true(readable(m + 2 * page));
    assert_int_equal(isolation_apply(&iso, isolation_reach(&iso, 0), P0), 1);
    assert_false(readable(m + 2 * page));
    isolation_truncate(&iso, 0, 0); /* everything reachable again, table empty */
    assert_true(readable(m + 2 * page));
    assert_true(readable(m));
    assert_int_equal(iso.n_ranges, 0);
    munmap(m, 4 * page);
}

/* Adjacent ranges of one owner with one set of rights are one mprotect call (the layout's
 * point: few calls per switch). */
static void test_adjacent_ranges_are_one_call(void **state)
{
    (void)state;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    unsigned char *m = map_pages(3);
    isolation_init(&iso, 1, 0);
    add((uintptr_t)m, page, P1, "P1", "stack");
    add((uintptr_t)(m + page), 2 * page, P1, "P1", "heap");
    assert_int_equal(iso.n_ranges, 1);
    assert_int_equal(isolation_apply(&iso, 0, 0), 1);
    assert_false(readable(m + 2 * page));
    assert_int_equal(isolation_apply(&iso, ~0ull, 0), 0);
    assert_true(touch(m));
    assert_true(readable(m + 2 * page));
    assert_int_equal(isolation_apply(&iso, 0, 0), 1);
    assert_int_equal(isolation_apply(&iso, ~0ull, P1), 1);
    assert_true(readable(m + 2 * page));
    munmap(m, 3 * page);
}

/* MEM-19: pieces need not be page aligned; the page that holds bytes of two owners is open
 * while either is reachable, closed when neither is; the report names the exact owner. */
static void test_shared_page(void **state)
{
    (void)state;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    unsigned char *m = map_pages(1);
    isolation_init(&iso, 3, 0);
    add((uintptr_t)(m + 0x100), 0x80, P0, "ALPHA_SP", "region WIN_A");
    add((uintptr_t)(m + 0x200), 0x80, P1, "BETA_SP", "region WIN_B");
    isolation_apply(&iso, isolation_reach(&iso, 1), P1); /* ALPHA's closed, BETA's reopened */
    assert_true(readable(m + 0x100)); /* BETA_SP runs: the page is BETA_SP's too */
    isolation_apply(&iso, isolation_reach(&iso, 0), P0);
    assert_false(readable(m + 0x100));
    assert_true(touch(m + 0x100)); /* ALPHA_SP's first touch opens the page */
    assert_true(readable(m + 0x200));
    isolation_apply(&iso, isolation_reach(&iso, ISO_RUN_NS), 0);
    assert_false(readable(m + 0x100));
    char buf[112];
    assert_true(isolation_describe(&iso, (uintptr_t)(m + 0x104), buf, sizeof buf));
    assert_string_equal(buf, "owned by ALPHA_SP (region WIN_A)");
    assert_true(isolation_describe(&iso, (uintptr_t)(m + 0x280), buf, sizeof buf));
    assert_string_equal(buf, "in a page of ALPHA_SP (region WIN_A)");
    assert_false(isolation_describe(&iso, (uintptr_t)(m + page + page), buf, sizeof buf));
    assert_string_equal(buf, "");
    isolation_truncate(&iso, 0, 0);
    munmap(m, page);
}

/* MEM-15, MEM-17: at level 2 a PSA-RoT partition reaches an App-RoT partition's range on first
 * touch; an App-RoT runner cannot open the SPM's range, the SPM can (privileged), and the
 * next switch closes what the SPM opened. */
static void test_open_on_first_touch(void **state)
{
    (void)state;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    unsigned char *m = two_partitions(5, 2);
    add((uintptr_t)(m + 4 * page), page, SPM, "SPM", "region NVMEM");
    isolation_apply(&iso, isolation_reach(&iso, ISO_RUN_NS), 0);
    isolation_apply(&iso, isolation_reach(&iso, 0), P0);
    assert_false(readable(m + 2 * page));
    assert_true(touch(m + 2 * page + 4));
    assert_true(readable(m + 2 * page));
    assert_false(touch(m + 2 * page + 4)); /* already open: a real fault */
    assert_false(touch(m + page));         /* not in the table */
    isolation_apply(&iso, isolation_reach(&iso, 1), P1); /* App-RoT at level 2 */
    assert_false(readable(m));
    assert_false(touch(m + 4 * page));                                            /* MEM-17 */
    assert_true(isolation_open_on_fault(&iso, (uintptr_t)(m + 4 * page), true)); /* the SPM */
    assert_true(readable(m + 4 * page));
    assert_int_equal(isolation_apply(&iso, isolation_reach(&iso, 1), P1), 1); /* closed again */
    assert_false(readable(m + 4 * page));
    isolation_truncate(&iso, 0, 0);
    munmap(m, 5 * page);
}

/* MEM-16: level 0 never changes a protection. */
static void test_level_0_is_off(void **state)
{
    (void)state;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    unsigned char *m = map_pages(1);
    isolation_init(&iso, 0, 0);
    add((uintptr_t)m, page, P0, "P0", "data");
    assert_int_equal(isolation_apply(&iso, isolation_reach(&iso, ISO_RUN_NS), 0), 0);
    assert_true(readable(m));
    assert_false(isolation_closed_at(&iso, (uintptr_t)m));
    munmap(m, page);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reach_by_level),
        cmocka_unit_test(test_apply_follows_the_runner),
        cmocka_unit_test(test_adjacent_ranges_are_one_call),
        cmocka_unit_test(test_shared_page),
        cmocka_unit_test(test_open_on_first_touch),
        cmocka_unit_test(test_level_0_is_off),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
