/*
 * report.h - what ffm-sim tells the user about panics and resets: the records the supervisor
 * keeps (RESET-13), the one-line report of every panic, fault and reset, and the summary block
 * printed at the end of a run (issue 6 item 5).
 *
 * Every line starts with "ffm-sim: ". A panic line reads
 *
 *   ffm-sim: PANIC [CALL-05] psa_call by partition DEMO_SP_PLATFORM (pid 257): version 2
 *            rejected by STRICT v1 -> reset (boot 2)
 *
 * (on one line): what, [rule], API, caller, reason, and what happens next.
 *
 * The records are plain fixed-size structures: they live in memory shared between the
 * supervisor and the simulated system, and survive the simulated system.
 */
#ifndef FFM_SIM_REPORT_H
#define FFM_SIM_REPORT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Why a boot ended (or why the run stopped). */
enum ffm_stop_reason {
    FFM_STOP_NONE = 0,    /* no reset yet: cold start */
    FFM_STOP_PANIC,       /* a partition panicked on a PE, or NS under GEN-03, or PANIC-07 */
    FFM_STOP_PSA_PANIC,   /* psa_panic() (PANIC-01) */
    FFM_STOP_FAULT,       /* SIGSEGV/SIGBUS/SIGILL/SIGFPE in partition or NS code (RESET-10/11) */
    FFM_STOP_WATCHDOG,    /* watchdog expiry (RESET-08) */
    FFM_STOP_PLATFORM,    /* ffm_platform_reset (RESET-06) */
    FFM_STOP_RESET_LOOP,  /* too many consecutive resets (RESET-14) */
    FFM_STOP_DEADLOCK,    /* every thread blocked (RESET-15) */
    FFM_STOP_TIMEOUT,     /* harness timeout, no watchdog armed (RESET-09) */
    FFM_STOP_INTERNAL,    /* SPM fault or broken invariant (RESET-12) */
    FFM_STOP_INTERRUPTED, /* SIGINT or SIGTERM to the supervisor */
    FFM_STOP_EXITED,      /* the NS entry returned */
    FFM_STOP_COUNT
};

/* "PANIC", "WATCHDOG", "RESET_LOOP", ...; "?" out of range. */
const char *ffm_stop_reason_name(enum ffm_stop_reason reason);

#define FFM_PE_RULE_MAX 16u
#define FFM_PE_NAME_MAX 48u
#define FFM_PE_REASON_MAX 192u
#define FFM_PE_WHERE_MAX 320u

/* One PROGRAMMER ERROR or panic event (GEN-05), as kept by the supervisor (RESET-13). */
struct ffm_pe_record {
    uint32_t seq;                       /* within its boot */
    uint32_t boot;
    char rule[FFM_PE_RULE_MAX];         /* "CALL-05" */
    char api[32];                       /* "psa_call" */
    bool caller_secure;
    int32_t caller_id;                  /* pid (> 0) or NS client id (< 0) */
    char caller_name[FFM_PE_NAME_MAX];  /* partition name, or the NS thread's name */
    char partition[FFM_PE_NAME_MAX];    /* the partition that panics, if another one; else "" */
    char reason[FFM_PE_REASON_MAX];     /* human-readable, with the offending values */
    char where[FFM_PE_WHERE_MAX];       /* the partition code that made the call or faulted:
                                         * "fn+0x1c (img.so) src.c:12" (where.h), or "" */
    char disposition[32];               /* "panic", "return -129", ... */
    bool programmer_error;              /* counts in the PROGRAMMER ERRORs-by-rule table */
};

/* Fill a record from strings (each cut to its field, always terminated); other fields zero. */
void ffm_pe_record_init(struct ffm_pe_record *pe, const char *rule, const char *api,
                        bool caller_secure, int32_t caller_id, const char *caller_name,
                        const char *reason);

/* Copy a string into a fixed field, cut and terminated. */
void ffm_copy_field(char *dst, size_t size, const char *src);

#define FFM_RULE_SLOTS 64u

struct ffm_rule_count {
    char rule[FFM_PE_RULE_MAX];
    uint32_t count;
};

