/*
 * platform_api.c - the simulated platform as seen by partition and NS code
 * (include/ffmsim/platform.h): NVMEM, watchdog, IRQ lines, reset, boot count and logging.
 * Exported by ffm-sim to images under the same rules as the PSA API: called by a simulated
 * thread while it holds the run token.
 *
 * IRQ lines are level-sensitive (SIG-08): raising one goes to the core (ffm_spm_irq_line),
 * which asserts SLIH signals or asks for FLIHs; the FLIHs run before the call returns, and a
 * partition woken by the line preempts the caller if it ranks better.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "ffmsim/platform.h"
#include "slobs.h"
#include "trace.h"
#include "watchdog.h"

/* The work of an API function whose locals are large, in a frame of its own: under
 * --stack-check enforce the partition's stack must hold only the API function's own frame
 * until platform_caller opens the guard (1 KiB of headroom, threads.c). */
#if defined(__GNUC__)
#define SIM_OWN_FRAME __attribute__((noinline))
#else
#define SIM_OWN_FRAME
#endif

/* The stateless report counts calls that act on the platform as work (slobs.h); reading the
 * boot count changes nothing. */
static SIM_OWN_FRAME void observe_platform_call(struct sim_thread *self, const char *api)
{
    const struct sim_setup *su = self->sim->setup;
    struct ffm_caller c = sim_current_caller(self);
    if (su->observer != NULL && c.secure && strcmp(api, "ffm_platform_boot_count") != 0) {
        ffm_slobs_api(su->observer, su->spm_config.boot, c.partition, api);
    }
}

static struct sim_thread *platform_caller(const char *api)
{
    struct sim_thread *self = sim_self();
    if (self == NULL) {
        sim_unregistered(api);
    }
    sim_stack_guard_disarm(self); /* until platform_return */
    observe_platform_call(self, api);
    return self;
}

/* Back to the partition's code (after platform_caller): its stack guard closes again. */
static void platform_return(struct sim_thread *self)
{
    sim_stack_guard_arm(self);
}

void *ffm_platform_nvmem(size_t *size)
{
    struct sim_thread *self = platform_caller("ffm_platform_nvmem");
    const struct sim_setup *su = self->sim->setup;
    struct ffm_caller c = sim_current_caller(self);
    bool allowed = su->nvmem != NULL && c.secure &&
                   (su->nvmem_owner == 0 || su->nvmem_owner == c.client_id);
    if (!allowed) {
        /* ffm-rule: RESET-05 */
        sim_log(self->sim, FFM_LOG_WARN, "%s: ffm_platform_nvmem refused: %s (RESET-05)",
                self->name, su->nvmem == NULL ? "the platform has no NVMEM region"
                            : !c.secure      ? "NVMEM is secure memory"
                                             : "NVMEM is owned by another partition");
    }
    if (size != NULL) {
        *size = allowed ? su->nvmem_size : 0;
    }
    platform_return(self);
    return allowed ? su->nvmem : NULL;
}

static SIM_OWN_FRAME void wdog_arm_by(struct sim_thread *self, uint32_t timeout_ms)
{
    struct ffm_pe_record who;
    char caller[2 * FFM_PE_NAME_MAX];
    sim_caller_record(self, &who, "RESET-08", "ffm_platform_wdog_arm", "");
    ffm_report_caller(caller, sizeof caller, &who);
    ffm_wdog_set_armed_by(self->sim->setup->wdog, caller);
    ffm_wdog_arm(self->sim->setup->wdog, timeout_ms);
    sim_clock_wdog(self->sim, true, ffm_wdog_timeout_ms(self->sim->setup->wdog));
}

void ffm_platform_wdog_arm(uint32_t timeout_ms)
{
    struct sim_thread *self = platform_caller("ffm_platform_wdog_arm");
    if (self->sim->setup->wdog != NULL) {
        wdog_arm_by(self, timeout_ms);
    }
    platform_return(self);
}

