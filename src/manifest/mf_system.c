/*
 * mf_system.c - rules that need the whole system: pids (MAN-06/07), unique names (MAN-17),
 * SIDs (MAN-18), IRQ sources (MAN-28), dependencies and cycles (MAN-26/27), platform MMIO
 * names (MAN-29), header paths (MAN-42), stateless allocation (MAN-21..24), signals
 * (SIG-02/03/05), and finally the load description (MAN-45).
 */
#include <string.h>

#include "manifest/mf_model.h"

static const char *where(struct ffm_manifest_set *set, const char *file, const struct mf_node *n)
{
    return mf_printf(&set->arena, "%s:%u:%u", file, n->line, n->col);
}

static const char *svc_path(struct ffm_manifest_set *set, size_t i, const char *key)
{
    return mf_printf(&set->arena, "services[%zu].%s", i, key);
}

/* ------------------------------------------------------------------ pids (MAN-06/07) */

static void assign_pids(struct ffm_manifest_set *set)
{
    int64_t max = 255;
    for (size_t i = 0; i < set->n_parts; i++) {
        struct mf_part *p = &set->parts[i];
        for (size_t j = 0; p->pid_n != NULL && j < i; j++) {
            const struct mf_part *q = &set->parts[j];
            if (q->pid_n != NULL && q->pid == p->pid) {
                mf_err(set, p->list_file, p->pid_n, FFM_RULE_MAN_06,
                       mf_printf(&set->arena, "%s.pid", p->item_path),
                       "pid %lld already used at %s", (long long)p->pid,
                       where(set, q->list_file, q->pid_n));
                break;
            }
        }
        if (p->pid_n != NULL && p->pid > max) {
            max = p->pid;
        }
    }
    for (size_t i = 0; i < set->n_parts; i++) {
        struct mf_part *p = &set->parts[i];
        if (p->pid_n == NULL) {
            p->pid = ++max;
        }
        if (p->pid > INT32_MAX && p->item_n != NULL) { /* blame the list item without pid */
            mf_err(set, p->list_file, p->item_n, FFM_RULE_MAN_07, p->item_path,
                   "no automatic pid left: %s would get %lld, above INT32_MAX", p->name,
                   (long long)p->pid);
        } else if (p->pid > INT32_MAX) {
            mf_err(set, p->file, p->root, FFM_RULE_MAN_07, NULL,
                   "no automatic pid left: %s would get %lld, above INT32_MAX", p->name,
                   (long long)p->pid);
        }
    }
}

/* ------------------------------------------------------------------ names (MAN-17) */

static void unique_partition_names(struct ffm_manifest_set *set)
{
    for (size_t i = 0; i < set->n_parts; i++) {
        for (size_t j = 0; j < i; j++) {
            const struct mf_part *p = &set->parts[i], *q = &set->parts[j];
            if (strcmp(p->name, q->name) == 0) {
                mf_err(set, p->file, p->name_n, FFM_RULE_MAN_17, "name",
                       "partition name %s already used at %s", p->name,
                       where(set, q->file, q->name_n));
                break;
            }
        }
    }
}

/* The first service before (pi, si) in collection order for which same() holds, or NULL. */
static const struct mf_svc *earlier_service(struct ffm_manifest_set *set, size_t pi, size_t si,
                                            bool (*same)(const struct ffm_manifest_set *,
                                                         const struct mf_svc *,
                                                         const struct mf_svc *),
                                            const struct mf_part **owner)
{
    const struct mf_svc *s = &set->parts[pi].svcs[si];
    for (size_t qi = 0; qi <= pi; qi++) {
        size_t n = qi == pi ? si : set->parts[qi].n_svcs;
        for (size_t ti = 0; ti < n; ti++) {
            const struct mf_svc *t = &set->parts[qi].svcs[ti];
            if (same(set, s, t)) {
                *owner = &set->parts[qi];
                return t;
            }
        }
    }
    return NULL;
}

