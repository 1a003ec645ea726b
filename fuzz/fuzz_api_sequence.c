/*
 * fuzz_api_sequence.c - libFuzzer target: programs of client and partition API calls across
 * several partitions and NS clients on the real SPM core, through the synchronous port, with
 * the system's invariants checked after every step (ffm-rules.md §4, §5, §6).
 *
 * The system is the core tests' one (fuzz_common.c): P0 IPC_SP has no code (the input drives
 * it), P1 and P4 are SFN partitions and P2 and P3 are served by real IPC code. After the
 * configuration byte, each step is one of:
 *  - an NS client (-1, -2 or -3) starts psa_connect, psa_call (connection, stateless or forged
 *    handle; fuzzed type and vectors) or psa_close; calls to P0 stay blocked until P0 answers;
 *  - P0 waits (poll) and gets a message, reads, skips or writes it, replies to it, sets its
 *    rhandle, maps and unmaps its vectors (MM-IOVEC), clears its doorbell, ends an IRQ (eoi);
 *  - CLIENT_SP rings P0's doorbell (psa_notify) or calls an SFN service (a secure client);
 *  - the platform raises or lowers an IRQ line of P0.
 *
 * After each step the oracle (abort on violation) checks:
 *  - every PE event of the step is well formed (fz_check_events: a catalogue rule ID, an API,
 *    a caller, a reason, the §5.0 disposition for that caller) and is the step caller's;
 *  - no message is lost or delivered twice: the messages in flight are exactly the blocked
 *    client calls and the DISCONNECTs CALL-23 queued for dropped connections; a blocked call
 *    completes once; psa_get never hands out a message that is
 *    already fetched and not replied;
 *  - pool accounting (spec profile): slots in use = connections open or being opened or
 *    closed + stateless calls in flight.
 * At the end P0 is served by real code, every connection is closed, and the system is
 * quiescent (fz_check_quiescent).
 *
 * Built with libFuzzer by `make fuzz`; replayed over fuzz/corpus/api_sequence by `make test`.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_STEPS (96u)
#define MAX_CONNS (48u)
#define MAX_FETCHED (32u)
#define N_NS (3u)
#define P0_SIGNALS (0x0FF0u) /* the message signals of P0's eight services */

enum pend_kind { PEND_NONE, PEND_CONNECT, PEND_CALL_CONN, PEND_CALL_SL, PEND_CLOSE };

struct pending {
    enum pend_kind kind;
    int32_t client;
    int store; /* CALL: index of its vectors in vstore, else -1 */
};

struct conn {
    psa_handle_t handle;
    int32_t client;
};

struct state {
    struct ffm_sync *h;
    bool spec; /* the pool accounting is checked under the spec profile only */
    struct pending pend[FFM_SYNC_MAX_WAITS]; /* by wait id */
    struct fz_vecs vstore[FFM_SYNC_MAX_WAITS]; /* a blocked call's vectors stay here */
    bool vused[FFM_SYNC_MAX_WAITS];
    unsigned n_pending;
    struct conn conns[MAX_CONNS]; /* open connections, by their client */
    unsigned n_conns;
    psa_handle_t fetched[MAX_FETCHED]; /* messages P0 got and has not replied */
    unsigned n_fetched;
    uint8_t buf[128]; /* P0's local buffer */
};

static struct state s;

/* ------------------------------------------------------------------ the model */

static void add_conn(psa_handle_t handle, int32_t client)
{
    FZ_REQUIRE(s.h, s.n_conns < MAX_CONNS);
    s.conns[s.n_conns++] = (struct conn){ handle, client };
}

static int find_conn(psa_handle_t handle, int32_t client)
{
    for (unsigned i = 0; i < s.n_conns; i++) {
        if (s.conns[i].handle == handle && s.conns[i].client == client) {
            return (int)i;
        }
    }
    return -1;
}

static void drop_conn(int i)
{
    s.conns[i] = s.conns[--s.n_conns];
}

static bool is_fetched(psa_handle_t m)
{
    for (unsigned i = 0; i < s.n_fetched; i++) {
        if (s.fetched[i] == m) {
            return true;
        }
    }
    return false;
}

static void unfetch(psa_handle_t m)
{
    for (unsigned i = 0; i < s.n_fetched; i++) {
        if (s.fetched[i] == m) {
            s.fetched[i] = s.fetched[--s.n_fetched];
            return;
        }
    }
}

