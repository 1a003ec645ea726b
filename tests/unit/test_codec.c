/*
 * test_codec.c - the handle codec (ffm-rules.md §3, §4: HDL-01..05, HDL-07, HDL-11..14, HDL-20)
 * and the connection pool's handle minting.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "handle.h"
#include "pool.h"

/* HDL-02, HDL-03: all 32 x 256 (index, version) pairs round-trip. */
static void test_all_pairs_round_trip(void **state)
{
    (void)state;
    for (uint32_t index = 0; index < 32; index++) {
        for (uint32_t version = 0; version < 256; version++) {
            psa_handle_t h = ffm_sl_encode(index, version);
            struct ffm_sl_handle sl = ffm_sl_decode(h);
            assert_int_equal(sl.index, index);
            assert_int_equal(sl.version, version);
            assert_int_equal(ffm_handle_classify(h, FFM_PROFILE_SPEC), FFM_HANDLE_STATELESS);
            assert_int_equal(ffm_sl_validate(h, FFM_PROFILE_SPEC), FFM_RULE_NONE);
            assert_true(ffm_sl_is_canonical(h));
            assert_int_equal((uint32_t)h & 0xFFFF00E0u, 0x40000000u);
        }
    }
}

/* HDL-07: only the low 8 bits of the version and 5 bits of the index are encoded. */
static void test_encode_masks_fields(void **state)
{
    (void)state;
    assert_int_equal(ffm_sl_encode(3, 0x1ff), 0x4000ff03);
    assert_int_equal(ffm_sl_encode(32, 1), ffm_sl_encode(0, 1));
}

/* HDL-05: each of the 17 reserved bits (29:16, 7:5), and every pattern of bits 7:5, is a PE in
 * the spec profile and ignored in the tfm profile. */
static void test_reserved_bits(void **state)
{
    (void)state;
    const psa_handle_t base = ffm_sl_encode(0, 1);
    for (unsigned bit = 0; bit < 32; bit++) {
        uint32_t mask = 1u << bit;
        if ((mask & FFM_SL_RESERVED_MASK) == 0u) {
            continue;
        }
        psa_handle_t h = (psa_handle_t)((uint32_t)base | mask);
        assert_int_equal(ffm_handle_classify(h, FFM_PROFILE_SPEC), FFM_HANDLE_STATELESS);
        assert_int_equal(ffm_sl_validate(h, FFM_PROFILE_SPEC), FFM_RULE_HDL_05);
        assert_int_equal(ffm_sl_validate(h, FFM_PROFILE_TFM), FFM_RULE_NONE);
        assert_false(ffm_sl_is_canonical(h));
        struct ffm_sl_handle sl = ffm_sl_decode(h);
        assert_int_equal(sl.index, 0);
        assert_int_equal(sl.version, 1);
    }
    for (uint32_t pattern = 1; pattern < 8; pattern++) {
        psa_handle_t h = (psa_handle_t)((uint32_t)base | (pattern << 5));
        assert_int_equal(ffm_sl_validate(h, FFM_PROFILE_SPEC), FFM_RULE_HDL_05);
        assert_int_equal(ffm_sl_validate(h, FFM_PROFILE_TFM), FFM_RULE_NONE);
    }
    /* All reserved bits at once, and bits 29:16 all set. */
    psa_handle_t all = (psa_handle_t)((uint32_t)base | FFM_SL_RESERVED_MASK);
    assert_int_equal(ffm_sl_validate(all, FFM_PROFILE_SPEC), FFM_RULE_HDL_05);
    assert_int_equal(ffm_sl_validate(all, FFM_PROFILE_TFM), FFM_RULE_NONE);
}

/* HDL-05, exhaustively: all 2^17 - 1 non-zero patterns of the reserved bits, on an arbitrary
 * canonical handle, are a PE in the spec profile and ignored (same index and version) in tfm. */
static void test_every_reserved_pattern(void **state)
{
    (void)state;
    const psa_handle_t base = ffm_sl_encode(17, 0xA5);
    for (uint32_t p = 1; p < (1u << 17); p++) {
        uint32_t reserved = ((p >> 3) << 16) | ((p & 7u) << 5);
        assert_int_equal(reserved & ~FFM_SL_RESERVED_MASK, 0u);
        psa_handle_t h = (psa_handle_t)((uint32_t)base | reserved);
        if (ffm_sl_validate(h, FFM_PROFILE_SPEC) != FFM_RULE_HDL_05 ||
            ffm_sl_validate(h, FFM_PROFILE_TFM) != FFM_RULE_NONE ||
            ffm_sl_decode(h).index != 17 || ffm_sl_decode(h).version != 0xA5) {
            fail_msg("reserved pattern 0x%08x not handled", (unsigned)reserved);
        }
    }
}

