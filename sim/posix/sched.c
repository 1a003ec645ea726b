/*
 * sched.c - the run token (issue 5 item 7): exactly one simulated thread runs at a time, the
 * token changes hands only at PSA API boundaries, and the next holder is chosen
 * deterministically: among READY threads the best rank (partition priority HIGH, NORMAL, LOW,
 * then NS), and within a rank the one that became ready first (FIFO). This is the shape of
 * Zephyr's native_sim: one mutex, an "allowed thread" pointer, and a wake-up per thread.
 *
 * Cost. READY threads sit in one FIFO queue per rank with a bit per non-empty queue, so picking
 * the next holder and a preemption point with nothing better ready are O(1) (the latter takes
 * no lock: only the token holder changes the queues). A handoff decides the next holder under
 * sim->mu, releases it, then posts the next holder's gate: the woken thread finds the lock free
 * and runs at once, one context switch per handoff.
 *
 * Lock order: sim->mu is the only lock this file takes, and it is never held while simulated
 * code or the core runs; it is a leaf (memmap's locks are taken only without it). A gate's own
 * mutex (macOS) is taken alone, never with sim->mu held.
 *
 * RESET-15: when the token holder blocks and no thread is ready, the simulated clock (clock.c)
 * jumps to its next timer event (a sleeper, a periodic IRQ tick, the watchdog). With no event
 * left, nothing can ever run again unless the watchdog is armed (a supervisor or the engine then
 * resets the system): that is a DEADLOCK and the boot ends with a report listing every thread
 * and what it waits for.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "engine.h"
#include "fault.h"
#include "ffmsim/platform.h"
#include "isolation.h"
#include "report.h"
#include "stack_switch.h"
#include "watchdog.h"

/* ---------------------------------------------------------------- gates */

#if defined(__APPLE__)
int sim_gate_init(struct sim_gate *gate)
{
    gate->posted = false;
    if (pthread_mutex_init(&gate->mu, NULL) != 0) {
        return -1;
    }
    if (pthread_cond_init(&gate->cv, NULL) != 0) {
        pthread_mutex_destroy(&gate->mu);
        return -1;
    }
    return 0;
}

void sim_gate_destroy(struct sim_gate *gate)
{
    pthread_cond_destroy(&gate->cv);
    pthread_mutex_destroy(&gate->mu);
}

static void gate_post(struct sim_gate *gate)
{
    pthread_mutex_lock(&gate->mu);
    gate->posted = true;
    pthread_mutex_unlock(&gate->mu);
    pthread_cond_signal(&gate->cv); /* after unlocking: the waiter does not wake into a lock */
}

static void gate_wait(struct sim_gate *gate)
{
    pthread_mutex_lock(&gate->mu);
    while (!gate->posted) {
        pthread_cond_wait(&gate->cv, &gate->mu);
    }
    gate->posted = false;
    pthread_mutex_unlock(&gate->mu);
}
#else
int sim_gate_init(struct sim_gate *gate)
{
    return sem_init(&gate->sem, 0, 0);
}

void sim_gate_destroy(struct sim_gate *gate)
{
    sem_destroy(&gate->sem);
}

static void gate_post(struct sim_gate *gate)
{
    sem_post(&gate->sem);
}

static void gate_wait(struct sim_gate *gate)
{
    while (sem_wait(&gate->sem) != 0 && errno == EINTR) {
    }
}
#endif

/* The calling host thread's gate and current unwind point (sim_sched_host_enter). */
static _Thread_local struct sim_gate *tls_gate;
static _Thread_local sigjmp_buf *tls_unwind;

void sim_sched_host_enter(struct sim_thread *self)
{
    tls_gate = &self->gate;
    tls_unwind = &self->start;
}

struct sim_gate *sim_host_gate(void)
{
    return tls_gate;
}

sigjmp_buf *sim_unwind_point(void)
{
    return tls_unwind;
}

void sim_set_unwind_point(sigjmp_buf *point)
{
    tls_unwind = point;
}

/* ---------------------------------------------------------------- ready queues */

static void enqueue_locked(struct sim *sim, struct sim_thread *t)
{
    int r = t->rank;
    t->state = SIM_TS_READY;
    t->next_ready = NULL;
    if (sim->ready_tail[r] != NULL) {
        sim->ready_tail[r]->next_ready = t;
    } else {
        sim->ready_head[r] = t;
    }
    sim->ready_tail[r] = t;
    sim->ready_mask |= 1u << r;
}

