/*
 * spm_state.h - the complete run-time state of one SPM instance. Fixed-size arrays with
 * compile-time maxima, no pointers into port memory except the constant description and the
 * client's out_vec array of a pending call (written back on reply, CALL-29).
 *
 * The constant description (`desc`) says what the system is; everything here says what it is
 * doing. A port allocates `struct ffm_spm` (statically or on its heap) and never touches the
 * fields: it uses spm.h.
 */
#ifndef FFM_SPM_STATE_H
#define FFM_SPM_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "ffm_limits.h"
#include "pool.h"
#include "spm.h"

/* Compile-time maxima of a description the core accepts (ffm_spm_boot: FFM_BOOT_TOO_BIG):
 * FFM_MAX_PARTITIONS, FFM_MAX_SERVICES, FFM_MAX_IRQS, in ffm_limits.h with the tools' limits. */

#define FFM_SLOT_NONE (0xFFu) /* pool slots are 0..FFM_POOL_MAX-1 = 0..254 */
#define FFM_PARTITION_NONE (0xFFFFu)

/* Connection state of a pool slot (§4). FREE is the pool's FFM_SLOT_FREE. */
enum ffm_conn_state {
    FFM_CONN_CONNECTING = 0, /* CONNECT message outstanding: handle not yet given out */
    FFM_CONN_IDLE,
    FFM_CONN_ACTIVE,  /* a request is outstanding */
    FFM_CONN_DROPPED, /* the service replied PROGRAMMER_ERROR (CALL-23) */
    FFM_CONN_CLOSING, /* DISCONNECT outstanding */
    FFM_CONN_STATELESS, /* the slot holds one stateless call */
};

enum ffm_msg_state {
    FFM_MSG_NONE = 0,
    FFM_MSG_QUEUED,
    FFM_MSG_FETCHED,
};

/* MM-IOVEC state of one vector: NONE -> MAPPED -> UNMAPPED, never back (§5.4). */
enum ffm_vec_map {
    FFM_VEC_NONE = 0,
    FFM_VEC_MAPPED,
    FFM_VEC_UNMAPPED,
};

/* The client of a message, as it will be completed. */
struct ffm_client_ref {
    struct ffm_caller caller; /* as it called; token identifies its blocked thread */
    bool waiting;             /* a blocked client expects ffm_port_complete */
};

/* The message a slot carries (a slot carries at most one at a time). */
struct ffm_msg {
    uint8_t state;        /* enum ffm_msg_state */
    uint8_t next;         /* next slot in the service FIFO, or FFM_SLOT_NONE */
    int32_t type;         /* PSA_IPC_CONNECT, PSA_IPC_DISCONNECT or a call type >= 0 */
    psa_handle_t handle;  /* what the service sees in psa_msg_t.handle */
    uint32_t accept_seq;  /* SPM acceptance order (SIG-07, SFN oldest first) */
    uint8_t in_len, out_len;
    psa_invec in[PSA_MAX_IOVEC];   /* SPM copies of the descriptors (MEM-12) */
    psa_outvec out[PSA_MAX_IOVEC];
    psa_outvec *client_out;        /* the client's array: lengths written back (CALL-29) */
    size_t in_off[PSA_MAX_IOVEC];  /* psa_read / psa_skip offset */
    size_t written[PSA_MAX_IOVEC]; /* psa_write count, or psa_unmap_outvec length */
    uint8_t in_map[PSA_MAX_IOVEC];  /* enum ffm_vec_map */
    uint8_t out_map[PSA_MAX_IOVEC];
    bool in_accessed[PSA_MAX_IOVEC];  /* read or skip happened (MAPI-07) */
    bool out_accessed[PSA_MAX_IOVEC]; /* write happened (MAPO-07) */
};

/* Core state of one pool slot, indexed like pool.slot[]. */
struct ffm_slot_state {
    uint8_t conn;      /* enum ffm_conn_state */
    uint16_t service;  /* service index */
    void *rhandle;     /* RH-03 */
    bool client_gone;  /* the client partition faulted: nobody to complete (PANIC-06) */
    bool released;     /* DROPPED and closed by its client: the DISCONNECT reply frees it */
    struct ffm_client_ref client;
    struct ffm_msg msg;
};

struct ffm_service_state {
    uint8_t head, tail; /* FIFO of QUEUED messages (SIG-07) */
};

struct ffm_partition_state {
    psa_signal_t asserted; /* doorbell and IRQ bits; service bits derive from the FIFOs */
    bool faulted;          /* PANIC-04 trap */
    uint8_t sfn_current;   /* slot of the SFN message being run, or FFM_SLOT_NONE */
};

struct ffm_irq_state {
    bool enabled;
    bool line;   /* level of the line */
    bool masked; /* SLIH: signal asserted, source masked until psa_eoi (SIG-08) */
};

struct ffm_spm {
    const struct ffm_system_desc *desc;
    void *port_ctx;
    struct ffm_spm_config config;
    bool booted;
    uint32_t event_seq;
    uint32_t accept_seq;
    struct ffm_pool pool;
    struct ffm_slot_state slot[FFM_POOL_MAX];
    struct ffm_service_state service[FFM_MAX_SERVICES];
    struct ffm_partition_state partition[FFM_MAX_PARTITIONS];
    struct ffm_irq_state irq[FFM_MAX_IRQS];
};

#endif /* FFM_SPM_STATE_H */