/* HDL-04: the sign bit makes a handle invalid in the spec profile, even with bit 30 set; the
 * tfm profile only looks at bit 30. */
static void test_sign_bit(void **state)
{
    (void)state;
    psa_handle_t h = (psa_handle_t)0xC0000100u;
    assert_int_equal(ffm_handle_classify(h, FFM_PROFILE_SPEC), FFM_HANDLE_NEGATIVE);
    assert_int_equal(ffm_sl_validate(h, FFM_PROFILE_SPEC), FFM_RULE_HDL_04);
    assert_int_equal(ffm_handle_classify(h, FFM_PROFILE_TFM), FFM_HANDLE_STATELESS);
    assert_int_equal(ffm_sl_validate(h, FFM_PROFILE_TFM), FFM_RULE_NONE);
    assert_int_equal(ffm_sl_decode(h).index, 0);
    assert_int_equal(ffm_sl_decode(h).version, 1);
    /* Negative without bit 30 is negative in both profiles. */
    assert_int_equal(ffm_handle_classify((psa_handle_t)0x80000100u, FFM_PROFILE_TFM),
                     FFM_HANDLE_NEGATIVE);
    assert_int_equal(ffm_handle_classify(-1, FFM_PROFILE_SPEC), FFM_HANDLE_NEGATIVE);
}

/* HDL-01 and the worked examples of ffm-rules.md §3 at codec level. */
static void test_worked_examples(void **state)
{
    (void)state;
    assert_int_equal(ffm_sl_encode(0, 1), 0x40000100);
    assert_int_equal(ffm_sl_encode(29, 1), 0x4000011d);
    assert_int_equal(ffm_sl_encode(0, 2), 0x40000200);

    assert_int_equal(ffm_handle_classify(0x1234DEAD, FFM_PROFILE_SPEC), FFM_HANDLE_CONNECTION);
    assert_false(ffm_sl_is_canonical(0x1234DEAD));
    assert_int_equal(ffm_handle_classify(0, FFM_PROFILE_SPEC), FFM_HANDLE_NULL);
    assert_int_equal(ffm_handle_classify(0, FFM_PROFILE_TFM), FFM_HANDLE_NULL);
    assert_false(ffm_sl_is_canonical(0));

    assert_int_equal(ffm_sl_validate(0x40000120, FFM_PROFILE_SPEC), FFM_RULE_HDL_05);
    assert_int_equal(ffm_sl_validate(0x40000120, FFM_PROFILE_TFM), FFM_RULE_NONE);
    assert_int_equal(ffm_sl_decode(0x40000120).index, 0);

    struct ffm_sl_handle sl = ffm_sl_decode(0x4000ff03);
    assert_int_equal(sl.index, 3);
    assert_int_equal(sl.version, 0xFF);
    sl = ffm_sl_decode(0x4000011d);
    assert_int_equal(sl.index, 29);
    assert_int_equal(sl.version, 1);
    /* 0x40000000: index 0, version 0 - well formed; CALL-05 rejects version 0 later. */
    assert_int_equal(ffm_sl_validate(0x40000000, FFM_PROFILE_SPEC), FFM_RULE_NONE);
    assert_int_equal(ffm_sl_decode(0x40000000).version, 0);
}

/* xorshift32: deterministic, so a failure reproduces. */
static uint32_t next_random(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *s = x;
    return x;
}

static void check_canonical_iff_round_trip(psa_handle_t h)
{
    struct ffm_sl_handle sl = ffm_sl_decode(h);
    bool valid = ffm_handle_classify(h, FFM_PROFILE_SPEC) == FFM_HANDLE_STATELESS &&
                 ffm_sl_validate(h, FFM_PROFILE_SPEC) == FFM_RULE_NONE;
    bool round_trips = ffm_sl_encode(sl.index, sl.version) == h;
    if (valid != round_trips) {
        fail_msg("0x%08x: valid=%d round_trips=%d", (unsigned)h, valid, round_trips);
    }
}

/* "decodes as valid stateless <=> equals encode(decode(h))" over 2^21 random values, half of
 * them biased towards bit 30 set so that both sides of the equivalence are exercised. */
