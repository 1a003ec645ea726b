/*
 * isolate.c - a boot's part of direct-access isolation (MEM-15, docs/isolation.md): each
 * partition's stacks join the isolation table (sim/isolation.h) before its threads start, the
 * fault handler learns how to name the owner of a closed address and how to let the SPM in
 * (MEM-17), and at the end of the boot everything is reachable again and the stacks leave
 * the table. The switches themselves happen in sim_domain_switch (sched.c).
 */
#include <stdio.h>
#include <sys/mman.h>

#include "engine.h"
#include "fault.h"
#include "ffmsim/platform.h"
#include "isolation.h"

static bool closed_at(void *arg, uintptr_t addr)
{
    return isolation_closed_at(arg, addr);
}

static bool describe(void *arg, uintptr_t addr, char *buf, size_t size)
{
    return isolation_describe(arg, addr, buf, size);
}

static bool open_on_fault(void *arg, uintptr_t addr, bool privileged)
{
    return isolation_open_on_fault(arg, addr, privileged);
}

static int add_stack(struct ffm_isolation *iso, const struct sim_thread *t, uint16_t p,
                     const char *pname, char *err, size_t err_size)
{
    uint64_t dom = 1ull << p;
    int rw = PROT_READ | PROT_WRITE;
    if (t->stack != NULL && isolation_add(iso, (uintptr_t)t->stack, t->stack_size, dom, rw,
                                          pname, "stack", err, err_size) != 0) {
        return -1;
    }
    if (t->sfn_stack != NULL &&
        isolation_add(iso, (uintptr_t)t->sfn_stack, t->sfn_stack_size, dom, rw, pname,
                      "SFN stack", err, err_size) != 0) {
        return -1;
    }
    return 0;
}

int sim_isolation_boot(struct sim *sim, char *err, size_t err_size)
{
    struct ffm_isolation *iso = sim->setup->iso;
    if (iso == NULL) {
        return 0;
    }
    sim->iso_ranges0 = iso->n_ranges;
    sim->iso_pieces0 = iso->n_pieces;
    for (uint16_t p = 0; p < sim->setup->desc->n_partitions; p++) {
        const struct sim_thread *t = sim->part_thread[p];
        const char *pname = sim->setup->desc->partitions[p].name;
        if (add_stack(iso, t, p, pname, err, err_size) != 0) {
            return -1;
        }
        if (sim->heap_mem[p] != NULL &&
            isolation_add(iso, (uintptr_t)sim->heap_mem[p], sim->heaps[p].size, 1ull << p,
                          PROT_READ | PROT_WRITE, pname, "heap", err, err_size) != 0) {
            return -1;
        }
    }
    if (sim->setup->catch_faults) {
        struct ffm_fault_isolation hooks = { .closed_at = closed_at, .describe = describe,
                                             .open_on_fault = open_on_fault, .arg = iso };
        ffm_fault_set_isolation(&hooks);
    }
    return 0;
}

void sim_isolation_end(struct sim *sim)
{
    struct ffm_isolation *iso = sim->setup->iso;
    if (iso == NULL) {
        return;
    }
    if (sim->setup->catch_faults) {
        ffm_fault_set_isolation(NULL);
    }
    sim_log(sim, FFM_LOG_INFO,
            "isolation: level %d, %zu ranges, %lu switches, %lu opened on first touch, "
            "%lu mprotect calls", iso->level, iso->n_ranges, iso->switches, iso->lazy_opens,
            iso->calls);
    isolation_truncate(iso, sim->iso_ranges0, sim->iso_pieces0);
    sim->domain = SIM_DOMAIN_NONE;
}
