/*
 * port.c - the POSIX port's side of src/core/port.h: PROGRAMMER ERROR events (logged, counted,
 * kept for the supervisor, handed to the embedding program), completions and wake-ups (turned
 * into scheduler state), FLIH requests (queued until the core call returns), memory checks
 * (sim/memmap, the SAU/TT model) and trace records.
 *
 * All of these run on the token holder, inside a core call: they never call the core and never
 * block. They take sim->mu only through sched.c (a leaf lock).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "engine.h"
#include "ffmsim/platform.h"
#include "memmap.h"
#include "report.h"
#include "slobs.h"
#include "trace.h"
#include "watchdog.h"
#include "where.h"

void sim_log(const struct sim *sim, int level, const char *fmt, ...)
{
    if (level > sim->setup->log_level) {
        return;
    }
    FILE *out = sim->setup->log != NULL ? sim->setup->log : stderr;
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fprintf(out, "ffm-sim: %s\n", line);
    fflush(out);
}

static const char *disposition_text(const struct ffm_event *ev, char *buf, size_t size)
{
    switch (ev->disposition) {
    case FFM_DISP_RETURN_STATUS:
        snprintf(buf, size, "returns %d", (int)ev->status);
        return buf;
    case FFM_DISP_RETURN_VOID:
        return "returns";
    case FFM_DISP_PANIC:
        break;
    }
    return "panic";
}

static const char *policy_text(enum sim_policy policy)
{
    return policy == SIM_POLICY_HALT ? "halt" : policy == SIM_POLICY_TRAP ? "trap" : "reset";
}

/* The event as the supervisor and the summary keep it (RESET-13). */
static void fill_record(struct ffm_pe_record *pe, const struct ffm_event *ev, const char *disp)
{
    ffm_pe_record_init(pe, ffm_rule_id(ev->rule), ffm_api_name(ev->api), ev->caller.secure,
                       ev->caller.id, ev->caller.name != NULL ? ev->caller.name : "?",
                       ev->reason);
    pe->seq = ev->seq;
    pe->boot = ev->boot;
    struct sim_thread *self = sim_self();
    if (self != NULL) {
        ffm_where(self->call_pc, true, pe->where, sizeof pe->where);
    }
    ffm_copy_field(pe->disposition, sizeof pe->disposition, disp);
    pe->programmer_error = ev->rule != FFM_RULE_PANIC_01 && ev->rule != FFM_RULE_PANIC_07;
}

static void trace_event(struct sim *sim, const struct ffm_event *ev, const char *disp)
{
    struct sim_thread *self = sim_self();
    const char *where = sim->last_pe.where;
    struct ffm_trace_arg args[] = {
        FFM_TARG_S("rule", ffm_rule_id(ev->rule)),
        FFM_TARG_S("api", ffm_api_name(ev->api)),
        FFM_TARG_S("reason", ev->reason),
        FFM_TARG_S("disposition", disp),
        FFM_TARG_S("caller", ev->caller.name != NULL ? ev->caller.name : "?"),
        FFM_TARG_I("caller_id", ev->caller.id),
        FFM_TARG_S("where", where),
    };
    ffm_trace_instant(sim->setup->trace, self != NULL ? self->trace_tid : FFM_TRACE_TID_GLOBAL,
                      't', ev->disposition == FFM_DISP_PANIC ? "PANIC" : "PROGRAMMER ERROR", "pe",
                      args, where[0] != '\0' ? 7 : 6);
}

void ffm_port_event(void *ctx, const struct ffm_event *event)
{
    struct sim *sim = ctx;
    const struct sim_setup *su = sim->setup;
    char disp[48];
    bool panics = event->disposition == FFM_DISP_PANIC;
    const char *outcome = panics ? policy_text(su->policy)
                                 : disposition_text(event, disp, sizeof disp);
    fill_record(&sim->last_pe, event, panics ? "panic" : outcome);
    sim->has_pe = true;
    if (su->host != NULL && su->host->record_pe != NULL) {
        su->host->record_pe(su->host->arg, &sim->last_pe, panics);
    } else {
        if (su->counters != NULL && sim->last_pe.programmer_error) {
            ffm_counters_add_pe(su->counters, sim->last_pe.rule);
        }
        if ((panics ? FFM_LOG_ERROR : FFM_LOG_WARN) <= su->log_level) {
            ffm_report_event(su->log != NULL ? su->log : stderr,
                             panics ? "PANIC" : "PROGRAMMER ERROR", &sim->last_pe, outcome);
        }
    }
    if (su->trace != NULL) {
        trace_event(sim, event, outcome);
    }
    if (su->on_event != NULL) {
        su->on_event(su->cb_arg, event);
    }
}