static void test_random_sample(void **state)
{
    (void)state;
    uint32_t seed = 0x2545F491u;
    unsigned valid = 0;
    for (unsigned i = 0; i < (1u << 21); i++) {
        uint32_t raw = next_random(&seed);
        if ((i & 1u) != 0u) {
            /* Keep a few random reserved bits so that ~1/8 of these are canonical. */
            raw = (raw & ~0xC0000000u) | 0x40000000u;
            if ((i & 6u) == 0u) {
                raw &= ~FFM_SL_RESERVED_MASK;
            }
        }
        check_canonical_iff_round_trip((psa_handle_t)raw);
        valid += ffm_sl_is_canonical((psa_handle_t)raw) ? 1u : 0u;
    }
    assert_true(valid > 100000u);
}

/* §4: connection handles are positive, <= 0x3FFFFFFF, bit 30 clear, and carry the tag. */
static void test_conn_handle_fields(void **state)
{
    (void)state;
    psa_handle_t h = ffm_conn_handle_make(FFM_HANDLE_TAG_CONNECTION, 254, 0xFFFF);
    assert_true(h > 0);
    assert_true(h <= FFM_HANDLE_MAX);
    assert_int_equal((uint32_t)h & FFM_SL_INDICATOR, 0);
    assert_int_equal(ffm_handle_classify(h, FFM_PROFILE_SPEC), FFM_HANDLE_CONNECTION);
    struct ffm_conn_fields f;
    assert_true(ffm_conn_handle_fields(h, &f));
    assert_int_equal(f.tag, FFM_HANDLE_TAG_CONNECTION);
    assert_int_equal(f.slot, 254);
    assert_int_equal(f.gen, 0xFFFF);
    assert_false(ffm_conn_handle_fields(0, &f));
    assert_false(ffm_conn_handle_fields(-5, &f));
    assert_false(ffm_conn_handle_fields(0x40000100, &f));
}

/* HDL-12, HDL-14: a freed slot's handle, and the old handle of a reused slot, are rejected. */
static void test_pool_stale_handles(void **state)
{
    (void)state;
    static struct ffm_pool pool;
    uint8_t slot, again, found;
    ffm_pool_init(&pool, 4);
    assert_int_equal(ffm_pool_free_count(&pool), 4);

    assert_true(ffm_pool_alloc(&pool, FFM_SLOT_CONNECTION, -1, &slot));
    psa_handle_t old = ffm_pool_conn_handle(&pool, slot);
    assert_int_equal(ffm_pool_lookup_conn(&pool, old, &found), FFM_POOL_OK);
    assert_int_equal(found, slot);
    ffm_pool_free(&pool, slot);
    assert_int_equal(ffm_pool_lookup_conn(&pool, old, &found), FFM_POOL_FREE_SLOT);

    assert_true(ffm_pool_alloc(&pool, FFM_SLOT_CONNECTION, -1, &again));
    assert_int_equal(again, slot); /* the same slot is reused ... */
    psa_handle_t fresh = ffm_pool_conn_handle(&pool, again);
    assert_int_not_equal(fresh, old); /* ... under a new generation */
    assert_int_equal(ffm_pool_lookup_conn(&pool, old, &found), FFM_POOL_STALE);
    assert_int_equal(ffm_pool_lookup_conn(&pool, fresh, &found), FFM_POOL_OK);

    /* A slot reused by a stateless call never answers to a connection handle. */
    ffm_pool_free(&pool, again);
    assert_true(ffm_pool_alloc(&pool, FFM_SLOT_STATELESS, -1, &again));
    assert_int_equal(ffm_pool_lookup_conn(&pool, fresh, &found), FFM_POOL_STALE);
    psa_handle_t forged = ffm_pool_conn_handle(&pool, again);
    assert_int_equal(ffm_pool_lookup_conn(&pool, forged, &found), FFM_POOL_STATELESS_SLOT);
}

/* A handle forged by flipping any single bit of a live handle is rejected, even when every slot
 * of a full pool is live (the pool-wide generation counter makes generations unique). */
