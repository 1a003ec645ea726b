/*
 * test_report.c - panic/reset log lines and the summary block (issue 6 item 5), and the
 * counters behind it: exact text, since users and scripts read these lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"
#include "super_util.h"

static void test_stop_reason_names(void **unused)
{
    static const char *const expected[FFM_STOP_COUNT] = {
        "NONE", "PANIC", "PSA_PANIC", "FAULT", "WATCHDOG", "PLATFORM", "RESET_LOOP",
        "DEADLOCK", "TIMEOUT", "INTERNAL", "INTERRUPTED", "EXITED",
    };
    int r;

    (void)unused;
    for (r = 0; r < FFM_STOP_COUNT; r++) {
        assert_string_equal(ffm_stop_reason_name((enum ffm_stop_reason)r), expected[r]);
    }
    assert_string_equal(ffm_stop_reason_name(FFM_STOP_COUNT), "?");
}

/* The example line, exactly. */
static void test_panic_line_names_rule_api_caller_reason_outcome(void **unused)
{
    struct ffm_pe_record pe;
    char line[512];
    int len;

    (void)unused;
    ffm_pe_record_init(&pe, "CALL-05", "psa_call", true, 257, "DEMO_SP_PLATFORM",
                       "version 2 rejected by STRICT v1");
    len = ffm_report_format_event(line, sizeof(line), "PANIC", &pe, "reset (boot 2)");
    assert_string_equal(line, "ffm-sim: PANIC [CALL-05] psa_call by partition DEMO_SP_PLATFORM "
                              "(pid 257): version 2 rejected by STRICT v1 -> reset (boot 2)");
    assert_int_equal(len, (int)strlen(line));
}

static void test_callers_are_described_by_kind(void **unused)
{
    struct ffm_pe_record pe;
    char line[512];

    (void)unused;
    ffm_pe_record_init(&pe, "CON-03", "psa_connect", false, -1, "NS", "stateless SID 0x40");
    ffm_report_format_event(line, sizeof(line), "PROGRAMMER ERROR", &pe, "returns -130");
    assert_string_equal(line, "ffm-sim: PROGRAMMER ERROR [CON-03] psa_connect by NS client -1: "
                              "stateless SID 0x40 -> returns -130");
    ffm_pe_record_init(&pe, "CALL-02", "psa_call", false, -2, "worker", "forged handle");
    ffm_report_format_event(line, sizeof(line), "PROGRAMMER ERROR", &pe, "returns -129");
    assert_string_equal(line, "ffm-sim: PROGRAMMER ERROR [CALL-02] psa_call by NS thread worker "
                              "(client -2): forged handle -> returns -129");
    /* A partition other than the caller is named; an empty rule or API shows as ? and -. */
    ffm_pe_record_init(&pe, "", "", true, 5, "A", "replied PE");
    ffm_copy_field(pe.partition, sizeof(pe.partition), "B");
    ffm_report_format_event(line, sizeof(line), "PANIC", &pe, "halt (exit 3)");
    assert_string_equal(line, "ffm-sim: PANIC [?] - by partition A (pid 5), partition B: "
                              "replied PE -> halt (exit 3)");
}

