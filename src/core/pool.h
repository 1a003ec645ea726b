/*
 * pool.h - the connection pool: one pool of slots serves connection-based connections and
 * stateless calls in flight (HDL-10), and mints the connection and message handles (§4).
 *
 * The pool only answers "which slot does this handle name, and is it still that one?". What a
 * connection is doing (IDLE, ACTIVE, DROPPED, ...) is the SPM core's state, kept in arrays
 * indexed by the same slot number.
 *
 * Generations. HDL-11's reference layout uses a per-slot counter; we draw every generation and
 * message sequence number from one pool-wide counter instead, skipping 0 and any value live in
 * another slot. Two live handles therefore never share their low 16 bits, so a handle forged by
 * flipping a single bit of its slot field can never land on a live handle of another slot
 * (docs/decisions.md, D-03). A stale handle stays stale until the counter wraps (HDL-14).
 */
#ifndef FFM_POOL_H
#define FFM_POOL_H

#include <stdbool.h>
#include <stdint.h>

#include "psa/client.h"

#define FFM_POOL_MAX (255u)
#define FFM_POOL_DEFAULT (8u)

enum ffm_slot_kind {
    FFM_SLOT_FREE = 0,
    FFM_SLOT_CONNECTION, /* a connection-based connection, from psa_connect until freed */
    FFM_SLOT_STATELESS,  /* one stateless psa_call, from acceptance until its reply */
};

struct ffm_pool_slot {
    uint16_t gen;     /* generation of the handle naming this slot; 0 when free */
    uint16_t msg_seq; /* sequence of the live message in this slot; 0 when none */
    uint8_t kind;     /* enum ffm_slot_kind */
    int32_t owner;    /* client ID that allocated the slot */
};

struct ffm_pool {
    uint16_t capacity; /* 1..FFM_POOL_MAX */
    uint16_t in_use;
    uint16_t counter; /* last generation or sequence handed out */
    struct ffm_pool_slot slot[FFM_POOL_MAX];
};

/* Why a handle does not name a live slot (HDL-12, HDL-21). */
enum ffm_pool_verdict {
    FFM_POOL_OK = 0,
    FFM_POOL_NOT_CONN_CLASS, /* <= 0 or bit 30 set */
    FFM_POOL_BAD_TAG,        /* not the tag expected for this use */
    FFM_POOL_BAD_SLOT,       /* slot number >= capacity */
    FFM_POOL_FREE_SLOT,      /* the slot is free */
    FFM_POOL_STATELESS_SLOT, /* a connection handle naming a slot held by a stateless call */
    FFM_POOL_STALE,          /* generation or sequence differs: stale or forged */
};

/* Empty pool of `capacity` slots (clamped to 1..FFM_POOL_MAX); counters restart (HDL-22). */
void ffm_pool_init(struct ffm_pool *pool, uint16_t capacity);

/* Take a free slot for `owner`; false when the pool is exhausted (CON-05, CALL-06). */
bool ffm_pool_alloc(struct ffm_pool *pool, enum ffm_slot_kind kind, int32_t owner,
                    uint8_t *slot_out);

/* Release a slot: every handle that named it becomes stale. */
void ffm_pool_free(struct ffm_pool *pool, uint8_t slot);

uint16_t ffm_pool_free_count(const struct ffm_pool *pool);

/* The connection handle of an allocated slot (HDL-11). */
psa_handle_t ffm_pool_conn_handle(const struct ffm_pool *pool, uint8_t slot);

/* Resolve a connection handle to its slot (HDL-12). Ownership is the caller's check. */
enum ffm_pool_verdict ffm_pool_lookup_conn(const struct ffm_pool *pool, psa_handle_t handle,
                                           uint8_t *slot_out);

/* Start a new message in an allocated slot and return its fresh handle (HDL-20). */
psa_handle_t ffm_pool_msg_begin(struct ffm_pool *pool, uint8_t slot);

/* End the slot's message: its handle becomes stale at once. */
void ffm_pool_msg_end(struct ffm_pool *pool, uint8_t slot);

/* Resolve a message handle to its slot (HDL-21, first part: tag, slot, sequence). */
enum ffm_pool_verdict ffm_pool_lookup_msg(const struct ffm_pool *pool, psa_handle_t handle,
                                          uint8_t *slot_out);

#endif /* FFM_POOL_H */
