/*
 * test_supervisor.c - the reset supervisor end to end (RESET-01, -03, -04, -06..14, PANIC-02/03):
 * a fake simulated system (a C function run in the forked child) resets, panics, faults,
 * spins under the watchdog and loops, and the tests check what survived, the exit statuses,
 * the log lines, the harness state and the summary.
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
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "super_util.h"
#include "supervisor.h"

/* NVMEM layout used by the fake systems to report what they saw back to the test. */
struct observations {
    uint32_t magic;          /* 0xFFFFFFFF at cold start */
    uint32_t boots_seen;
    uint32_t boot[4];        /* ctx->boot, per boot */
    uint32_t last_reason[4]; /* ctx->last_reason, per boot */
    uint32_t cold[4];
    uint32_t static_was_zero[4];
    uint32_t nvmem_was_erased; /* every byte 0xFF at the first boot */
    uint32_t wdog_armed_after_reset;
    uintptr_t fault_addr;
    char text[16];
};

#define NVMEM_SIZE 4096u

static struct ffm_super_config config;
static struct ffm_super_state state;
static char log_path[512];
static FILE *log_file;
static char *log_text;

/* The log is an O_APPEND file: the supervisor and its children write it through their own
 * FILE buffers, and appends keep their lines in order. */
static int setup(void **unused)
{
    (void)unused;
    ffm_super_config_init(&config);
    config.nvmem.size = NVMEM_SIZE;
    log_file = fopen(scratch_path(log_path, sizeof(log_path), "log.txt"), "a");
    config.log = log_file;
    config.state_out = &state;
    memset(&state, 0, sizeof(state));
    log_text = NULL;
    return log_file == NULL;
}

static int teardown(void **unused)
{
    (void)unused;
    fclose(log_file);
    unlink(log_path);
    free(log_text);
    return 0;
}

/* The run's log so far (what the user sees on stderr). */
static const char *log_contents(void)
{
    fflush(log_file);
    free(log_text);
    log_text = read_whole_file(log_path, NULL);
    return log_text != NULL ? log_text : "";
}

static struct observations *obs(struct ffm_boot_ctx *ctx)
{
    return ctx->nvmem;
}

/* Record what this boot sees; static_marker proves .data/.bss are fresh each boot. */
static int static_marker;

static void observe_boot(struct ffm_boot_ctx *ctx)
{
    struct observations *o = obs(ctx);
    const unsigned char *bytes = ctx->nvmem;
    uint32_t i = ctx->boot - 1;
    size_t k;

    if (ctx->boot == 1) {
        uint32_t erased = 1; /* computed before anything is written into the region */

        for (k = 0; k < ctx->nvmem_size; k++) {
            erased &= bytes[k] == 0xFF;
        }
        o->nvmem_was_erased = erased;
        o->boots_seen = 0;
    }
    if (i < 4) {
        o->boot[i] = ctx->boot;
        o->last_reason[i] = (uint32_t)ctx->last_reason;
        o->cold[i] = ctx->cold;
        o->static_was_zero[i] = static_marker == 0;
    }
    o->boots_seen++;
    static_marker = 1;
}

/* ------------------------------------------------------------------ (a) reset keeps NVMEM */

static int system_reset_once(struct ffm_boot_ctx *ctx, void *arg)
{
    (void)arg;
    observe_boot(ctx);
    ffm_boot_ns_entered(ctx);
    if (ctx->boot == 1) {
        memcpy(obs(ctx)->text, "kept", 5);
        ffm_boot_reset(ctx, "partition TEST_SP (pid 256)");
    }
    return 7;
}

/* RESET-06 (platform reset hook), RESET-13: one reset, then the NS result. */
static void test_platform_reset_boots_again(void **unused)
{
    (void)unused;
    assert_int_equal(ffm_supervise(&config, system_reset_once, NULL), 7);
    assert_int_equal(state.boot, 2);
    assert_false(state.cold);
    assert_int_equal(state.last_reset_reason, FFM_STOP_PLATFORM);
    assert_int_equal(state.final_reason, FFM_STOP_EXITED);
    assert_int_equal(state.counters.resets, 1);
    assert_int_equal(state.counters.resets_by[FFM_STOP_PLATFORM], 1);
    assert_non_null(strstr(log_contents(),
        "ffm-sim: RESET [RESET-06] ffm_platform_reset by partition TEST_SP (pid 256): platform "
        "reset requested -> reset (boot 2)\n"));
}

