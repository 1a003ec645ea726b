/*
 * syncport.c - the synchronous port: implements port.h for one harness at a time and runs
 * partition code inline (see syncport.h for the model). Partition code is unwound with longjmp
 * on a panic, a yield (blocking psa_wait) or a deadlock; every unwind target is a frame pushed
 * by run_framed, so the core is never on the stack when we jump (the core never calls partition
 * code: it only returns what must happen next).
 */
#include "syncport.h"

#include <assert.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The harness the psa_* symbols and the port callbacks talk to. */
static struct ffm_sync *active_harness;

struct ffm_sync *ffm_sync_active(void)
{
    return active_harness;
}

struct ffm_sync *ffm_sync_create(void)
{
    return calloc(1, sizeof(struct ffm_sync));
}

void ffm_sync_destroy(struct ffm_sync *h)
{
    if (active_harness == h) {
        active_harness = NULL;
    }
    free(h);
}

void ffm_sync_forget(struct ffm_sync *h)
{
    memset(h->part, 0, sizeof(h->part));
    memset(h->sfn, 0, sizeof(h->sfn));
    memset(h->flih, 0, sizeof(h->flih));
    memset(h->regions, 0, sizeof(h->regions));
    h->n_regions = 0;
    h->mem_check_hook = NULL;
    h->policy = FFM_SYNC_POLICY_TRAP;
}

static void reset_runtime(struct ffm_sync *h)
{
    h->n_events = 0;
    h->n_trace = 0;
    h->panics = 0;
    h->deadlocks = 0;
    h->reset_requested = false;
    memset(h->waits, 0, sizeof(h->waits));
    memset(h->flih_pending, 0, sizeof(h->flih_pending));
    for (unsigned i = 0; i < FFM_MAX_PARTITIONS; i++) {
        h->part[i].pending = false;
        h->part[i].running = false;
    }
    h->current_valid = false;
    h->frame = NULL;
}

/* ------------------------------------------------------------------ registrations */

void ffm_sync_set_sfn(struct ffm_sync *h, uint16_t service, ffm_sync_sfn_fn fn)
{
    h->sfn[service] = fn;
}

void ffm_sync_set_ipc_handler(struct ffm_sync *h, uint16_t partition, ffm_sync_ipc_fn fn)
{
    h->part[partition].handler = fn;
}

void ffm_sync_set_entry(struct ffm_sync *h, uint16_t partition, ffm_sync_ipc_fn fn)
{
    h->part[partition].entry = fn;
}

void ffm_sync_set_init(struct ffm_sync *h, uint16_t partition, ffm_sync_init_fn fn)
{
    h->part[partition].init = fn;
}

void ffm_sync_set_flih(struct ffm_sync *h, uint16_t irq, ffm_sync_flih_fn fn)
{
    h->flih[irq] = fn;
}

bool ffm_sync_add_region(struct ffm_sync *h, const struct ffm_sync_region *region)
{
    if (h->n_regions >= FFM_SYNC_MAX_REGIONS) {
        return false;
    }
    h->regions[h->n_regions++] = *region;
    return true;
}

struct ffm_caller ffm_sync_ns(int32_t client_id)
{
    return (struct ffm_caller){ .client_id = client_id, .secure = false };
}

struct ffm_caller ffm_sync_sp(const struct ffm_sync *h, uint16_t partition)
{
    return ffm_spm_partition_caller(&h->spm, partition);
}

const struct ffm_event *ffm_sync_last_event(const struct ffm_sync *h)
{
    if (h->n_events == 0 || h->n_events > FFM_SYNC_MAX_EVENTS) {
        return h->n_events == 0 ? NULL : &h->events[FFM_SYNC_MAX_EVENTS - 1];
    }
    return &h->events[h->n_events - 1];
}

unsigned ffm_sync_trace_count(const struct ffm_sync *h, enum ffm_trace_kind kind)
{
    unsigned n = 0;
    unsigned kept = h->n_trace < FFM_SYNC_MAX_TRACE ? h->n_trace : FFM_SYNC_MAX_TRACE;

    for (unsigned i = 0; i < kept; i++) {
        n += h->trace[i].kind == kind;
    }
    return n;
}

/* ------------------------------------------------------------------ port.h */