/* tfm (§5.5, HDL-20): a CB message's handle is its connection handle, whose 8 alias values
 * (no generation) all name the slot: a reply through any of them ends the message, so the
 * model forgets the fetched handle of that slot whichever alias was used. */
static void unfetch_replied(psa_handle_t m)
{
    struct ffm_conn_fields fm, ff;

    unfetch(m);
    if (s.spec || !ffm_conn_handle_fields(m, &fm) || fm.tag != FFM_HANDLE_TAG_CONNECTION) {
        return;
    }
    for (unsigned i = 0; i < s.n_fetched;) {
        if (ffm_conn_handle_fields(s.fetched[i], &ff) && ff.tag == fm.tag && ff.slot == fm.slot) {
            s.fetched[i] = s.fetched[--s.n_fetched];
        } else {
            i++;
        }
    }
}

/* Pool slots the model says are in use. */
static unsigned model_slots(void)
{
    unsigned n = s.n_conns;

    for (unsigned w = 0; w < FFM_SYNC_MAX_WAITS; w++) {
        enum pend_kind k = s.pend[w].kind;
        n += k == PEND_CONNECT || k == PEND_CLOSE || k == PEND_CALL_SL ? 1u : 0u;
    }
    return n;
}

/*
 * DISCONNECTs the SPM queued by itself: when a service replies PSA_ERROR_PROGRAMMER_ERROR to a
 * request on a connection, CALL-23 drops the connection and queues its DISCONNECT at once, with
 * no client waiting for it. Such a message is in flight until the service replies to it, and
 * its slot stays in use after the client's psa_close released it (CLOSE-08: `released`).
 */
static void dropped_disconnects(unsigned *in_flight, unsigned *released)
{
    const struct ffm_spm *spm = &s.h->spm;

    *in_flight = 0;
    *released = 0;
    for (uint16_t i = 0; i < spm->pool.capacity; i++) {
        const struct ffm_slot_state *st = &spm->slot[i];
        if (st->conn != FFM_CONN_DROPPED || st->msg.state == FFM_MSG_NONE) {
            continue;
        }
        FZ_REQUIRE(s.h, st->msg.type == PSA_IPC_DISCONNECT && !st->client.waiting);
        (*in_flight)++;
        *released += st->released ? 1u : 0u;
    }
}

/* The invariants that hold between any two steps. */
static void check_invariants(void)
{
    struct ffm_sync *h = s.h;
    unsigned used = ffm_spm_pool_capacity(&h->spm) - ffm_spm_pool_free(&h->spm);
    unsigned dropped, released;

    dropped_disconnects(&dropped, &released);
    FZ_REQUIRE(h, h->deadlocks == 0);
    FZ_REQUIRE(h, ffm_spm_messages_in_flight(&h->spm) == s.n_pending + dropped);
    FZ_REQUIRE(h, !s.spec || used == model_slots() + released);
}

/* ------------------------------------------------------------------ NS clients */

static void settle_completed(int w, const struct ffm_sync_result *r)
{
    struct pending *p = &s.pend[w];

    FZ_REQUIRE(s.h, r->completed && !r->panicked);
    switch (p->kind) {
    case PEND_CONNECT:
        FZ_REQUIRE(s.h, (r->value > 0 && r->value <= INT32_MAX) ||
                            r->value == PSA_ERROR_CONNECTION_REFUSED ||
                            r->value == PSA_ERROR_CONNECTION_BUSY);
        if (r->value > 0) {
            add_conn((psa_handle_t)r->value, p->client);
        }
        break;
    case PEND_CLOSE:
        FZ_REQUIRE(s.h, r->value == 0);
        break;
    default:
        FZ_REQUIRE(s.h, r->value >= INT32_MIN && r->value <= INT32_MAX); /* CALL-28 */
        break;
    }
    if (p->store >= 0) {
        s.vused[p->store] = false;
    }
    p->kind = PEND_NONE;
    s.n_pending--;
}

static void poll_pending(void)
{
    for (unsigned w = 0; w < FFM_SYNC_MAX_WAITS; w++) {
        if (s.pend[w].kind != PEND_NONE) {
            struct ffm_sync_result r = ffm_sync_poll(s.h, (int)w);
            if (r.completed) {
                settle_completed((int)w, &r);
            }
        }
    }
}

