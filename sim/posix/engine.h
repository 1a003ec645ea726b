/*
 * engine.h - the POSIX port's internals: one simulated system (struct sim), its threads and
 * the token scheduler, shared by the port callbacks (port.c), the PSA and platform API symbols
 * (psa_api.c, platform_api.c), the thread bodies (threads.c), the embedding API (embed.c) and
 * the ffm-sim CLI (main.c). Not installed: programs use include/ffmsim/sim.h.
 *
 * Execution model (docs/ffm-sim.md "Scheduling"): every simulated thread is a pthread, but only
 * the thread named by sim->running executes simulated code; the others wait on their own
 * condition variable. The token changes hands only at PSA API boundaries, so the core is
 * entered by one thread at a time and needs no locks.
 */
#ifndef FFM_SIM_POSIX_ENGINE_H
#define FFM_SIM_POSIX_ENGINE_H

#include <pthread.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ffmsim/sim.h"
#include "port.h"
#include "report.h"
#include "spm.h"
#include "spm_state.h"

struct memmap;
struct ffm_wdog;
struct ffm_trace;
struct ffm_fault_record;

typedef void (*sim_fn)(void); /* any function from an image or a symbol table */

enum sim_policy { SIM_POLICY_RESET = 0, SIM_POLICY_HALT, SIM_POLICY_TRAP };

enum sim_thread_kind { SIM_T_PARTITION = 0, SIM_T_NS };

enum sim_tstate {
    SIM_TS_NEW = 0, /* created, not yet allowed to start (RESET-02) */
    SIM_TS_READY,
    SIM_TS_RUNNING,
    SIM_TS_BLOCKED,
    SIM_TS_DONE,
};

/* Why a blocked thread waits, for the DEADLOCK report (RESET-15). */
enum sim_wait {
    SIM_WAIT_NONE = 0,
    SIM_WAIT_API,      /* a PSA API: blocked_api says which */
    SIM_WAIT_SFN_IDLE, /* an SFN partition with no message */
    SIM_WAIT_JOIN,     /* ffm_ns_thread_join */
};

/* How a thread left its body through its start point (siglongjmp values). */
/* Values above every signal number: fault.c unwinds with the signal number (policy trap). */
enum sim_unwind { SIM_UNWIND_NONE = 0, SIM_UNWIND_STOP = 100, SIM_UNWIND_TRAP = 101 };

#define SIM_NAME_MAX 48u
#define SIM_MAX_NS_THREADS 32u
#define SIM_MAX_THREADS (FFM_MAX_PARTITIONS + SIM_MAX_NS_THREADS)
#define SIM_RANK_NS 3 /* partitions rank 0..2 by priority (HIGH first) */

struct sim;

struct sim_thread {
    struct sim *sim;
    enum sim_thread_kind kind;
    char name[SIM_NAME_MAX];
    struct ffm_caller caller; /* identity (GEN-02); token = this thread */
    int rank;                 /* scheduling class: lower runs first */
    int trace_tid;
    /* scheduler state, guarded by sim->mu */
    enum sim_tstate state;
    uint64_t ready_seq;       /* FIFO order within a rank */
    enum sim_wait wait;
    enum ffm_api blocked_api;
    uintptr_t call_pc;        /* return address of the thread's current PSA API call: its
                               * call site, named in PE, panic and fault lines (where.h) */
    pthread_cond_t cv;
    /* results handed over by port callbacks (only touched by the token holder) */
    bool has_result;
    struct ffm_ret result;
    bool wake_pending;        /* ffm_port_wake while not waiting */
    bool booted;              /* reached its first psa_wait / finished entry_init (RESET-02) */
    bool trapped;             /* unwound (or to unwind at its next turn) under `trap` */
    /* host thread */
    pthread_t tid;
    bool created;
    sigjmp_buf start;         /* unwind point: trap, stop, fault under trap */
    void *stack;              /* partitions: mmap'd, registered secure (MEM-03) */
    size_t stack_size;        /* usable bytes, above the guard page */
    /* NS threads */
    int (*ns_fn)(void *arg);
    int (*ns_main)(void);
    void *ns_arg;
    int ns_ret;
    bool ns_joined;
    struct sim_thread *joiner;
};

/* How a boot ended. */
enum sim_end {
    SIM_END_NONE = 0,
    SIM_END_NS_RETURNED, /* status = ns_main's value */
    SIM_END_HALT,        /* panic under halt, NS main trapped, deadlock: exit 3 */
    SIM_END_RESET,       /* reset requested: reason in stop_reason */
    SIM_END_INTERNAL,    /* exit 1 */
};

