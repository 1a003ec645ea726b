/*
 * fuzz_client_api.c - libFuzzer target for the client API of the real SPM core, driven through
 * the synchronous port (ffm-rules.md §5.0, §5.1: VER, CON, CALL, CLOSE; MEM-06..12).
 *
 * The input's first byte picks the boot configuration (profile, isolation level, pool size);
 * the rest is a sequence of operations: psa_framework_version / psa_version / psa_connect /
 * psa_call / psa_close with fuzzed SIDs, versions, handles (returned earlier, static stateless
 * handles, bit-flipped, raw, null), types and vectors (NS buffer, read-only, secure and unmapped
 * regions, NULL, wrapping lengths, arrays placed anywhere), made by an NS client (-1 or -2) or by
 * a Secure Partition (through the real psa_* symbols, optionally in handler mode). Every service
 * is served by real partition code (fuzz_common.c).
 *
 * Oracle (abort on violation):
 *  - every PE event is well formed (fz_check_events: known rule, API, caller, reason, §5.0);
 *  - NS psa_call returns the service's status, -130 (PANIC-05) or -131 (BUSY) without an event,
 *    or exactly the event's status (-129; -130 for tfm CALL-04) with one; NS psa_connect a
 *    positive handle, -130 or -131 without an event, or the event's status with one; NS
 *    psa_close an event only with the RETURN_VOID disposition; psa_version never an event;
 *  - an S caller's PE unwinds it (trap), is recorded as its PANIC event, and faults it;
 *  - after closing every handle opened, the pool is full, no message is in flight, nothing is
 *    blocked and nothing deadlocked.
 *
 * Built with libFuzzer by `make fuzz`; replayed over fuzz/corpus/client_api by `make test`.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_OPS (64u)
#define MAX_HANDLES (MAX_OPS)

enum op { OP_FRAMEWORK_VERSION, OP_VERSION, OP_CONNECT, OP_CALL, OP_CLOSE };

/* A connection handle returned to a client and not yet closed by it. */
struct live {
    psa_handle_t handle;
    struct ffm_caller owner;
};

struct state {
    struct ffm_sync *h;
    psa_handle_t known[MAX_HANDLES]; /* every handle ever returned (stale ones too) */
    unsigned n_known;
    struct live live[MAX_HANDLES];
    unsigned n_live;
    unsigned seen; /* events checked so far */
};

/* One client API call, made by an S caller through the psa_* symbols. */
struct job {
    enum op op;
    uint32_t sid;
    uint32_t version;
    psa_handle_t handle;
    int32_t type;
    struct fz_vecs v;
    int64_t value;
};

static void run_job(void *arg)
{
    struct job *j = arg;

    switch (j->op) {
    case OP_FRAMEWORK_VERSION:
        j->value = psa_framework_version();
        break;
    case OP_VERSION:
        j->value = psa_version(j->sid);
        break;
    case OP_CONNECT:
        j->value = psa_connect(j->sid, j->version);
        break;
    case OP_CALL:
        j->value = psa_call(j->handle, j->type, j->v.in_arr, j->v.in_len, j->v.out_arr,
                            j->v.out_len);
        break;
    case OP_CLOSE:
        psa_close(j->handle);
        j->value = 0;
        break;
    }
}

static enum ffm_api api_of(enum op op)
{
    static const enum ffm_api apis[] = { FFM_API_FRAMEWORK_VERSION, FFM_API_VERSION,
                                         FFM_API_CONNECT, FFM_API_CALL, FFM_API_CLOSE };
    return apis[op];
}

static bool same_client(const struct ffm_caller *a, const struct ffm_caller *b)
{
    return a->secure == b->secure && a->client_id == b->client_id;
}

static void remember(struct state *s, psa_handle_t handle, const struct ffm_caller *owner)
{
    if (s->n_known < MAX_HANDLES) {
        s->known[s->n_known++] = handle;
    }
    FZ_REQUIRE(s->h, s->n_live < MAX_HANDLES);
    s->live[s->n_live++] = (struct live){ .handle = handle, .owner = *owner };
    s->live[s->n_live - 1].owner.handler_mode = false;
}