static bool same_name(const struct ffm_manifest_set *set, const struct mf_svc *a,
                      const struct mf_svc *b)
{
    (void)set;
    return strcmp(a->name, b->name) == 0;
}

/* MAN-18: numeric in the spec profile, raw text in the tfm profile. */
static bool same_sid(const struct ffm_manifest_set *set, const struct mf_svc *a,
                     const struct mf_svc *b)
{
    if (set->profile == FFM_PROFILE_TFM) {
        return strcmp(a->sid_text, b->sid_text) == 0;
    }
    return a->sid == b->sid;
}

static void unique_services(struct ffm_manifest_set *set)
{
    for (size_t pi = 0; pi < set->n_parts; pi++) {
        const struct mf_part *p = &set->parts[pi];
        for (size_t si = 0; si < p->n_svcs; si++) {
            const struct mf_svc *s = &p->svcs[si];
            const struct mf_part *qp;
            const struct mf_svc *t = earlier_service(set, pi, si, same_name, &qp);
            if (t != NULL) {
                mf_err(set, p->file, s->name_n, FFM_RULE_MAN_17, svc_path(set, si, "name"),
                       "service name %s already used at %s", s->name,
                       where(set, qp->file, t->name_n));
            }
            t = earlier_service(set, pi, si, same_sid, &qp);
            if (t != NULL) {
                mf_err(set, p->file, s->sid_n, FFM_RULE_MAN_18, svc_path(set, si, "sid"),
                       "SID 0x%08x of %s already used by %s at %s", s->sid, s->name, t->name,
                       where(set, qp->file, t->sid_n));
            }
        }
    }
}

/* ------------------------------------------------------------------ IRQs (MAN-17, MAN-28) */

static bool same_source(const struct mf_irq *a, const struct mf_irq *b)
{
    if (a->source_numeric || b->source_numeric) {
        return a->source_numeric && b->source_numeric && a->source_value == b->source_value;
    }
    return strcmp(a->source, b->source) == 0;
}

static void check_irq_pair(struct ffm_manifest_set *set, const struct mf_part *p, size_t ji,
                           const struct mf_part *q, const struct mf_irq *b)
{
    const struct mf_irq *a = &p->irqs[ji];
    const char *path = mf_printf(&set->arena, "irqs[%zu]", ji);
    if (same_source(a, b)) {
        mf_err(set, p->file, a->source_n, FFM_RULE_MAN_28,
               mf_printf(&set->arena, "%s.source", path), "source %s already used at %s",
               a->source, where(set, q->file, b->source_n));
    }
    if (strcmp(a->name, b->name) == 0) {
        mf_err(set, p->file, a->name_n, FFM_RULE_MAN_17,
               mf_printf(&set->arena, "%s.%s", path, p->ff == FFM_FF_VERSION_1_0 ? "signal"
                                                                                 : "name"),
               "irq name %s already used at %s", a->name, where(set, q->file, b->name_n));
    }
}

/* MAN-17: an IRQ signal macro must not repeat a service's <SVC>_SIGNAL in the same header. */
static void irq_vs_service_signal(struct ffm_manifest_set *set, const struct mf_part *p,
                                  size_t ji)
{
    const struct mf_irq *q = &p->irqs[ji];
    for (size_t si = 0; p->model == FFM_MODEL_IPC && si < p->n_svcs; si++) {
        const char *svc_macro = mf_printf(&set->arena, "%s_SIGNAL", p->svcs[si].name);
        const char *irq_macro = p->ff == FFM_FF_VERSION_1_0
                                    ? q->name
                                    : mf_printf(&set->arena, "%s_SIGNAL", q->name);
        if (strcmp(svc_macro, irq_macro) == 0) {
            mf_err(set, p->file, q->name_n, FFM_RULE_MAN_17,
                   mf_printf(&set->arena, "irqs[%zu].%s", ji,
                             p->ff == FFM_FF_VERSION_1_0 ? "signal" : "name"),
                   "macro %s is also the signal of service %s at %s", irq_macro,
                   p->svcs[si].name, where(set, p->file, p->svcs[si].name_n));
        }
    }
}

