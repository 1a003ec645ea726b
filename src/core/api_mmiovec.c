/*
 * api_mmiovec.c - MM-IOVEC: psa_map_invec, psa_unmap_invec, psa_map_outvec, psa_unmap_outvec
 * (MAPI/UNMAPI/MAPO/UNMAPO-01..09). Each vector goes NONE -> MAPPED -> UNMAPPED and never back
 * (§5.5 tfm: re-mapping after an unmap is accepted). psa_reply unmaps what is still mapped
 * (UNMAPO-08, message.c).
 */
#include "core_internal.h"

/* Rules of one API in Ord 1-4 (shared shape, different IDs). */
struct mm_rules {
    enum ffm_api api;
    enum ffm_rule bad_handle, not_enabled, not_request, bad_index;
};

static const struct mm_rules mapi = { FFM_API_MAP_INVEC, FFM_RULE_MAPI_01, FFM_RULE_MAPI_02,
                                      FFM_RULE_MAPI_03, FFM_RULE_MAPI_04 };
static const struct mm_rules unmapi = { FFM_API_UNMAP_INVEC, FFM_RULE_UNMAPI_01,
                                        FFM_RULE_UNMAPI_02, FFM_RULE_UNMAPI_03,
                                        FFM_RULE_UNMAPI_04 };
static const struct mm_rules mapo = { FFM_API_MAP_OUTVEC, FFM_RULE_MAPO_01, FFM_RULE_MAPO_02,
                                      FFM_RULE_MAPO_03, FFM_RULE_MAPO_04 };
static const struct mm_rules unmapo = { FFM_API_UNMAP_OUTVEC, FFM_RULE_UNMAPO_01,
                                        FFM_RULE_UNMAPO_02, FFM_RULE_UNMAPO_03,
                                        FFM_RULE_UNMAPO_04 };

static bool mm_vrfy(struct ffm_spm *spm, const struct ffm_caller *caller,
                    const struct mm_rules *r, const struct ffm_args *args, psa_handle_t handle,
                    uint32_t idx, uint8_t *slot, struct ffm_ret *ret)
{
    const char *why;

    if (ffm_gate_partition(spm, caller, r->api, args, ret)) {
        return false;
    }
    if (!ffm_msg_resolve(spm, caller, handle, slot, &why)) {
        *ret = ffm_pe(spm, caller, r->api, r->bad_handle, args, "message handle %x: %s",
                      (unsigned)handle, why);
        return false;
    }
    const struct ffm_service_desc *svc = ffm_svc(spm, spm->slot[*slot].service);
    if (!svc->mm_iovec) {
        *ret = ffm_pe(spm, caller, r->api, r->not_enabled, args,
                      "service %s does not have mm_iovec: enable", svc->name);
        return false;
    }
    return ffm_msg_vec_vrfy(spm, caller, r->api, r->not_request, r->bad_index, args,
                            handle, *slot, idx, ret);
}

/* MAPI-06 / MAPO-06: already MAPPED, or UNMAPPED (tfm: re-map after unmap accepted). */
static bool already_mapped(const struct ffm_spm *spm, uint8_t state)
{
    return state == FFM_VEC_MAPPED || (state == FFM_VEC_UNMAPPED && !ffm_is_tfm(spm));
}

struct ffm_ret ffm_psa_map_invec(struct ffm_spm *spm, const struct ffm_caller *caller,
                                 psa_handle_t msg_handle, uint32_t invec_idx)
{
    struct ffm_args args = { .n = 2, .v = { msg_handle, invec_idx } };
    struct ffm_ret ret;
    uint8_t slot;

    if (!mm_vrfy(spm, caller, &mapi, &args, msg_handle, invec_idx, &slot, &ret)) {
        return ret;
    }
    struct ffm_msg *msg = &spm->slot[slot].msg;
    size_t size = invec_idx < msg->in_len ? msg->in[invec_idx].len : 0u;
    if (size == 0u) {
        return ffm_pe(spm, caller, FFM_API_MAP_INVEC, FFM_RULE_MAPI_05, &args,
                      "in_vec[%u] is absent or empty", (unsigned)invec_idx);
    }
    if (already_mapped(spm, msg->in_map[invec_idx])) {
        return ffm_pe(spm, caller, FFM_API_MAP_INVEC, FFM_RULE_MAPI_06, &args,
                      "in_vec[%u] was already mapped", (unsigned)invec_idx);
    }
    if (msg->in_accessed[invec_idx]) {
        return ffm_pe(spm, caller, FFM_API_MAP_INVEC, FFM_RULE_MAPI_07, &args,
                      "in_vec[%u] was already accessed by psa_read or psa_skip",
                      (unsigned)invec_idx);
    }
    enum ffm_mem_verdict v = ffm_mem_range(spm, caller, msg->in[invec_idx].base, size,
                                           FFM_MEM_READ);
    if (v != FFM_MEM_OK) {
        return ffm_pe(spm, caller, FFM_API_MAP_INVEC, FFM_RULE_MAPI_08, &args,
                      "in_vec[%u] (%p, %zu) is not readable by the service: %s",
                      (unsigned)invec_idx, msg->in[invec_idx].base, size,
                      ffm_mem_verdict_name(v));
    }
    /* ffm-rule: MAPI-09 */
    msg->in_map[invec_idx] = FFM_VEC_MAPPED; /* MAPI-09 */
    ret = ffm_ret_value(0);
    ret.ptr = msg->in[invec_idx].base;
    return ret;
}

