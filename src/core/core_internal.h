/*
 * core_internal.h - helpers shared by the core's source files (not part of the port API):
 * reason formatting, PE events and dispositions, table lookups, message queues and the message
 * life cycle. Every function here trusts its arguments: callers have validated them.
 */
#ifndef FFM_CORE_INTERNAL_H
#define FFM_CORE_INTERNAL_H

#include <assert.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "port.h"
#include "spm_state.h"

/* ---- fmt.c: bounded formatter for event reasons (no stdio in the core) ---------------------- */
/* Conversions: %s %c %d %u %x (int / unsigned), %zu %zx (size_t), %p, %%. Always terminated.
 * Unlike printf, %x and %p print a 0x prefix, so reasons never show bare hex digits. */
size_t ffm_fmt(char *buf, size_t cap, const char *fmt, ...);
size_t ffm_vfmt(char *buf, size_t cap, const char *fmt, va_list ap);
void ffm_copy_bytes(void *dst, const void *src, size_t n);

/* ---- event.c: results, PE events and dispositions (§5.0) ----------------------------------- */
struct ffm_ret ffm_ret_value(int64_t value);
struct ffm_ret ffm_ret_block(void);
struct ffm_ret ffm_ret_panic(void);

/* The arguments of an API call, recorded in its event. */
struct ffm_args {
    uint8_t n;
    int64_t v[FFM_EVENT_MAX_ARGS];
};

/*
 * Report a PE by `caller` in `api` and return its disposition (§5.0, §5.5): NS connect ->
 * CONNECTION_REFUSED (tfm CON-02: PROGRAMMER_ERROR), NS call -> PROGRAMMER_ERROR (tfm CALL-04:
 * CONNECTION_REFUSED), NS close -> returns (tfm: silently, no event), anything else -> PANIC.
 */
struct ffm_ret ffm_pe(struct ffm_spm *spm, const struct ffm_caller *caller, enum ffm_api api,
                      enum ffm_rule rule, const struct ffm_args *args, const char *fmt, ...);

/* Report an event with the PANIC disposition whatever the caller (PANIC-01, PANIC-07, CALL-23). */
struct ffm_ret ffm_panic_event(struct ffm_spm *spm, const struct ffm_caller *caller,
                               enum ffm_api api, enum ffm_rule rule, const struct ffm_args *args,
                               const char *fmt, ...);

/* Report an event with an explicit disposition (CALL-23 for an NS client). */
void ffm_event_emit(struct ffm_spm *spm, const struct ffm_caller *caller, enum ffm_api api,
                    enum ffm_rule rule, enum ffm_disposition disposition, int32_t status,
                    const struct ffm_args *args, const char *fmt, ...);
void ffm_event_vemit(struct ffm_spm *spm, const struct ffm_caller *caller, enum ffm_api api,
                     enum ffm_rule rule, enum ffm_disposition disposition, int32_t status,
                     const struct ffm_args *args, const char *fmt, va_list ap);

/* GEN-01 for client APIs: true (and *ret set) when the call is refused. */
bool ffm_gate_client(struct ffm_spm *spm, const struct ffm_caller *caller, enum ffm_api api,
                     const struct ffm_args *args, struct ffm_ret *ret);
/* GEN-03 then GEN-01 for service.h / lifecycle.h APIs. */
bool ffm_gate_partition(struct ffm_spm *spm, const struct ffm_caller *caller, enum ffm_api api,
                        const struct ffm_args *args, struct ffm_ret *ret);

/* The connection handle and rhandle of a slot's message, for a trace record. */
void ffm_trace_connection(const struct ffm_spm *spm, uint8_t slot, struct ffm_trace_rec *rec);
/* The message's vector lengths into `rec` (the SPM's copies of the descriptors). */
void ffm_trace_lengths(const struct ffm_spm *spm, uint8_t slot, struct ffm_trace_rec *rec);
void ffm_trace(struct ffm_spm *spm, enum ffm_trace_kind kind, uint16_t partition, uint8_t slot);

/* ---- tables.c: the constant description, looked up ------------------------------------------ */
const struct ffm_partition_desc *ffm_part(const struct ffm_spm *spm, uint16_t partition);
const struct ffm_service_desc *ffm_svc(const struct ffm_spm *spm, uint16_t service);
const struct ffm_irq_desc *ffm_irq(const struct ffm_spm *spm, uint16_t irq);
bool ffm_is_tfm(const struct ffm_spm *spm);
bool ffm_part_is_sfn(const struct ffm_spm *spm, uint16_t partition);
/* Service index with that SID, or -1. */
int ffm_find_sid(const struct ffm_spm *spm, uint32_t sid);
/* Partition index with that pid, or -1. */
int ffm_find_pid(const struct ffm_spm *spm, int32_t pid);
/* CON-03 / CALL-04 / VER-02,03,05: may `caller` use service `service`? */
bool ffm_authorised(const struct ffm_spm *spm, const struct ffm_caller *caller,
                    uint16_t service);
/* Why not, for the reason text. */
const char *ffm_unauthorised_why(const struct ffm_spm *spm, const struct ffm_caller *caller,
                                 uint16_t service);
