/*
 * api_version.c - psa_framework_version and psa_version (FWV-01, VER-01..05). Neither raises a
 * PE (§5.0), except GEN-01: no PSA API may be called inside a FLIH.
 */
#include "core_internal.h"

struct ffm_ret ffm_psa_framework_version(struct ffm_spm *spm, const struct ffm_caller *caller)
{
    struct ffm_args args = { .n = 0 };
    struct ffm_ret ret;

    if (ffm_gate_client(spm, caller, FFM_API_FRAMEWORK_VERSION, &args, &ret)) {
        return ret;
    }
    /* ffm-rule: FWV-01 */
    return ffm_ret_value(PSA_FRAMEWORK_VERSION); /* FWV-01 */
}

struct ffm_ret ffm_psa_version(struct ffm_spm *spm, const struct ffm_caller *caller, uint32_t sid)
{
    struct ffm_args args = { .n = 1, .v = { sid } };
    struct ffm_ret ret;
    int service;

    if (ffm_gate_client(spm, caller, FFM_API_VERSION, &args, &ret)) {
        return ret;
    }
    service = ffm_find_sid(spm, sid);
    if (service < 0 || !ffm_authorised(spm, caller, (uint16_t)service)) {
        /* ffm-rule: VER-01, VER-02, VER-03, VER-05 */
        return ffm_ret_value(PSA_VERSION_NONE); /* VER-01, VER-02, VER-03, VER-05 */
    }
    /* ffm-rule: VER-04 */
    return ffm_ret_value(ffm_svc(spm, (uint16_t)service)->version); /* VER-04 */
}