void ffm_port_event(void *ctx, const struct ffm_event *event)
{
    struct ffm_sync *h = ctx;

    if (h->n_events < FFM_SYNC_MAX_EVENTS) {
        h->events[h->n_events] = *event;
    }
    h->n_events++;
}

void ffm_port_complete(void *ctx, uintptr_t token, struct ffm_ret ret)
{
    struct ffm_sync *h = ctx;
    size_t w = (size_t)token - 1u;

    if (token == 0u || w >= FFM_SYNC_MAX_WAITS || !h->waits[w].in_use) {
        fprintf(stderr, "syncport: completion for unknown token %zu\n", (size_t)token);
        abort(); /* a core invariant is broken: never disguise it */
    }
    h->waits[w].done = true;
    h->waits[w].ret = ret;
}

void ffm_port_wake(void *ctx, uint16_t partition)
{
    struct ffm_sync *h = ctx;

    h->part[partition].pending = true;
}

void ffm_port_flih(void *ctx, uint16_t irq_index)
{
    struct ffm_sync *h = ctx;

    h->flih_pending[irq_index] = true;
}

void ffm_port_trace(void *ctx, const struct ffm_trace_rec *rec)
{
    struct ffm_sync *h = ctx;

    if (h->n_trace < FFM_SYNC_MAX_TRACE) {
        h->trace[h->n_trace] = *rec;
    }
    h->n_trace++;
}

/* MEM-05: may a secure caller reach memory owned by `owner` (-1 = SPM)? */
static bool within_reach(const struct ffm_sync *h, const struct ffm_caller *caller, int32_t owner)
{
    uint8_t level = ffm_spm_config(&h->spm)->isolation_level;
    const struct ffm_system_desc *d = h->desc;

    if (level == 1u || owner == (int32_t)caller->partition) {
        return true;
    }
    if (level == 3u) {
        return false;
    }
    bool caller_app = d->partitions[caller->partition].type == FFM_APPLICATION_ROT;
    bool owner_psa = owner < 0 || d->partitions[owner].type == FFM_PSA_ROT;
    return !(caller_app && owner_psa);
}

static enum ffm_mem_verdict region_verdict(const struct ffm_sync *h,
                                           const struct ffm_sync_region *r,
                                           const struct ffm_caller *caller,
                                           enum ffm_mem_access access)
{
    if (r->unmapped) {
        return FFM_MEM_UNMAPPED;
    }
    if (r->secure && !caller->secure) {
        return FFM_MEM_SECURE_FOR_NS;
    }
    if (r->secure && !within_reach(h, caller, r->owner)) {
        return FFM_MEM_OUT_OF_REACH;
    }
    if ((access & FFM_MEM_WRITE) != 0 && !r->writable) {
        return FFM_MEM_NOT_WRITABLE;
    }
    if ((access & FFM_MEM_READ) != 0 && !r->readable) {
        return FFM_MEM_NOT_READABLE;
    }
    return FFM_MEM_OK;
}

enum ffm_mem_verdict ffm_port_mem_check(void *ctx, const struct ffm_caller *caller,
                                        const void *base, size_t len,
                                        enum ffm_mem_access access)
{
    struct ffm_sync *h = ctx;
    uintptr_t start = (uintptr_t)base;
    uintptr_t end = start + len;

    if (h->mem_check_hook != NULL) {
        h->mem_check_hook(h, base, len);
    }
    for (unsigned i = 0; i < h->n_regions; i++) {
        const struct ffm_sync_region *r = &h->regions[i];
        if (start < r->base + r->size && r->base < end) {
            enum ffm_mem_verdict v = region_verdict(h, r, caller, access);
            if (v != FFM_MEM_OK) {
                return v;
            }
        }
    }
    return FFM_MEM_OK; /* MEM-04: unregistered memory is NS, host rights (read-write here) */
}

/* ------------------------------------------------------------------ frames and unwinding */

typedef void (*framed_fn)(struct ffm_sync *h, void *arg);

static enum ffm_sync_unwind run_framed(struct ffm_sync *h, const struct ffm_caller *caller,
                                       framed_fn fn, void *arg)
{
    struct ffm_sync_frame frame;
    int why;

    frame.outer = h->frame;
    frame.saved = h->current;
    frame.saved_valid = h->current_valid;
    h->frame = &frame;
    h->current = *caller;
    h->current_valid = true;
    why = setjmp(frame.env);
    if (why == 0) {
        fn(h, arg);
    }
    h->frame = frame.outer;
    h->current = frame.saved;
    h->current_valid = frame.saved_valid;
    return (enum ffm_sync_unwind)why;
}