/* The best-ranked rank with a READY thread, or -1. */
static int best_rank(unsigned mask)
{
    for (int r = 0; r <= SIM_RANK_NS; r++) {
        if ((mask & (1u << r)) != 0) {
            return r;
        }
    }
    return -1;
}

/* Take the next holder off its queue and make it RUNNING (NULL: nothing is ready). */
static struct sim_thread *dequeue_best_locked(struct sim *sim)
{
    int r = best_rank(sim->ready_mask);
    if (r < 0) {
        return NULL;
    }
    struct sim_thread *t = sim->ready_head[r];
    sim->ready_head[r] = t->next_ready;
    if (sim->ready_head[r] == NULL) {
        sim->ready_tail[r] = NULL;
        sim->ready_mask &= ~(1u << r);
    }
    t->next_ready = NULL;
    t->state = SIM_TS_RUNNING;
    return t;
}

int sim_domain_of(const struct sim_thread *t)
{
    return t->kind == SIM_T_NS ? SIM_DOMAIN_NS : (int)t->caller.partition;
}

/* The domains a running domain reaches (MEM-05 for direct accesses, MEM-15). */
static uint64_t domain_reach(const struct ffm_isolation *iso, int domain)
{
    if (domain == SIM_DOMAIN_NS) {
        return isolation_reach(iso, ISO_RUN_NS);
    }
    return isolation_reach(iso, domain == SIM_DOMAIN_NONE ? ISO_RUN_ALL : domain);
}

/* The domains opened at once when `domain` starts running: its own (the rest on first touch). */
static uint64_t domain_own(int domain)
{
    return domain >= 0 ? 1ull << (unsigned)domain : domain == SIM_DOMAIN_NONE ? ~0ull : 0;
}

void sim_domain_switch(struct sim *sim, int domain)
{
    if (sim->domain == domain) {
        return;
    }
    sim->domain = domain;
    struct ffm_isolation *iso = sim->setup->iso;
    if (iso != NULL) { /* MEM-15: protections follow the running domain */
        isolation_apply(iso, domain_reach(iso, domain), domain_own(domain));
    }
}

void sim_domain_switch_flih(struct sim *sim, int partition, int interrupted)
{
    struct ffm_isolation *iso = sim->setup->iso;
    sim->domain = partition;
    if (iso != NULL) { /* the FLIH runs on the interrupted thread's stack: keep it reachable */
        uint64_t reach = domain_reach(iso, partition);
        if (interrupted >= 0) {
            reach |= domain_reach(iso, interrupted);
        }
        isolation_apply(iso, reach, domain_own(partition));
    }
}

void sim_domain_reapply(struct sim *sim)
{
    struct ffm_isolation *iso = sim->setup->iso;
    if (iso != NULL && sim->domain != SIM_DOMAIN_NONE) { /* after the SPM opened everything */
        isolation_apply(iso, domain_reach(iso, sim->domain), domain_own(sim->domain));
    }
}

void sim_domain_open_all(struct sim *sim)
{
    if (sim->setup->iso != NULL) {
        isolation_apply(sim->setup->iso, ~0ull, ~0ull);
    }
}

/* ---------------------------------------------------------------- host and secure stacks */

/*
 * With isolation, a partition's stack is closed while another domain runs, but the host
 * thread that owns it still runs scheduler code around a handoff (posting the next holder,
 * then sleeping; waking, then switching the protections): that code must never run on a
 * stack the running domain may close. So simulated code runs on secure stacks, and every
 * handoff runs on the host thread's own (pthread) stack, below the frames that were live when
 * it entered the secure stack: tls_host_sp marks that point (NULL: on the host stack now).
 */
static _Thread_local char *tls_host_sp;
#define SIM_HOST_MARGIN (16u * 1024u)      /* frames of the stack switch itself */
#define SIM_HOST_WAIT_STACK (96u * 1024u)  /* handoff, carry bookkeeping, trap reports */

