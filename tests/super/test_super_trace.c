/*
 * test_trace.c - the Chrome trace-event JSON writer (issue 6 item 6): record format and JSON
 * escaping, the parent-owned file fed through a pipe, and validity of the file however the
 * simulated system ends (normal end, reset, watchdog SIGKILL mid-stream, reset loop).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "json_check.h"
#include "super_util.h"
#include "supervisor.h"
#include "trace.h"

static char path[512];
static char *text;

static int setup(void **unused)
{
    (void)unused;
    scratch_path(path, sizeof(path), "trace.json");
    text = NULL;
    return 0;
}

static int teardown(void **unused)
{
    (void)unused;
    unlink(path);
    free(text);
    return 0;
}

/* Read the trace file and check that it is one well-formed JSON value. */
static const char *valid_trace(void)
{
    size_t len = 0, error_at = 0;

    free(text);
    text = read_whole_file(path, &len);
    assert_non_null(text);
    if (!json_well_formed(text, len, &error_at)) {
        fail_msg("trace is not valid JSON at byte %zu of %zu: ...%.60s", error_at, len,
                 text + (error_at > 20 ? error_at - 20 : 0));
    }
    return text;
}

/* ------------------------------------------------------------------ the JSON checker itself */

static void test_json_checker_accepts_and_rejects_exactly(void **unused)
{
    static const char *const good[] = {
        "{}", "[]", " {\"a\":[1,-2.5e3,true,false,null,\"x\\n\\u00e9\"]} ", "0", "\"\"",
    };
    static const char *const bad[] = {
        "", "{", "[1,]", "{\"a\":1,}", "{'a':1}", "[01]", "\"\t\"", "[1] x", "\"\\x\"",
        "{\"a\" 1}", "tru", "[1.]", "-",
    };
    size_t i;

    (void)unused;
    for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        assert_true(json_well_formed(good[i], strlen(good[i]), NULL));
    }
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_false(json_well_formed(bad[i], strlen(bad[i]), NULL));
    }
}

/* ------------------------------------------------------------------ record format */

static void test_instant_record_has_exact_format(void **unused)
{
    struct ffm_trace_arg args[3] = {
        FFM_TARG_S("rule", "CALL-05"),
        FFM_TARG_X("handle", 0x40000001u),
        FFM_TARG_I("status", -129),
    };
    struct ffm_trace_event ev = { .name = "PROGRAMMER ERROR", .cat = "pe", .ph = 'i',
                                  .tid = 257, .ts_ns = 1000 + 12345678, .args = args,
                                  .n_args = 3 };
    char buf[FFM_TRACE_RECORD_MAX];
    int len;

    (void)unused;
    len = ffm_trace_format(buf, sizeof(buf), &ev, 1000);
    assert_int_equal(len, (int)strlen(buf));
    assert_string_equal(buf,
        "{\"name\":\"PROGRAMMER ERROR\",\"cat\":\"pe\",\"ph\":\"i\",\"ts\":12345.678,"
        "\"s\":\"t\",\"pid\":1,\"tid\":257,\"args\":{\"rule\":\"CALL-05\","
        "\"handle\":\"0x40000001\",\"status\":-129}}");
}

static void test_slice_and_metadata_records(void **unused)
{
    struct ffm_trace_event slice = { .name = "psa_call", .ph = 'X', .tid = -1 + 1000,
                                     .ts_ns = 5000, .dur_ns = 2500 };
    struct ffm_trace_arg name = FFM_TARG_S("name", "NS -1");
    struct ffm_trace_event meta = { .name = "thread_name", .ph = 'M', .tid = 999,
                                    .args = &name, .n_args = 1 };
    char buf[FFM_TRACE_RECORD_MAX];

    (void)unused;
    ffm_trace_format(buf, sizeof(buf), &slice, 0);
    assert_string_equal(buf, "{\"name\":\"psa_call\",\"ph\":\"X\",\"ts\":5.000,\"dur\":2.500,"
                             "\"pid\":1,\"tid\":999,\"args\":{}}");
    ffm_trace_format(buf, sizeof(buf), &meta, 0);
    assert_string_equal(buf, "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":999,"
                             "\"args\":{\"name\":\"NS -1\"}}");
}

