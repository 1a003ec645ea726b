/*
 * fuzz_partition_api.c - libFuzzer target for the partition API of the real SPM core, driven
 * through the synchronous port (ffm-rules.md §5.2-§5.4, HDL-20/21, §6).
 *
 * P0 (IPC_SP of the fixture system, fuzz_common.c) has no code: the input drives it step by
 * step while NS calls to it are pending. After the configuration byte, the input is a sequence
 * of operations:
 *  - NS psa_connect / psa_call / psa_close started with ffm_sync_begin_* (they stay blocked
 *    until P0 replies), with fuzzed SIDs, versions, handles, types and vectors;
 *  - psa_wait / get / read / skip / write / reply / set_rhandle / notify / clear / eoi /
 *    irq_enable / irq_disable / reset_signal / map_invec / unmap_invec / map_outvec /
 *    unmap_outvec / rot_lifecycle_state / panic, with fuzzed message handles (fetched, replied,
 *    connection, static, bit-flipped, raw), signals, indices, buffers and statuses, made by P0,
 *    or now and then by another partition (foreign handles), an SFN partition, NS (GEN-03) or
 *    P0 in handler mode (GEN-01);
 *  - IRQ line changes (SLIH and FLIH sources; the FLIH returns a fuzzed result, SIG-09).
 *
 * Oracle (abort on violation):
 *  - every PE event is well formed (fz_check_events: known rule, API, caller, reason, §5.0);
 *  - a partition API that returns PANIC recorded exactly one event, of that caller and that
 *    API, and the partition is FAULTED (trap); one that returns records none (a reply may blame
 *    the client: CALL-23);
 *  - completed NS connects return a positive handle, -130 or -131;
 *  - at the end, whether P0 was faulted (PANIC-05 completes its clients) or is served to the end
 *    (what it fetched is replied, then real code serves the rest), every NS call completes and,
 *    once every connection is closed, the pool is full and no message is in flight.
 *
 * Built with libFuzzer by `make fuzz`; replayed over fuzz/corpus/partition_api by `make test`.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_OPS (96u)
#define MAX_LIST (64u)
#define MAX_PENDING (24u) /* blocked NS calls at once (the harness has 32 waits) */

enum pend_kind { PEND_NONE, PEND_CONNECT, PEND_CALL, PEND_CLOSE };

/* A blocked NS call; its vectors stay in vstore until it completes (CALL-29 writes the
 * lengths back through the client's out_vec array). */
struct pending {
    enum pend_kind kind;
    int store; /* index in vstore, or -1 */
};

/* A message fetched by code the fuzzer drives. */
struct fetched {
    psa_handle_t handle;
    int32_t type;
    uint16_t owner;
};

struct state {
    struct ffm_sync *h;
    struct pending pend[FFM_SYNC_MAX_WAITS]; /* by wait id */
    struct fz_vecs vstore[FFM_SYNC_MAX_WAITS];
    bool vused[FFM_SYNC_MAX_WAITS];
    unsigned n_pending;
    struct fetched fetched[MAX_LIST];
    unsigned n_fetched;
    psa_handle_t handles[MAX_LIST]; /* message and connection handles seen (stale ones too) */
    unsigned n_handles;
    psa_handle_t conns[MAX_OPS];    /* every NS connection handle returned (closed ones too) */
    unsigned n_conns;
    psa_flih_result_t flih_result;
    uint8_t buf[256]; /* a partition-local buffer */
};

static struct state s;

static void add_handle(psa_handle_t handle)
{
    if (s.n_handles < MAX_LIST) {
        s.handles[s.n_handles++] = handle;
    } else {
        s.handles[handle & (MAX_LIST - 1u)] = handle;
    }
}

static psa_flih_result_t flih(void)
{
    return s.flih_result;
}

/* ------------------------------------------------------------------ NS clients */

