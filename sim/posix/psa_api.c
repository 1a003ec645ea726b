/*
 * psa_api.c - the PSA API as plain symbols (psa_call, psa_wait, ...), exported by ffm-sim to
 * partition and NS images, and the modelled secure gateway they go through.
 *
 * Each function: maps the calling thread to its identity (GEN-02; unknown thread -> internal
 * error, exit 1), enters the SPM (an NS caller crosses the secure gateway: NS -> S, recorded in
 * the trace), calls the core while holding the run token, then acts on struct ffm_ret:
 * RETURN -> run pending FLIHs, give way to a better-ranked ready thread, return; BLOCK -> hand
 * the token over until ffm_port_complete (client APIs) or ffm_port_wake (psa_wait, which then
 * asks the core again); PANIC -> the panic policy (sim_panic), and the call never returns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "engine.h"
#include "fault.h"
#include "ffmsim/platform.h"
#include "psa/client.h"
#include "psa/lifecycle.h"
#include "psa/service.h"
#include "report.h"
#include "slobs.h"
#include "trace.h"
#include "watchdog.h"
#include "where.h"

_Noreturn void sim_unregistered(const char *api)
{
    struct sim *sim = sim_current();
    if (sim != NULL && sim->setup->host != NULL) { /* the supervisor reports and halts */
        sim_end(sim, SIM_END_INTERNAL, FFM_SIM_INTERNAL, FFM_STOP_INTERNAL,
                "[GEN-02] %s called from a thread that is not a simulated thread (create NS "
                "threads with ffm_ns_thread_create)", api);
    }
    FILE *log = sim != NULL && sim->setup->log != NULL ? sim->setup->log : stderr;
    fprintf(log, "ffm-sim: INTERNAL ERROR [GEN-02] %s called from a thread that is not a "
                 "simulated thread (create NS threads with ffm_ns_thread_create) -> halt\n",
            api);
    fflush(NULL);
    _exit(FFM_SIM_INTERNAL);
}

void sim_caller_record(struct sim_thread *self, struct ffm_pe_record *pe, const char *rule,
                       const char *api, const char *reason)
{
    struct ffm_caller c = sim_current_caller(self);
    const char *name = c.secure ? self->sim->setup->desc->partitions[c.partition].name
                                : self->name;
    ffm_pe_record_init(pe, rule, api, c.secure, c.client_id, name, reason);
    ffm_where(self->call_pc, true, pe->where, sizeof pe->where);
    pe->boot = self->sim->setup->spm_config.boot;
    if (c.secure) {
        ffm_copy_field(pe->partition, sizeof pe->partition, name);
    }
}

struct ffm_caller sim_current_caller(struct sim_thread *self)
{
    int p = sim_flih_partition();
    if (p < 0) {
        return self->caller;
    }
    struct ffm_caller c = ffm_spm_partition_caller(&self->sim->spm, (uint16_t)p);
    c.handler_mode = true; /* GEN-01 */
    c.token = (uintptr_t)self;
    return c;
}

void sim_spm_enter(struct sim_thread *self)
{
    if (self->sim->setup->catch_faults) {
        ffm_fault_set_in_spm(true);
    }
}

void sim_spm_leave(struct sim_thread *self)
{
    if (self->sim->setup->catch_faults) {
        ffm_fault_set_in_spm(false);
    }
    sim_domain_reapply(self->sim); /* the SPM may have opened closed memory (MEM-17) */
}

static const char *policy_name(enum sim_policy policy)
{
    switch (policy) {
    case SIM_POLICY_HALT:
        return "halt";
    case SIM_POLICY_TRAP:
        return "trap";
    case SIM_POLICY_RESET:
        break;
    }
    return "reset";
}

/* trap, NS thread (GEN-03, RESET-11): unwind it; the NS entry thread ends the run. */
static _Noreturn void trap_ns(struct sim_thread *self, const char *why)
{
    struct sim *sim = self->sim;
    if (sim->setup->on_trap != NULL) {
        sim->setup->on_trap(sim->setup->cb_arg, false, self->caller.client_id, self->name);
    }
    if (self == sim->ns_main) {
        sim_end(sim, SIM_END_HALT, FFM_SIM_HALTED, FFM_STOP_PANIC,
                "the NS entry thread was unwound under trap (%s)", why);
    }
    sim_unwind(self, SIM_UNWIND_TRAP);
}

