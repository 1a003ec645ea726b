/*
 * engine.h - the POSIX port's internals: one simulated system (struct sim), its threads and
 * the token scheduler, shared by the port callbacks (port.c), the PSA and platform API symbols
 * (psa_api.c, platform_api.c), the thread bodies (threads.c), the embedding API (embed.c) and
 * the ffm-sim CLI (main.c). Not installed: programs use include/ffmsim/sim.h.
 *
 * Execution model (docs/ffm-sim.md "Scheduling"): every simulated thread is a pthread, but only
 * the record named by sim->running executes simulated code; the others wait on their host
 * thread's gate. The token changes hands only at PSA API boundaries, so the core is entered by
 * one thread at a time and needs no locks. An SFN partition's record may be carried by a
 * blocked caller's host thread (sfn_carry.c): its services then run in the caller's context.
 */
#ifndef FFM_SIM_POSIX_ENGINE_H
#define FFM_SIM_POSIX_ENGINE_H

#include <pthread.h>
#if !defined(__APPLE__)
#include <semaphore.h>
#endif
#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ffmsim/ns.h"
#include "ffmsim/sim.h"
#include "flash.h"
#include "heap.h"
#include "port.h"
#include "report.h"
#include "spm.h"
#include "spm_state.h"

struct memmap;
struct ffm_isolation;
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
    SIM_WAIT_SLEEP,    /* ffm_platform_sleep_us: until the clock reaches wake_at_ns */
};

/* How a thread left its body through its start point (siglongjmp values). */
/* Values above every signal number: fault.c unwinds with the signal number (policy trap). */
enum sim_unwind { SIM_UNWIND_NONE = 0, SIM_UNWIND_STOP = 100, SIM_UNWIND_TRAP = 101 };

#define SIM_NAME_MAX 48u
/* NS threads created and not yet joined (include/ffmsim/ns.h); a joined thread's record is
 * reused. Records: every partition, the NS entry, and that many NS threads. */
#define SIM_MAX_NS_THREADS ((size_t)FFM_NS_MAX_THREADS)
#define SIM_MAX_THREADS (FFM_MAX_PARTITIONS + 1u + SIM_MAX_NS_THREADS)
#define SIM_RANK_NS 3 /* partitions rank 0..2 by priority (HIGH first) */

struct sim;

/*
 * A thread's wake-up call: a binary-ish semaphore the thread sleeps on while it waits for the
 * token. Posting it is the only thing a handoff does to the next holder, after the scheduler
 * lock is released, so the woken thread runs at once instead of waking into a held lock
 * (one context switch per handoff). POSIX unnamed semaphores where the host has them (Linux),
 * a mutex and condition variable on macOS (no unnamed semaphores there).
 */
struct sim_gate {
#if defined(__APPLE__)
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool posted;
#else
    sem_t sem;
#endif
};