static void unique_irqs(struct ffm_manifest_set *set)
{
    for (size_t pi = 0; pi < set->n_parts; pi++) {
        const struct mf_part *p = &set->parts[pi];
        for (size_t ji = 0; ji < p->n_irqs; ji++) {
            irq_vs_service_signal(set, p, ji);
            for (size_t qi = 0; qi <= pi; qi++) {
                const struct mf_part *q = &set->parts[qi];
                size_t n = qi == pi ? ji : q->n_irqs;
                for (size_t k = 0; k < n; k++) {
                    check_irq_pair(set, p, ji, q, &q->irqs[k]);
                }
            }
        }
    }
}

/* ------------------------------------------------------------------ dependencies */

/* The index in the flat service table of the service called `name`, or -1. */
static int find_service(const struct ffm_manifest_set *set, const char *name, size_t *owner)
{
    int flat = 0;
    for (size_t pi = 0; pi < set->n_parts; pi++) {
        for (size_t si = 0; si < set->parts[pi].n_svcs; si++, flat++) {
            if (strcmp(set->parts[pi].svcs[si].name, name) == 0) {
                *owner = pi;
                return flat;
            }
        }
    }
    return -1;
}

/* MAN-26: resolve, warn on duplicates; returns the number of resolved dependencies. */
static void check_deps(struct ffm_manifest_set *set, size_t pi)
{
    const struct mf_part *p = &set->parts[pi];
    for (size_t i = 0; p->deps != NULL && i < p->deps->n; i++) {
        const struct mf_node *d = p->deps->items[i];
        const char *path = mf_printf(&set->arena, "dependencies[%zu]", i);
        size_t owner = 0;
        int svc = find_service(set, d->text, &owner);
        bool tfm = set->profile == FFM_PROFILE_TFM;
        for (size_t j = 0; j < i; j++) {
            if (strcmp(p->deps->items[j]->text, d->text) == 0) {
                mf_warn(set, p->file, d, FFM_RULE_MAN_26, path, "%s listed twice", d->text);
                break;
            }
        }
        if (svc < 0 && !tfm) {
            mf_err(set, p->file, d, FFM_RULE_MAN_26, path,
                   "%s is not a service of an enabled partition", d->text);
        } else if (svc >= 0 && owner == pi && !tfm) {
            mf_err(set, p->file, d, FFM_RULE_MAN_26, path, "%s is a service of %s itself",
                   d->text, p->name);
        }
    }
}

/* MAN-27: depth-first search over partition edges; reports each cycle once, with its chain. */
struct cycle_walk {
    struct ffm_manifest_set *set;
    unsigned char *color; /* 0 new, 1 on the stack, 2 done */
    size_t *stack;
    size_t depth;
};

static void report_cycle(struct cycle_walk *w, size_t target, const struct mf_part *p,
                         size_t dep_index)
{
    size_t start = 0;
    while (w->stack[start] != target) {
        start++;
    }
    char chain[2048] = "";
    for (size_t k = start; k < w->depth; k++) {
        strncat(chain, w->set->parts[w->stack[k]].name, sizeof chain - strlen(chain) - 1);
        strncat(chain, " -> ", sizeof chain - strlen(chain) - 1);
    }
    strncat(chain, w->set->parts[target].name, sizeof chain - strlen(chain) - 1);
    mf_err(w->set, p->file, p->deps->items[dep_index], FFM_RULE_MAN_27,
           mf_printf(&w->set->arena, "dependencies[%zu]", dep_index),
           "circular dependency: %s", chain);
}

