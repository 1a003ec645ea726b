/*
 * spm.h - the API of the portable SPM core, as called by a port (the pthread simulator, the
 * synchronous test port, a Cortex-M33 firmware). One entry per PSA API plus the few hooks a
 * port needs (boot, SFN dispatch, interrupts, partition faults).
 *
 * Contract (docs/core.md):
 *  - The core never blocks, never allocates, has no globals and no I/O. All state lives in one
 *    `struct ffm_spm` that the port allocates (complete type in spm_state.h).
 *  - Calls into one `struct ffm_spm` must be serialised by the port (one "token" at a time,
 *    like native_sim). The core calls back into the port (port.h) only to report; a port
 *    callback must never call back into the core.
 *  - Every entry returns what must happen next (struct ffm_ret): return a value now, block the
 *    caller, or panic it (the event was already delivered, GEN-06).
 *  - Caller input is validated (a PROGRAMMER ERROR event with its rule ID); what the port itself
 *    passes (caller identity, indices) is trusted and only asserted.
 */
#ifndef FFM_SPM_H
#define FFM_SPM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ffmsim/desc.h"
#include "psa/client.h"
#include "psa/lifecycle.h"
#include "psa/service.h"

#include "ffm_rules.h"
#include "handle.h"

struct ffm_spm; /* complete type in spm_state.h: the port allocates it */

/* ffm-rule: GEN-02 */
/* Who calls (GEN-02). The port maps its calling thread to one of these. */
struct ffm_caller {
    int32_t client_id;  /* NS: < 0 (default -1); S: the partition's pid (> 0) */
    uint16_t partition; /* S only: index in ffm_system_desc.partitions */
    bool secure;        /* true for a Secure Partition, false for NS */
    bool handler_mode;  /* inside a FLIH function (GEN-01) */
    uintptr_t token;    /* the port's identity of the calling thread, echoed by completions */
};

/* What the port must do after an entry returns. */
enum ffm_next {
    FFM_NEXT_RETURN = 0, /* return `value` (or `ptr`) to the caller now */
    FFM_NEXT_BLOCK,      /* client API: wait for ffm_port_complete(token);
                          * psa_wait: wait for ffm_port_wake(partition), then call psa_wait again */
    FFM_NEXT_PANIC,      /* a PE or panic was reported; the call never returns to the caller:
                          * the port applies its panic policy (PANIC-02..04) */
};

struct ffm_ret {
    enum ffm_next next;
    int64_t value;   /* the API's result (status, handle, signal mask, byte count, version) */
    const void *ptr; /* psa_map_invec / psa_map_outvec result */
};

/* Every API the core reports about; the pseudo-APIs name partition code returning to the SPM. */
/* ffm-rule: GEN-04 */
enum ffm_api {
    FFM_API_FRAMEWORK_VERSION = 0,
    FFM_API_VERSION,
    FFM_API_CONNECT,
    FFM_API_CALL,
    FFM_API_CLOSE,
    FFM_API_WAIT,
    FFM_API_GET,
    FFM_API_SET_RHANDLE,
    FFM_API_READ,
    FFM_API_SKIP,
    FFM_API_WRITE,
    FFM_API_REPLY,
    FFM_API_NOTIFY,
    FFM_API_CLEAR,
    FFM_API_EOI,
    FFM_API_IRQ_ENABLE,
    FFM_API_IRQ_DISABLE,
    FFM_API_RESET_SIGNAL,
    FFM_API_PANIC,
    FFM_API_ROT_LIFECYCLE_STATE,
    FFM_API_MAP_INVEC,
    FFM_API_UNMAP_INVEC,
    FFM_API_MAP_OUTVEC,
    FFM_API_UNMAP_OUTVEC,
    FFM_API_SFN_RETURN,   /* <service>_sfn() returned (REPLY-10) */
    FFM_API_ENTRY_RETURN, /* entry point / entry_init returned (PANIC-07) */
    FFM_API_FLIH_RETURN,  /* <irq>_flih() returned (SIG-09) */
    FFM_API_COUNT
};

