/*
 * fuzz_common.c - shared system, memory map, input reader, partition code and oracle of the
 * SPM-core fuzz targets (see fuzz_common.h).
 */
#include "fuzz_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ the system */

/* The same system as tests/core/fixture.c (which needs CMocka), built here by hand. */
const psa_handle_t fz_static_handles[7] = {
    (psa_handle_t)0x40000100, (psa_handle_t)0x40000301, (psa_handle_t)0x40000102,
    (psa_handle_t)0x40000103, (psa_handle_t)0x40000104, (psa_handle_t)0x4000ff05,
    (psa_handle_t)0x4000ff06,
};

const uint32_t fz_sids[14] = { 0x1000u, 0x1001u, 0x1002u, 0x1003u, 0x1004u, 0x1005u, 0x1006u,
                               0x1007u, 0x2000u, 0x2001u, 0x3000u, 0x4000u, 0x5000u, 0x5001u };

_Alignas(16) uint8_t fz_arena[FZ_ARENA_SIZE];

/* ------------------------------------------------------------------ input */

uint8_t fz_u8(struct fz_in *in)
{
    if (in->n == 0) {
        return 0;
    }
    in->n--;
    return *in->p++;
}

uint16_t fz_u16(struct fz_in *in)
{
    uint16_t lo = fz_u8(in);
    return (uint16_t)(lo | ((uint16_t)fz_u8(in) << 8));
}

uint32_t fz_u32(struct fz_in *in)
{
    uint32_t lo = fz_u16(in);
    return lo | ((uint32_t)fz_u16(in) << 16);
}

/* ------------------------------------------------------------------ oracle */

const struct ffm_event *fz_event(const struct ffm_sync *h, unsigned i)
{
    return &h->events[i];
}

/* FZ_VERBOSE=1 in the environment prints every event checked (to read a reproducer). */
static void print_event(const struct ffm_event *ev)
{
    fprintf(stderr, "  event %u: %s %s caller %s/%d disp %s status %d: %.*s\n",
            (unsigned)ev->seq, ffm_rule_id(ev->rule), ffm_api_name(ev->api),
            ev->caller.name != NULL ? ev->caller.name : "(null)", (int)ev->caller.id,
            ffm_disposition_name(ev->disposition), (int)ev->status, (int)FFM_REASON_MAX,
            ev->reason);
}

static bool verbose(void)
{
    static int v = -1;

    if (v < 0) {
        const char *e = getenv("FZ_VERBOSE");
        v = e != NULL && e[0] != '\0' && e[0] != '0';
    }
    return v != 0;
}

_Noreturn void fz_fail(const struct ffm_sync *h, const char *what)
{
    fprintf(stderr, "fuzz oracle: violated: %s\n", what);
    if (h != NULL) {
        unsigned kept = h->n_events < FFM_SYNC_MAX_EVENTS ? h->n_events : FFM_SYNC_MAX_EVENTS;
        for (unsigned i = 0; i < kept; i++) {
            print_event(&h->events[i]);
        }
        fprintf(stderr, "  pool %u/%u free, %u messages in flight, %u deadlocks, %u panics\n",
                (unsigned)ffm_spm_pool_free(&h->spm), (unsigned)ffm_spm_pool_capacity(&h->spm),
                (unsigned)ffm_spm_messages_in_flight(&h->spm), h->deadlocks, h->panics);
    }
    abort();
}

/* Every rule's ID names that rule and no other: a property of the table, checked once per
 * process rather than per event (a search of the whole table per event was a tenth of the
 * API targets' time). With it, a rule in range is a known rule with its own ID. */
static bool rule_ids_round_trip(void)
{
    static int checked = -1;

    if (checked < 0) {
        checked = 1;
        for (unsigned r = (unsigned)FFM_RULE_NONE + 1u; r < (unsigned)FFM_RULE_COUNT; r++) {
            if (ffm_rule_from_id(ffm_rule_id((enum ffm_rule)r)) != (enum ffm_rule)r) {
                checked = 0;
            }
        }
    }
    return checked == 1;
}