static void visit(struct cycle_walk *w, size_t pi)
{
    const struct mf_part *p = &w->set->parts[pi];
    w->color[pi] = 1;
    w->stack[w->depth++] = pi;
    for (size_t i = 0; p->deps != NULL && i < p->deps->n; i++) {
        size_t owner = 0;
        if (find_service(w->set, p->deps->items[i]->text, &owner) < 0 || owner == pi) {
            continue;
        }
        if (w->color[owner] == 1) {
            report_cycle(w, owner, p, i);
        } else if (w->color[owner] == 0) {
            visit(w, owner);
        }
    }
    w->depth--;
    w->color[pi] = 2;
}

static void check_cycles(struct ffm_manifest_set *set)
{
    struct cycle_walk w = {set, mf_alloc(&set->arena, set->n_parts + 1),
                           mf_alloc(&set->arena, (set->n_parts + 1) * sizeof(size_t)), 0};
    for (size_t pi = 0; pi < set->n_parts; pi++) {
        if (w.color[pi] == 0) {
            visit(&w, pi);
        }
    }
}

/* ------------------------------------------------------------------ MMIO, headers */

static void check_platform_regions(struct ffm_manifest_set *set)
{
    const struct ffm_manifest_options *opt = set->opt;
    for (size_t pi = 0; opt->check_platform_regions && pi < set->n_parts; pi++) {
        const struct mf_part *p = &set->parts[pi];
        for (size_t i = 0; i < p->n_mmio; i++) {
            const char *name = p->mmio[i].desc.name;
            bool found = false;
            for (size_t k = 0; name != NULL && k < opt->n_platform_regions; k++) {
                found = found || strcmp(opt->platform_regions[k], name) == 0;
            }
            if (name != NULL && !found) {
                mf_err(set, p->file, p->mmio[i].name_n, FFM_RULE_MAN_29,
                       mf_printf(&set->arena, "mmio_regions[%zu].name", i),
                       "%s is not a region of the platform", name);
            }
        }
    }
}

/* MAN-42: two partitions must not generate the same header file. */
static void check_header_paths(struct ffm_manifest_set *set)
{
    for (size_t i = 0; i < set->n_parts; i++) {
        for (size_t j = 0; j < i; j++) {
            const struct mf_part *p = &set->parts[i], *q = &set->parts[j];
            if (strcmp(p->header_name, q->header_name) == 0 &&
                strcmp(p->output_path, q->output_path) == 0) {
                mf_err(set, p->file, p->root, FFM_RULE_MAN_42, NULL,
                       "header %s%spsa_manifest/%s is also generated for %s", p->output_path,
                       p->output_path[0] != '\0' ? "/" : "", p->header_name, q->file);
                break;
            }
        }
    }
}

/* ------------------------------------------------------------------ stateless (MAN-21..24) */

/* ffm-rule: MAN-23 */
static void place_explicit(struct ffm_manifest_set *set, struct mf_svc **slot,
                           const struct mf_part **slot_owner, size_t *count)
{
    for (size_t pi = 0; pi < set->n_parts; pi++) {
        struct mf_part *p = &set->parts[pi];
        for (size_t si = 0; p->ff == FFM_FF_VERSION_1_1 && si < p->n_svcs; si++) {
            struct mf_svc *s = &p->svcs[si];
            if (s->cb) {
                continue;
            }
            if (++*count == 33) {
                mf_err(set, p->file, s->node, FFM_RULE_MAN_22, mf_printf(&set->arena,
                       "services[%zu]", si), "more than 32 stateless services in the system");
            }
            if (s->sl_explicit < 0) {
                continue;
            }
            if (slot[s->sl_explicit] != NULL) {
                mf_err(set, p->file, s->sl_n, FFM_RULE_MAN_21,
                       svc_path(set, si, "stateless_handle"), "%d already used by %s at %s",
                       s->sl_explicit + 1, slot[s->sl_explicit]->name,
                       where(set, slot_owner[s->sl_explicit]->file,
                             slot[s->sl_explicit]->sl_n));
                continue;
            }
            slot[s->sl_explicit] = s;
            slot_owner[s->sl_explicit] = p;
            s->sl_index = s->sl_explicit;
        }
    }
}