struct sim_thread {
    struct sim *sim;
    enum sim_thread_kind kind;
    char name[SIM_NAME_MAX];
    struct ffm_caller caller; /* identity (GEN-02); token = this thread */
    int rank;                 /* scheduling class: lower runs first */
    int trace_tid;
    /* scheduler state, guarded by sim->mu */
    enum sim_tstate state;
    struct sim_thread *next_ready; /* the rank's FIFO ready queue (READY threads only) */
    enum sim_wait wait;
    enum ffm_api blocked_api;
    struct sim_gate gate;     /* this host thread's wake-up: posted to give it the token */
    struct sim_gate *wake;    /* the gate of the host thread carrying this record: its own,
                               * or, for an SFN partition run in a caller's context, the
                               * caller's (docs/ffm-sim.md section 4) */
    int carrying;             /* SFN runs this thread's host carries for it (sfn_carry.c) */
    /* the vector lengths of the message this thread's psa_call queued ("in [4] out [12]"),
     * for the call's trace slice; empty when the call queued none */
    char call_vectors[64];
    int sfn_target;           /* partition of the SFN message this thread's client call queued,
                               * or -1 (the only partition that can complete that call) */
    uintptr_t call_pc;        /* return address of the thread's current PSA API call: its
                               * call site, named in PE, panic and fault lines (where.h) */
    /* results handed over by port callbacks (only touched by the token holder) */
    bool has_result;
    struct ffm_ret result;
    bool wake_pending;        /* ffm_port_wake while not waiting */
    bool booted;              /* reached its first psa_wait / finished entry_init (RESET-02) */
    bool trapped;             /* unwound (or to unwind at its next turn) under `trap` */
    uint64_t wake_at_ns;      /* SIM_WAIT_SLEEP: simulated time to wake at (clock.c) */
    /* host thread */
    pthread_t tid;
    bool created;
    sigjmp_buf start;         /* unwind point: trap, stop, fault under trap */
    void *stack;              /* partitions: mmap'd, registered secure (MEM-03) */
    size_t stack_size;        /* usable bytes, above the guard page */
    uintptr_t ns_stack_registered; /* NS threads: base of the host stack registered as NS */
    /* SFN partitions: the secure stack its service functions run on in a caller's context
     * (mmap'd with a guard page, registered secure and owned by the partition, MEM-03) */
    void *sfn_stack;
    size_t sfn_stack_size;
    /* stack use (partitions): the painted part of the thread's stack, below the frame its
     * body starts from (entry_sp); the SFN stack is painted whole */
    uintptr_t paint_low, paint_top, entry_sp;
    uintptr_t sfn_entry_sp; /* where an SFN run's frames start on the SFN stack */
    size_t thread_stack_used; /* measured when the thread left its body */
    size_t stack_peak;        /* the deepest SFN run (measured after each) */
    uintptr_t sim_sp; /* while in the simulator: the frame the partition entered it from */
    /* --stack-check enforce: sim/fault guard ids + 1 of the thread's stack [0] and the SFN
     * stack [1] (0: not placed yet), and of the guard armed now (0: none) */
    int stack_guard[2];
    int guard_armed;
    /* a message fetched in a caller's context that the partition's own thread runs next */
    bool has_handover;
    psa_msg_t handover_msg;
    const struct ffm_service_desc *handover_svc;
    /* NS threads */
    int (*ns_fn)(void *arg);
    int (*ns_main)(void);
    void *ns_arg;
    int ns_ret;
    bool ns_joined;           /* joined: the record is free for the next NS thread */
    uint32_t generation;      /* NS: how often the record was reused; part of its handle */
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
    /* the end of a boot: partition `index` used `used` bytes of stack (host-measured) */
    void (*record_stack)(void *arg, unsigned index, const char *name, uint32_t stack_size,
                         uint32_t used);
    void (*end)(void *arg, const struct sim_outcome *outcome, const struct ffm_pe_record *pe);
};

/* Everything a boot needs. Symbol tables are indexed like the description's arrays. */
struct ffm_slobs;

/* The flash devices' run-wide counters (flash_api.c): in memory shared by every boot of a
 * supervised run (the supervisor's parent prints the wear summary from it at the end), or
 * private to an embedded run. */
struct sim_flash_wear {
    uint64_t programs;      /* accepted program operations of the run, all devices */
    uint64_t cut_after;     /* --flash-cut-after N: program N tears and resets; 0: never */
    uint64_t dev_programs[FFM_FLASH_MAX_DEVICES];
    uint64_t dev_bytes[FFM_FLASH_MAX_DEVICES];
    uint64_t dev_erases[FFM_FLASH_MAX_DEVICES];
    uint64_t dev_refused[FFM_FLASH_MAX_DEVICES]; /* strict refusals (FLASH-01) */
    uint32_t sector_erases[];  /* every device's sectors, device 0's first */
};

/* One flash device (a platform-file region with `flash:`), Driver_FLASHn. */
struct sim_flash_dev {
    const char *region;     /* the platform region's name */
    uint8_t *mem;           /* its bytes in this boot (the same address every boot) */
    uint32_t size;
    struct ffm_flash_geometry geometry;
    bool secure;
    int32_t owner;          /* partition id, or 0: any partition (a secure region) */
    size_t first_sector;    /* index of its sector 0 in sim_flash_wear.sector_erases */
};

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
    struct ffm_isolation *iso; /* direct-access isolation (MEM-15), or NULL: none */
    const char *const *irq_sources; /* per platform IRQ source index: its name (for raise) */
    const uint32_t *irq_period_us;  /* per platform IRQ source: tick period, 0: none (clock.c);
                                     * NULL: no periodic source */
    bool realtime;                  /* --realtime: the simulated clock follows host time */
    void *nvmem;
    size_t nvmem_size;
    int32_t nvmem_owner;  /* pid, or 0: any partition */
    const struct sim_flash_dev *flash; /* n_flash devices (flash_api.c), or NULL */
    unsigned n_flash;
    struct sim_flash_wear *flash_wear; /* required with flash */
    struct ffm_wdog *wdog;        /* shared with a supervisor, or local */
    bool wdog_supervised;         /* a supervisor watches the deadline (else the engine does) */
    struct ffm_run_counters *counters; /* optional (without a host) */
    struct ffm_trace *trace;           /* optional */
    struct ffm_slobs *observer;        /* optional: --stateless-report (slobs.h) */
    bool catch_faults;            /* register threads with sim/fault (ffm-sim child only) */
    bool stack_check;             /* paint and measure partition stacks (threads.c) */
    bool stack_enforce;           /* and fault below stack_size (threads.c; needs stack_check) */
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