static void pend_check_now(const struct ffm_sync_result *now, unsigned before, enum pend_kind k)
{
    struct ffm_sync *h = s.h;
    unsigned delta = fz_check_events(h, before);

    FZ_REQUIRE(h, !now->panicked && now->completed);
    FZ_REQUIRE(h, delta <= 1);
    if (delta == 1) {
        const struct ffm_event *ev = fz_event(h, before);
        FZ_REQUIRE(h, !ev->caller.secure);
        if (k == PEND_CLOSE) {
            FZ_REQUIRE(h, ev->api == FFM_API_CLOSE && ev->disposition == FFM_DISP_RETURN_VOID);
        } else {
            FZ_REQUIRE(h, ev->api == (k == PEND_CONNECT ? FFM_API_CONNECT : FFM_API_CALL));
            FZ_REQUIRE(h, now->value == ev->status);
        }
    } else if (k == PEND_CONNECT) {
        FZ_REQUIRE(h, now->value == PSA_ERROR_CONNECTION_REFUSED ||
                          now->value == PSA_ERROR_CONNECTION_BUSY);
    } else if (k == PEND_CALL) {
        /* not delivered and no PE: BUSY (CALL-06) or a FAULTED service (PANIC-05) */
        FZ_REQUIRE(h, now->value == PSA_ERROR_CONNECTION_REFUSED ||
                          now->value == PSA_ERROR_CONNECTION_BUSY);
    }
}

static void ns_op(struct fz_in *in, uint8_t b)
{
    struct ffm_sync *h = s.h;
    struct ffm_caller ns = ffm_sync_ns(-1);
    struct ffm_sync_result now = { .completed = false };
    enum pend_kind k;
    int store = -1;
    unsigned before = h->n_events;
    int w;

    if (b % 3u == 0u) {
        static const uint32_t p0_cb[] = { 0x1000u, 0x1001u, 0x1002u, 0x1007u };
        uint8_t c = fz_u8(in);
        uint32_t sid = c < 0xC0u ? p0_cb[c & 3u] : fz_sid(in);
        k = PEND_CONNECT;
        w = ffm_sync_begin_connect(h, &ns, sid, fz_version(in), &now);
    } else if (b % 3u == 1u) {
        psa_handle_t h_call = fz_handle(in, s.conns, s.n_conns);
        int32_t type = fz_type(in);
        for (unsigned i = 0; i < FFM_SYNC_MAX_WAITS && store < 0; i++) {
            store = s.vused[i] ? -1 : (int)i;
        }
        FZ_REQUIRE(h, store >= 0);
        struct fz_vecs *v = &s.vstore[store];
        fz_vecs(in, v);
        k = PEND_CALL;
        w = ffm_sync_begin_call(h, &ns, h_call, type, v->in_arr, v->in_len, v->out_arr,
                                v->out_len, &now);
        s.vused[store] = w >= 0; /* kept until the call completes */
    } else {
        k = PEND_CLOSE;
        psa_handle_t hc = fz_handle(in, s.conns, s.n_conns);
        /* The handle stays listed: whether a close took effect is not always visible (§5.5:
         * a tfm NS close PE is silent), so finish() closes every handle again; closing a stale
         * one is a CLOSE-03 PE that returns (§5.0), and a stale alias under tfm closes the
         * connection that reused its slot, which is to be closed anyway. */
        w = ffm_sync_begin_close(h, &ns, hc, &now);
    }
    if (w < 0) {
        pend_check_now(&now, before, k);
        return;
    }
    FZ_REQUIRE(h, fz_check_events(h, before) == 0); /* a blocked call raised no PE */
    s.pend[w].kind = k;
    s.pend[w].store = w >= 0 && k == PEND_CALL ? store : -1;
    s.n_pending++;
}

/* Collect the NS calls that completed. */
static void poll_pending(void)
{
    struct ffm_sync *h = s.h;

    for (unsigned w = 0; w < FFM_SYNC_MAX_WAITS; w++) {
        struct pending *p = &s.pend[w];
        if (p->kind == PEND_NONE) {
            continue;
        }
        struct ffm_sync_result r = ffm_sync_poll(h, (int)w);
        if (!r.completed) {
            continue;
        }
        FZ_REQUIRE(h, !r.panicked);
        if (p->kind == PEND_CONNECT) {
            /* CON-10 a new handle; CON-06/07 the service's refusal; PANIC-05 */
            FZ_REQUIRE(h, (r.value > 0 && r.value <= INT32_MAX) ||
                              r.value == PSA_ERROR_CONNECTION_REFUSED ||
                              r.value == PSA_ERROR_CONNECTION_BUSY);
            if (r.value > 0) {
                FZ_REQUIRE(h, s.n_conns < MAX_OPS);
                s.conns[s.n_conns++] = (psa_handle_t)r.value;
                add_handle((psa_handle_t)r.value);
            }
        } else if (p->kind == PEND_CLOSE) {
            FZ_REQUIRE(h, r.value == 0);
        } else {
            FZ_REQUIRE(h, r.value >= INT32_MIN && r.value <= INT32_MAX); /* CALL-28 */
        }
        if (p->store >= 0) {
            s.vused[p->store] = false;
        }
        p->kind = PEND_NONE;
        s.n_pending--;
    }
}