static void place_auto(struct ffm_manifest_set *set, struct mf_svc **slot)
{
    size_t next = 0;
    for (size_t pi = 0; pi < set->n_parts; pi++) {
        struct mf_part *p = &set->parts[pi];
        for (size_t si = 0; p->ff == FFM_FF_VERSION_1_1 && si < p->n_svcs; si++) {
            struct mf_svc *s = &p->svcs[si];
            if (s->cb || s->sl_explicit >= 0) {
                continue;
            }
            while (next < FFM_SL_SLOTS && slot[next] != NULL) {
                next++;
            }
            if (next == FFM_SL_SLOTS) {
                return; /* more than 32: already reported (MAN-22) */
            }
            slot[next] = s;
            s->sl_index = (int)next;
        }
    }
}

/* MAN-19: a stateless handle holds only version & 0xFF (HDL-07). */
static void warn_wide_versions(struct ffm_manifest_set *set)
{
    for (size_t pi = 0; pi < set->n_parts; pi++) {
        const struct mf_part *p = &set->parts[pi];
        for (size_t si = 0; si < p->n_svcs; si++) {
            const struct mf_svc *s = &p->svcs[si];
            if (s->sl_index >= 0 && s->version > 255) {
                mf_warn(set, p->file, s->version_n, FFM_RULE_MAN_19,
                        svc_path(set, si, "version"),
                        "%u does not fit the 8-bit version of a stateless handle; it encodes "
                        "0x%02x",
                        s->version, s->version & 0xFFu);
            }
        }
    }
}

/* ------------------------------------------------------------------ load description */

/* MAN-43: "<name lower><suffix>", the C function a partition defines (ASCII only: names are
 * C identifiers, MAN-17, so no locale may change the spelling). */
static const char *lower_function_name(struct ffm_manifest_set *set, const char *name,
                                       const char *suffix)
{
    char *lower = mf_printf(&set->arena, "%s%s", name, suffix);
    for (char *c = lower; *c != '\0'; c++) {
        *c = (char)((*c >= 'A' && *c <= 'Z') ? *c - 'A' + 'a' : *c);
    }
    return lower;
}

static void desc_service(struct ffm_manifest_set *set, const struct mf_part *p, size_t pi,
                         size_t si, struct ffm_service_desc *d)
{
    const struct mf_svc *s = &p->svcs[si];
    d->name = s->name;
    d->sid = s->sid;
    d->version = s->version;
    d->version_policy = s->policy;
    d->non_secure_clients = s->ns;
    d->connection_based = s->cb;
    d->mm_iovec = s->mm;
    d->stateless_index = (int8_t)(s->sl_index >= 0 ? s->sl_index : FFM_NO_STATELESS_INDEX);
    /* ffm-rule: MAN-24 */
    d->stateless_handle = s->sl_index >= 0 ? ffm_sl_encode((uint32_t)s->sl_index, s->version)
                                           : 0;
    /* ffm-rule: SIG-02, SIG-05 */
    d->signal = (psa_signal_t)1u << (4u + si); /* SIG-02; SIG-05 numbers SFN alike */
    d->partition = (uint16_t)pi;
    d->sfn_name = NULL;
    if (p->model == FFM_MODEL_SFN) {
        d->sfn_name = lower_function_name(set, s->name, "_sfn");
    }
}

static void desc_irq(struct ffm_manifest_set *set, const struct mf_part *p, size_t pi,
                     size_t ji, struct ffm_irq_desc *d)
{
    const struct mf_irq *q = &p->irqs[ji];
    d->name = q->name;
    d->source = q->source;
    /* ffm-rule: SIG-03 */
    d->signal = (psa_signal_t)1u << (31u - ji); /* SIG-03 */
    d->handling = q->handling;
    d->partition = (uint16_t)pi;
    d->flih_name = NULL;
    if (q->handling == FFM_IRQ_FLIH) {
        d->flih_name = lower_function_name(set, q->name, "_flih");
    }
}