/* Version policy (§5.1): STRICT equal, RELAXED <=, 0 never (tfm: RELAXED accepts 0). */
bool ffm_version_accepted(const struct ffm_spm *spm, uint16_t service, uint32_t requested);
psa_signal_t ffm_service_signals(const struct ffm_spm *spm, uint16_t partition);
psa_signal_t ffm_irq_signals(const struct ffm_spm *spm, uint16_t partition);
/* The IRQ index whose signal is exactly `signal` in `partition`, or -1. */
int ffm_irq_of_signal(const struct ffm_spm *spm, uint16_t partition, psa_signal_t signal);
/* Client ID a service sees in psa_msg_t (tfm GEN-02 translates NS IDs). */
int32_t ffm_delivered_client_id(const struct ffm_spm *spm, const struct ffm_caller *caller);
const char *ffm_caller_name(const struct ffm_spm *spm, const struct ffm_caller *caller);
bool ffm_single_bit(uint32_t value);

/* ---- queue.c: per-service FIFOs (SIG-06, SIG-07) --------------------------------------------- */
void ffm_queue_push(struct ffm_spm *spm, uint8_t slot);
void ffm_queue_remove(struct ffm_spm *spm, uint8_t slot);
uint8_t ffm_queue_head(const struct ffm_spm *spm, uint16_t service);
/* Service index of the oldest QUEUED message of partition, or -1. */
int ffm_queue_oldest_service(const struct ffm_spm *spm, uint16_t partition);

/* ---- message.c: message life cycle ---------------------------------------------------------- */
/* Queue a message of `type` in `slot` for its service; the client blocks (`waiting`). */
void ffm_msg_deliver(struct ffm_spm *spm, uint8_t slot, int32_t type,
                     const struct ffm_caller *client, bool waiting);
/* Fill *msg for the service (CALL-27, CON-11) and make the message FETCHED. */
void ffm_msg_fetch(struct ffm_spm *spm, uint8_t slot, psa_msg_t *msg);
/* HDL-21: resolve a message handle of `caller` to a FETCHED message; false with *why set. */
bool ffm_msg_resolve(const struct ffm_spm *spm, const struct ffm_caller *caller,
                     psa_handle_t handle, uint8_t *slot, const char **why);
/*
 * The two checks after the handle that psa_read/skip/write and the MM-IOVEC APIs share, in
 * their Ord: the message is a request (READ/SKIP/WRITE-02, MAPI..UNMAPO-03), then the vector
 * index is < PSA_MAX_IOVEC (READ/SKIP/WRITE-03, MAPI..UNMAPO-04). False with *ret set on a PE.
 */
bool ffm_msg_vec_vrfy(struct ffm_spm *spm, const struct ffm_caller *caller, enum ffm_api api,
                      enum ffm_rule not_request, enum ffm_rule bad_index,
                      const struct ffm_args *args, psa_handle_t handle, uint8_t slot,
                      uint32_t idx, struct ffm_ret *ret);
/* Queue the DISCONNECT of a connection (current rhandle, sizes 0) and make it CLOSING
 * (CLOSE-09, CALL-23, PANIC-06); `waiting`: the client blocks until the reply. */
void ffm_msg_disconnect(struct ffm_spm *spm, uint8_t slot, const struct ffm_caller *client,
                        bool waiting);
/* A validated reply (REPLY-05/07/08/09, CON-06/07/10, CALL-23/28/29). */
void ffm_msg_finish(struct ffm_spm *spm, uint8_t slot, psa_status_t status);
/* REPLY-03: is `status` a valid reply to the message in `slot`? */
bool ffm_reply_status_valid(const struct ffm_spm *spm, uint8_t slot, psa_status_t status);
/* Release a slot: pool slot freed, core state cleared. */
void ffm_slot_release(struct ffm_spm *spm, uint8_t slot);
/* Hand `ret` to the blocked client of `slot`, if any. */
void ffm_complete_client(struct ffm_spm *spm, uint8_t slot, struct ffm_ret ret);
void ffm_wake(struct ffm_spm *spm, uint16_t partition);

/* ---- api_connect.c ---------------------------------------------------------------------------- */
/* HDL-12 (tfm: no generation check): a live, handed-out connection handle -> its slot. */
bool ffm_conn_resolve(const struct ffm_spm *spm, psa_handle_t handle, uint8_t *slot);
/* CLOSE-08, PANIC-06: free a DROPPED connection now, or when its DISCONNECT is replied. */
void ffm_conn_release_dropped(struct ffm_spm *spm, uint8_t slot);

/* ---- vec_check.c: psa_call vector checks (CALL-13..19, MEM-06..12) ---------------------------- */
/* Copy and check; FFM_RULE_NONE when fine, else the rule with *why / *index set. */
enum ffm_rule ffm_vec_check(struct ffm_spm *spm, const struct ffm_caller *caller,
                            const psa_invec *in_vec, size_t in_len, psa_outvec *out_vec,
                            size_t out_len, psa_invec *in_copy, psa_outvec *out_copy,
                            char *why, size_t why_cap);
/* MEM-07/08 then the port: may `caller` access the range? (len > 0) */
enum ffm_mem_verdict ffm_mem_range(struct ffm_spm *spm, const struct ffm_caller *caller,
                                   const void *base, size_t len, enum ffm_mem_access access);
const char *ffm_mem_why(enum ffm_mem_verdict verdict, const void *base, size_t len);

#endif /* FFM_CORE_INTERNAL_H */
