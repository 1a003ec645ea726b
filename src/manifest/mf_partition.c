/*
 * mf_partition.c - one partition manifest (MAN-10..16, -19..21, -25, -28, -30): attributes,
 * types, enums and defaults, FF-M 1.0 versus 1.1 keys, services, IRQs and MMIO regions. Every
 * problem is reported with its attribute path; checks continue after an error so that one run
 * reports them all. Cross-partition rules live in mf_system.c.
 */
#include <string.h>
#include <strings.h>

#include "manifest/mf_model.h"

struct pctx {
    struct ffm_manifest_set *set;
    struct mf_part *p;
    const char *file;
    const char *prefix; /* "" at top level, "services[1]" inside a service, ... */
    bool ok;
};

static const char *path_of(const struct pctx *c, const char *key)
{
    if (c->prefix[0] == '\0') {
        return key;
    }
    return mf_printf(&c->set->arena, "%s.%s", c->prefix, key);
}

static void err(struct pctx *c, const struct mf_node *at, enum ffm_rule rule, const char *key,
                const char *msg)
{
    mf_err(c->set, c->file, at, rule, key ? path_of(c, key) : c->prefix, "%s", msg);
    c->ok = false;
}

static void errf(struct pctx *c, const struct mf_node *at, enum ffm_rule rule, const char *key,
                 const char *fmt, const char *arg)
{
    char msg[600];
    snprintf(msg, sizeof msg, fmt, arg);
    err(c, at, rule, key, msg);
}

static bool tfm(const struct pctx *c)
{
    return c->set->profile == FFM_PROFILE_TFM;
}

/* A value as written, for messages: quoted strings keep their quotes. */
static const char *shown(const struct pctx *c, const struct mf_node *n)
{
    if (n->kind != MF_SCALAR) {
        return n->kind == MF_SEQ ? "a list" : "a mapping";
    }
    return n->plain ? n->text : mf_printf(&c->set->arena, "\"%s\"", n->text);
}

/* Unknown keys: error with `rule` unless allowed by `known` or by non_ffm_attributes. */
static void check_keys(struct pctx *c, const struct mf_node *map, const char *const *known,
                       size_t n_known, bool allow_non_ffm, enum ffm_rule rule)
{
    for (size_t i = 0; i < map->n; i += 2) {
        const char *key = map->items[i]->text;
        bool found = false;
        for (size_t k = 0; k < n_known && !found; k++) {
            found = strcmp(key, known[k]) == 0;
        }
        for (size_t k = 0; allow_non_ffm && k < c->p->n_non_ffm && !found; k++) {
            found = strcmp(key, c->p->non_ffm[k]) == 0;
        }
        if (!found) {
            err(c, map->items[i], rule, key, "unknown attribute");
        }
    }
}

/* A required attribute: NULL (error recorded) when missing. */
static const struct mf_node *need(struct pctx *c, const struct mf_node *map, const char *key,
                                  enum ffm_rule rule)
{
    const struct mf_node *v = mf_map_get(map, key, NULL);
    if (v == NULL) {
        err(c, map, rule, key, "required attribute missing");
    }
    return v;
}

/* A string from an enum; returns the index or -1 (error recorded). */
static int want_enum(struct pctx *c, const struct mf_node *v, const char *key,
                     const char *const *names, size_t n_names, enum ffm_rule rule)
{
    for (size_t i = 0; v->kind == MF_SCALAR && i < n_names; i++) {
        if (strcmp(v->text, names[i]) == 0) {
            return (int)i;
        }
    }
    char expected[200] = "";
    for (size_t i = 0; i < n_names; i++) {
        strcat(expected, i == 0 ? "" : (i + 1 == n_names ? " or " : ", "));
        strcat(expected, names[i]);
    }
    char msg[400];
    snprintf(msg, sizeof msg, "%s is not %s", shown(c, v), expected);
    err(c, v, rule, key, msg);
    return -1;
}

/* A C identifier string (MAN-17 for names, `rule` otherwise). */
static const char *want_ident(struct pctx *c, const struct mf_node *v, const char *key,
                              enum ffm_rule rule)
{
    if (v->kind != MF_SCALAR || !mf_is_c_ident(v->text)) {
        errf(c, v, rule, key, "%s is not a C identifier", shown(c, v));
        return NULL;
    }
    return v->text;
}