static int system_copy_observations(struct ffm_boot_ctx *ctx, void *arg)
{
    struct observations *out = arg;
    int rc = system_reset_once(ctx, NULL);

    memcpy(out, obs(ctx), sizeof(*out));
    return rc;
}

/* RESET-01, RESET-03, RESET-04: observations are copied into a MAP_SHARED page given as
 * `arg`, visible to the test (the NVMEM itself is unmapped when ffm_supervise returns). */
static void test_second_boot_sees_nvmem_fresh_statics_and_reason(void **unused)
{
    struct observations *o = mmap(NULL, sizeof(*o), PROT_READ | PROT_WRITE,
                                  MAP_SHARED | MAP_ANON, -1, 0);

    (void)unused;
    assert_true(o != MAP_FAILED);
    assert_int_equal(ffm_supervise(&config, system_copy_observations, o), 7);
    assert_int_equal(o->boots_seen, 2);
    assert_int_equal(o->nvmem_was_erased, 1);                    /* RESET-04 */
    assert_string_equal(o->text, "kept");                        /* RESET-03 */
    assert_int_equal(o->boot[0], 1);
    assert_int_equal(o->boot[1], 2);
    assert_int_equal(o->cold[0], 1);
    assert_int_equal(o->cold[1], 0);
    assert_int_equal(o->last_reason[0], FFM_STOP_NONE);
    assert_int_equal(o->last_reason[1], FFM_STOP_PLATFORM);
    assert_int_equal(o->static_was_zero[0], 1);
    assert_int_equal(o->static_was_zero[1], 1);                  /* RESET-01 */
    munmap(o, sizeof(*o));
}

/* ------------------------------------------------------------------ --nvmem FILE */

static int system_count_runs(struct ffm_boot_ctx *ctx, void *arg)
{
    uint32_t *counter = ctx->nvmem;

    (void)arg;
    if (*counter == 0xFFFFFFFFu) {
        *counter = 0; /* erased: first run ever */
    }
    *counter += 1;
    return (int)*counter;
}

/* RESET-04: an existing file keeps its content across runs; only a new file is erased. */
static void test_nvmem_file_persists_across_runs(void **unused)
{
    char path[512];

    (void)unused;
    config.nvmem.path = scratch_path(path, sizeof(path), "nvmem-runs.bin");
    assert_int_equal(ffm_supervise(&config, system_count_runs, NULL), 1);
    assert_int_equal(ffm_supervise(&config, system_count_runs, NULL), 2);
    assert_int_equal(ffm_supervise(&config, system_count_runs, NULL), 3);
    unlink(path);
}

static int system_never_runs(struct ffm_boot_ctx *ctx, void *arg)
{
    (void)ctx;
    (void)arg;
    return 99;
}

/* A file of the wrong size is bad input (exit 2) with one line naming file and sizes. */
static void test_nvmem_file_of_wrong_size_is_refused(void **unused)
{
    char path[512], expected[700];
    FILE *f;

    (void)unused;
    config.nvmem.path = scratch_path(path, sizeof(path), "nvmem-wrong.bin");
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite("abc", 1, 3, f), 3);
    fclose(f);
    assert_int_equal(ffm_supervise(&config, system_never_runs, NULL), FFM_EXIT_BAD_INPUT);
    snprintf(expected, sizeof(expected),
             "ffm-sim: error: nvmem file %s has 3 bytes, expected 4096\n", path);
    assert_string_equal(log_contents(), expected);
    unlink(path);
}

/* An unusable trace path is bad input (exit 2), reported before any boot. */
static void test_unusable_trace_path_is_bad_input(void **unused)
{
    (void)unused;
    config.trace_path = "/nonexistent-dir/trace.json";
    assert_int_equal(ffm_supervise(&config, system_never_runs, NULL), FFM_EXIT_BAD_INPUT);
    assert_string_equal(log_contents(), "ffm-sim: error: trace file /nonexistent-dir/trace.json: "
                                        "No such file or directory\n");
}

static void test_config_defaults(void **unused)
{
    struct ffm_super_config cfg;

    (void)unused;
    memset(&cfg, 0x5A, sizeof(cfg));
    ffm_super_config_init(&cfg);
    assert_int_equal(cfg.policy, FFM_PANIC_RESET);
    assert_int_equal(cfg.max_resets, 8);
    assert_int_equal(cfg.poll_ms, 5);
    assert_true(cfg.wdog_scale == 1.0);
    assert_int_equal(cfg.timeout_ms, 0);
    assert_int_equal(cfg.nvmem.size, 0);
    assert_null(cfg.nvmem.path);
    assert_null(cfg.trace_path);
    assert_null(cfg.log);
    assert_null(cfg.state_out);
}