/* Quotes, backslashes, control characters, UTF-8 kept, invalid UTF-8 replaced. */
static void test_strings_are_escaped_for_json(void **unused)
{
    struct ffm_trace_arg arg = FFM_TARG_S("reason", "a\"b\\c\nd\te\x01" "f\xc3\xa9g\xff");
    struct ffm_trace_event ev = { .name = "x", .ph = 'i', .scope = 'g', .args = &arg,
                                  .n_args = 1 };
    char buf[FFM_TRACE_RECORD_MAX];
    int len;

    (void)unused;
    len = ffm_trace_format(buf, sizeof(buf), &ev, 0);
    assert_string_equal(buf, "{\"name\":\"x\",\"ph\":\"i\",\"ts\":0.000,\"s\":\"g\",\"pid\":1,"
                             "\"tid\":0,\"args\":{\"reason\":\"a\\\"b\\\\c\\nd\\te\\u0001f"
                             "\xc3\xa9g\\ufffd\"}}");
    assert_true(json_well_formed(buf, (size_t)len, NULL));
}

/* A record that cannot fit keeps its event and drops its args, never exceeding the limit. */
static void test_oversized_args_are_replaced_by_truncated(void **unused)
{
    char big[400];
    struct ffm_trace_arg args[3];
    struct ffm_trace_event ev = { .name = "big", .ph = 'i', .args = args, .n_args = 3 };
    char buf[FFM_TRACE_RECORD_MAX];
    int len;

    (void)unused;
    memset(big, 'q', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    args[0] = FFM_TARG_S("a", big);
    args[1] = FFM_TARG_S("b", big);
    args[2] = FFM_TARG_S("c", big);
    len = ffm_trace_format(buf, sizeof(buf), &ev, 0);
    assert_true(len > 0 && (size_t)len < sizeof(buf));
    assert_string_equal(buf, "{\"name\":\"big\",\"ph\":\"i\",\"ts\":0.000,\"s\":\"t\",\"pid\":1,"
                             "\"tid\":0,\"args\":{\"truncated\":true}}");
}

/* ------------------------------------------------------------------ the file */

static void test_unsupervised_file_is_valid_json(void **unused)
{
    struct ffm_trace t;
    struct ffm_trace_arg arg = FFM_TARG_X("sid", 0x1000u);

    (void)unused;
    assert_int_equal(ffm_trace_open(&t, path, NULL, 0), 0);
    assert_int_equal(ffm_trace_name_track(&t, 257, "DEMO_SP_ITS"), 0);
    assert_int_equal(ffm_trace_slice(&t, 257, "psa_call", "api", 10, 20, &arg, 1), 0);
    assert_int_equal(ffm_trace_instant(&t, 257, 't', "IRQ", "irq", NULL, 0), 0);
    assert_int_equal(ffm_trace_close(&t), 0);
    valid_trace();
    assert_int_equal(count_occurrences(text, "\"ph\":\"M\""), 3);
    assert_int_equal(count_occurrences(text, "\"name\":\"psa_call\""), 1);
    assert_non_null(strstr(text, "\"args\":{\"name\":\"DEMO_SP_ITS\"}"));
    assert_non_null(strstr(text, "\"sid\":\"0x1000\""));
    /* Emitting on a closed writer is a no-op, not a crash. */
    assert_int_equal(ffm_trace_instant(&t, 0, 'g', "late", NULL, NULL, 0), 0);
}

static void test_open_failure_names_the_file(void **unused)
{
    struct ffm_trace t;
    char err[256];

    (void)unused;
    assert_int_equal(ffm_trace_open(&t, "/nonexistent-dir/t.json", err, sizeof(err)), -1);
    assert_string_equal(err, "trace file /nonexistent-dir/t.json: No such file or directory");
    assert_false(t.open);
}

/* Child writes N records into the pipe; the parent copies them; the file is complete. */
static void test_child_records_reach_the_file_through_the_pipe(void **unused)
{
    struct ffm_trace t;
    int status, i, done = 0;
    pid_t pid;

    (void)unused;
    assert_int_equal(ffm_trace_open(&t, path, NULL, 0), 0);
    assert_int_equal(ffm_trace_boot_begin(&t), 0);
    pid = fork();
    if (pid == 0) {
        ffm_trace_after_fork_child(&t);
        for (i = 0; i < 2000; i++) {
            struct ffm_trace_arg arg = FFM_TARG_I("i", i);

            ffm_trace_instant(&t, 7, 't', "tick", "test", &arg, 1);
        }
        _exit(0);
    }
    ffm_trace_after_fork_parent(&t);
    for (i = 0; i < 20000 && !done; i++) {
        done = ffm_trace_drain(&t, 5);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    ffm_trace_boot_end(&t);
    assert_int_equal(ffm_trace_close(&t), 0);
    valid_trace();
    assert_int_equal(count_occurrences(text, "\"name\":\"tick\""), 2000);
    assert_non_null(strstr(text, "\"args\":{\"i\":1999}"));
}

/* A child killed while it streams records leaves no partial record. */
static void test_child_killed_mid_stream_leaves_valid_json(void **unused)
{
    struct ffm_trace t;
    int status, i;
    pid_t pid;

    (void)unused;
    assert_int_equal(ffm_trace_open(&t, path, NULL, 0), 0);
    assert_int_equal(ffm_trace_boot_begin(&t), 0);
    pid = fork();
    if (pid == 0) {
        ffm_trace_after_fork_child(&t);
        for (i = 0;; i++) {
            struct ffm_trace_arg arg = FFM_TARG_S("payload", "0123456789abcdef0123456789");

            ffm_trace_instant(&t, 7, 't', "flood", "test", &arg, 1);
        }
    }
    ffm_trace_after_fork_parent(&t);
    for (i = 0; i < 20; i++) {
        ffm_trace_drain(&t, 2);
    }
    kill(pid, SIGKILL);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    ffm_trace_boot_end(&t);
    assert_int_equal(ffm_trace_close(&t), 0);
    valid_trace();
    assert_true(count_occurrences(text, "\"name\":\"flood\"") > 0);
}

/* ------------------------------------------------------------------ under the supervisor */

static struct ffm_super_config config;
static FILE *quiet_log;

static void supervised(enum ffm_panic_policy policy)
{
    ffm_super_config_init(&config);
    config.policy = policy;
    config.trace_path = path;
    quiet_log = fopen("/dev/null", "w");
    config.log = quiet_log;
}

static int system_traces_and_resets(struct ffm_boot_ctx *ctx, void *arg)
{
    struct ffm_trace_arg args[2] = { FFM_TARG_X("handle", 0x40000001u),
                                     FFM_TARG_I("boot", ctx->boot) };
    uint64_t t0 = ffm_trace_now_ns();

    (void)arg;
    ffm_boot_ns_entered(ctx);
    ffm_trace_name_track(ctx->trace, 1000, "NS -1");
    ffm_trace_slice(ctx->trace, 1000, "psa_call", "api", t0, t0 + 1500, args, 2);

    if (ctx->boot == 1) {
        ffm_boot_reset(ctx, "trace test");
    }
    return 0;
}

/* After a normal end and a reset: boots, the reset, the child's slices, the end. */
static void test_supervised_trace_after_reset_and_end(void **unused)
{
    (void)unused;
    supervised(FFM_PANIC_RESET);
    assert_int_equal(ffm_supervise(&config, system_traces_and_resets, NULL), 0);
    fclose(quiet_log);
    valid_trace();
    assert_int_equal(count_occurrences(text, "\"name\":\"boot\""), 2);
    assert_int_equal(count_occurrences(text, "\"name\":\"psa_call\""), 2);
    assert_int_equal(count_occurrences(text, "\"args\":{\"name\":\"NS -1\"}"), 2);
    assert_non_null(strstr(text, "\"name\":\"reset\",\"cat\":\"reset\",\"ph\":\"i\""));
    assert_non_null(strstr(text, "\"args\":{\"reason\":\"PLATFORM\",\"boot\":1,"
                                 "\"detail\":\"trace test\"}"));
    assert_non_null(strstr(text, "\"args\":{\"boot\":2,\"start\":\"warm\","
                                 "\"after\":\"PLATFORM\"}"));
    assert_non_null(strstr(text, "\"name\":\"end\""));
    /* Reset boundaries are global instants on the system track. */
    assert_non_null(strstr(text, "\"s\":\"g\",\"pid\":1,\"tid\":0,\"args\":{\"reason\":"
                                 "\"PLATFORM\""));
}

static int system_floods_under_watchdog(struct ffm_boot_ctx *ctx, void *arg)
{
    struct ffm_trace_arg payload = FFM_TARG_S("payload", "streaming until killed");

    (void)arg;
    ffm_boot_ns_entered(ctx);
    if (ctx->boot == 1) {
        ffm_wdog_arm(ctx->wdog, 30);
        for (;;) {
            ffm_trace_instant(ctx->trace, 1000, 't', "flood", "test", &payload, 1);
        }
    }
    return 3;
}

/* A child SIGKILLed by the watchdog in the middle of a stream of records. */
static void test_supervised_trace_after_watchdog_kill(void **unused)
{
    (void)unused;
    supervised(FFM_PANIC_RESET);
    assert_int_equal(ffm_supervise(&config, system_floods_under_watchdog, NULL), 3);
    fclose(quiet_log);
    valid_trace();
    assert_true(count_occurrences(text, "\"name\":\"flood\"") > 0);
    assert_non_null(strstr(text, "\"args\":{\"reason\":\"WATCHDOG\",\"boot\":1"));
}

static int system_panics(struct ffm_boot_ctx *ctx, void *arg)
{
    struct ffm_pe_record pe;

    (void)arg;
    ffm_pe_record_init(&pe, "PANIC-01", "psa_panic", true, 260, "DEMO_SP_CRYPTO",
                       "psa_panic called");
    ffm_copy_field(pe.disposition, sizeof(pe.disposition), "panic");
    ffm_boot_panic(ctx, FFM_STOP_PSA_PANIC, &pe);
}

/* Halt after a panic and a reset loop: the panic instant and the halt are there. */
static void test_supervised_trace_after_halt_and_reset_loop(void **unused)
{
    (void)unused;
    supervised(FFM_PANIC_HALT);
    assert_int_equal(ffm_supervise(&config, system_panics, NULL), FFM_EXIT_HALTED);
    fclose(quiet_log);
    valid_trace();
    assert_non_null(strstr(text, "\"name\":\"panic\",\"cat\":\"panic\""));
    assert_non_null(strstr(text, "\"s\":\"g\",\"pid\":1,\"tid\":0,\"args\":{"
                                 "\"rule\":\"PANIC-01\",\"api\":\"psa_panic\","
                                 "\"caller\":\"DEMO_SP_CRYPTO\",\"caller_id\":260,"
                                 "\"reason\":\"psa_panic called\",\"disposition\":\"panic\"}"));
    assert_non_null(strstr(text, "\"args\":{\"reason\":\"PSA_PANIC\",\"exit\":3}"));

    supervised(FFM_PANIC_RESET);
    config.max_resets = 2;
    assert_int_equal(ffm_supervise(&config, system_panics, NULL), FFM_EXIT_RESET_LOOP);
    fclose(quiet_log);
    valid_trace();
    assert_int_equal(count_occurrences(text, "\"name\":\"boot\""), 3);
    assert_int_equal(count_occurrences(text, "\"name\":\"panic\""), 3);
    assert_non_null(strstr(text, "\"args\":{\"reason\":\"RESET_LOOP\",\"exit\":4}"));
}

/* ------------------------------------------------------------------ slices a boot leaves open */

/* Position of the first occurrence of needle in the trace text, or fail. */
static size_t position_of(const char *needle)
{
    const char *at = strstr(text, needle);

    if (at == NULL) {
        fail_msg("no %s in the trace", needle);
    }
    return (size_t)(at - text);
}

static int system_leaves_a_message_in_flight(struct ffm_boot_ctx *ctx, void *arg)
{
    struct ffm_trace_arg args[1] = { FFM_TARG_I("boot", ctx->boot) };
    unsigned long long boot = (unsigned long long)ctx->boot << 32;

    (void)arg;
    ffm_boot_ns_entered(ctx);
    /* one delivery that completes, one that is in flight when the boot is reset */
    ffm_trace_async(ctx->trace, 2, true, "message DONE", "message", boot | 1u, args, 1);
    ffm_trace_async(ctx->trace, 2, false, "message DONE", "message", boot | 1u, args, 1);
    ffm_trace_async(ctx->trace, 2, true, "message \"Q\" \xc3\xa9", "message", boot | 2u, args,
                    1);
    if (ctx->boot == 1) {
        ffm_boot_reset(ctx, "in flight");
    }
    ffm_trace_async(ctx->trace, 2, false, "message \"Q\" \xc3\xa9", "message", boot | 2u, args,
                    1);
    return 0;
}

/* A message in flight when its boot is reset: the parent writes its 'e', with the same name
 * (escapes included), cat, id and track, at the end of the boot and before the reset instant,
 * saying why. Slices that ended are not ended twice. */
static void test_supervised_open_async_slice_ends_at_reset(void **unused)
{
    const char *ended = "{\"name\":\"message \\\"Q\\\" \xc3\xa9\",\"cat\":\"message\","
                        "\"ph\":\"e\",\"ts\":";
    const char *ended_tail = ",\"id\":\"0x100000002\",\"pid\":1,\"tid\":2,"
                             "\"args\":{\"ended_by\":\"reset: PLATFORM\"}}";

    (void)unused;
    supervised(FFM_PANIC_RESET);
    assert_int_equal(ffm_supervise(&config, system_leaves_a_message_in_flight, NULL), 0);
    fclose(quiet_log);
    valid_trace();
    assert_int_equal(count_occurrences(text, "\"ph\":\"b\""), 4);
    assert_int_equal(count_occurrences(text, "\"ph\":\"e\""), 4);
    assert_int_equal(count_occurrences(text, "\"ended_by\""), 1);
    assert_non_null(strstr(text, ended_tail));
    assert_true(position_of(ended) < position_of(ended_tail));
    assert_true(position_of(ended_tail) < position_of("\"name\":\"reset\",\"cat\":\"reset\""));
    assert_true(position_of(ended_tail) < position_of("\"args\":{\"boot\":2,"));
}

static void begin_sync(struct ffm_trace *trace, int tid, const char *name)
{
    struct ffm_trace_event ev = { .name = name, .cat = "test", .ph = 'B', .tid = tid,
                                  .ts_ns = ffm_trace_now_ns() };

    ffm_trace_emit(trace, &ev);
}

static int system_panics_inside_slices(struct ffm_boot_ctx *ctx, void *arg)
{
    struct ffm_trace_event end = { .name = "", .ph = 'E', .tid = 5 };

    (void)arg;
    begin_sync(ctx->trace, 5, "outer");
    begin_sync(ctx->trace, 5, "done");
    end.ts_ns = ffm_trace_now_ns();
    ffm_trace_emit(ctx->trace, &end);
    begin_sync(ctx->trace, 5, "inner");
    ffm_trace_async(ctx->trace, 6, true, "message P", "message", 7, NULL, 0);
    return system_panics(ctx, arg);
}

/* B/E slices too, innermost first, when the run halts; the reason names the outcome. */
static void test_supervised_open_slices_end_at_halt(void **unused)
{
    const char *halt = "\"name\":\"halt\",\"cat\":\"reset\"";

    (void)unused;
    supervised(FFM_PANIC_HALT);
    assert_int_equal(ffm_supervise(&config, system_panics_inside_slices, NULL),
                     FFM_EXIT_HALTED);
    fclose(quiet_log);
    valid_trace();
    assert_int_equal(count_occurrences(text, "\"ph\":\"B\""), 3);
    assert_int_equal(count_occurrences(text, "\"ph\":\"E\""), 3);
    assert_int_equal(count_occurrences(text, "\"ph\":\"e\""), 1);
    assert_int_equal(count_occurrences(text, "\"ended_by\":\"halt: PSA_PANIC\""), 3);
    assert_non_null(strstr(text, "\"name\":\"message P\",\"cat\":\"message\",\"ph\":\"e\""));
    assert_true(position_of("\"name\":\"inner\",\"cat\":\"test\",\"ph\":\"E\"") <
                position_of("\"name\":\"outer\",\"cat\":\"test\",\"ph\":\"E\""));
    assert_true(position_of("\"name\":\"outer\",\"cat\":\"test\",\"ph\":\"E\"") <
                position_of(halt));
}

static int system_floods_open_slices(struct ffm_boot_ctx *ctx, void *arg)
{
    unsigned long long i;

    (void)arg;
    ffm_boot_ns_entered(ctx);
    for (i = 0; i < FFM_TRACE_OPEN_MAX + 5; i++) {
        ffm_trace_async(ctx->trace, 3, true, "message F", "message",
                        ((unsigned long long)ctx->boot << 32) | i, NULL, 0);
    }
    if (ctx->boot == 1) {
        ffm_boot_reset(ctx, "flood");
    }
    return 0;
}

/* The table is bounded: what does not fit stays open, and the trace says so once. */
static void test_open_slice_table_overflow_is_reported_once(void **unused)
{
    (void)unused;
    supervised(FFM_PANIC_RESET);
    assert_int_equal(ffm_supervise(&config, system_floods_open_slices, NULL), 0);
    fclose(quiet_log);
    valid_trace();
    assert_int_equal(count_occurrences(text, "\"ph\":\"b\""), 2 * (FFM_TRACE_OPEN_MAX + 5));
    assert_int_equal(count_occurrences(text, "\"ended_by\":\"reset: PLATFORM\""),
                     FFM_TRACE_OPEN_MAX);
    assert_int_equal(count_occurrences(text, "\"ended_by\":\"end: EXITED\""),
                     FFM_TRACE_OPEN_MAX);
    assert_int_equal(count_occurrences(text, "\"name\":\"open slices not tracked\""), 1);
    assert_non_null(strstr(text, "\"args\":{\"untracked\":5,\"table\":64}"));
    assert_true(position_of("\"name\":\"open slices not tracked\"") <
                position_of("\"name\":\"reset\",\"cat\":\"reset\""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_checker_accepts_and_rejects_exactly),
        cmocka_unit_test(test_instant_record_has_exact_format),
        cmocka_unit_test(test_slice_and_metadata_records),
        cmocka_unit_test(test_strings_are_escaped_for_json),
        cmocka_unit_test(test_oversized_args_are_replaced_by_truncated),
        cmocka_unit_test_setup_teardown(test_unsupervised_file_is_valid_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_failure_names_the_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_child_records_reach_the_file_through_the_pipe,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_child_killed_mid_stream_leaves_valid_json, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_supervised_trace_after_reset_and_end, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_supervised_trace_after_watchdog_kill, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_supervised_trace_after_halt_and_reset_loop, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_supervised_open_async_slice_ends_at_reset, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_supervised_open_slices_end_at_halt, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_open_slice_table_overflow_is_reported_once, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