void ffm_platform_wdog_feed(void)
{
    struct sim_thread *self = platform_caller("ffm_platform_wdog_feed");
    if (self->sim->setup->wdog != NULL) {
        ffm_wdog_feed(self->sim->setup->wdog);
        if (ffm_wdog_armed(self->sim->setup->wdog)) {
            sim_clock_wdog(self->sim, true, ffm_wdog_timeout_ms(self->sim->setup->wdog));
        }
    }
    platform_return(self);
}

void ffm_platform_wdog_disarm(void)
{
    struct sim_thread *self = platform_caller("ffm_platform_wdog_disarm");
    if (self->sim->setup->wdog != NULL) {
        ffm_wdog_disarm(self->sim->setup->wdog);
    }
    sim_clock_wdog(self->sim, false, 0);
    platform_return(self);
}

/* "17" and "0x11" name the same line; names compare as text. */
static bool same_source(const char *a, const char *b)
{
    char *end_a;
    char *end_b;
    unsigned long na = strtoul(a, &end_a, 0);
    unsigned long nb = strtoul(b, &end_b, 0);
    if (*a != '\0' && *end_a == '\0' && *b != '\0' && *end_b == '\0') {
        return na == nb;
    }
    return strcmp(a, b) == 0;
}

/* Index of the manifest IRQ on `source`; -1 when none uses it; -2 when no platform has it. */
static int find_irq(const struct sim_setup *su, const char *source)
{
    for (uint16_t i = 0; i < su->desc->n_irqs; i++) {
        if (same_source(su->desc->irqs[i].source, source)) {
            return i;
        }
    }
    for (size_t i = 0; su->irq_sources != NULL && su->irq_sources[i] != NULL; i++) {
        if (same_source(su->irq_sources[i], source)) {
            return -1;
        }
    }
    return -2;
}

int sim_irq_of_source(const struct sim_setup *setup, const char *source)
{
    int irq = find_irq(setup, source);
    return irq >= 0 ? irq : -1;
}

static int set_line_of(struct sim_thread *self, const char *api, const char *source,
                       bool level)
{
    struct sim *sim = self->sim;
    int irq = source != NULL ? find_irq(sim->setup, source) : -2;
    if (irq == -2) {
        sim_log(sim, FFM_LOG_WARN, "%s: %s(\"%s\"): no such IRQ source in the platform",
                self->name, api, source != NULL ? source : "(null)");
        return -1;
    }
    if (sim->setup->trace != NULL) { /* an instant on the caller's track, even unhandled */
        struct ffm_trace_arg args[] = {
            FFM_TARG_S("source", source),
            FFM_TARG_S("handled_by", irq >= 0 ? sim->setup->desc->partitions[
                                                    sim->setup->desc->irqs[irq].partition].name
                                              : ""),
        };
        ffm_trace_instant(sim->setup->trace, self->trace_tid, 't',
                          level ? "IRQ line raised" : "IRQ line lowered", "irq", args, 2);
    }
    if (irq < 0) {
        return 0; /* a platform line no partition handles */
    }
    sim_spm_enter(self);
    ffm_spm_irq_line(&sim->spm, (uint16_t)irq, level);
    sim_spm_leave(self);
    sim_log(sim, FFM_LOG_DEBUG, "%s: IRQ %s %s", self->name, source, level ? "raised" : "lowered");
    sim_run_pending_flihs(self);
    sim_preempt_point(self);
    return 0;
}

static int set_line(const char *api, const char *source, bool level)
{
    struct sim_thread *self = platform_caller(api);
    int rc = set_line_of(self, api, source, level);
    platform_return(self);
    return rc;
}

int ffm_platform_irq_raise(const char *source)
{
    return set_line("ffm_platform_irq_raise", source, true);
}

int ffm_platform_irq_lower(const char *source)
{
    return set_line("ffm_platform_irq_lower", source, false);
}