struct ffm_ret ffm_psa_unmap_invec(struct ffm_spm *spm, const struct ffm_caller *caller,
                                   psa_handle_t msg_handle, uint32_t invec_idx)
{
    struct ffm_args args = { .n = 2, .v = { msg_handle, invec_idx } };
    struct ffm_ret ret;
    uint8_t slot;

    if (!mm_vrfy(spm, caller, &unmapi, &args, msg_handle, invec_idx, &slot, &ret)) {
        return ret;
    }
    uint8_t *state = &spm->slot[slot].msg.in_map[invec_idx];
    if (*state == FFM_VEC_NONE) {
        return ffm_pe(spm, caller, FFM_API_UNMAP_INVEC, FFM_RULE_UNMAPI_05, &args,
                      "in_vec[%u] was never mapped", (unsigned)invec_idx);
    }
    if (*state == FFM_VEC_UNMAPPED) {
        return ffm_pe(spm, caller, FFM_API_UNMAP_INVEC, FFM_RULE_UNMAPI_06, &args,
                      "in_vec[%u] was already unmapped", (unsigned)invec_idx);
    }
    *state = FFM_VEC_UNMAPPED;
    return ffm_ret_value(0);
}

struct ffm_ret ffm_psa_map_outvec(struct ffm_spm *spm, const struct ffm_caller *caller,
                                  psa_handle_t msg_handle, uint32_t outvec_idx)
{
    struct ffm_args args = { .n = 2, .v = { msg_handle, outvec_idx } };
    struct ffm_ret ret;
    uint8_t slot;

    if (!mm_vrfy(spm, caller, &mapo, &args, msg_handle, outvec_idx, &slot, &ret)) {
        return ret;
    }
    struct ffm_msg *msg = &spm->slot[slot].msg;
    size_t size = outvec_idx < msg->out_len ? msg->out[outvec_idx].len : 0u;
    if (size == 0u) {
        return ffm_pe(spm, caller, FFM_API_MAP_OUTVEC, FFM_RULE_MAPO_05, &args,
                      "out_vec[%u] is absent or empty", (unsigned)outvec_idx);
    }
    if (already_mapped(spm, msg->out_map[outvec_idx])) {
        return ffm_pe(spm, caller, FFM_API_MAP_OUTVEC, FFM_RULE_MAPO_06, &args,
                      "out_vec[%u] was already mapped", (unsigned)outvec_idx);
    }
    if (msg->out_accessed[outvec_idx]) {
        return ffm_pe(spm, caller, FFM_API_MAP_OUTVEC, FFM_RULE_MAPO_07, &args,
                      "out_vec[%u] was already written by psa_write", (unsigned)outvec_idx);
    }
    enum ffm_mem_verdict v = ffm_mem_range(spm, caller, msg->out[outvec_idx].base, size,
                                           FFM_MEM_READ_WRITE);
    if (v != FFM_MEM_OK) {
        return ffm_pe(spm, caller, FFM_API_MAP_OUTVEC, FFM_RULE_MAPO_08, &args,
                      "out_vec[%u] (%p, %zu) is not writable by the service: %s",
                      (unsigned)outvec_idx, msg->out[outvec_idx].base, size,
                      ffm_mem_verdict_name(v));
    }
    /* ffm-rule: MAPO-09 */
    msg->out_map[outvec_idx] = FFM_VEC_MAPPED; /* MAPO-09 */
    ret = ffm_ret_value(0);
    ret.ptr = msg->out[outvec_idx].base;
    return ret;
}

struct ffm_ret ffm_psa_unmap_outvec(struct ffm_spm *spm, const struct ffm_caller *caller,
                                    psa_handle_t msg_handle, uint32_t outvec_idx, size_t len)
{
    struct ffm_args args = { .n = 3, .v = { msg_handle, outvec_idx, (int64_t)len } };
    struct ffm_ret ret;
    uint8_t slot;

    if (!mm_vrfy(spm, caller, &unmapo, &args, msg_handle, outvec_idx, &slot, &ret)) {
        return ret;
    }
    struct ffm_msg *msg = &spm->slot[slot].msg;
    size_t size = outvec_idx < msg->out_len ? msg->out[outvec_idx].len : 0u;
    if (len > size) {
        return ffm_pe(spm, caller, FFM_API_UNMAP_OUTVEC, FFM_RULE_UNMAPO_05, &args,
                      "len %zu > out_size %zu of out_vec[%u]", len, size, (unsigned)outvec_idx);
    }
    if (msg->out_map[outvec_idx] == FFM_VEC_NONE) {
        return ffm_pe(spm, caller, FFM_API_UNMAP_OUTVEC, FFM_RULE_UNMAPO_06, &args,
                      "out_vec[%u] was never mapped", (unsigned)outvec_idx);
    }
    if (msg->out_map[outvec_idx] == FFM_VEC_UNMAPPED) {
        return ffm_pe(spm, caller, FFM_API_UNMAP_OUTVEC, FFM_RULE_UNMAPO_07, &args,
                      "out_vec[%u] was already unmapped", (unsigned)outvec_idx);
    }
    msg->out_map[outvec_idx] = FFM_VEC_UNMAPPED;
    /* ffm-rule: UNMAPO-09 */
    msg->written[outvec_idx] = len; /* UNMAPO-09 */
    return ffm_ret_value(0);
}
