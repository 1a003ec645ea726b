/*
 * message.c - the life cycle of a message: QUEUED -> FETCHED -> REPLIED (§4), what the service
 * sees in psa_msg_t (CALL-27, CON-11), message-handle validation (HDL-21) and what a reply does
 * to the connection and the blocked client (CON-06/07/10, CALL-23/28/29, CLOSE-09, REPLY-07..09).
 */
#include "core_internal.h"

/* §5.5 HDL-20 (tfm): the message handle of a stateless call in an SFN partition. */
#define FFM_TFM_SFN_SL_HANDLE ((psa_handle_t)0x1000)

void ffm_wake(struct ffm_spm *spm, uint16_t partition)
{
    ffm_port_wake(spm->port_ctx, partition);
}

static uint16_t service_partition(const struct ffm_spm *spm, uint8_t slot)
{
    return ffm_svc(spm, spm->slot[slot].service)->partition;
}

/* HDL-20; tfm: CB messages carry the connection handle, SL messages in SFN partitions 0x1000. */
static psa_handle_t new_message_handle(struct ffm_spm *spm, uint8_t slot)
{
    psa_handle_t handle = ffm_pool_msg_begin(&spm->pool, slot);

    if (!ffm_is_tfm(spm)) {
        return handle;
    }
    if (spm->slot[slot].conn != FFM_CONN_STATELESS) {
        return ffm_pool_conn_handle(&spm->pool, slot);
    }
    if (ffm_part_is_sfn(spm, service_partition(spm, slot))) {
        return FFM_TFM_SFN_SL_HANDLE;
    }
    return handle;
}

static void reset_vector_state(struct ffm_msg *msg)
{
    for (unsigned i = 0; i < PSA_MAX_IOVEC; i++) {
        msg->in_off[i] = 0u;
        msg->written[i] = 0u;
        msg->in_map[i] = FFM_VEC_NONE;
        msg->out_map[i] = FFM_VEC_NONE;
        msg->in_accessed[i] = false;
        msg->out_accessed[i] = false;
    }
}

void ffm_msg_deliver(struct ffm_spm *spm, uint8_t slot, int32_t type,
                     const struct ffm_caller *client, bool waiting)
{
    struct ffm_slot_state *s = &spm->slot[slot];
    uint16_t partition = service_partition(spm, slot);

    s->client.caller = *client;
    s->client.waiting = waiting;
    s->msg.type = type;
    s->msg.handle = new_message_handle(spm, slot);
    reset_vector_state(&s->msg);
    ffm_queue_push(spm, slot);
    ffm_trace(spm, FFM_TRACE_MSG_QUEUED, partition, slot);
    ffm_wake(spm, partition);
}

/* ffm-rule: CALL-27, CON-11 */
void ffm_msg_fetch(struct ffm_spm *spm, uint8_t slot, psa_msg_t *msg)
{
    struct ffm_slot_state *s = &spm->slot[slot];
    psa_msg_t copy = { .type = s->msg.type, .handle = s->msg.handle };

    ffm_queue_remove(spm, slot);
    s->msg.state = FFM_MSG_FETCHED;
    copy.client_id = ffm_delivered_client_id(spm, &s->client.caller);
    /* ffm-rule: RH-04 */
    copy.rhandle = (s->conn == FFM_CONN_STATELESS) ? NULL : s->rhandle; /* RH-04 */
    for (unsigned i = 0; i < PSA_MAX_IOVEC; i++) {
        copy.in_size[i] = (i < s->msg.in_len) ? s->msg.in[i].len : 0u;
        copy.out_size[i] = (i < s->msg.out_len) ? s->msg.out[i].len : 0u;
    }
    *msg = copy;
    ffm_trace(spm, FFM_TRACE_MSG_FETCHED, service_partition(spm, slot), slot);
}