static bool want_bool(struct pctx *c, const struct mf_node *v, const char *key, bool *out)
{
    if (!mf_is_bool(v, out)) {
        errf(c, v, FFM_RULE_MAN_10, key, "%s is not a boolean (true or false)", shown(c, v));
        return false;
    }
    return true;
}

/* uint32: an integer, or also a numeric string when `strings` is set. */
static bool want_u32(struct pctx *c, const struct mf_node *v, const char *key, bool strings,
                     enum ffm_rule rule, uint32_t *out)
{
    int64_t x;
    bool num = mf_is_int(v, &x) ||
               (strings && v->kind == MF_SCALAR && !v->plain && mf_parse_int(v->text, &x));
    if (!num || x < 0 || x > (int64_t)UINT32_MAX) {
        errf(c, v, rule, key, num ? "%s outside 0..0xffffffff" : "%s is not an integer",
             shown(c, v));
        return false;
    }
    *out = (uint32_t)x;
    return true;
}

/* ------------------------------------------------------------------ sizes (MAN-30) */

static void want_size(struct pctx *c, const struct mf_node *v, const char *key, bool zero_ok,
                      const char **text, uint32_t *bytes, bool *numeric)
{
    int64_t x;
    if (v->kind == MF_SCALAR && mf_parse_int(v->text, &x)) {
        if (x < (zero_ok ? 0 : 1) || x > (int64_t)UINT32_MAX) {
            errf(c, v, FFM_RULE_MAN_30, key,
                 zero_ok ? "%s must be >= 0" : "%s must be > 0", shown(c, v));
            return;
        }
        *text = v->text;
        *bytes = (uint32_t)x;
        *numeric = true;
    } else if (v->kind == MF_SCALAR && mf_is_c_ident(v->text)) {
        *text = v->text;
        *bytes = 0;
        *numeric = false;
    } else {
        errf(c, v, FFM_RULE_MAN_10, key, "%s is not a number or a macro name", shown(c, v));
    }
}

/* ------------------------------------------------------------------ services */

static void service_stateless(struct pctx *c, const struct mf_node *svc, struct mf_svc *s)
{
    const struct mf_node *v = mf_map_get(svc, "stateless_handle", NULL);
    s->sl_explicit = -1;
    s->sl_n = v;
    if (v == NULL) {
        return;
    }
    if (c->p->ff == FFM_FF_VERSION_1_0) {
        err(c, v, FFM_RULE_MAN_13, "stateless_handle", "requires psa_framework_version 1.1");
        return;
    }
    if (s->cb) {
        mf_warn(c->set, c->file, v, FFM_RULE_MAN_21, path_of(c, "stateless_handle"),
                "ignored on a connection-based service");
        return;
    }
    int64_t x;
    bool b;
    if (mf_is_int(v, &x)) {
        if (x < 1 || x > 32) {
            mf_err(c->set, c->file, v, FFM_RULE_MAN_21, path_of(c, "stateless_handle"),
                   "%lld outside 1..32", (long long)x);
            c->ok = false;
            return;
        }
        s->sl_explicit = (int)x - 1;
    } else if (tfm(c) && mf_is_bool(v, &b) && b) {
        s->sl_explicit = 0; /* TF-M's Python reads true as 1 */
    } else if (!(v->kind == MF_SCALAR && strcmp(v->text, "auto") == 0)) {
        errf(c, v, FFM_RULE_MAN_21, "stateless_handle",
             "%s is not an integer 1..32 or \"auto\"", shown(c, v));
    }
}

static void service_mm_iovec(struct pctx *c, const struct mf_node *svc, struct mf_svc *s)
{
    const struct mf_node *v = mf_map_get(svc, "mm_iovec", NULL);
    if (v == NULL) {
        return;
    }
    if (c->p->ff == FFM_FF_VERSION_1_0) {
        err(c, v, FFM_RULE_MAN_13, "mm_iovec", "requires psa_framework_version 1.1");
        return;
    }
    if (tfm(c)) {
        s->mm = v->kind == MF_SCALAR && strcmp(v->text, "enable") == 0;
        return;
    }
    static const char *const names[] = {"disable", "enable"};
    s->mm = want_enum(c, v, "mm_iovec", names, 2, FFM_RULE_MAN_25) == 1;
}