static void test_record_fields_are_cut_and_terminated(void **unused)
{
    struct ffm_pe_record pe;
    char longname[100];

    (void)unused;
    memset(longname, 'n', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = '\0';
    ffm_pe_record_init(&pe, "A-VERY-LONG-RULE-ID", NULL, true, 1, longname, NULL);
    assert_string_equal(pe.rule, "A-VERY-LONG-RUL");
    assert_string_equal(pe.api, "");
    assert_int_equal(strlen(pe.caller_name), FFM_PE_NAME_MAX - 1);
    assert_string_equal(pe.reason, "");
    assert_false(pe.programmer_error);
}

static void test_counters_count_by_rule_in_first_seen_order(void **unused)
{
    struct ffm_run_counters c;
    char rule[16];
    unsigned i;

    (void)unused;
    ffm_counters_init(&c);
    ffm_counters_add_call(&c);
    ffm_counters_add_call(&c);
    ffm_counters_add_pe(&c, "CALL-05");
    ffm_counters_add_pe(&c, "CON-03");
    ffm_counters_add_pe(&c, "CALL-05");
    ffm_counters_add_pe(&c, NULL);
    assert_int_equal(c.calls, 2);
    assert_int_equal(c.pe_total, 4);
    assert_string_equal(c.pe[0].rule, "CALL-05");
    assert_string_equal(c.pe[1].rule, "CON-03");
    assert_string_equal(c.pe[2].rule, "?");
    assert_int_equal(ffm_counters_pe_count(&c, "CALL-05"), 2);
    assert_int_equal(ffm_counters_pe_count(&c, "CON-03"), 1);
    assert_int_equal(ffm_counters_pe_count(&c, "READ-01"), 0);
    /* A full table still counts the total and the overflow. */
    for (i = 0; i < FFM_RULE_SLOTS; i++) {
        snprintf(rule, sizeof(rule), "X-%02u", i);
        ffm_counters_add_pe(&c, rule);
    }
    assert_int_equal(c.pe_total, 4 + FFM_RULE_SLOTS);
    assert_int_equal(c.pe_untracked, 3);
}

/* The summary printed by the supervisor at the end of every run. */
static void test_summary_block_is_exact(void **unused)
{
    struct ffm_run_counters c;
    struct ffm_run_outcome outcome = { FFM_STOP_EXITED, 0 };
    char path[512];
    char *text;
    FILE *f;

    (void)unused;
    ffm_counters_init(&c);
    c.boots = 3;
    c.resets = 2;
    c.resets_by[FFM_STOP_PANIC] = 1;
    c.resets_by[FFM_STOP_WATCHDOG] = 1;
    c.panics = 1;
    ffm_counters_add_call(&c);
    ffm_counters_add_pe(&c, "CON-03");
    ffm_counters_add_pe(&c, "CALL-02");
    f = fopen(scratch_path(path, sizeof(path), "summary.txt"), "w");
    assert_non_null(f);
    ffm_report_summary(f, &c, &outcome);
    outcome.reason = FFM_STOP_WATCHDOG; /* not a real final reason: the default branch */
    outcome.exit_code = 3;
    ffm_report_summary(f, &c, &outcome);
    fclose(f);
    text = read_whole_file(path, NULL);
    assert_string_equal(text,
        "ffm-sim: summary\n"
        "ffm-sim:   boots:             3 (1 cold, 2 warm)\n"
        "ffm-sim:   resets:            2 (PANIC 1, WATCHDOG 1)\n"
        "ffm-sim:   panics:            1\n"
        "ffm-sim:   faults:            0\n"
        "ffm-sim:   PSA API calls:     1\n"
        "ffm-sim:   PROGRAMMER ERRORs: 2 (CON-03 1, CALL-02 1)\n"
        "ffm-sim:   end:               NS entry returned 0\n"
        "ffm-sim: summary\n"
        "ffm-sim:   boots:             3 (1 cold, 2 warm)\n"
        "ffm-sim:   resets:            2 (PANIC 1, WATCHDOG 1)\n"
        "ffm-sim:   panics:            1\n"
        "ffm-sim:   faults:            0\n"
        "ffm-sim:   PSA API calls:     1\n"
        "ffm-sim:   PROGRAMMER ERRORs: 2 (CON-03 1, CALL-02 1)\n"
        "ffm-sim:   end:               halted, reason WATCHDOG (exit 3)\n");
    free(text);
    unlink(path);
}

/* Policy trap: trapped panics and faults add to the totals and are shown apart. */
static void test_summary_shows_trapped_panics_and_faults(void **unused)
{
    struct ffm_run_counters c;
    struct ffm_run_outcome outcome = { FFM_STOP_EXITED, 0 };
    char path[512];
    char *text;
    FILE *f;

    (void)unused;
    ffm_counters_init(&c);
    c.boots = 1;
    c.panics = 1;
    atomic_fetch_add(&c.trapped_panics, 2);
    atomic_fetch_add(&c.trapped_faults, 1);
    f = fopen(scratch_path(path, sizeof(path), "summary_trap.txt"), "w");
    assert_non_null(f);
    ffm_report_summary(f, &c, &outcome);
    fclose(f);
    text = read_whole_file(path, NULL);
    assert_string_equal(text,
        "ffm-sim: summary\n"
        "ffm-sim:   boots:             1 (1 cold, 0 warm)\n"
        "ffm-sim:   resets:            0\n"
        "ffm-sim:   panics:            3 (trapped 2)\n"
        "ffm-sim:   faults:            1 (trapped 1)\n"
        "ffm-sim:   PSA API calls:     0\n"
        "ffm-sim:   PROGRAMMER ERRORs: 0\n"
        "ffm-sim:   end:               NS entry returned 0\n");
    free(text);
    unlink(path);
}

/* Stack use: the deepest of each partition's boots, against its stack_size, in its own block
 * (partitions by index; one never measured is not listed). */
static void test_summary_shows_stack_use(void **unused)
{
    char path[512];
    char *text;
    FILE *f;
    struct ffm_run_counters c;
    struct ffm_run_outcome outcome = { FFM_STOP_EXITED, 0 };

    (void)unused;
    ffm_counters_init(&c);
    c.boots = 2;
    ffm_counters_stack(&c, 2, "TFM_SP_ITS", 1824, 1504);
    ffm_counters_stack(&c, 2, "TFM_SP_ITS", 1824, 1200); /* a shallower boot keeps 1504 */
    ffm_counters_stack(&c, 0, "DEEP", 1024, 3186);
    ffm_counters_stack(&c, 5, "MACRO_SIZED", 0, 96);
    ffm_counters_stack(&c, FFM_STACK_MARKS, "OUT_OF_RANGE", 1, 1);
    f = fopen(scratch_path(path, sizeof(path), "summary_stack.txt"), "w");
    assert_non_null(f);
    ffm_report_summary(f, &c, &outcome);
    fclose(f);
    text = read_whole_file(path, NULL);
    assert_string_equal(text,
        "ffm-sim: summary\n"
        "ffm-sim:   boots:             2 (1 cold, 1 warm)\n"
        "ffm-sim:   resets:            0\n"
        "ffm-sim:   panics:            0\n"
        "ffm-sim:   faults:            0\n"
        "ffm-sim:   PSA API calls:     0\n"
        "ffm-sim:   PROGRAMMER ERRORs: 0\n"
        "ffm-sim:   stack use (deepest, against the manifest's stack_size):\n"
        "ffm-sim:     DEEP: 3,186 of 1,024 bytes (311 %), host-measured: MORE THAN ITS"
        " stack_size\n"
        "ffm-sim:     TFM_SP_ITS: 1,504 of 1,824 bytes (82 %), host-measured\n"
        "ffm-sim:     MACRO_SIZED: 96 bytes, of a stack_size that is not a number,"
        " host-measured\n"
        "ffm-sim:   end:               NS entry returned 0\n");
    free(text);
    unlink(path);
}

static void test_report_line_prefixes_and_terminates(void **unused)
{
    char path[512];
    char *text;
    FILE *f;

    (void)unused;
    f = fopen(scratch_path(path, sizeof(path), "line.txt"), "w");
    assert_non_null(f);
    ffm_report_line(f, "HALT [%s] %d", "RESET-14", 4);
    fclose(f);
    text = read_whole_file(path, NULL);
    assert_string_equal(text, "ffm-sim: HALT [RESET-14] 4\n");
    free(text);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stop_reason_names),
        cmocka_unit_test(test_panic_line_names_rule_api_caller_reason_outcome),
        cmocka_unit_test(test_callers_are_described_by_kind),
        cmocka_unit_test(test_record_fields_are_cut_and_terminated),
        cmocka_unit_test(test_counters_count_by_rule_in_first_seen_order),
        cmocka_unit_test(test_summary_block_is_exact),
        cmocka_unit_test(test_report_line_prefixes_and_terminates),
        cmocka_unit_test(test_summary_shows_trapped_panics_and_faults),
        cmocka_unit_test(test_summary_shows_stack_use),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
