/*
 * supervisor.h - the reset supervisor of ffm-sim (RESET-01, -06..09, -12..14; issue 6).
 *
 * The supervisor is the parent process of the simulation. For every boot it forks a child that
 * runs the simulated system (`run_system`: SPM, partitions, NS) from scratch, then watches it.
 * A reset is the death of that child and the fork of a new one, so nothing of a boot survives
 * it (RESET-01) except what the parent created before forking: the NVMEM region (RESET-03..05)
 * and a small shared block through which the child reports why it ended (RESET-13).
 *
 *   parent (supervisor)                      child (simulated system, one per boot)
 *   -------------------                      ---------------------------------------
 *   map NVMEM, shared block, open trace
 *   loop: fork ------------------------->    run_system(ctx, arg)
 *         poll every poll_ms:                  ffm_boot_ns_entered / ffm_boot_count_call
 *           watchdog deadline (RESET-08)       ffm_boot_record_pe (NS PEs)
 *           --timeout (RESET-09)               ffm_boot_panic / _reset / _deadlock /
 *           SIGINT/SIGTERM (forwarded)         _internal_error -> _exit(dedicated status)
 *           trace records from the pipe        fault handler -> _exit(dedicated status)
 *         waitpid -> why did the boot end?     return from run_system -> NS result
 *         reset -> next boot | stop
 *   print the summary, close the trace
 *
 * Exit statuses of ffm_supervise (the ffm-sim CLI's, issue 5): the NS entry's return value when
 * it returns; FFM_EXIT_HALTED (3) after a halt (policy halt, DEADLOCK, TIMEOUT);
 * FFM_EXIT_RESET_LOOP (4) on RESET_LOOP; FFM_EXIT_BAD_INPUT (2) when the NVMEM file or trace
 * file cannot be used; FFM_EXIT_INTERNAL (1) for internal failures (RESET-12); 128 + signal
 * number after SIGINT/SIGTERM. See docs/reset.md.
 */
#ifndef FFM_SIM_SUPERVISOR_H
#define FFM_SIM_SUPERVISOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fault.h"
#include "nvmem.h"
#include "report.h"
#include "trace.h"
#include "watchdog.h"

enum ffm_panic_policy {
    FFM_PANIC_RESET = 0, /* PANIC-02, the default */
    FFM_PANIC_HALT,      /* PANIC-03 */
    FFM_PANIC_TRAP,      /* PANIC-04: handled inside the simulated system (the port) */
};

#define FFM_EXIT_INTERNAL 1
#define FFM_EXIT_BAD_INPUT 2
#define FFM_EXIT_HALTED 3
#define FFM_EXIT_RESET_LOOP 4

/* How a child ends a boot on purpose. Anything else is an internal failure (RESET-12). */
#define FFM_CHILD_EXIT_DONE 240     /* run_system returned; the result is in the shared block */
#define FFM_CHILD_EXIT_REQUEST 241  /* a reset or halt was requested; reason in the block */
#define FFM_CHILD_EXIT_FAULT 242    /* fault in partition or NS code; fault record in the block */
#define FFM_CHILD_EXIT_INTERNAL 243 /* SPM fault or broken invariant */

#define FFM_SUPER_DEFAULT_MAX_RESETS 8u
#define FFM_SUPER_DEFAULT_POLL_MS 5u
#define FFM_SUPER_SIGNAL_GRACE_MS 1000u /* after forwarding SIGINT/SIGTERM, then SIGKILL */
#define FFM_SUPER_MESSAGE_MAX 2048u

/* What the harness can query after (or, through ffm_boot_ctx, during) a run (RESET-13). */
struct ffm_super_state {
    uint32_t boot;                         /* number of the last boot (1 = cold start) */
    bool cold;                             /* the last boot was the cold start */
    enum ffm_stop_reason last_reset_reason; /* NONE if there was no reset */
    enum ffm_stop_reason final_reason;     /* why the run stopped */
    int exit_code;                         /* what ffm_supervise returned */
    uint32_t consecutive_resets;           /* RESET-14 counter when the run stopped */
    bool has_pe;
    struct ffm_pe_record last_pe;          /* last PE / panic / fault event of the run */
    bool has_fault;
    struct ffm_fault_record last_fault;
    struct ffm_run_counters counters;
    char message[FFM_SUPER_MESSAGE_MAX];   /* internal error, deadlock or halt details */
};

struct ffm_super_config {
    enum ffm_panic_policy policy;
    unsigned max_resets;        /* RESET-14: consecutive resets allowed without NS entry */
    struct ffm_nvmem_config nvmem; /* size 0: no NVMEM */
    double wdog_scale;          /* host ms per simulated ms; <= 0 means 1.0 */
    uint32_t timeout_ms;        /* RESET-09 harness timeout for the whole run; 0: none */
    uint32_t poll_ms;           /* supervisor's check period; 0: FFM_SUPER_DEFAULT_POLL_MS */
    const char *trace_path;     /* NULL: no trace */
    /* RESET_LOOP by repetition: the run stops (FFM_STOP_RESET_LOOP, exit 4) when the same
     * error (rule, API, caller and code location) ends this many consecutive boots in a reset,
     * even though the NS entry was reached. 0: off (the default here; ffm-sim's is 3). */
    unsigned reset_loop;
    bool quiet;                 /* no summary block at the end */
    const char *report_path;    /* NULL: none; else the JSON run summary (run_report.h) */
    /* Names the code of a fault for the FAULT line (where.h's ffm_where_fault); NULL: none. */
    const char *(*where)(const struct ffm_fault_record *fault, char *buf, size_t size);
    /* Called in the simulated process just before it ends a boot (any way but SIGKILL):
     * ffm-sim --gcov runs the images' destructors there. NULL: nothing. */
    void (*child_exit)(void *arg);
    void *child_exit_arg;
    bool trace_sim_clock;       /* --trace-clock sim: timestamps from the simulated clock */
    FILE *log;                  /* NULL: stderr */
    struct ffm_super_state *state_out; /* filled when the run stops, if not NULL */
};

