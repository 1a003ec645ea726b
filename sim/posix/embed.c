/*
 * embed.c - the embedding API (include/ffmsim/sim.h): run a system with statically linked
 * partitions inside a test program. Names in the description are resolved in the program's
 * symbol table; the system runs in-process through the engine; the `reset` policy boots it
 * again in the same process (RESET-14 bounds the loop).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "engine.h"
#include "ffmsim/platform.h"
#include "ffmsim/sim.h"
#include "memmap.h"
#include "watchdog.h"

struct embed {
    const struct ffm_sim_config *cfg;
    sim_fn entry[FFM_MAX_PARTITIONS];
    sim_fn sfn[FFM_MAX_SERVICES];
    sim_fn flih[FFM_MAX_IRQS];
    int (*ns_main)(void);
    struct memmap *map;
    void *nvmem;
    struct ffm_wdog wdog;
};

struct ffm_sim_config ffm_sim_config_default(void)
{
    return (struct ffm_sim_config){
        .panic = FFM_SIM_PANIC_RESET,
        .max_resets = 8,
        .lifecycle = 0x3000u, /* PSA_LIFECYCLE_SECURED (LC-01) */
        .log_level = FFM_LOG_WARN,
    };
}

static sim_fn lookup(const struct ffm_sim_config *cfg, const char *name)
{
    for (size_t i = 0; name != NULL && i < cfg->n_symbols; i++) {
        if (cfg->symbols[i].name != NULL && strcmp(cfg->symbols[i].name, name) == 0) {
            return cfg->symbols[i].fn;
        }
    }
    return NULL;
}

static int need(struct embed *e, const char *name, sim_fn *slot, char *err, size_t err_size)
{
    *slot = lookup(e->cfg, name);
    if (*slot == NULL) {
        snprintf(err, err_size, "symbol '%s' named by the description is not in the table",
                 name != NULL ? name : "(null)");
        return -1;
    }
    return 0;
}

static int resolve_all(struct embed *e, char *err, size_t err_size)
{
    const struct ffm_system_desc *d = e->cfg->desc;
    for (uint16_t p = 0; p < d->n_partitions; p++) {
        const struct ffm_partition_desc *pd = &d->partitions[p];
        if ((pd->model == FFM_MODEL_IPC || pd->entry != NULL) &&
            need(e, pd->entry, &e->entry[p], err, err_size) != 0) {
            return -1;
        }
    }
    for (uint16_t s = 0; s < d->n_services; s++) {
        if (d->services[s].sfn_name != NULL &&
            need(e, d->services[s].sfn_name, &e->sfn[s], err, err_size) != 0) {
            return -1;
        }
    }
    for (uint16_t i = 0; i < d->n_irqs; i++) {
        if (d->irqs[i].flih_name != NULL &&
            need(e, d->irqs[i].flih_name, &e->flih[i], err, err_size) != 0) {
            return -1;
        }
    }
    sim_fn ns = NULL;
    if (need(e, e->cfg->ns_entry, &ns, err, err_size) != 0) {
        return -1;
    }
    e->ns_main = (int (*)(void))ns;
    return 0;
}

static int32_t pid_of(const struct ffm_system_desc *d, const char *name)
{
    for (uint16_t p = 0; name != NULL && p < d->n_partitions; p++) {
        if (strcmp(d->partitions[p].name, name) == 0) {
            return d->partitions[p].pid;
        }
    }
    return 0;
}

/* NVMEM: secure, owned by the configured partition (RESET-05); kept across in-process
 * resets, 0xFF at the start of the run (RESET-04). */
static int map_nvmem(struct embed *e, char *err, size_t err_size)
{
    const struct ffm_sim_config *cfg = e->cfg;
    if (cfg->nvmem_size == 0) {
        return 0;
    }
    e->nvmem = mmap(NULL, cfg->nvmem_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                    -1, 0);
    if (e->nvmem == MAP_FAILED) {
        e->nvmem = NULL;
        snprintf(err, err_size, "cannot map %zu bytes of NVMEM", cfg->nvmem_size);
        return -1;
    }
    memset(e->nvmem, 0xFF, cfg->nvmem_size);
    int32_t owner = pid_of(cfg->desc, cfg->nvmem_owner);
    struct memmap_range r = {
        .base = (uintptr_t)e->nvmem, .size = cfg->nvmem_size, .secure = true,
        .owner = owner != 0 ? owner : MEMMAP_OWNER_SPM, .owner_psa_rot = true,
        .rights = MEMMAP_RW, .name = "NVMEM",
    };
    return memmap_add(e->map, &r, err, err_size);
}

