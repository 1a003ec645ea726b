/*
 * engine.c - one boot of a simulated system, in-process: boot the SPM core, start the threads
 * (RESET-02 order), wait on the controlling thread until the boot ends, then unwind and join
 * every simulated thread. Used by ffm-sim's supervised child (one boot per process) and by the
 * embedding API (embed.c, which loops for in-process resets).
 *
 * Lock order: sim->mu (sched.c) only; the controlling thread takes it to wait for the end.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine.h"
#include "trace.h"
#include "watchdog.h"

_Static_assert(sizeof(sim_fn) == sizeof(void *), "function and data pointers differ in size");

static struct sim *current_sim;

struct sim *sim_current(void)
{
    return current_sim;
}

sim_fn sim_fn_from_ptr(void *ptr)
{
    sim_fn fn;
    memcpy(&fn, &ptr, sizeof fn);
    return fn;
}

static void deadline_in(struct timespec *ts, long ms)
{
    clock_gettime(CLOCK_REALTIME, ts);
    ts->tv_nsec += ms * 1000000L;
    ts->tv_sec += ts->tv_nsec / 1000000000L;
    ts->tv_nsec %= 1000000000L;
}

/* Without a supervisor, the engine itself watches an armed watchdog (RESET-08). */
static void wait_for_end(struct sim *sim)
{
    const struct sim_setup *su = sim->setup;
    pthread_mutex_lock(&sim->mu);
    while (!sim->ended) {
        if (su->wdog == NULL || su->wdog_supervised || !ffm_wdog_armed(su->wdog)) {
            struct timespec ts;
            deadline_in(&ts, 20);
            pthread_cond_timedwait(&sim->main_cv, &sim->mu, &ts);
            continue;
        }
        if (ffm_wdog_expired(su->wdog, ffm_monotonic_ns())) {
            pthread_mutex_unlock(&sim->mu);
            sim_end(sim, SIM_END_RESET, 0, FFM_STOP_WATCHDOG,
                    "watchdog expired (RESET-08)");
            pthread_mutex_lock(&sim->mu);
            continue;
        }
        struct timespec ts;
        deadline_in(&ts, 2);
        pthread_cond_timedwait(&sim->main_cv, &sim->mu, &ts);
    }
    pthread_mutex_unlock(&sim->mu);
}

/* The trace's simulated clock (--trace-clock sim): this boot's simulated time. */
static uint64_t sim_trace_clock(void *arg)
{
    return sim_clock_now(arg);
}

int sim_run_boot(const struct sim_setup *setup, struct sim_outcome *out, char *err,
                 size_t err_size)
{
    struct sim *sim = calloc(1, sizeof *sim);
    if (sim == NULL || sim_sched_init(sim) != 0) {
        snprintf(err, err_size, "out of memory");
        free(sim);
        return -1;
    }
    sim->setup = setup;
    sim_clock_init(sim);
    int rc = ffm_spm_boot(&sim->spm, setup->desc, &setup->spm_config, sim);
    if (rc != FFM_BOOT_OK) {
        snprintf(err, err_size, "the SPM refused to boot: %s", ffm_boot_strerror(rc));
        sim_sched_destroy(sim);
        free(sim);
        return -1;
    }
    current_sim = sim;
    ffm_trace_sim_boot(setup->trace, sim_trace_clock, sim); /* --trace-clock sim */
    int status = 0;
    if (sim_threads_start(sim, err, err_size) != 0) {
        status = -1;
        sim_end(sim, SIM_END_INTERNAL, FFM_SIM_INTERNAL, FFM_STOP_INTERNAL, "%s", err);
    }
    wait_for_end(sim);
    *out = sim->outcome;
    sim_threads_stop(sim);
    ffm_trace_sim_boot(setup->trace, NULL, NULL);
    current_sim = NULL;
    sim_sched_destroy(sim);
    free(sim);
    return status;
}
