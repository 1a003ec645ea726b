/*
 * test_watchdog.c - the watchdog's shared deadline (RESET-08): arm, feed, disarm, scale and
 * expiry, with explicit clock values so that no test depends on timing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "watchdog.h"

#define MS 1000000ull
#define T0 (5000 * MS)

/* RESET-08: disabled at cold start and after each reset. */
static void test_reset_leaves_it_disarmed(void **unused)
{
    struct ffm_wdog w;

    (void)unused;
    ffm_wdog_reset(&w, 1.0);
    ffm_wdog_arm_at(&w, 10, T0);
    ffm_wdog_reset(&w, 1.0);
    assert_false(ffm_wdog_armed(&w));
    assert_false(ffm_wdog_expired(&w, UINT64_MAX));
    assert_int_equal(ffm_wdog_timeout_ms(&w), 0);
}

static void test_armed_watchdog_expires_exactly_at_its_deadline(void **unused)
{
    struct ffm_wdog w;

    (void)unused;
    ffm_wdog_reset(&w, 1.0);
    ffm_wdog_arm_at(&w, 100, T0);
    assert_true(ffm_wdog_armed(&w));
    assert_int_equal(ffm_wdog_timeout_ms(&w), 100);
    assert_false(ffm_wdog_expired(&w, T0 + 100 * MS - 1));
    assert_true(ffm_wdog_expired(&w, T0 + 100 * MS));
}

static void test_feed_restarts_the_period(void **unused)
{
    struct ffm_wdog w;

    (void)unused;
    ffm_wdog_reset(&w, 1.0);
    ffm_wdog_arm_at(&w, 100, T0);
    ffm_wdog_feed_at(&w, T0 + 90 * MS);
    assert_false(ffm_wdog_expired(&w, T0 + 189 * MS));
    assert_true(ffm_wdog_expired(&w, T0 + 190 * MS));
}

static void test_disarm_stops_it_and_feed_does_not_rearm(void **unused)
{
    struct ffm_wdog w;

    (void)unused;
    ffm_wdog_reset(&w, 1.0);
    ffm_wdog_arm_at(&w, 100, T0);
    ffm_wdog_disarm(&w);
    ffm_wdog_feed_at(&w, T0 + 10 * MS);
    assert_false(ffm_wdog_armed(&w));
    assert_false(ffm_wdog_expired(&w, T0 + 1000 * MS));
}

/* The configured scale stretches host time per simulated millisecond. */
static void test_scale_multiplies_the_timeout(void **unused)
{
    struct ffm_wdog w;

    (void)unused;
    ffm_wdog_reset(&w, 2.5);
    assert_int_equal(ffm_wdog_period_ns(&w, 100), 250 * MS);
    ffm_wdog_arm_at(&w, 100, T0);
    assert_false(ffm_wdog_expired(&w, T0 + 250 * MS - 1));
    assert_true(ffm_wdog_expired(&w, T0 + 250 * MS));
    ffm_wdog_reset(&w, 0); /* non-positive scale means 1.0 */
    assert_int_equal(ffm_wdog_period_ns(&w, 100), 100 * MS);
}

/* A zero timeout is armed (not "disarmed" by a zero deadline) and already expired. */
static void test_zero_timeout_expires_immediately(void **unused)
{
    struct ffm_wdog w;

    (void)unused;
    ffm_wdog_reset(&w, 1.0);
    ffm_wdog_arm_at(&w, 0, T0);
    assert_true(ffm_wdog_armed(&w));
    assert_true(ffm_wdog_expired(&w, T0));
}

static void test_monotonic_clock_never_goes_back(void **unused)
{
    uint64_t a = ffm_monotonic_ns();
    uint64_t b = ffm_monotonic_ns();

    (void)unused;
    assert_true(a > 0);
    assert_true(b >= a);
}

/* Who armed it (for the WATCHDOG line): kept, cut to the field, cleared by a reset. */
static void test_armed_by_is_kept_cut_and_cleared_at_reset(void **unused)
{
    struct ffm_wdog w;
    char long_name[300];

    (void)unused;
    ffm_wdog_reset(&w, 1.0);
    assert_string_equal(w.armed_by, "");
    ffm_wdog_set_armed_by(&w, "partition A_SP (pid 256)");
    assert_string_equal(w.armed_by, "partition A_SP (pid 256)");
    memset(long_name, 'x', sizeof(long_name) - 1);
    long_name[sizeof(long_name) - 1] = '\0';
    ffm_wdog_set_armed_by(&w, long_name);
    assert_int_equal(strlen(w.armed_by), sizeof(w.armed_by) - 1);
    ffm_wdog_set_armed_by(&w, NULL);
    assert_string_equal(w.armed_by, "");
    ffm_wdog_set_armed_by(&w, "NS client -1");
    ffm_wdog_reset(&w, 1.0);
    assert_string_equal(w.armed_by, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reset_leaves_it_disarmed),
        cmocka_unit_test(test_armed_watchdog_expires_exactly_at_its_deadline),
        cmocka_unit_test(test_feed_restarts_the_period),
        cmocka_unit_test(test_disarm_stops_it_and_feed_does_not_rearm),
        cmocka_unit_test(test_scale_multiplies_the_timeout),
        cmocka_unit_test(test_zero_timeout_expires_immediately),
        cmocka_unit_test(test_monotonic_clock_never_goes_back),
        cmocka_unit_test(test_armed_by_is_kept_cut_and_cleared_at_reset),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