static void check_event(const struct ffm_sync *h, const struct ffm_event *ev)
{
    bool tfm = ffm_spm_config(&h->spm)->profile == FFM_PROFILE_TFM;

    /* GEN-05: a known rule, an API, a caller with a name, a reason. */
    FZ_REQUIRE(h, rule_ids_round_trip());
    FZ_REQUIRE(h, (unsigned)ev->rule > 0u && (unsigned)ev->rule < (unsigned)FFM_RULE_COUNT);
    FZ_REQUIRE(h, strcmp(ffm_api_name(ev->api), "?") != 0);
    FZ_REQUIRE(h, ev->caller.name != NULL && ev->caller.name[0] != '\0');
    FZ_REQUIRE(h, memchr(ev->reason, '\0', sizeof(ev->reason)) != NULL);
    FZ_REQUIRE(h, ev->reason[0] != '\0');
    FZ_REQUIRE(h, ev->n_args <= FFM_EVENT_MAX_ARGS);
    /* GEN-02: identity. */
    if (ev->caller.secure) {
        FZ_REQUIRE(h, ev->caller.partition < fx_desc.n_partitions);
        FZ_REQUIRE(h, ev->caller.id == fx_desc.partitions[ev->caller.partition].pid);
        FZ_REQUIRE(h, strcmp(ev->caller.name, fx_desc.partitions[ev->caller.partition].name) ==
                          0);
        /* §5.0: an S caller always panics. */
        FZ_REQUIRE(h, ev->disposition == FFM_DISP_PANIC);
        return;
    }
    FZ_REQUIRE(h, ev->caller.id < 0);
    /* §5.0 for NS (and §5.5 CON-02 / CALL-04 under tfm). */
    switch (ev->api) {
    case FFM_API_CONNECT:
        FZ_REQUIRE(h, ev->disposition == FFM_DISP_RETURN_STATUS);
        FZ_REQUIRE(h, ev->status == PSA_ERROR_CONNECTION_REFUSED ||
                          (tfm && ev->rule == FFM_RULE_CON_02 &&
                           ev->status == PSA_ERROR_PROGRAMMER_ERROR));
        break;
    case FFM_API_CALL:
        FZ_REQUIRE(h, ev->disposition == FFM_DISP_RETURN_STATUS);
        FZ_REQUIRE(h, ev->status == PSA_ERROR_PROGRAMMER_ERROR ||
                          (tfm && ev->rule == FFM_RULE_CALL_04 &&
                           ev->status == PSA_ERROR_CONNECTION_REFUSED));
        break;
    case FFM_API_CLOSE:
        FZ_REQUIRE(h, !tfm); /* §5.5: silent under tfm */
        FZ_REQUIRE(h, ev->disposition == FFM_DISP_RETURN_VOID);
        break;
    default:
        /* GEN-03: a partition API from NS. */
        FZ_REQUIRE(h, ev->rule == FFM_RULE_GEN_03);
        FZ_REQUIRE(h, ev->disposition == FFM_DISP_PANIC);
        break;
    }
}

/* ---- conformance-matrix hook: the rules a corpus reaches (docs/rules.md, "Fuzz reach").
 * With FFM_FUZZ_RULES=1 in the environment, the first event of each rule in this process
 * prints "ffm-fuzz-rule: <ID>" on stdout. `make matrix` sets it for the corpus replays, whose
 * output (build/coverage/test-results/replay-<target>.out) scripts/matrix.py reads. */
static void note_rule_reached(enum ffm_rule rule)
{
    static int on = -1;
    static bool seen[FFM_RULE_COUNT];

    if (on < 0) {
        const char *e = getenv("FFM_FUZZ_RULES");
        on = e != NULL && e[0] != '\0' && e[0] != '0';
    }
    if (on != 0 && (unsigned)rule < (unsigned)FFM_RULE_COUNT && !seen[rule]) {
        seen[rule] = true;
        printf("ffm-fuzz-rule: %s\n", ffm_rule_id(rule));
        fflush(stdout);
    }
}
/* ---- end of the conformance-matrix hook */

unsigned fz_check_events(const struct ffm_sync *h, unsigned from)
{
    FZ_REQUIRE(h, h->n_events <= FFM_SYNC_MAX_EVENTS);
    for (unsigned i = from; i < h->n_events; i++) {
        if (verbose()) {
            print_event(&h->events[i]);
        }
        check_event(h, &h->events[i]);
        note_rule_reached(h->events[i].rule); /* conformance-matrix hook (above) */
        if (i > 0) {
            FZ_REQUIRE(h, h->events[i].seq == h->events[i - 1].seq + 1u);
        }
    }
    return h->n_events - (from < h->n_events ? from : h->n_events);
}

