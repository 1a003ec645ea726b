/*
 * platform_file.c - read and validate a platform description (platform_file.h; format in
 * docs/sim.md §2). libyaml loads the document tree; the walk below checks every key, type and
 * value, reports each error with its location and attribute path, and builds the result only
 * into memory it frees on failure.
 */
#include "platform_file.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <yaml.h>

#include "psa/lifecycle.h"
#include "yaml_pos.h"

#define FOUR_GIB (UINT64_C(1) << 32)
#define PATH_MAX_LEN 128

static const char default_text[] =
    "# ffm-sim built-in platform (docs/sim.md)\n"
    "description: ffm-sim built-in default platform\n"
    "lifecycle: SECURED\n"
    "watchdog:\n"
    "  scale: 1.0\n"
    "regions:\n"
    "  - name: NVMEM\n"
    "    size: 0x4000\n"
    "    security: secure\n"
    "    access: read-write\n"
    "    persistent: true\n"
    "irq_sources: [TIMER0_IRQ, TEST_IRQ]\n"
    "nvmem:\n"
    "  region: NVMEM\n";

static const struct {
    const char *name;
    uint32_t value;
} lifecycle_states[] = {
    {"UNKNOWN", PSA_LIFECYCLE_UNKNOWN},
    {"ASSEMBLY_AND_TEST", PSA_LIFECYCLE_ASSEMBLY_AND_TEST},
    {"PSA_ROT_PROVISIONING", PSA_LIFECYCLE_PSA_ROT_PROVISIONING},
    {"SECURED", PSA_LIFECYCLE_SECURED},
    {"NON_PSA_ROT_DEBUG", PSA_LIFECYCLE_NON_PSA_ROT_DEBUG},
    {"RECOVERABLE_PSA_ROT_DEBUG", PSA_LIFECYCLE_RECOVERABLE_PSA_ROT_DEBUG},
    {"DECOMMISSIONED", PSA_LIFECYCLE_DECOMMISSIONED},
};
#define N_LIFECYCLE_STATES (sizeof lifecycle_states / sizeof lifecycle_states[0])

/* Loading context: where errors go and how many were reported. */
struct ctx {
    const char *file;
    const unsigned char *text; /* the whole input, to keep syntax error positions inside it */
    size_t len;
    FILE *diag;
    yaml_document_t *doc;
    unsigned errors;
    struct platform_file *pf;
};

/* ------------------------------------------------------------------------ diagnostics */

static struct platform_loc node_loc(const yaml_node_t *node)
{
    struct platform_loc loc = {(unsigned)node->start_mark.line + 1,
                               (unsigned)node->start_mark.column + 1};
    return loc;
}

static void vreport(const char *file, FILE *diag, struct platform_loc loc, const char *path,
                    const char *fmt, va_list ap)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 5, 0)))
#endif
    ;

static void vreport(const char *file, FILE *diag, struct platform_loc loc, const char *path,
                    const char *fmt, va_list ap)
{
    FILE *out = diag != NULL ? diag : stderr;
    char msg[1024];
    /* Not only defensive: without it, gcc -fsanitize=undefined warns "null format string" on
     * the vsnprintf below (-Wformat-overflow). */
    if (fmt == NULL) {
        return;
    }
    vsnprintf(msg, sizeof msg, fmt, ap);
    /* One error, one line: a value quoted from the file may hold line breaks or other
     * control characters; they are shown as '?'. */
    for (char *c = msg; *c != '\0'; c++) {
        if ((unsigned char)*c < 0x20u || *c == 0x7f) {
            *c = '?';
        }
    }
    if (loc.line > 0) {
        fprintf(out, "%s:%u:%u: error: %s: %s\n", file, loc.line, loc.column, path, msg);
    } else {
        fprintf(out, "%s: error: %s: %s\n", file, path, msg);
    }
}

void platform_file_report(const struct platform_file *pf, FILE *diag, struct platform_loc loc,
                          const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(pf->path, diag, loc, path, fmt, ap);
    va_end(ap);
}

