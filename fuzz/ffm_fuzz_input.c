/*
 * ffm_fuzz_input.c - one ffm-fuzz input: a program of client calls, and the findings it can
 * reveal (see ffm_fuzz.c for the list).
 *
 * Input layout (bytes past the end read as 0):
 *   byte 0     with --as secure: the calling partition (index modulo the partitions that
 *              declare dependencies); ignored for NS
 *   then up to FF_MAX_OPS ops, each starting with an op byte o:
 *     o & 3 = 0, 1  psa_call: service byte, type byte (>= 0xE0: a 32-bit type follows),
 *                   vector byte v (in count v & 3, out count (v >> 2) & 3, 0x10: out[0] is
 *                   in[0]'s buffer, 0x20: 16-bit lengths), then per in vector a length and
 *                   that many content bytes, per out vector a length. The handle is the
 *                   service's stateless handle or the caller's connection to it; o & 0x80
 *                   flips one bit of it (the next byte says which)
 *     o & 3 = 2     psa_connect: service byte, version byte (>= 0xF0: a 32-bit version)
 *     o & 3 = 3     psa_close: connection byte (which of the caller's connections)
 * A service byte indexes the services the caller may call: the NS-accessible ones for NS, the
 * partition's dependencies for a secure caller.
 */
#include "ffm_fuzz.h"

#include <stdio.h>
#include <string.h>

#define FF_MAX_OPS 16u
#define FF_MAX_CONNS 16u
#define FF_NS_CLIENT (-1)
#define FF_MEM_SIZE (4u * 65536u)

/* Client buffers: NS memory (outside every region of the port's map) or the secure caller's. */
static uint8_t client_mem[FF_MEM_SIZE];

struct in_reader {
    const uint8_t *p;
    size_t n;
};

static uint8_t rd8(struct in_reader *r)
{
    if (r->n == 0) {
        return 0;
    }
    r->n--;
    return *r->p++;
}

static uint32_t rd32(struct in_reader *r)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < 4; i++) {
        v |= (uint32_t)rd8(r) << (8 * i);
    }
    return v;
}

struct conn {
    psa_handle_t handle;
    uint16_t service;
};

struct run {
    struct ffm_caller caller;
    const uint16_t *targets; /* service indices the caller may call */
    uint16_t n_targets;
    uint16_t ns_targets[FFM_MAX_SERVICES];
    struct conn conns[FF_MAX_CONNS];
    unsigned n_conns;
    size_t mem_used;
};

/* ------------------------------------------------------------------ the calls */

enum ff_op { FF_CALL, FF_CONNECT, FF_CLOSE };

struct job {
    enum ff_op op;
    psa_handle_t handle;
    uint32_t sid, version;
    int32_t type;
    psa_invec in[PSA_MAX_IOVEC];
    psa_outvec out[PSA_MAX_IOVEC];
    size_t n_in, n_out;
    int64_t value;
    bool completed;
};

static void job_run(void *arg)
{
    struct job *j = arg;

    switch (j->op) {
    case FF_CALL:
        j->value = psa_call(j->handle, j->type, j->in, j->n_in, j->out, j->n_out);
        break;
    case FF_CONNECT:
        j->value = psa_connect(j->sid, j->version);
        break;
    default:
        psa_close(j->handle);
        break;
    }
    j->completed = true;
}

/* Make the call as the run's caller; the outcome is in j. */
static void make_call(struct run *r, struct job *j)
{
    struct ffm_sync *h = ff.h;

    if (r->caller.secure) {
        (void)ffm_sync_run_as(h, &r->caller, job_run, j);
        return;
    }
    struct ffm_sync_result res;
    switch (j->op) {
    case FF_CALL:
        res = ffm_sync_call(h, &r->caller, j->handle, j->type, j->in, j->n_in, j->out, j->n_out);
        break;
    case FF_CONNECT:
        res = ffm_sync_connect(h, &r->caller, j->sid, j->version);
        break;
    default:
        res = ffm_sync_close(h, &r->caller, j->handle);
        break;
    }
    j->value = res.value;
    j->completed = res.completed && !res.panicked;
}

/* ------------------------------------------------------------------ findings */

/* Did partition p panic or reset for a request --allow declares (its service, this type)? */
static bool allowed(int32_t p, int32_t type)
{
    for (unsigned i = 0; ff.now.is_call && i < ff.n_allow; i++) {
        for (uint16_t s = 0; s < ff.desc->n_services; s++) {
            const struct ffm_service_desc *sd = &ff.desc->services[s];
            if (strcmp(sd->name, ff.allow[i].service) == 0 && (int32_t)sd->partition == p &&
                ff.allow[i].type == type) {
                return true;
            }
        }
    }
    return false;
}


