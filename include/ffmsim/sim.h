/*
 * ffmsim/sim.h - run a simulated FF-M system inside a test program, with statically linked
 * partitions and NS code. This is the engine ffm-sim runs, minus the images
 * and the reset supervisor: the same token scheduler, secure gateway, memory checks, IRQs and
 * panic policies.
 *
 * Instead of images, the program hands a table of functions by name: every name the
 * description refers to (IPC entry_point, SFN entry_init, <service>_sfn, <irq>_flih) and the NS
 * entry. The description usually comes from the manifest library (ffm_manifest_desc).
 *
 *     static const struct ffm_sim_symbol syms[] = {
 *         FFM_SIM_SYMBOL(echo_sfn), FFM_SIM_SYMBOL(my_ns_main),
 *     };
 *     struct ffm_sim_config cfg = ffm_sim_config_default();
 *     cfg.desc = desc; cfg.symbols = syms; cfg.n_symbols = 2; cfg.ns_entry = "my_ns_main";
 *     cfg.panic = FFM_SIM_PANIC_TRAP; cfg.on_event = record_event;
 *     int status = ffm_sim_run(&cfg, err, sizeof err);
 *
 * Panic policies in-process: `halt` ends the run with FFM_SIM_HALTED; `trap` unwinds only the
 * offending thread (PANIC-04..06) and keeps going; `reset` unwinds every thread and boots the
 * system again in the same process; more than max_resets consecutive resets that never reach
 * the NS entry stop the run (RESET-14). Partition statics are NOT re-initialised in-process,
 * and a partition spinning for ever cannot be recovered: ffm-sim's supervisor re-creates the
 * process for both.
 *
 * One system runs at a time per process. The PSA API symbols (psa_call, ...) and the platform
 * API (ffmsim/platform.h) come from the same library.
 */
#ifndef FFMSIM_SIM_H
#define FFMSIM_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ffmsim/desc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One function by name. `fn` is the function cast to void (*)(void); FFM_SIM_SYMBOL does it. */
struct ffm_sim_symbol {
    const char *name;
    void (*fn)(void);
};
#define FFM_SIM_SYMBOL(f) { #f, (void (*)(void))(f) }

enum ffm_sim_panic_policy {
    FFM_SIM_PANIC_RESET = 0, /* PANIC-02: restart everything */
    FFM_SIM_PANIC_HALT = 1,  /* PANIC-03: stop, FFM_SIM_HALTED */
    FFM_SIM_PANIC_TRAP = 2,  /* PANIC-04: unwind the offender only */
};

/* A PROGRAMMER ERROR or panic event (GEN-05), as handed to on_event. Strings are valid only
 * during the call. */
struct ffm_sim_event {
    uint32_t seq;            /* within its boot */
    uint32_t boot;           /* 1 at the first boot */
    const char *rule;        /* "CALL-14" */
    const char *api;         /* "psa_call" */
    bool caller_secure;
    int32_t caller_id;       /* pid (> 0) or NS client ID (< 0) */
    const char *caller_name; /* partition name or NS thread name */
    const char *reason;
    const char *disposition; /* "return status", "return", "panic" */
    int32_t status;          /* the value returned to an NS caller */
    bool panics;             /* the caller (or its partition) panics */
};

/* Called synchronously on the simulated thread that caused the event, before any other
 * simulated thread runs (PANIC-04). It must not call the PSA API. */
typedef void (*ffm_sim_event_fn)(void *arg, const struct ffm_sim_event *event);

/* Called after a partition was trapped (marked FAULTED and unwound), or an NS thread unwound. */
typedef void (*ffm_sim_trap_fn)(void *arg, bool secure, int32_t id, const char *name);

struct ffm_sim_config {
    const struct ffm_system_desc *desc;   /* required; stays valid during the run */
    const struct ffm_sim_symbol *symbols; /* entry points, SFNs, FLIHs, NS entry */
    size_t n_symbols;
    const char *ns_entry;                 /* name in symbols of `int f(void)`; required */
    enum ffm_sim_panic_policy panic;
    int profile;                          /* 0: spec, 1: tfm (§5.5) */
    unsigned max_resets;                  /* reset policy: consecutive resets allowed */
    uint32_t lifecycle;                   /* psa_rot_lifecycle_state() (LC-01) */
    size_t nvmem_size;                    /* 0: no NVMEM; else bytes (owner: nvmem_owner) */
    const char *nvmem_owner;              /* partition name, or NULL: any partition */
    int log_level;                        /* enum ffm_log_level (FFM_LOG_WARN by default);
                                           * -1: nothing */
    ffm_sim_event_fn on_event;
    ffm_sim_trap_fn on_trap;
    void *cb_arg;
};

/* Exit statuses shared with the ffm-sim CLI. */
#define FFM_SIM_INTERNAL (1)  /* internal failure (GEN-02 unregistered caller, ...) */
#define FFM_SIM_BAD_INPUT (2) /* the configuration or a symbol is missing */
#define FFM_SIM_HALTED (3)    /* halted after a panic, or a deadlock (RESET-15) */
#define FFM_SIM_RESET_LIMIT (4) /* more than max_resets consecutive resets (RESET-14) */

struct ffm_sim_config ffm_sim_config_default(void);

/*
 * Boot the system and run it until the NS entry returns (its value is returned), or the run
 * halts (FFM_SIM_HALTED), or resets exceed max_resets (FFM_SIM_RESET_LIMIT), or the input is
 * bad (FFM_SIM_BAD_INPUT, one line in err). Every simulated thread has ended on return.
 */
int ffm_sim_run(const struct ffm_sim_config *config, char *err, size_t err_size);

#ifdef __cplusplus
}
#endif

#endif /* FFMSIM_SIM_H */