/*
 * An unwind (a stop, a trap, a panic, a fault under `trap`) never jumps from one stack to
 * another: every run on another stack keeps a landing point at its base, which is the unwind
 * point (and the fault recovery point, when there is one) while it runs. An unwind lands there
 * on the stack it started on, returns through the switch, and goes on from the caller's stack,
 * hop by hop, to the thread's own point. Sanitizers that keep state per stack see only jumps
 * within one stack: ThreadSanitizer's setjmp list, whose entries belong to one fiber, and
 * AddressSanitizer's fake stacks. The landing does not save the signal mask (a syscall): the
 * point an unwind ends at does, as before (threads.c, sfn_carry.c).
 */
struct landing_call {
    sim_stack_fn fn;
    void *arg;
    sigjmp_buf *outer_unwind;
    sigjmp_buf *outer_recovery;
    int how; /* 0: fn returned; otherwise what unwound it */
};

static void landing_main(void *p)
{
    struct landing_call *c = p;
    sigjmp_buf landing;
    int how = sigsetjmp(landing, 0);
    if (how == 0) {
        tls_unwind = &landing;
        if (c->outer_recovery != NULL) {
            ffm_fault_set_recovery(&landing);
        }
        c->fn(c->arg);
    }
    c->how = how;
    tls_unwind = c->outer_unwind;
    if (c->outer_recovery != NULL) {
        ffm_fault_set_recovery(c->outer_recovery);
    }
}

/* fn(arg) on `stack`; returns 0, or how it was unwound (the caller restores its own state,
 * then goes on unwinding with continue_unwind). */
static int call_with_landing(sim_stack_fn fn, void *arg, void *stack, size_t size)
{
    struct landing_call c = { fn, arg, tls_unwind, ffm_fault_recovery(), 0 };
    sim_call_on_stack(landing_main, &c, stack, size);
    return c.how;
}

static void continue_unwind(int how)
{
    if (how != 0) {
        siglongjmp(*tls_unwind, how);
    }
}

void sim_run_on_secure_stack(sim_stack_fn fn, void *arg, void *stack, size_t size)
{
    volatile char here = 0;
    char *saved = tls_host_sp;
    tls_host_sp = (char *)&here;
    int how = call_with_landing(fn, arg, stack, size);
    tls_host_sp = saved;
    continue_unwind(how);
}

void sim_host_stack_reset(void)
{
    tls_host_sp = NULL;
}

static void on_host_stack(sim_stack_fn fn, void *arg)
{
    char *sp = tls_host_sp;
    if (sp == NULL) {
        fn(arg);
        return;
    }
    tls_host_sp = NULL;
    char *top = sp - SIM_HOST_MARGIN;
    int how = call_with_landing(fn, arg, top - SIM_HOST_WAIT_STACK, SIM_HOST_WAIT_STACK);
    tls_host_sp = sp;
    continue_unwind(how);
}

int sim_sched_init(struct sim *sim)
{
    sim->domain = SIM_DOMAIN_NONE;
    if (pthread_mutex_init(&sim->mu, NULL) != 0) {
        return -1;
    }
    if (pthread_cond_init(&sim->main_cv, NULL) != 0) {
        pthread_mutex_destroy(&sim->mu);
        return -1;
    }
    return 0;
}

void sim_sched_destroy(struct sim *sim)
{
    pthread_cond_destroy(&sim->main_cv);
    pthread_mutex_destroy(&sim->mu);
}

static void make_ready_locked(struct sim_thread *t)
{
    if (t->state == SIM_TS_BLOCKED || t->state == SIM_TS_NEW) {
        enqueue_locked(t->sim, t);
    }
}

void sim_make_ready_locked(struct sim_thread *t)
{
    make_ready_locked(t);
}

/* The first end wins. With a host, every end but NS_RETURNED leaves the process here. */
static void end_locked(struct sim *sim, enum sim_end end, int status, int stop_reason,
                       const char *fmt, va_list ap)
{
    if (sim->ended) {
        return;
    }
    sim->ended = true;
    sim->outcome.end = end;
    sim->outcome.status = status;
    sim->outcome.stop_reason = stop_reason;
    vsnprintf(sim->outcome.what, sizeof sim->outcome.what, fmt, ap);
    const struct sim_host *host = sim->setup->host;
    if (host != NULL && host->end != NULL && end != SIM_END_NS_RETURNED) {
        sim_record_stack_use(sim, false); /* the process ends in host->end */
        host->end(host->arg, &sim->outcome, sim->has_pe ? &sim->last_pe : NULL);
    }
    pthread_cond_broadcast(&sim->main_cv);
}