/* ------------------------------------------------------------------ (b) watchdog */

static int system_spin_under_watchdog(struct ffm_boot_ctx *ctx, void *arg)
{
    volatile unsigned long spins = 0;

    (void)arg;
    observe_boot(ctx);
    ffm_boot_ns_entered(ctx);
    if (ctx->boot == 1) {
        ffm_wdog_arm(ctx->wdog, 50);
        for (;;) {
            spins++; /* a partition stuck in a loop, holding everything */
        }
    }
    obs(ctx)->wdog_armed_after_reset = ffm_wdog_armed(ctx->wdog);
    return 0;
}

/* RESET-08/09: a spinning system is killed and reset; the next boot sees WATCHDOG, boot 2. */
static void test_watchdog_resets_a_spinning_system(void **unused)
{
    uint64_t start = ffm_monotonic_ns();
    struct observations *o;

    (void)unused;
    config.nvmem.path = NULL;
    o = mmap(NULL, sizeof(*o), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANON, -1, 0);
    assert_true(o != MAP_FAILED);
    assert_int_equal(ffm_supervise(&config, system_spin_under_watchdog, NULL), 0);
    /* Bounded: 50 ms timeout plus polling; 10 s leaves room for a loaded machine. */
    assert_true(ffm_monotonic_ns() - start < 10000000000ull);
    assert_int_equal(state.boot, 2);
    assert_int_equal(state.last_reset_reason, FFM_STOP_WATCHDOG);
    assert_int_equal(state.counters.resets_by[FFM_STOP_WATCHDOG], 1);
    assert_non_null(strstr(log_contents(),
        "ffm-sim: WATCHDOG [RESET-08] not fed within 50 ms (scale 1) -> reset (boot 2)\n"));
    munmap(o, sizeof(*o));
}

static int system_watchdog_then_report(struct ffm_boot_ctx *ctx, void *arg)
{
    struct observations *out = arg;
    int rc = system_spin_under_watchdog(ctx, NULL);

    memcpy(out, obs(ctx), sizeof(*out));
    return rc;
}

/* RESET-08: the second boot sees boot 2, reason WATCHDOG, and a disarmed watchdog. */
static void test_boot_after_watchdog_sees_reason_and_disarmed_watchdog(void **unused)
{
    struct observations *o = mmap(NULL, sizeof(*o), PROT_READ | PROT_WRITE,
                                  MAP_SHARED | MAP_ANON, -1, 0);

    (void)unused;
    assert_true(o != MAP_FAILED);
    assert_int_equal(ffm_supervise(&config, system_watchdog_then_report, o), 0);
    assert_int_equal(o->boots_seen, 2);
    assert_int_equal(o->boot[1], 2);
    assert_int_equal(o->last_reason[1], FFM_STOP_WATCHDOG);
    assert_int_equal(o->wdog_armed_after_reset, 0);
    munmap(o, sizeof(*o));
}

static int system_feeds_watchdog(struct ffm_boot_ctx *ctx, void *arg)
{
    uint64_t end = ffm_monotonic_ns() + 300000000ull;
    struct timespec step = { 0, 5000000L };

    (void)arg;
    ffm_wdog_arm(ctx->wdog, 250);
    while (ffm_monotonic_ns() < end) {
        ffm_wdog_feed(ctx->wdog);
        nanosleep(&step, NULL);
    }
    ffm_wdog_disarm(ctx->wdog);
    nanosleep(&(struct timespec){ 0, 300000000L }, NULL);
    return (int)ctx->boot;
}

/* A fed, then disarmed, watchdog never fires: one boot. */
static void test_fed_watchdog_does_not_fire(void **unused)
{
    (void)unused;
    assert_int_equal(ffm_supervise(&config, system_feeds_watchdog, NULL), 1);
    assert_int_equal(state.counters.resets, 0);
}

static int system_spins_without_watchdog(struct ffm_boot_ctx *ctx, void *arg)
{
    volatile unsigned long spins = 0;

    (void)ctx;
    (void)arg;
    for (;;) {
        spins++;
    }
    return 0;
}

/* RESET-09: no watchdog armed, --timeout exceeded: halt with TIMEOUT (exit 3). */
static void test_harness_timeout_halts(void **unused)
{
    (void)unused;
    config.timeout_ms = 100;
    assert_int_equal(ffm_supervise(&config, system_spins_without_watchdog, NULL),
                     FFM_EXIT_HALTED);
    assert_int_equal(state.final_reason, FFM_STOP_TIMEOUT);
    assert_non_null(strstr(log_contents(),
        "ffm-sim: TIMEOUT [RESET-09] no watchdog armed and the run exceeded 100 ms -> halt "
        "(exit 3)\n"));
}