static void service_connection(struct pctx *c, const struct mf_node *svc, struct mf_svc *s)
{
    const struct mf_node *v = mf_map_get(svc, "connection_based", NULL);
    s->cb = true;
    if (v == NULL) {
        if (c->p->ff == FFM_FF_VERSION_1_1) {
            err(c, svc, FFM_RULE_MAN_20, "connection_based",
                "required attribute missing (FF-M 1.1)");
        }
        return;
    }
    bool cb = true;
    if (!want_bool(c, v, "connection_based", &cb)) {
        return;
    }
    if (c->p->ff == FFM_FF_VERSION_1_0 && !cb) {
        mf_warn(c->set, c->file, v, FFM_RULE_MAN_13, path_of(c, "connection_based"),
                "false is not supported in FF-M 1.0; treated as true");
        return;
    }
    s->cb = cb;
}

static void service_version(struct pctx *c, const struct mf_node *svc, struct mf_svc *s)
{
    const struct mf_node *v = mf_map_get(svc, "version", NULL);
    s->version = 1;
    s->version_n = v;
    if (v != NULL && want_u32(c, v, "version", false, FFM_RULE_MAN_10, &s->version) &&
        s->version == 0) {
        err(c, v, FFM_RULE_MAN_19, "version", "0 is not a valid version (>= 1)");
    }
    const struct mf_node *pol = mf_map_get(svc, "version_policy", NULL);
    s->policy = FFM_POLICY_STRICT;
    if (pol != NULL && tfm(c)) {
        s->policy = pol->kind == MF_SCALAR && strcmp(pol->text, "RELAXED") == 0;
    } else if (pol != NULL) {
        static const char *const names[] = {"STRICT", "RELAXED"};
        int i = want_enum(c, pol, "version_policy", names, 2, FFM_RULE_MAN_10);
        s->policy = i == 1 ? FFM_POLICY_RELAXED : FFM_POLICY_STRICT;
    }
}

static void parse_service(struct pctx *c, const struct mf_node *svc, struct mf_svc *s)
{
    static const char *const known[] = {"name", "sid", "non_secure_clients", "version",
                                        "version_policy", "connection_based",
                                        "stateless_handle", "mm_iovec", "description"};
    s->node = svc;
    s->sl_explicit = -1;
    s->sl_index = -1;
    if (svc->kind != MF_MAP) {
        err(c, svc, FFM_RULE_MAN_10, NULL, "service is not a mapping");
        return;
    }
    check_keys(c, svc, known, sizeof known / sizeof known[0], false, FFM_RULE_MAN_11);
    const struct mf_node *v;
    if ((v = need(c, svc, "name", FFM_RULE_MAN_10)) != NULL) {
        s->name = want_ident(c, v, "name", FFM_RULE_MAN_17);
        s->name_n = v;
    }
    if ((v = need(c, svc, "sid", FFM_RULE_MAN_10)) != NULL &&
        want_u32(c, v, "sid", true, FFM_RULE_MAN_10, &s->sid)) {
        s->sid_n = v;
        s->sid_text = v->text;
    }
    if ((v = need(c, svc, "non_secure_clients", FFM_RULE_MAN_10)) != NULL) {
        want_bool(c, v, "non_secure_clients", &s->ns);
    }
    service_version(c, svc, s);
    service_connection(c, svc, s);
    service_stateless(c, svc, s);
    service_mm_iovec(c, svc, s);
    if ((v = mf_map_get(svc, "description", NULL)) != NULL && v->kind != MF_SCALAR) {
        err(c, v, FFM_RULE_MAN_10, "description", "not a string");
    }
}

/* ------------------------------------------------------------------ IRQs (MAN-28) */

static void irq_source(struct pctx *c, const struct mf_node *irq, struct mf_irq *q)
{
    const struct mf_node *v = need(c, irq, "source", FFM_RULE_MAN_28);
    if (v == NULL) {
        return;
    }
    q->source_n = v;
    if (mf_is_int(v, &q->source_value) && q->source_value >= 0) {
        q->source_numeric = true;
        q->source = v->text;
    } else if (v->kind == MF_SCALAR && mf_is_c_ident(v->text)) {
        q->source = v->text;
    } else {
        errf(c, v, FFM_RULE_MAN_28, "source",
             "%s is not an integer >= 0 or a C identifier", shown(c, v));
    }
}