static void err_loc(struct ctx *c, struct platform_loc loc, const char *path, const char *fmt,
                    ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void err_loc(struct ctx *c, struct platform_loc loc, const char *path, const char *fmt,
                    ...)
{
    va_list ap;
    if (loc.line > 0) { /* keep it inside the text (yaml_pos.h) */
        size_t line = loc.line - 1u, column = loc.column > 0 ? loc.column - 1u : 0u;
        ffm_yaml_pos_clamp(c->text, c->len, &line, &column);
        loc = (struct platform_loc){(unsigned)line + 1, (unsigned)column + 1};
    }
    va_start(ap, fmt);
    vreport(c->file, c->diag, loc, path, fmt, ap);
    va_end(ap);
    c->errors++;
}

#define err_at(c, node, path, ...) err_loc((c), node_loc(node), (path), __VA_ARGS__)

/* ------------------------------------------------------------------------ scalar helpers */

static const char *kind_name(const yaml_node_t *node)
{
    switch (node->type) {
    case YAML_SCALAR_NODE: return "a scalar";
    case YAML_SEQUENCE_NODE: return "a list";
    case YAML_MAPPING_NODE: return "a mapping";
    default: return "nothing";
    }
}

static const char *scalar(const yaml_node_t *node)
{
    return (const char *)node->data.scalar.value;
}

static bool is_plain(const yaml_node_t *node)
{
    return node->type == YAML_SCALAR_NODE && node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

/* A string scalar without embedded NUL bytes. */
static bool want_string(struct ctx *c, yaml_node_t *node, const char *path)
{
    if (node->type != YAML_SCALAR_NODE) {
        err_at(c, node, path, "expected a string, found %s", kind_name(node));
        return false;
    }
    if (strlen(scalar(node)) != node->data.scalar.length) {
        err_at(c, node, path, "string contains a NUL byte");
        return false;
    }
    return true;
}

static bool is_identifier(const char *s)
{
    if (!(isalpha((unsigned char)s[0]) || s[0] == '_')) {
        return false;
    }
    for (const char *p = s + 1; *p != '\0'; p++) {
        if (!(isalnum((unsigned char)*p) || *p == '_')) {
            return false;
        }
    }
    return true;
}

static bool want_identifier(struct ctx *c, yaml_node_t *node, const char *path)
{
    if (!want_string(c, node, path)) {
        return false;
    }
    if (!is_identifier(scalar(node))) {
        err_at(c, node, path, "'%s' is not a C identifier", scalar(node));
        return false;
    }
    return true;
}

/* Decimal or 0x hex, no sign; false on syntax error or overflow (errno ERANGE). */
static bool parse_uint(const char *s, uint64_t *value)
{
    unsigned base = 10;
    uint64_t v = 0;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    if (*s == '\0') {
        errno = EINVAL;
        return false;
    }
    for (; *s != '\0'; s++) {
        unsigned digit;
        if (isdigit((unsigned char)*s)) {
            digit = (unsigned)(*s - '0');
        } else if (base == 16 && isxdigit((unsigned char)*s)) {
            digit = (unsigned)(tolower((unsigned char)*s) - 'a' + 10);
        } else {
            errno = EINVAL;
            return false;
        }
        if (v > (UINT64_MAX - digit) / base) {
            errno = ERANGE;
            return false;
        }
        v = v * base + digit;
    }
    *value = v;
    return true;
}

static bool want_uint(struct ctx *c, yaml_node_t *node, const char *path, uint64_t max,
                      uint64_t *value)
{
    if (!is_plain(node)) {
        err_at(c, node, path, "expected an integer (decimal or 0x hex), found %s",
               node->type == YAML_SCALAR_NODE ? "a quoted string" : kind_name(node));
        return false;
    }
    const char *s = scalar(node);
    if (s[0] == '-') {
        err_at(c, node, path, "%s: must not be negative", s);
        return false;
    }
    if (!parse_uint(s, value)) {
        if (errno == ERANGE) {
            err_at(c, node, path, "%s: out of range", s);
        } else {
            err_at(c, node, path, "'%s' is not an integer (decimal or 0x hex)", s);
        }
        return false;
    }
    if (*value > max) {
        err_at(c, node, path, "%s: out of range (maximum 0x%llx)", s, (unsigned long long)max);
        return false;
    }
    return true;
}

/* Only the plain scalars true and false are booleans (as in manifests, ffm-rules.md §7). */
static bool want_bool(struct ctx *c, yaml_node_t *node, const char *path, bool *value)
{
    if (is_plain(node) && strcmp(scalar(node), "true") == 0) {
        *value = true;
        return true;
    }
    if (is_plain(node) && strcmp(scalar(node), "false") == 0) {
        *value = false;
        return true;
    }
    err_at(c, node, path, "expected true or false, found %s%s%s",
           node->type == YAML_SCALAR_NODE ? "'" : kind_name(node),
           node->type == YAML_SCALAR_NODE ? scalar(node) : "",
           node->type == YAML_SCALAR_NODE ? "'" : "");
    return false;
}

/* One of two words; *value = index (0 or 1). */
static bool want_choice(struct ctx *c, yaml_node_t *node, const char *path, const char *a,
                        const char *b, int *value)
{
    if (node->type == YAML_SCALAR_NODE) {
        if (strcmp(scalar(node), a) == 0) {
            *value = 0;
            return true;
        }
        if (strcmp(scalar(node), b) == 0) {
            *value = 1;
            return true;
        }
        err_at(c, node, path, "'%s' is not %s or %s", scalar(node), a, b);
        return false;
    }
    err_at(c, node, path, "expected %s or %s, found %s", a, b, kind_name(node));
    return false;
}

static char *dup_or_count(struct ctx *c, const char *s)
{
    char *copy = strdup(s);
    if (copy == NULL) {
        err_loc(c, (struct platform_loc){0, 0}, "<root>", "out of memory");
    }
    return copy;
}

/* ------------------------------------------------------------------------ mappings */

/* Match a mapping's keys against `keys`: values[i] = the value of keys[i] or NULL. Unknown and
 * duplicate keys are errors. Returns false when `node` is not a mapping. */
static bool map_fields(struct ctx *c, yaml_node_t *node, const char *path,
                       const char *const keys[], size_t n_keys, yaml_node_t *values[])
{
    memset(values, 0, n_keys * sizeof values[0]);
    if (node->type != YAML_MAPPING_NODE) {
        err_at(c, node, path, "expected a mapping, found %s", kind_name(node));
        return false;
    }
    yaml_node_pair_t *pairs = node->data.mapping.pairs.start;
    size_t n_pairs = (size_t)(node->data.mapping.pairs.top - pairs);
    for (size_t i = 0; i < n_pairs; i++) {
        yaml_node_t *key = yaml_document_get_node(c->doc, pairs[i].key);
        yaml_node_t *value = yaml_document_get_node(c->doc, pairs[i].value);
        if (key->type != YAML_SCALAR_NODE) {
            err_at(c, key, path, "keys must be scalars, found %s", kind_name(key));
            continue;
        }
        bool duplicate = false;
        for (size_t j = 0; j < i && !duplicate; j++) {
            yaml_node_t *other = yaml_document_get_node(c->doc, pairs[j].key);
            if (other->type == YAML_SCALAR_NODE && strcmp(scalar(other), scalar(key)) == 0) {
                struct platform_loc first = node_loc(other);
                err_at(c, key, path, "duplicate key '%s' (first at line %u)", scalar(key),
                       first.line);
                duplicate = true;
            }
        }
        if (duplicate) {
            continue;
        }
        size_t k = 0;
        while (k < n_keys && strcmp(keys[k], scalar(key)) != 0) {
            k++;
        }
        if (k == n_keys) {
            char allowed[256] = "";
            for (size_t a = 0; a < n_keys; a++) {
                strncat(allowed, a == 0 ? "" : ", ", sizeof allowed - strlen(allowed) - 1);
                strncat(allowed, keys[a], sizeof allowed - strlen(allowed) - 1);
            }
            err_at(c, key, path, "unknown key '%s' (allowed: %s)", scalar(key), allowed);
            continue;
        }
        values[k] = value;
    }
    return true;
}

static bool require(struct ctx *c, yaml_node_t *map, yaml_node_t *value, const char *path,
                    const char *key)
{
    if (value == NULL) {
        err_at(c, map, path, "missing required key '%s'", key);
        return false;
    }
    return true;
}

static size_t seq_len(const yaml_node_t *node)
{
    return (size_t)(node->data.sequence.items.top - node->data.sequence.items.start);
}

static yaml_node_t *seq_item(struct ctx *c, const yaml_node_t *node, size_t i)
{
    return yaml_document_get_node(c->doc, node->data.sequence.items.start[i]);
}

/* ------------------------------------------------------------------------ sections */

static void parse_lifecycle(struct ctx *c, yaml_node_t *node)
{
    const char *path = "lifecycle";
    if (!is_plain(node)) {
        err_at(c, node, path, "expected a state name or value, found %s",
               node->type == YAML_SCALAR_NODE ? "a quoted string" : kind_name(node));
        return;
    }
    const char *s = scalar(node);
    if (isdigit((unsigned char)s[0]) || s[0] == '-') {
        uint64_t v;
        if (!want_uint(c, node, path, 0xffffu, &v)) {
            return;
        }
        if (platform_lifecycle_name((uint32_t)v) == NULL) {
            err_at(c, node, path,
                   "0x%04llx: state byte 0x%02llx is not one of the 7 PSA lifecycle states "
                   "(LC-03)",
                   (unsigned long long)v, (unsigned long long)(v >> 8));
            return;
        }
        c->pf->lifecycle = (uint32_t)v;
        return;
    }
    const char *name = s;
    if (strncasecmp(name, "PSA_LIFECYCLE_", 14) == 0) {
        name += 14;
    }
    for (size_t i = 0; i < N_LIFECYCLE_STATES; i++) {
        if (strcasecmp(name, lifecycle_states[i].name) == 0) {
            c->pf->lifecycle = lifecycle_states[i].value;
            return;
        }
    }
    err_at(c, node, path,
           "unknown lifecycle state '%s' (LC-03; expected UNKNOWN, ASSEMBLY_AND_TEST, "
           "PSA_ROT_PROVISIONING, SECURED, NON_PSA_ROT_DEBUG, RECOVERABLE_PSA_ROT_DEBUG, "
           "DECOMMISSIONED or a 16-bit value)",
           s);
}

static void parse_watchdog(struct ctx *c, yaml_node_t *node)
{
    static const char *const keys[] = {"scale", "default_timeout_ms"};
    yaml_node_t *v[2];
    if (!map_fields(c, node, "watchdog", keys, 2, v)) {
        return;
    }
    if (v[0] != NULL) {
        const char *s = v[0]->type == YAML_SCALAR_NODE ? scalar(v[0]) : "";
        char *end = NULL;
        errno = 0;
        double scale = is_plain(v[0]) ? strtod(s, &end) : NAN;
        bool numeric = is_plain(v[0]) && end != s && *end == '\0' && errno == 0 &&
                       (isdigit((unsigned char)s[0]) || s[0] == '.' || s[0] == '-');
        if (!numeric || !isfinite(scale)) {
            err_at(c, v[0], "watchdog.scale", "expected a positive number, found %s%s%s",
                   v[0]->type == YAML_SCALAR_NODE ? "'" : kind_name(v[0]), s,
                   v[0]->type == YAML_SCALAR_NODE ? "'" : "");
        } else if (!(scale > 0.0)) {
            err_at(c, v[0], "watchdog.scale", "%s: must be greater than 0", s);
        } else {
            c->pf->watchdog_scale = scale;
        }
    }
    uint64_t ms;
    if (v[1] != NULL && want_uint(c, v[1], "watchdog.default_timeout_ms", UINT32_MAX, &ms)) {
        c->pf->watchdog_default_timeout_ms = (uint32_t)ms;
    }
}

static void check_region_range(struct ctx *c, struct platform_region *r, yaml_node_t *base_node,
                               yaml_node_t *size_node, const char *path)
{
    char p[PATH_MAX_LEN];
    uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
    if (size_node != NULL && r->size == 0) {
        snprintf(p, sizeof p, "%s.size", path);
        err_at(c, size_node, p, "size must be greater than 0");
    } else if (size_node != NULL && r->size > FOUR_GIB) {
        snprintf(p, sizeof p, "%s.size", path);
        err_at(c, size_node, p, "0x%llx: larger than 4 GiB", (unsigned long long)r->size);
    }
    if (!r->has_base) {
        return;
    }
    snprintf(p, sizeof p, "%s.base", path);
    if (r->base < page) {
        err_at(c, base_node, p, "0x%llx: in page 0, which is never mapped (MEM-04)",
               (unsigned long long)r->base);
    } else if (r->base % page != 0) {
        err_at(c, base_node, p, "0x%llx: not a multiple of the host page size (0x%llx)",
               (unsigned long long)r->base, (unsigned long long)page);
    } else if (r->base >= FOUR_GIB) {
        err_at(c, base_node, p, "0x%llx: at or above 4 GiB", (unsigned long long)r->base);
    } else if (r->size > 0 && r->size <= FOUR_GIB && r->size > FOUR_GIB - r->base) {
        err_at(c, base_node, p, "region 0x%llx + size 0x%llx ends above 4 GiB",
               (unsigned long long)r->base, (unsigned long long)r->size);
    }
}

static void parse_region(struct ctx *c, yaml_node_t *node, size_t index)
{
    static const char *const keys[] = {"name", "base", "size", "security",
                                       "owner", "access", "persistent"};
    enum { K_NAME, K_BASE, K_SIZE, K_SECURITY, K_OWNER, K_ACCESS, K_PERSISTENT, K_N };
    yaml_node_t *v[K_N];
    char path[48], p[PATH_MAX_LEN];
    struct platform_region *r = &c->pf->regions[index];
    snprintf(path, sizeof path, "regions[%zu]", index);
    r->loc = node_loc(node);
    if (!map_fields(c, node, path, keys, K_N, v)) {
        return;
    }
    if (require(c, node, v[K_NAME], path, "name")) {
        snprintf(p, sizeof p, "%s.name", path);
        if (want_identifier(c, v[K_NAME], p)) {
            for (size_t i = 0; i < index; i++) {
                const struct platform_region *o = &c->pf->regions[i];
                if (o->name != NULL && strcmp(o->name, scalar(v[K_NAME])) == 0) {
                    err_at(c, v[K_NAME], p, "duplicate region name '%s' (first at line %u)",
                           o->name, o->loc.line);
                }
            }
            r->name = dup_or_count(c, scalar(v[K_NAME]));
        }
    }
    if (v[K_BASE] != NULL) {
        snprintf(p, sizeof p, "%s.base", path);
        r->has_base = want_uint(c, v[K_BASE], p, UINT64_MAX, &r->base);
    }
    if (require(c, node, v[K_SIZE], path, "size")) {
        snprintf(p, sizeof p, "%s.size", path);
        if (!want_uint(c, v[K_SIZE], p, UINT64_MAX, &r->size)) {
            v[K_SIZE] = NULL; /* already reported */
        }
    }
    int choice;
    if (require(c, node, v[K_SECURITY], path, "security")) {
        snprintf(p, sizeof p, "%s.security", path);
        if (want_choice(c, v[K_SECURITY], p, "secure", "non-secure", &choice)) {
            r->secure = choice == 0;
        }
    }
    if (require(c, node, v[K_ACCESS], path, "access")) {
        snprintf(p, sizeof p, "%s.access", path);
        if (want_choice(c, v[K_ACCESS], p, "read-only", "read-write", &choice)) {
            r->read_write = choice == 1;
        }
    }
    if (v[K_PERSISTENT] != NULL) {
        snprintf(p, sizeof p, "%s.persistent", path);
        want_bool(c, v[K_PERSISTENT], p, &r->persistent);
    }
    if (v[K_OWNER] != NULL) {
        snprintf(p, sizeof p, "%s.owner", path);
        if (want_identifier(c, v[K_OWNER], p)) {
            r->owner_loc = node_loc(v[K_OWNER]);
            if (v[K_SECURITY] != NULL && !r->secure) {
                err_at(c, v[K_OWNER], p, "a non-secure region has no owner");
            }
            r->owner = dup_or_count(c, scalar(v[K_OWNER]));
        }
    }
    check_region_range(c, r, v[K_BASE], v[K_SIZE], path);
}

static void parse_regions(struct ctx *c, yaml_node_t *node)
{
    if (node->type != YAML_SEQUENCE_NODE) {
        err_at(c, node, "regions", "expected a list, found %s", kind_name(node));
        return;
    }
    size_t n = seq_len(node);
    if (n == 0) {
        return;
    }
    c->pf->regions = calloc(n, sizeof c->pf->regions[0]);
    if (c->pf->regions == NULL) {
        err_at(c, node, "regions", "out of memory");
        return;
    }
    c->pf->n_regions = n;
    for (size_t i = 0; i < n; i++) {
        parse_region(c, seq_item(c, node, i), i);
    }
}

/* Fixed regions must not overlap one another; each pair is reported once, at the later one. */
static void check_overlaps(struct ctx *c)
{
    const struct platform_file *pf = c->pf;
    for (size_t i = 0; i < pf->n_regions; i++) {
        const struct platform_region *a = &pf->regions[i];
        for (size_t j = 0; j < i; j++) {
            const struct platform_region *b = &pf->regions[j];
            if (!a->has_base || !b->has_base || a->size == 0 || b->size == 0) {
                continue;
            }
            if (a->base < b->base + b->size && b->base < a->base + a->size) {
                char path[PATH_MAX_LEN];
                snprintf(path, sizeof path, "regions[%zu].base", i);
                err_loc(c, a->loc, path,
                        "region '%s' [0x%llx, 0x%llx) overlaps region '%s' [0x%llx, 0x%llx) "
                        "at line %u",
                        a->name != NULL ? a->name : "?", (unsigned long long)a->base,
                        (unsigned long long)(a->base + a->size),
                        b->name != NULL ? b->name : "?", (unsigned long long)b->base,
                        (unsigned long long)(b->base + b->size), b->loc.line);
            }
        }
    }
}

static bool same_source(const struct platform_irq_source *a, const struct platform_irq_source *b)
{
    if (a->is_number || b->is_number) {
        return a->is_number && b->is_number && a->number == b->number;
    }
    return strcmp(a->name, b->name) == 0;
}

static void parse_irq_sources(struct ctx *c, yaml_node_t *node)
{
    if (node->type != YAML_SEQUENCE_NODE) {
        err_at(c, node, "irq_sources", "expected a list, found %s", kind_name(node));
        return;
    }
    size_t n = seq_len(node);
    if (n == 0) {
        return;
    }
    struct platform_irq_source *src = calloc(n, sizeof src[0]);
    if (src == NULL) {
        err_at(c, node, "irq_sources", "out of memory");
        return;
    }
    c->pf->irq_sources = src;
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *item = seq_item(c, node, i);
        char path[PATH_MAX_LEN];
        snprintf(path, sizeof path, "irq_sources[%zu]", i);
        struct platform_irq_source *s = &src[c->pf->n_irq_sources];
        s->loc = node_loc(item);
        if (is_plain(item) && (isdigit((unsigned char)scalar(item)[0]) || scalar(item)[0] == '-')) {
            uint64_t v;
            if (!want_uint(c, item, path, UINT32_MAX, &v)) {
                continue;
            }
            s->is_number = true;
            s->number = (uint32_t)v;
        } else if (!is_plain(item)) {
            err_at(c, item, path, "expected a C identifier or a number, found %s",
                   item->type == YAML_SCALAR_NODE ? "a quoted string" : kind_name(item));
            continue;
        } else if (!want_identifier(c, item, path)) {
            continue;
        }
        s->name = dup_or_count(c, scalar(item));
        if (s->name == NULL) {
            continue;
        }
        for (size_t j = 0; j < c->pf->n_irq_sources; j++) {
            if (same_source(&src[j], s)) {
                err_at(c, item, path, "duplicate IRQ source '%s' (first at line %u)", s->name,
                       src[j].loc.line);
            }
        }
        c->pf->n_irq_sources++;
    }
}

/* `nvmem: {region, owner}` or, when absent, the only persistent secure region (RESET-03). */
static void parse_nvmem(struct ctx *c, yaml_node_t *node)
{
    struct platform_file *pf = c->pf;
    if (node == NULL) {
        int found = -1;
        for (size_t i = 0; i < pf->n_regions; i++) {
            if (pf->regions[i].persistent && pf->regions[i].secure) {
                if (found >= 0) {
                    err_loc(c, pf->regions[i].loc, "nvmem",
                            "several persistent secure regions ('%s', '%s'): name the NVMEM "
                            "one with nvmem.region",
                            pf->regions[found].name, pf->regions[i].name);
                    return;
                }
                found = (int)i;
            }
        }
        pf->nvmem_region = found;
        return;
    }
    static const char *const keys[] = {"region", "owner"};
    yaml_node_t *v[2];
    if (!map_fields(c, node, "nvmem", keys, 2, v)) {
        return;
    }
    if (!require(c, node, v[0], "nvmem", "region") ||
        !want_identifier(c, v[0], "nvmem.region")) {
        return;
    }
    int found = -1;
    for (size_t i = 0; i < pf->n_regions; i++) {
        if (pf->regions[i].name != NULL && strcmp(pf->regions[i].name, scalar(v[0])) == 0) {
            found = (int)i;
        }
    }
    if (found < 0) {
        err_at(c, v[0], "nvmem.region", "no region named '%s'", scalar(v[0]));
        return;
    }
    struct platform_region *r = &pf->regions[found];
    if (!r->secure || !r->persistent || !r->read_write) {
        err_at(c, v[0], "nvmem.region",
               "region '%s' must be secure, read-write and persistent (RESET-03, RESET-05)",
               r->name);
    }
    pf->nvmem_region = found;
    if (v[1] == NULL || !want_identifier(c, v[1], "nvmem.owner")) {
        return;
    }
    if (r->owner != NULL && strcmp(r->owner, scalar(v[1])) != 0) {
        err_at(c, v[1], "nvmem.owner", "'%s' differs from region '%s' owner '%s' (line %u)",
               scalar(v[1]), r->name, r->owner, r->owner_loc.line);
        return;
    }
    if (r->owner == NULL) {
        r->owner = dup_or_count(c, scalar(v[1]));
        r->owner_loc = node_loc(v[1]);
    }
}

static void parse_root(struct ctx *c, yaml_node_t *root)
{
    static const char *const keys[] = {"description", "lifecycle", "watchdog",
                                       "regions", "irq_sources", "nvmem"};
    yaml_node_t *v[6];
    if (!map_fields(c, root, "<root>", keys, 6, v)) {
        return;
    }
    if (v[0] != NULL && want_string(c, v[0], "description")) {
        c->pf->description = dup_or_count(c, scalar(v[0]));
    }
    if (v[1] != NULL) {
        parse_lifecycle(c, v[1]);
    }
    if (v[2] != NULL) {
        parse_watchdog(c, v[2]);
    }
    if (v[3] != NULL) {
        parse_regions(c, v[3]);
    }
    if (v[4] != NULL) {
        parse_irq_sources(c, v[4]);
    }
    check_overlaps(c);
    parse_nvmem(c, v[5]);
}

/* ------------------------------------------------------------------------ entry points */

void platform_file_free(struct platform_file *pf)
{
    if (pf == NULL) {
        return;
    }
    for (size_t i = 0; i < pf->n_regions; i++) {
        free(pf->regions[i].name);
        free(pf->regions[i].owner);
    }
    for (size_t i = 0; i < pf->n_irq_sources; i++) {
        free(pf->irq_sources[i].name);
    }
    free(pf->regions);
    free(pf->irq_sources);
    free(pf->description);
    free(pf->path);
    free(pf);
}

static void syntax_error(struct ctx *c, const yaml_parser_t *parser)
{
    struct platform_loc loc = {(unsigned)parser->problem_mark.line + 1,
                               (unsigned)parser->problem_mark.column + 1};
    if (parser->error == YAML_MEMORY_ERROR) {
        err_loc(c, loc, "<root>", "out of memory");
    } else if (parser->context != NULL) {
        err_loc(c, loc, "<root>", "YAML syntax error: %s %s", parser->problem, parser->context);
    } else {
        err_loc(c, loc, "<root>", "YAML syntax error: %s",
                parser->problem != NULL ? parser->problem : "unreadable input");
    }
}

/* Load the single document of the stream; false after reporting why not. */
static bool load_document(struct ctx *c, yaml_parser_t *parser, yaml_document_t *doc)
{
    if (!yaml_parser_load(parser, doc)) {
        syntax_error(c, parser);
        return false;
    }
    yaml_node_t *root = yaml_document_get_root_node(doc);
    if (root == NULL) {
        err_loc(c, (struct platform_loc){1, 1}, "<root>", "empty document (expected a mapping)");
        yaml_document_delete(doc);
        return false;
    }
    yaml_document_t extra;
    if (!yaml_parser_load(parser, &extra)) {
        syntax_error(c, parser);
        yaml_document_delete(doc);
        return false;
    }
    yaml_node_t *extra_root = yaml_document_get_root_node(&extra);
    if (extra_root != NULL) {
        err_at(c, extra_root, "<root>", "more than one YAML document");
    }
    yaml_document_delete(&extra);
    if (c->errors > 0) {
        yaml_document_delete(doc);
        return false;
    }
    return true;
}

int platform_file_parse(const char *name, const char *text, size_t len, FILE *diag,
                        struct platform_file **out)
{
    struct ctx c = {.file = name, .text = (const unsigned char *)text, .len = len,
                    .diag = diag};
    *out = NULL;
    c.pf = calloc(1, sizeof *c.pf);
    if (c.pf == NULL || (c.pf->path = strdup(name)) == NULL) {
        err_loc(&c, (struct platform_loc){0, 0}, "<root>", "out of memory");
        free(c.pf);
        return -1;
    }
    c.pf->lifecycle = PSA_LIFECYCLE_SECURED;
    c.pf->watchdog_scale = 1.0;
    c.pf->nvmem_region = -1;

    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser)) {
        err_loc(&c, (struct platform_loc){0, 0}, "<root>", "out of memory");
        platform_file_free(c.pf);
        return -1;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (load_document(&c, &parser, &doc)) {
        c.doc = &doc;
        parse_root(&c, yaml_document_get_root_node(&doc));
        yaml_document_delete(&doc);
    }
    yaml_parser_delete(&parser);
    if (c.errors > 0) {
        platform_file_free(c.pf);
        return -1;
    }
    *out = c.pf;
    return 0;
}

