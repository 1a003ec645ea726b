/*
 * watchdog.c - the watchdog's shared deadline (RESET-08): written by the simulated system,
 * checked by the supervisor.
 */
#include "watchdog.h"

#include <time.h>

uint64_t ffm_monotonic_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void ffm_wdog_reset(struct ffm_wdog *wdog, double scale)
{
    atomic_store(&wdog->deadline_ns, 0);
    atomic_store(&wdog->timeout_ms, 0);
    wdog->scale = scale > 0 ? scale : 1.0;
    wdog->armed_by[0] = '\0';
}

void ffm_wdog_set_armed_by(struct ffm_wdog *wdog, const char *who)
{
    size_t n = 0;

    while (who != NULL && who[n] != '\0' && n + 1 < sizeof(wdog->armed_by)) {
        wdog->armed_by[n] = who[n];
        n++;
    }
    wdog->armed_by[n] = '\0';
}

uint64_t ffm_wdog_period_ns(const struct ffm_wdog *wdog, uint32_t timeout_ms)
{
    return (uint64_t)((double)timeout_ms * 1e6 * wdog->scale);
}

/* A deadline of 0 means "disarmed", so an armed deadline is never stored as 0. */
static unsigned long long deadline_after(const struct ffm_wdog *wdog, uint32_t timeout_ms,
                                         uint64_t now_ns)
{
    unsigned long long deadline = now_ns + ffm_wdog_period_ns(wdog, timeout_ms);

    return deadline != 0 ? deadline : 1;
}

void ffm_wdog_arm_at(struct ffm_wdog *wdog, uint32_t timeout_ms, uint64_t now_ns)
{
    atomic_store(&wdog->timeout_ms, timeout_ms);
    atomic_store(&wdog->deadline_ns, deadline_after(wdog, timeout_ms, now_ns));
}

void ffm_wdog_arm(struct ffm_wdog *wdog, uint32_t timeout_ms)
{
    ffm_wdog_arm_at(wdog, timeout_ms, ffm_monotonic_ns());
}

/* Compare-exchange so that a feed racing with a disarm never re-arms the watchdog. */
void ffm_wdog_feed_at(struct ffm_wdog *wdog, uint64_t now_ns)
{
    unsigned long long current = atomic_load(&wdog->deadline_ns);
    unsigned long long next;

    if (current == 0) {
        return;
    }
    next = deadline_after(wdog, atomic_load(&wdog->timeout_ms), now_ns);
    atomic_compare_exchange_strong(&wdog->deadline_ns, &current, next);
}

void ffm_wdog_feed(struct ffm_wdog *wdog)
{
    ffm_wdog_feed_at(wdog, ffm_monotonic_ns());
}

void ffm_wdog_disarm(struct ffm_wdog *wdog)
{
    atomic_store(&wdog->deadline_ns, 0);
}

bool ffm_wdog_armed(const struct ffm_wdog *wdog)
{
    return atomic_load(&((struct ffm_wdog *)wdog)->deadline_ns) != 0;
}

bool ffm_wdog_expired(const struct ffm_wdog *wdog, uint64_t now_ns)
{
    unsigned long long deadline = atomic_load(&((struct ffm_wdog *)wdog)->deadline_ns);

    return deadline != 0 && now_ns >= deadline;
}

uint32_t ffm_wdog_timeout_ms(const struct ffm_wdog *wdog)
{
    return atomic_load(&((struct ffm_wdog *)wdog)->timeout_ms);
}