/* ------------------------------------------------------------------ partition code */

static struct ffm_caller pick_caller(struct fz_in *in)
{
    uint8_t c = fz_u8(in);
    struct ffm_caller caller = ffm_sync_sp(s.h, FZ_P_IPC);

    if (c < 0xE0u) {
        return caller;
    }
    switch (c & 7u) {
    case 0:
        return ffm_sync_sp(s.h, FZ_P_LEGACY); /* foreign messages, its own IRQ */
    case 1:
        return ffm_sync_sp(s.h, FZ_P_SFN); /* GET-06, REPLY-06 */
    case 2:
        return ffm_sync_ns(-1); /* GEN-03 */
    case 3:
        caller.handler_mode = true; /* GEN-01 */
        return caller;
    case 4:
        return ffm_sync_sp(s.h, FZ_P_CLIENT);
    default:
        return caller;
    }
}

static psa_signal_t pick_signal(struct fz_in *in)
{
    static const psa_signal_t sigs[] = { 0x10u, 0x20u, 0x40u, 0x80u, 0x100u, 0x200u, 0x400u,
                                         0x800u, 0x80000000u, 0x40000000u, PSA_DOORBELL,
                                         0x1000u, 0x1u };
    uint8_t b = fz_u8(in);

    if (b < 0xD0u) {
        return sigs[b % 13u];
    }
    if (b < 0xE0u) {
        return ffm_spm_asserted(&s.h->spm, FZ_P_IPC); /* possibly several bits */
    }
    return b < 0xF0u ? 0u : fz_u32(in);
}

static uint32_t pick_index(struct fz_in *in)
{
    uint8_t b = fz_u8(in);

    if (b < 0xF0u) {
        return b & 3u;
    }
    return b == 0xF0u ? fz_u32(in) : b & 0x0Fu;
}

static psa_handle_t pick_msg(struct fz_in *in)
{
    psa_handle_t list[2 * MAX_LIST];
    unsigned n = 0;
    uint8_t b = fz_u8(in);

    /* mostly a fetched message; else any handle seen (stale, connection), static, flipped */
    if (b < 0xA0u && s.n_fetched > 0) {
        return s.fetched[b % s.n_fetched].handle;
    }
    for (unsigned i = 0; i < s.n_fetched; i++) {
        list[n++] = s.fetched[i].handle;
    }
    for (unsigned i = 0; i < s.n_handles; i++) {
        list[n++] = s.handles[i];
    }
    return fz_handle(in, list, n);
}

static size_t small_len(struct fz_in *in)
{
    uint8_t b = fz_u8(in);

    if (b < 0xE0u) {
        return b & 0x3Fu;
    }
    return b < 0xF0u ? SIZE_MAX - (b & 7u) : fz_u32(in);
}

static void forget_fetched(psa_handle_t handle, uint16_t owner)
{
    for (unsigned i = 0; i < s.n_fetched; i++) {
        if (s.fetched[i].handle == handle && s.fetched[i].owner == owner) {
            s.fetched[i] = s.fetched[--s.n_fetched];
            return;
        }
    }
}

static psa_status_t pick_status(struct fz_in *in)
{
    static const psa_status_t st[] = { PSA_SUCCESS, PSA_ERROR_CONNECTION_REFUSED,
                                       PSA_ERROR_CONNECTION_BUSY, PSA_ERROR_PROGRAMMER_ERROR,
                                       1, -1, INT32_MAX, INT32_MIN };
    uint8_t b = fz_u8(in);

    return b < 0xF0u ? st[b & 7u] : (psa_status_t)fz_u32(in);
}