static void forget_live(struct state *s, psa_handle_t handle, const struct ffm_caller *owner)
{
    for (unsigned i = 0; i < s->n_live; i++) {
        if (s->live[i].handle == handle && same_client(&s->live[i].owner, owner)) {
            s->live[i] = s->live[--s->n_live];
            return;
        }
    }
}

/* The outcome of a call without a PE event (GEN-07: not a PE, no event). */
static bool quiet_outcome_ok(const struct job *j, int64_t value)
{
    switch (j->op) {
    case OP_FRAMEWORK_VERSION:
        return value == PSA_FRAMEWORK_VERSION;
    case OP_VERSION:
        return value >= 0 && value <= UINT32_MAX;
    case OP_CONNECT:
        return (value > 0 && value <= INT32_MAX) || value == PSA_ERROR_CONNECTION_REFUSED ||
               value == PSA_ERROR_CONNECTION_BUSY;
    case OP_CALL:
        return value == fz_status(j->type) || value == PSA_ERROR_CONNECTION_REFUSED ||
               value == PSA_ERROR_CONNECTION_BUSY;
    case OP_CLOSE:
        return true;
    }
    return false;
}

/* Run `j` as `caller` and check the outcome against §5.0. */
static void do_op(struct state *s, const struct ffm_caller *caller, struct job *j)
{
    struct ffm_sync *h = s->h;
    unsigned before = h->n_events;
    bool panicked = false;
    int64_t value = 0;

    if (!caller->secure) {
        struct ffm_sync_result r = { .completed = true };
        switch (j->op) {
        case OP_FRAMEWORK_VERSION:
            r.value = ffm_psa_framework_version(&h->spm, caller).value;
            break;
        case OP_VERSION:
            r.value = ffm_psa_version(&h->spm, caller, j->sid).value;
            break;
        case OP_CONNECT:
            r = ffm_sync_connect(h, caller, j->sid, j->version);
            break;
        case OP_CALL:
            r = ffm_sync_call(h, caller, j->handle, j->type, j->v.in_arr, j->v.in_len,
                              j->v.out_arr, j->v.out_len);
            break;
        case OP_CLOSE:
            r = ffm_sync_close(h, caller, j->handle);
            break;
        }
        FZ_REQUIRE(h, r.completed);
        FZ_REQUIRE(h, !r.panicked);
        value = r.value;
    } else {
        enum ffm_sync_unwind why = ffm_sync_run_as(h, caller, run_job, j);
        FZ_REQUIRE(h, why == FFM_SYNC_RAN || why == FFM_SYNC_PANICKED);
        panicked = why == FFM_SYNC_PANICKED;
        value = j->value;
    }
    ffm_sync_run(h);
    FZ_REQUIRE(h, h->deadlocks == 0);
    unsigned delta = fz_check_events(h, before);
    FZ_REQUIRE(h, delta <= 1);

    if (delta == 0) {
        FZ_REQUIRE(h, !panicked);
        FZ_REQUIRE(h, quiet_outcome_ok(j, value));
        if (j->op == OP_CONNECT && value > 0) {
            remember(s, (psa_handle_t)value, caller);
        }
        if (j->op == OP_CLOSE) {
            forget_live(s, j->handle, caller);
        }
    } else {
        const struct ffm_event *ev = fz_event(h, before);
        /* The event is the caller's, about this API. */
        FZ_REQUIRE(h, ev->caller.secure == caller->secure);
        FZ_REQUIRE(h, ev->caller.id == caller->client_id);
        FZ_REQUIRE(h, ev->api == api_of(j->op));
        /* psa_version and psa_framework_version never raise a PE, except GEN-01. */
        FZ_REQUIRE(h, (j->op != OP_VERSION && j->op != OP_FRAMEWORK_VERSION) ||
                          ev->rule == FFM_RULE_GEN_01);
        if (caller->secure) {
            /* The caller's code never ran on (GEN-06) and it is FAULTED (PANIC-04). */
            FZ_REQUIRE(h, panicked);
            FZ_REQUIRE(h, ffm_spm_partition_is_faulted(&h->spm, caller->partition));
        } else if (j->op == OP_CLOSE) {
            FZ_REQUIRE(h, ev->disposition == FFM_DISP_RETURN_VOID);
        } else {
            FZ_REQUIRE(h, ev->disposition == FFM_DISP_RETURN_STATUS);
            FZ_REQUIRE(h, value == ev->status);
            FZ_REQUIRE(h, ev->rule != FFM_RULE_CALL_23 || j->type == FZ_TYPE_BLAME);
        }
    }
    fz_forget_events(h);
}

