/*
 * api_call.c - psa_call (CALL-02..29), with the checks in exactly the order of ffm-rules.md §5.1:
 * the handle (stateless path Ord 3-6, connection path Ord 3-6), then the type, the vector counts
 * and the memory checks (Ord 7-14), then the pool (Ord 15, stateless only). Nothing before the
 * delivery has a side effect (CALL-20). A PE returns PROGRAMMER_ERROR to an NS caller and panics
 * an S caller.
 */
#include "core_internal.h"

struct call_target {
    bool stateless;
    uint16_t service;
    uint8_t slot; /* connection-based: the connection's slot */
};

struct call_req {
    const struct ffm_caller *caller;
    psa_handle_t handle;
    int32_t type;
    const struct ffm_args *args;
};

static struct ffm_ret call_pe(struct ffm_spm *spm, const struct call_req *req, enum ffm_rule rule,
                              const char *why)
{
    return ffm_pe(spm, req->caller, FFM_API_CALL, rule, req->args, "handle %x type %d: %s",
                  (unsigned)req->handle, (int)req->type, why);
}

/* CALL-25, CALL-03, CALL-04, CALL-05: a stateless handle (§3). */
static bool resolve_stateless(struct ffm_spm *spm, const struct call_req *req,
                              struct call_target *t, struct ffm_ret *ret)
{
    /* ffm-rule: HDL-03, HDL-07 */
    struct ffm_sl_handle sl = ffm_sl_decode(req->handle);
    char why[FFM_REASON_MAX / 2];
    int16_t service;

    if (ffm_sl_validate(req->handle, spm->config.profile) != FFM_RULE_NONE) {
        *ret = call_pe(spm, req, FFM_RULE_CALL_25, "reserved bits 0x3fff00e0 are set");
        return false;
    }
    service = spm->desc->stateless_slot[sl.index];
    /* ffm-rule: HDL-06 */
    if (service < 0) {
        ffm_fmt(why, sizeof(why), "stateless slot %u is empty", (unsigned)sl.index);
        *ret = call_pe(spm, req, FFM_RULE_CALL_03, why);
        return false;
    }
    t->stateless = true;
    t->service = (uint16_t)service;
    /* ffm-rule: HDL-08 */
    const char *denied = ffm_unauthorised_why(spm, req->caller, t->service);
    if (denied != NULL) {
        ffm_fmt(why, sizeof(why), "%s: %s", ffm_svc(spm, t->service)->name, denied);
        *ret = call_pe(spm, req, FFM_RULE_CALL_04, why);
        return false;
    }
    if (!ffm_version_accepted(spm, t->service, sl.version)) {
        const struct ffm_service_desc *svc = ffm_svc(spm, t->service);
        ffm_fmt(why, sizeof(why), "version byte %u rejected by %s (version %u, %s)",
                (unsigned)sl.version, svc->name, (unsigned)svc->version,
                svc->version_policy == FFM_POLICY_RELAXED ? "RELAXED" : "STRICT");
        *ret = call_pe(spm, req, FFM_RULE_CALL_05, why);
        return false;
    }
    return true;
}

/* CALL-08, CALL-09, CALL-26, CALL-10: a connection handle (§4). */
static bool resolve_connection(struct ffm_spm *spm, const struct call_req *req,
                               struct call_target *t, struct ffm_ret *ret)
{
    char why[FFM_REASON_MAX / 2];

    if (!ffm_conn_resolve(spm, req->handle, &t->slot)) {
        *ret = call_pe(spm, req, FFM_RULE_CALL_08,
                       "not a live connection handle (forged, stale or wrong tag)");
        return false;
    }
    const struct ffm_slot_state *s = &spm->slot[t->slot];
    int32_t owner = spm->pool.slot[t->slot].owner;
    /* ffm-rule: HDL-13 */
    if (owner != req->caller->client_id) {
        ffm_fmt(why, sizeof(why), "connection owned by client %d", (int)owner);
        *ret = call_pe(spm, req, FFM_RULE_CALL_09, why);
        return false;
    }
    if (s->conn == FFM_CONN_DROPPED) {
        *ret = call_pe(spm, req, FFM_RULE_CALL_26,
                       "connection DROPPED after a PROGRAMMER_ERROR reply: close it");
        return false;
    }
    if (s->conn != FFM_CONN_IDLE) {
        *ret = call_pe(spm, req, FFM_RULE_CALL_10,
                       s->conn == FFM_CONN_ACTIVE ? "connection ACTIVE (a call is outstanding)"
                                                  : "connection CLOSING");
        return false;
    }
    t->stateless = false;
    t->service = s->service;
    return true;
}

/* Ord 1-6: which service, through which handle. */
static bool resolve_handle(struct ffm_spm *spm, const struct call_req *req, struct call_target *t,
                           struct ffm_ret *ret)
{
    switch (ffm_handle_classify(req->handle, spm->config.profile)) {
    case FFM_HANDLE_NULL:
        *ret = call_pe(spm, req, FFM_RULE_CALL_02, "PSA_NULL_HANDLE");
        return false;
    case FFM_HANDLE_NEGATIVE:
        *ret = call_pe(spm, req, FFM_RULE_CALL_24, "negative handle");
        return false;
    case FFM_HANDLE_STATELESS:
        return resolve_stateless(spm, req, t, ret);
    case FFM_HANDLE_CONNECTION:
    default:
        return resolve_connection(spm, req, t, ret);
    }
}