/* ------------------------------------------------------------------ (c) reset loop */

static int system_resets_before_ns(struct ffm_boot_ctx *ctx, void *arg)
{
    (void)arg;
    ffm_boot_reset(ctx, "");
}

/* RESET-14: N = 3 consecutive resets are allowed; the 4th request halts with exit 4. */
static void test_reset_loop_stops_with_exit_4(void **unused)
{
    (void)unused;
    config.max_resets = 3;
    assert_int_equal(ffm_supervise(&config, system_resets_before_ns, NULL),
                     FFM_EXIT_RESET_LOOP);
    assert_int_equal(state.boot, 4);
    assert_int_equal(state.counters.resets, 3);
    assert_int_equal(state.final_reason, FFM_STOP_RESET_LOOP);
    assert_int_equal(state.consecutive_resets, 4);
    assert_non_null(strstr(log_contents(),
        "ffm-sim: RESET [RESET-06] ffm_platform_reset: platform reset requested -> halt: "
        "RESET_LOOP (exit 4)\nffm-sim: HALT [RESET-14] RESET_LOOP: 4 consecutive resets "
        "without reaching the NS entry (limit 3)\nffm-sim: hint: the system resets into the "
        "same failure; a test runner wants --panic trap (unwind the failing partition, go on, "
        "report) or --panic halt (stop at the first panic, exit 3)\n"));
    assert_non_null(strstr(log_text, "end:               halted, reason RESET_LOOP (exit 4)"));
}

static int system_resets_after_ns(struct ffm_boot_ctx *ctx, void *arg)
{
    (void)arg;
    ffm_boot_ns_entered(ctx);
    if (ctx->boot < 6) {
        ffm_boot_reset(ctx, "after NS");
    }
    return 0;
}

/* RESET-14: a boot that reached the NS entry restarts the count. */
static void test_resets_after_ns_entry_are_not_a_loop(void **unused)
{
    (void)unused;
    config.max_resets = 1;
    assert_int_equal(ffm_supervise(&config, system_resets_after_ns, NULL), 0);
    assert_int_equal(state.counters.resets, 5);
    assert_int_equal(state.consecutive_resets, 0);
}

/* ------------------------------------------------------------------ (d) panics and halt */

static void demo_pe(struct ffm_pe_record *pe)
{
    ffm_pe_record_init(pe, "CALL-05", "psa_call", true, 257, "DEMO_SP_PLATFORM",
                       "version 2 rejected by STRICT v1");
    ffm_copy_field(pe->disposition, sizeof(pe->disposition), "panic");
    pe->programmer_error = true;
}

static int system_panics_once(struct ffm_boot_ctx *ctx, void *arg)
{
    struct ffm_pe_record pe;

    (void)arg;
    ffm_boot_ns_entered(ctx);
    if (ctx->boot == 1) {
        demo_pe(&pe);
        ffm_boot_panic(ctx, FFM_STOP_PANIC, &pe);
    }
    return ffm_boot_last_pe(ctx) != NULL ? 40 + (int)ffm_boot_last_pe(ctx)->boot : 0;
}

/* PANIC-03: policy halt stops the run with exit 3 and the report. */
static void test_halt_policy_exits_3_with_report(void **unused)
{
    (void)unused;
    config.policy = FFM_PANIC_HALT;
    assert_int_equal(ffm_supervise(&config, system_panics_once, NULL), FFM_EXIT_HALTED);
    assert_int_equal(state.final_reason, FFM_STOP_PANIC);
    assert_int_equal(state.boot, 1);
    assert_true(state.has_pe);
    assert_string_equal(state.last_pe.rule, "CALL-05");
    assert_int_equal(state.last_pe.boot, 1);
    assert_int_equal(state.counters.panics, 1);
    assert_string_equal(log_contents(),
        "ffm-sim: PANIC [CALL-05] psa_call by partition DEMO_SP_PLATFORM (pid 257): version 2 "
        "rejected by STRICT v1 -> halt (exit 3)\n"
        "ffm-sim: summary\n"
        "ffm-sim:   boots:             1 (1 cold, 0 warm)\n"
        "ffm-sim:   resets:            0\n"
        "ffm-sim:   panics:            1\n"
        "ffm-sim:   faults:            0\n"
        "ffm-sim:   PSA API calls:     0\n"
        "ffm-sim:   PROGRAMMER ERRORs: 1 (CALL-05 1)\n"
        "ffm-sim:   end:               halted, reason PANIC (exit 3)\n");
}