/* tfm: the handle forms TF-M hands to services (0x1000, connection handles). */
static bool resolve_tfm_alias(const struct ffm_spm *spm, const struct ffm_caller *caller,
                              psa_handle_t handle, uint8_t *slot)
{
    const struct ffm_partition_state *ps = &spm->partition[caller->partition];
    struct ffm_conn_fields f;

    if (handle == FFM_TFM_SFN_SL_HANDLE) {
        *slot = ps->sfn_current;
        return ps->sfn_current != FFM_SLOT_NONE &&
               spm->slot[ps->sfn_current].conn == FFM_CONN_STATELESS;
    }
    if (!ffm_conn_handle_fields(handle, &f) || f.tag != FFM_HANDLE_TAG_CONNECTION ||
        f.slot >= spm->pool.capacity || spm->pool.slot[f.slot].kind != FFM_SLOT_CONNECTION) {
        return false;
    }
    *slot = f.slot;
    return true;
}

static const char *pool_why(enum ffm_pool_verdict verdict)
{
    switch (verdict) {
    case FFM_POOL_NOT_CONN_CLASS:
        return "not a message handle (null, negative or stateless)";
    case FFM_POOL_BAD_TAG:
        return "not a message handle (wrong tag)";
    case FFM_POOL_BAD_SLOT:
        return "slot out of range";
    case FFM_POOL_FREE_SLOT:
    case FFM_POOL_STALE:
        return "stale or forged message handle (already replied?)";
    default:
        return "invalid message handle";
    }
}

/* ffm-rule: HDL-21 */
bool ffm_msg_resolve(const struct ffm_spm *spm, const struct ffm_caller *caller,
                     psa_handle_t handle, uint8_t *slot, const char **why)
{
    enum ffm_pool_verdict verdict = FFM_POOL_BAD_TAG;

    if (!(ffm_is_tfm(spm) && resolve_tfm_alias(spm, caller, handle, slot))) {
        verdict = ffm_pool_lookup_msg(&spm->pool, handle, slot);
        if (verdict != FFM_POOL_OK) {
            *why = pool_why(verdict);
            return false;
        }
    }
    if (service_partition(spm, *slot) != caller->partition) {
        *why = "the message belongs to another partition";
        return false;
    }
    if (spm->slot[*slot].msg.state != FFM_MSG_FETCHED) {
        *why = spm->slot[*slot].msg.state == FFM_MSG_QUEUED ? "the message was not fetched"
                                                            : "no message in flight";
        return false;
    }
    return true;
}

bool ffm_msg_vec_vrfy(struct ffm_spm *spm, const struct ffm_caller *caller, enum ffm_api api,
                      enum ffm_rule not_request, enum ffm_rule bad_index,
                      const struct ffm_args *args, psa_handle_t handle, uint8_t slot,
                      uint32_t idx, struct ffm_ret *ret)
{
    int32_t type = spm->slot[slot].msg.type;

    if (type == PSA_IPC_CONNECT || type == PSA_IPC_DISCONNECT) {
        *ret = ffm_pe(spm, caller, api, not_request, args,
                      "message %x is a %s message: it has no vectors", (unsigned)handle,
                      type == PSA_IPC_CONNECT ? "CONNECT" : "DISCONNECT");
        return false;
    }
    if (idx >= PSA_MAX_IOVEC) {
        *ret = ffm_pe(spm, caller, api, bad_index, args, "vector index %u >= PSA_MAX_IOVEC (4)",
                      (unsigned)idx);
        return false;
    }
    return true;
}

/* ffm-rule: CON-08 */
bool ffm_reply_status_valid(const struct ffm_spm *spm, uint8_t slot, psa_status_t status)
{
    if (spm->slot[slot].msg.type != PSA_IPC_CONNECT) {
        return true;
    }
    return status == PSA_SUCCESS || status == PSA_ERROR_CONNECTION_REFUSED ||
           status == PSA_ERROR_CONNECTION_BUSY;
}

void ffm_slot_release(struct ffm_spm *spm, uint8_t slot)
{
    assert(spm->slot[slot].msg.state != FFM_MSG_QUEUED);
    ffm_pool_free(&spm->pool, slot);
    spm->slot[slot] = (struct ffm_slot_state){ .msg = { .next = FFM_SLOT_NONE } };
}

static void complete_ref(struct ffm_spm *spm, const struct ffm_client_ref *ref, bool gone,
                         struct ffm_ret ret)
{
    if (ref->waiting && !gone) {
        ffm_port_complete(spm->port_ctx, ref->caller.token, ret);
    }
}

