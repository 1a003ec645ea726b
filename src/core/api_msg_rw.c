/*
 * api_msg_rw.c - psa_read, psa_skip, psa_write (READ-01..08, SKIP-01..06, WRITE-01..09) and
 * psa_set_rhandle (RH-01..04). The SPM copies on the service's behalf; only the service-side
 * buffer is checked here, the client side was checked by psa_call (MEM-13).
 */
#include "core_internal.h"

struct rw_rules {
    enum ffm_rule bad_handle, not_request, bad_index;
};

static const struct rw_rules read_rules = { FFM_RULE_READ_01, FFM_RULE_READ_02, FFM_RULE_READ_03 };
static const struct rw_rules skip_rules = { FFM_RULE_SKIP_01, FFM_RULE_SKIP_02, FFM_RULE_SKIP_03 };
static const struct rw_rules write_rules = { FFM_RULE_WRITE_01, FFM_RULE_WRITE_02,
                                             FFM_RULE_WRITE_03 };

/* Ord 1-3 shared by read, skip and write: handle, message kind, index. */
static bool rw_vrfy(struct ffm_spm *spm, const struct ffm_caller *caller, enum ffm_api api,
                    const struct rw_rules *rules, const struct ffm_args *args,
                    psa_handle_t handle, uint32_t idx, uint8_t *slot, struct ffm_ret *ret)
{
    const char *why;

    if (ffm_gate_partition(spm, caller, api, args, ret)) {
        return false;
    }
    if (!ffm_msg_resolve(spm, caller, handle, slot, &why)) {
        *ret = ffm_pe(spm, caller, api, rules->bad_handle, args, "message handle %x: %s",
                      (unsigned)handle, why);
        return false;
    }
    return ffm_msg_vec_vrfy(spm, caller, api, rules->not_request, rules->bad_index, args,
                            handle, *slot, idx, ret);
}

static size_t invec_remaining(const struct ffm_msg *msg, uint32_t idx)
{
    size_t len = idx < msg->in_len ? msg->in[idx].len : 0u;

    return len - msg->in_off[idx];
}

/* READ-04 / SKIP-04: an MM-IOVEC invec that was mapped cannot be read or skipped. */
static bool invec_mapped(struct ffm_spm *spm, const struct ffm_caller *caller, enum ffm_api api,
                         enum ffm_rule rule, const struct ffm_args *args, uint8_t slot,
                         uint32_t idx, struct ffm_ret *ret)
{
    if (spm->slot[slot].msg.in_map[idx] == FFM_VEC_NONE) {
        return false;
    }
    *ret = ffm_pe(spm, caller, api, rule, args, "in_vec[%u] was mapped with psa_map_invec",
                  (unsigned)idx);
    return true;
}

struct ffm_ret ffm_psa_read(struct ffm_spm *spm, const struct ffm_caller *caller,
                            psa_handle_t msg_handle, uint32_t invec_idx, void *buffer,
                            size_t num_bytes)
{
    struct ffm_args args = { .n = 4,
                             .v = { msg_handle, invec_idx, (int64_t)(uintptr_t)buffer,
                                    (int64_t)num_bytes } };
    struct ffm_ret ret;
    uint8_t slot;

    if (!rw_vrfy(spm, caller, FFM_API_READ, &read_rules, &args, msg_handle, invec_idx, &slot,
                 &ret) ||
        invec_mapped(spm, caller, FFM_API_READ, FFM_RULE_READ_04, &args, slot, invec_idx, &ret)) {
        return ret;
    }
    struct ffm_msg *msg = &spm->slot[slot].msg;
    size_t remaining = invec_remaining(msg, invec_idx);
    bool skip_check = ffm_is_tfm(spm) && remaining == 0u; /* §5.5 tfm READ-06 */
    if (num_bytes > 0u && !skip_check) {
        /* ffm-rule: MEM-13 */
        enum ffm_mem_verdict v = ffm_mem_range(spm, caller, buffer, num_bytes, FFM_MEM_READ_WRITE);
        if (v != FFM_MEM_OK) {
            return ffm_pe(spm, caller, FFM_API_READ, FFM_RULE_READ_06, &args,
                          "buffer %p (%zu bytes) is not writable: %s", buffer, num_bytes,
                          ffm_mem_why(v, buffer, num_bytes));
        }
    }
    /* ffm-rule: READ-07, READ-08 */
    size_t n = num_bytes < remaining ? num_bytes : remaining; /* READ-07, READ-08 */
    if (n > 0u) {
        ffm_copy_bytes(buffer, (const uint8_t *)msg->in[invec_idx].base + msg->in_off[invec_idx],
                       n);
        msg->in_off[invec_idx] += n;
    }
    msg->in_accessed[invec_idx] = true;
    return ffm_ret_value((int64_t)n);
}

