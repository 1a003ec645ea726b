/*
 * pool.c - connection pool and handle minting (see pool.h for the generation scheme).
 */
#include "pool.h"

#include "handle.h"

void ffm_pool_init(struct ffm_pool *pool, uint16_t capacity)
{
    if (capacity == 0u) {
        capacity = 1u;
    }
    if (capacity > FFM_POOL_MAX) {
        capacity = FFM_POOL_MAX;
    }
    pool->capacity = capacity;
    pool->in_use = 0u;
    pool->counter = 0u;
    for (uint16_t i = 0; i < FFM_POOL_MAX; i++) {
        pool->slot[i] = (struct ffm_pool_slot){ .kind = FFM_SLOT_FREE };
    }
}

static bool value_is_live(const struct ffm_pool *pool, uint16_t value)
{
    for (uint16_t i = 0; i < pool->capacity; i++) {
        const struct ffm_pool_slot *s = &pool->slot[i];
        if (s->kind != FFM_SLOT_FREE && (s->gen == value || s->msg_seq == value)) {
            return true;
        }
    }
    return false;
}

/* Next value of the pool-wide counter that is non-zero and not live anywhere. At most
 * 2 * FFM_POOL_MAX values are live, so the loop ends within that many steps. */
/* ffm-rule: HDL-11, HDL-14 */
static uint16_t next_unique_value(struct ffm_pool *pool)
{
    do {
        pool->counter++;
    } while (pool->counter == 0u || value_is_live(pool, pool->counter));
    return pool->counter;
}

bool ffm_pool_alloc(struct ffm_pool *pool, enum ffm_slot_kind kind, int32_t owner,
                    uint8_t *slot_out)
{
    for (uint16_t i = 0; i < pool->capacity; i++) {
        struct ffm_pool_slot *s = &pool->slot[i];
        if (s->kind == FFM_SLOT_FREE) {
            s->gen = next_unique_value(pool);
            s->msg_seq = 0u;
            s->kind = (uint8_t)kind;
            s->owner = owner;
            pool->in_use++;
            *slot_out = (uint8_t)i;
            return true;
        }
    }
    return false;
}

void ffm_pool_free(struct ffm_pool *pool, uint8_t slot)
{
    struct ffm_pool_slot *s = &pool->slot[slot];
    if (s->kind != FFM_SLOT_FREE) {
        pool->in_use--;
    }
    *s = (struct ffm_pool_slot){ .kind = FFM_SLOT_FREE };
}

uint16_t ffm_pool_free_count(const struct ffm_pool *pool)
{
    return (uint16_t)(pool->capacity - pool->in_use);
}

psa_handle_t ffm_pool_conn_handle(const struct ffm_pool *pool, uint8_t slot)
{
    return ffm_conn_handle_make(FFM_HANDLE_TAG_CONNECTION, slot, pool->slot[slot].gen);
}

/* ffm-rule: HDL-12 */
static enum ffm_pool_verdict resolve(const struct ffm_pool *pool, psa_handle_t handle,
                                     uint8_t tag, struct ffm_conn_fields *f)
{
    if (!ffm_conn_handle_fields(handle, f)) {
        return FFM_POOL_NOT_CONN_CLASS;
    }
    if (f->tag != tag) {
        return FFM_POOL_BAD_TAG;
    }
    if (f->slot >= pool->capacity) {
        return FFM_POOL_BAD_SLOT;
    }
    if (pool->slot[f->slot].kind == FFM_SLOT_FREE) {
        return FFM_POOL_FREE_SLOT;
    }
    return FFM_POOL_OK;
}

enum ffm_pool_verdict ffm_pool_lookup_conn(const struct ffm_pool *pool, psa_handle_t handle,
                                           uint8_t *slot_out)
{
    struct ffm_conn_fields f;
    enum ffm_pool_verdict v = resolve(pool, handle, FFM_HANDLE_TAG_CONNECTION, &f);

    if (v != FFM_POOL_OK) {
        return v;
    }
    if (pool->slot[f.slot].gen != f.gen) {
        return FFM_POOL_STALE;
    }
    if (pool->slot[f.slot].kind == FFM_SLOT_STATELESS) {
        return FFM_POOL_STATELESS_SLOT;
    }
    *slot_out = f.slot;
    return FFM_POOL_OK;
}

/* ffm-rule: HDL-20 */
psa_handle_t ffm_pool_msg_begin(struct ffm_pool *pool, uint8_t slot)
{
    pool->slot[slot].msg_seq = 0u; /* not live while the next value is drawn */
    pool->slot[slot].msg_seq = next_unique_value(pool);
    return ffm_conn_handle_make(FFM_HANDLE_TAG_MESSAGE, slot, pool->slot[slot].msg_seq);
}

void ffm_pool_msg_end(struct ffm_pool *pool, uint8_t slot)
{
    pool->slot[slot].msg_seq = 0u;
}

enum ffm_pool_verdict ffm_pool_lookup_msg(const struct ffm_pool *pool, psa_handle_t handle,
                                          uint8_t *slot_out)
{
    struct ffm_conn_fields f;
    enum ffm_pool_verdict v = resolve(pool, handle, FFM_HANDLE_TAG_MESSAGE, &f);

    if (v != FFM_POOL_OK) {
        return v;
    }
    if (pool->slot[f.slot].msg_seq == 0u || pool->slot[f.slot].msg_seq != f.gen) {
        return FFM_POOL_STALE;
    }
    *slot_out = f.slot;
    return FFM_POOL_OK;
}