struct sim_outcome {
    enum sim_end end;
    int status;
    int stop_reason;     /* enum ffm_stop_reason (report.h) */
    bool ns_entered;     /* the NS entry started during this boot (RESET-14) */
    char what[1536];     /* why it ended: one line, or the DEADLOCK thread list */
};

/*
 * The program around the engine, when there is one (ffm-sim's supervised child): it counts,
 * logs and keeps events, and ends the process on a panic, reset, deadlock or internal error.
 * `end` is called on the thread that ends the boot, for every end but NS_RETURNED, and never
 * returns. Without a host the engine logs by itself and the controlling thread sees the end.
 */
struct sim_host {
    void *arg;
    void (*count_call)(void *arg);
    void (*record_pe)(void *arg, const struct ffm_pe_record *pe, bool panics);
    /* policy trap: a partition (or NS thread) faulted and was unwound; the boot goes on */
    void (*record_trapped_fault)(void *arg, const struct ffm_pe_record *pe);
    void (*ns_entered)(void *arg);
    void (*end)(void *arg, const struct sim_outcome *outcome, const struct ffm_pe_record *pe);
};

/* Everything a boot needs. Symbol tables are indexed like the description's arrays. */
struct sim_setup {
    const struct ffm_system_desc *desc;
    struct ffm_spm_config spm_config;
    enum sim_policy policy;
    int log_level;
    FILE *log;
    const sim_fn *entry;  /* per partition: IPC entry_point or SFN entry_init (NULL: none) */
    const sim_fn *sfn;    /* per service (SFN partitions) */
    const sim_fn *flih;   /* per IRQ (FLIH) */
    int (*ns_main)(void);
    struct memmap *map;   /* memory attribution; required */
    const char *const *irq_sources; /* per platform IRQ source index: its name (for raise) */
    void *nvmem;
    size_t nvmem_size;
    int32_t nvmem_owner;  /* pid, or 0: any partition */
    struct ffm_wdog *wdog;        /* shared with a supervisor, or local */
    bool wdog_supervised;         /* a supervisor watches the deadline (else the engine does) */
    struct ffm_run_counters *counters; /* optional (without a host) */
    struct ffm_trace *trace;           /* optional */
    bool catch_faults;            /* register threads with sim/fault (ffm-sim child only) */
    const struct ffm_fault_record *fault; /* where sim/fault records a fault (catch_faults) */
    const struct sim_host *host;  /* NULL: embedded, in-process */
    void (*on_event)(void *arg, const struct ffm_event *event);
    void (*on_trap)(void *arg, bool secure, int32_t id, const char *name);
    void *cb_arg;
};

#define SIM_TRACE_OPEN_MAX 64u

/* A message whose async trace slice is open (queued, not replied yet). */
struct sim_open_msg {
    bool used;
    uint16_t partition;  /* the service's partition */
    uint16_t service;
    uint32_t handle;
    int32_t client_id;
    int32_t type;
};

struct sim {
    const struct sim_setup *setup;
    struct ffm_spm spm;
    pthread_mutex_t mu;       /* scheduler state: see sched.c for the lock order */
    pthread_cond_t main_cv;   /* the controlling thread waits here for the end of the boot */
    struct sim_thread *running;
    uint64_t ready_counter;
    struct sim_thread threads[SIM_MAX_THREADS];
    size_t n_threads;
    struct sim_thread *part_thread[FFM_MAX_PARTITIONS];
    uint16_t start_order[FFM_MAX_PARTITIONS];
    size_t n_started;         /* partitions released so far (RESET-02) */
    struct sim_thread *ns_main;
    int next_ns_tid;
    bool has_pe;
    struct ffm_pe_record last_pe; /* the last event of this boot (valid when has_pe) */
    bool stopping;            /* every thread unwinds */
    bool ended;
    struct sim_outcome outcome;
    /* FLIHs raised during the current core call (ffm_port_flih), run on its way out */
    uint16_t flih_pending[FFM_MAX_IRQS];
    size_t n_flih_pending;
    int flih_depth;
    /* trace only: messages queued and not yet replied, so that the ones a trapped partition
     * never replies to (PANIC-05) end their async slice too (token holder only) */
    struct sim_open_msg open_msgs[SIM_TRACE_OPEN_MAX];
};