void fz_forget_events(struct ffm_sync *h)
{
    if (h->n_events > FFM_SYNC_MAX_EVENTS / 2u) {
        h->events[0] = h->events[h->n_events - 1u]; /* keep the seq chain checkable */
        h->n_events = 1;
    }
}

void fz_check_quiescent(const struct ffm_sync *h)
{
    FZ_REQUIRE(h, ffm_spm_pool_free(&h->spm) == ffm_spm_pool_capacity(&h->spm));
    FZ_REQUIRE(h, ffm_spm_messages_in_flight(&h->spm) == 0);
    for (unsigned i = 0; i < FFM_SYNC_MAX_WAITS; i++) {
        FZ_REQUIRE(h, !h->waits[i].in_use);
    }
    FZ_REQUIRE(h, h->deadlocks == 0);
}

/* ------------------------------------------------------------------ partition code */

psa_status_t fz_status(int32_t type)
{
    if (type == FZ_TYPE_BLAME) {
        return PSA_ERROR_PROGRAMMER_ERROR;
    }
    psa_status_t status = (psa_status_t)(type % 1000) - 500;
    /* only FZ_TYPE_BLAME blames the client */
    return status == PSA_ERROR_PROGRAMMER_ERROR ? status + 1 : status;
}

static psa_status_t serve_sfn(const psa_msg_t *msg)
{
    uint8_t buf[64];

    if (msg->type < 0) {
        return PSA_SUCCESS; /* CONNECT, DISCONNECT */
    }
    size_t n = psa_read(msg->handle, 0, buf, sizeof(buf));
    if (n > msg->out_size[0]) {
        n = msg->out_size[0];
    }
    psa_write(msg->handle, 0, buf, n);
    (void)psa_skip(msg->handle, 1, 3);
    return fz_status(msg->type);
}

static void serve_one(psa_signal_t signal)
{
    psa_msg_t msg;
    uint8_t buf[64];

    if (psa_get(signal, &msg) != PSA_SUCCESS) {
        return;
    }
    if (msg.type < 0) {
        psa_reply(msg.handle, PSA_SUCCESS);
        return;
    }
    size_t n = psa_read(msg.handle, 0, buf, sizeof(buf));
    if (n > msg.out_size[0]) {
        n = msg.out_size[0];
    }
    psa_write(msg.handle, 0, buf, n);
    psa_reply(msg.handle, fz_status(msg.type));
}

void fz_serve_all(void)
{
    for (;;) {
        psa_signal_t asserted = psa_wait(0x0FFFFFF0u, PSA_BLOCK);
        for (psa_signal_t bit = 0x10u; bit <= 0x08000000u; bit <<= 1) {
            if ((asserted & bit) != 0u) {
                serve_one(bit);
            }
        }
    }
}

/* ------------------------------------------------------------------ harness */

static void add_region(struct ffm_sync *h, uint32_t off, uint32_t size, bool secure,
                       int32_t owner, bool writable, bool unmapped)
{
    struct ffm_sync_region r = {
        .base = (uintptr_t)&fz_arena[off], .size = size, .secure = secure, .owner = owner,
        .readable = true, .writable = writable, .unmapped = unmapped,
    };
    if (!ffm_sync_add_region(h, &r)) {
        fz_fail(h, "memory map full");
    }
}

/*
 * Cheap reset: a booted system is saved once per boot configuration and copied back for
 * every later input with that configuration, instead of booting again (the boot runs every
 * partition's start-up code, unwinding each IPC handler with longjmp): ffm_sync_save/restore.
 */
#define FZ_N_CONFIGS 48u /* profile (2) x isolation level (3) x pool size choice (8) */

static struct ffm_sync *saved[2][FZ_N_CONFIGS];

static void save_booted(const struct ffm_sync *h, struct ffm_sync **slot)
{
    *slot = malloc(sizeof(**slot));
    if (*slot != NULL) {
        ffm_sync_save(h, *slot);
    }
}

struct ffm_sync *fz_boot(struct fz_in *in, bool serve_p0)
{
    static struct ffm_sync *h;
    struct ffm_spm_config config = ffm_spm_config_default();
    uint8_t b = fz_u8(in);
    unsigned iso = (b & 3u) % 3u, pool = (b >> 2) & 7u;
    struct ffm_sync **snap = &saved[serve_p0][((b & 0x80u) != 0u ? 24u : 0u) + iso * 8u + pool];