static psa_handle_t pick_conn(struct fz_in *in, int32_t client)
{
    psa_handle_t mine[MAX_CONNS];
    unsigned n = 0;

    for (unsigned i = 0; i < s.n_conns; i++) {
        if (s.conns[i].client == client || (fz_u8(in) & 0xE0u) == 0xE0u) {
            mine[n++] = s.conns[i].handle; /* now and then another client's handle */
        }
    }
    return fz_handle(in, mine, n);
}

/* A call or close that returned at once: no PE, or exactly one of this client's. */
static void check_now(const struct ffm_sync_result *now, unsigned before, int32_t client,
                      enum ffm_api api)
{
    unsigned delta = fz_check_events(s.h, before);

    FZ_REQUIRE(s.h, now->completed && !now->panicked && delta <= 1);
    if (delta == 1) {
        const struct ffm_event *ev = fz_event(s.h, before);
        FZ_REQUIRE(s.h, !ev->caller.secure && ev->caller.id == client && ev->api == api);
        FZ_REQUIRE(s.h, api == FFM_API_CLOSE || now->value == ev->status);
    }
}

static void ns_step(struct fz_in *in, uint8_t op)
{
    static const uint32_t sids[] = { FX_SID_CB, FX_SID_CB_RELAXED, FX_SID_CB_MM, FX_SID_SFN_CB,
                                     0x4000u, FX_SID_CB_S_ONLY, FX_SID_SL };
    int32_t client = -1 - (int32_t)(fz_u8(in) % N_NS);
    struct ffm_caller ns = ffm_sync_ns(client);
    struct ffm_sync_result now = { .completed = false };
    unsigned before = s.h->n_events;
    enum pend_kind kind;
    enum ffm_api api;
    psa_handle_t handle = 0;
    int w, c = -1, store = -1;

    if (op == 0) {
        uint8_t b = fz_u8(in);
        uint32_t sid = b < 0xE0u ? sids[b % 7u] : fz_sid(in);
        kind = PEND_CONNECT;
        api = FFM_API_CONNECT;
        w = ffm_sync_begin_connect(s.h, &ns, sid, fz_version(in), &now);
    } else if (op == 1) {
        enum ffm_profile profile = ffm_spm_config(&s.h->spm)->profile;
        handle = pick_conn(in, client);
        kind = ffm_handle_classify(handle, profile) == FFM_HANDLE_STATELESS ? PEND_CALL_SL
                                                                           : PEND_CALL_CONN;
        api = FFM_API_CALL;
        for (unsigned i = 0; i < FFM_SYNC_MAX_WAITS && store < 0; i++) {
            store = s.vused[i] ? -1 : (int)i;
        }
        FZ_REQUIRE(s.h, store >= 0);
        /* The vectors outlive this step: CALL-29 writes the lengths back at the reply. */
        struct fz_vecs *v = &s.vstore[store];
        fz_vecs(in, v);
        w = ffm_sync_begin_call(s.h, &ns, handle, fz_type(in), v->in_arr, v->in_len,
                                v->out_arr, v->out_len, &now);
        s.vused[store] = w >= 0;
    } else {
        handle = pick_conn(in, client);
        c = find_conn(handle, client);
        kind = PEND_CLOSE;
        api = FFM_API_CLOSE;
        w = ffm_sync_begin_close(s.h, &ns, handle, &now);
    }
    if (w < 0) {
        check_now(&now, before, client, api);
        if (op == 0 && now.value > 0) {
            add_conn((psa_handle_t)now.value, client);
        }
        if (op == 2 && c >= 0 && fz_check_events(s.h, before) == 0 && s.spec) {
            /* closed at once (an SFN or FAULTED service). Under tfm a refused close is
             * silent too (§5.5): the model keeps the connection and finish() closes it. */
            drop_conn(c);
        }
        return;
    }
    FZ_REQUIRE(s.h, fz_check_events(s.h, before) == 0); /* a blocked call raised no PE */
    FZ_REQUIRE(s.h, s.pend[w].kind == PEND_NONE);
    s.pend[w] = (struct pending){ .kind = kind, .client = client,
                                  .store = kind == PEND_CALL_SL || kind == PEND_CALL_CONN
                                               ? store : -1 };
    s.n_pending++;
    if (kind == PEND_CLOSE) {
        /* Only the exact handle closes a connection, except under tfm, where a handle has
         * aliases (§5.5): the model then keeps the connection, and finish() closes it again. */
        FZ_REQUIRE(s.h, c >= 0 || !s.spec);
        if (c >= 0) {
            drop_conn(c); /* its slot is counted by the pending close until the reply */
        }
    }
}