/* PANIC-02: policy reset restarts; the next boot can query the last event (RESET-13). */
static void test_reset_policy_restarts_after_panic(void **unused)
{
    (void)unused;
    assert_int_equal(ffm_supervise(&config, system_panics_once, NULL), 41);
    assert_int_equal(state.counters.resets_by[FFM_STOP_PANIC], 1);
    assert_non_null(strstr(log_contents(),
        "ffm-sim: PANIC [CALL-05] psa_call by partition DEMO_SP_PLATFORM (pid 257): version 2 "
        "rejected by STRICT v1 -> reset (boot 2)\n"));
}

/* ------------------------------------------------------------------ (e) faults */

/* A page that faults on any access; its address goes to NVMEM before the fault. */
static volatile char *fault_page(struct ffm_boot_ctx *ctx)
{
    void *page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANON, -1, 0);

    obs(ctx)->fault_addr = (uintptr_t)page;
    return page;
}

static int system_partition_faults(struct ffm_boot_ctx *ctx, void *arg)
{
    uintptr_t *seen = arg;

    ffm_boot_ns_entered(ctx);
    if (ctx->boot == 1) {
        volatile char *page = fault_page(ctx);

        ffm_fault_thread_enter(FFM_THREAD_PARTITION, 9, "P");
        page[0] = 1;
    }
    *seen = obs(ctx)->fault_addr;
    return 0;
}

/* RESET-10: a SIGSEGV in partition P is a panic of P, reported with P and the address. */
static void test_fault_in_partition_resets_naming_it(void **unused)
{
    uintptr_t *seen = mmap(NULL, sizeof(*seen), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANON,
                           -1, 0);
    char expected[256];

    (void)unused;
    assert_int_equal(ffm_supervise(&config, system_partition_faults, seen), 0);
    assert_int_equal(state.last_reset_reason, FFM_STOP_FAULT);
    assert_int_equal(state.counters.faults, 1);
    assert_true(state.has_fault);
    assert_string_equal(state.last_fault.thread, "P");
    assert_string_equal(state.last_fault.signame, "SIGSEGV");
    assert_int_equal(state.last_fault.addr, *seen);
    assert_string_equal(state.last_pe.rule, "RESET-10");
    snprintf(expected, sizeof(expected),
             "ffm-sim: FAULT [RESET-10] fault by partition P (pid 9): SIGSEGV at address 0x%llx "
             "-> reset (boot 2)\n", (unsigned long long)*seen);
    assert_non_null(strstr(log_contents(), expected));
    munmap(seen, sizeof(*seen));
}

static int system_ns_faults(struct ffm_boot_ctx *ctx, void *arg)
{
    (void)arg;
    ffm_fault_thread_enter(FFM_THREAD_NS, -1, "ns_main");
    raise(SIGBUS);
    return (int)ctx->boot;
}

/* RESET-11: a fault in NS code under halt halts (exit 3). */
static void test_fault_in_ns_under_halt_halts(void **unused)
{
    (void)unused;
    config.policy = FFM_PANIC_HALT;
    assert_int_equal(ffm_supervise(&config, system_ns_faults, NULL), FFM_EXIT_HALTED);
    assert_int_equal(state.final_reason, FFM_STOP_FAULT);
    assert_string_equal(state.last_pe.rule, "RESET-11");
    assert_non_null(strstr(log_contents(),
        "ffm-sim: FAULT [RESET-11] fault by NS thread ns_main (client -1): SIGBUS at address"));
}

static int system_spm_faults(struct ffm_boot_ctx *ctx, void *arg)
{
    (void)arg;
    ffm_fault_thread_enter(FFM_THREAD_PARTITION, 3, "Q");
    ffm_fault_set_in_spm(true);
    *fault_page(ctx) = 1;
    return 0;
}

/* RESET-12: a fault inside the SPM is an internal error, never a reset (exit 1). */
static void test_fault_in_spm_is_internal_error(void **unused)
{
    (void)unused;
    assert_int_equal(ffm_supervise(&config, system_spm_faults, NULL), FFM_EXIT_INTERNAL);
    assert_int_equal(state.final_reason, FFM_STOP_INTERNAL);
    assert_int_equal(state.counters.resets, 0);
    assert_non_null(strstr(log_contents(), "ffm-sim: INTERNAL ERROR [RESET-12] SIGSEGV at "
                                           "address 0x"));
    assert_non_null(strstr(log_text, " in SPM code (thread Q) -> halt (exit 1)\n"));
}

