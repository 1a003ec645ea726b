/*
 * api_panic.c - psa_panic (PANIC-01), entry points that return (PANIC-07), what the trap
 * policy needs from the core once a partition was unwound (PANIC-05, PANIC-06), and the
 * connections of an NS client that has no thread left (CLOSE-10), which end the same way.
 */
#include "core_internal.h"

struct ffm_ret ffm_psa_panic(struct ffm_spm *spm, const struct ffm_caller *caller)
{
    struct ffm_args args = { .n = 0 };
    struct ffm_ret ret;

    if (ffm_gate_partition(spm, caller, FFM_API_PANIC, &args, &ret)) {
        return ret;
    }
    return ffm_panic_event(spm, caller, FFM_API_PANIC, FFM_RULE_PANIC_01, &args,
                           "psa_panic called");
}

struct ffm_ret ffm_spm_entry_returned(struct ffm_spm *spm, const struct ffm_caller *caller,
                                      int32_t status)
{
    struct ffm_args args = { .n = 1, .v = { status } };

    assert(spm->booted && caller->secure);
    if (ffm_part_is_sfn(spm, caller->partition)) {
        if (status >= 0) {
            return ffm_ret_value(0);
        }
        return ffm_panic_event(spm, caller, FFM_API_ENTRY_RETURN, FFM_RULE_PANIC_07, &args,
                               "entry_init of %s returned %d", ffm_caller_name(spm, caller),
                               (int)status);
    }
    return ffm_panic_event(spm, caller, FFM_API_ENTRY_RETURN, FFM_RULE_PANIC_07, &args,
                           "entry point of IPC partition %s returned",
                           ffm_caller_name(spm, caller));
}

/* ffm-rule: PANIC-05 */
/* PANIC-05: a message to the faulted partition completes without reaching it. */
static void refuse_message(struct ffm_spm *spm, uint8_t slot)
{
    struct ffm_slot_state *s = &spm->slot[slot];
    int32_t type = s->msg.type;

    if (s->msg.state == FFM_MSG_QUEUED) {
        ffm_queue_remove(spm, slot);
    }
    s->msg.state = FFM_MSG_NONE;
    ffm_pool_msg_end(&spm->pool, slot);
    if (type == PSA_IPC_DISCONNECT) {
        ffm_complete_client(spm, slot, ffm_ret_value(0));
        if (s->conn != FFM_CONN_DROPPED || s->released) {
            ffm_slot_release(spm, slot); /* a DROPPED handle waits for its psa_close */
        }
        return;
    }
    ffm_complete_client(spm, slot, ffm_ret_value(PSA_ERROR_CONNECTION_REFUSED));
    if (type == PSA_IPC_CONNECT || s->conn == FFM_CONN_STATELESS || s->client_gone) {
        ffm_slot_release(spm, slot);
    } else {
        s->conn = FFM_CONN_IDLE; /* the client may still close it */
    }
}

/* ffm-rule: PANIC-06 */
/* PANIC-06, CLOSE-10: a connection whose client is gone is closed. */
static void drop_client_slot(struct ffm_spm *spm, uint8_t slot)
{
    struct ffm_slot_state *s = &spm->slot[slot];
    bool service_faulted = spm->partition[ffm_svc(spm, s->service)->partition].faulted;

    s->client_gone = true;
    s->client.waiting = false;
    if (s->conn == FFM_CONN_DROPPED) {
        ffm_conn_release_dropped(spm, slot);
    } else if (s->conn == FFM_CONN_IDLE) {
        if (service_faulted) {
            ffm_slot_release(spm, slot);
            return;
        }
        ffm_msg_disconnect(spm, slot, &s->client.caller, false);
    }
    /* CONNECTING, ACTIVE, CLOSING, STATELESS: the reply finishes the job (message.c). */
}

static bool is_client(const struct ffm_slot_state *s, uint16_t partition)
{
    return s->client.caller.secure && s->client.caller.partition == partition;
}

void ffm_spm_partition_faulted(struct ffm_spm *spm, uint16_t partition)
{
    assert(spm->booted && partition < spm->desc->n_partitions);
    struct ffm_trace_rec rec = { .kind = FFM_TRACE_PARTITION_FAULTED, .partition = partition };

    if (spm->partition[partition].faulted) {
        return;
    }
    spm->partition[partition].faulted = true;
    spm->partition[partition].sfn_current = FFM_SLOT_NONE;
    ffm_port_trace(spm->port_ctx, &rec);
    for (uint8_t i = 0; i < spm->pool.capacity; i++) {
        struct ffm_slot_state *s = &spm->slot[i];
        if (spm->pool.slot[i].kind != FFM_SLOT_FREE && s->msg.state != FFM_MSG_NONE &&
            ffm_svc(spm, s->service)->partition == partition) {
            refuse_message(spm, i);
        }
    }
    for (uint8_t i = 0; i < spm->pool.capacity; i++) {
        if (spm->pool.slot[i].kind != FFM_SLOT_FREE && is_client(&spm->slot[i], partition) &&
            !spm->slot[i].client_gone) {
            drop_client_slot(spm, i);
        }
    }
}

static bool is_ns_client(const struct ffm_slot_state *s, int32_t client_id)
{
    return !s->client.caller.secure && s->client.caller.client_id == client_id;
}

/* ffm-rule: CLOSE-10 */
uint16_t ffm_spm_ns_client_ended(struct ffm_spm *spm, int32_t client_id)
{
    uint16_t closed = 0;

    assert(spm->booted && client_id < 0);
    for (uint8_t i = 0; i < spm->pool.capacity; i++) {
        struct ffm_slot_state *s = &spm->slot[i];
        if (spm->pool.slot[i].kind == FFM_SLOT_CONNECTION && is_ns_client(s, client_id) &&
            !s->client_gone && (s->conn == FFM_CONN_IDLE || s->conn == FFM_CONN_DROPPED)) {
            drop_client_slot(spm, i); /* CLOSE-10 */
            closed++;
        }
    }
    return closed;
}
