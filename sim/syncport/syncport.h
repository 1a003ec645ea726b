/*
 * syncport.h - the synchronous, single-threaded port of the SPM core, for unit tests and
 * fuzzers. Deterministic: partition code runs inline, one piece at a time, in a fixed order.
 *
 *  - A harness (struct ffm_sync) holds one SPM instance, the events and trace it reported, a
 *    fake memory map for the MEM checks, and the partition code registered by the test.
 *  - SFN services run inline when work is queued; IPC partitions run a registered handler
 *    when woken (their psa_wait(PSA_BLOCK) with nothing asserted unwinds back to the
 *    dispatcher, and the handler is entered again from the top at the next wake). A test can
 *    also leave a partition unregistered and drive its API step by step itself.
 *  - Panic policy `trap` (PANIC-04, the default): the event is recorded, the partition is marked
 *    FAULTED in the core (PANIC-05/06) and its code is unwound with longjmp back to the harness.
 *    Policy `reset` (PANIC-02) stops the whole simulated system instead: every frame is unwound
 *    to the outermost one (FFM_SYNC_RESET) and the harness must be booted again.
 *  - The real psa_* symbols are defined (psa_api.c) and routed to the harness's current caller,
 *    so plain partition code runs under it.
 *
 * Boot, reset and teardown allocate nothing but the harness itself (ffm_sync_create).
 */
#ifndef FFM_SYNCPORT_H
#define FFM_SYNCPORT_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "port.h"
#include "spm.h"
#include "spm_state.h"

#define FFM_SYNC_MAX_EVENTS (64u)
#define FFM_SYNC_MAX_TRACE (512u)
#define FFM_SYNC_MAX_REGIONS (16u)
#define FFM_SYNC_MAX_WAITS (32u)
#define FFM_SYNC_MAX_STEPS (100000u) /* dispatcher steps before a livelock is declared */

typedef void (*ffm_sync_ipc_fn)(void);
typedef psa_status_t (*ffm_sync_sfn_fn)(const psa_msg_t *msg);
typedef psa_status_t (*ffm_sync_init_fn)(void);
typedef psa_flih_result_t (*ffm_sync_flih_fn)(void);

/* A memory region of the fake map; memory outside every region is NS read-write (MEM-04). */
struct ffm_sync_region {
    uintptr_t base;
    size_t size;
    bool secure;   /* false: NS memory */
    int32_t owner; /* secure: owning partition index, or -1 for SPM memory */
    bool readable;
    bool writable;
    bool unmapped; /* invalid memory (MEM-01) */
};

/* One blocked client call, identified by its token (index + 1). */
struct ffm_sync_wait {
    bool in_use;
    bool done;
    struct ffm_caller caller; /* who waits: a PANIC completion traps it (CALL-23) */
    struct ffm_ret ret;
};

struct ffm_sync_part {
    ffm_sync_ipc_fn handler; /* IPC: runs when woken; returning is a yield */
    ffm_sync_ipc_fn entry;   /* IPC: a real entry point; returning is PANIC-07 */
    ffm_sync_init_fn init;   /* SFN: entry_init */
    bool pending;            /* ffm_port_wake was called */
    bool running;            /* its code is on the stack: never re-entered */
};

/* Why partition code was unwound. */
enum ffm_sync_unwind {
    FFM_SYNC_RAN = 0,
    FFM_SYNC_PANICKED = 1,  /* PE or panic: trap policy applied */
    FFM_SYNC_YIELDED = 2,   /* psa_wait(PSA_BLOCK) with nothing asserted */
    FFM_SYNC_DEADLOCK = 3,  /* a blocking call can never complete */
    FFM_SYNC_RESET = 4,     /* policy `reset`: a panic or ffm_sync_reset stopped the system */
};

/* What the harness does with a panic (PANIC-02, PANIC-04). */
enum ffm_sync_policy {
    FFM_SYNC_POLICY_TRAP = 0, /* the partition is FAULTED and unwound; the rest runs on */
    FFM_SYNC_POLICY_RESET,    /* the whole system stops: unwind to the outermost frame */
};

struct ffm_sync_frame {
    jmp_buf env;
    struct ffm_sync_frame *outer;
    struct ffm_caller saved;
    bool saved_valid;
};