/*
 * After one op: a partition's PE or panic (other than the secure caller's own), a reset, a
 * call that never completed. Returns false when the system stopped (an --allow'ed panic or
 * reset, or the secure caller faulted): the rest of the input is not run.
 */
static bool check_op(const struct run *r, const struct job *j, unsigned before)
{
    struct ffm_sync *h = ff.h;
    bool stopped = false;
    unsigned kept = h->n_events < FFM_SYNC_MAX_EVENTS ? h->n_events : FFM_SYNC_MAX_EVENTS;

    for (unsigned i = before; i < kept; i++) {
        const struct ffm_event *ev = &h->events[i];
        if (!ev->caller.secure) {
            continue; /* the NS caller's own PROGRAMMER ERROR: the fuzzer's doing */
        }
        if (r->caller.secure && ev->caller.partition == r->caller.partition) {
            stopped = true; /* the secure caller's own PE: it is FAULTED now */
            continue;
        }
        if (!allowed(ev->caller.partition, ff.now.type)) {
            ff_finding("denial of service", "partition %s: %s in %s (%s): %.*s",
                       ev->caller.name, ffm_rule_id(ev->rule), ffm_api_name(ev->api),
                       ffm_disposition_name(ev->disposition), (int)FFM_REASON_MAX, ev->reason);
        }
        stopped = true;
    }
    if (h->reset_requested) {
        if (!allowed(ff.reset_by, ff.now.type)) {
            ff_finding("denial of service", "system reset requested (ffm_platform_reset) by %s",
                       ff.reset_by >= 0 ? ff.desc->partitions[ff.reset_by].name : "?");
        }
        return false;
    }
    if (h->deadlocks > 0) {
        ff_finding("hang", "the port's watchdog: no partition can make progress");
    }
    if (!j->completed && !stopped) {
        ff_finding("hang", "the call never completed: the service did not reply");
    }
    return !stopped;
}

/* After closing every connection, nothing may be left (pool full, no message in flight). */
static void check_no_leak(struct run *r)
{
    struct ffm_sync *h = ff.h;

    while (r->n_conns > 0) {
        struct job j = { .op = FF_CLOSE, .handle = r->conns[--r->n_conns].handle };
        ff.now.api = "psa_close (end of input)";
        make_call(r, &j);
        if (!check_op(r, &j, h->n_events)) {
            return;
        }
    }
    ffm_sync_run(h);
    if (ffm_spm_pool_free(&h->spm) != ffm_spm_pool_capacity(&h->spm) ||
        ffm_spm_messages_in_flight(&h->spm) != 0) {
        ff_finding("leaked connection", "%u pool slot(s) and %u message(s) left after every "
                   "connection was closed",
                   (unsigned)(ffm_spm_pool_capacity(&h->spm) - ffm_spm_pool_free(&h->spm)),
                   (unsigned)ffm_spm_messages_in_flight(&h->spm));
    }
}

/* ------------------------------------------------------------------ decoding */

static size_t rd_len(struct in_reader *in, bool big)
{
    size_t len = rd8(in);
    return big ? len | (size_t)rd8(in) << 8 : len;
}

/* Room for len bytes of client memory (wraps around: earlier buffers are done with). */
static uint8_t *client_buf(struct run *r, size_t len)
{
    if (r->mem_used + len > FF_MEM_SIZE) {
        r->mem_used = 0;
    }
    uint8_t *p = &client_mem[r->mem_used];
    r->mem_used += len;
    return p;
}

static void read_vectors(struct run *r, struct in_reader *in, struct job *j)
{
    uint8_t v = rd8(in);
    bool big = (v & 0x20u) != 0u;

    j->n_in = v & 3u;
    j->n_out = (v >> 2) & 3u;
    for (size_t i = 0; i < j->n_in; i++) {
        size_t len = rd_len(in, big);
        uint8_t *p = client_buf(r, len);
        size_t have = len < in->n ? len : in->n;
        memcpy(p, in->p, have);
        memset(p + have, 0, len - have);
        in->p += have;
        in->n -= have;
        j->in[i] = (psa_invec){ p, len };
    }
    for (size_t i = 0; i < j->n_out; i++) {
        size_t len = rd_len(in, big);
        j->out[i] = (psa_outvec){ client_buf(r, len), len };
    }
    if ((v & 0x10u) != 0u && j->n_in > 0 && j->n_out > 0) {
        j->out[0].base = (void *)(uintptr_t)j->in[0].base; /* aliasing vectors */
    }
}

static int find_conn(const struct run *r, uint16_t service)
{
    for (unsigned i = 0; i < r->n_conns; i++) {
        if (r->conns[i].service == service) {
            return (int)i;
        }
    }
    return -1;
}