/* Defaults: policy reset, max_resets FFM_SUPER_DEFAULT_MAX_RESETS, no NVMEM, trace or timeout. */
void ffm_super_config_init(struct ffm_super_config *cfg);

struct ffm_super_shared; /* the shared block; layout private to supervisor.c */

/* What a boot's run_system gets. Valid in the child for the whole boot. */
struct ffm_boot_ctx {
    uint32_t boot;                  /* 1 at cold start (ffm_platform_boot_count) */
    bool cold;
    enum ffm_stop_reason last_reason; /* why the previous boot ended; NONE at cold start */
    enum ffm_panic_policy policy;
    void *nvmem;                    /* NULL without NVMEM */
    size_t nvmem_size;
    struct ffm_wdog *wdog;          /* arm/feed/disarm with ffm_wdog_* */
    struct ffm_trace *trace;        /* NULL without --trace; records go to the parent */
    FILE *log;
    struct ffm_fault_record *fault; /* this boot's fault record (trap: read after recovery) */
    struct ffm_super_shared *shared;
};

/*
 * Run the simulated system under supervision until it stops for good; returns the exit status
 * described above. Must be called from a single-threaded process (it forks). SIGINT and SIGTERM
 * handlers are replaced for the duration of the call and restored afterwards.
 */
int ffm_supervise(const struct ffm_super_config *cfg,
                  int (*run_system)(struct ffm_boot_ctx *ctx, void *arg), void *arg);

/* ---- called by the simulated system (in the child) ---- */

/* The NS entry is about to run (RESET-14 counts resets of boots that never get here). */
void ffm_boot_ns_entered(struct ffm_boot_ctx *ctx);

/* One PSA API call, for the summary. */
void ffm_boot_count_call(struct ffm_boot_ctx *ctx);
/* The end of a boot: partition `index` used `used` bytes of its stack (the summary keeps the
 * deepest over the run). */
void ffm_boot_record_stack(struct ffm_boot_ctx *ctx, unsigned index, const char *name,
                           uint32_t stack_size, uint32_t used);

/* A PE whose disposition returns to the caller (NS): kept as the last event, counted by rule
 * when pe->programmer_error, and logged as one line. */
void ffm_boot_record_pe(struct ffm_boot_ctx *ctx, const struct ffm_pe_record *pe);
/* The same without the line (--log error): kept and counted all the same. */
void ffm_boot_keep_pe(struct ffm_boot_ctx *ctx, const struct ffm_pe_record *pe);

/*
 * Policy trap (PANIC-04): a partition panicked (`reason` FFM_STOP_PANIC or FFM_STOP_PSA_PANIC) or
 * faulted (FFM_STOP_FAULT, RESET-10/11) and was stopped alone; the boot goes on. Kept as the
 * last event (a PE counted by rule when pe->programmer_error), counted in the summary's panics
 * or faults as "trapped", logged as one PANIC or FAULT line ending "-> trap", and traced as a
 * "panic" or "fault" instant on the system track, like the events that end a boot.
 */
void ffm_boot_trapped(struct ffm_boot_ctx *ctx, enum ffm_stop_reason reason,
                      const struct ffm_pe_record *pe);

/* The last PE/panic/fault event of the run (from any boot), or NULL. */
const struct ffm_pe_record *ffm_boot_last_pe(const struct ffm_boot_ctx *ctx);

/*
 * End the boot now (RESET-07: no simulated code runs after this). `reason`:
 *  - ffm_boot_panic: FFM_STOP_PANIC or FFM_STOP_PSA_PANIC, with the event; the supervisor applies
 *    the panic policy (reset, or halt with exit 3).
 *  - ffm_boot_reset: the platform reset hook (FFM_STOP_PLATFORM); `who` describes the requester
 *    ("partition NAME (pid N)", "NS client -1": see ffm_report_caller), or is "". The line reads
 *    "RESET [RESET-06] ffm_platform_reset by WHO: platform reset requested -> OUTCOME".
 *  - ffm_boot_deadlock: RESET-15; `report` lists each thread and its blocking API. Halts.
 *  - ffm_boot_internal_error: RESET-12; halts with exit 1.
 */
_Noreturn void ffm_boot_panic(struct ffm_boot_ctx *ctx, enum ffm_stop_reason reason,
                              const struct ffm_pe_record *pe);
_Noreturn void ffm_boot_reset(struct ffm_boot_ctx *ctx, const char *who);
_Noreturn void ffm_boot_deadlock(struct ffm_boot_ctx *ctx, const char *report);
_Noreturn void ffm_boot_internal_error(struct ffm_boot_ctx *ctx, const char *what);
/* End the boot after a fault that ctx->fault records and that was recovered from (policy trap,
 * but the NS entry thread faulted: the run cannot go on). The supervisor treats it as the fault
 * handler's own exit: a FAULT line, counted in faults, then the policy's halt (exit 3). */
_Noreturn void ffm_boot_fault(struct ffm_boot_ctx *ctx);

#endif /* FFM_SIM_SUPERVISOR_H */