void ffm_port_complete(void *ctx, uintptr_t token, struct ffm_ret ret)
{
    (void)ctx;
    struct sim_thread *t = (struct sim_thread *)token;
    t->result = ret;
    t->has_result = true;
    sim_make_ready(t);
}

void ffm_port_wake(void *ctx, uint16_t partition)
{
    struct sim *sim = ctx;
    struct sim_thread *t = sim->part_thread[partition];
    if (t == NULL) {
        return;
    }
    t->wake_pending = true;
    if (t->state == SIM_TS_BLOCKED &&
        (t->wait == SIM_WAIT_SFN_IDLE ||
         (t->wait == SIM_WAIT_API && t->blocked_api == FFM_API_WAIT))) {
        sim_make_ready(t);
    }
}

void ffm_port_flih(void *ctx, uint16_t irq_index)
{
    struct sim *sim = ctx;
    if (sim->n_flih_pending < FFM_MAX_IRQS) {
        sim->flih_pending[sim->n_flih_pending++] = irq_index;
    }
}

static enum ffm_mem_verdict verdict_for_core(enum memmap_verdict v)
{
    switch (v) {
    case MEMMAP_OK:
        return FFM_MEM_OK;
    case MEMMAP_SECURE_FOR_NS:
        return FFM_MEM_SECURE_FOR_NS;
    case MEMMAP_NOT_WRITABLE:
        return FFM_MEM_NOT_WRITABLE;
    case MEMMAP_OUT_OF_REACH:
        return FFM_MEM_OUT_OF_REACH;
    case MEMMAP_NULL_WITH_LEN:
    case MEMMAP_WRAPS:
    case MEMMAP_UNMAPPED:
        break;
    }
    return FFM_MEM_UNMAPPED;
}

enum ffm_mem_verdict ffm_port_mem_check(void *ctx, const struct ffm_caller *caller,
                                        const void *base, size_t len,
                                        enum ffm_mem_access access)
{
    struct sim *sim = ctx;
    struct memmap_caller mc = {
        .secure = caller->secure,
        .pid = caller->secure ? caller->client_id : 0,
        .isolation = ffm_spm_config(&sim->spm)->isolation_level,
        .psa_rot = caller->secure &&
                   sim->setup->desc->partitions[caller->partition].type == FFM_PSA_ROT,
    };
    unsigned need = (access & FFM_MEM_WRITE) != 0 ? MEMMAP_RW : MEMMAP_R;
    return verdict_for_core(memmap_check(sim->setup->map, &mc, base, len, need, NULL));
}

static const char *trace_kind_name(enum ffm_trace_kind kind)
{
    static const char *const names[] = {
        "message queued", "message fetched", "reply", "connection opened",
        "connection closed", "SFN run", "IRQ asserted", "doorbell", "partition faulted",
    };
    return (unsigned)kind < sizeof names / sizeof names[0] ? names[kind] : "?";
}

static bool about_a_message(enum ffm_trace_kind kind)
{
    return kind == FFM_TRACE_MSG_QUEUED || kind == FFM_TRACE_MSG_FETCHED ||
           kind == FFM_TRACE_MSG_REPLIED || kind == FFM_TRACE_CONN_OPENED ||
           kind == FFM_TRACE_CONN_CLOSED || kind == FFM_TRACE_SFN_RUN;
}

/* The IRQ of `partition` whose signal is `signal`, or NULL. */
static const struct ffm_irq_desc *irq_of(const struct ffm_system_desc *d, uint16_t partition,
                                         psa_signal_t signal)
{
    for (uint16_t i = 0; i < d->n_irqs; i++) {
        if (d->irqs[i].partition == partition && d->irqs[i].signal == signal) {
            return &d->irqs[i];
        }
    }
    return NULL;
}

/* The async slice of one message: begins when it is queued, ends when it is replied (or
 * refused because its partition was trapped). id: boot number and message handle, as handles
 * start over at each boot. */
static void trace_message(struct sim *sim, bool begin, uint16_t partition, uint16_t service,
                          const struct ffm_trace_arg *args, size_t n_args, uint32_t handle)
{
    const struct ffm_system_desc *d = sim->setup->desc;
    char name[FFM_PE_NAME_MAX + 16];
    snprintf(name, sizeof name, "message %s", d->services[service].name);
    unsigned long long id = ((unsigned long long)sim->setup->spm_config.boot << 32) | handle;
    ffm_trace_async(sim->setup->trace, 1 + partition, begin, name, "message", id, args, n_args);
}