static void irq_v11(struct pctx *c, const struct mf_node *irq, struct mf_irq *q)
{
    const struct mf_node *v;
    if ((v = mf_map_get(irq, "signal", NULL)) != NULL) {
        err(c, v, FFM_RULE_MAN_28, "signal", "is an FF-M 1.0 attribute; use name");
    }
    if ((v = need(c, irq, "name", FFM_RULE_MAN_28)) != NULL) {
        q->name = want_ident(c, v, "name", FFM_RULE_MAN_17);
        q->name_n = v;
    }
    v = mf_map_get(irq, "handling", NULL);
    if (v == NULL && tfm(c)) {
        q->handling = FFM_IRQ_SLIH;
    } else if ((v = need(c, irq, "handling", FFM_RULE_MAN_28)) != NULL) {
        static const char *const names[] = {"SLIH", "FLIH"};
        int i = want_enum(c, v, "handling", names, 2, FFM_RULE_MAN_28);
        q->handling = i == 1 ? FFM_IRQ_FLIH : FFM_IRQ_SLIH;
    }
}

static void irq_v10(struct pctx *c, const struct mf_node *irq, struct mf_irq *q)
{
    static const char *const v11_keys[] = {"name", "handling"};
    for (size_t k = 0; k < 2; k++) {
        const struct mf_node *v = mf_map_get(irq, v11_keys[k], NULL);
        if (v != NULL) {
            err(c, v, FFM_RULE_MAN_13, v11_keys[k], "requires psa_framework_version 1.1");
        }
    }
    const struct mf_node *v = need(c, irq, "signal", FFM_RULE_MAN_28);
    if (v != NULL) {
        q->name = want_ident(c, v, "signal", FFM_RULE_MAN_17);
        q->name_n = v;
    }
    q->handling = FFM_IRQ_SLIH;
}

/* ------------------------------------------------------------------ TF-M NS agents */

/* A TF-M client ID: a 32-bit negative integer written as "-0x0400ffff" (magnitude below
 * 2^31) or as its two's complement "0xFBFF0001" (at least 2^31), a string or a number. */
static bool want_client_id(struct pctx *c, const struct mf_node *v, const char *key,
                           enum ffm_rule rule, int32_t *out)
{
    int64_t x = 0;
    bool ok = v->kind == MF_SCALAR && mf_parse_int(v->text, &x);
    if (ok && x >= 0x80000000LL && x <= 0xFFFFFFFFLL) {
        x -= 0x100000000LL;
    }
    if (!ok || x >= 0 || x < INT32_MIN) {
        errf(c, v, rule, key, "%s is not a 32-bit negative client ID", shown(c, v));
        return false;
    }
    *out = (int32_t)x;
    return true;
}

/* client_id_base and client_id_limit of `map`: both or neither; base <= limit. Returns true
 * when a valid range was read into *base, *limit. `required`: an NS agent must have them. */
static bool client_id_range(struct pctx *c, const struct mf_node *map, bool agent,
                            enum ffm_rule rule, int32_t *base, int32_t *limit)
{
    const struct mf_node *b = mf_map_get(map, "client_id_base", NULL);
    const struct mf_node *l = mf_map_get(map, "client_id_limit", NULL);
    if (!agent) {
        if (b != NULL || l != NULL) {
            err(c, b != NULL ? b : l, rule, b != NULL ? "client_id_base" : "client_id_limit",
                "only a TF-M NS agent partition (ns_agent: true) has a client ID range");
        }
        return false;
    }
    b = need(c, map, "client_id_base", rule);
    l = need(c, map, "client_id_limit", rule);
    if (b == NULL || l == NULL || !want_client_id(c, b, "client_id_base", rule, base) ||
        !want_client_id(c, l, "client_id_limit", rule, limit)) {
        return false;
    }
    if (*base > *limit) {
        struct mf_arena *m = &c->set->arena;
        err(c, b, rule, "client_id_base", mf_printf(m,
            "client_id_base %s is greater than client_id_limit %s",
            mf_client_id_text(m, *base), mf_client_id_text(m, *limit)));
        return false;
    }
    return true;
}