void ffm_complete_client(struct ffm_spm *spm, uint8_t slot, struct ffm_ret ret)
{
    struct ffm_slot_state *s = &spm->slot[slot];

    complete_ref(spm, &s->client, s->client_gone, ret);
    s->client.waiting = false;
}

void ffm_msg_disconnect(struct ffm_spm *spm, uint8_t slot, const struct ffm_caller *client,
                        bool waiting)
{
    struct ffm_slot_state *s = &spm->slot[slot];
    struct ffm_caller copy = *client; /* `client` may point into the slot we rewrite */

    s->conn = FFM_CONN_CLOSING;
    s->msg.in_len = 0u;
    s->msg.out_len = 0u;
    s->msg.client_out = NULL;
    ffm_msg_deliver(spm, slot, PSA_IPC_DISCONNECT, &copy, waiting);
}

/* Queue a DISCONNECT with the connection's rhandle; nobody waits for it (CALL-23). */
static void queue_disconnect(struct ffm_spm *spm, uint8_t slot)
{
    ffm_msg_disconnect(spm, slot, &spm->slot[slot].client.caller, false);
}

/* ffm-rule: REPLY-09, UNMAPO-08 */
/* REPLY-09, UNMAPO-08: still-mapped vectors are unmapped; a mapped outvec reports 0 bytes. */
static void unmap_all(struct ffm_msg *msg)
{
    for (unsigned i = 0; i < PSA_MAX_IOVEC; i++) {
        if (msg->in_map[i] == FFM_VEC_MAPPED) {
            msg->in_map[i] = FFM_VEC_UNMAPPED;
        }
        if (msg->out_map[i] == FFM_VEC_MAPPED) {
            msg->out_map[i] = FFM_VEC_UNMAPPED;
            msg->written[i] = 0u;
        }
    }
}

static void finish_connect(struct ffm_spm *spm, uint8_t slot, psa_status_t status)
{
    struct ffm_slot_state *s = &spm->slot[slot];
    struct ffm_client_ref ref = s->client;
    bool gone = s->client_gone;

    /* ffm-rule: CON-06, CON-07 */
    if (status != PSA_SUCCESS) { /* CON-06, CON-07: slot freed, no DISCONNECT */
        ffm_slot_release(spm, slot);
        complete_ref(spm, &ref, gone, ffm_ret_value(status));
        return;
    }
    /* ffm-rule: CON-10 */
    s->conn = FFM_CONN_IDLE; /* CON-10 */
    ffm_trace(spm, FFM_TRACE_CONN_OPENED, ffm_svc(spm, s->service)->partition, slot);
    if (gone) {
        queue_disconnect(spm, slot); /* PANIC-06: the client faulted meanwhile */
        return;
    }
    ffm_complete_client(spm, slot, ffm_ret_value(ffm_pool_conn_handle(&spm->pool, slot)));
}

static void finish_disconnect(struct ffm_spm *spm, uint8_t slot)
{
    struct ffm_slot_state *s = &spm->slot[slot];
    struct ffm_client_ref ref = s->client;
    bool gone = s->client_gone;

    ffm_trace(spm, FFM_TRACE_CONN_CLOSED, ffm_svc(spm, s->service)->partition, slot);
    if (s->conn == FFM_CONN_DROPPED && !s->released) {
        return; /* CALL-23: the client still holds a DROPPED handle; psa_close frees it */
    }
    /* ffm-rule: REPLY-07 */
    ffm_slot_release(spm, slot); /* REPLY-07: status ignored, slot freed */
    complete_ref(spm, &ref, gone, ffm_ret_value(0));
}

/* ffm-rule: CALL-29 */
/* CALL-29: out_vec[i].len = bytes written, nothing else changes. */
static void write_back_lengths(const struct ffm_msg *msg)
{
    if (msg->client_out == NULL) {
        return;
    }
    for (unsigned i = 0; i < msg->out_len; i++) {
        msg->client_out[i].len = msg->written[i];
    }
}