void sim_irq_tick(struct sim_thread *self, size_t source)
{
    struct sim *sim = self->sim;
    const char *name = sim->setup->irq_sources[source];
    int irq = find_irq(sim->setup, name);
    if (sim->setup->trace != NULL) { /* a global instant: no thread raised it */
        struct ffm_trace_arg args[] = {
            FFM_TARG_S("source", name),
            FFM_TARG_S("handled_by", irq >= 0 ? sim->setup->desc->partitions[
                                                    sim->setup->desc->irqs[irq].partition].name
                                              : ""),
            FFM_TARG_I("sim_time_us", (int64_t)(sim->clock.now_ns / 1000u)),
        };
        ffm_trace_instant(sim->setup->trace, FFM_TRACE_TID_GLOBAL, 'g', "IRQ tick", "irq", args,
                          3);
    }
    if (irq < 0) {
        return; /* a periodic source no partition handles */
    }
    sim_spm_enter(self);
    ffm_spm_irq_line(&sim->spm, (uint16_t)irq, true); /* SIG-08: a pulse asserts the signal */
    ffm_spm_irq_line(&sim->spm, (uint16_t)irq, false);
    sim_spm_leave(self);
    sim_log(sim, FFM_LOG_DEBUG, "IRQ %s tick at %llu us", name,
            (unsigned long long)(sim->clock.now_ns / 1000u));
    sim_run_pending_flihs(self);
}

uint64_t ffm_platform_time_us(void)
{
    struct sim_thread *self = platform_caller("ffm_platform_time_us");
    uint64_t now_us = sim_clock_now(self->sim) / 1000u;
    platform_return(self);
    return now_us;
}

void ffm_platform_sleep_us(uint32_t us)
{
    struct sim_thread *self = platform_caller("ffm_platform_sleep_us");
    int flih = sim_flih_partition();
    if (flih >= 0) { /* handler mode cannot block: it would stall the thread it interrupted */
        sim_log(self->sim, FFM_LOG_WARN, "%s: ffm_platform_sleep_us refused in a FLIH",
                self->sim->setup->desc->partitions[flih].name);
        return;
    }
    self->wake_at_ns = sim_clock_now(self->sim) + (uint64_t)us * 1000u;
    sim_block(self, SIM_WAIT_SLEEP, FFM_API_WAIT);
    platform_return(self);
}

static SIM_OWN_FRAME void reset_by(struct sim_thread *self)
{
    struct ffm_pe_record who;
    char caller[2 * FFM_PE_NAME_MAX];
    sim_caller_record(self, &who, "RESET-06", "ffm_platform_reset", "platform reset requested");
    ffm_report_caller(caller, sizeof caller, &who);
    sim_end(self->sim, SIM_END_RESET, 0, FFM_STOP_PLATFORM, "%s", caller); /* RESET-06 */
    sim_unwind(self, SIM_UNWIND_STOP);
}

void ffm_platform_reset(void)
{
    reset_by(platform_caller("ffm_platform_reset"));
}

uint32_t ffm_platform_boot_count(void)
{
    struct sim_thread *self = platform_caller("ffm_platform_boot_count");
    uint32_t boot = self->sim->setup->spm_config.boot;
    platform_return(self);
    return boot;
}

static SIM_OWN_FRAME void log_formatted(struct sim *sim, const struct sim_thread *self, int level,
                                        const char *fmt, va_list ap)
{
    char text[400];
    vsnprintf(text, sizeof text, fmt, ap);
    sim_log(sim, level, "[%s] %s", self != NULL ? self->name : "?", text);
}

void ffm_platform_log(int level, const char *fmt, ...)
{
    struct sim_thread *self = sim_self();
    struct sim *sim = self != NULL ? self->sim : sim_current();
    if (sim == NULL || level > sim->setup->log_level) {
        return;
    }
    /* host formatting (vsnprintf: kilobytes of stack) is the simulator's, not the
     * partition's stack use */
    sim_stack_guard_disarm(self);
    sim_stack_note(self, &self);
    va_list ap;
    va_start(ap, fmt);
    log_formatted(sim, self, level, fmt, ap);
    va_end(ap);
    sim_stack_clean(self);
    sim_stack_guard_arm(self);
}