/* "psa_call" for FFM_API_CALL, "?" when out of range. */
const char *ffm_api_name(enum ffm_api api);

/* What happens to the caller after a PE (ffm-rules.md §5.0). */
enum ffm_disposition {
    FFM_DISP_RETURN_STATUS = 0, /* NS psa_connect / psa_call: `status` is returned */
    FFM_DISP_RETURN_VOID,       /* NS psa_close: returns, event recorded */
    FFM_DISP_PANIC,             /* the caller panics (S caller, partition API, GEN-03) */
};

const char *ffm_disposition_name(enum ffm_disposition disposition);

#define FFM_REASON_MAX (192u)
#define FFM_EVENT_MAX_ARGS (6u)

/* One PROGRAMMER ERROR (or panic) event (GEN-05). Delivered before the disposition (GEN-06). */
struct ffm_event {
    uint32_t seq;  /* 1, 2, ... within this boot */
    uint32_t boot; /* ffm_spm_config.boot: supplied by the port (RESET-13) */
    enum ffm_rule rule;
    enum ffm_api api;
    struct {
        bool secure;
        int32_t id;         /* client ID as registered */
        const char *name;   /* partition name, or "NS" */
        uint16_t partition; /* S only */
    } caller;
    char reason[FFM_REASON_MAX]; /* human-readable, with the offending values */
    enum ffm_disposition disposition;
    int32_t status; /* FFM_DISP_RETURN_STATUS: the value the caller gets */
    uint8_t n_args;
    int64_t args[FFM_EVENT_MAX_ARGS]; /* the API's arguments, as passed */
};

/* Boot configuration. Start from ffm_spm_config_default(). */
struct ffm_spm_config {
    enum ffm_profile profile;   /* spec (default) or tfm (§5.5) */
    uint16_t max_connections;   /* pool size 1..255; 0 = sized from the manifests (HDL-10) */
    uint32_t lifecycle_state;   /* LC-01; default PSA_LIFECYCLE_SECURED; LC-03 checked */
    uint8_t isolation_level;    /* 1..3 (MEM-05); the core stores it for the port's checks */
    uint32_t boot;              /* boot number shown in events (RESET-13; kept by the port) */
};

/* Why ffm_spm_boot refused to start. */
enum ffm_boot_status {
    FFM_BOOT_OK = 0,
    FFM_BOOT_BAD_LIFECYCLE = -1,  /* LC-03 */
    FFM_BOOT_BAD_ISOLATION = -2,  /* not 1..3 */
    FFM_BOOT_TOO_BIG = -3,        /* a table exceeds a compile-time maximum (spm_state.h) */
    FFM_BOOT_BAD_DESC = -4,       /* inconsistent description (index out of range) */
    FFM_BOOT_BAD_PROFILE = -5,
};

const char *ffm_boot_strerror(int status);

struct ffm_spm_config ffm_spm_config_default(void);

/*
 * Boot, or reset (RESET-01): clears every connection, message, signal and IRQ state, restarts
 * the handle counters (HDL-22) and sets IRQ enables per IRQEN-03. `desc` must stay valid and
 * unchanged until the next boot. Returns FFM_BOOT_OK or a negative enum ffm_boot_status; on
 * failure the instance is unusable until a successful boot.
 */
int ffm_spm_boot(struct ffm_spm *spm, const struct ffm_system_desc *desc,
                 const struct ffm_spm_config *config, void *port_ctx);