/* Resolved dependencies (and weak dependencies that exist) as flat service indices. */
static void desc_deps(struct ffm_manifest_set *set, size_t pi, struct ffm_partition_desc *d)
{
    const struct mf_part *p = &set->parts[pi];
    size_t max = (p->deps ? p->deps->n : 0) + (p->weak_deps ? p->weak_deps->n : 0);
    uint16_t *deps = mf_alloc(&set->arena, (max + 1) * sizeof *deps);
    uint16_t n = 0;
    const struct mf_node *lists[2] = {p->deps, p->weak_deps};
    for (size_t l = 0; l < 2; l++) {
        for (size_t i = 0; lists[l] != NULL && i < lists[l]->n; i++) {
            size_t owner = 0;
            int svc = find_service(set, lists[l]->items[i]->text, &owner);
            bool seen = false;
            for (size_t k = 0; k < n; k++) {
                seen = seen || deps[k] == svc;
            }
            if (svc >= 0 && owner != pi && !seen) {
                deps[n++] = (uint16_t)svc;
            }
        }
    }
    d->deps = deps;
    d->n_deps = n;
}

static void desc_partition(struct ffm_manifest_set *set, size_t pi, uint16_t first_svc,
                           uint16_t first_irq)
{
    const struct mf_part *p = &set->parts[pi];
    struct ffm_partition_desc *d = (struct ffm_partition_desc *)&set->desc.partitions[pi];
    d->name = p->name;
    d->pid = (int32_t)p->pid;
    d->ff_version = p->ff;
    d->type = p->type;
    d->model = p->model;
    d->priority = p->priority;
    d->entry = p->entry;
    d->stack_size = p->stack_size;
    d->stack_bytes = p->stack_bytes;
    d->heap_size = p->heap_size;
    d->heap_bytes = p->heap_bytes;
    d->first_service = first_svc;
    d->n_services = (uint16_t)p->n_svcs;
    d->first_irq = first_irq;
    d->n_irqs = (uint16_t)p->n_irqs;
    desc_deps(set, pi, d);
    struct ffm_mmio_desc *mmio = mf_alloc(&set->arena, (p->n_mmio + 1) * sizeof *mmio);
    for (size_t i = 0; i < p->n_mmio; i++) {
        mmio[i] = p->mmio[i].desc;
    }
    d->mmio = mmio;
    d->n_mmio = (uint16_t)p->n_mmio;
    d->manifest_path = p->file;
    d->header_name = p->header_name;
    d->output_path = p->output_path;
}

/* ffm-rule: MAN-45 */
static void build_desc(struct ffm_manifest_set *set)
{
    size_t n_svcs = 0, n_irqs = 0;
    for (size_t pi = 0; pi < set->n_parts; pi++) {
        n_svcs += set->parts[pi].n_svcs;
        n_irqs += set->parts[pi].n_irqs;
    }
    struct ffm_service_desc *svcs = mf_alloc(&set->arena, (n_svcs + 1) * sizeof *svcs);
    struct ffm_irq_desc *irqs = mf_alloc(&set->arena, (n_irqs + 1) * sizeof *irqs);
    set->desc.partitions = mf_alloc(&set->arena, (set->n_parts + 1) *
                                                     sizeof *set->desc.partitions);
    set->desc.n_partitions = (uint16_t)set->n_parts;
    for (size_t i = 0; i < FFM_SL_SLOTS; i++) {
        set->desc.stateless_slot[i] = -1;
    }
    size_t fs = 0, fi = 0;
    for (size_t pi = 0; pi < set->n_parts; pi++) {
        const struct mf_part *p = &set->parts[pi];
        desc_partition(set, pi, (uint16_t)fs, (uint16_t)fi);
        for (size_t si = 0; si < p->n_svcs; si++, fs++) {
            desc_service(set, p, pi, si, &svcs[fs]);
            if (svcs[fs].stateless_index >= 0) {
                set->desc.stateless_slot[svcs[fs].stateless_index] = (int16_t)fs;
            }
        }
        for (size_t ji = 0; ji < p->n_irqs; ji++, fi++) {
            desc_irq(set, p, pi, ji, &irqs[fi]);
        }
    }
    set->desc.services = svcs;
    set->desc.n_services = (uint16_t)n_svcs;
    set->desc.irqs = irqs;
    set->desc.n_irqs = (uint16_t)n_irqs;
}