/* trap, partition (PANIC-04..06): mark it FAULTED, tell the harness, unwind its code only. */
static _Noreturn void trap_partition(struct sim_thread *self, uint16_t p, bool in_flih)
{
    struct sim *sim = self->sim;
    const struct ffm_partition_desc *pd = &sim->setup->desc->partitions[p];
    ffm_spm_partition_faulted(&sim->spm, p);
    if (sim->setup->on_trap != NULL) {
        sim->setup->on_trap(sim->setup->cb_arg, true, pd->pid, pd->name);
    }
    if (in_flih) {
        /* The FLIH ran on another thread: that one goes on; the partition's own thread
         * unwinds at its next turn. */
        sim_trap_thread(sim->part_thread[p]);
        sim_flih_unwind();
    }
    self->trapped = true;
    sim_boot_point(self);
    sim_unwind(self, SIM_UNWIND_TRAP);
}

_Noreturn void sim_panic(struct sim_thread *self, int stop_reason, const char *why)
{
    struct sim *sim = self->sim;
    int flih_p = sim_flih_partition();
    bool ns = flih_p < 0 && self->kind == SIM_T_NS;
    uint16_t p = flih_p >= 0 ? (uint16_t)flih_p : self->caller.partition;
    const char *name = ns ? self->name : sim->setup->desc->partitions[p].name;
    switch (sim->setup->policy) {
    case SIM_POLICY_TRAP:
        if (ns) {
            trap_ns(self, why);
        }
        trap_partition(self, p, flih_p >= 0);
    case SIM_POLICY_HALT:
        sim_end(sim, SIM_END_HALT, FFM_SIM_HALTED, stop_reason, "%s panicked (%s) -> %s", name,
                why, policy_name(sim->setup->policy));
        break;
    case SIM_POLICY_RESET:
        sim_end(sim, SIM_END_RESET, 0, stop_reason, "%s panicked (%s) -> %s", name, why,
                policy_name(sim->setup->policy));
        break;
    }
    sim_unwind(self, SIM_UNWIND_STOP);
}

/* ---------------------------------------------------------------- the gateway */

#define GATE_MAX_ARGS 5

struct gate {
    struct sim_thread *self;
    struct sim *sim;
    struct ffm_caller caller;
    enum ffm_api api;
    uint64_t t0;
    struct ffm_trace_arg args[GATE_MAX_ARGS]; /* the call's arguments, for the trace */
    size_t n_args;
    char vectors[64]; /* psa_call: its vector lengths, for the trace */
};

/* Record an argument of the call for its trace slice (handle, SID, type, signal, ...). */
static void gate_arg(struct gate *g, struct ffm_trace_arg arg)
{
    if (g->n_args < GATE_MAX_ARGS) {
        g->args[g->n_args++] = arg;
    }
}

/* Expanded in each psa_* function, so the return address is the image's call site. */
#define gate_enter(api) gate_enter_at((api), (uintptr_t)__builtin_return_address(0))

static struct gate gate_enter_at(enum ffm_api api, uintptr_t call_pc)
{
    struct sim_thread *self = sim_self();
    if (self == NULL) {
        sim_unregistered(ffm_api_name(api));
    }
    sim_stack_guard_disarm(self); /* the simulator's work is below stack_size */
    self->call_pc = call_pc;
    sim_stack_note(self, &self); /* before the simulator's work below this frame */
    struct gate g = { .self = self, .sim = self->sim, .api = api };
    g.caller = sim_current_caller(self);
    const struct sim_host *host = g.sim->setup->host;
    if (host != NULL && host->count_call != NULL) {
        host->count_call(host->arg);
    } else if (g.sim->setup->counters != NULL) {
        ffm_counters_add_call(g.sim->setup->counters);
    }
    g.t0 = g.sim->setup->trace != NULL ? ffm_trace_time(g.sim->setup->trace) : 0;
    self->has_result = false;
    self->sfn_target = -1;
    self->call_vectors[0] = '\0';
    sim_stack_enter_sim(self, &g);
    sim_spm_enter(self);
    if (g.caller.secure) { /* under the run token, like the core's trace records */
        ffm_slobs_api(g.sim->setup->observer, g.sim->setup->spm_config.boot, g.caller.partition,
                      ffm_api_name(api));
    }
    return g;
}

/* One slice per API call on the caller's track (an NS caller's slice is the time spent behind
 * the secure gateway), and one line at --log debug. */