static void end_fmt_locked(struct sim *sim, enum sim_end end, int status, int stop_reason,
                           const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    end_locked(sim, end, status, stop_reason, fmt, ap);
    va_end(ap);
}

void sim_end(struct sim *sim, enum sim_end end, int status, int stop_reason, const char *fmt,
             ...)
{
    va_list ap;
    va_start(ap, fmt);
    pthread_mutex_lock(&sim->mu);
    end_locked(sim, end, status, stop_reason, fmt, ap);
    pthread_mutex_unlock(&sim->mu);
    va_end(ap);
}

static const char *wait_text(const struct sim_thread *t, char *buf, size_t size)
{
    switch (t->state) {
    case SIM_TS_NEW:
        return "not started (waits for the partitions before it, RESET-02)";
    case SIM_TS_DONE:
        return t->trapped ? "ended: trapped, FAULTED (PANIC-04)" : "ended";
    case SIM_TS_READY:
    case SIM_TS_RUNNING:
        return "runnable";
    case SIM_TS_BLOCKED:
        break;
    }
    switch (t->wait) {
    case SIM_WAIT_SFN_IDLE:
        return "blocked waiting for a message (SFN partition)";
    case SIM_WAIT_JOIN:
        return "blocked in ffm_ns_thread_join";
    case SIM_WAIT_SLEEP:
        return "sleeping (ffm_platform_sleep_us)";
    case SIM_WAIT_API:
        snprintf(buf, size, "blocked in %s", ffm_api_name(t->blocked_api));
        return buf;
    case SIM_WAIT_NONE:
        break;
    }
    return "blocked";
}

/* RESET-15: end the boot with one line per thread and what it waits for. */
static void deadlock_locked(struct sim *sim)
{
    char report[sizeof sim->outcome.what];
    size_t len = 0;
    report[0] = '\0';
    for (size_t i = 0; i < sim->n_threads && len < sizeof report; i++) {
        const struct sim_thread *t = &sim->threads[i];
        char buf[64];
        int n = snprintf(report + len, sizeof report - len, "%sffm-sim:   %s (%s %d): %s",
                         i == 0 ? "" : "\n", t->name, t->kind == SIM_T_NS ? "NS client" : "pid",
                         (int)t->caller.client_id, wait_text(t, buf, sizeof buf));
        len = n < 0 ? sizeof report : len + (size_t)n;
    }
    if (sim->setup->host == NULL && sim->setup->log_level >= FFM_LOG_ERROR) {
        FILE *log = sim->setup->log != NULL ? sim->setup->log : stderr;
        fprintf(log, "ffm-sim: DEADLOCK [RESET-15] every simulated thread is blocked -> halt\n"
                     "%s\n", report);
        fflush(log);
    }
    end_fmt_locked(sim, SIM_END_HALT, FFM_SIM_HALTED, FFM_STOP_DEADLOCK, "%s", report);
}

/* The token leaves its holder (which is no longer RUNNING): give it to the best ready thread.
 * Returns the thread to wake once sim->mu is released (holder_gate_locked, wake_holder), or
 * NULL. */
static struct sim_thread *switch_away_locked(struct sim *sim)
{
    if (sim->ended) {
        sim->running = NULL;
        return NULL;
    }
    sim->running = NULL;
    struct sim_thread *next = dequeue_best_locked(sim);
    /* Nobody ready: the simulated clock jumps to its next event (clock.c), which may make a
     * thread ready; only with no event left is this a deadlock. */
    while (next == NULL && sim_clock_idle_locked(sim)) {
        if (sim->ended || sim->stopping) {
            return NULL;
        }
        next = dequeue_best_locked(sim);
    }
    sim->running = next;
    if (next != NULL) {
        return next;
    }
    /* An armed watchdog will reset the system: waiting for it is not a deadlock (RESET-08). */
    if (sim->setup->wdog == NULL || !ffm_wdog_armed(sim->setup->wdog)) {
        deadlock_locked(sim);
    }
    return NULL;
}