static int system_traps_fault(struct ffm_boot_ctx *ctx, void *arg)
{
    static sigjmp_buf recovery;
    volatile char *page = fault_page(ctx);

    (void)arg;
    ffm_fault_thread_enter(FFM_THREAD_PARTITION, 9, "P");
    if (sigsetjmp(recovery, 1) == 0) {
        ffm_fault_set_recovery(&recovery);
        page[0] = 1;
        return 1; /* not reached: the fault unwinds to the recovery point */
    }
    /* The process continues; the fault record tells the port who faulted. */
    return ctx->fault->valid && strcmp(ctx->fault->thread, "P") == 0 &&
                   ctx->fault->addr == (uintptr_t)page ? 5 : 6;
}

/* PANIC-04 with RESET-10: under trap the recovery point is reached and the system continues. */
static void test_fault_under_trap_reaches_recovery_point(void **unused)
{
    (void)unused;
    config.policy = FFM_PANIC_TRAP;
    assert_int_equal(ffm_supervise(&config, system_traps_fault, NULL), 5);
    assert_int_equal(state.counters.resets, 0);
    assert_int_equal(state.boot, 1);
}

/* ------------------------------------------------------------------ internal failures */

static int system_calls_exit(struct ffm_boot_ctx *ctx, void *arg)
{
    (void)ctx;
    (void)arg;
    exit(9);
}

static int system_aborts(struct ffm_boot_ctx *ctx, void *arg)
{
    (void)ctx;
    (void)arg;
    signal(SIGABRT, SIG_DFL);
    abort();
}

static int system_internal_error(struct ffm_boot_ctx *ctx, void *arg)
{
    (void)arg;
    ffm_boot_internal_error(ctx, "connection pool invariant broken");
}

/* RESET-12: every way out of the protocol is an internal error with exit 1. */
static void test_unexpected_child_endings_are_internal_errors(void **unused)
{
    (void)unused;
    assert_int_equal(ffm_supervise(&config, system_calls_exit, NULL), FFM_EXIT_INTERNAL);
    assert_non_null(strstr(log_contents(), "ffm-sim: INTERNAL ERROR [RESET-12] the simulated "
        "system exited with status 9, outside the supervisor's protocol"));
    assert_int_equal(ffm_supervise(&config, system_aborts, NULL), FFM_EXIT_INTERNAL);
    assert_non_null(strstr(log_contents(), "ffm-sim: INTERNAL ERROR [RESET-12] the simulated "
        "system was killed by signal 6"));
    assert_int_equal(ffm_supervise(&config, system_internal_error, NULL), FFM_EXIT_INTERNAL);
    assert_non_null(strstr(log_contents(), "ffm-sim: INTERNAL ERROR [RESET-12] connection pool "
        "invariant broken -> halt (exit 1)\n"));
    assert_string_equal(state.message, "connection pool invariant broken");
}

static int system_deadlocks(struct ffm_boot_ctx *ctx, void *arg)
{
    (void)arg;
    ffm_boot_deadlock(ctx, "  ns_main (NS -1): psa_call\n  P (pid 9): psa_wait");
}

/* RESET-15: a deadlock report halts with exit 3 and lists the threads. */
static void test_deadlock_halts_with_report(void **unused)
{
    (void)unused;
    assert_int_equal(ffm_supervise(&config, system_deadlocks, NULL), FFM_EXIT_HALTED);
    assert_int_equal(state.final_reason, FFM_STOP_DEADLOCK);
    assert_non_null(strstr(log_contents(),
        "ffm-sim: DEADLOCK [RESET-15] every simulated thread is blocked -> halt (exit 3)\n"
        "  ns_main (NS -1): psa_call\n  P (pid 9): psa_wait\n"));
}

/* ------------------------------------------------------------------ signals */

static int system_interrupts_supervisor(struct ffm_boot_ctx *ctx, void *arg)
{
    volatile unsigned long spins = 0;

    (void)ctx;
    (void)arg;
    kill(getppid(), SIGTERM);
    for (;;) {
        spins++;
    }
    return 0;
}

/* SIGTERM to the supervisor reaches the child; the run still finalizes (exit 128 + 15). */
static void test_sigterm_is_forwarded_and_run_finalized(void **unused)
{
    (void)unused;
    assert_int_equal(ffm_supervise(&config, system_interrupts_supervisor, NULL), 128 + SIGTERM);
    assert_int_equal(state.final_reason, FFM_STOP_INTERRUPTED);
    assert_non_null(strstr(log_contents(), "ffm-sim: INTERRUPTED by signal 15\n"));
    assert_non_null(strstr(log_text, "end:               interrupted (exit 143)\n"));
}