struct ffm_sync {
    struct ffm_spm spm;
    const struct ffm_system_desc *desc;
    struct ffm_spm_config config;
    int boot_status;
    /* What the core reported. */
    struct ffm_event events[FFM_SYNC_MAX_EVENTS];
    unsigned n_events; /* total; only the first FFM_SYNC_MAX_EVENTS are kept */
    struct ffm_trace_rec trace[FFM_SYNC_MAX_TRACE];
    unsigned n_trace;  /* total; only the first FFM_SYNC_MAX_TRACE are kept */
    unsigned panics;   /* partitions or NS callers unwound by a panic */
    unsigned deadlocks;
    bool reset_requested; /* policy `reset`: the system stopped; boot again before use */
    enum ffm_sync_policy policy; /* kept across boots; ffm_sync_forget sets it back to trap */
    /* The fake platform. */
    struct ffm_sync_region regions[FFM_SYNC_MAX_REGIONS];
    unsigned n_regions;
    /* Called at the start of every memory check: lets a test play a concurrent client that
     * rewrites its descriptors while the SPM checks them (MEM-12). NULL by default. */
    void (*mem_check_hook)(struct ffm_sync *h, const void *base, size_t len);
    /* Registered code. */
    struct ffm_sync_part part[FFM_MAX_PARTITIONS];
    ffm_sync_sfn_fn sfn[FFM_MAX_SERVICES];
    ffm_sync_flih_fn flih[FFM_MAX_IRQS];
    bool flih_pending[FFM_MAX_IRQS];
    /* Execution. */
    struct ffm_sync_wait waits[FFM_SYNC_MAX_WAITS];
    struct ffm_caller current;
    bool current_valid;
    struct ffm_sync_frame *frame;
};

/* The outcome of an API call made through the harness. */
struct ffm_sync_result {
    bool panicked;  /* the caller panicked (event recorded, trap applied) */
    bool completed; /* false: the call is still blocked (deadlock, or not yet replied) */
    int64_t value;
    const void *ptr;
};

/* Harness life cycle. create returns NULL when out of memory. */
struct ffm_sync *ffm_sync_create(void);
void ffm_sync_destroy(struct ffm_sync *h);
/* Drop every registration and region (boot keeps them). */
void ffm_sync_forget(struct ffm_sync *h);

/*
 * Boot or reset: runtime state of the harness and of the core is cleared, registrations and
 * regions are kept. Starts partitions in load order (SFN entry_init, IPC handler or entry
 * point until its first blocking psa_wait), then runs pending work. Returns ffm_spm_boot's
 * status. The harness becomes the target of the psa_* symbols.
 */
int ffm_sync_boot(struct ffm_sync *h, const struct ffm_system_desc *desc,
                  const struct ffm_spm_config *config);

/* Registrations, by index in the description. */
void ffm_sync_set_sfn(struct ffm_sync *h, uint16_t service, ffm_sync_sfn_fn fn);
void ffm_sync_set_ipc_handler(struct ffm_sync *h, uint16_t partition, ffm_sync_ipc_fn fn);
void ffm_sync_set_entry(struct ffm_sync *h, uint16_t partition, ffm_sync_ipc_fn fn);
void ffm_sync_set_init(struct ffm_sync *h, uint16_t partition, ffm_sync_init_fn fn);
void ffm_sync_set_flih(struct ffm_sync *h, uint16_t irq, ffm_sync_flih_fn fn);
/* Add a region to the fake memory map; false when the map is full. */
bool ffm_sync_add_region(struct ffm_sync *h, const struct ffm_sync_region *region);

/* Callers. */
struct ffm_caller ffm_sync_ns(int32_t client_id);
struct ffm_caller ffm_sync_sp(const struct ffm_sync *h, uint16_t partition);

/* Run pending partition code (SFN messages, woken IPC handlers, FLIHs) until nothing is left. */
void ffm_sync_run(struct ffm_sync *h);

/*
 * Client calls that block until the service replied (running partitions inline meanwhile).
 * The caller's token is chosen by the harness.
 */