/* Keep the open messages, so that PANIC-05 refusals can end their slices. */
static void track_message(struct sim *sim, const struct ffm_trace_rec *rec, bool open)
{
    for (size_t i = 0; i < SIM_TRACE_OPEN_MAX; i++) {
        struct sim_open_msg *m = &sim->open_msgs[i];
        if (open && !m->used) {
            *m = (struct sim_open_msg){ .used = true, .partition = rec->partition,
                                        .service = rec->service,
                                        .handle = (uint32_t)rec->handle,
                                        .client_id = rec->client_id, .type = rec->type };
            return;
        }
        if (!open && m->used && m->handle == (uint32_t)rec->handle) {
            m->used = false;
            return;
        }
    }
}

/* PANIC-05: the trapped partition's queued and fetched messages were refused with -130. */
static void refuse_open_messages(struct sim *sim, uint16_t partition)
{
    const struct ffm_system_desc *d = sim->setup->desc;
    for (size_t i = 0; i < SIM_TRACE_OPEN_MAX; i++) {
        struct sim_open_msg *m = &sim->open_msgs[i];
        if (!m->used || m->partition != partition) {
            continue;
        }
        struct ffm_trace_arg args[] = {
            FFM_TARG_I("client_id", m->client_id),
            FFM_TARG_X("handle", m->handle),
            FFM_TARG_I("type", m->type),
            FFM_TARG_I("status", PSA_ERROR_CONNECTION_REFUSED),
            FFM_TARG_X("sid", d->services[m->service].sid),
            FFM_TARG_S("refused", "partition faulted (PANIC-05)"),
        };
        trace_message(sim, false, m->partition, m->service, args, 6, m->handle);
        m->used = false;
    }
}

/*
 * One instant per core trace record on the partition's track, with the message's SID and
 * service; and each message's delivery as an async slice "message SERVICE" from the moment it
 * is queued to its reply (trace_message).
 */
void ffm_port_trace(void *ctx, const struct ffm_trace_rec *rec)
{
    struct sim *sim = ctx;
    ffm_slobs_record(sim->setup->observer, sim->setup->spm_config.boot, rec);
    struct ffm_trace *trace = sim->setup->trace;
    struct sim_thread *self = sim_self();
    if (rec->kind == FFM_TRACE_MSG_QUEUED && self != NULL) {
        /* the message the token holder's client call just queued, and where: the partition
         * that may run in its context (sfn_carry.c) */
        self->sfn_target = rec->partition;
    }
    if (trace == NULL) {
        return;
    }
    char vectors[64];
    ffm_trace_vectors(rec, vectors, sizeof vectors);
    if (rec->kind == FFM_TRACE_MSG_QUEUED && self != NULL) { /* for the call's slice */
        snprintf(self->call_vectors, sizeof self->call_vectors, "%s", vectors);
    }
    const struct ffm_system_desc *d = sim->setup->desc;
    bool msg = about_a_message(rec->kind) && rec->service < d->n_services;
    const struct ffm_irq_desc *irq = rec->kind == FFM_TRACE_IRQ_ASSERTED
                                         ? irq_of(d, rec->partition, rec->signal)
                                         : NULL;
    const char *what = msg ? d->services[rec->service].name : irq != NULL ? irq->source : "";
    struct ffm_trace_arg args[] = {
        FFM_TARG_I("client_id", rec->client_id), FFM_TARG_X("handle", (uint32_t)rec->handle),
        FFM_TARG_I("type", rec->type),           FFM_TARG_I("status", rec->status),
        FFM_TARG_X("signal", rec->signal),
        FFM_TARG_X("sid", msg ? d->services[rec->service].sid : 0),
        FFM_TARG_S(msg ? "service" : "source", what),
        FFM_TARG_X("connection", (uint32_t)rec->connection),
        FFM_TARG_X("rhandle", (uintptr_t)rec->rhandle),
        FFM_TARG_S("vectors", vectors),
    };
    size_t n = msg ? 10 : irq != NULL ? 7 : 5;
    if (irq != NULL) { /* no SID: the source instead */
        args[5] = args[6];
        n = 6;
    }
    int tid = 1 + rec->partition;
    ffm_trace_instant(trace, tid, 't', trace_kind_name(rec->kind), "spm", args, n);
    if (msg && (rec->kind == FFM_TRACE_MSG_QUEUED || rec->kind == FFM_TRACE_MSG_REPLIED)) {
        bool queued = rec->kind == FFM_TRACE_MSG_QUEUED;
        trace_message(sim, queued, rec->partition, rec->service, args, 10,
                      (uint32_t)rec->handle);
        track_message(sim, rec, queued);
    } else if (rec->kind == FFM_TRACE_PARTITION_FAULTED) {
        refuse_open_messages(sim, rec->partition);
    }
}