static struct ffm_caller pick_caller(struct ffm_sync *h, struct fz_in *in)
{
    uint8_t b = fz_u8(in);
    struct ffm_caller c;

    switch (b & 7u) {
    case 0:
    case 1:
    case 2:
    case 3:
        return ffm_sync_ns(-1);
    case 4:
        return ffm_sync_ns(-2);
    case 5:
        return ffm_sync_sp(h, FZ_P_CLIENT);
    case 6:
        return ffm_sync_sp(h, FZ_P_IPC);
    default:
        c = ffm_sync_sp(h, (uint16_t)((b >> 3) % FZ_N_PARTITIONS));
        c.handler_mode = (b & 0x80u) != 0u; /* GEN-01 */
        return c;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz_in in = { .p = data, .n = size };
    static struct state s;

    memset(&s, 0, sizeof(s));
    s.h = fz_boot(&in, true);
    for (unsigned n = 0; n < MAX_OPS && in.n > 0; n++) {
        uint8_t b = fz_u8(&in);
        struct ffm_caller caller = pick_caller(s.h, &in);
        struct job j;

        memset(&j, 0, sizeof(j));
        switch (b % 8u) {
        case 0:
            j.op = (b & 8u) != 0u ? OP_FRAMEWORK_VERSION : OP_VERSION;
            j.sid = fz_sid(&in);
            break;
        case 1:
        case 2:
            j.op = OP_CONNECT;
            j.sid = fz_sid(&in);
            j.version = fz_version(&in);
            break;
        case 3:
        case 4:
        case 5:
            j.op = OP_CALL;
            j.handle = fz_handle(&in, s.known, s.n_known);
            j.type = fz_type(&in);
            fz_vecs(&in, &j.v);
            break;
        default:
            j.op = OP_CLOSE;
            j.handle = fz_handle(&in, s.known, s.n_known);
            break;
        }
        if (caller.secure && ffm_spm_partition_is_faulted(&s.h->spm, caller.partition)) {
            continue; /* a FAULTED partition runs no code */
        }
        do_op(&s, &caller, &j);
    }

    /* Close what is still open, each by its owner; then nothing may be left. */
    while (s.n_live > 0) {
        struct live l = s.live[--s.n_live];
        if (l.owner.secure && ffm_spm_partition_is_faulted(&s.h->spm, l.owner.partition)) {
            continue; /* PANIC-06 closed it */
        }
        struct job j = { .op = OP_CLOSE, .handle = l.handle };
        unsigned before = s.h->n_events;
        if (l.owner.secure) {
            enum ffm_sync_unwind why = ffm_sync_run_as(s.h, &l.owner, run_job, &j);
            FZ_REQUIRE(s.h, why == FFM_SYNC_RAN || why == FFM_SYNC_PANICKED);
        } else {
            struct ffm_sync_result r = ffm_sync_close(s.h, &l.owner, l.handle);
            FZ_REQUIRE(s.h, r.completed && !r.panicked);
        }
        ffm_sync_run(s.h);
        (void)fz_check_events(s.h, before);
        fz_forget_events(s.h);
    }
    ffm_sync_run(s.h);
    fz_check_quiescent(s.h);
    return 0;
}
