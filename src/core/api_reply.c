/*
 * api_reply.c - psa_reply (REPLY-01..09) and the SFN model's equivalent (REPLY-10): the port
 * fetches a message with ffm_sfn_fetch, runs `<svc>_sfn(&msg)` and hands its return value to
 * ffm_sfn_complete, which validates it exactly like a psa_reply status.
 */
#include "core_internal.h"

/* §5.5 tfm REPLY-01: a reply on a CB connection with no fetched message goes undetected. */
static bool tfm_undetected_reply(const struct ffm_spm *spm, const struct ffm_caller *caller,
                                 psa_handle_t handle)
{
    uint8_t slot;

    return ffm_is_tfm(spm) && ffm_conn_resolve(spm, handle, &slot) &&
           ffm_svc(spm, spm->slot[slot].service)->partition == caller->partition;
}

/* REPLY-03: CONNECT accepts only SUCCESS, CONNECTION_REFUSED and CONNECTION_BUSY. */
static bool reply_status_vrfy(struct ffm_spm *spm, const struct ffm_caller *caller,
                              enum ffm_api api, const struct ffm_args *args, uint8_t slot,
                              psa_status_t status, struct ffm_ret *ret)
{
    if (ffm_reply_status_valid(spm, slot, status)) {
        return true;
    }
    *ret = ffm_pe(spm, caller, api, FFM_RULE_REPLY_03, args,
                  "status %d is not a valid reply to CONNECT (0, -130 or -131)", (int)status);
    return false;
}

struct ffm_ret ffm_psa_reply(struct ffm_spm *spm, const struct ffm_caller *caller,
                             psa_handle_t msg_handle, psa_status_t status)
{
    struct ffm_args args = { .n = 2, .v = { msg_handle, status } };
    struct ffm_ret ret;
    const char *why;
    uint8_t slot;

    if (ffm_gate_partition(spm, caller, FFM_API_REPLY, &args, &ret)) {
        return ret;
    }
    if (ffm_part_is_sfn(spm, caller->partition)) {
        return ffm_pe(spm, caller, FFM_API_REPLY, FFM_RULE_REPLY_06, &args,
                      "psa_reply in an SFN partition: the SFN's return value is the reply");
    }
    if (!ffm_msg_resolve(spm, caller, msg_handle, &slot, &why)) {
        if (tfm_undetected_reply(spm, caller, msg_handle)) {
            return ffm_ret_value(0);
        }
        return ffm_pe(spm, caller, FFM_API_REPLY, FFM_RULE_REPLY_01, &args,
                      "message handle %x: %s", (unsigned)msg_handle, why);
    }
    if (!reply_status_vrfy(spm, caller, FFM_API_REPLY, &args, slot, status, &ret)) {
        return ret;
    }
    /* ffm-rule: REPLY-05, REPLY-07, REPLY-08, REPLY-09 */
    ffm_msg_finish(spm, slot, status); /* REPLY-05, 07, 08, 09 */
    return ffm_ret_value(0);
}

/* ffm-rule: REPLY-10 */
struct ffm_ret ffm_sfn_fetch(struct ffm_spm *spm, const struct ffm_caller *caller, psa_msg_t *msg,
                             const struct ffm_service_desc **svc)
{
    struct ffm_partition_state *ps = &spm->partition[caller->partition];

    assert(spm->booted && caller->secure && ffm_part_is_sfn(spm, caller->partition));
    if (ps->faulted || ps->sfn_current != FFM_SLOT_NONE) {
        return ffm_ret_value(0); /* one SFN call at a time per partition */
    }
    int service = ffm_queue_oldest_service(spm, caller->partition);
    if (service < 0) {
        return ffm_ret_value(0);
    }
    uint8_t slot = ffm_queue_head(spm, (uint16_t)service);
    ffm_msg_fetch(spm, slot, msg);
    ps->sfn_current = slot;
    *svc = ffm_svc(spm, (uint16_t)service);
    ffm_trace(spm, FFM_TRACE_SFN_RUN, caller->partition, slot);
    return ffm_ret_value(1);
}

/* ffm-rule: REPLY-10 */
struct ffm_ret ffm_sfn_complete(struct ffm_spm *spm, const struct ffm_caller *caller,
                                psa_handle_t msg_handle, psa_status_t status)
{
    struct ffm_args args = { .n = 2, .v = { msg_handle, status } };
    struct ffm_ret ret;
    uint8_t slot = spm->partition[caller->partition].sfn_current;

    assert(spm->booted && slot != FFM_SLOT_NONE);
    assert(spm->slot[slot].msg.handle == msg_handle);
    (void)msg_handle;
    if (!reply_status_vrfy(spm, caller, FFM_API_SFN_RETURN, &args, slot, status, &ret)) {
        return ret;
    }
    ffm_msg_finish(spm, slot, status);
    return ffm_ret_value(0);
}
