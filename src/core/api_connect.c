/*
 * api_connect.c - psa_connect and psa_close (CON-01..11, CLOSE-01..09), checks in the order of
 * ffm-rules.md §5.1. A PE returns CONNECTION_REFUSED to an NS psa_connect, returns normally from
 * an NS psa_close (event recorded), and panics an S caller.
 */
#include "core_internal.h"

/* CON-01..04, before any side effect: true when refused, with *ret the disposition. */
static bool connect_vrfy(struct ffm_spm *spm, const struct ffm_caller *caller, uint32_t sid,
                         uint32_t version, int *service, struct ffm_ret *ret)
{
    struct ffm_args args_v = { .n = 2, .v = { sid, version } };
    const struct ffm_args *args = &args_v;
    const char *why;

    *service = ffm_find_sid(spm, sid);
    if (*service < 0) {
        *ret = ffm_pe(spm, caller, FFM_API_CONNECT, FFM_RULE_CON_01, args,
                      "SID %x is not registered", (unsigned)sid);
        return true;
    }
    const struct ffm_service_desc *svc = ffm_svc(spm, (uint16_t)*service);
    if (!svc->connection_based) {
        *ret = ffm_pe(spm, caller, FFM_API_CONNECT, FFM_RULE_CON_02, args,
                      "SID %x (%s) is a stateless service: call it with its static handle",
                      (unsigned)sid, svc->name);
        return true;
    }
    why = ffm_unauthorised_why(spm, caller, (uint16_t)*service);
    if (why != NULL) {
        *ret = ffm_pe(spm, caller, FFM_API_CONNECT, FFM_RULE_CON_03, args,
                      "client %d may not connect to SID %x (%s): %s", (int)caller->client_id,
                      (unsigned)sid, svc->name, why);
        return true;
    }
    if (!ffm_version_accepted(spm, (uint16_t)*service, version)) {
        *ret = ffm_pe(spm, caller, FFM_API_CONNECT, FFM_RULE_CON_04, args,
                      "version %u rejected by %s (version %u, %s)", (unsigned)version, svc->name,
                      (unsigned)svc->version,
                      svc->version_policy == FFM_POLICY_RELAXED ? "RELAXED" : "STRICT");
        return true;
    }
    return false;
}

struct ffm_ret ffm_psa_connect(struct ffm_spm *spm, const struct ffm_caller *caller, uint32_t sid,
                               uint32_t version)
{
    struct ffm_args args = { .n = 2, .v = { sid, version } };
    struct ffm_ret ret;
    int service;
    uint8_t slot;

    if (ffm_gate_client(spm, caller, FFM_API_CONNECT, &args, &ret)) {
        return ret;
    }
    if (connect_vrfy(spm, caller, sid, version, &service, &ret)) {
        return ret;
    }
    if (spm->partition[ffm_svc(spm, (uint16_t)service)->partition].faulted) {
        /* ffm-rule: PANIC-05 */
        return ffm_ret_value(PSA_ERROR_CONNECTION_REFUSED); /* PANIC-05 */
    }
    if (!ffm_pool_alloc(&spm->pool, FFM_SLOT_CONNECTION, caller->client_id, &slot)) {
        /* ffm-rule: CON-05, GEN-07 */
        return ffm_ret_value(PSA_ERROR_CONNECTION_BUSY); /* CON-05: no event */
    }
    spm->slot[slot].conn = FFM_CONN_CONNECTING;
    spm->slot[slot].service = (uint16_t)service;
    spm->slot[slot].rhandle = NULL;
    /* ffm-rule: CON-11 */
    ffm_msg_deliver(spm, slot, PSA_IPC_CONNECT, caller, true); /* CON-11 */
    return ffm_ret_block();
}

/* The DISCONNECT of CLOSE-09, or an immediate release when the service faulted (PANIC-05). */
static struct ffm_ret close_connection(struct ffm_spm *spm, const struct ffm_caller *caller,
                                       uint8_t slot)
{
    struct ffm_slot_state *s = &spm->slot[slot];

    if (spm->partition[ffm_svc(spm, s->service)->partition].faulted) {
        ffm_slot_release(spm, slot);
        return ffm_ret_value(0);
    }
    ffm_msg_disconnect(spm, slot, caller, true);
    return ffm_ret_block();
}

void ffm_conn_release_dropped(struct ffm_spm *spm, uint8_t slot)
{
    if (spm->slot[slot].msg.state == FFM_MSG_NONE) {
        ffm_slot_release(spm, slot);
    } else {
        spm->slot[slot].released = true; /* the DISCONNECT reply frees it (message.c) */
    }
}