/* TF-M: ns_agent (a non-FF-M attribute the list must allow) makes the partition an NS agent,
 * which declares the NS client IDs it speaks for; so does each of its IRQs, within the
 * partition's range. */
static void top_ns_agent(struct pctx *c, const struct mf_node *root)
{
    const struct mf_node *v = mf_map_get(root, "ns_agent", NULL);
    bool allowed = false; /* not allowed by the list: already one error, and not an agent */
    for (size_t k = 0; k < c->p->n_non_ffm && !allowed; k++) {
        allowed = strcmp(c->p->non_ffm[k], "ns_agent") == 0;
    }
    c->p->ns_agent = false;
    if (v != NULL && allowed) {
        want_bool(c, v, "ns_agent", &c->p->ns_agent);
    }
    c->p->client_ids_n = mf_map_get(root, "client_id_base", NULL);
    c->p->has_client_ids = client_id_range(c, root, c->p->ns_agent, FFM_RULE_MAN_10,
                                           &c->p->client_id_base, &c->p->client_id_limit);
}

static void irq_client_ids(struct pctx *c, const struct mf_node *irq, struct mf_irq *q)
{
    q->has_client_ids = client_id_range(c, irq, c->p->ns_agent, FFM_RULE_MAN_11,
                                        &q->client_id_base, &q->client_id_limit);
    if (q->has_client_ids && c->p->has_client_ids &&
        (q->client_id_base < c->p->client_id_base ||
         q->client_id_limit > c->p->client_id_limit)) {
        struct mf_arena *m = &c->set->arena;
        err(c, mf_map_get(irq, "client_id_base", NULL), FFM_RULE_MAN_11, "client_id_base",
            mf_printf(m, "client IDs %s..%s are outside the partition's range %s..%s",
                      mf_client_id_text(m, q->client_id_base),
                      mf_client_id_text(m, q->client_id_limit),
                      mf_client_id_text(m, c->p->client_id_base),
                      mf_client_id_text(m, c->p->client_id_limit)));
    }
}

static void parse_irq(struct pctx *c, const struct mf_node *irq, struct mf_irq *q)
{
    static const char *const known[] = {"source", "name", "handling", "signal", "description",
                                        "client_id_base", "client_id_limit"};
    q->node = irq;
    if (irq->kind != MF_MAP) {
        err(c, irq, FFM_RULE_MAN_10, NULL, "irq is not a mapping");
        return;
    }
    check_keys(c, irq, known, sizeof known / sizeof known[0], false, FFM_RULE_MAN_11);
    irq_source(c, irq, q);
    if (c->p->ff == FFM_FF_VERSION_1_1) {
        irq_v11(c, irq, q);
    } else {
        irq_v10(c, irq, q);
    }
    irq_client_ids(c, irq, q);
}

/* ------------------------------------------------------------------ MMIO (MAN-12) */

static void parse_mmio(struct pctx *c, const struct mf_node *m, struct mf_mmio *r)
{
    static const char *const known[] = {"name", "base", "size", "permission"};
    if (m->kind != MF_MAP) {
        err(c, m, FFM_RULE_MAN_12, NULL, "MMIO region is not a mapping");
        return;
    }
    check_keys(c, m, known, 4, false, FFM_RULE_MAN_11);
    const struct mf_node *perm = need(c, m, "permission", FFM_RULE_MAN_12);
    if (perm != NULL) {
        static const char *const names[] = {"READ-ONLY", "READ-WRITE"};
        r->desc.read_write = want_enum(c, perm, "permission", names, 2, FFM_RULE_MAN_12) == 1;
    }
    const struct mf_node *name = mf_map_get(m, "name", NULL);
    const struct mf_node *base = mf_map_get(m, "base", NULL);
    const struct mf_node *size = mf_map_get(m, "size", NULL);
    if (name != NULL && (base != NULL || size != NULL)) {
        err(c, m, FFM_RULE_MAN_12, NULL, "named and numbered region attributes mixed");
    } else if (name != NULL) {
        r->desc.name = want_ident(c, name, "name", FFM_RULE_MAN_12);
        r->name_n = name;
    } else if (base == NULL || size == NULL) {
        err(c, m, FFM_RULE_MAN_12, NULL, "needs name, or base and size");
    } else {
        uint32_t b = 0, s = 0;
        want_u32(c, base, "base", true, FFM_RULE_MAN_12, &b);
        want_u32(c, size, "size", true, FFM_RULE_MAN_12, &s);
        r->desc.base = b;
        r->desc.size = s;
    }
}