int platform_file_load(const char *path, FILE *diag, struct platform_file **out)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(diag != NULL ? diag : stderr, "%s: error: cannot open platform file: %s\n", path,
                strerror(errno));
        return -1;
    }
    char *text = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap == 0 ? 4096 : cap * 2;
            char *grown = realloc(text, cap);
            if (grown == NULL) {
                break;
            }
            text = grown;
        }
        size_t got = fread(text + len, 1, cap - len, f);
        len += got;
        if (got == 0) {
            break;
        }
    }
    bool failed = ferror(f) || len == cap;
    int saved = errno;
    fclose(f);
    if (failed) {
        fprintf(diag != NULL ? diag : stderr, "%s: error: cannot read platform file: %s\n", path,
                strerror(saved != 0 ? saved : ENOMEM));
        free(text);
        return -1;
    }
    int rc = platform_file_parse(path, text, len, diag, out);
    free(text);
    return rc;
}

const char *platform_file_default_text(void)
{
    return default_text;
}

int platform_file_default(struct platform_file **out)
{
    return platform_file_parse("<built-in>", default_text, sizeof default_text - 1, NULL, out);
}

const struct platform_region *platform_file_region(const struct platform_file *pf,
                                                   const char *name)
{
    for (size_t i = 0; i < pf->n_regions; i++) {
        if (strcmp(pf->regions[i].name, name) == 0) {
            return &pf->regions[i];
        }
    }
    return NULL;
}

int platform_file_irq_source(const struct platform_file *pf, const char *source)
{
    struct platform_irq_source probe = {.name = (char *)source};
    uint64_t v;
    if (isdigit((unsigned char)source[0]) && parse_uint(source, &v) && v <= UINT32_MAX) {
        probe.is_number = true;
        probe.number = (uint32_t)v;
    }
    for (size_t i = 0; i < pf->n_irq_sources; i++) {
        if (same_source(&pf->irq_sources[i], &probe)) {
            return (int)i;
        }
    }
    return -1;
}

const char *platform_lifecycle_name(uint32_t value)
{
    if (value > 0xffffu) {
        return NULL;
    }
    for (size_t i = 0; i < N_LIFECYCLE_STATES; i++) {
        if ((value & PSA_LIFECYCLE_PSA_STATE_MASK) == lifecycle_states[i].value) {
            return lifecycle_states[i].name;
        }
    }
    return NULL;
}