/* Ord 7-14: type, counts, memory (CALL-12..19); fills the SPM copies of the descriptors. */
static bool check_request(struct ffm_spm *spm, const struct call_req *req,
                          const psa_invec *in_vec, size_t in_len, psa_outvec *out_vec,
                          size_t out_len, struct ffm_msg *msg, struct ffm_ret *ret)
{
    char why[FFM_REASON_MAX / 2];
    int32_t type_max = ffm_is_tfm(spm) ? INT16_MAX : INT32_MAX; /* §5.5 CALL-12 */

    if (req->type < 0 || req->type > type_max) {
        *ret = call_pe(spm, req, FFM_RULE_CALL_12,
                       req->type < 0 ? "negative call type" : "call type above INT16_MAX");
        return false;
    }
    if (in_len > PSA_MAX_IOVEC || out_len > PSA_MAX_IOVEC ||
        in_len + out_len > PSA_MAX_IOVEC) {
        ffm_fmt(why, sizeof(why), "in_len %zu + out_len %zu exceeds PSA_MAX_IOVEC (4)", in_len,
                out_len);
        *ret = call_pe(spm, req, FFM_RULE_CALL_13, why);
        return false;
    }
    enum ffm_rule rule = ffm_vec_check(spm, req->caller, in_vec, in_len, out_vec, out_len,
                                       msg->in, msg->out, why, sizeof(why));
    if (rule != FFM_RULE_NONE) {
        *ret = call_pe(spm, req, rule, why);
        return false;
    }
    msg->in_len = (uint8_t)in_len;
    msg->out_len = (uint8_t)out_len;
    return true;
}

static bool take_stateless_slot(struct ffm_spm *spm, const struct ffm_caller *caller,
                                uint8_t *slot)
{
    return ffm_pool_alloc(&spm->pool, FFM_SLOT_STATELESS, caller->client_id, slot);
}

/* ffm-rule: CALL-27 */
/* CALL-27: queue the request and block the client. */
static struct ffm_ret deliver(struct ffm_spm *spm, const struct call_req *req,
                              const struct call_target *t, const struct ffm_msg *checked,
                              psa_outvec *out_vec)
{
    struct ffm_slot_state *s = &spm->slot[t->slot];

    s->service = t->service;
    s->conn = t->stateless ? FFM_CONN_STATELESS : FFM_CONN_ACTIVE;
    s->msg.in_len = checked->in_len;
    s->msg.out_len = checked->out_len;
    for (unsigned i = 0; i < PSA_MAX_IOVEC; i++) {
        s->msg.in[i] = (i < checked->in_len) ? checked->in[i] : (psa_invec){ NULL, 0u };
        s->msg.out[i] = (i < checked->out_len) ? checked->out[i] : (psa_outvec){ NULL, 0u };
    }
    s->msg.client_out = checked->out_len > 0u ? out_vec : NULL;
    ffm_msg_deliver(spm, t->slot, req->type, req->caller, true);
    return ffm_ret_block();
}

/* Ord 7-16 once the target is known: arguments, PANIC-05, the pool (spec CALL-06), delivery. */
static struct ffm_ret call_target(struct ffm_spm *spm, const struct call_req *req,
                                  struct call_target *t, const psa_invec *in_vec, size_t in_len,
                                  psa_outvec *out_vec, size_t out_len)
{
    struct ffm_msg checked = { .in_len = 0 };
    struct ffm_ret ret;

    if (!check_request(spm, req, in_vec, in_len, out_vec, out_len, &checked, &ret)) {
        return ret;
    }
    if (spm->partition[ffm_svc(spm, t->service)->partition].faulted) {
        return ffm_ret_value(PSA_ERROR_CONNECTION_REFUSED); /* PANIC-05 */
    }
    if (t->stateless && t->slot == FFM_SLOT_NONE &&
        !take_stateless_slot(spm, req->caller, &t->slot)) {
        /* ffm-rule: CALL-06, GEN-07 */
        return ffm_ret_value(PSA_ERROR_CONNECTION_BUSY); /* CALL-06: not a PE */
    }
    return deliver(spm, req, t, &checked, out_vec);
}

struct ffm_ret ffm_psa_call(struct ffm_spm *spm, const struct ffm_caller *caller,
                            psa_handle_t handle, int32_t type, const psa_invec *in_vec,
                            size_t in_len, psa_outvec *out_vec, size_t out_len)
{
    struct ffm_args args = { .n = 6,
                             .v = { handle, type, (int64_t)(uintptr_t)in_vec, (int64_t)in_len,
                                    (int64_t)(uintptr_t)out_vec, (int64_t)out_len } };
    struct call_req req = { .caller = caller, .handle = handle, .type = type, .args = &args };
    struct call_target t = { .slot = FFM_SLOT_NONE };
    struct ffm_ret ret;

    if (ffm_gate_client(spm, caller, FFM_API_CALL, &args, &ret) ||
        !resolve_handle(spm, &req, &t, &ret)) {
        return ret;
    }
    /* §5.5 tfm CALL-06: the pool is taken before the arguments are checked. */
    if (t.stateless && ffm_is_tfm(spm) && !take_stateless_slot(spm, caller, &t.slot)) {
        return ffm_ret_value(PSA_ERROR_CONNECTION_BUSY);
    }
    ret = call_target(spm, &req, &t, in_vec, in_len, out_vec, out_len);
    if (t.stateless && ret.next != FFM_NEXT_BLOCK && t.slot != FFM_SLOT_NONE) {
        /* ffm-rule: CALL-20 */
        ffm_slot_release(spm, t.slot); /* CALL-20: a refused call keeps no slot (tfm took one) */
    }
    return ret;
}