/* ------------------------------------------------------------------ top level */

static const char *const top_keys[] = {
    "psa_framework_version", "name", "type", "priority", "model", "entry_point", "entry_init",
    "stack_size", "heap_size", "services", "irqs", "mmio_regions", "dependencies",
    "weak_dependencies", "description", "client_id_base", "client_id_limit"};

static void top_version(struct pctx *c, const struct mf_node *root)
{
    const struct mf_node *v = need(c, root, "psa_framework_version", FFM_RULE_MAN_10);
    c->p->ff = FFM_FF_VERSION_1_1;
    if (v == NULL) {
        return;
    }
    if (v->kind == MF_SCALAR && v->plain && strcmp(v->text, "1.0") == 0) {
        c->p->ff = FFM_FF_VERSION_1_0;
    } else if (!(v->kind == MF_SCALAR && v->plain && strcmp(v->text, "1.1") == 0)) {
        errf(c, v, FFM_RULE_MAN_10, "psa_framework_version", "%s is not 1.0 or 1.1",
             shown(c, v));
    }
}

static void top_identity(struct pctx *c, const struct mf_node *root)
{
    const struct mf_node *v;
    if ((v = need(c, root, "name", FFM_RULE_MAN_10)) != NULL) {
        c->p->name = want_ident(c, v, "name", FFM_RULE_MAN_17);
        c->p->name_n = v;
    }
    static const char *const types[] = {"PSA-ROT", "APPLICATION-ROT"};
    if ((v = need(c, root, "type", FFM_RULE_MAN_10)) != NULL) {
        int i = want_enum(c, v, "type", types, 2, FFM_RULE_MAN_10);
        c->p->type = i == 1 ? FFM_APPLICATION_ROT : FFM_PSA_ROT;
    }
    static const char *const prios[] = {"HIGH", "NORMAL", "LOW"};
    if ((v = need(c, root, "priority", FFM_RULE_MAN_10)) != NULL) {
        int i = want_enum(c, v, "priority", prios, 3, FFM_RULE_MAN_10);
        c->p->priority = (uint8_t)(i < 0 ? FFM_PRIORITY_NORMAL : i);
    }
}

/* Is the config switch `name` on (defined as 1, on, true or enabled)? */
static bool config_on(const struct pctx *c, const char *name)
{
    static const char *const on[] = {"1", "on", "true", "enabled"};
    const char *v = mf_config_lookup(&c->set->config, name);
    for (size_t i = 0; v != NULL && i < sizeof on / sizeof on[0]; i++) {
        if (strcasecmp(v, on[i]) == 0) {
            return true;
        }
    }
    return false;
}

/*
 * `model: dual` (TF-M): the partition supports both models and takes the build's backend:
 * --backend, else CONFIG_TFM_SPM_BACKEND (IPC or SFN, TF-M's values) from -c/-D. Returns the
 * model, or -1 after an error at the model node.
 */
static int dual_model(struct pctx *c, const struct mf_node *v)
{
    switch (c->set->opt->backend) {
    case FFM_BACKEND_IPC:
        return FFM_MODEL_IPC;
    case FFM_BACKEND_SFN:
        return FFM_MODEL_SFN;
    case FFM_BACKEND_NONE:
        break;
    }
    const char *cfg = mf_config_lookup(&c->set->config, "CONFIG_TFM_SPM_BACKEND");
    if (cfg == NULL) { /* TF-M's C-side switches, as its generated config.h defines them */
        cfg = config_on(c, "CONFIG_TFM_SPM_BACKEND_SFN")   ? "SFN"
              : config_on(c, "CONFIG_TFM_SPM_BACKEND_IPC") ? "IPC"
                                                           : NULL;
    }
    if (cfg == NULL) {
        err(c, v, FFM_RULE_MAN_10, "model",
            "\"dual\" needs a backend: give --backend ipc|sfn, or define "
            "CONFIG_TFM_SPM_BACKEND as IPC or SFN");
        return -1;
    }
    if (strcmp(cfg, "IPC") == 0 || strcmp(cfg, "SFN") == 0) {
        return cfg[0] == 'I' ? FFM_MODEL_IPC : FFM_MODEL_SFN;
    }
    errf(c, v, FFM_RULE_MAN_10, "model",
         "\"dual\" takes the backend from CONFIG_TFM_SPM_BACKEND, which is \"%s\", not IPC "
         "or SFN", cfg);
    return -1;
}