static void set_activity(unsigned op, const struct run *r, const char *api, uint16_t s)
{
    static char caller[64];
    const struct ffm_service_desc *sd = &ff.desc->services[s];

    snprintf(caller, sizeof caller, "%s",
             r->caller.secure ? ff.desc->partitions[r->caller.partition].name : "NS client -1");
    ff.now = (struct ff_activity){ .op = op, .caller = caller, .api = api,
                                   .service = sd->name,
                                   .partition = ff.desc->partitions[sd->partition].name };
}

/* The service a (possibly forged) stateless handle names, for reports; else `s`. */
static uint16_t stateless_target(psa_handle_t handle, uint16_t s)
{
    for (uint16_t i = 0; i < ff.desc->n_services; i++) {
        if (!ff.desc->services[i].connection_based &&
            ff.desc->services[i].stateless_handle == handle) {
            return i;
        }
    }
    return s;
}

/* Decode and make one op; returns false when the input must stop. */
static bool one_op(struct run *r, struct in_reader *in, unsigned n)
{
    uint8_t o = rd8(in);
    uint16_t s = r->targets[rd8(in) % r->n_targets];
    const struct ffm_service_desc *sd = &ff.desc->services[s];
    struct job j = { .op = FF_CALL };
    int c = find_conn(r, s);
    unsigned before = ff.h->n_events;

    if ((o & 3u) == 2u) {
        uint8_t v = rd8(in);
        j.op = FF_CONNECT;
        j.sid = sd->sid;
        j.version = v < 0xF0u ? sd->version : rd32(in);
        set_activity(n, r, "psa_connect", s);
    } else if ((o & 3u) == 3u) {
        j.op = FF_CLOSE;
        j.handle = c >= 0 ? r->conns[c].handle : PSA_NULL_HANDLE;
        set_activity(n, r, "psa_close", s);
    } else {
        uint8_t t = rd8(in);
        j.type = t < 0xE0u ? (int32_t)(t & 0x1Fu) : (int32_t)rd32(in);
        j.handle = !sd->connection_based ? sd->stateless_handle
                   : c >= 0              ? r->conns[c].handle
                                         : PSA_NULL_HANDLE;
        if ((o & 0x80u) != 0u) {
            j.handle = (psa_handle_t)((uint32_t)j.handle ^ (1u << (rd8(in) & 31u)));
        }
        read_vectors(r, in, &j);
        set_activity(n, r, "psa_call", stateless_target(j.handle, s));
        ff.now.is_call = true;
        ff.now.type = j.type;
    }
    make_call(r, &j);
    if (!check_op(r, &j, before)) {
        return false;
    }
    if (j.op == FF_CONNECT && j.value > 0 && r->n_conns < FF_MAX_CONNS) {
        r->conns[r->n_conns++] = (struct conn){ (psa_handle_t)j.value, s };
    } else if (j.op == FF_CLOSE && c >= 0) {
        r->conns[c] = r->conns[--r->n_conns];
    }
    return true;
}

/* The caller and the services it may call; false when it can call nothing. */
static bool pick_caller(struct run *r, uint8_t b)
{
    const struct ffm_system_desc *d = ff.desc;

    if (!ff.as_secure) {
        r->caller = ffm_sync_ns(FF_NS_CLIENT);
        for (uint16_t s = 0; s < d->n_services; s++) {
            if (d->services[s].non_secure_clients) {
                r->ns_targets[r->n_targets++] = s;
            }
        }
        r->targets = r->ns_targets;
        return r->n_targets > 0;
    }
    uint16_t callers[FFM_MAX_PARTITIONS], n = 0;
    for (uint16_t p = 0; p < d->n_partitions; p++) {
        if (d->partitions[p].n_deps > 0) {
            callers[n++] = p;
        }
    }
    if (n == 0) {
        return false;
    }
    uint16_t p = callers[b % n];
    r->caller = ffm_sync_sp(ff.h, p);
    r->targets = d->partitions[p].deps;
    r->n_targets = d->partitions[p].n_deps;
    return true;
}

void ff_run_input(const uint8_t *data, size_t size)
{
    struct in_reader in = { data, size };
    static struct run r;

    memset(&r, 0, sizeof(r));
    if (!pick_caller(&r, rd8(&in))) {
        ff_die("error: no service the caller may call (--as %s)",
               ff.as_secure ? "secure" : "ns");
    }
    for (unsigned n = 1; n <= FF_MAX_OPS && in.n > 0; n++) {
        if (!one_op(&r, &in, n)) {
            return;
        }
    }
    check_no_leak(&r);
}