struct ffm_ret ffm_psa_skip(struct ffm_spm *spm, const struct ffm_caller *caller,
                            psa_handle_t msg_handle, uint32_t invec_idx, size_t num_bytes)
{
    struct ffm_args args = { .n = 3, .v = { msg_handle, invec_idx, (int64_t)num_bytes } };
    struct ffm_ret ret;
    uint8_t slot;

    if (!rw_vrfy(spm, caller, FFM_API_SKIP, &skip_rules, &args, msg_handle, invec_idx, &slot,
                 &ret) ||
        invec_mapped(spm, caller, FFM_API_SKIP, FFM_RULE_SKIP_04, &args, slot, invec_idx, &ret)) {
        return ret;
    }
    struct ffm_msg *msg = &spm->slot[slot].msg;
    size_t remaining = invec_remaining(msg, invec_idx);
    /* ffm-rule: SKIP-06 */
    size_t n = num_bytes < remaining ? num_bytes : remaining; /* SKIP-06 */
    msg->in_off[invec_idx] += n;
    msg->in_accessed[invec_idx] = true;
    return ffm_ret_value((int64_t)n);
}

/* WRITE-05, WRITE-07, WRITE-08 (Ord 4-5). */
static bool write_vrfy(struct ffm_spm *spm, const struct ffm_caller *caller,
                       const struct ffm_args *args, const struct ffm_msg *msg, uint32_t idx,
                       const void *buffer, size_t num_bytes, struct ffm_ret *ret)
{
    size_t size = idx < msg->out_len ? msg->out[idx].len : 0u;
    size_t room = size - msg->written[idx];

    if (num_bytes > room) {
        *ret = ffm_pe(spm, caller, FFM_API_WRITE, FFM_RULE_WRITE_05, args,
                      "writing %zu bytes to out_vec[%u] (size %zu, %zu already written)",
                      num_bytes, (unsigned)idx, size, msg->written[idx]);
        return false;
    }
    if (msg->out_map[idx] != FFM_VEC_NONE) {
        *ret = ffm_pe(spm, caller, FFM_API_WRITE, FFM_RULE_WRITE_07, args,
                      "out_vec[%u] was mapped with psa_map_outvec", (unsigned)idx);
        return false;
    }
    if (num_bytes > 0u) {
        /* ffm-rule: MEM-13 */
        enum ffm_mem_verdict v = ffm_mem_range(spm, caller, buffer, num_bytes, FFM_MEM_READ);
        if (v != FFM_MEM_OK) {
            *ret = ffm_pe(spm, caller, FFM_API_WRITE, FFM_RULE_WRITE_08, args,
                          "buffer %p (%zu bytes) is not readable: %s", buffer, num_bytes,
                          ffm_mem_why(v, buffer, num_bytes));
            return false;
        }
    }
    return true;
}

struct ffm_ret ffm_psa_write(struct ffm_spm *spm, const struct ffm_caller *caller,
                             psa_handle_t msg_handle, uint32_t outvec_idx, const void *buffer,
                             size_t num_bytes)
{
    struct ffm_args args = { .n = 4,
                             .v = { msg_handle, outvec_idx, (int64_t)(uintptr_t)buffer,
                                    (int64_t)num_bytes } };
    struct ffm_ret ret;
    uint8_t slot;

    if (!rw_vrfy(spm, caller, FFM_API_WRITE, &write_rules, &args, msg_handle, outvec_idx, &slot,
                 &ret)) {
        return ret;
    }
    struct ffm_msg *msg = &spm->slot[slot].msg;
    if (!write_vrfy(spm, caller, &args, msg, outvec_idx, buffer, num_bytes, &ret)) {
        return ret;
    }
    /* ffm-rule: WRITE-09 */
    if (num_bytes > 0u) { /* WRITE-09: successive writes concatenate */
        ffm_copy_bytes((uint8_t *)msg->out[outvec_idx].base + msg->written[outvec_idx], buffer,
                       num_bytes);
        msg->written[outvec_idx] += num_bytes;
    }
    msg->out_accessed[outvec_idx] = true;
    return ffm_ret_value(0);
}

struct ffm_ret ffm_psa_set_rhandle(struct ffm_spm *spm, const struct ffm_caller *caller,
                                   psa_handle_t msg_handle, void *rhandle)
{
    struct ffm_args args = { .n = 2, .v = { msg_handle, (int64_t)(uintptr_t)rhandle } };
    struct ffm_ret ret;
    const char *why;
    uint8_t slot;

    if (ffm_gate_partition(spm, caller, FFM_API_SET_RHANDLE, &args, &ret)) {
        return ret;
    }
    if (!ffm_msg_resolve(spm, caller, msg_handle, &slot, &why)) {
        return ffm_pe(spm, caller, FFM_API_SET_RHANDLE, FFM_RULE_RH_01, &args,
                      "message handle %x: %s", (unsigned)msg_handle, why);
    }
    if (spm->slot[slot].conn == FFM_CONN_STATELESS) {
        return ffm_pe(spm, caller, FFM_API_SET_RHANDLE, FFM_RULE_RH_02, &args,
                      "message %x is to stateless service %s: it has no connection",
                      (unsigned)msg_handle, ffm_svc(spm, spm->slot[slot].service)->name);
    }
    /* ffm-rule: RH-03 */
    spm->slot[slot].rhandle = rhandle; /* RH-03: later messages carry it */
    return ffm_ret_value(0);
}