static _Noreturn void unwind(struct ffm_sync *h, enum ffm_sync_unwind why)
{
    if (h->frame == NULL) {
        fprintf(stderr, "syncport: unwind (%d) with no harness frame\n", (int)why);
        abort();
    }
    longjmp(h->frame->env, (int)why);
}

/* Policy `reset`: the whole system stops, so every frame goes, not just the innermost one. */
static _Noreturn void unwind_all(struct ffm_sync *h)
{
    struct ffm_sync_frame *outermost = h->frame;

    if (outermost == NULL) {
        fprintf(stderr, "syncport: reset with no harness frame\n");
        abort();
    }
    while (outermost->outer != NULL) {
        outermost = outermost->outer;
    }
    longjmp(outermost->env, (int)FFM_SYNC_RESET);
}

_Noreturn void ffm_sync_reset(struct ffm_sync *h)
{
    h->reset_requested = true;
    unwind_all(h);
}

/*
 * Panic policy `trap` (PANIC-04): the partition is FAULTED; an NS caller is just unwound.
 * Policy `reset` (PANIC-02) also stops the system: when partition code is on the stack it is
 * all unwound; otherwise (a test settling a direct core call) the flag stops the dispatcher.
 */
static void trap(struct ffm_sync *h, const struct ffm_caller *caller)
{
    h->panics++;
    if (caller->secure) {
        ffm_spm_partition_faulted(&h->spm, caller->partition);
    }
    if (h->policy == FFM_SYNC_POLICY_RESET) {
        h->reset_requested = true;
        if (h->frame != NULL) {
            unwind_all(h);
        }
    }
}

/* ------------------------------------------------------------------ running partition code */

struct sfn_job {
    ffm_sync_sfn_fn fn;
    psa_msg_t msg;
    psa_status_t status;
};

static void call_sfn(struct ffm_sync *h, void *arg)
{
    struct sfn_job *job = arg;

    (void)h;
    job->status = job->fn(&job->msg);
}

static bool sfn_partition_ready(const struct ffm_sync *h, uint16_t p)
{
    const struct ffm_partition_desc *pd = &h->desc->partitions[p];

    for (uint16_t i = 0; i < pd->n_services; i++) {
        if (h->sfn[pd->first_service + i] == NULL) {
            return false; /* the test drives this partition itself */
        }
    }
    return true;
}

static bool run_sfn_partition(struct ffm_sync *h, uint16_t p)
{
    struct ffm_caller c = ffm_sync_sp(h, p);
    const struct ffm_service_desc *svc;
    struct sfn_job job;

    if (!sfn_partition_ready(h, p)) {
        return false;
    }
    while (ffm_sfn_fetch(&h->spm, &c, &job.msg, &svc).value == 1) {
        job.fn = h->sfn[svc - h->desc->services];
        job.status = PSA_SUCCESS;
        h->part[p].running = true;
        enum ffm_sync_unwind why = run_framed(h, &c, call_sfn, &job);
        h->part[p].running = false;
        if (why != FFM_SYNC_RAN) {
            /* an SFN cannot wait for its reply; a panic or a reset is not a deadlock */
            h->deadlocks += (why == FFM_SYNC_YIELDED || why == FFM_SYNC_DEADLOCK);
            break;
        }
        if (ffm_sfn_complete(&h->spm, &c, job.msg.handle, job.status).next == FFM_NEXT_PANIC) {
            trap(h, &c);
            break;
        }
    }
    return true;
}

static void call_ipc(struct ffm_sync *h, void *arg)
{
    struct ffm_sync_part *sp = arg;

    if (sp->entry != NULL) {
        sp->entry();
        /* PANIC-07: an IPC entry point must never return. */
        ffm_sync_finish_now(h, ffm_spm_entry_returned(&h->spm, &h->current, 0));
    } else {
        sp->handler();
    }
}

