/*
 * clock.c - the simulated clock: simulated time for partitions and NS (ffm_platform_time_us,
 * ffm_platform_sleep_us), periodic platform IRQ sources (`period_us` in the platform file) and
 * the watchdog's expiry when the system is idle.
 *
 * Time is virtual, as in Zephyr's native_sim: it stands still while simulated code runs and,
 * when every simulated thread is blocked, jumps to the next timer event (a sleeper's wake-up,
 * a periodic tick, the armed watchdog's deadline) instead of declaring a DEADLOCK (RESET-15).
 * Since the token scheduler is deterministic and time advances only at those points, two runs
 * with the same inputs see the same times and the same interrupts in the same order.
 * --realtime keeps the model but makes each jump wait until the host clock gets there.
 *
 * Threading: called by the token holder, or by the host thread that just gave up the token
 * and found nobody ready (sched.c switch_away_locked, with sim->mu held). That thread delivers
 * the events itself - like a CPU taking an interrupt while idle - with sim->mu released, since
 * a tick enters the core and its FLIHs run partition code; no other simulated thread runs
 * meanwhile because nobody holds the token.
 */
#include <stdint.h>
#include <time.h>

#include "engine.h"
#include "watchdog.h"

void sim_clock_init(struct sim *sim)
{
    struct sim_clock *c = &sim->clock;
    const struct sim_setup *su = sim->setup;
    *c = (struct sim_clock){ .host_origin_ns = ffm_monotonic_ns() };
    for (size_t i = 0; su->irq_sources != NULL && su->irq_sources[i] != NULL &&
                       i < SIM_MAX_IRQ_SOURCES; i++) {
        uint32_t period = su->irq_period_us != NULL ? su->irq_period_us[i] : 0;
        c->next_tick_ns[i] = period != 0 ? (uint64_t)period * 1000u : UINT64_MAX;
        c->irq_of[i] = sim_irq_of_source(su, su->irq_sources[i]);
        c->n_sources = i + 1;
    }
}

uint64_t sim_clock_now(struct sim *sim)
{
    struct sim_clock *c = &sim->clock;
    if (sim->setup->realtime) {
        uint64_t host = ffm_monotonic_ns() - c->host_origin_ns;
        c->now_ns = host > c->now_ns ? host : c->now_ns;
    }
    return c->now_ns;
}

void sim_clock_wdog(struct sim *sim, bool armed, uint32_t timeout_ms)
{
    sim->clock.wdog_deadline_ns = armed ? sim_clock_now(sim) + (uint64_t)timeout_ms * 1000000u
                                        : 0;
}

/* Can a tick of source i do anything? Only when a partition handles it, has it enabled and
 * has not faulted: other ticks are no events, so a system whose only timer nobody listens to
 * still ends in a DEADLOCK report instead of idling through simulated time forever. */
static bool tick_live(const struct sim *sim, size_t i)
{
    int irq = sim->clock.irq_of[i];
    if (sim->clock.next_tick_ns[i] == UINT64_MAX || irq < 0) {
        return false;
    }
    uint16_t p = sim->setup->desc->irqs[irq].partition;
    return sim->spm.irq[irq].enabled && !sim->spm.partition[p].faulted;
}

/* The first tick of source i after `when` (the source keeps its period grid). */
static uint64_t tick_after(const struct sim *sim, size_t i, uint64_t when)
{
    uint64_t period = (uint64_t)sim->setup->irq_period_us[i] * 1000u;
    uint64_t next = sim->clock.next_tick_ns[i];
    return next > when ? next : next + period * ((when - next) / period + 1u);
}

/* The earliest timer event, or UINT64_MAX: sleepers, periodic ticks, the watchdog. */
static uint64_t next_event_locked(const struct sim *sim)
{
    uint64_t next = UINT64_MAX;
    for (size_t i = 0; i < sim->n_threads; i++) {
        const struct sim_thread *t = &sim->threads[i];
        if (t->state == SIM_TS_BLOCKED && t->wait == SIM_WAIT_SLEEP && t->wake_at_ns < next) {
            next = t->wake_at_ns;
        }
    }
    for (size_t i = 0; i < sim->clock.n_sources; i++) {
        if (tick_live(sim, i) && sim->clock.next_tick_ns[i] < next) {
            next = sim->clock.next_tick_ns[i];
        }
    }
    if (sim->clock.wdog_deadline_ns != 0 && sim->clock.wdog_deadline_ns < next) {
        next = sim->clock.wdog_deadline_ns;
    }
    return next;
}

/* --realtime: wait (without sim->mu) until the host clock reaches simulated time `when`. */
static void wait_host_until(const struct sim *sim, uint64_t when)
{
    for (;;) {
        uint64_t host = ffm_monotonic_ns() - sim->clock.host_origin_ns;
        if (host >= when) {
            return;
        }
        uint64_t left = when - host;
        struct timespec ts = { .tv_sec = (time_t)(left / 1000000000u),
                               .tv_nsec = (long)(left % 1000000000u) };
        nanosleep(&ts, NULL);
    }
}

/* The watchdog's deadline came while everyone was blocked: make the shared watchdog expire
 * now, so the supervisor resets the system exactly as for a host-time expiry (RESET-08). */
static void expire_wdog(struct sim *sim)
{
    struct ffm_wdog *wdog = sim->setup->wdog;
    sim->clock.wdog_deadline_ns = 0;
    if (wdog != NULL && ffm_wdog_armed(wdog)) {
        uint64_t period = ffm_wdog_period_ns(wdog, ffm_wdog_timeout_ms(wdog));
        uint64_t host = ffm_monotonic_ns();
        ffm_wdog_feed_at(wdog, host > period ? host - period : 0);
    }
}

bool sim_clock_idle_locked(struct sim *sim)
{
    struct sim_thread *self = sim_self();
    uint64_t when = next_event_locked(sim);
    if (self == NULL || when == UINT64_MAX || sim->stopping || sim->ended) {
        return false;
    }
    struct sim_clock *c = &sim->clock;
    pthread_mutex_unlock(&sim->mu);
    if (sim->setup->realtime) {
        wait_host_until(sim, when);
    }
    c->now_ns = when > c->now_ns ? when : c->now_ns;
    bool wdog_due = c->wdog_deadline_ns != 0 && c->wdog_deadline_ns <= when;
    for (size_t i = 0; i < c->n_sources && !wdog_due; i++) {
        if (c->next_tick_ns[i] == UINT64_MAX || c->next_tick_ns[i] > when) {
            continue;
        }
        bool live = tick_live(sim, i) && c->next_tick_ns[i] == when;
        c->next_tick_ns[i] = tick_after(sim, i, when); /* ticks nobody listened to are gone */
        if (live) {
            c->ticks++;
            sim_irq_tick(self, i);
        }
    }
    pthread_mutex_lock(&sim->mu);
    for (size_t i = 0; i < sim->n_threads && !wdog_due; i++) {
        struct sim_thread *t = &sim->threads[i];
        if (t->state == SIM_TS_BLOCKED && t->wait == SIM_WAIT_SLEEP && t->wake_at_ns <= when) {
            sim_make_ready_locked(t);
        }
    }
    if (wdog_due) {
        expire_wdog(sim);
        return false; /* the supervisor resets the system; an armed watchdog is no deadlock */
    }
    return true;
}