struct sim_thread *sim_carry_leave(struct sim_thread *p, enum sim_carry_end how)
{
    struct sim *sim = p->sim;
    pthread_mutex_lock(&sim->mu);
    p->wake = &p->gate;
    if (sim->stopping || sim->ended) {
        return sim->running == p ? (sim->running = NULL) : NULL;
    }
    switch (how) {
    case SIM_CARRY_IDLE:
        p->state = SIM_TS_BLOCKED;
        p->wait = SIM_WAIT_SFN_IDLE;
        p->blocked_api = FFM_API_WAIT;
        return switch_away_locked(sim);
    case SIM_CARRY_YIELD: {
        struct sim_thread *next = dequeue_best_locked(sim);
        sim->running = next;
        enqueue_locked(sim, p);
        return next;
    }
    case SIM_CARRY_HANDBACK:
        break;
    }
    return p;
}

bool sim_better_ready(const struct sim_thread *self)
{
    return (self->sim->ready_mask & ((1u << self->rank) - 1u)) != 0;
}

/* Under sim->mu, as the token is given to `next`: the gate its runner waits on (NULL: nobody to
 * post, or this very host thread carries it). Read under the lock, because the carrier of an
 * SFN partition changes the partition's `wake` under it (sfn_carry.c, sim_carry_leave). */
static struct sim_gate *holder_gate_locked(const struct sim_thread *next)
{
    return next != NULL && next->wake != tls_gate ? next->wake : NULL;
}

/* Called without sim->mu: the thread the token was just given to runs now. */
static void wake_holder(struct sim_gate *gate)
{
    if (gate != NULL) {
        gate_post(gate);
    }
}

/* Called without sim->mu: wait until `self` holds the token; unwind when the system stops
 * instead. Returns with sim->mu NOT held. */
static void wait_token(struct sim_thread *self)
{
    struct sim *sim = self->sim;
    pthread_mutex_lock(&sim->mu);
    while ((sim->running != self || self->wake != tls_gate) && !sim->stopping) {
        pthread_mutex_unlock(&sim->mu);
        gate_wait(tls_gate);
        pthread_mutex_lock(&sim->mu);
    }
    bool stopping = sim->stopping;
    if (!stopping) {
        self->state = SIM_TS_RUNNING;
        self->wait = SIM_WAIT_NONE;
    }
    bool trapped = self->trapped;
    pthread_mutex_unlock(&sim->mu);
    /* An unwind returns through the stacks this thread entered (call_with_landing): its own
     * secure stack must be open for that. A stop opened everything (sim_sched_stop); a trapped
     * thread holds the token, so it switches to its own domain like any other holder. */
    if (stopping) {
        siglongjmp(*tls_unwind, SIM_UNWIND_STOP);
    }
    sim_domain_switch(sim, sim_domain_of(self));
    if (trapped) {
        siglongjmp(*tls_unwind, SIM_UNWIND_TRAP);
    }
}

/* Has what `self` would wait for already happened (during the call that asked to block)? */
static bool already_satisfied(struct sim_thread *self, enum sim_wait wait, enum ffm_api api)
{
    if (wait == SIM_WAIT_SFN_IDLE || (wait == SIM_WAIT_API && api == FFM_API_WAIT)) {
        return self->wake_pending;
    }
    if (wait == SIM_WAIT_API) {
        return self->has_result;
    }
    return false;
}

struct block_args {
    struct sim_thread *self;
    enum sim_wait wait;
    enum ffm_api api;
};

static void block_on_host(void *arg)
{
    const struct block_args *a = arg;
    struct sim_thread *self = a->self;
    enum sim_wait wait = a->wait;
    enum ffm_api api = a->api;
    struct sim *sim = self->sim;
    pthread_mutex_lock(&sim->mu);
    if (already_satisfied(self, wait, api)) {
        pthread_mutex_unlock(&sim->mu);
        return;
    }
    self->state = SIM_TS_BLOCKED;
    self->wait = wait;
    self->blocked_api = api;
    struct sim_thread *next = switch_away_locked(sim);
    /* An SFN partition chosen to run next, and the only one that can end this wait, runs
     * here, in this thread's context, instead of on its own thread (no handoff). */
    while (next != NULL && next != self && sim_sfn_can_carry(self, next)) {
        next->wake = tls_gate;
        next->wait = SIM_WAIT_NONE;
        pthread_mutex_unlock(&sim->mu);
        next = sim_sfn_carry(self, next);
    }
    struct sim_gate *gate = holder_gate_locked(next);
    pthread_mutex_unlock(&sim->mu);
    wake_holder(gate);
    wait_token(self);
}