/* tfm (§5.5 CALL-08): no generation check, so a stale handle of a reused slot is accepted. */
static enum ffm_pool_verdict lookup_connection(const struct ffm_spm *spm, psa_handle_t handle,
                                               uint8_t *slot)
{
    enum ffm_pool_verdict v = ffm_pool_lookup_conn(&spm->pool, handle, slot);
    struct ffm_conn_fields f;

    if (v == FFM_POOL_STALE && ffm_is_tfm(spm) && ffm_conn_handle_fields(handle, &f) &&
        spm->pool.slot[f.slot].kind == FFM_SLOT_CONNECTION) {
        *slot = f.slot;
        return FFM_POOL_OK;
    }
    if (v == FFM_POOL_OK && spm->slot[*slot].conn == FFM_CONN_CONNECTING) {
        return FFM_POOL_STALE; /* not handed out yet: nobody can hold it legitimately */
    }
    if (v == FFM_POOL_OK && spm->slot[*slot].released) {
        return FFM_POOL_STALE; /* closed by its client, waiting for its DISCONNECT reply */
    }
    return v;
}

bool ffm_conn_resolve(const struct ffm_spm *spm, psa_handle_t handle, uint8_t *slot)
{
    return lookup_connection(spm, handle, slot) == FFM_POOL_OK;
}

/* CLOSE-07, CLOSE-02, CLOSE-03, CLOSE-04 (Ord 2-5): true when refused, with *ret set. */
static bool close_vrfy(struct ffm_spm *spm, const struct ffm_caller *caller, psa_handle_t handle,
                       uint8_t *slot, struct ffm_ret *ret)
{
    struct ffm_args args = { .n = 1, .v = { handle } };

    if (handle < 0) {
        *ret = ffm_pe(spm, caller, FFM_API_CLOSE, FFM_RULE_CLOSE_07, &args,
                      "handle %x is negative", (unsigned)handle);
        return true;
    }
    if (((uint32_t)handle & FFM_SL_INDICATOR) != 0u) {
        *ret = ffm_pe(spm, caller, FFM_API_CLOSE, FFM_RULE_CLOSE_02, &args,
                      "handle %x is a stateless handle: it cannot be closed", (unsigned)handle);
        return true;
    }
    if (!ffm_conn_resolve(spm, handle, slot)) {
        *ret = ffm_pe(spm, caller, FFM_API_CLOSE, FFM_RULE_CLOSE_03, &args,
                      "handle %x is not a live connection (forged, stale, closed or wrong tag)",
                      (unsigned)handle);
        return true;
    }
    int32_t owner = spm->pool.slot[*slot].owner;
    /* ffm-rule: HDL-13 */
    if (owner != caller->client_id) {
        *ret = ffm_pe(spm, caller, FFM_API_CLOSE, FFM_RULE_CLOSE_04, &args,
                      "connection %x belongs to client %d, not %d", (unsigned)handle, (int)owner,
                      (int)caller->client_id);
        return true;
    }
    return false;
}

struct ffm_ret ffm_psa_close(struct ffm_spm *spm, const struct ffm_caller *caller,
                             psa_handle_t handle)
{
    struct ffm_args args = { .n = 1, .v = { handle } };
    struct ffm_ret ret;
    uint8_t slot;

    if (ffm_gate_client(spm, caller, FFM_API_CLOSE, &args, &ret)) {
        return ret;
    }
    if (handle == PSA_NULL_HANDLE) {
        /* ffm-rule: HDL-15, CLOSE-01 */
        return ffm_ret_value(0); /* CLOSE-01, HDL-15 */
    }
    if (close_vrfy(spm, caller, handle, &slot, &ret)) {
        return ret;
    }
    const struct ffm_slot_state *s = &spm->slot[slot];
    if (s->conn == FFM_CONN_DROPPED) {
        /* ffm-rule: CLOSE-08 */
        ffm_conn_release_dropped(spm, slot); /* CLOSE-08: quietly */
        return ffm_ret_value(0);
    }
    if (s->conn != FFM_CONN_IDLE) {
        return ffm_pe(spm, caller, FFM_API_CLOSE, FFM_RULE_CLOSE_05, &args,
                      "connection %x is %s", (unsigned)handle,
                      s->conn == FFM_CONN_ACTIVE ? "ACTIVE (a call is outstanding)" : "CLOSING");
    }
    /* ffm-rule: CLOSE-09 */
    return close_connection(spm, caller, slot); /* CLOSE-09 */
}
