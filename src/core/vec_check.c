/*
 * vec_check.c - memory checks: the psa_call vector checks in their documented order
 * (CALL-14, 15, 16, 18, 17, 19; MEM-06..12) and the range check every buffer goes through
 * (NULL with len > 0 and wrap-around here, MEM-07/08; everything else asked of the port).
 *
 * The descriptors are copied into SPM memory once, right after the arrays themselves were
 * checked, and only the copies are used afterwards (MEM-12: no double fetch).
 */
#include "core_internal.h"

static bool range_wraps(const void *base, size_t len)
{
    return (uintptr_t)base + len < (uintptr_t)base;
}

enum ffm_mem_verdict ffm_mem_range(struct ffm_spm *spm, const struct ffm_caller *caller,
                                   const void *base, size_t len, enum ffm_mem_access access)
{
    assert(len > 0u);
    if (base == NULL || range_wraps(base, len)) {
        return FFM_MEM_UNMAPPED; /* MEM-07, MEM-08 */
    }
    return ffm_port_mem_check(spm->port_ctx, caller, base, len, access);
}

const char *ffm_mem_verdict_name(enum ffm_mem_verdict verdict)
{
    switch (verdict) {
    case FFM_MEM_OK:
        return "accessible";
    case FFM_MEM_UNMAPPED:
        return "unmapped";
    case FFM_MEM_SECURE_FOR_NS:
        return "secure memory named by an NS caller";
    case FFM_MEM_NOT_WRITABLE:
        return "not writable";
    case FFM_MEM_NOT_READABLE:
        return "not readable";
    case FFM_MEM_OUT_OF_REACH:
        return "beyond the caller's isolation reach";
    }
    return "?";
}

const char *ffm_mem_why(enum ffm_mem_verdict verdict, const void *base, size_t len)
{
    if (base == NULL) {
        return "NULL base with a non-zero length";
    }
    if (range_wraps(base, len)) {
        return "range wraps around the address space";
    }
    return ffm_mem_verdict_name(verdict);
}

/* CALL-14 / CALL-15: the descriptor arrays themselves. */
static enum ffm_rule check_arrays(struct ffm_spm *spm, const struct ffm_caller *caller,
                                  const psa_invec *in_vec, size_t in_len, psa_outvec *out_vec,
                                  size_t out_len, char *why, size_t cap)
{
    enum ffm_mem_verdict v;

    if (in_len > 0u) {
        v = ffm_mem_range(spm, caller, in_vec, in_len * sizeof(psa_invec), FFM_MEM_READ);
        if (v != FFM_MEM_OK) {
            ffm_fmt(why, cap, "in_vec array %p (%zu entries): %s", (const void *)in_vec, in_len,
                    ffm_mem_why(v, in_vec, in_len * sizeof(psa_invec)));
            return FFM_RULE_CALL_14;
        }
    }
    if (out_len > 0u) {
        v = ffm_mem_range(spm, caller, out_vec, out_len * sizeof(psa_outvec), FFM_MEM_READ_WRITE);
        if (v != FFM_MEM_OK) {
            ffm_fmt(why, cap, "out_vec array %p (%zu entries): %s", (void *)out_vec, out_len,
                    ffm_mem_why(v, out_vec, out_len * sizeof(psa_outvec)));
            return FFM_RULE_CALL_15;
        }
    }
    return FFM_RULE_NONE;
}

/* CALL-16 then CALL-18: every invec with len > 0 is in range and readable. */
static enum ffm_rule check_invecs(struct ffm_spm *spm, const struct ffm_caller *caller,
                                  const psa_invec *in, size_t in_len, char *why, size_t cap)
{
    for (size_t i = 0; i < in_len; i++) {
        if (in[i].len > 0u && range_wraps(in[i].base, in[i].len)) {
            ffm_fmt(why, cap, "in_vec[%zu] base %p len %zu wraps around", i, in[i].base,
                    in[i].len);
            return FFM_RULE_CALL_16;
        }
    }
    for (size_t i = 0; i < in_len; i++) {
        if (in[i].len == 0u) {
            continue; /* MEM-07: never checked or dereferenced */
        }
        enum ffm_mem_verdict v = ffm_mem_range(spm, caller, in[i].base, in[i].len, FFM_MEM_READ);
        if (v != FFM_MEM_OK) {
            ffm_fmt(why, cap, "in_vec[%zu] base %p len %zu: %s", i, in[i].base, in[i].len,
                    ffm_mem_why(v, in[i].base, in[i].len));
            return FFM_RULE_CALL_18;
        }
    }
    return FFM_RULE_NONE;
}