    if (h == NULL) {
        h = ffm_sync_create();
        if (h == NULL) {
            abort();
        }
        for (uint16_t s = 8; s < 10; s++) {
            ffm_sync_set_sfn(h, s, serve_sfn);
        }
        for (uint16_t s = 12; s < 14; s++) {
            ffm_sync_set_sfn(h, s, serve_sfn);
        }
        ffm_sync_set_ipc_handler(h, FZ_P_CLIENT, fz_serve_all);
        ffm_sync_set_ipc_handler(h, FZ_P_LEGACY, fz_serve_all);
        add_region(h, FZ_RO, 128, false, -1, false, false);
        add_region(h, FZ_SEC_P0, 128, true, FZ_P_IPC, true, false);
        add_region(h, FZ_SEC_P2, 128, true, FZ_P_CLIENT, true, false);
        add_region(h, FZ_SEC_SPM, 128, true, -1, true, false);
        add_region(h, FZ_GUARD, FZ_ARENA_SIZE - FZ_GUARD, false, -1, false, true);
    }
    ffm_sync_set_ipc_handler(h, FZ_P_IPC, serve_p0 ? fz_serve_all : NULL);
    config.profile = (b & 0x80u) != 0u ? FFM_PROFILE_TFM : FFM_PROFILE_SPEC;
    config.isolation_level = (uint8_t)(1u + iso);
    config.max_connections = (uint16_t)pool; /* 0: sized from the manifests */
    memset(fz_arena, 0x5A, sizeof(fz_arena));
    if (*snap != NULL) {
        ffm_sync_restore(h, *snap);
        return h;
    }
    if (ffm_sync_boot(h, &fx_desc, &config) != FFM_BOOT_OK) {
        fz_fail(h, "boot");
    }
    save_booted(h, snap);
    return h;
}

/* ------------------------------------------------------------------ fuzzed values */

int32_t fz_type(struct fz_in *in)
{
    uint8_t b = fz_u8(in);

    switch (b & 7u) {
    case 0:
        return PSA_IPC_CALL;
    case 1:
    case 2:
        return (int32_t)(b >> 3); /* 0..31, FZ_TYPE_BLAME among them */
    case 3:
        return -(int32_t)(b >> 3) - 1; /* CONNECT (-1), DISCONNECT (-2), ... */
    case 4:
        return INT32_MAX;
    case 5:
        return INT32_MIN;
    default:
        return (int32_t)fz_u32(in);
    }
}

uint32_t fz_sid(struct fz_in *in)
{
    uint8_t b = fz_u8(in);

    if (b < 0xF0u) {
        return fz_sids[b % 14u];
    }
    return b == 0xF0u ? 0x9999u : fz_u32(in);
}

uint32_t fz_version(struct fz_in *in)
{
    uint8_t b = fz_u8(in);

    switch (b & 3u) {
    case 0:
        return 1;
    case 1:
        return (uint32_t)(b >> 2) & 7u; /* 0..7 */
    case 2:
        return (b & 4u) != 0u ? 0x1ffu : 0x100u + (b >> 3);
    default:
        return fz_u32(in);
    }
}

psa_handle_t fz_handle(struct fz_in *in, const psa_handle_t *known, unsigned n)
{
    uint8_t b = fz_u8(in);
    psa_handle_t base;

    switch (b & 7u) {
    case 0:
    case 1:
    case 2:
        base = n > 0 ? known[(b >> 3) % n] : fz_static_handles[(b >> 3) % 7u];
        return base;
    case 3:
    case 4:
        return fz_static_handles[(b >> 3) % 7u];
    case 5: {
        uint8_t c = fz_u8(in);
        base = (n > 0 && (c & 0x80u) != 0u) ? known[(b >> 3) % n]
                                            : fz_static_handles[(b >> 3) % 7u];
        return (psa_handle_t)((uint32_t)base ^ (1u << (c & 31u)));
    }
    case 6:
        return (psa_handle_t)fz_u32(in);
    default:
        return (b & 8u) != 0u ? PSA_NULL_HANDLE : (psa_handle_t)-1;
    }
}

static size_t fz_len(struct fz_in *in)
{
    uint8_t b = fz_u8(in);

    switch (b & 7u) {
    case 0:
        return 0;
    case 1:
    case 2:
    case 3:
    case 4:
        return (size_t)(b >> 3) * 2u + (b & 1u); /* 0..63 */
    case 5:
        return fz_u16(in);
    case 6:
        return SIZE_MAX - (size_t)(b >> 3); /* wraps (MEM-08) */
    default:
        return fz_u32(in);
    }
}