/* MAN-13, MAN-14: model and entry points. A dual partition names both entries; the one its
 * backend does not use is ignored, as TF-M ignores it. */
static void top_model(struct pctx *c, const struct mf_node *root)
{
    static const char *const models[] = {"IPC", "SFN", "dual"};
    const struct mf_node *v = mf_map_get(root, "model", NULL);
    bool dual = false;
    c->p->model = FFM_MODEL_IPC;
    if (v == NULL && c->p->ff == FFM_FF_VERSION_1_1) {
        need(c, root, "model", FFM_RULE_MAN_10);
    } else if (v != NULL) {
        int i = want_enum(c, v, "model", models, 3, FFM_RULE_MAN_10);
        if (i < 0) {
            return; /* the model is wrong: which entry it needs is unknown (one error, not two) */
        }
        dual = i == 2;
        if (i >= 1 && c->p->ff == FFM_FF_VERSION_1_0) {
            errf(c, v, FFM_RULE_MAN_13, "model", "%s requires psa_framework_version 1.1",
                 models[i]);
            dual = false;
        }
        int model = dual ? dual_model(c, v) : (i == 1 ? FFM_MODEL_SFN : FFM_MODEL_IPC);
        /* so that MAN-14 checks the model as written (or as the backend resolves it) */
        if (model < 0) {
            return; /* no backend for dual: said once, at the model */
        }
        c->p->model = (uint8_t)model;
    }
    const struct mf_node *ep = mf_map_get(root, "entry_point", NULL);
    const struct mf_node *ei = mf_map_get(root, "entry_init", NULL);
    if (ei != NULL && c->p->ff == FFM_FF_VERSION_1_0) {
        err(c, ei, FFM_RULE_MAN_13, "entry_init", "requires psa_framework_version 1.1");
    } else if (c->p->model == FFM_MODEL_IPC) {
        if (ei != NULL && !dual) {
            err(c, ei, FFM_RULE_MAN_14, "entry_init", "not allowed in an IPC partition");
        }
        if ((ep = need(c, root, "entry_point", FFM_RULE_MAN_14)) != NULL) {
            c->p->entry = want_ident(c, ep, "entry_point", FFM_RULE_MAN_10);
        }
    } else {
        if (ep != NULL && !dual) {
            err(c, ep, FFM_RULE_MAN_14, "entry_point", "not allowed in an SFN partition");
        }
        if (ei != NULL) {
            c->p->entry = want_ident(c, ei, "entry_init", FFM_RULE_MAN_10);
        }
    }
}

static void top_sizes(struct pctx *c, const struct mf_node *root)
{
    const struct mf_node *v = need(c, root, "stack_size", FFM_RULE_MAN_10);
    if (v != NULL) {
        want_size(c, v, "stack_size", false, &c->p->stack_size, &c->p->stack_bytes,
                  &c->p->stack_numeric);
    }
    c->p->heap_size = "0";
    c->p->heap_numeric = true;
    if ((v = mf_map_get(root, "heap_size", NULL)) != NULL) {
        want_size(c, v, "heap_size", true, &c->p->heap_size, &c->p->heap_bytes,
                  &c->p->heap_numeric);
    }
}

/* An optional list attribute; NULL when absent or not a list (error recorded). */
static const struct mf_node *opt_list(struct pctx *c, const struct mf_node *root,
                                      const char *key)
{
    const struct mf_node *v = mf_map_get(root, key, NULL);
    if (v != NULL && v->kind != MF_SEQ) {
        err(c, v, FFM_RULE_MAN_10, key, "not a list");
        return NULL;
    }
    return v;
}