/* ------------------------------------------------------------------ P0 and CLIENT_SP */

static psa_handle_t pick_fetched(struct fz_in *in)
{
    uint8_t b = fz_u8(in);

    if (b < 0xC0u && s.n_fetched > 0) {
        return s.fetched[b % s.n_fetched];
    }
    return fz_handle(in, s.fetched, s.n_fetched);
}

/* One partition API call by P0 (or CLIENT_SP for notify); the PANIC, if any, is settled. */
static void partition_step(struct fz_in *in, uint8_t op)
{
    struct ffm_sync *h = s.h;
    struct ffm_spm *spm = &h->spm;
    struct ffm_caller p0 = ffm_sync_sp(h, FZ_P_IPC);
    struct ffm_caller c = p0;
    unsigned before = h->n_events;
    struct ffm_ret ret = { .next = FFM_NEXT_RETURN };
    psa_handle_t m = pick_fetched(in);
    uint32_t idx = fz_u8(in) & 3u;
    size_t len = fz_u8(in) & 0x7Fu;
    psa_msg_t msg;

    switch (op % 9u) {
    case 0: {
        psa_signal_t asserted = ffm_psa_wait(spm, &c, PSA_WAIT_ANY, PSA_POLL).value;
        psa_signal_t sig = asserted & P0_SIGNALS;
        sig &= (psa_signal_t)(~sig + 1u); /* the lowest message signal asserted */
        ret = ffm_psa_get(spm, &c, sig != 0u ? sig : FX_SIG_CB, &msg);
        if (ret.next == FFM_NEXT_RETURN && ret.value == PSA_SUCCESS) {
            FZ_REQUIRE(h, !is_fetched(msg.handle)); /* never delivered twice */
            FZ_REQUIRE(h, s.n_fetched < MAX_FETCHED);
            s.fetched[s.n_fetched++] = msg.handle;
        }
        break;
    }
    case 1:
        ret = ffm_psa_read(spm, &c, m, idx, s.buf, len);
        break;
    case 2:
        ret = ffm_psa_skip(spm, &c, m, idx, len);
        break;
    case 3:
        ret = ffm_psa_write(spm, &c, m, idx, s.buf, len);
        break;
    case 4: {
        static const psa_status_t st[] = { PSA_SUCCESS, PSA_ERROR_CONNECTION_REFUSED,
                                           PSA_ERROR_CONNECTION_BUSY, 7, -1,
                                           PSA_ERROR_PROGRAMMER_ERROR };
        ret = ffm_psa_reply(spm, &c, m, st[len % 6u]);
        if (ret.next == FFM_NEXT_RETURN) {
            unfetch_replied(m);
        }
        break;
    }
    case 5:
        ret = ffm_psa_set_rhandle(spm, &c, m, s.buf);
        break;
    case 6:
        switch (len & 3u) {
        case 0:
            ret = ffm_psa_map_invec(spm, &c, m, idx);
            break;
        case 1:
            ret = ffm_psa_unmap_invec(spm, &c, m, idx);
            break;
        case 2:
            ret = ffm_psa_map_outvec(spm, &c, m, idx);
            break;
        default:
            ret = ffm_psa_unmap_outvec(spm, &c, m, idx, len >> 2);
            break;
        }
        break;
    case 7:
        if ((len & 1u) != 0u) {
            c = ffm_sync_sp(h, FZ_P_CLIENT); /* CLIENT_SP rings P0's doorbell */
            ret = ffm_psa_notify(spm, &c, FX_PID_IPC);
        } else {
            ret = ffm_psa_clear(spm, &c);
        }
        break;
    default:
        ret = ffm_psa_eoi(spm, &c, FX_SIG_SLIH);
        break;
    }
    unsigned delta = fz_check_events(h, before);
    if (ret.next == FFM_NEXT_PANIC) {
        FZ_REQUIRE(h, delta == 1 && fz_event(h, before)->caller.id == c.client_id);
        (void)ffm_sync_settle(h, &c, ret); /* FAULTED; PANIC-05 completes P0's clients */
        if (c.partition == FZ_P_IPC) {
            s.n_fetched = 0;
        }
    } else {
        /* no PE; a reply may blame its NS client (CALL-23), nobody else */
        FZ_REQUIRE(h, delta == 0 || (delta == 1 && fz_event(h, before)->rule == FFM_RULE_CALL_23));
    }
}

struct sfn_job {
    psa_handle_t handle;
    psa_status_t status;
};