/* The pool size chosen at boot, and how many slots are free now (tests, invariants). */
uint16_t ffm_spm_pool_capacity(const struct ffm_spm *spm);
uint16_t ffm_spm_pool_free(const struct ffm_spm *spm);
/* Number of QUEUED or FETCHED messages in the system. */
uint16_t ffm_spm_messages_in_flight(const struct ffm_spm *spm);
/* Signals asserted for a partition, service signals included (SIG-06). */
psa_signal_t ffm_spm_asserted(const struct ffm_spm *spm, uint16_t partition);
bool ffm_spm_irq_enabled(const struct ffm_spm *spm, uint16_t irq_index);
bool ffm_spm_partition_is_faulted(const struct ffm_spm *spm, uint16_t partition);
const struct ffm_spm_config *ffm_spm_config(const struct ffm_spm *spm);
const struct ffm_system_desc *ffm_spm_desc(const struct ffm_spm *spm);
/* The caller struct for partition code of `partition` (token 0, thread mode). */
struct ffm_caller ffm_spm_partition_caller(const struct ffm_spm *spm, uint16_t partition);

/* ---- client APIs (psa/client.h) ---------------------------------------------------------- */
struct ffm_ret ffm_psa_framework_version(struct ffm_spm *spm, const struct ffm_caller *caller);
struct ffm_ret ffm_psa_version(struct ffm_spm *spm, const struct ffm_caller *caller, uint32_t sid);
struct ffm_ret ffm_psa_connect(struct ffm_spm *spm, const struct ffm_caller *caller, uint32_t sid,
                               uint32_t version);
struct ffm_ret ffm_psa_call(struct ffm_spm *spm, const struct ffm_caller *caller,
                            psa_handle_t handle, int32_t type, const psa_invec *in_vec,
                            size_t in_len, psa_outvec *out_vec, size_t out_len);
struct ffm_ret ffm_psa_close(struct ffm_spm *spm, const struct ffm_caller *caller,
                             psa_handle_t handle);

/* ---- partition APIs (psa/service.h, psa/lifecycle.h) -------------------------------------- */
struct ffm_ret ffm_psa_wait(struct ffm_spm *spm, const struct ffm_caller *caller,
                            psa_signal_t signal_mask, uint32_t timeout);
struct ffm_ret ffm_psa_get(struct ffm_spm *spm, const struct ffm_caller *caller,
                           psa_signal_t signal, psa_msg_t *msg);
struct ffm_ret ffm_psa_set_rhandle(struct ffm_spm *spm, const struct ffm_caller *caller,
                                   psa_handle_t msg_handle, void *rhandle);
struct ffm_ret ffm_psa_read(struct ffm_spm *spm, const struct ffm_caller *caller,
                            psa_handle_t msg_handle, uint32_t invec_idx, void *buffer,
                            size_t num_bytes);
struct ffm_ret ffm_psa_skip(struct ffm_spm *spm, const struct ffm_caller *caller,
                            psa_handle_t msg_handle, uint32_t invec_idx, size_t num_bytes);
struct ffm_ret ffm_psa_write(struct ffm_spm *spm, const struct ffm_caller *caller,
                             psa_handle_t msg_handle, uint32_t outvec_idx, const void *buffer,
                             size_t num_bytes);
struct ffm_ret ffm_psa_reply(struct ffm_spm *spm, const struct ffm_caller *caller,
                             psa_handle_t msg_handle, psa_status_t status);
struct ffm_ret ffm_psa_notify(struct ffm_spm *spm, const struct ffm_caller *caller,
                              int32_t partition_id);
struct ffm_ret ffm_psa_clear(struct ffm_spm *spm, const struct ffm_caller *caller);
struct ffm_ret ffm_psa_eoi(struct ffm_spm *spm, const struct ffm_caller *caller,
                           psa_signal_t irq_signal);
struct ffm_ret ffm_psa_irq_enable(struct ffm_spm *spm, const struct ffm_caller *caller,
                                  psa_signal_t irq_signal);
struct ffm_ret ffm_psa_irq_disable(struct ffm_spm *spm, const struct ffm_caller *caller,
                                   psa_signal_t irq_signal);
struct ffm_ret ffm_psa_reset_signal(struct ffm_spm *spm, const struct ffm_caller *caller,
                                    psa_signal_t irq_signal);