void *fz_ptr(struct fz_in *in, size_t *len)
{
    uint8_t b = fz_u8(in);
    uint8_t off = fz_u8(in);
    void *p;

    switch (b % 9u) {
    case 0:
        p = NULL;
        break;
    case 1:
    case 2:
    case 3:
        p = &fz_arena[FZ_NS + off];
        break;
    case 4:
        p = &fz_arena[FZ_RO + (off & 127u)];
        break;
    case 5:
        p = &fz_arena[FZ_SEC_P0 + (off & 127u)];
        break;
    case 6:
        p = &fz_arena[FZ_SEC_P2 + (off & 127u)];
        break;
    case 7:
        p = &fz_arena[FZ_SEC_SPM + (off & 127u)];
        break;
    default:
        p = &fz_arena[FZ_GUARD + (off & 127u)];
        break;
    }
    *len = fz_len(in);
    return p;
}

void *fz_obj_ptr(struct fz_in *in, void *local, size_t size)
{
    uint8_t b = fz_u8(in);
    static const uint32_t where[] = { FZ_NS, FZ_NS + 128, FZ_RO, FZ_SEC_P0, FZ_SEC_P2,
                                      FZ_SEC_SPM, FZ_GUARD };

    (void)size; /* every arena slot has room for the largest object (psa_msg_t) */
    if (b < 0x80u) {
        return local;
    }
    if (b < 0x88u) {
        return NULL;
    }
    return &fz_arena[where[b % 7u]];
}

void fz_vecs(struct fz_in *in, struct fz_vecs *v)
{
    uint8_t counts = fz_u8(in);
    uint8_t where = fz_u8(in);

    memset(v, 0, sizeof(*v));
    v->in_len = counts & 7u;
    v->out_len = (counts >> 3) & 7u;
    if ((counts & 0xC0u) == 0xC0u) { /* CALL-13 with huge counts */
        v->in_len = (counts & 1u) != 0u ? SIZE_MAX : (size_t)fz_u32(in);
    }
    for (unsigned i = 0; i < PSA_MAX_IOVEC; i++) {
        if (i < v->in_len) {
            v->in[i].base = fz_ptr(in, &v->in[i].len);
        }
        if (i < v->out_len) {
            v->out[i].base = fz_ptr(in, &v->out[i].len);
        }
    }
    /* The arrays: local, NULL, or a copy in the arena (read-only, secure, unmapped). */
    v->in_arr = v->in;
    v->out_arr = v->out;
    switch (where & 7u) {
    case 1:
        v->in_arr = NULL;
        break;
    case 2:
        v->out_arr = NULL;
        break;
    case 3:
        memcpy(&fz_arena[FZ_RO], v->in, sizeof(v->in));
        memcpy(&fz_arena[FZ_RO + 64], v->out, sizeof(v->out));
        v->in_arr = (const psa_invec *)(void *)&fz_arena[FZ_RO];
        v->out_arr = (psa_outvec *)(void *)&fz_arena[FZ_RO + 64];
        break;
    case 4:
        memcpy(&fz_arena[FZ_SEC_P0], v->in, sizeof(v->in));
        memcpy(&fz_arena[FZ_SEC_P0 + 64], v->out, sizeof(v->out));
        v->in_arr = (const psa_invec *)(void *)&fz_arena[FZ_SEC_P0];
        v->out_arr = (psa_outvec *)(void *)&fz_arena[FZ_SEC_P0 + 64];
        break;
    case 5:
        memcpy(&fz_arena[FZ_SEC_P2], v->in, sizeof(v->in));
        memcpy(&fz_arena[FZ_SEC_P2 + 64], v->out, sizeof(v->out));
        v->in_arr = (const psa_invec *)(void *)&fz_arena[FZ_SEC_P2];
        v->out_arr = (psa_outvec *)(void *)&fz_arena[FZ_SEC_P2 + 64];
        break;
    case 6:
        v->in_arr = (const psa_invec *)(void *)&fz_arena[FZ_GUARD];
        v->out_arr = (psa_outvec *)(void *)&fz_arena[FZ_GUARD + 64];
        break;
    default:
        break;
    }
}