struct ffm_sync_result ffm_sync_connect(struct ffm_sync *h, const struct ffm_caller *caller,
                                        uint32_t sid, uint32_t version);
struct ffm_sync_result ffm_sync_call(struct ffm_sync *h, const struct ffm_caller *caller,
                                     psa_handle_t handle, int32_t type, const psa_invec *in_vec,
                                     size_t in_len, psa_outvec *out_vec, size_t out_len);
struct ffm_sync_result ffm_sync_close(struct ffm_sync *h, const struct ffm_caller *caller,
                                      psa_handle_t handle);

/*
 * The same calls without running anything: returns a wait id >= 0 when the caller blocked (poll
 * it with ffm_sync_poll), or -1 with *now set when the call returned or panicked at once.
 */
int ffm_sync_begin_connect(struct ffm_sync *h, const struct ffm_caller *caller, uint32_t sid,
                           uint32_t version, struct ffm_sync_result *now);
int ffm_sync_begin_call(struct ffm_sync *h, const struct ffm_caller *caller, psa_handle_t handle,
                        int32_t type, const psa_invec *in_vec, size_t in_len,
                        psa_outvec *out_vec, size_t out_len, struct ffm_sync_result *now);
int ffm_sync_begin_close(struct ffm_sync *h, const struct ffm_caller *caller,
                         psa_handle_t handle, struct ffm_sync_result *now);
/* The blocked call's outcome so far; the wait is released once completed is true. */
struct ffm_sync_result ffm_sync_poll(struct ffm_sync *h, int wait_id);

/*
 * Apply the harness's policy to the result of a direct core call (a partition API called by the
 * test itself): PANIC -> trap (partition FAULTED); RETURN -> value. BLOCK (psa_wait) is returned
 * as completed == false.
 */
struct ffm_sync_result ffm_sync_settle(struct ffm_sync *h, const struct ffm_caller *caller,
                                       struct ffm_ret ret);

/*
 * A system reset requested by simulated code (RESET-06, e.g. the platform's reset hook): the
 * system stops at once (RESET-07) and every frame is unwound to the outermost one, which ends
 * with FFM_SYNC_RESET. Must be called from code the harness runs (inside a frame).
 */
_Noreturn void ffm_sync_reset(struct ffm_sync *h);

/* Run fn(arg) as `caller` (so its psa_* calls go to the harness); returns why it ended. */
enum ffm_sync_unwind ffm_sync_run_as(struct ffm_sync *h, const struct ffm_caller *caller,
                                     void (*fn)(void *arg), void *arg);

/* The last recorded event, or NULL when none was recorded since boot. */
const struct ffm_event *ffm_sync_last_event(const struct ffm_sync *h);
/* Number of trace records of `kind` since boot (within the kept ones). */
unsigned ffm_sync_trace_count(const struct ffm_sync *h, enum ffm_trace_kind kind);

/*
 * Cheap reset for fuzzers: ffm_sync_save copies a booted harness (outside any frame) to `snap`
 * (sizeof(struct ffm_sync) bytes); ffm_sync_restore copies it back into the same harness, which
 * is then in exactly the saved state (pointers into the harness stay valid, hence the same
 * address). Only the events and trace records within the saved counts are copied.
 */
void ffm_sync_save(const struct ffm_sync *h, struct ffm_sync *snap);
void ffm_sync_restore(struct ffm_sync *h, const struct ffm_sync *snap);

/* The harness the psa_* symbols talk to (the one booted last). */
struct ffm_sync *ffm_sync_active(void);

/* Used by psa_api.c: run a client API to completion for the current caller (may unwind). */
int64_t ffm_sync_client_finish(struct ffm_sync *h, struct ffm_caller *caller, int wait_id,
                               struct ffm_ret ret);
/* Used by psa_api.c: apply a non-blocking API result for the current caller (may unwind:
 * PANIC traps, BLOCK from psa_wait yields back to the dispatcher). */
struct ffm_ret ffm_sync_finish_now(struct ffm_sync *h, struct ffm_ret ret);
/* Take a wait record; its token goes into caller->token. -1 when all are busy. */
int ffm_sync_wait_alloc(struct ffm_sync *h, struct ffm_caller *caller);

#endif /* FFM_SYNCPORT_H */
