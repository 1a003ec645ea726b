/*
 * api_lifecycle.c - psa_rot_lifecycle_state (LC-01, LC-02): the configured value, constant for a
 * boot (LC-03 is checked by ffm_spm_boot). NS may not call it (GEN-03).
 */
#include "core_internal.h"

/* ffm-rule: LC-01, LC-02 */
struct ffm_ret ffm_psa_rot_lifecycle_state(struct ffm_spm *spm, const struct ffm_caller *caller)
{
    struct ffm_args args = { .n = 0 };
    struct ffm_ret ret;

    if (ffm_gate_partition(spm, caller, FFM_API_ROT_LIFECYCLE_STATE, &args, &ret)) {
        return ret;
    }
    return ffm_ret_value(spm->config.lifecycle_state);
}