static void trace_call(const struct gate *g, const struct ffm_ret *r)
{
    sim_log(g->sim, FFM_LOG_DEBUG, "[%s] %s -> %lld", g->self->name, ffm_api_name(g->api),
            (long long)r->value);
    struct ffm_trace *trace = g->sim->setup->trace;
    if (trace == NULL) {
        return;
    }
    struct ffm_trace_arg args[2 + GATE_MAX_ARGS] = {
        FFM_TARG_S("gateway", g->caller.secure ? "S" : "NS->S->NS"),
        FFM_TARG_I("result", (long long)r->value),
    };
    for (size_t i = 0; i < g->n_args; i++) {
        args[2 + i] = g->args[i];
    }
    ffm_trace_slice(trace, g->self->trace_tid, ffm_api_name(g->api), "psa", g->t0,
                    ffm_trace_time(trace), args, 2 + g->n_args);
}

/* Act on the core's answer for the calling thread (see the file comment). */
static struct ffm_ret gate_finish(struct gate *g, struct ffm_ret r)
{
    struct sim_thread *self = g->self;
    sim_spm_leave(self);
    if (r.next == FFM_NEXT_PANIC) {
        sim_panic(self, FFM_STOP_PANIC, ffm_api_name(g->api));
    }
    sim_run_pending_flihs(self);
    if (r.next == FFM_NEXT_BLOCK) {
        sim_block(self, SIM_WAIT_API, g->api);
        r = self->result;
        self->has_result = false;
        if (r.next == FFM_NEXT_PANIC) {
            sim_panic(self, FFM_STOP_PANIC, ffm_api_name(g->api));
        }
    } else {
        sim_preempt_point(self);
    }
    trace_call(g, &r);
    sim_stack_clean(self); /* the SPM's work is not the partition's stack use */
    sim_stack_guard_arm(self);
    return r;
}

/* ---------------------------------------------------------------- client APIs */

uint32_t psa_framework_version(void)
{
    struct gate g = gate_enter(FFM_API_FRAMEWORK_VERSION);
    return (uint32_t)gate_finish(&g, ffm_psa_framework_version(&g.sim->spm, &g.caller)).value;
}

uint32_t psa_version(uint32_t sid)
{
    struct gate g = gate_enter(FFM_API_VERSION);
    gate_arg(&g, FFM_TARG_X("sid", sid));
    return (uint32_t)gate_finish(&g, ffm_psa_version(&g.sim->spm, &g.caller, sid)).value;
}

psa_handle_t psa_connect(uint32_t sid, uint32_t version)
{
    struct gate g = gate_enter(FFM_API_CONNECT);
    gate_arg(&g, FFM_TARG_X("sid", sid));
    gate_arg(&g, FFM_TARG_I("version", version));
    struct ffm_ret r = ffm_psa_connect(&g.sim->spm, &g.caller, sid, version);
    return (psa_handle_t)gate_finish(&g, r).value;
}

psa_status_t psa_call(psa_handle_t handle, int32_t type, const psa_invec *in_vec, size_t in_len,
                      psa_outvec *out_vec, size_t out_len)
{
    struct gate g = gate_enter(FFM_API_CALL);
    gate_arg(&g, FFM_TARG_X("handle", (uint32_t)handle));
    gate_arg(&g, FFM_TARG_I("type", type));
    gate_arg(&g, FFM_TARG_I("in_len", (long long)in_len));
    gate_arg(&g, FFM_TARG_I("out_len", (long long)out_len));
    struct ffm_ret r = ffm_psa_call(&g.sim->spm, &g.caller, handle, type, in_vec, in_len,
                                    out_vec, out_len);
    /* the lengths from the SPM's copies of the descriptors: a call refused before it was
     * queued has descriptors that may not be readable, and shows none */
    if (g.sim->setup->trace != NULL) { /* only the trace shows them */
        snprintf(g.vectors, sizeof g.vectors, "%s",
                 g.self->call_vectors[0] != '\0' ? g.self->call_vectors : "not read (refused)");
        gate_arg(&g, FFM_TARG_S("vectors", g.vectors));
    }
    return (psa_status_t)gate_finish(&g, r).value;
}

void psa_close(psa_handle_t handle)
{
    struct gate g = gate_enter(FFM_API_CLOSE);
    gate_arg(&g, FFM_TARG_X("handle", (uint32_t)handle));
    gate_finish(&g, ffm_psa_close(&g.sim->spm, &g.caller, handle));
}

/* ---------------------------------------------------------------- partition APIs */