static void test_pool_single_bit_forgery(void **state)
{
    (void)state;
    static struct ffm_pool pool;
    uint8_t slot, found;
    ffm_pool_init(&pool, FFM_POOL_MAX);
    for (unsigned i = 0; i < FFM_POOL_MAX; i++) {
        assert_true(ffm_pool_alloc(&pool, FFM_SLOT_CONNECTION, -1, &slot));
    }
    assert_false(ffm_pool_alloc(&pool, FFM_SLOT_CONNECTION, -1, &slot));
    assert_int_equal(ffm_pool_free_count(&pool), 0);

    for (unsigned s = 0; s < FFM_POOL_MAX; s++) {
        psa_handle_t live = ffm_pool_conn_handle(&pool, (uint8_t)s);
        assert_int_equal(ffm_pool_lookup_conn(&pool, live, &found), FFM_POOL_OK);
        for (unsigned bit = 0; bit < 32; bit++) {
            psa_handle_t forged = (psa_handle_t)((uint32_t)live ^ (1u << bit));
            enum ffm_pool_verdict v = ffm_pool_lookup_conn(&pool, forged, &found);
            if (v == FFM_POOL_OK) {
                fail_msg("slot %u: 0x%08x with bit %u flipped is accepted", s, (unsigned)live,
                         bit);
            }
        }
    }
}

/* HDL-20, HDL-21: each message gets a new handle, distinct from the connection handle; the
 * handle dies when the message ends. */
static void test_pool_message_handles(void **state)
{
    (void)state;
    static struct ffm_pool pool;
    uint8_t slot, found;
    ffm_pool_init(&pool, 2);
    assert_true(ffm_pool_alloc(&pool, FFM_SLOT_CONNECTION, 7, &slot));
    psa_handle_t conn = ffm_pool_conn_handle(&pool, slot);
    psa_handle_t m1 = ffm_pool_msg_begin(&pool, slot);
    assert_true(m1 > 0);
    assert_int_not_equal(m1, conn);
    assert_int_equal(ffm_pool_lookup_msg(&pool, m1, &found), FFM_POOL_OK);
    assert_int_equal(ffm_pool_lookup_msg(&pool, conn, &found), FFM_POOL_BAD_TAG);
    assert_int_equal(ffm_pool_lookup_conn(&pool, m1, &found), FFM_POOL_BAD_TAG);
    ffm_pool_msg_end(&pool, slot);
    assert_int_equal(ffm_pool_lookup_msg(&pool, m1, &found), FFM_POOL_STALE);
    psa_handle_t m2 = ffm_pool_msg_begin(&pool, slot);
    assert_int_not_equal(m2, m1);
    assert_int_equal(ffm_pool_lookup_msg(&pool, m1, &found), FFM_POOL_STALE);
    assert_int_equal(ffm_pool_lookup_msg(&pool, m2, &found), FFM_POOL_OK);
    for (unsigned bit = 0; bit < 32; bit++) {
        psa_handle_t forged = (psa_handle_t)((uint32_t)m2 ^ (1u << bit));
        assert_int_not_equal(ffm_pool_lookup_msg(&pool, forged, &found), FFM_POOL_OK);
    }
    /* Slot out of range, and a reset pool (HDL-22) forgets everything. */
    assert_int_equal(ffm_pool_lookup_conn(&pool,
                                          ffm_conn_handle_make(FFM_HANDLE_TAG_CONNECTION, 2, 1),
                                          &found),
                     FFM_POOL_BAD_SLOT);
    ffm_pool_init(&pool, 2);
    assert_int_equal(ffm_pool_lookup_conn(&pool, conn, &found), FFM_POOL_FREE_SLOT);
    assert_int_equal(ffm_pool_free_count(&pool), 2);
}

/* HDL-11: generations are never 0, also across the counter's wrap. */
static void test_pool_generation_wraps_past_zero(void **state)
{
    (void)state;
    static struct ffm_pool pool;
    uint8_t slot;
    ffm_pool_init(&pool, 1);
    for (unsigned i = 0; i < 70000u; i++) {
        assert_true(ffm_pool_alloc(&pool, FFM_SLOT_CONNECTION, -1, &slot));
        assert_int_not_equal(pool.slot[slot].gen, 0);
        ffm_pool_free(&pool, slot);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_pairs_round_trip),
        cmocka_unit_test(test_encode_masks_fields),
        cmocka_unit_test(test_reserved_bits),
        cmocka_unit_test(test_every_reserved_pattern),
        cmocka_unit_test(test_sign_bit),
        cmocka_unit_test(test_worked_examples),
        cmocka_unit_test(test_random_sample),
        cmocka_unit_test(test_conn_handle_fields),
        cmocka_unit_test(test_pool_stale_handles),
        cmocka_unit_test(test_pool_single_bit_forgery),
        cmocka_unit_test(test_pool_message_handles),
        cmocka_unit_test(test_pool_generation_wraps_past_zero),
    };
    return cmocka_run_group_tests_name("codec", tests, NULL, NULL);
}