/* One partition API call by `c`; returns the API for the oracle. */
static enum ffm_api partition_call(struct fz_in *in, uint8_t b, const struct ffm_caller *c,
                                   struct ffm_ret *ret)
{
    struct ffm_sync *h = s.h;
    struct ffm_spm *spm = &h->spm;
    size_t len;
    void *p;

    switch (b % 18u) {
    case 0: {
        psa_signal_t mask = pick_signal(in);
        if ((fz_u8(in) & 1u) != 0u) {
            mask = PSA_WAIT_ANY;
        }
        *ret = ffm_psa_wait(spm, c, mask, fz_u8(in) < 0x40u ? PSA_BLOCK : PSA_POLL);
        return FFM_API_WAIT;
    }
    case 1:
    case 2: {
        psa_msg_t local;
        psa_signal_t sig = pick_signal(in);
        psa_msg_t *msg = fz_obj_ptr(in, &local, sizeof(local));
        *ret = ffm_psa_get(spm, c, sig, msg);
        if (ret->next == FFM_NEXT_RETURN && ret->value == PSA_SUCCESS) {
            FZ_REQUIRE(h, s.n_fetched < MAX_LIST);
            s.fetched[s.n_fetched++] = (struct fetched){ .handle = msg->handle,
                                                         .type = msg->type,
                                                         .owner = c->partition };
            add_handle(msg->handle);
        }
        return FFM_API_GET;
    }
    case 3: {
        psa_handle_t m = pick_msg(in);
        uint32_t idx = pick_index(in);
        p = fz_ptr(in, &len);
        if ((fz_u8(in) & 1u) != 0u) {
            p = s.buf;
            len &= 0xFFu;
        }
        *ret = ffm_psa_read(spm, c, m, idx, p, len);
        return FFM_API_READ;
    }
    case 4: {
        psa_handle_t m = pick_msg(in);
        uint32_t idx = pick_index(in);
        *ret = ffm_psa_skip(spm, c, m, idx, small_len(in));
        return FFM_API_SKIP;
    }
    case 5: {
        psa_handle_t m = pick_msg(in);
        uint32_t idx = pick_index(in);
        p = fz_ptr(in, &len);
        if ((fz_u8(in) & 1u) != 0u) {
            p = s.buf;
            len &= 0xFFu;
        }
        *ret = ffm_psa_write(spm, c, m, idx, p, len);
        return FFM_API_WRITE;
    }
    case 6:
    case 7: {
        psa_handle_t m = pick_msg(in);
        *ret = ffm_psa_reply(spm, c, m, pick_status(in));
        if (ret->next == FFM_NEXT_RETURN) {
            forget_fetched(m, c->partition);
        }
        return FFM_API_REPLY;
    }
    case 8: {
        psa_handle_t m = pick_msg(in);
        *ret = ffm_psa_set_rhandle(spm, c, m, (void *)(uintptr_t)fz_u32(in));
        return FFM_API_SET_RHANDLE;
    }
    case 9: {
        uint8_t t = fz_u8(in);
        int32_t pid = t < 0xC0u   ? 256 + (t % 6)
                      : t < 0xE0u ? -(int32_t)(t & 3u)
                                  : (int32_t)fz_u32(in);
        *ret = ffm_psa_notify(spm, c, pid);
        return FFM_API_NOTIFY;
    }
    case 10:
        *ret = ffm_psa_clear(spm, c);
        return FFM_API_CLEAR;
    case 11:
        *ret = ffm_psa_eoi(spm, c, pick_signal(in));
        return FFM_API_EOI;
    case 12:
        if ((fz_u8(in) & 1u) != 0u) {
            *ret = ffm_psa_irq_disable(spm, c, pick_signal(in));
            return FFM_API_IRQ_DISABLE;
        }
        *ret = ffm_psa_irq_enable(spm, c, pick_signal(in));
        return FFM_API_IRQ_ENABLE;
    case 13:
        *ret = ffm_psa_reset_signal(spm, c, pick_signal(in));
        return FFM_API_RESET_SIGNAL;
    case 14: {
        psa_handle_t m = pick_msg(in);
        uint32_t idx = pick_index(in);
        if ((fz_u8(in) & 1u) != 0u) {
            *ret = ffm_psa_unmap_invec(spm, c, m, idx);
            return FFM_API_UNMAP_INVEC;
        }
        *ret = ffm_psa_map_invec(spm, c, m, idx);
        return FFM_API_MAP_INVEC;
    }
    case 15: {
        psa_handle_t m = pick_msg(in);
        uint32_t idx = pick_index(in);
        if ((fz_u8(in) & 1u) != 0u) {
            *ret = ffm_psa_unmap_outvec(spm, c, m, idx, small_len(in));
            return FFM_API_UNMAP_OUTVEC;
        }
        *ret = ffm_psa_map_outvec(spm, c, m, idx);
        return FFM_API_MAP_OUTVEC;
    }
    case 16:
        *ret = ffm_psa_rot_lifecycle_state(spm, c);
        return FFM_API_ROT_LIFECYCLE_STATE;
    default:
        if (fz_u8(in) >= 0xF0u) {
            *ret = ffm_psa_panic(spm, c); /* PANIC-01 */
            return FFM_API_PANIC;
        }
        *ret = ffm_psa_framework_version(spm, c);
        return FFM_API_FRAMEWORK_VERSION;
    }
}