/* CALL-23: the client is blamed for the service's PROGRAMMER_ERROR reply. */
static struct ffm_ret blame_client(struct ffm_spm *spm, uint8_t slot)
{
    const struct ffm_slot_state *s = &spm->slot[slot];
    const struct ffm_caller *client = &s->client.caller;
    struct ffm_args args = { .n = 1, .v = { s->msg.type } };
    bool secure = client->secure;

    if (!s->client_gone) {
        /* the vector lengths: a size mismatch between client and service is the usual cause */
        struct ffm_trace_rec lengths = { .kind = FFM_TRACE_MSG_REPLIED };
        char vectors[64];
        ffm_trace_lengths(spm, slot, &lengths);
        ffm_trace_vectors(&lengths, vectors, sizeof vectors);
        ffm_event_emit(spm, client, FFM_API_CALL, FFM_RULE_CALL_23,
                       secure ? FFM_DISP_PANIC : FFM_DISP_RETURN_STATUS,
                       secure ? 0 : PSA_ERROR_PROGRAMMER_ERROR, &args,
                       "service %s replied PSA_ERROR_PROGRAMMER_ERROR to a request of type %d"
                       " with vectors %s",
                       ffm_svc(spm, s->service)->name, (int)s->msg.type, vectors);
    }
    return secure ? ffm_ret_panic() : ffm_ret_value(PSA_ERROR_PROGRAMMER_ERROR);
}

/* After a request: CB back to IDLE (or DROPPED), SL slot freed before the client returns. */
/* ffm-rule: REPLY-08 */
static void finish_request(struct ffm_spm *spm, uint8_t slot, psa_status_t status)
{
    struct ffm_slot_state *s = &spm->slot[slot];
    struct ffm_client_ref ref = s->client;
    bool gone = s->client_gone;
    /* ffm-rule: REPLY-05 */
    bool pe = (status == PSA_ERROR_PROGRAMMER_ERROR); /* REPLY-05 */
    struct ffm_ret ret = pe ? blame_client(spm, slot) : ffm_ret_value(status);

    if (!gone && ret.next == FFM_NEXT_RETURN) {
        write_back_lengths(&s->msg);
    }
    s->client.waiting = false;
    if (s->conn == FFM_CONN_STATELESS) {
        /* ffm-rule: CALL-28 */
        ffm_slot_release(spm, slot); /* CALL-28: freed before psa_call returns */
    } else if (gone) {
        queue_disconnect(spm, slot); /* PANIC-06: the client faulted during its call */
    } else if (pe && !ffm_is_tfm(spm)) {
        queue_disconnect(spm, slot); /* CALL-23: DISCONNECT queued at once ... */
        s->conn = FFM_CONN_DROPPED;  /* ... and the handle stays DROPPED until psa_close */
    } else {
        s->conn = FFM_CONN_IDLE; /* §5.5 tfm: the connection stays usable after CALL-23 */
    }
    complete_ref(spm, &ref, gone, ret);
}

void ffm_msg_finish(struct ffm_spm *spm, uint8_t slot, psa_status_t status)
{
    struct ffm_slot_state *s = &spm->slot[slot];
    struct ffm_trace_rec rec = {
        .kind = FFM_TRACE_MSG_REPLIED,
        .partition = service_partition(spm, slot),
        .service = s->service,
        .client_id = s->client.caller.client_id,
        .handle = s->msg.handle,
        .type = s->msg.type,
        .status = status,
    };
    int32_t type = s->msg.type;

    ffm_trace_connection(spm, slot, &rec);
    ffm_trace_lengths(spm, slot, &rec);
    unmap_all(&s->msg);
    ffm_port_trace(spm->port_ctx, &rec);
    /* ffm-rule: REPLY-09 */
    ffm_pool_msg_end(&spm->pool, slot); /* REPLY-09: the message handle is dead */
    s->msg.state = FFM_MSG_NONE;
    if (spm->partition[rec.partition].sfn_current == slot) {
        spm->partition[rec.partition].sfn_current = FFM_SLOT_NONE;
    }
    if (type == PSA_IPC_CONNECT) {
        finish_connect(spm, slot, status);
    } else if (type == PSA_IPC_DISCONNECT) {
        finish_disconnect(spm, slot);
    } else {
        finish_request(spm, slot, status);
    }
}
