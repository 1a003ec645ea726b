/*
 * handle.c - the handle codec (see handle.h for the bit layouts and the rules they implement).
 */
#include "handle.h"

/* ffm-rule: HDL-02 */
psa_handle_t ffm_sl_encode(uint32_t index, uint32_t version)
{
    uint32_t raw = FFM_SL_INDICATOR | ((version & FFM_SL_VERSION_MASK) << FFM_SL_VERSION_SHIFT) |
                   (index & FFM_SL_INDEX_MASK);
    return (psa_handle_t)raw;
}

/* ffm-rule: HDL-03 */
struct ffm_sl_handle ffm_sl_decode(psa_handle_t handle)
{
    uint32_t raw = (uint32_t)handle;
    struct ffm_sl_handle sl = {
        .index = (uint8_t)(raw & FFM_SL_INDEX_MASK),
        .version = (uint8_t)((raw >> FFM_SL_VERSION_SHIFT) & FFM_SL_VERSION_MASK),
    };
    return sl;
}

/* ffm-rule: HDL-01 */
enum ffm_handle_class ffm_handle_classify(psa_handle_t handle, enum ffm_profile profile)
{
    uint32_t raw = (uint32_t)handle;

    if (handle == PSA_NULL_HANDLE) {
        return FFM_HANDLE_NULL;
    }
    if ((raw & FFM_SL_INDICATOR) != 0u && (handle > 0 || profile == FFM_PROFILE_TFM)) {
        return FFM_HANDLE_STATELESS;
    }
    if (handle < 0) {
        return FFM_HANDLE_NEGATIVE;
    }
    return FFM_HANDLE_CONNECTION;
}

enum ffm_rule ffm_sl_validate(psa_handle_t handle, enum ffm_profile profile)
{
    uint32_t raw = (uint32_t)handle;

    if (profile == FFM_PROFILE_TFM) {
        return FFM_RULE_NONE;
    }
    if ((raw & FFM_SL_SIGN_BIT) != 0u) {
        return FFM_RULE_HDL_04;
    }
    if ((raw & FFM_SL_RESERVED_MASK) != 0u) {
        return FFM_RULE_HDL_05;
    }
    return FFM_RULE_NONE;
}

bool ffm_sl_is_canonical(psa_handle_t handle)
{
    return ffm_handle_classify(handle, FFM_PROFILE_SPEC) == FFM_HANDLE_STATELESS &&
           ffm_sl_validate(handle, FFM_PROFILE_SPEC) == FFM_RULE_NONE;
}

psa_handle_t ffm_conn_handle_make(uint8_t tag, uint8_t slot, uint16_t gen)
{
    uint32_t raw = ((uint32_t)(tag & 0x3Fu) << FFM_HANDLE_TAG_SHIFT) |
                   ((uint32_t)slot << FFM_HANDLE_SLOT_SHIFT) | gen;
    return (psa_handle_t)raw;
}

bool ffm_conn_handle_fields(psa_handle_t handle, struct ffm_conn_fields *fields)
{
    uint32_t raw = (uint32_t)handle;

    if (handle <= 0 || (raw & FFM_SL_INDICATOR) != 0u) {
        return false;
    }
    fields->tag = (uint8_t)(raw >> FFM_HANDLE_TAG_SHIFT);
    fields->slot = (uint8_t)(raw >> FFM_HANDLE_SLOT_SHIFT);
    fields->gen = (uint16_t)(raw & FFM_HANDLE_GEN_MASK);
    return true;
}