static bool run_ipc_partition(struct ffm_sync *h, uint16_t p)
{
    struct ffm_caller c = ffm_sync_sp(h, p);
    struct ffm_sync_part *sp = &h->part[p];

    if (sp->entry == NULL && sp->handler == NULL) {
        return false;
    }
    sp->running = true;
    (void)run_framed(h, &c, call_ipc, sp);
    sp->running = false;
    return true;
}

struct flih_job {
    ffm_sync_flih_fn fn;
    psa_flih_result_t result;
};

static void call_flih(struct ffm_sync *h, void *arg)
{
    struct flih_job *job = arg;

    (void)h;
    job->result = job->fn();
}

static void run_flih(struct ffm_sync *h, uint16_t irq)
{
    uint16_t p = h->desc->irqs[irq].partition;
    struct ffm_caller c = ffm_sync_sp(h, p);
    struct flih_job job = { .fn = h->flih[irq], .result = PSA_FLIH_NO_SIGNAL };

    c.handler_mode = true; /* GEN-01 */
    h->flih_pending[irq] = false;
    if (run_framed(h, &c, call_flih, &job) != FFM_SYNC_RAN) {
        return;
    }
    if (ffm_spm_flih_done(&h->spm, irq, job.result).next == FFM_NEXT_PANIC) {
        trap(h, &c);
    }
}

static bool run_partition(struct ffm_sync *h, uint16_t p)
{
    if (h->desc->partitions[p].model == FFM_MODEL_SFN) {
        return run_sfn_partition(h, p);
    }
    return run_ipc_partition(h, p);
}

/* One piece of pending work; false when nothing could run. */
static bool run_one(struct ffm_sync *h)
{
    if (h->reset_requested) {
        return false; /* RESET-07: nothing runs after the trigger */
    }
    for (uint16_t i = 0; i < h->desc->n_irqs; i++) {
        uint16_t p = h->desc->irqs[i].partition;
        if (h->flih_pending[i] && h->flih[i] != NULL && !h->part[p].running &&
            !ffm_spm_partition_is_faulted(&h->spm, p)) {
            run_flih(h, i);
            return true;
        }
    }
    for (uint16_t p = 0; p < h->desc->n_partitions; p++) {
        struct ffm_sync_part *sp = &h->part[p];
        if (sp->pending && !sp->running && !ffm_spm_partition_is_faulted(&h->spm, p)) {
            sp->pending = false;
            if (run_partition(h, p)) {
                return true;
            }
            sp->pending = true; /* nothing registered: the test drives it */
        }
    }
    return false;
}

void ffm_sync_run(struct ffm_sync *h)
{
    unsigned steps = 0;

    while (run_one(h)) {
        if (++steps > FFM_SYNC_MAX_STEPS) {
            h->deadlocks++; /* livelock: partitions keep waking each other */
            return;
        }
    }
}

static bool wait_done(struct ffm_sync *h, int w)
{
    unsigned steps = 0;

    while (!h->waits[w].done) {
        if (!run_one(h) || ++steps > FFM_SYNC_MAX_STEPS) {
            return false;
        }
    }
    return true;
}

/* ------------------------------------------------------------------ boot */

static void init_sfn(struct ffm_sync *h, void *arg)
{
    struct ffm_sync_part *sp = arg;
    psa_status_t status = sp->init();

    ffm_sync_finish_now(h, ffm_spm_entry_returned(&h->spm, &h->current, status));
}

/* ffm-rule: RESET-02 */
/* RESET-02: partitions start in load order; IPC ones run until their first blocking wait. */
static void start_partitions(struct ffm_sync *h)
{
    for (uint16_t p = 0; p < h->desc->n_partitions; p++) {
        struct ffm_sync_part *sp = &h->part[p];
        if (h->desc->partitions[p].model == FFM_MODEL_SFN) {
            if (sp->init != NULL) {
                struct ffm_caller c = ffm_sync_sp(h, p);
                sp->running = true;
                (void)run_framed(h, &c, init_sfn, sp);
                sp->running = false;
            }
        } else if (sp->entry != NULL || sp->handler != NULL) {
            sp->pending = true;
        }
    }
}

int ffm_sync_boot(struct ffm_sync *h, const struct ffm_system_desc *desc,
                  const struct ffm_spm_config *config)
{
    reset_runtime(h);
    h->desc = desc;
    h->config = config != NULL ? *config : ffm_spm_config_default();
    h->boot_status = ffm_spm_boot(&h->spm, desc, &h->config, h);
    if (h->boot_status != FFM_BOOT_OK) {
        return h->boot_status;
    }
    active_harness = h;
    start_partitions(h);
    ffm_sync_run(h);
    return FFM_BOOT_OK;
}

