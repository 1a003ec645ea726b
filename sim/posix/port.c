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
#include "trace.h"
#include "watchdog.h"

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
    ffm_copy_field(pe->disposition, sizeof pe->disposition, disp);
    pe->programmer_error = ev->rule != FFM_RULE_PANIC_01 && ev->rule != FFM_RULE_PANIC_07;
}

static void trace_event(struct sim *sim, const struct ffm_event *ev, const char *disp)
{
    struct sim_thread *self = sim_self();
    struct ffm_trace_arg args[] = {
        FFM_TARG_S("rule", ffm_rule_id(ev->rule)),
        FFM_TARG_S("api", ffm_api_name(ev->api)),
        FFM_TARG_S("reason", ev->reason),
        FFM_TARG_S("disposition", disp),
    };
    ffm_trace_instant(sim->setup->trace, self != NULL ? self->trace_tid : FFM_TRACE_TID_GLOBAL,
                      't', ev->disposition == FFM_DISP_PANIC ? "PANIC" : "PROGRAMMER ERROR", "pe",
                      args, 4);
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

void ffm_port_trace(void *ctx, const struct ffm_trace_rec *rec)
{
    struct sim *sim = ctx;
    if (sim->setup->trace == NULL) {
        return;
    }
    struct ffm_trace_arg args[] = {
        FFM_TARG_I("client_id", rec->client_id), FFM_TARG_X("handle", (uint32_t)rec->handle),
        FFM_TARG_I("type", rec->type),           FFM_TARG_I("status", rec->status),
        FFM_TARG_X("signal", rec->signal),
    };
    ffm_trace_instant(sim->setup->trace, 1 + rec->partition, 't', trace_kind_name(rec->kind),
                      "spm",
                      args, 5);
}