psa_signal_t psa_wait(psa_signal_t signal_mask, uint32_t timeout)
{
    struct gate g = gate_enter(FFM_API_WAIT);
    gate_arg(&g, FFM_TARG_X("signal_mask", signal_mask));
    gate_arg(&g, FFM_TARG_X("timeout", timeout));
    if (g.self->kind == SIM_T_PARTITION && sim_flih_partition() < 0) {
        sim_boot_point(g.self); /* RESET-02 */
    }
    for (;;) {
        g.self->wake_pending = false;
        struct ffm_ret r = ffm_psa_wait(&g.sim->spm, &g.caller, signal_mask, timeout);
        sim_spm_leave(g.self);
        if (r.next == FFM_NEXT_PANIC) {
            sim_panic(g.self, FFM_STOP_PANIC, "psa_wait");
        }
        sim_run_pending_flihs(g.self);
        if (r.next == FFM_NEXT_RETURN) {
            sim_preempt_point(g.self);
            trace_call(&g, &r);
            sim_stack_clean(g.self);
            sim_stack_guard_arm(g.self);
            return (psa_signal_t)r.value;
        }
        sim_block(g.self, SIM_WAIT_API, FFM_API_WAIT);
        sim_spm_enter(g.self);
    }
}

psa_status_t psa_get(psa_signal_t signal, psa_msg_t *msg)
{
    struct gate g = gate_enter(FFM_API_GET);
    gate_arg(&g, FFM_TARG_X("signal", signal));
    return (psa_status_t)gate_finish(&g, ffm_psa_get(&g.sim->spm, &g.caller, signal, msg)).value;
}

void psa_set_rhandle(psa_handle_t msg_handle, void *rhandle)
{
    struct gate g = gate_enter(FFM_API_SET_RHANDLE);
    gate_arg(&g, FFM_TARG_X("msg_handle", (uint32_t)msg_handle));
    gate_finish(&g, ffm_psa_set_rhandle(&g.sim->spm, &g.caller, msg_handle, rhandle));
}

size_t psa_read(psa_handle_t msg_handle, uint32_t invec_idx, void *buffer, size_t num_bytes)
{
    struct gate g = gate_enter(FFM_API_READ);
    gate_arg(&g, FFM_TARG_X("msg_handle", (uint32_t)msg_handle));
    gate_arg(&g, FFM_TARG_I("invec_idx", invec_idx));
    gate_arg(&g, FFM_TARG_I("num_bytes", (long long)num_bytes));
    struct ffm_ret r = ffm_psa_read(&g.sim->spm, &g.caller, msg_handle, invec_idx, buffer,
                                    num_bytes);
    return (size_t)gate_finish(&g, r).value;
}

size_t psa_skip(psa_handle_t msg_handle, uint32_t invec_idx, size_t num_bytes)
{
    struct gate g = gate_enter(FFM_API_SKIP);
    gate_arg(&g, FFM_TARG_X("msg_handle", (uint32_t)msg_handle));
    gate_arg(&g, FFM_TARG_I("invec_idx", invec_idx));
    gate_arg(&g, FFM_TARG_I("num_bytes", (long long)num_bytes));
    struct ffm_ret r = ffm_psa_skip(&g.sim->spm, &g.caller, msg_handle, invec_idx, num_bytes);
    return (size_t)gate_finish(&g, r).value;
}

void psa_write(psa_handle_t msg_handle, uint32_t outvec_idx, const void *buffer,
               size_t num_bytes)
{
    struct gate g = gate_enter(FFM_API_WRITE);
    gate_arg(&g, FFM_TARG_X("msg_handle", (uint32_t)msg_handle));
    gate_arg(&g, FFM_TARG_I("outvec_idx", outvec_idx));
    gate_arg(&g, FFM_TARG_I("num_bytes", (long long)num_bytes));
    gate_finish(&g, ffm_psa_write(&g.sim->spm, &g.caller, msg_handle, outvec_idx, buffer,
                                  num_bytes));
}

void psa_reply(psa_handle_t msg_handle, psa_status_t status)
{
    struct gate g = gate_enter(FFM_API_REPLY);
    gate_arg(&g, FFM_TARG_X("msg_handle", (uint32_t)msg_handle));
    gate_arg(&g, FFM_TARG_I("status", status));
    gate_finish(&g, ffm_psa_reply(&g.sim->spm, &g.caller, msg_handle, status));
}

void psa_notify(int32_t partition_id)
{
    struct gate g = gate_enter(FFM_API_NOTIFY);
    gate_arg(&g, FFM_TARG_I("partition_id", partition_id));
    gate_finish(&g, ffm_psa_notify(&g.sim->spm, &g.caller, partition_id));
}