static void partition_op(struct fz_in *in, uint8_t b)
{
    struct ffm_sync *h = s.h;
    struct ffm_caller c = pick_caller(in);
    unsigned before = h->n_events;
    struct ffm_ret ret;

    if (c.secure && ffm_spm_partition_is_faulted(&h->spm, c.partition)) {
        return; /* a FAULTED partition runs no code */
    }
    enum ffm_api api = partition_call(in, b, &c, &ret);
    unsigned delta = fz_check_events(h, before);
    (void)ffm_sync_settle(h, &c, ret); /* PANIC -> trap: FAULTED (PANIC-04) */
    if (ret.next == FFM_NEXT_PANIC) {
        const struct ffm_event *ev = fz_event(h, before);
        FZ_REQUIRE(h, delta == 1);
        FZ_REQUIRE(h, ev->api == api);
        FZ_REQUIRE(h, ev->caller.secure == c.secure && ev->caller.id == c.client_id);
        FZ_REQUIRE(h, ev->disposition == FFM_DISP_PANIC);
        FZ_REQUIRE(h, !c.secure || ffm_spm_partition_is_faulted(&h->spm, c.partition));
        if (c.secure) {
            for (unsigned i = s.n_fetched; i-- > 0;) {
                if (s.fetched[i].owner == c.partition) {
                    s.fetched[i] = s.fetched[--s.n_fetched]; /* completed by PANIC-05 */
                }
            }
        }
    } else {
        /* No PE; a reply may blame its NS client (CALL-23), nobody else. */
        FZ_REQUIRE(h, delta == 0 || (delta == 1 && api == FFM_API_REPLY &&
                                     fz_event(h, before)->rule == FFM_RULE_CALL_23 &&
                                     !fz_event(h, before)->caller.secure));
        FZ_REQUIRE(h, api != FFM_API_FRAMEWORK_VERSION || ret.value == PSA_FRAMEWORK_VERSION);
    }
}

/* The platform drives an IRQ line; the FLIH (FLIH_IRQ of P0) returns a fuzzed result. */
static void irq_op(struct fz_in *in)
{
    struct ffm_sync *h = s.h;
    uint8_t b = fz_u8(in);
    unsigned before = h->n_events;
    bool p0_faulted = ffm_spm_partition_is_faulted(&h->spm, FZ_P_IPC);

    s.flih_result = (b & 0x30u) == 0x30u ? (psa_flih_result_t)(b >> 6) + 1u
                                          : (psa_flih_result_t)((b >> 4) & 1u);
    ffm_spm_irq_line(&h->spm, (uint16_t)(b % FZ_N_IRQS), (b & 8u) != 0u);
    ffm_sync_run(h);
    unsigned delta = fz_check_events(h, before);
    FZ_REQUIRE(h, delta <= 1);
    if (delta == 1) {
        const struct ffm_event *ev = fz_event(h, before);
        FZ_REQUIRE(h, ev->rule == FFM_RULE_SIG_09 && ev->api == FFM_API_FLIH_RETURN);
        FZ_REQUIRE(h, ev->caller.secure && ev->caller.partition == FZ_P_IPC);
        FZ_REQUIRE(h, ffm_spm_partition_is_faulted(&h->spm, FZ_P_IPC));
        if (!p0_faulted) {
            for (unsigned i = s.n_fetched; i-- > 0;) {
                if (s.fetched[i].owner == FZ_P_IPC) {
                    s.fetched[i] = s.fetched[--s.n_fetched];
                }
            }
        }
    }
}

