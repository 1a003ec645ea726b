/*
 * test_sim_heap.c - sim/heap.c, a partition's heap (MEM-18): exactly the bytes given, all of
 * them usable (the block table is outside the region); 16-byte aligned blocks; freed
 * neighbours merge back into the whole heap; memory comes zeroed and is scrubbed when freed
 * or moved by realloc; calloc refuses an overflowing product; realloc keeps the contents, and
 * on failure the old block; a heap whose size is not a multiple of 16 hands out its last
 * bytes; a heap of size 0 gives NULL.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "heap.h"

static _Alignas(16) unsigned char arena[1024];
static uint32_t runs[SIM_HEAP_GRANULES(sizeof arena)];

static void test_exact_size_and_merge(void **state)
{
    (void)state;
    struct sim_heap h;
    void *b[64];
    size_t n = 0;
    sim_heap_init(&h, arena, sizeof arena, runs);
    assert_int_equal(sim_heap_largest(&h), sizeof arena);
    while (n < 64 && (b[n] = sim_heap_malloc(&h, 64)) != NULL) {
        assert_int_equal((uintptr_t)b[n] % 16, 0);
        assert_true(sim_heap_owns(&h, b[n]));
        memset(b[n], 0x5a, 64);
        n++;
    }
    assert_int_equal(n, 16); /* 16 x 64 = 1024: no byte goes to headers */
    for (size_t i = 0; i < n; i += 2) { /* every other one first: no merge possible yet */
        sim_heap_free(&h, b[i]);
    }
    assert_int_equal(sim_heap_largest(&h), 64);
    assert_null(sim_heap_malloc(&h, 65));
    for (size_t i = 1; i < n; i += 2) {
        sim_heap_free(&h, b[i]);
    }
    assert_int_equal(sim_heap_largest(&h), sizeof arena);
    void *whole = sim_heap_malloc(&h, sizeof arena);
    assert_ptr_equal(whole, arena);
    assert_null(sim_heap_malloc(&h, 1));
    sim_heap_free(&h, whole);
    assert_null(sim_heap_malloc(&h, sizeof arena + 1));
    assert_null(sim_heap_malloc(&h, 0));
    assert_false(sim_heap_owns(&h, arena + sizeof arena));
}

static void test_zeroed_and_scrubbed(void **state)
{
    (void)state;
    struct sim_heap h;
    memset(arena, 0xff, sizeof arena); /* whatever the memory held before */
    sim_heap_init(&h, arena, sizeof arena, runs);
    unsigned char *a = sim_heap_malloc(&h, sizeof arena);
    for (size_t i = 0; i < sizeof arena; i++) {
        assert_int_equal(a[i], 0);
    }
    memset(a, 1, sizeof arena);
    sim_heap_free(&h, a);
    assert_int_equal(a[0], 0); /* a secret does not outlive its block */
    assert_int_equal(a[sizeof arena - 1], 0);
    unsigned char *z = sim_heap_calloc(&h, 10, 10);
    for (int i = 0; i < 100; i++) {
        assert_int_equal(z[i], 0);
    }
    assert_null(sim_heap_calloc(&h, SIZE_MAX / 2, 3));
    sim_heap_free(&h, z);
    unsigned char *r = sim_heap_malloc(&h, 32);
    memset(r, 1, 32);
    unsigned char *g = sim_heap_realloc(&h, r, 64); /* growing moves the block ... */
    assert_ptr_not_equal(g, r);
    for (int i = 0; i < 64; i++) {
        assert_int_equal(g[i], i < 32 ? 1 : 0); /* ... keeps the contents, zeroes the rest */
    }
    for (int i = 0; i < 32; i++) {
        assert_int_equal(r[i], 0); /* ... and scrubs the old block */
    }
    unsigned char *s = sim_heap_realloc(&h, g, 16); /* shrinking keeps it, scrubs the tail */
    assert_ptr_equal(s, g);
    assert_int_equal(g[16], 0);
    assert_int_equal(g[15], 1);
    assert_int_equal(sim_heap_largest(&h), sizeof arena - 32 - 16);
}

static void test_calloc_realloc(void **state)
{
    (void)state;
    struct sim_heap h;
    sim_heap_init(&h, arena, sizeof arena, runs);
    unsigned char *z = sim_heap_calloc(&h, 10, 10);
    z[5] = 7;
    unsigned char *r = sim_heap_realloc(&h, z, 300);
    assert_non_null(r);
    assert_int_equal(r[5], 7);
    assert_ptr_equal(sim_heap_realloc(&h, r, 10), r); /* shrinking keeps the block */
    assert_null(sim_heap_realloc(&h, r, 2000));       /* too big: the old block stays */
    assert_int_equal(r[5], 7);
    assert_null(sim_heap_realloc(&h, r, 0));          /* size 0 frees it */
    assert_int_equal(sim_heap_largest(&h), sizeof arena);
}

static void test_size_not_a_multiple_of_16(void **state)
{
    (void)state;
    struct sim_heap h;
    sim_heap_init(&h, arena, 1000, runs);
    assert_int_equal(sim_heap_largest(&h), 1000);
    void *a = sim_heap_malloc(&h, 990);
    assert_ptr_equal(a, arena);
    void *tail = sim_heap_malloc(&h, 9); /* 990 takes 992 bytes: 8 are left, in a short granule */
    assert_null(tail);
    tail = sim_heap_malloc(&h, 8);
    assert_ptr_equal(tail, arena + 992);
    assert_null(sim_heap_malloc(&h, 1));
    sim_heap_free(&h, tail);
    sim_heap_free(&h, a);
    assert_ptr_equal(sim_heap_malloc(&h, 1000), arena);
    assert_null(sim_heap_malloc(&h, 1001));
}

static void test_no_heap(void **state)
{
    (void)state;
    struct sim_heap h;
    sim_heap_init(&h, NULL, 0, NULL);
    assert_null(sim_heap_malloc(&h, 1));
    assert_null(sim_heap_calloc(&h, 1, 1));
    assert_null(sim_heap_realloc(&h, NULL, 1));
    sim_heap_free(&h, NULL);
    assert_false(sim_heap_owns(&h, arena));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_size_and_merge),
        cmocka_unit_test(test_zeroed_and_scrubbed),
        cmocka_unit_test(test_calloc_realloc),
        cmocka_unit_test(test_size_not_a_multiple_of_16),
        cmocka_unit_test(test_no_heap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