void psa_clear(void)
{
    struct gate g = gate_enter(FFM_API_CLEAR);
    gate_finish(&g, ffm_psa_clear(&g.sim->spm, &g.caller));
}

void psa_eoi(psa_signal_t irq_signal)
{
    struct gate g = gate_enter(FFM_API_EOI);
    gate_arg(&g, FFM_TARG_X("signal", irq_signal));
    gate_finish(&g, ffm_psa_eoi(&g.sim->spm, &g.caller, irq_signal));
}

void psa_irq_enable(psa_signal_t irq_signal)
{
    struct gate g = gate_enter(FFM_API_IRQ_ENABLE);
    gate_arg(&g, FFM_TARG_X("signal", irq_signal));
    gate_finish(&g, ffm_psa_irq_enable(&g.sim->spm, &g.caller, irq_signal));
}

psa_irq_status_t psa_irq_disable(psa_signal_t irq_signal)
{
    struct gate g = gate_enter(FFM_API_IRQ_DISABLE);
    gate_arg(&g, FFM_TARG_X("signal", irq_signal));
    struct ffm_ret r = ffm_psa_irq_disable(&g.sim->spm, &g.caller, irq_signal);
    return (psa_irq_status_t)gate_finish(&g, r).value;
}

void psa_reset_signal(psa_signal_t irq_signal)
{
    struct gate g = gate_enter(FFM_API_RESET_SIGNAL);
    gate_arg(&g, FFM_TARG_X("signal", irq_signal));
    gate_finish(&g, ffm_psa_reset_signal(&g.sim->spm, &g.caller, irq_signal));
}

void psa_panic(void)
{
    struct gate g = gate_enter(FFM_API_PANIC);
    struct ffm_ret r = ffm_psa_panic(&g.sim->spm, &g.caller);
    sim_spm_leave(g.self);
    (void)r; /* PANIC-01: always a panic (GEN-03 for NS) */
    sim_panic(g.self, g.caller.secure ? FFM_STOP_PSA_PANIC : FFM_STOP_PANIC, "psa_panic");
}

uint32_t psa_rot_lifecycle_state(void)
{
    struct gate g = gate_enter(FFM_API_ROT_LIFECYCLE_STATE);
    return (uint32_t)gate_finish(&g, ffm_psa_rot_lifecycle_state(&g.sim->spm, &g.caller)).value;
}

const void *psa_map_invec(psa_handle_t msg_handle, uint32_t invec_idx)
{
    struct gate g = gate_enter(FFM_API_MAP_INVEC);
    gate_arg(&g, FFM_TARG_X("msg_handle", (uint32_t)msg_handle));
    gate_arg(&g, FFM_TARG_I("invec_idx", invec_idx));
    struct ffm_ret r = ffm_psa_map_invec(&g.sim->spm, &g.caller, msg_handle, invec_idx);
    return gate_finish(&g, r).ptr;
}

void psa_unmap_invec(psa_handle_t msg_handle, uint32_t invec_idx)
{
    struct gate g = gate_enter(FFM_API_UNMAP_INVEC);
    gate_arg(&g, FFM_TARG_X("msg_handle", (uint32_t)msg_handle));
    gate_arg(&g, FFM_TARG_I("invec_idx", invec_idx));
    gate_finish(&g, ffm_psa_unmap_invec(&g.sim->spm, &g.caller, msg_handle, invec_idx));
}

void *psa_map_outvec(psa_handle_t msg_handle, uint32_t outvec_idx)
{
    struct gate g = gate_enter(FFM_API_MAP_OUTVEC);
    gate_arg(&g, FFM_TARG_X("msg_handle", (uint32_t)msg_handle));
    gate_arg(&g, FFM_TARG_I("outvec_idx", outvec_idx));
    struct ffm_ret r = ffm_psa_map_outvec(&g.sim->spm, &g.caller, msg_handle, outvec_idx);
    return (void *)(uintptr_t)gate_finish(&g, r).ptr;
}

void psa_unmap_outvec(psa_handle_t msg_handle, uint32_t outvec_idx, size_t len)
{
    struct gate g = gate_enter(FFM_API_UNMAP_OUTVEC);
    gate_arg(&g, FFM_TARG_X("msg_handle", (uint32_t)msg_handle));
    gate_arg(&g, FFM_TARG_I("outvec_idx", outvec_idx));
    gate_arg(&g, FFM_TARG_I("len", (long long)len));
    gate_finish(&g, ffm_psa_unmap_outvec(&g.sim->spm, &g.caller, msg_handle, outvec_idx, len));
}