void sim_block(struct sim_thread *self, enum sim_wait wait, enum ffm_api api)
{
    struct block_args a = { .self = self, .wait = wait, .api = api };
    on_host_stack(block_on_host, &a);
}

static void give_way_on_host(void *arg)
{
    struct sim_thread *self = arg;
    struct sim *sim = self->sim;
    pthread_mutex_lock(&sim->mu);
    struct sim_thread *next = dequeue_best_locked(sim);
    sim->running = next;
    enqueue_locked(sim, self);
    struct sim_gate *gate = holder_gate_locked(next);
    pthread_mutex_unlock(&sim->mu);
    wake_holder(gate);
    wait_token(self);
}

/* Hand the token to a ready thread ranked better than `self` (or as good, when `or_equal`).
 * The token holder alone changes ready_mask, so the common case (nobody better is ready)
 * reads it without the lock. */
static void give_way(struct sim_thread *self, bool or_equal)
{
    struct sim *sim = self->sim;
    unsigned better = (1u << (self->rank + (or_equal ? 1 : 0))) - 1u;
    if ((sim->ready_mask & better) == 0) {
        return;
    }
    on_host_stack(give_way_on_host, self);
}

void sim_preempt_point(struct sim_thread *self)
{
    give_way(self, false);
}

void sim_yield(struct sim_thread *self)
{
    give_way(self, true);
}

void sim_make_ready(struct sim_thread *t)
{
    pthread_mutex_lock(&t->sim->mu);
    make_ready_locked(t);
    pthread_mutex_unlock(&t->sim->mu);
}

void sim_trap_thread(struct sim_thread *t)
{
    pthread_mutex_lock(&t->sim->mu);
    t->trapped = true;
    /* A thread whose host runs an SFN in its context (sfn_carry.c) cannot be resumed before
     * that run returns: it unwinds when its call completes and it gets the token back. */
    if (t->carrying == 0) {
        make_ready_locked(t);
    }
    pthread_mutex_unlock(&t->sim->mu);
}

void sim_wait_first_token(struct sim_thread *self)
{
    wait_token(self);
}

void sim_thread_exit(struct sim_thread *self)
{
    struct sim *sim = self->sim;
    pthread_mutex_lock(&sim->mu);
    self->state = SIM_TS_DONE;
    if (self->joiner != NULL) {
        make_ready_locked(self->joiner);
    }
    struct sim_thread *next = NULL;
    if (sim->running == self && !sim->stopping) {
        next = switch_away_locked(sim);
    }
    struct sim_gate *gate = holder_gate_locked(next);
    pthread_mutex_unlock(&sim->mu);
    wake_holder(gate);
}

_Noreturn void sim_unwind(struct sim_thread *self, enum sim_unwind how)
{
    (void)self;
    siglongjmp(*tls_unwind, (int)how);
}

/* ffm-rule: RESET-02 */
/* RESET-02: release the next partition in start order, then the NS application. */
void sim_boot_point(struct sim_thread *self)
{
    struct sim *sim = self->sim;
    if (self->booted) {
        return;
    }
    self->booted = true;
    pthread_mutex_lock(&sim->mu);
    if (sim->n_started < sim->setup->desc->n_partitions) {
        uint16_t p = sim->start_order[sim->n_started++];
        make_ready_locked(sim->part_thread[p]);
    } else if (sim->ns_main != NULL) {
        make_ready_locked(sim->ns_main);
    }
    pthread_mutex_unlock(&sim->mu);
}

void sim_sched_kick(struct sim *sim)
{
    pthread_mutex_lock(&sim->mu);
    struct sim_thread *next = NULL;
    if (sim->running == NULL) {
        next = switch_away_locked(sim);
    }
    struct sim_gate *gate = holder_gate_locked(next);
    pthread_mutex_unlock(&sim->mu);
    wake_holder(gate);
}

void sim_sched_stop(struct sim *sim)
{
    sim_domain_open_all(sim); /* threads unwind onto their secure stacks */
    pthread_mutex_lock(&sim->mu);
    sim->stopping = true;
    size_t n = sim->n_threads;
    pthread_mutex_unlock(&sim->mu);
    for (size_t i = 0; i < n; i++) {
        gate_post(&sim->threads[i].gate);
    }
}