/* ------------------------------------------------------------------ the end */

static void finish(void)
{
    struct ffm_sync *h = s.h;
    unsigned before;

    /* What the fuzzer fetched and did not reply, its owner replies now (if not FAULTED). */
    while (s.n_fetched > 0) {
        struct fetched f = s.fetched[--s.n_fetched];
        struct ffm_caller c = ffm_sync_sp(h, f.owner);
        if (ffm_spm_partition_is_faulted(&h->spm, f.owner)) {
            continue;
        }
        before = h->n_events;
        struct ffm_ret r = ffm_psa_reply(&h->spm, &c, f.handle, PSA_SUCCESS);
        unsigned delta = fz_check_events(h, before);
        if (ffm_spm_config(&h->spm)->profile == FFM_PROFILE_TFM && r.next == FFM_NEXT_PANIC) {
            /* §5.5 tfm: a CB message handle is its connection handle, and a connection handle
             * has 8 aliases with no generation, so the fuzzer may already have replied this
             * message through an alias (or the slot was reused): that is REPLY-01 now. */
            FZ_REQUIRE(h, delta == 1 && fz_event(h, before)->rule == FFM_RULE_REPLY_01);
            (void)ffm_sync_settle(h, &c, r); /* P0 FAULTED: PANIC-05 completes its clients */
        } else {
            FZ_REQUIRE(h, delta == 0);
            FZ_REQUIRE(h, r.next == FFM_NEXT_RETURN);
        }
        fz_forget_events(h);
    }
    /* Then real code serves P0 (PANIC-05 has completed its clients if it is FAULTED). */
    ffm_sync_set_ipc_handler(h, FZ_P_IPC, fz_serve_all);
    h->part[FZ_P_IPC].pending = true;
    before = h->n_events;
    ffm_sync_run(h);
    (void)fz_check_events(h, before);
    for (unsigned i = before; i < h->n_events; i++) {
        /* fz_serve_all answers FZ_TYPE_BLAME with PROGRAMMER_ERROR: CALL-23, nothing else */
        FZ_REQUIRE(h, fz_event(h, i)->rule == FFM_RULE_CALL_23 && !fz_event(h, i)->caller.secure);
    }
    poll_pending();
    FZ_REQUIRE(h, s.n_pending == 0);
    /* Close every connection. */
    while (s.n_conns > 0) {
        struct ffm_caller ns = ffm_sync_ns(-1);
        before = h->n_events;
        struct ffm_sync_result r = ffm_sync_close(h, &ns, s.conns[--s.n_conns]);
        FZ_REQUIRE(h, r.completed && !r.panicked);
        (void)fz_check_events(h, before);
        fz_forget_events(h);
    }
    ffm_sync_run(h);
    fz_check_quiescent(h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz_in in = { .p = data, .n = size };

    memset(&s, 0, sizeof(s));
    s.h = fz_boot(&in, false);
    ffm_sync_set_flih(s.h, FZ_IRQ_FLIH, flih);
    for (unsigned n = 0; n < MAX_OPS && in.n > 0; n++) {
        uint8_t b = fz_u8(&in);
        unsigned before = s.h->n_events;

        if (b < 0x50u) {
            if (s.n_pending < MAX_PENDING) {
                ns_op(&in, b);
            }
        } else if (b < 0xF0u) {
            partition_op(&in, (uint8_t)(b - 0x50u));
        } else {
            irq_op(&in);
        }
        ffm_sync_run(s.h);
        FZ_REQUIRE(s.h, s.h->deadlocks == 0);
        (void)fz_check_events(s.h, before);
        poll_pending();
        fz_forget_events(s.h);
    }
    finish();
    return 0;
}
