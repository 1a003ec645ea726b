/*
 * api_doorbell.c - psa_notify and psa_clear (NOTIFY-01..03, CLEAR-01..02, SIG-10): the doorbell
 * is asserted from psa_notify until psa_clear; repeated notifications are not counted.
 */
#include "core_internal.h"

struct ffm_ret ffm_psa_notify(struct ffm_spm *spm, const struct ffm_caller *caller,
                              int32_t partition_id)
{
    struct ffm_args args = { .n = 1, .v = { partition_id } };
    struct ffm_ret ret;

    if (ffm_gate_partition(spm, caller, FFM_API_NOTIFY, &args, &ret)) {
        return ret;
    }
    if (partition_id <= 0) {
        return ffm_pe(spm, caller, FFM_API_NOTIFY, FFM_RULE_NOTIFY_02, &args,
                      "partition ID %d is not positive", (int)partition_id);
    }
    int target = ffm_find_pid(spm, partition_id);
    if (target < 0) {
        return ffm_pe(spm, caller, FFM_API_NOTIFY, FFM_RULE_NOTIFY_01, &args,
                      "no loaded partition has ID %d", (int)partition_id);
    }
    if (spm->partition[target].faulted) {
        /* ffm-rule: PANIC-05 */
        return ffm_ret_value(0); /* PANIC-05: no effect on a FAULTED partition */
    }
    /* ffm-rule: NOTIFY-03, SIG-10 */
    spm->partition[target].asserted |= PSA_DOORBELL; /* NOTIFY-03 */
    ffm_trace(spm, FFM_TRACE_DOORBELL, (uint16_t)target, FFM_SLOT_NONE);
    ffm_wake(spm, (uint16_t)target);
    return ffm_ret_value(0);
}

struct ffm_ret ffm_psa_clear(struct ffm_spm *spm, const struct ffm_caller *caller)
{
    struct ffm_args args = { .n = 0 };
    struct ffm_ret ret;

    if (ffm_gate_partition(spm, caller, FFM_API_CLEAR, &args, &ret)) {
        return ret;
    }
    struct ffm_partition_state *ps = &spm->partition[caller->partition];
    if ((ps->asserted & PSA_DOORBELL) == 0u) {
        return ffm_pe(spm, caller, FFM_API_CLEAR, FFM_RULE_CLEAR_01, &args,
                      "the doorbell of this partition is not asserted");
    }
    /* ffm-rule: CLEAR-02, SIG-10 */
    ps->asserted &= ~PSA_DOORBELL; /* CLEAR-02 */
    return ffm_ret_value(0);
}