static void top_services(struct pctx *c, const struct mf_node *list)
{
    c->p->n_svcs = list ? list->n : 0;
    c->p->svcs = mf_alloc(&c->set->arena, (c->p->n_svcs + 1) * sizeof *c->p->svcs);
    for (size_t i = 0; i < c->p->n_svcs; i++) {
        c->prefix = mf_printf(&c->set->arena, "services[%zu]", i);
        parse_service(c, list->items[i], &c->p->svcs[i]);
    }
    c->prefix = "";
}

static void top_irqs(struct pctx *c, const struct mf_node *list)
{
    c->p->n_irqs = list ? list->n : 0;
    c->p->irqs = mf_alloc(&c->set->arena, (c->p->n_irqs + 1) * sizeof *c->p->irqs);
    for (size_t i = 0; i < c->p->n_irqs; i++) {
        c->prefix = mf_printf(&c->set->arena, "irqs[%zu]", i);
        parse_irq(c, list->items[i], &c->p->irqs[i]);
    }
    c->prefix = "";
}

static void top_mmio(struct pctx *c, const struct mf_node *list)
{
    c->p->n_mmio = list ? list->n : 0;
    c->p->mmio = mf_alloc(&c->set->arena, (c->p->n_mmio + 1) * sizeof *c->p->mmio);
    for (size_t i = 0; i < c->p->n_mmio; i++) {
        c->prefix = mf_printf(&c->set->arena, "mmio_regions[%zu]", i);
        parse_mmio(c, list->items[i], &c->p->mmio[i]);
    }
    c->prefix = "";
}

/* dependencies / weak_dependencies: lists of service names. */
static const struct mf_node *top_deps(struct pctx *c, const struct mf_node *root,
                                      const char *key)
{
    const struct mf_node *list = opt_list(c, root, key);
    for (size_t i = 0; list != NULL && i < list->n; i++) {
        c->prefix = mf_printf(&c->set->arena, "%s[%zu]", key, i);
        if (list->items[i]->kind != MF_SCALAR || !mf_is_c_ident(list->items[i]->text)) {
            errf(c, list->items[i], FFM_RULE_MAN_10, NULL, "%s is not a service name",
                 shown(c, list->items[i]));
        }
    }
    c->prefix = "";
    return list;
}

/* MAN-15, MAN-16: service and IRQ counts. */
static void top_counts(struct pctx *c, const struct mf_node *root)
{
    size_t total = c->p->n_svcs + c->p->n_irqs;
    if (total == 0) {
        err(c, root, FFM_RULE_MAN_15, NULL, "partition has no services and no irqs");
    } else if (total > 28) {
        char msg[100];
        snprintf(msg, sizeof msg, "%zu services and irqs; at most 28", total);
        /* ffm-rule: SIG-04 */
        err(c, root, FFM_RULE_MAN_16, NULL, msg);
    }
}

void mf_parse_partition(struct ffm_manifest_set *set, struct mf_part *part)
{
    unsigned errors_before = set->diags.errors + set->diags.suppressed;
    const struct mf_node *root = mf_yaml_load(&set->arena, &set->diags, part->file,
                                              FFM_RULE_MAN_10);
    struct pctx c = {set, part, part->file, "", true};
    part->root = root;
    if (root == NULL) {
        return;
    }
    if (root->kind != MF_MAP) {
        err(&c, root, FFM_RULE_MAN_10, NULL, "top level is not a mapping");
        return;
    }
    check_keys(&c, root, top_keys, sizeof top_keys / sizeof top_keys[0], true, FFM_RULE_MAN_10);
    top_version(&c, root);
    top_identity(&c, root);
    top_model(&c, root);
    top_sizes(&c, root);
    top_ns_agent(&c, root);
    top_services(&c, opt_list(&c, root, "services"));
    top_irqs(&c, opt_list(&c, root, "irqs"));
    top_mmio(&c, opt_list(&c, root, "mmio_regions"));
    part->deps = top_deps(&c, root, "dependencies");
    part->weak_deps = top_deps(&c, root, "weak_dependencies");
    const struct mf_node *d = mf_map_get(root, "description", NULL);
    if (d != NULL && d->kind != MF_SCALAR) {
        err(&c, d, FFM_RULE_MAN_10, "description", "not a string");
    }
    top_counts(&c, root);
    part->valid = c.ok && set->diags.errors + set->diags.suppressed == errors_before;
}
