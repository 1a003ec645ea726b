/*
 * fuzz_handle.c - libFuzzer target for handle decoding (ffm-rules.md §3, §4: HDL-01..05,
 * HDL-11/12, HDL-20/21). The input is a sequence of 4-byte little-endian handle values; each
 * is classified, validated and decoded in both profiles, and looked up in a pool with live
 * connections and messages. The oracle aborts on any violated invariant:
 *
 *  - spec: "valid stateless" <=> h == encode(decode(h));
 *  - tfm: stateless <=> bit 30 set; reserved bits never make a handle invalid;
 *  - a pool lookup accepts a value only if it is exactly a live handle of that slot.
 *
 * At exit it prints how many handles it checked and how many per second (an input holds up
 * to 64 of them: handle.options sets max_len), next to libFuzzer's inputs per second.
 *
 * Built with libFuzzer by `make fuzz`; replayed over fuzz/corpus/handle by `make test`.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "handle.h"
#include "pool.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(int ok)
{
    if (!ok) {
        abort();
    }
}

static void check_stateless_codec(psa_handle_t h)
{
    struct ffm_sl_handle sl = ffm_sl_decode(h);
    int spec_valid = ffm_handle_classify(h, FFM_PROFILE_SPEC) == FFM_HANDLE_STATELESS &&
                     ffm_sl_validate(h, FFM_PROFILE_SPEC) == FFM_RULE_NONE;

    require(spec_valid == (ffm_sl_encode(sl.index, sl.version) == h));
    require(spec_valid == ffm_sl_is_canonical(h));
    require(sl.index < FFM_SL_SLOTS);
    require((ffm_handle_classify(h, FFM_PROFILE_TFM) == FFM_HANDLE_STATELESS) ==
            (h != 0 && ((uint32_t)h & FFM_SL_INDICATOR) != 0u));
    require(ffm_sl_validate(h, FFM_PROFILE_TFM) == FFM_RULE_NONE);
}

/* A pool of 16 slots: even slots hold connections, slots 1 and 3 stateless calls; every
 * connection slot has a live message too. */
static void build_pool(struct ffm_pool *pool)
{
    uint8_t slot;
    ffm_pool_init(pool, 16);
    for (unsigned i = 0; i < 16; i++) {
        enum ffm_slot_kind kind = (i == 1 || i == 3) ? FFM_SLOT_STATELESS : FFM_SLOT_CONNECTION;
        require(ffm_pool_alloc(pool, kind, -1, &slot));
        if (kind == FFM_SLOT_CONNECTION) {
            (void)ffm_pool_msg_begin(pool, slot);
        }
    }
    ffm_pool_free(pool, 5); /* a free slot, and a stale generation behind it */
}

static void check_pool_lookup(const struct ffm_pool *pool, psa_handle_t h)
{
    uint8_t slot = 0xFF;

    if (ffm_pool_lookup_conn(pool, h, &slot) == FFM_POOL_OK) {
        require(slot < pool->capacity);
        require(pool->slot[slot].kind == FFM_SLOT_CONNECTION);
        require(ffm_pool_conn_handle(pool, slot) == h);
    }
    slot = 0xFF;
    if (ffm_pool_lookup_msg(pool, h, &slot) == FFM_POOL_OK) {
        require(slot < pool->capacity);
        require(pool->slot[slot].msg_seq != 0u);
        require(ffm_conn_handle_make(FFM_HANDLE_TAG_MESSAGE, slot, pool->slot[slot].msg_seq) ==
                h);
    }
}

static unsigned long long handles_checked;
static struct timespec started;

static double seconds_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

static void report_handles(void)
{
    double s = seconds_since(&started);
    fprintf(stderr, "handle: %llu handles checked in %.1f s: %.0f handles/s\n", handles_checked,
            s, s > 0 ? (double)handles_checked / s : 0.0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct ffm_pool pool;
    static int pool_ready;

    if (!pool_ready) {
        build_pool(&pool);
        pool_ready = 1;
        clock_gettime(CLOCK_MONOTONIC, &started);
        atexit(report_handles);
    }
    handles_checked += size / 4;
    for (size_t i = 0; i + 4 <= size; i += 4) {
        uint32_t raw = (uint32_t)data[i] | ((uint32_t)data[i + 1] << 8) |
                       ((uint32_t)data[i + 2] << 16) | ((uint32_t)data[i + 3] << 24);
        psa_handle_t h = (psa_handle_t)raw;
        check_stateless_codec(h);
        check_pool_lookup(&pool, h);
    }
    return 0;
}