static int system_ignores_sigterm(struct ffm_boot_ctx *ctx, void *arg)
{
    (void)arg;
    signal(SIGTERM, SIG_IGN);
    return system_interrupts_supervisor(ctx, NULL);
}

/* A child that ignores the forwarded signal is killed after the grace period. */
static void test_child_ignoring_sigterm_is_killed_after_grace(void **unused)
{
    uint64_t start = ffm_monotonic_ns();

    (void)unused;
    assert_int_equal(ffm_supervise(&config, system_ignores_sigterm, NULL), 128 + SIGTERM);
    assert_int_equal(state.final_reason, FFM_STOP_INTERRUPTED);
    assert_true(ffm_monotonic_ns() - start >= FFM_SUPER_SIGNAL_GRACE_MS * 1000000ull);
}

/* ------------------------------------------------------------------ (g) summary counters */

static int system_counts(struct ffm_boot_ctx *ctx, void *arg)
{
    struct ffm_pe_record pe;
    int i;

    (void)arg;
    ffm_boot_ns_entered(ctx);
    for (i = 0; i < 10; i++) {
        ffm_boot_count_call(ctx);
    }
    ffm_pe_record_init(&pe, "CALL-05", "psa_call", false, -1, "NS", "version 2 > 1");
    ffm_copy_field(pe.disposition, sizeof(pe.disposition), "returns -129");
    pe.programmer_error = true;
    ffm_boot_record_pe(ctx, &pe);
    ffm_boot_record_pe(ctx, &pe);
    ffm_pe_record_init(&pe, "CON-03", "psa_connect", false, -1, "NS", "stateless SID");
    pe.programmer_error = true;
    ffm_boot_record_pe(ctx, &pe);
    if (ctx->boot == 1) {
        ffm_boot_reset(ctx, "counters");
    }
    return 0;
}

/* Calls and PEs counted in the child survive the reset; the summary shows them by rule. */
static void test_summary_counts_calls_pes_and_resets(void **unused)
{
    (void)unused;
    assert_int_equal(ffm_supervise(&config, system_counts, NULL), 0);
    assert_int_equal(state.counters.calls, 20);
    assert_int_equal(state.counters.pe_total, 6);
    assert_int_equal(ffm_counters_pe_count(&state.counters, "CALL-05"), 4);
    assert_int_equal(ffm_counters_pe_count(&state.counters, "CON-03"), 2);
    assert_string_equal(state.last_pe.rule, "CON-03");
    assert_int_equal(state.last_pe.boot, 2);
    assert_non_null(strstr(log_contents(),
        "ffm-sim: PROGRAMMER ERROR [CALL-05] psa_call by NS client -1: version 2 > 1 -> "
        "returns -129\n"));
    assert_non_null(strstr(log_text,
        "ffm-sim: summary\n"
        "ffm-sim:   boots:             2 (1 cold, 1 warm)\n"
        "ffm-sim:   resets:            1 (PLATFORM 1)\n"
        "ffm-sim:   panics:            0\n"
        "ffm-sim:   faults:            0\n"
        "ffm-sim:   PSA API calls:     20\n"
        "ffm-sim:   PROGRAMMER ERRORs: 6 (CALL-05 4, CON-03 2)\n"
        "ffm-sim:   end:               NS entry returned 0\n"));
}

/* ------------------------------------------------------------------ trapped panics and faults */

/* Policy trap: a psa_panic, a PE panic and a fault are stopped alone (the port unwinds the
 * partition) and the boot goes on; each is recorded through ffm_boot_trapped. */
static int system_traps_three(struct ffm_boot_ctx *ctx, void *arg)
{
    struct ffm_pe_record pe;

    (void)arg;
    ffm_boot_ns_entered(ctx);
    ffm_pe_record_init(&pe, "PANIC-01", "psa_panic", true, 256, "BOOM_SP", "psa_panic called");
    ffm_boot_trapped(ctx, FFM_STOP_PSA_PANIC, &pe);
    ffm_pe_record_init(&pe, "GEN-01", "psa_clear", true, 257, "FLIH_SP", "in a FLIH");
    pe.programmer_error = true;
    ffm_boot_trapped(ctx, FFM_STOP_PANIC, &pe);
    ffm_pe_record_init(&pe, "RESET-10", "fault", true, 258, "SEGV_SP", "SIGSEGV at address 0x40");
    ffm_boot_trapped(ctx, FFM_STOP_FAULT, &pe);
    return 5;
}

