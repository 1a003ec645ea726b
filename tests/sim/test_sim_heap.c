/*
 * test_sim_heap.c - sim/heap.c, a partition's heap (MEM-18): exactly the bytes given, headers
 * included; 16-byte aligned blocks; freed neighbours merge back into the whole heap; calloc
 * zeroes and refuses an overflowing product; realloc keeps the contents, and on failure the
 * old block; a heap of size 0 gives NULL.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "heap.h"

static _Alignas(16) unsigned char arena[1024];

static void test_exact_size_and_merge(void **state)
{
    (void)state;
    struct sim_heap h;
    void *b[64];
    size_t n = 0;
    sim_heap_init(&h, arena, sizeof arena);
    assert_int_equal(sim_heap_largest(&h), sizeof arena - SIM_HEAP_HEADER);
    while (n < 64 && (b[n] = sim_heap_malloc(&h, 64)) != NULL) {
        assert_int_equal((uintptr_t)b[n] % 16, 0);
        assert_true(sim_heap_owns(&h, b[n]));
        memset(b[n], 0x5a, 64);
        n++;
    }
    assert_int_equal(n, 12); /* 12 x (64 + 16) = 960; the last 48 bytes fit no 64 */
    for (size_t i = 0; i < n; i += 2) { /* every other one first: no merge possible yet */
        sim_heap_free(&h, b[i]);
    }
    assert_null(sim_heap_malloc(&h, 65));
    for (size_t i = 1; i < n; i += 2) {
        sim_heap_free(&h, b[i]);
    }
    assert_int_equal(sim_heap_largest(&h), sizeof arena - SIM_HEAP_HEADER);
    void *whole = sim_heap_malloc(&h, sizeof arena - SIM_HEAP_HEADER);
    assert_ptr_equal(whole, arena + SIM_HEAP_HEADER);
    assert_null(sim_heap_malloc(&h, 1));
    sim_heap_free(&h, whole);
    assert_null(sim_heap_malloc(&h, sizeof arena - SIM_HEAP_HEADER + 1));
    assert_null(sim_heap_malloc(&h, 0));
    assert_false(sim_heap_owns(&h, arena + sizeof arena));
}

static void test_calloc_realloc(void **state)
{
    (void)state;
    struct sim_heap h;
    sim_heap_init(&h, arena, sizeof arena);
    memset(arena + SIM_HEAP_HEADER, 0xff, 100); /* dirty, as memory a free left */
    unsigned char *z = sim_heap_calloc(&h, 10, 10);
    assert_non_null(z);
    for (int i = 0; i < 100; i++) {
        assert_int_equal(z[i], 0);
    }
    assert_null(sim_heap_calloc(&h, SIZE_MAX / 2, 3));
    z[5] = 7;
    unsigned char *r = sim_heap_realloc(&h, z, 300);
    assert_non_null(r);
    assert_int_equal(r[5], 7);
    assert_ptr_equal(sim_heap_realloc(&h, r, 10), r); /* shrinking keeps the block */
    assert_null(sim_heap_realloc(&h, r, 2000));       /* too big: the old block stays */
    assert_int_equal(r[5], 7);
    assert_null(sim_heap_realloc(&h, r, 0));          /* size 0 frees it */
    assert_int_equal(sim_heap_largest(&h), sizeof arena - SIM_HEAP_HEADER);
}

static void test_no_heap(void **state)
{
    (void)state;
    struct sim_heap h;
    sim_heap_init(&h, NULL, 0);
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
        cmocka_unit_test(test_calloc_realloc),
        cmocka_unit_test(test_no_heap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