static void on_core_event(void *arg, const struct ffm_event *ev)
{
    struct embed *e = arg;
    if (e->cfg->on_event == NULL) {
        return;
    }
    bool panics = ev->disposition == FFM_DISP_PANIC;
    struct ffm_sim_event out = {
        .seq = ev->seq, .boot = ev->boot, .rule = ffm_rule_id(ev->rule),
        .api = ffm_api_name(ev->api), .caller_secure = ev->caller.secure,
        .caller_id = ev->caller.id, .caller_name = ev->caller.name, .reason = ev->reason,
        .disposition = panics ? "panic"
                       : ev->disposition == FFM_DISP_RETURN_STATUS ? "return status"
                                                                    : "return",
        .status = ev->status, .panics = panics,
    };
    e->cfg->on_event(e->cfg->cb_arg, &out);
}

static void on_trap(void *arg, bool secure, int32_t id, const char *name)
{
    struct embed *e = arg;
    if (e->cfg->on_trap != NULL) {
        e->cfg->on_trap(e->cfg->cb_arg, secure, id, name);
    }
}

static struct sim_setup make_setup(struct embed *e)
{
    const struct ffm_sim_config *cfg = e->cfg;
    struct sim_setup su = {
        .desc = cfg->desc, .spm_config = ffm_spm_config_default(),
        .policy = cfg->panic == FFM_SIM_PANIC_HALT   ? SIM_POLICY_HALT
                  : cfg->panic == FFM_SIM_PANIC_TRAP ? SIM_POLICY_TRAP
                                                     : SIM_POLICY_RESET,
        .log_level = cfg->log_level, .entry = e->entry, .sfn = e->sfn, .flih = e->flih,
        .ns_main = e->ns_main, .map = e->map, .nvmem = e->nvmem, .nvmem_size = cfg->nvmem_size,
        .nvmem_owner = pid_of(cfg->desc, cfg->nvmem_owner), .wdog = &e->wdog,
        .on_event = on_core_event, .on_trap = on_trap, .cb_arg = e,
    };
    su.spm_config.profile = cfg->profile == 1 ? FFM_PROFILE_TFM : FFM_PROFILE_SPEC;
    su.spm_config.lifecycle_state = cfg->lifecycle;
    return su;
}

/* Boot until the NS entry returns, a halt, or too many consecutive resets (RESET-14). */
static int run_boots(struct embed *e, char *err, size_t err_size)
{
    struct sim_setup su = make_setup(e);
    unsigned consecutive = 0;
    for (uint32_t boot = 1;; boot++) {
        struct sim_outcome out;
        su.spm_config.boot = boot;
        ffm_wdog_reset(&e->wdog, 1.0);
        if (sim_run_boot(&su, &out, err, err_size) != 0) {
            return FFM_SIM_BAD_INPUT;
        }
        switch (out.end) {
        case SIM_END_NS_RETURNED:
            return out.status;
        case SIM_END_RESET:
            consecutive = out.ns_entered ? 0 : consecutive + 1;
            if (consecutive > e->cfg->max_resets) {
                snprintf(err, err_size, "RESET_LOOP: %u consecutive resets (RESET-14)",
                         consecutive);
                return FFM_SIM_RESET_LIMIT;
            }
            break;
        case SIM_END_HALT:
            snprintf(err, err_size, "%s", out.what);
            return FFM_SIM_HALTED;
        case SIM_END_INTERNAL:
        case SIM_END_NONE:
            snprintf(err, err_size, "%s", out.what);
            return FFM_SIM_INTERNAL;
        }
    }
}

int ffm_sim_run(const struct ffm_sim_config *config, char *err, size_t err_size)
{
    char dummy[8];
    if (err == NULL || err_size == 0) {
        err = dummy;
        err_size = sizeof dummy;
    }
    err[0] = '\0';
    if (config == NULL || config->desc == NULL || config->ns_entry == NULL) {
        snprintf(err, err_size, "config, desc and ns_entry are required");
        return FFM_SIM_BAD_INPUT;
    }
    struct embed *e = calloc(1, sizeof *e);
    if (e == NULL) {
        snprintf(err, err_size, "out of memory");
        return FFM_SIM_INTERNAL;
    }
    e->cfg = config;
    e->map = memmap_create();
    int status = FFM_SIM_BAD_INPUT;
    if (e->map != NULL && resolve_all(e, err, err_size) == 0 &&
        map_nvmem(e, err, err_size) == 0) {
        status = run_boots(e, err, err_size);
    }
    if (e->nvmem != NULL) {
        munmap(e->nvmem, config->nvmem_size);
    }
    if (e->map != NULL) {
        memmap_destroy(e->map);
    }
    free(e);
    return status;
}