struct ffm_ret ffm_psa_panic(struct ffm_spm *spm, const struct ffm_caller *caller);
struct ffm_ret ffm_psa_rot_lifecycle_state(struct ffm_spm *spm, const struct ffm_caller *caller);
struct ffm_ret ffm_psa_map_invec(struct ffm_spm *spm, const struct ffm_caller *caller,
                                 psa_handle_t msg_handle, uint32_t invec_idx);
struct ffm_ret ffm_psa_unmap_invec(struct ffm_spm *spm, const struct ffm_caller *caller,
                                   psa_handle_t msg_handle, uint32_t invec_idx);
struct ffm_ret ffm_psa_map_outvec(struct ffm_spm *spm, const struct ffm_caller *caller,
                                  psa_handle_t msg_handle, uint32_t outvec_idx);
struct ffm_ret ffm_psa_unmap_outvec(struct ffm_spm *spm, const struct ffm_caller *caller,
                                    psa_handle_t msg_handle, uint32_t outvec_idx, size_t len);

/* ---- SFN partitions (REPLY-10) ----------------------------------------------------------- */
/*
 * Take the oldest QUEUED message of the SFN partition `caller->partition` (acceptance order
 * across its services) and make it FETCHED. RETURN value 1 with *msg filled and *svc set, or
 * value 0 when nothing is queued. The port then calls `<svc>_sfn(msg)` in that partition's
 * context (one at a time) and passes its return value to ffm_sfn_complete.
 */
struct ffm_ret ffm_sfn_fetch(struct ffm_spm *spm, const struct ffm_caller *caller, psa_msg_t *msg,
                             const struct ffm_service_desc **svc);
/* The SFN returned `status` for `msg_handle` (validated like REPLY-03/05/07/08). */
struct ffm_ret ffm_sfn_complete(struct ffm_spm *spm, const struct ffm_caller *caller,
                                psa_handle_t msg_handle, psa_status_t status);

/*
 * PANIC-07: the partition's IPC entry point returned (any status), or its SFN entry_init
 * returned `status`. RETURN when an SFN entry_init returned >= 0; PANIC otherwise.
 */
struct ffm_ret ffm_spm_entry_returned(struct ffm_spm *spm, const struct ffm_caller *caller,
                                      int32_t status);

/* ---- interrupts (SIG-08, SIG-09) ----------------------------------------------------------- */
/*
 * The platform drives the level of IRQ line `irq_index` (index in desc->irqs). SLIH: an enabled,
 * active, unmasked source asserts its signal and masks itself until psa_eoi (SIG-08). FLIH: a
 * rising edge on an enabled source makes the core call ffm_port_flih(irq_index); the port runs
 * `<irq>_flih()` in handler mode and reports with ffm_spm_flih_done.
 */
void ffm_spm_irq_line(struct ffm_spm *spm, uint16_t irq_index, bool level);
/* SIG-09: the FLIH returned `result`. RETURN, or PANIC of the owning partition. */
struct ffm_ret ffm_spm_flih_done(struct ffm_spm *spm, uint16_t irq_index,
                                 psa_flih_result_t result);

/* ---- trap policy support (PANIC-04..06) ----------------------------------------------------- */
/*
 * The port unwound partition `partition` (panic policy `trap`). Its queued and fetched messages
 * complete with PSA_ERROR_CONNECTION_REFUSED, later requests to it too (PANIC-05), and the
 * connections it held as a client are closed with one DISCONNECT each (PANIC-06).
 */
void ffm_spm_partition_faulted(struct ffm_spm *spm, uint16_t partition);

/*
 * CLOSE-10: NS client `client_id` (< 0) has no thread left (the port's last thread calling as
 * that client ended). Each connection it still holds is closed as psa_close would close it,
 * with nobody waiting: an IDLE one gets its DISCONNECT (the slot is freed when the service
 * replies to it), a DROPPED one is released (CLOSE-08). No PE. Returns how many connections
 * were closed, for the port to record.
 */
uint16_t ffm_spm_ns_client_ended(struct ffm_spm *spm, int32_t client_id);

#endif /* FFM_SPM_H */
