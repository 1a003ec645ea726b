/*
 * sched.c - the run token (issue 5 item 7): exactly one simulated thread runs at a time, the
 * token changes hands only at PSA API boundaries, and the next holder is chosen
 * deterministically: among READY threads the best rank (partition priority HIGH, NORMAL, LOW,
 * then NS), and within a rank the one that became ready first (FIFO). This is the shape of
 * Zephyr's native_sim: one mutex, a condition variable per thread, an "allowed thread" pointer.
 *
 * Lock order: sim->mu is the only lock this file takes, and it is never held while simulated
 * code or the core runs; it is a leaf (memmap's locks are taken only without it).
 *
 * RESET-15: when the token holder blocks and no thread is ready, nothing can ever run again
 * unless the watchdog is armed (a supervisor or the engine then resets the system): that is a
 * DEADLOCK and the boot ends with a report listing every thread and what it waits for.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "engine.h"
#include "ffmsim/platform.h"
#include "report.h"
#include "watchdog.h"

int sim_sched_init(struct sim *sim)
{
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

static struct sim_thread *pick_next_locked(struct sim *sim)
{
    struct sim_thread *best = NULL;
    for (size_t i = 0; i < sim->n_threads; i++) {
        struct sim_thread *t = &sim->threads[i];
        if (t->state != SIM_TS_READY) {
            continue;
        }
        if (best == NULL || t->rank < best->rank ||
            (t->rank == best->rank && t->ready_seq < best->ready_seq)) {
            best = t;
        }
    }
    return best;
}

static void make_ready_locked(struct sim_thread *t)
{
    if (t->state == SIM_TS_BLOCKED || t->state == SIM_TS_NEW) {
        t->state = SIM_TS_READY;
        t->ready_seq = ++t->sim->ready_counter;
    }
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

/* The token leaves `self` (which is no longer RUNNING): give it to the best ready thread. */
static void switch_away_locked(struct sim *sim)
{
    if (sim->ended) {
        sim->running = NULL;
        return;
    }
    struct sim_thread *next = pick_next_locked(sim);
    sim->running = next;
    if (next != NULL) {
        next->state = SIM_TS_RUNNING;
        pthread_cond_signal(&next->cv);
        return;
    }
    /* An armed watchdog will reset the system: waiting for it is not a deadlock (RESET-08). */
    if (sim->setup->wdog != NULL && ffm_wdog_armed(sim->setup->wdog)) {
        return;
    }
    deadlock_locked(sim);
}

/* Wait until `self` holds the token; unwind when the system stops instead. */
static void wait_token_locked(struct sim_thread *self)
{
    struct sim *sim = self->sim;
    while (sim->running != self && !sim->stopping) {
        pthread_cond_wait(&self->cv, &sim->mu);
    }
    if (sim->stopping) {
        pthread_mutex_unlock(&sim->mu);
        siglongjmp(self->start, SIM_UNWIND_STOP);
    }
    self->state = SIM_TS_RUNNING;
    if (self->trapped) {
        pthread_mutex_unlock(&sim->mu);
        siglongjmp(self->start, SIM_UNWIND_TRAP);
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

void sim_block(struct sim_thread *self, enum sim_wait wait, enum ffm_api api)
{
    struct sim *sim = self->sim;
    pthread_mutex_lock(&sim->mu);
    if (!already_satisfied(self, wait, api)) {
        self->state = SIM_TS_BLOCKED;
        self->wait = wait;
        self->blocked_api = api;
        switch_away_locked(sim);
        wait_token_locked(self);
        self->wait = SIM_WAIT_NONE;
    }
    pthread_mutex_unlock(&sim->mu);
}

/* Hand the token to a ready thread ranked better than `self` (or as good, when `or_equal`). */
static void give_way(struct sim_thread *self, bool or_equal)
{
    struct sim *sim = self->sim;
    pthread_mutex_lock(&sim->mu);
    struct sim_thread *next = pick_next_locked(sim);
    if (next != NULL && (next->rank < self->rank || (or_equal && next->rank == self->rank))) {
        self->state = SIM_TS_READY;
        self->ready_seq = ++sim->ready_counter;
        sim->running = next;
        next->state = SIM_TS_RUNNING;
        pthread_cond_signal(&next->cv);
        wait_token_locked(self);
    }
    pthread_mutex_unlock(&sim->mu);
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
    make_ready_locked(t);
    pthread_mutex_unlock(&t->sim->mu);
}

void sim_wait_first_token(struct sim_thread *self)
{
    pthread_mutex_lock(&self->sim->mu);
    wait_token_locked(self);
    pthread_mutex_unlock(&self->sim->mu);
}

void sim_thread_exit(struct sim_thread *self)
{
    struct sim *sim = self->sim;
    pthread_mutex_lock(&sim->mu);
    self->state = SIM_TS_DONE;
    if (self->joiner != NULL) {
        make_ready_locked(self->joiner);
    }
    if (sim->running == self && !sim->stopping) {
        switch_away_locked(sim);
    }
    pthread_mutex_unlock(&sim->mu);
}

_Noreturn void sim_unwind(struct sim_thread *self, enum sim_unwind how)
{
    siglongjmp(self->start, (int)how);
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
    if (sim->running == NULL) {
        switch_away_locked(sim);
    }
    pthread_mutex_unlock(&sim->mu);
}

void sim_sched_stop(struct sim *sim)
{
    pthread_mutex_lock(&sim->mu);
    sim->stopping = true;
    for (size_t i = 0; i < sim->n_threads; i++) {
        pthread_cond_signal(&sim->threads[i].cv);
    }
    pthread_mutex_unlock(&sim->mu);
}