/* ------------------------------------------------------------------ client calls */

int ffm_sync_wait_alloc(struct ffm_sync *h, struct ffm_caller *caller)
{
    for (unsigned i = 0; i < FFM_SYNC_MAX_WAITS; i++) {
        if (!h->waits[i].in_use) {
            h->waits[i] = (struct ffm_sync_wait){ .in_use = true, .caller = *caller };
            caller->token = (uintptr_t)i + 1u;
            h->waits[i].caller.token = caller->token;
            return (int)i;
        }
    }
    return -1;
}

struct ffm_sync_result ffm_sync_settle(struct ffm_sync *h, const struct ffm_caller *caller,
                                       struct ffm_ret ret)
{
    struct ffm_sync_result res = {
        .panicked = ret.next == FFM_NEXT_PANIC,
        .completed = ret.next != FFM_NEXT_BLOCK,
        .value = ret.value,
        .ptr = ret.ptr,
    };

    if (res.panicked) {
        trap(h, caller);
    }
    return res;
}

struct ffm_sync_result ffm_sync_poll(struct ffm_sync *h, int wait_id)
{
    struct ffm_sync_wait *w = &h->waits[wait_id];

    if (!w->done) {
        return (struct ffm_sync_result){ .completed = false };
    }
    w->in_use = false;
    return ffm_sync_settle(h, &w->caller, w->ret);
}

static int begin(struct ffm_sync *h, const struct ffm_caller *caller, int w, struct ffm_ret ret,
                 struct ffm_sync_result *now)
{
    if (ret.next == FFM_NEXT_BLOCK) {
        return w;
    }
    h->waits[w].in_use = false;
    *now = ffm_sync_settle(h, caller, ret);
    return -1;
}

static int take_wait(struct ffm_sync *h, const struct ffm_caller *caller, struct ffm_caller *copy)
{
    *copy = *caller;
    int w = ffm_sync_wait_alloc(h, copy);
    if (w < 0) {
        fprintf(stderr, "syncport: more than %u blocked calls\n", FFM_SYNC_MAX_WAITS);
        abort();
    }
    return w;
}

int ffm_sync_begin_connect(struct ffm_sync *h, const struct ffm_caller *caller, uint32_t sid,
                           uint32_t version, struct ffm_sync_result *now)
{
    struct ffm_caller c;
    int w = take_wait(h, caller, &c);

    return begin(h, &c, w, ffm_psa_connect(&h->spm, &c, sid, version), now);
}

int ffm_sync_begin_call(struct ffm_sync *h, const struct ffm_caller *caller, psa_handle_t handle,
                        int32_t type, const psa_invec *in_vec, size_t in_len,
                        psa_outvec *out_vec, size_t out_len, struct ffm_sync_result *now)
{
    struct ffm_caller c;
    int w = take_wait(h, caller, &c);

    return begin(h, &c, w,
                 ffm_psa_call(&h->spm, &c, handle, type, in_vec, in_len, out_vec, out_len), now);
}

int ffm_sync_begin_close(struct ffm_sync *h, const struct ffm_caller *caller,
                         psa_handle_t handle, struct ffm_sync_result *now)
{
    struct ffm_caller c;
    int w = take_wait(h, caller, &c);

    return begin(h, &c, w, ffm_psa_close(&h->spm, &c, handle), now);
}

static struct ffm_sync_result finish_blocking(struct ffm_sync *h, int w,
                                              struct ffm_sync_result now)
{
    if (w < 0) {
        return now;
    }
    if (!wait_done(h, w)) {
        h->deadlocks += !h->reset_requested; /* a reset is why it never completes */
        return (struct ffm_sync_result){ .completed = false };
    }
    return ffm_sync_poll(h, w);
}

struct ffm_sync_result ffm_sync_connect(struct ffm_sync *h, const struct ffm_caller *caller,
                                        uint32_t sid, uint32_t version)
{
    struct ffm_sync_result now = { .completed = false };
    int w = ffm_sync_begin_connect(h, caller, sid, version, &now);

    return finish_blocking(h, w, now);
}

