/*
 * port.h - the only things the SPM core needs from outside. Each port implements these
 * functions (chosen at link time, no function pointers: the core's seam, like Hafnium's arch
 * headers). The core calls them while the port's serialisation is held; none of them may call
 * back into the core, and none may block for long.
 *
 * `ctx` is the port_ctx given to ffm_spm_boot.
 */
#ifndef FFM_PORT_H
#define FFM_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spm.h"

/*
 * A PROGRAMMER ERROR or panic event (GEN-05). Called before the disposition is applied
 * (GEN-06). The event is only valid during the call: copy what you keep.
 */
void ffm_port_event(void *ctx, const struct ffm_event *event);

/*
 * A client blocked with FFM_NEXT_BLOCK is released: `ret` is RETURN with the API's result, or
 * PANIC for an S client whose service replied PSA_ERROR_PROGRAMMER_ERROR (CALL-23; the event was
 * delivered just before). `token` is ffm_caller.token of the blocked call.
 */
void ffm_port_complete(void *ctx, uintptr_t token, struct ffm_ret ret);

/*
 * Partition `partition` has work: one of its signals was asserted, or (SFN) a message was
 * queued. An IPC partition blocked in psa_wait calls psa_wait again; an SFN partition runs
 * ffm_sfn_fetch until it returns 0.
 */
void ffm_port_wake(void *ctx, uint16_t partition);

/*
 * FLIH IRQ `irq_index` fired: once the current core call has returned, run `<irq>_flih()` in
 * handler mode of its partition (GEN-01) and report with ffm_spm_flih_done (SIG-09).
 */
void ffm_port_flih(void *ctx, uint16_t irq_index);

/* Access a caller needs to a range (MEM-10). */
enum ffm_mem_access {
    FFM_MEM_READ = 1,
    FFM_MEM_WRITE = 2,
    FFM_MEM_READ_WRITE = 3,
};

/* The port's verdict on a range. */
enum ffm_mem_verdict {
    FFM_MEM_OK = 0,
    FFM_MEM_UNMAPPED,      /* some byte is invalid memory (MEM-01, MEM-04, MEM-09) */
    FFM_MEM_SECURE_FOR_NS, /* an NS caller names secure memory (MEM-06) */
    FFM_MEM_NOT_WRITABLE,  /* code, rodata, read-only region (MEM-02, MEM-10) */
    FFM_MEM_NOT_READABLE,
    FFM_MEM_OUT_OF_REACH,  /* beyond the S caller's isolation reach (MEM-05) */
};

const char *ffm_mem_verdict_name(enum ffm_mem_verdict verdict);

/*
 * May `caller` access [base, base + len) with `access`? The core has already rejected NULL with
 * len > 0 (MEM-07) and wrap-around (MEM-08), and never asks for len == 0. Reach by isolation
 * level (MEM-05) is the port's: see ffm_spm_config(spm)->isolation_level.
 */
enum ffm_mem_verdict ffm_port_mem_check(void *ctx, const struct ffm_caller *caller,
                                        const void *base, size_t len,
                                        enum ffm_mem_access access);

/* What the core tells the trace (for the trace file and for tests). */
enum ffm_trace_kind {
    FFM_TRACE_MSG_QUEUED = 0,
    FFM_TRACE_MSG_FETCHED,
    FFM_TRACE_MSG_REPLIED,
    FFM_TRACE_CONN_OPENED,
    FFM_TRACE_CONN_CLOSED,
    FFM_TRACE_SFN_RUN,
    FFM_TRACE_IRQ_ASSERTED,
    FFM_TRACE_DOORBELL,
    FFM_TRACE_PARTITION_FAULTED,
};

struct ffm_trace_rec {
    enum ffm_trace_kind kind;
    uint16_t partition;  /* the partition concerned (service owner, doorbell target, ...) */
    uint16_t service;    /* service index, when a message or connection is concerned */
    int32_t client_id;   /* the client, when a message or connection is concerned */
    psa_handle_t handle; /* message or connection handle, when one is concerned */
    psa_handle_t connection; /* the connection the message belongs to (0: stateless call) */
    const void *rhandle; /* the connection's rhandle (what psa_msg_t.rhandle carries) */
    int32_t type;        /* message type */
    int32_t status;      /* reply status */
    psa_signal_t signal; /* asserted signal */
    /* message records: the lengths of the client's vectors, from the SPM's copies of the
     * descriptors (MEM-12), so that a size mismatch shows in the trace */
    uint8_t in_len, out_len;
    size_t in_size[PSA_MAX_IOVEC];
    size_t out_size[PSA_MAX_IOVEC];
};

/* "in [4, 12] out [24]" (the vector lengths of `rec`) into buf; returns the length it needs,
 * like ffm_fmt (always NUL-terminated, truncated to cap). */
size_t ffm_trace_vectors(const struct ffm_trace_rec *rec, char *buf, size_t cap);

void ffm_port_trace(void *ctx, const struct ffm_trace_rec *rec);

#endif /* FFM_PORT_H */