/* ------------------------------------------------------------------ the core's maxima */

/* The system must fit the SPM core's compile-time maxima (ffm_limits.h), which ffm-sim boots
 * with: refused here, at the first partition, service or IRQ past a maximum, so that a system
 * ffm-manifest accepts is one the simulator can boot. */
static void check_core_maxima(struct ffm_manifest_set *set)
{
    size_t n_svcs = 0, n_irqs = 0;
    bool svc_reported = false, irq_reported = false;
    for (size_t pi = 0; pi < set->n_parts; pi++) {
        const struct mf_part *p = &set->parts[pi];
        if (pi == FFM_MAX_PARTITIONS) {
            mf_err(set, p->file, p->name_n, FFM_RULE_NONE, "name",
                   "partition %s is partition %zu of %zu; the SPM core accepts at most %u "
                   "(FFM_MAX_PARTITIONS)", p->name, pi + 1, set->n_parts, FFM_MAX_PARTITIONS);
        }
        if (!svc_reported && n_svcs + p->n_svcs > FFM_MAX_SERVICES) {
            size_t i = FFM_MAX_SERVICES - n_svcs;
            mf_err(set, p->file, p->svcs[i].name_n, FFM_RULE_NONE, svc_path(set, i, "name"),
                   "service %zu of the system; the SPM core accepts at most %u "
                   "(FFM_MAX_SERVICES)", (size_t)FFM_MAX_SERVICES + 1u, FFM_MAX_SERVICES);
            svc_reported = true;
        }
        if (!irq_reported && n_irqs + p->n_irqs > FFM_MAX_IRQS) {
            size_t j = FFM_MAX_IRQS - n_irqs;
            mf_err(set, p->file, p->irqs[j].name_n, FFM_RULE_NONE,
                   mf_printf(&set->arena, "irqs[%zu].name", j),
                   "IRQ %zu of the system; the SPM core accepts at most %u (FFM_MAX_IRQS)",
                   (size_t)FFM_MAX_IRQS + 1u, FFM_MAX_IRQS);
            irq_reported = true;
        }
        n_svcs += p->n_svcs;
        n_irqs += p->n_irqs;
    }
}

void mf_check_system(struct ffm_manifest_set *set)
{
    for (size_t pi = 0; pi < set->n_parts; pi++) {
        if (!set->parts[pi].valid) {
            return; /* cross checks on half-parsed partitions would only add noise */
        }
    }
    assign_pids(set);
    mf_check_client_id_overlap(set);
    unique_partition_names(set);
    unique_services(set);
    unique_irqs(set);
    for (size_t pi = 0; pi < set->n_parts; pi++) {
        check_deps(set, pi);
    }
    check_cycles(set);
    check_platform_regions(set);
    check_header_paths(set);
    check_core_maxima(set);
    struct mf_svc *slot[FFM_SL_SLOTS] = {0};
    const struct mf_part *slot_owner[FFM_SL_SLOTS] = {0};
    size_t count = 0;
    place_explicit(set, slot, slot_owner, &count);
    place_auto(set, slot);
    warn_wide_versions(set);
    if (set->diags.errors == 0 && set->diags.suppressed == 0) {
        build_desc(set);
    }
}