struct ffm_sync_result ffm_sync_call(struct ffm_sync *h, const struct ffm_caller *caller,
                                     psa_handle_t handle, int32_t type, const psa_invec *in_vec,
                                     size_t in_len, psa_outvec *out_vec, size_t out_len)
{
    struct ffm_sync_result now = { .completed = false };
    int w = ffm_sync_begin_call(h, caller, handle, type, in_vec, in_len, out_vec, out_len, &now);

    return finish_blocking(h, w, now);
}

struct ffm_sync_result ffm_sync_close(struct ffm_sync *h, const struct ffm_caller *caller,
                                      psa_handle_t handle)
{
    struct ffm_sync_result now = { .completed = false };
    int w = ffm_sync_begin_close(h, caller, handle, &now);

    return finish_blocking(h, w, now);
}

/* ------------------------------------------------------------------ code run as a caller */

int64_t ffm_sync_client_finish(struct ffm_sync *h, struct ffm_caller *caller, int wait_id,
                               struct ffm_ret ret)
{
    struct ffm_sync_wait *w = &h->waits[wait_id];

    if (ret.next == FFM_NEXT_BLOCK) {
        if (!wait_done(h, wait_id)) {
            if (h->reset_requested) {
                unwind_all(h);
            }
            h->deadlocks++;
            unwind(h, FFM_SYNC_DEADLOCK);
        }
        ret = w->ret;
    }
    w->in_use = false;
    if (ret.next == FFM_NEXT_PANIC) {
        trap(h, caller);
        unwind(h, FFM_SYNC_PANICKED); /* GEN-06: no caller code runs after the call */
    }
    return ret.value;
}

struct ffm_ret ffm_sync_finish_now(struct ffm_sync *h, struct ffm_ret ret)
{
    if (ret.next == FFM_NEXT_PANIC) {
        trap(h, &h->current);
        unwind(h, FFM_SYNC_PANICKED);
    }
    if (ret.next == FFM_NEXT_BLOCK) {
        unwind(h, FFM_SYNC_YIELDED); /* psa_wait would block: back to the dispatcher */
    }
    return ret;
}

struct run_as_job {
    void (*fn)(void *arg);
    void *arg;
};

static void call_run_as(struct ffm_sync *h, void *arg)
{
    struct run_as_job *job = arg;

    (void)h;
    job->fn(job->arg);
}

enum ffm_sync_unwind ffm_sync_run_as(struct ffm_sync *h, const struct ffm_caller *caller,
                                     void (*fn)(void *arg), void *arg)
{
    struct run_as_job job = { .fn = fn, .arg = arg };
    bool secure = caller->secure;
    enum ffm_sync_unwind why;

    if (secure) {
        h->part[caller->partition].running = true;
    }
    why = run_framed(h, caller, call_run_as, &job);
    if (secure) {
        h->part[caller->partition].running = false;
    }
    return why;
}

/* ------------------------------------------------------------------ save and restore */

void ffm_sync_save(const struct ffm_sync *h, struct ffm_sync *snap)
{
    assert(h->frame == NULL); /* saved between runs, never from partition code */
    memcpy(snap, h, sizeof(*h));
}

void ffm_sync_restore(struct ffm_sync *h, const struct ffm_sync *snap)
{
    size_t tail = offsetof(struct ffm_sync, panics);
    unsigned events = snap->n_events < FFM_SYNC_MAX_EVENTS ? snap->n_events : FFM_SYNC_MAX_EVENTS;
    unsigned trace = snap->n_trace < FFM_SYNC_MAX_TRACE ? snap->n_trace : FFM_SYNC_MAX_TRACE;

    /* The large record arrays are copied only as far as they were used. */
    memcpy(&h->spm, &snap->spm, sizeof(h->spm));
    h->desc = snap->desc;
    h->config = snap->config;
    h->boot_status = snap->boot_status;
    h->n_events = snap->n_events;
    h->n_trace = snap->n_trace;
    memcpy(h->events, snap->events, events * sizeof(snap->events[0]));
    memcpy(h->trace, snap->trace, trace * sizeof(snap->trace[0]));
    memcpy((char *)h + tail, (const char *)snap + tail, sizeof(*h) - tail);
    active_harness = h;
}