/* ---- sched.c -------------------------------------------------------------------------- */
int sim_sched_init(struct sim *sim);
void sim_sched_destroy(struct sim *sim);
/* The calling thread gives up the token until made ready again; returns holding it. */
void sim_block(struct sim_thread *self, enum sim_wait wait, enum ffm_api api);
/* A READY thread of a better rank exists: let it run first (API boundary). */
void sim_preempt_point(struct sim_thread *self);
/* Let equal-rank ready threads run (ffm_ns_yield). */
void sim_yield(struct sim_thread *self);
/* Make a BLOCKED or NEW thread ready. Token holder only. */
void sim_make_ready(struct sim_thread *t);
/* Under `trap`, a partition panicked from another thread (its FLIH): its own thread unwinds as
 * soon as it gets the token. Token holder only. */
void sim_trap_thread(struct sim_thread *t);
/* The controlling thread starts the boot: hand the token to the best ready thread. */
void sim_sched_kick(struct sim *sim);
/* Stop: every waiting thread unwinds to its start point. */
void sim_sched_stop(struct sim *sim);
/* Wait for the token at thread start (or unwind if the system is stopping). */
void sim_wait_first_token(struct sim_thread *self);
/* The calling thread ends: hand the token on. */
void sim_thread_exit(struct sim_thread *self);
/* End the boot with `outcome` (first caller wins); wakes the controlling thread. */
void sim_end(struct sim *sim, enum sim_end end, int status, int stop_reason, const char *fmt,
             ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
/* The token holder leaves simulated code for good: unwind to its start point. */
_Noreturn void sim_unwind(struct sim_thread *self, enum sim_unwind how);
/* RESET-02: `self` reached its boot point; release the next partition, or NS. */
void sim_boot_point(struct sim_thread *self);

/* ---- threads.c ------------------------------------------------------------------------ */
/* The calling thread's record (NULL: not a simulated thread). */
struct sim_thread *sim_self(void);
/* Create every thread of a boot and start the first partition. 0, or -1 with err. */
int sim_threads_start(struct sim *sim, char *err, size_t err_size);
/* After the boot ended: unwind and join every thread, free stacks. */
void sim_threads_stop(struct sim *sim);
/* Run FLIHs requested during the last core call (ffm_port_flih), in handler mode. */
void sim_run_pending_flihs(struct sim_thread *self);
/* Under `trap`, a panic inside a FLIH unwinds the handler only, back to where it was run. */
_Noreturn void sim_flih_unwind(void);
/* Create an NS thread (ffm_ns_thread_create). */
int sim_ns_thread_create(struct sim_thread *self, int32_t client_id, int (*fn)(void *),
                         void *arg, struct sim_thread **out);

/* ---- psa_api.c ------------------------------------------------------------------------ */
/* The caller's core result was PANIC: apply the panic policy. Never returns. */
_Noreturn void sim_panic(struct sim_thread *self, int stop_reason, const char *why);
/* Around every core call: a fault in between is the SPM's (RESET-12), and on the way out
 * pending FLIHs run. */
void sim_spm_enter(struct sim_thread *self);
void sim_spm_leave(struct sim_thread *self);
/* The identity the core sees for the calling thread (handler mode inside a FLIH). */
struct ffm_caller sim_current_caller(struct sim_thread *self);
/* A record of an event caused by the calling thread (its partition inside a FLIH), as the
 * supervisor and the report keep it: rule, API, caller identity, reason. */
void sim_caller_record(struct sim_thread *self, struct ffm_pe_record *pe, const char *rule,
                       const char *api, const char *reason);
/* GEN-02: an API was called from a thread the simulator does not know. Exits with status 1. */
_Noreturn void sim_unregistered(const char *api);

/* ---- port.c --------------------------------------------------------------------------- */
/* Log a line at `level` (enum ffm_log_level), prefixed "ffm-sim: ". */
void sim_log(const struct sim *sim, int level, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Partition index currently running a FLIH on this thread, or -1. */
int sim_flih_partition(void);
void sim_set_flih_partition(int partition);

/* ---- engine.c ------------------------------------------------------------------------- */
/* Run one boot to its end (in-process). Returns -1 with err if the boot could not start. */
int sim_run_boot(const struct sim_setup *setup, struct sim_outcome *out, char *err,
                 size_t err_size);
/* The system currently running in this process (the API symbols' way in), or NULL. */
struct sim *sim_current(void);

/* A function pointer from a data pointer (dlsym), without the pedantic cast warning. */
sim_fn sim_fn_from_ptr(void *ptr);

#endif /* FFM_SIM_POSIX_ENGINE_H */