static void sfn_job_run(void *arg)
{
    struct sfn_job *j = arg;
    uint8_t out[16];
    psa_outvec ov = { out, sizeof out };

    j->status = psa_call(j->handle, 1, NULL, 0, &ov, 1);
}

/* CLIENT_SP calls a stateless SFN service: it runs inline and completes within the step. */
static void secure_client_step(struct fz_in *in)
{
    static const psa_handle_t sfn[] = { (psa_handle_t)0x40000104, (psa_handle_t)0x4000ff05 };
    struct ffm_caller c = ffm_sync_sp(s.h, FZ_P_CLIENT);
    struct sfn_job j = { .handle = sfn[fz_u8(in) & 1u] };
    unsigned before = s.h->n_events;

    if (ffm_spm_partition_is_faulted(&s.h->spm, FZ_P_CLIENT)) {
        return;
    }
    enum ffm_sync_unwind why = ffm_sync_run_as(s.h, &c, sfn_job_run, &j);
    FZ_REQUIRE(s.h, why == FFM_SYNC_RAN || why == FFM_SYNC_PANICKED);
    if (why == FFM_SYNC_RAN) {
        FZ_REQUIRE(s.h, fz_check_events(s.h, before) == 0);
        /* the service's status, or BUSY when the pool is exhausted (CALL-06) */
        FZ_REQUIRE(s.h, j.status == fz_status(1) || j.status == PSA_ERROR_CONNECTION_BUSY);
    }
}

/* ------------------------------------------------------------------ the program */

static void step(struct fz_in *in)
{
    uint8_t op = fz_u8(in);
    unsigned before = s.h->n_events;

    if (op < 0x60u) {
        ns_step(in, (uint8_t)(op % 3u));
    } else if (op < 0xE0u) {
        if (!ffm_spm_partition_is_faulted(&s.h->spm, FZ_P_IPC)) {
            partition_step(in, op);
        }
    } else if (op < 0xF0u) {
        secure_client_step(in);
    } else {
        ffm_spm_irq_line(&s.h->spm, 0, (op & 1u) != 0u); /* SLIH_IRQ of P0 */
    }
    ffm_sync_run(s.h);
    (void)fz_check_events(s.h, before);
    poll_pending();
    check_invariants();
    fz_forget_events(s.h);
}

/* P0 is served by real code, every connection is closed by its client: nothing is left. */
static void finish(void)
{
    struct ffm_sync *h = s.h;

    for (unsigned i = 0; i < s.n_fetched; i++) {
        struct ffm_caller p0 = ffm_sync_sp(h, FZ_P_IPC);
        unsigned before = h->n_events;
        (void)ffm_sync_settle(h, &p0, ffm_psa_reply(&h->spm, &p0, s.fetched[i], PSA_SUCCESS));
        (void)fz_check_events(h, before);
        fz_forget_events(h);
        if (ffm_spm_partition_is_faulted(&h->spm, FZ_P_IPC)) {
            break; /* tfm: a handle alias replied already (REPLY-01): PANIC-05 */
        }
    }
    s.n_fetched = 0;
    ffm_sync_set_ipc_handler(h, FZ_P_IPC, fz_serve_all);
    h->part[FZ_P_IPC].pending = true;
    unsigned before = h->n_events;
    ffm_sync_run(h);
    (void)fz_check_events(h, before);
    fz_forget_events(h);
    poll_pending();
    FZ_REQUIRE(h, s.n_pending == 0);
    while (s.n_conns > 0) {
        struct conn c = s.conns[--s.n_conns];
        struct ffm_caller ns = ffm_sync_ns(c.client);
        before = h->n_events;
        struct ffm_sync_result r = ffm_sync_close(h, &ns, c.handle);
        FZ_REQUIRE(h, r.completed && !r.panicked);
        (void)fz_check_events(h, before);
        fz_forget_events(h);
    }
    ffm_sync_run(h);
    fz_check_quiescent(h);
    ffm_sync_set_ipc_handler(h, FZ_P_IPC, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz_in in = { .p = data, .n = size };

    memset(&s, 0, sizeof(s));
    s.h = fz_boot(&in, false);
    s.spec = ffm_spm_config(&s.h->spm)->profile == FFM_PROFILE_SPEC;
    check_invariants();
    for (unsigned n = 0; n < MAX_STEPS && in.n > 0; n++) {
        step(&in);
    }
    finish();
    return 0;
}
