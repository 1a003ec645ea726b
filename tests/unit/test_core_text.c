/*
 * test_core_text.c - the core's text: boot status strings, API, disposition, rule and memory
 * verdict names (what a PE event and a failed boot print, GEN-05), the freestanding formatter
 * behind every event reason, and the pool's capacity clamp. Each name is asserted exactly, so a
 * reworded message is a deliberate change.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core_internal.h"
#include "ffm_rules.h"
#include "pool.h"
#include "spm.h"

/* Every boot status has its own sentence; an unknown one is "?". */
static void test_boot_strerror_every_status(void **state)
{
    (void)state;
    assert_string_equal(ffm_boot_strerror(FFM_BOOT_OK), "booted");
    assert_string_equal(ffm_boot_strerror(FFM_BOOT_BAD_LIFECYCLE),
                        "LC-03: lifecycle state byte is not one of the 7 PSA states");
    assert_string_equal(ffm_boot_strerror(FFM_BOOT_BAD_ISOLATION),
                        "isolation level must be 1, 2 or 3");
    assert_string_equal(ffm_boot_strerror(FFM_BOOT_TOO_BIG),
                        "description exceeds the core's compile-time maxima");
    assert_string_equal(ffm_boot_strerror(FFM_BOOT_BAD_DESC),
                        "inconsistent description (index out of range)");
    assert_string_equal(ffm_boot_strerror(FFM_BOOT_BAD_PROFILE), "unknown profile");
    assert_string_equal(ffm_boot_strerror(1), "?");
    assert_string_equal(ffm_boot_strerror(-6), "?");
}

/* GEN-05: the disposition an event carries, by name; out-of-range values print "?". */
static void test_disposition_names(void **state)
{
    (void)state;
    assert_string_equal(ffm_disposition_name(FFM_DISP_RETURN_STATUS), "return-status");
    assert_string_equal(ffm_disposition_name(FFM_DISP_RETURN_VOID), "return");
    assert_string_equal(ffm_disposition_name(FFM_DISP_PANIC), "panic");
    assert_string_equal(ffm_disposition_name((enum ffm_disposition)(FFM_DISP_PANIC + 1)), "?");
}

/* Names of values outside their enums are "?", never an out-of-bounds read. */
static void test_names_out_of_range(void **state)
{
    (void)state;
    assert_string_equal(ffm_api_name(FFM_API_COUNT), "?");
    assert_string_equal(ffm_api_name((enum ffm_api)(FFM_API_COUNT + 7)), "?");
    assert_string_equal(ffm_rule_id(FFM_RULE_COUNT), "?");
    assert_string_equal(ffm_rule_id(FFM_RULE_NONE), "NONE");
    assert_string_equal(ffm_mem_verdict_name((enum ffm_mem_verdict)(FFM_MEM_OUT_OF_REACH + 1)),
                        "?");
}

/* The memory verdicts as a PE reason names them (MEM-01, -02, -05, -06). */
static void test_mem_verdict_names(void **state)
{
    (void)state;
    assert_string_equal(ffm_mem_verdict_name(FFM_MEM_OK), "accessible");
    assert_string_equal(ffm_mem_verdict_name(FFM_MEM_UNMAPPED), "unmapped");
    assert_string_equal(ffm_mem_verdict_name(FFM_MEM_SECURE_FOR_NS),
                        "secure memory named by an NS caller");
    assert_string_equal(ffm_mem_verdict_name(FFM_MEM_NOT_WRITABLE), "not writable");
    assert_string_equal(ffm_mem_verdict_name(FFM_MEM_NOT_READABLE), "not readable");
    assert_string_equal(ffm_mem_verdict_name(FFM_MEM_OUT_OF_REACH),
                        "beyond the caller's isolation reach");
}

/* The formatter: every conversion it knows, "%%", an unknown conversion kept as written, a
 * NULL string, a trailing '%', and truncation that always terminates. */
static void test_fmt_conversions(void **state)
{
    char buf[96];

    (void)state;
    assert_int_equal(ffm_fmt(buf, sizeof(buf), "%s|%c|%d|%u|%x|%zu|%zd", "ab", 'Z', -12, 34u,
                             0xbeefu, (size_t)56, (size_t)7),
                     strlen("ab|Z|-12|34|0xbeef|56|7"));
    assert_string_equal(buf, "ab|Z|-12|34|0xbeef|56|7");
    ffm_fmt(buf, sizeof(buf), "100%% %q %s end%", (const char *)NULL);
    assert_string_equal(buf, "100% %q (null) end%");
    ffm_fmt(buf, sizeof(buf), "%p", (const void *)(uintptr_t)0x1234u);
    assert_string_equal(buf, "0x1234");
    /* Truncated: the full length is returned, the buffer holds cap - 1 characters. */
    assert_int_equal(ffm_fmt(buf, 5, "%s", "abcdefgh"), 8u);
    assert_string_equal(buf, "abcd");
    /* cap 0: nothing is written at all. */
    buf[0] = 'x';
    assert_int_equal(ffm_fmt(buf, 0, "abc"), 3u);
    assert_int_equal(buf[0], 'x');
}

/* HDL-10: the pool's capacity is clamped to 1..FFM_POOL_MAX. */
static void test_pool_capacity_clamped(void **state)
{
    static struct ffm_pool pool;

    (void)state;
    ffm_pool_init(&pool, 0u);
    assert_int_equal(pool.capacity, 1u);
    assert_int_equal(ffm_pool_free_count(&pool), 1u);
    ffm_pool_init(&pool, (uint16_t)(FFM_POOL_MAX + 1u));
    assert_int_equal(pool.capacity, FFM_POOL_MAX);
    assert_int_equal(ffm_pool_free_count(&pool), FFM_POOL_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boot_strerror_every_status),
        cmocka_unit_test(test_disposition_names),
        cmocka_unit_test(test_names_out_of_range),
        cmocka_unit_test(test_mem_verdict_names),
        cmocka_unit_test(test_fmt_conversions),
        cmocka_unit_test(test_pool_capacity_clamped),
    };
    return cmocka_run_group_tests_name("core_text", tests, NULL, NULL);
}
