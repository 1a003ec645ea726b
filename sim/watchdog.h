/*
 * watchdog.h - the simulated watchdog (RESET-08/09). The simulated system arms, feeds and
 * disarms it by writing a deadline into shared memory; the supervising parent compares that
 * deadline with host monotonic time and kills the child on expiry. Nothing inside the
 * simulated process has to run for the watchdog to fire, so a partition spinning with the
 * scheduling token held cannot hang the run.
 *
 * CLOCK_MONOTONIC is system-wide, so a deadline computed in the child means the same instant
 * in the parent. Fields are lock-free atomics: they are shared between processes.
 */
#ifndef FFM_SIM_WATCHDOG_H
#define FFM_SIM_WATCHDOG_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#if ATOMIC_INT_LOCK_FREE != 2 || (ATOMIC_LLONG_LOCK_FREE != 2 && !defined(__clang__))
#error "the watchdog needs lock-free 64-bit atomics to share state between processes"
#endif
#if defined(__clang__) && ATOMIC_LLONG_LOCK_FREE != 2
/* clang for i386 (make CC=clang M32=1) says "sometimes" for long long, which is 4-byte aligned
 * in structures; an _Atomic 64-bit object is 8-byte aligned, and lock-free (cmpxchg8b). */
_Static_assert(__atomic_always_lock_free(sizeof(_Atomic uint64_t), 0),
               "the watchdog needs lock-free 64-bit atomics to share state between processes");
#endif

/* Lives in the supervisor's shared block. */
struct ffm_wdog {
    _Atomic unsigned long long deadline_ns; /* 0: disarmed */
    _Atomic unsigned int timeout_ms;        /* as last armed (feed restarts this period) */
    double scale;                           /* host time per simulated ms; set at reset only */
    /* Who armed it last ("partition NAME (pid N)"), for the WATCHDOG line; "" if unknown.
     * Written by the simulated system before it arms, read by the supervisor after the boot. */
    char armed_by[112];
};

/* Host monotonic time in nanoseconds. */
uint64_t ffm_monotonic_ns(void);

/* Disarmed, with the given scale (<= 0 means 1.0): cold start and every reset (RESET-08). */
void ffm_wdog_reset(struct ffm_wdog *wdog, double scale);

/* Simulated side. Arm (re-arm) with a timeout; feed restarts the period; disarm. Feeding a
 * disarmed watchdog has no effect. A timeout of 0 expires at the supervisor's next check. */
void ffm_wdog_arm(struct ffm_wdog *wdog, uint32_t timeout_ms);
void ffm_wdog_feed(struct ffm_wdog *wdog);
void ffm_wdog_disarm(struct ffm_wdog *wdog);
/* Record who arms the watchdog (call before ffm_wdog_arm); NULL clears it. */
void ffm_wdog_set_armed_by(struct ffm_wdog *wdog, const char *who);

/* The same, with an explicit "now" (for tests and for callers that already read the clock). */
void ffm_wdog_arm_at(struct ffm_wdog *wdog, uint32_t timeout_ms, uint64_t now_ns);
void ffm_wdog_feed_at(struct ffm_wdog *wdog, uint64_t now_ns);

/* Supervisor side. */
bool ffm_wdog_armed(const struct ffm_wdog *wdog);
bool ffm_wdog_expired(const struct ffm_wdog *wdog, uint64_t now_ns);
uint32_t ffm_wdog_timeout_ms(const struct ffm_wdog *wdog);

/* Host nanoseconds for `timeout_ms` simulated milliseconds under the watchdog's scale. */
uint64_t ffm_wdog_period_ns(const struct ffm_wdog *wdog, uint32_t timeout_ms);

#endif /* FFM_SIM_WATCHDOG_H */
