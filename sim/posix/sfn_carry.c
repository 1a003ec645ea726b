/*
 * sfn_carry.c - SFN service functions run in the caller's context (docs/ffm-sim.md section 4).
 *
 * In FF-M an SFN partition has no thread of its own: the SPM runs the service function in the
 * caller's execution context, with the partition's identity and stack. The simulator keeps one
 * scheduling record per partition (and a host thread that serves it when no caller can), but
 * when a client's psa_call, psa_connect or psa_close blocks and the scheduler's next choice is
 * exactly the SFN partition that received that client's message, the client's own host thread
 * runs the partition ("carries" it) instead of handing the token to another thread:
 *
 *   - the order of events is the thread model's: the partition runs only when the scheduler
 *     would have picked it, and it yields, blocks and goes idle at the same points;
 *   - it runs as the partition: sim_self() is the partition's record (caller ID, security
 *     state, memory attribution, trace track), and the fault handler attributes a fault to the
 *     partition (RESET-10);
 *   - on a secure stack: the partition's SFN stack (registered secure, owned by the partition,
 *     with a guard page), entered with a user-space stack switch that makes no system call
 *     (stack_switch.h), never on the caller's stack;
 *   - a panic or, under `trap`, a fault unwinds to the carry point on that stack, and the
 *     partition's own host thread then ends it exactly as if it had run there (PANIC-04..06);
 *     a stopping system unwinds the carrier as well.
 *
 * Why this is safe: the carrier's record waits for one thing only, the completion of the
 * message it queued at this partition, which only this partition (or its trap, or a stop) can
 * give. So while the partition's frames sit on top of the carrier's stack the scheduler can
 * never choose the carrier; when the carrier's call is complete and the partition has more
 * work, the partition is handed back to its own thread.
 *
 * Domain switch: carry_enter_domain()/carry_leave_domain() call sim_domain_switch (sched.c),
 * the one hook where the running protection domain changes (caller -> partition and back here;
 * the token handoffs and FLIHs call it too).
 *
 * Locks: sim->mu only through sched.c; none held while partition code runs.
 */
#include <signal.h>
#include <string.h>

#include "engine.h"
#include "fault.h"
#include "stack_switch.h"

/* One SFN partition carried by the calling host thread. */
struct carry {
    struct sim_thread *carrier; /* the blocked record whose host thread runs the partition */
    struct sim_thread *p;       /* the SFN partition */
    int savemask;               /* sigsetjmp: restore the signal mask (fault recovery) */
    sigjmp_buf jb;              /* on the partition's stack: panic, trap, stop, fault */
    enum sim_carry_end end;
    int how;                    /* 0, or what unwound the run (enum sim_unwind, signal) */
};

bool sim_sfn_can_carry(const struct sim_thread *self, const struct sim_thread *next)
{
    bool client_call = self->wait == SIM_WAIT_API &&
                       (self->blocked_api == FFM_API_CALL ||
                        self->blocked_api == FFM_API_CONNECT ||
                        self->blocked_api == FFM_API_CLOSE);
    return next->kind == SIM_T_PARTITION && next->sfn_stack != NULL &&
           next->wait == SIM_WAIT_SFN_IDLE && next->wake == &next->gate && !next->trapped &&
           !next->has_handover && client_call && !self->has_result &&
           self->sfn_target == (int)next->caller.partition && sim_flih_partition() < 0;
}

/* The domain switch (the hook for memory isolation): the host thread now runs as `to`. */
static void carry_enter_domain(const struct sim_thread *to)
{
    const struct sim_setup *su = to->sim->setup;
    sim_domain_switch(to->sim, sim_domain_of(to));
    sim_set_self((struct sim_thread *)to);
    if (su->catch_faults) {
        ffm_fault_thread_enter(to->kind == SIM_T_NS ? FFM_THREAD_NS : FFM_THREAD_PARTITION,
                               to->caller.client_id, to->name);
    }
}

static void carry_leave_domain(struct sim_thread *back_to)
{
    carry_enter_domain(back_to);
}

/* The SFN partition's loop, as its own thread would run it (threads.c), on its SFN stack. */
static enum sim_carry_end carry_loop(struct carry *c)
{
    struct sim_thread *p = c->p;
    for (;;) {
        psa_msg_t msg;
        const struct ffm_service_desc *svc = NULL;
        if (!sim_sfn_fetch(p, &msg, &svc)) {
            return SIM_CARRY_IDLE;
        }
        if (c->carrier->has_result) {
            /* The carrier's call is complete: the scheduler may choose it at any time now,
             * so the partition's further work goes to its own thread. */
            p->handover_msg = msg;
            p->handover_svc = svc;
            p->has_handover = true;
            return SIM_CARRY_HANDBACK;
        }
        sim_run_sfn_message(p, &msg, svc);
        if (sim_better_ready(p)) { /* the preemption point after each SFN run */
            return SIM_CARRY_YIELD;
        }
    }
}

/* On the partition's SFN stack (sim_call_on_stack); returning switches back. */
static void carry_main(void *arg)
{
    struct carry *c = arg;
    int how = sigsetjmp(c->jb, c->savemask);
    if (how == 0) {
        sim_set_unwind_point(&c->jb);
        if (c->savemask) {
            ffm_fault_set_recovery(&c->jb);
        }
        c->end = carry_loop(c);
    } else {
        sim_stack_guard_disarm(c->p); /* unwound from the partition's code */
        c->how = how;
    }
}

struct sim_thread *sim_sfn_carry(struct sim_thread *self, struct sim_thread *p)
{
    const struct sim_setup *su = p->sim->setup;
    struct carry c;
    memset(&c, 0, sizeof c);
    c.carrier = self;
    c.p = p;
    c.savemask = su->catch_faults && su->policy == SIM_POLICY_TRAP;
    struct sim_thread *back_to = sim_self();
    sigjmp_buf *unwind = sim_unwind_point();
    self->carrying++;
    carry_enter_domain(p);
    sim_run_on_secure_stack(carry_main, &c, p->sfn_stack, p->sfn_stack_size);
    carry_leave_domain(back_to);
    self->carrying--;
    sim_set_unwind_point(unwind);
    if (c.savemask) {
        ffm_fault_set_recovery(unwind);
    }
    if (c.how == SIM_UNWIND_STOP) {
        sim_unwind(back_to, SIM_UNWIND_STOP);
    }
    if (c.how != 0) {
        /* A panic (already recorded, PANIC-04) or a fault under trap: the partition is
         * FAULTED; its own thread takes the token and unwinds, as if it had run there. */
        if (c.how != SIM_UNWIND_TRAP) {
            sim_after_fault(p, c.how);
        }
        p->trapped = true;
        return sim_carry_leave(p, SIM_CARRY_HANDBACK);
    }
    return sim_carry_leave(p, c.end);
}