static bool ranges_overlap(const psa_invec *a, const psa_invec *b)
{
    uintptr_t a0 = (uintptr_t)a->base, b0 = (uintptr_t)b->base;

    return a0 < b0 + b->len && b0 < a0 + a->len;
}

/* §5.5 tfm CALL-17: a zero-length invec whose base lies inside another invec also counts. */
static bool tfm_zero_inside(const psa_invec *zero, const psa_invec *other)
{
    uintptr_t z = (uintptr_t)zero->base, o = (uintptr_t)other->base;

    return zero->len == 0u && other->len > 0u && z >= o && z < o + other->len;
}

/* ffm-rule: MEM-11 */
/* CALL-17 (MEM-11): two invecs with len > 0 must not overlap. */
static enum ffm_rule check_overlap(const struct ffm_spm *spm, const psa_invec *in, size_t in_len,
                                   char *why, size_t cap)
{
    for (size_t i = 0; i < in_len; i++) {
        for (size_t j = 0; j < in_len; j++) {
            bool both = i < j && in[i].len > 0u && in[j].len > 0u && ranges_overlap(&in[i], &in[j]);
            bool tfm = ffm_is_tfm(spm) && i != j && tfm_zero_inside(&in[i], &in[j]);
            if (both || tfm) {
                ffm_fmt(why, cap, "in_vec[%zu] (%p, %zu) overlaps in_vec[%zu] (%p, %zu)", i,
                        in[i].base, in[i].len, j, in[j].base, in[j].len);
                return FFM_RULE_CALL_17;
            }
        }
    }
    return FFM_RULE_NONE;
}

/* CALL-19: every outvec with len > 0 is writable (wrap and NULL included). */
static enum ffm_rule check_outvecs(struct ffm_spm *spm, const struct ffm_caller *caller,
                                   const psa_outvec *out, size_t out_len, char *why, size_t cap)
{
    for (size_t i = 0; i < out_len; i++) {
        if (out[i].len == 0u) {
            continue;
        }
        enum ffm_mem_verdict v =
            ffm_mem_range(spm, caller, out[i].base, out[i].len, FFM_MEM_READ_WRITE);
        if (v != FFM_MEM_OK) {
            ffm_fmt(why, cap, "out_vec[%zu] base %p len %zu: %s", i, out[i].base, out[i].len,
                    ffm_mem_why(v, out[i].base, out[i].len));
            return FFM_RULE_CALL_19;
        }
    }
    return FFM_RULE_NONE;
}

enum ffm_rule ffm_vec_check(struct ffm_spm *spm, const struct ffm_caller *caller,
                            const psa_invec *in_vec, size_t in_len, psa_outvec *out_vec,
                            size_t out_len, psa_invec *in_copy, psa_outvec *out_copy,
                            char *why, size_t why_cap)
{
    enum ffm_rule rule = check_arrays(spm, caller, in_vec, in_len, out_vec, out_len, why, why_cap);

    if (rule != FFM_RULE_NONE) {
        return rule;
    }
    for (size_t i = 0; i < in_len; i++) {
        /* ffm-rule: MEM-12 */
        in_copy[i] = in_vec[i]; /* MEM-12: the only read of the client's descriptors */
    }
    for (size_t i = 0; i < out_len; i++) {
        out_copy[i] = out_vec[i];
    }
    rule = check_invecs(spm, caller, in_copy, in_len, why, why_cap);
    if (rule == FFM_RULE_NONE) {
        rule = check_overlap(spm, in_copy, in_len, why, why_cap);
    }
    if (rule == FFM_RULE_NONE) {
        rule = check_outvecs(spm, caller, out_copy, out_len, why, why_cap);
    }
    return rule;
}