/*
 * Counters for the summary. The simulated system adds calls and PEs (several threads: atomics,
 * and a spin lock around the rule table that the supervisor re-initialises before each boot,
 * since a killed child may have died holding it). The supervisor alone writes the rest.
 */
/* A partition's deepest stack use over the run, measured at the end of each boot (painted
 * stacks, docs/ffm-sim.md section 11). */
#define FFM_STACK_MARKS 32u /* FFM_MAX_PARTITIONS */
struct ffm_stack_mark {
    char name[FFM_PE_NAME_MAX]; /* "": not measured */
    uint32_t stack_size;        /* the manifest's stack_size; 0 when it is not a number */
    uint32_t used;              /* bytes, host-measured */
};

struct ffm_run_counters {
    atomic_flag rules_lock;
    _Atomic unsigned long long calls;     /* PSA API calls */
    _Atomic unsigned int pe_total;
    uint32_t pe_untracked;                /* PEs whose rule found no free slot */
    struct ffm_rule_count pe[FFM_RULE_SLOTS]; /* in order of first occurrence */
    uint32_t boots;
    uint32_t resets;
    uint32_t panics;                      /* PANIC and PSA_PANIC stops */
    uint32_t faults;                      /* FAULT stops */
    /* Under `trap` a panic or fault does not stop the boot: the simulated system counts it
     * (ffm_boot_trapped), and the summary adds these to panics and faults. */
    _Atomic unsigned int trapped_panics;
    _Atomic unsigned int trapped_faults;
    uint32_t resets_by[FFM_STOP_COUNT];   /* resets, by the reason of the boot that ended */
    struct ffm_stack_mark stack[FFM_STACK_MARKS]; /* per partition index: deepest over the run */
};

void ffm_counters_init(struct ffm_run_counters *c);
void ffm_counters_unlock(struct ffm_run_counters *c);
void ffm_counters_add_call(struct ffm_run_counters *c);
void ffm_counters_add_pe(struct ffm_run_counters *c, const char *rule);
uint32_t ffm_counters_pe_count(const struct ffm_run_counters *c, const char *rule);
/* Keep the deeper of `used` and what partition `index` used before. */
void ffm_counters_stack(struct ffm_run_counters *c, unsigned index, const char *name,
                        uint32_t stack_size, uint32_t used);
/* "NAME: 1,504 of 1,824 bytes (82 %), host-measured" (stack_size 0: "of an unknown size"). */
void ffm_format_stack_mark(char *buf, size_t size, const struct ffm_stack_mark *m);

/* How the run ended, for the summary's last line. */
struct ffm_run_outcome {
    enum ffm_stop_reason reason;
    int exit_code;
};

/* Print "ffm-sim: " + formatted text + newline, and flush (logs must survive a crash). */
void ffm_report_line(FILE *out, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* "partition NAME (pid N)" / "NS client -1" / "NS thread NAME (client -2)". */
void ffm_report_caller(char *buf, size_t size, const struct ffm_pe_record *pe);

/* "ffm-sim: WHAT [RULE] API by CALLER[ at WHERE]: REASON -> OUTCOME" (no newline); returns its length
 * as snprintf does. */
int ffm_report_format_event(char *buf, size_t size, const char *what,
                            const struct ffm_pe_record *pe, const char *outcome);
void ffm_report_event(FILE *out, const char *what, const struct ffm_pe_record *pe,
                      const char *outcome);

/* A location as the RESET_LOOP line and the JSON report name it: "fn+0x1c (img.so) src.c:12"
 * becomes "fn (src.c:12)", "fn+0x1c (img.so)" becomes "fn (img.so)"; "" stays "". Of
 * "lib_fn+0x2 (libc.so.6) called from fn+0x1c ...", the caller is named. */
void ffm_where_brief(const char *where, char *buf, size_t size);

/* The summary block: boots, resets by reason, panics, faults, calls, PEs by rule, the end. */
void ffm_report_summary(FILE *out, const struct ffm_run_counters *c,
                        const struct ffm_run_outcome *outcome);

#endif /* FFM_SIM_REPORT_H */