#define SIM_MAX_IRQ_SOURCES 64u

/*
 * The simulated clock (clock.c): simulated nanoseconds since the boot started. Time stands
 * still while simulated code runs and jumps to the next timer event when every simulated
 * thread is blocked, so a run is deterministic (Zephyr native_sim's model); --realtime makes
 * those jumps wait for the host clock. Token holder only, or the idle host thread.
 */
struct sim_clock {
    uint64_t now_ns;
    uint64_t host_origin_ns;                    /* host monotonic time at boot (--realtime) */
    uint64_t next_tick_ns[SIM_MAX_IRQ_SOURCES]; /* periodic sources: the next tick */
    int irq_of[SIM_MAX_IRQ_SOURCES];            /* the manifest IRQ on each source, or -1 */
    size_t n_sources;
    uint64_t wdog_deadline_ns;                  /* armed watchdog in simulated time, 0: none */
    uint64_t ticks;                             /* ticks delivered in this boot */
};

struct sim {
    const struct sim_setup *setup;
    struct sim_clock clock;
    struct ffm_spm spm;
    pthread_mutex_t mu;       /* scheduler state: see sched.c for the lock order */
    pthread_cond_t main_cv;   /* the controlling thread waits here for the end of the boot */
    struct sim_thread *running;
    /* READY threads, one FIFO queue per rank, and a bit per non-empty queue. Changed only by
     * the token holder (or the controlling thread before the first handoff), under mu, so the
     * holder reads ready_mask without the lock: a preemption point is one load and a test. */
    struct sim_thread *ready_head[SIM_RANK_NS + 1];
    struct sim_thread *ready_tail[SIM_RANK_NS + 1];
    unsigned ready_mask;
    /* The protection domain whose code runs now (sim_domain_switch): a partition index,
     * SIM_DOMAIN_NS, or SIM_DOMAIN_NONE before the first switch. Token holder only. */
    int domain;
    size_t iso_ranges0, iso_pieces0; /* the isolation table before this boot's stacks */
    struct sim_heap heaps[FFM_MAX_PARTITIONS]; /* MEM-18 (heaps.c): empty without heap_size */
    void *heap_mem[FFM_MAX_PARTITIONS];
    struct sim_thread threads[SIM_MAX_THREADS];
    size_t n_threads;
    struct sim_thread *part_thread[FFM_MAX_PARTITIONS];
    uint16_t start_order[FFM_MAX_PARTITIONS];
    size_t n_started;         /* partitions released so far (RESET-02) */
    struct sim_thread *ns_main;
    int next_ns_tid;
    size_t n_ns_live;         /* NS threads created and not yet joined (sim->mu) */
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
int sim_gate_init(struct sim_gate *gate);
void sim_gate_destroy(struct sim_gate *gate);
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
/* The same with sim->mu held (clock.c). */
void sim_make_ready_locked(struct sim_thread *t);
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
/* The token holder leaves simulated code for good: unwind to this host thread's current
 * unwind point (its start point, or the SFN run it carries in a caller's context). */
_Noreturn void sim_unwind(struct sim_thread *self, enum sim_unwind how);
#define SIM_DOMAIN_NS (-1)
#define SIM_DOMAIN_NONE (-2)
/* The one place where the running protection domain changes (docs/ffm-sim.md section 4): a
 * thread takes the token (NS -> partition, partition -> partition, ...), an SFN runs in its
 * caller's context and returns, a FLIH runs in handler mode and returns. Memory isolation
 * (protection that follows the running domain, like an MPU reprogrammed at a context switch)
 * hooks here. Token holder only; cheap when the domain does not change. */
void sim_domain_switch(struct sim *sim, int domain);
/* A FLIH of `partition` runs in handler mode on the stack of the domain it interrupted. */
void sim_domain_switch_flih(struct sim *sim, int partition, int interrupted);
/* Back to the running domain's protections after the SPM reached into closed memory. */
void sim_domain_reapply(struct sim *sim);
/* Everything reachable (a stopping system, the end of a boot). */
void sim_domain_open_all(struct sim *sim);
/* Run fn(arg) on a secure stack; handoffs inside it run on this host thread's own stack
 * below the current frame (sched.c). */
void sim_run_on_secure_stack(void (*fn)(void *), void *arg, void *stack, size_t size);
/* After an unwind to the thread's start point: back on the host stack. */
void sim_host_stack_reset(void);
/* The domain a record runs in: its partition, or SIM_DOMAIN_NS. */
int sim_domain_of(const struct sim_thread *t);
/* This host thread starts: its gate, and its start point as the unwind point. */
void sim_sched_host_enter(struct sim_thread *self);
/* The unwind point of this host thread (the SFN carry sets and restores it). */
sigjmp_buf *sim_unwind_point(void);
void sim_set_unwind_point(sigjmp_buf *point);
/* The gate of the calling host thread. */
struct sim_gate *sim_host_gate(void);
/* RESET-02: `self` reached its boot point; release the next partition, or NS. */
void sim_boot_point(struct sim_thread *self);

/* ---- threads.c ------------------------------------------------------------------------ */
/* The calling thread's record (NULL: not a simulated thread). */
struct sim_thread *sim_self(void);
/* The record this host thread runs as (an SFN partition carried in a caller's context). */
void sim_set_self(struct sim_thread *self);
/* SFN partition `self` takes its next message (ffm_sfn_fetch; a panic does not return).
 * False when it has none. */
bool sim_sfn_fetch(struct sim_thread *self, psa_msg_t *msg, const struct ffm_service_desc **svc);
/* Run one fetched SFN message: the service function, its trace slice, its completion. */
void sim_run_sfn_message(struct sim_thread *self, const psa_msg_t *msg,
                         const struct ffm_service_desc *svc);
/* A fault was caught under `trap` while `self` ran (signal signo): record and trap it. */
void sim_after_fault(struct sim_thread *self, int signo);
/* Host stack bytes of a partition thread whose manifest says `manifest_stack_bytes`: a floor
 * that libc and the sanitizers' static TLS fit in, plus a multiple of the manifest's figure;
 * whole pages of `page` bytes. */
size_t sim_host_stack_size(uint32_t manifest_stack_bytes, size_t page);
/* Create every thread of a boot and start the first partition. 0, or -1 with err. */
int sim_threads_start(struct sim *sim, char *err, size_t err_size);
/* Stack use: paint again what the simulator used below the caller's frame (threads.c). */
void sim_stack_clean(struct sim_thread *self);
/* Stack use: the partition enters the simulator from `frame` (an unwind from inside it
 * leaves the simulator's frames below it, which are not the partition's). */
void sim_stack_enter_sim(struct sim_thread *self, const void *frame);

/* --stack-check enforce: close the guard below stack_size of the stack the caller is on,
 * just before the partition's code runs on it; open it again when the simulator takes over
 * (both nothing when enforce is off). */
void sim_stack_guard_arm(struct sim_thread *self);
void sim_stack_guard_disarm(struct sim_thread *self);

/* Stack use: each partition's, to the summary, trace and log (the end of a boot; `left`:
 * the threads have left their bodies, false at a reset where they stand). */
void sim_record_stack_use(struct sim *sim, bool left);
/* Stack use: note how deep the partition went below `frame`, where it calls the simulator. */
void sim_stack_note(struct sim_thread *self, const void *frame);
/* After the boot ended: unwind and join every thread, free stacks. */
void sim_threads_stop(struct sim *sim);
/* Run FLIHs requested during the last core call (ffm_port_flih), in handler mode. */
void sim_run_pending_flihs(struct sim_thread *self);
/* Under `trap`, a panic inside a FLIH unwinds the handler only, back to where it was run. */
_Noreturn void sim_flih_unwind(void);
/* How a partition run in a caller's context leaves it (sim_carry_leave). */
enum sim_carry_end {
    SIM_CARRY_IDLE,     /* no message left: it waits for the next one (SFN_IDLE) */
    SIM_CARRY_YIELD,    /* a better-ranked thread is ready: it goes behind it */
    SIM_CARRY_HANDBACK, /* it keeps the token; its own thread goes on (or unwinds) */
};
/* Give the carried partition `p` back to its own thread's gate and decide the next holder.
 * Returns with sim->mu held. */
struct sim_thread *sim_carry_leave(struct sim_thread *p, enum sim_carry_end how);
/* Is a thread ranked better than `self` ready? (Token holder only; no lock.) */
bool sim_better_ready(const struct sim_thread *self);
/* Can this host thread, whose record `self` just blocked, run `next` (chosen by the
 * scheduler) in its own context? Called with sim->mu held. */
bool sim_sfn_can_carry(const struct sim_thread *self, const struct sim_thread *next);
/* Run the SFN partition `p` (holding the token, carried by this host) in the caller's context,
 * on its secure stack, until it goes idle, yields or is handed back to its own thread.
 * Called without sim->mu; returns with it held and the token's next holder decided. */
struct sim_thread *sim_sfn_carry(struct sim_thread *self, struct sim_thread *p);
/* Create an NS thread (ffm_ns_thread_create). */
int sim_ns_thread_create(struct sim_thread *self, int32_t client_id, int (*fn)(void *),
                         void *arg, struct sim_thread **out);
/* The handle of an NS thread, and back: NULL for anything that is not the handle of a current
 * NS thread record of `sim` (a handle of a thread whose record was reused is stale). */
ffm_ns_thread_t sim_ns_handle(const struct sim_thread *t);
struct sim_thread *sim_ns_thread_from_handle(struct sim *sim, ffm_ns_thread_t handle);
/* ffm_ns_thread_join's end: `t` has ended; join its host thread and free its record. */
void sim_ns_thread_reap(struct sim_thread *t);

/* ---- heaps.c -------------------------------------------------------------------------- */
/* Anonymous read-write memory for a partition stack or heap (below 4 GiB under --addr32,
 * like every mapping of the run). */
void *sim_map_secure(const struct sim *sim, size_t len);
/* This boot's partition heaps (MEM-18), empty; and their end. */
int sim_heaps_boot(struct sim *sim, char *err, size_t err_size);
void sim_heaps_end(struct sim *sim);
/* What a partition image's malloc, calloc, realloc and free are bound to (image_rebind). */
void *sim_partition_malloc(size_t n);
void *sim_partition_calloc(size_t count, size_t size);
void *sim_partition_realloc(void *ptr, size_t n);
void sim_partition_free(void *ptr);

/* ---- isolate.c ----------------------------------------------------------------------- */
/* This boot's stacks join the isolation table; the fault handler consults it (MEM-15). */
int sim_isolation_boot(struct sim *sim, char *err, size_t err_size);
/* Everything reachable again; the boot's stacks leave the table. */
void sim_isolation_end(struct sim *sim);

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

/* ---- flash_api.c ---------------------------------------------------------------------- */
/* Bytes of the sim_flash_wear block for these devices (counters of every sector included). */
size_t sim_flash_wear_size(const struct sim_flash_dev *devs, unsigned n);
/* The wear summary: one line per device, then its erases per sector. */
void sim_flash_summary(FILE *out, const struct sim_flash_dev *devs, unsigned n,
                       const struct sim_flash_wear *wear);

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

/* ---- clock.c ------------------------------------------------------------------------- */
/* Start the clock of a boot at 0, periodic sources due at their first period. */
void sim_clock_init(struct sim *sim);
/* Simulated nanoseconds since the boot started (--realtime: at least the host's). */
uint64_t sim_clock_now(struct sim *sim);
/* Every thread is blocked (called with sim->mu held, from switch_away_locked): jump to the next
 * timer event and deliver it on this host thread, releasing sim->mu meanwhile. False when there
 * is no event (a deadlock unless the watchdog is armed). */
bool sim_clock_idle_locked(struct sim *sim);
/* The watchdog was armed or fed (timeout_ms) or disarmed (0 with armed false). */
void sim_clock_wdog(struct sim *sim, bool armed, uint32_t timeout_ms);
/* A periodic source's tick: pulse the line (SIG-08: raise, then lower) and run FLIHs, on the
 * calling host thread as `self` (platform_api.c). */
void sim_irq_tick(struct sim_thread *self, size_t source);
/* The manifest IRQ on a platform source (names or numbers, as raise matches them), or -1. */
int sim_irq_of_source(const struct sim_setup *setup, const char *source);

/* ---- engine.c ------------------------------------------------------------------------- */
/* Run one boot to its end (in-process). Returns -1 with err if the boot could not start. */
int sim_run_boot(const struct sim_setup *setup, struct sim_outcome *out, char *err,
                 size_t err_size);
/* The system currently running in this process (the API symbols' way in), or NULL. */
struct sim *sim_current(void);

/* A function pointer from a data pointer (dlsym), without the pedantic cast warning. */
sim_fn sim_fn_from_ptr(void *ptr);

#endif /* FFM_SIM_POSIX_ENGINE_H */