static void test_trapped_panics_and_faults_are_logged_and_counted(void **unused)
{
    (void)unused;
    config.policy = FFM_PANIC_TRAP;
    assert_int_equal(ffm_supervise(&config, system_traps_three, NULL), 5);
    assert_int_equal(state.boot, 1);
    assert_int_equal(state.counters.resets, 0);
    assert_int_equal(state.counters.panics, 0);
    assert_int_equal(state.counters.faults, 0);
    assert_int_equal(state.counters.trapped_panics, 2);
    assert_int_equal(state.counters.trapped_faults, 1);
    assert_int_equal(state.counters.pe_total, 1);
    assert_int_equal(ffm_counters_pe_count(&state.counters, "GEN-01"), 1);
    assert_true(state.has_pe);
    assert_string_equal(state.last_pe.rule, "RESET-10");
    assert_string_equal(state.last_pe.disposition, "panic -> trap");
    assert_non_null(strstr(log_contents(),
        "ffm-sim: PANIC [PANIC-01] psa_panic by partition BOOM_SP (pid 256): psa_panic called "
        "-> trap\n"
        "ffm-sim: PANIC [GEN-01] psa_clear by partition FLIH_SP (pid 257): in a FLIH -> trap\n"
        "ffm-sim: FAULT [RESET-10] fault by partition SEGV_SP (pid 258): SIGSEGV at address "
        "0x40 -> trap\n"));
    assert_non_null(strstr(log_text,
        "ffm-sim:   resets:            0\n"
        "ffm-sim:   panics:            2 (trapped 2)\n"
        "ffm-sim:   faults:            1 (trapped 1)\n"));
    assert_non_null(strstr(log_text, "ffm-sim:   PROGRAMMER ERRORs: 1 (GEN-01 1)\n"));
}

/* The WATCHDOG line names who armed it, in the shape of the PANIC line. */
static int system_spin_armed_by_partition(struct ffm_boot_ctx *ctx, void *arg)
{
    volatile unsigned long spins = 0;

    (void)arg;
    ffm_boot_ns_entered(ctx);
    if (ctx->boot == 1) {
        ffm_wdog_set_armed_by(ctx->wdog, "partition SPIN_SP (pid 300)");
        ffm_wdog_arm(ctx->wdog, 30);
        for (;;) {
            spins++;
        }
    }
    return 0;
}

static void test_watchdog_line_names_who_armed_it(void **unused)
{
    (void)unused;
    assert_int_equal(ffm_supervise(&config, system_spin_armed_by_partition, NULL), 0);
    assert_int_equal(state.boot, 2);
    assert_int_equal(state.last_reset_reason, FFM_STOP_WATCHDOG);
    assert_non_null(strstr(log_contents(),
        "ffm-sim: WATCHDOG [RESET-08] ffm_platform_wdog_arm by partition SPIN_SP (pid 300): not "
        "fed within 30 ms (scale 1) -> reset (boot 2)\n"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_platform_reset_boots_again, setup, teardown),
        cmocka_unit_test_setup_teardown(test_second_boot_sees_nvmem_fresh_statics_and_reason,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_nvmem_file_persists_across_runs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nvmem_file_of_wrong_size_is_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_unusable_trace_path_is_bad_input, setup,
                                        teardown),
        cmocka_unit_test(test_config_defaults),
        cmocka_unit_test_setup_teardown(test_watchdog_resets_a_spinning_system, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_boot_after_watchdog_sees_reason_and_disarmed_watchdog,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_fed_watchdog_does_not_fire, setup, teardown),
        cmocka_unit_test_setup_teardown(test_harness_timeout_halts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reset_loop_stops_with_exit_4, setup, teardown),
        cmocka_unit_test_setup_teardown(test_resets_after_ns_entry_are_not_a_loop, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_halt_policy_exits_3_with_report, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reset_policy_restarts_after_panic, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_fault_in_partition_resets_naming_it, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_fault_in_ns_under_halt_halts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fault_in_spm_is_internal_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fault_under_trap_reaches_recovery_point, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_unexpected_child_endings_are_internal_errors,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_deadlock_halts_with_report, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sigterm_is_forwarded_and_run_finalized, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_child_ignoring_sigterm_is_killed_after_grace,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_summary_counts_calls_pes_and_resets, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_trapped_panics_and_faults_are_logged_and_counted,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_watchdog_line_names_who_armed_it, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
