/*
 * handle.h - the handle codec: stateless handles (ffm-rules.md §3, the seed's Table 42) and the
 * simulator's connection and message handles (§4). Pure functions: no I/O, no allocation, no
 * state, so the same code runs in the simulator, the fuzzers and on a Cortex-M33.
 *
 * Stateless handle, encoded by the manifest tool (HDL-02) and decoded by the SPM (HDL-03):
 *
 *   31 30 29                       16 15            8 7     5 4         0
 *  +--+--+---------------------------+---------------+-------+-----------+
 *  | 0| 1|   reserved, must be 0     |   version     |  res  |   index   |
 *  +--+--+---------------------------+---------------+-------+-----------+
 *   |  `- stateless indicator                         `- must be 0 (HDL-05)
 *   `- sign bit: a handle with bit 31 set is never valid (HDL-04)
 *
 * Connection and message handles (simulator encoding, §4): always positive, bit 30 clear, so
 * they can never be mistaken for a stateless handle; the tag separates the two kinds and the
 * generation makes stale and forged values detectable.
 *
 *   31 30 29        24 23         16 15                            0
 *  +--+--+------------+-------------+-------------------------------+
 *  | 0| 0|  tag (6)   |  slot (8)   |       generation (16)         |
 *  +--+--+------------+-------------+-------------------------------+
 *           0x3C = connection, 0x3D = message
 *
 * Why an opaque, generation-checked value rather than an index or a pointer: a handle must not
 * reveal secure addresses, and a client must not be able to guess a live handle of another
 * client or reuse its own after psa_close().
 */
#ifndef FFM_HANDLE_H
#define FFM_HANDLE_H

#include <stdbool.h>
#include <stdint.h>

#include "psa/client.h"
#include "ffm_rules.h"

/* Checking profile, chosen at boot (ffm-rules.md §1, §5.5). */
enum ffm_profile {
    FFM_PROFILE_SPEC = 0, /* this project's specification: the default */
    FFM_PROFILE_TFM = 1,  /* TF-M's observable differences */
};

#define FFM_SL_INDICATOR (0x40000000u)
#define FFM_SL_SIGN_BIT (0x80000000u)
#define FFM_SL_RESERVED_MASK (0x3FFF00E0u)
#define FFM_SL_VERSION_SHIFT (8u)
#define FFM_SL_VERSION_MASK (0xFFu)
#define FFM_SL_INDEX_MASK (0x1Fu)
#define FFM_SL_SLOTS (32u)

#define FFM_HANDLE_TAG_CONNECTION (0x3Cu)
#define FFM_HANDLE_TAG_MESSAGE (0x3Du)
#define FFM_HANDLE_TAG_SHIFT (24u)
#define FFM_HANDLE_SLOT_SHIFT (16u)
#define FFM_HANDLE_GEN_MASK (0xFFFFu)
#define FFM_HANDLE_MAX (0x3FFFFFFF)

/* ffm-rule: HDL-01 */
/* What a psa_handle_t is, before any lookup (HDL-01). */
enum ffm_handle_class {
    FFM_HANDLE_NULL,       /* 0 */
    FFM_HANDLE_NEGATIVE,   /* < 0 and not stateless in the active profile */
    FFM_HANDLE_STATELESS,  /* bit 30 set (spec: and bit 31 clear) */
    FFM_HANDLE_CONNECTION, /* any other positive value: connection or message class */
};

/* A decoded stateless handle (HDL-03). */
struct ffm_sl_handle {
    uint8_t index;   /* 0..31: slot in the stateless table */
    uint8_t version; /* requested version, 8 bits (HDL-07) */
};

/* A decoded connection-class handle: fields only, no claim that it is live. */
struct ffm_conn_fields {
    uint8_t tag;
    uint8_t slot;
    uint16_t gen;
};

/* HDL-02: encode (index, version); only the low 5 bits of index and 8 bits of version count. */
psa_handle_t ffm_sl_encode(uint32_t index, uint32_t version);

/* HDL-03: the index and version fields, whatever the other bits hold. */
struct ffm_sl_handle ffm_sl_decode(psa_handle_t handle);

/*
 * HDL-01: classify. In the tfm profile a negative value with bit 30 set is stateless (TF-M only
 * tests bit 30); in the spec profile every negative value is FFM_HANDLE_NEGATIVE (HDL-04).
 */
enum ffm_handle_class ffm_handle_classify(psa_handle_t handle, enum ffm_profile profile);

/*
 * Validate the reserved bits of a handle classified as stateless: FFM_RULE_NONE when it is well
 * formed, FFM_RULE_HDL_04 (sign bit) or FFM_RULE_HDL_05 (bits 0x3FFF00E0) in the spec profile.
 * The tfm profile ignores reserved bits and always returns FFM_RULE_NONE.
 */
enum ffm_rule ffm_sl_validate(psa_handle_t handle, enum ffm_profile profile);

/* True when handle is exactly a spec-valid stateless encoding (equals encode(decode(h))). */
bool ffm_sl_is_canonical(psa_handle_t handle);

/* §4: build a connection-class handle from its fields; always positive, bit 30 clear. */
psa_handle_t ffm_conn_handle_make(uint8_t tag, uint8_t slot, uint16_t gen);

/* §4: split a connection-class handle into its fields; false if it is not one (<= 0, bit 30). */
bool ffm_conn_handle_fields(psa_handle_t handle, struct ffm_conn_fields *fields);

#endif /* FFM_HANDLE_H */
