/*
 * platform_file.c - read and validate a platform description (platform_file.h; format in
 * docs/sim.md §2). The manifests' YAML layer (src/manifest/mf_yaml.c) loads the document tree
 * within the limits of ffm_limits.h (size, depth, nodes, keys per mapping, with a linear
 * duplicate-key check); the walk below checks every key, type and
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

#include "ffm_limits.h"
#include "manifest/mf_internal.h"
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
    unsigned errors;     /* reported, at most FFM_LIMIT_ERRORS */
    unsigned suppressed; /* found beyond that, counted only */
    struct platform_file *pf;
};

/* ------------------------------------------------------------------------ diagnostics */

static struct platform_loc node_loc(const struct mf_node *node)
{
    struct platform_loc loc = {node->line, node->col};
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
    if (c->errors >= FFM_LIMIT_ERRORS) {
        c->suppressed++;
        return;
    }
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

static const char *kind_name(const struct mf_node *node)
{
    switch (node->kind) {
    case MF_SCALAR: return "a scalar";
    case MF_SEQ: return "a list";
    default: return "a mapping";
    }
}

static const char *scalar(const struct mf_node *node)
{
    return node->text;
}

static bool is_plain(const struct mf_node *node)
{
    return node->kind == MF_SCALAR && node->plain;
}

/* A string scalar without embedded NUL bytes. */
static bool want_string(struct ctx *c, const struct mf_node *node, const char *path)
{
    if (node->kind != MF_SCALAR) {
        err_at(c, node, path, "expected a string, found %s", kind_name(node));
        return false;
    }
    if (strlen(scalar(node)) != node->len) {
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

static bool want_identifier(struct ctx *c, const struct mf_node *node, const char *path)
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

static bool want_uint(struct ctx *c, const struct mf_node *node, const char *path, uint64_t max,
                      uint64_t *value)
{
    if (!is_plain(node)) {
        err_at(c, node, path, "expected an integer (decimal or 0x hex), found %s",
               node->kind == MF_SCALAR ? "a quoted string" : kind_name(node));
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
static bool want_bool(struct ctx *c, const struct mf_node *node, const char *path, bool *value)
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
           node->kind == MF_SCALAR ? "'" : kind_name(node),
           node->kind == MF_SCALAR ? scalar(node) : "",
           node->kind == MF_SCALAR ? "'" : "");
    return false;
}

/* One of two words; *value = index (0 or 1). */
static bool want_choice(struct ctx *c, const struct mf_node *node, const char *path, const char *a,
                        const char *b, int *value)
{
    if (node->kind == MF_SCALAR) {
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
static bool map_fields(struct ctx *c, const struct mf_node *node, const char *path,
                       const char *const keys[], size_t n_keys, const struct mf_node *values[])
{
    memset(values, 0, n_keys * sizeof values[0]);
    if (node->kind != MF_MAP) {
        err_at(c, node, path, "expected a mapping, found %s", kind_name(node));
        return false;
    }
    /* Keys are scalars and unique: the YAML layer refused anything else (mf_yaml.c). */
    for (size_t i = 0; i + 1 < node->n; i += 2) {
        const struct mf_node *key = node->items[i];
        const struct mf_node *value = node->items[i + 1];
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

/* A list no longer than its limit (each entry is compared with the others). */
static bool within(struct ctx *c, const struct mf_node *node, const char *path, size_t n,
                   unsigned max)
{
    if (n > max) {
        err_at(c, node, path, "%zu entries, more than the maximum %u", n, max);
        return false;
    }
    return true;
}

static bool require(struct ctx *c, const struct mf_node *map, const struct mf_node *value, const char *path,
                    const char *key)
{
    if (value == NULL) {
        err_at(c, map, path, "missing required key '%s'", key);
        return false;
    }
    return true;
}

static size_t seq_len(const struct mf_node *node)
{
    return node->n;
}

static const struct mf_node *seq_item(const struct mf_node *node, size_t i)
{
    return node->items[i];
}

/* ------------------------------------------------------------------------ sections */

static void parse_lifecycle(struct ctx *c, const struct mf_node *node)
{
    const char *path = "lifecycle";
    if (!is_plain(node)) {
        err_at(c, node, path, "expected a state name or value, found %s",
               node->kind == MF_SCALAR ? "a quoted string" : kind_name(node));
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

static void parse_watchdog(struct ctx *c, const struct mf_node *node)
{
    static const char *const keys[] = {"scale", "default_timeout_ms"};
    const struct mf_node *v[2];
    if (!map_fields(c, node, "watchdog", keys, 2, v)) {
        return;
    }
    if (v[0] != NULL) {
        const char *s = v[0]->kind == MF_SCALAR ? scalar(v[0]) : "";
        char *end = NULL;
        errno = 0;
        double scale = is_plain(v[0]) ? strtod(s, &end) : NAN;
        bool numeric = is_plain(v[0]) && end != s && *end == '\0' && errno == 0 &&
                       (isdigit((unsigned char)s[0]) || s[0] == '.' || s[0] == '-');
        if (!numeric || !isfinite(scale)) {
            err_at(c, v[0], "watchdog.scale", "expected a positive number, found %s%s%s",
                   v[0]->kind == MF_SCALAR ? "'" : kind_name(v[0]), s,
                   v[0]->kind == MF_SCALAR ? "'" : "");
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

static void check_region_range(struct ctx *c, struct platform_region *r, const struct mf_node *base_node,
                               const struct mf_node *size_node, const char *path)
{
    char p[PATH_MAX_LEN];
    uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
    if (size_node != NULL && r->size == 0) {
        snprintf(p, sizeof p, "%s.size", path);
        err_at(c, size_node, p, "size must be greater than 0");
    } else if (size_node != NULL && r->size > FFM_LIMIT_REGION_BYTES) {
        snprintf(p, sizeof p, "%s.size", path);
        err_at(c, size_node, p, "0x%llx: larger than the maximum 0x%llx (%llu MiB)",
               (unsigned long long)r->size, (unsigned long long)FFM_LIMIT_REGION_BYTES,
               (unsigned long long)(FFM_LIMIT_REGION_BYTES >> 20));
    }
    if (!r->has_base) {
        return;
    }
    snprintf(p, sizeof p, "%s.base", path);
    if (r->base < page) {
        err_at(c, base_node, p, "0x%llx: in page 0, which is never mapped (MEM-04)",
               (unsigned long long)r->base);
    } else if (r->base >= FOUR_GIB) {
        err_at(c, base_node, p, "0x%llx: at or above 4 GiB", (unsigned long long)r->base);
    } else if (r->size > 0 && r->size <= FOUR_GIB && r->size > FOUR_GIB - r->base) {
        err_at(c, base_node, p, "region 0x%llx + size 0x%llx ends above 4 GiB",
               (unsigned long long)r->base, (unsigned long long)r->size);
    }
}

/*
 * `flash: {sector_size, program_unit, erased_value, strict}` of region `r` (flash.h): the
 * geometry comes from here alone, and is checked against the region's size now, so a driver
 * never meets a geometry it cannot serve. A flash region keeps its content across resets, so
 * it must be persistent.
 */
static void parse_flash(struct ctx *c, struct platform_region *r, const struct mf_node *node,
                        const struct mf_node *size_node, const char *path)
{
    static const char *const keys[] = {"sector_size", "program_unit", "erased_value", "strict"};
    enum { F_SECTOR, F_UNIT, F_ERASED, F_STRICT, F_N };
    const struct mf_node *v[F_N];
    char p[PATH_MAX_LEN];
    snprintf(p, sizeof p, "%s.flash", path);
    if (!map_fields(c, node, p, keys, F_N, v)) {
        return;
    }
    struct ffm_flash_geometry g = { .sector_size = 0, .program_unit = 1, .erased_value = 0xFF,
                                    .strict = true };
    uint64_t value;
    bool ok = require(c, node, v[F_SECTOR], p, "sector_size");
    for (int k = F_SECTOR; k <= F_ERASED; k++) {
        snprintf(p, sizeof p, "%s.flash.%s", path, keys[k]);
        if (v[k] == NULL) {
            continue;
        }
        if (!want_uint(c, v[k], p, k == F_ERASED ? 0xFFu : UINT32_MAX, &value)) {
            ok = false;
        } else if (k == F_SECTOR) {
            g.sector_size = (uint32_t)value;
        } else if (k == F_UNIT) {
            g.program_unit = (uint32_t)value;
        } else {
            g.erased_value = (uint8_t)value;
        }
    }
    if (v[F_STRICT] != NULL) {
        snprintf(p, sizeof p, "%s.flash.strict", path);
        ok = want_bool(c, v[F_STRICT], p, &g.strict) && ok;
    }
    const char *field = NULL;
    const char *why = ok ? ffm_flash_geometry_error(&g, size_node != NULL ? r->size : 0, &field)
                         : NULL;
    if (why != NULL) {
        int k = strcmp(field, "sector_size") == 0 ? F_SECTOR
                : strcmp(field, "program_unit") == 0 ? F_UNIT : F_ERASED;
        const struct mf_node *at = v[k] != NULL ? v[k] : node;
        snprintf(p, sizeof p, "%s.flash.%s", path, field);
        err_at(c, at, p, "%s: %s (region size 0x%llx, sector_size 0x%llx, program_unit %u)",
               at->kind == MF_SCALAR ? scalar(at) : "default", why, (unsigned long long)r->size,
               (unsigned long long)g.sector_size, (unsigned)g.program_unit);
        ok = false;
    }
    if (!r->persistent) {
        snprintf(p, sizeof p, "%s.flash", path);
        err_at(c, node, p, "a flash region must be persistent: true (flash keeps its content "
               "across resets)");
        ok = false;
    }
    if (c->pf->n_flash >= FFM_FLASH_MAX_DEVICES) {
        snprintf(p, sizeof p, "%s.flash", path);
        err_at(c, node, p, "more than %u flash regions (Driver_FLASH0..%u)",
               FFM_FLASH_MAX_DEVICES, FFM_FLASH_MAX_DEVICES - 1u);
        return;
    }
    if (ok) {
        r->flash = true;
        r->flash_geometry = g;
        r->flash_device = c->pf->n_flash++;
    }
}

static void parse_region(struct ctx *c, const struct mf_node *node, size_t index)
{
    static const char *const keys[] = {"name", "base", "size", "security",
                                       "owner", "access", "persistent", "flash"};
    enum { K_NAME, K_BASE, K_SIZE, K_SECURITY, K_OWNER, K_ACCESS, K_PERSISTENT, K_FLASH, K_N };
    const struct mf_node *v[K_N];
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
    if (v[K_FLASH] != NULL) {
        parse_flash(c, r, v[K_FLASH], v[K_SIZE], path);
    }
}

static void parse_regions(struct ctx *c, const struct mf_node *node)
{
    if (node->kind != MF_SEQ) {
        err_at(c, node, "regions", "expected a list, found %s", kind_name(node));
        return;
    }
    size_t n = seq_len(node);
    if (n == 0 || !within(c, node, "regions", n, FFM_LIMIT_PLATFORM_REGIONS)) {
        return;
    }
    c->pf->regions = calloc(n, sizeof c->pf->regions[0]);
    if (c->pf->regions == NULL) {
        err_at(c, node, "regions", "out of memory");
        return;
    }
    c->pf->n_regions = n;
    uint64_t total = 0;
    bool reported = false;
    for (size_t i = 0; i < n; i++) {
        parse_region(c, seq_item(node, i), i);
        const struct platform_region *r = &c->pf->regions[i];
        total += r->size <= FFM_LIMIT_REGION_BYTES ? r->size : 0;
        if (total > FFM_LIMIT_REGIONS_TOTAL_BYTES && !reported) {
            char p[PATH_MAX_LEN];
            snprintf(p, sizeof p, "regions[%zu].size", i);
            err_loc(c, r->loc, p,
                    "regions[0..%zu] add up to 0x%llx bytes, more than the maximum 0x%llx "
                    "(%llu MiB)", i, (unsigned long long)total,
                    (unsigned long long)FFM_LIMIT_REGIONS_TOTAL_BYTES,
                    (unsigned long long)(FFM_LIMIT_REGIONS_TOTAL_BYTES >> 20));
            reported = true;
        }
    }
}

/* The NVMEM region is filled when its file is created and copied at every reset: bounded. */
static void check_nvmem_size(struct ctx *c)
{
    const struct platform_file *pf = c->pf;
    if (pf->nvmem_region < 0) {
        return;
    }
    const struct platform_region *r = &pf->regions[pf->nvmem_region];
    if (r->size > FFM_LIMIT_NVMEM_BYTES && r->size <= FFM_LIMIT_REGION_BYTES) {
        char p[PATH_MAX_LEN];
        snprintf(p, sizeof p, "regions[%d].size", pf->nvmem_region);
        err_loc(c, r->loc, p,
                "0x%llx: larger than the maximum 0x%llx (%llu MiB) for the NVMEM region",
                (unsigned long long)r->size, (unsigned long long)FFM_LIMIT_NVMEM_BYTES,
                (unsigned long long)(FFM_LIMIT_NVMEM_BYTES >> 20));
    }
}

/* A cold NVMEM region is 0xFF-filled (RESET-04): as flash it must erase to 0xFF too. */
static void check_nvmem_flash(struct ctx *c)
{
    const struct platform_file *pf = c->pf;
    if (pf->nvmem_region < 0 || !pf->regions[pf->nvmem_region].flash ||
        pf->regions[pf->nvmem_region].flash_geometry.erased_value == 0xFFu) {
        return;
    }
    char p[PATH_MAX_LEN];
    snprintf(p, sizeof p, "regions[%d].flash.erased_value", pf->nvmem_region);
    err_loc(c, pf->regions[pf->nvmem_region].loc, p,
            "0x00: the NVMEM region is 0xFF-filled at cold start (RESET-04), so as flash it "
            "must erase to 0xff");
}

/* MEM-19: do two fixed regions hold bytes of one host page? */
static bool share_a_page(const struct platform_region *a, const struct platform_region *b)
{
    uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
    uint64_t a_lo = a->base / page, a_hi = (a->base + a->size - 1) / page;
    uint64_t b_lo = b->base / page, b_hi = (b->base + b->size - 1) / page;
    return a_lo <= b_hi && b_lo <= a_hi;
}

/* ffm-rule: MEM-19 */
/* MEM-19: regions may share a host page (each owner is granted it), but one page cannot be
 * both secure and non-secure, nor both persistent (shared with the supervisor) and not. */
static void check_page_sharing(struct ctx *c, size_t i, const struct platform_region *a,
                               const struct platform_region *b)
{
    const char *what = a->secure != b->secure           ? "both secure and non-secure"
                       : a->persistent != b->persistent ? "both persistent and not persistent"
                                                        : NULL;
    if (what == NULL) {
        return;
    }
    uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
    uint64_t lo = a->base > b->base ? a->base : b->base;
    char path[PATH_MAX_LEN];
    snprintf(path, sizeof path, "regions[%zu].base", i);
    err_loc(c, a->loc, path,
            "region '%s' and region '%s' at line %u share the host page 0x%llx, which cannot "
            "be %s (MEM-19)", a->name != NULL ? a->name : "?", b->name != NULL ? b->name : "?",
            b->loc.line, (unsigned long long)(lo / page * page), what);
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
            if (share_a_page(a, b)) {
                check_page_sharing(c, i, a, b);
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

/* `{name: X, period_us: N}`: a periodic source (the simulated clock raises it every N us of
 * simulated time). *name_node gets the name's node, checked like a plain list item. */
static bool periodic_source(struct ctx *c, const struct mf_node *item, const char *path,
                            const struct mf_node **name_node, uint32_t *period_us)
{
    static const char *const keys[] = {"name", "period_us"};
    const struct mf_node *v[2];
    char sub[PATH_MAX_LEN + 16];
    if (!map_fields(c, item, path, keys, 2, v) || !require(c, item, v[0], path, "name") ||
        !require(c, item, v[1], path, "period_us")) {
        return false;
    }
    snprintf(sub, sizeof sub, "%s.period_us", path);
    uint64_t us;
    if (!want_uint(c, v[1], sub, UINT32_MAX, &us)) {
        return false;
    }
    if (us == 0) {
        err_at(c, v[1], sub, "must be at least 1 (omit it for a source raised by code only)");
        return false;
    }
    *period_us = (uint32_t)us;
    *name_node = v[0];
    return true;
}

static void parse_irq_sources(struct ctx *c, const struct mf_node *node)
{
    if (node->kind != MF_SEQ) {
        err_at(c, node, "irq_sources", "expected a list, found %s", kind_name(node));
        return;
    }
    size_t n = seq_len(node);
    if (n == 0 || !within(c, node, "irq_sources", n, FFM_LIMIT_IRQ_SOURCES)) {
        return;
    }
    struct platform_irq_source *src = calloc(n, sizeof src[0]);
    if (src == NULL) {
        err_at(c, node, "irq_sources", "out of memory");
        return;
    }
    c->pf->irq_sources = src;
    for (size_t i = 0; i < n; i++) {
        const struct mf_node *item = seq_item(node, i);
        char path[PATH_MAX_LEN];
        snprintf(path, sizeof path, "irq_sources[%zu]", i);
        struct platform_irq_source *s = &src[c->pf->n_irq_sources];
        s->loc = node_loc(item);
        if (item->kind == MF_MAP && !periodic_source(c, item, path, &item, &s->period_us)) {
            continue;
        }
        if (is_plain(item) && (isdigit((unsigned char)scalar(item)[0]) || scalar(item)[0] == '-')) {
            uint64_t v;
            if (!want_uint(c, item, path, UINT32_MAX, &v)) {
                continue;
            }
            s->is_number = true;
            s->number = (uint32_t)v;
        } else if (!is_plain(item)) {
            err_at(c, item, path, "expected a C identifier or a number, found %s",
                   item->kind == MF_SCALAR ? "a quoted string" : kind_name(item));
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
static void parse_nvmem(struct ctx *c, const struct mf_node *node)
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
    const struct mf_node *v[2];
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
    /* ffm-rule: RESET-03, RESET-05 */
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

static void parse_root(struct ctx *c, const struct mf_node *root)
{
    static const char *const keys[] = {"description", "lifecycle", "watchdog",
                                       "regions", "irq_sources", "nvmem"};
    const struct mf_node *v[6];
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
    check_nvmem_size(c);
    check_nvmem_flash(c);
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

/* The YAML layer's errors (syntax, limits, duplicate keys), in the platform file's format. */
static void report_yaml_diags(struct ctx *c, const struct mf_diags *d)
{
    for (size_t i = 0; i < d->n; i++) {
        const struct ffm_manifest_diag *x = &d->items[i];
        if (x->line == 0) { /* about the file as a whole: cannot read it, too large */
            fprintf(c->diag != NULL ? c->diag : stderr, "%s: error: %s\n", c->file, x->message);
            c->errors++;
            continue;
        }
        err_loc(c, (struct platform_loc){x->line, x->column},
                x->path[0] != '\0' ? x->path : "<root>", "%s", x->message);
    }
}

/* Parse with the manifests' YAML layer (mf_yaml.c: one set of limits, ffm_limits.h), then
 * walk the tree. `text` NULL: read the file `name` (size-bounded, directories refused). */
static int parse_platform(const char *name, const char *text, size_t len, FILE *diag,
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

    struct mf_arena arena = {0};
    struct mf_diags d = {.arena = &arena, .max_errors = FFM_LIMIT_ERRORS};
    const struct mf_node *root = text != NULL
        ? mf_yaml_parse(&arena, &d, name, (const unsigned char *)text, len, FFM_RULE_NONE)
        : mf_yaml_load(&arena, &d, name, FFM_RULE_NONE);
    report_yaml_diags(&c, &d);
    if (root != NULL) {
        parse_root(&c, root);
    }
    mf_arena_release(&arena);
    if (c.suppressed > 0) {
        fprintf(diag != NULL ? diag : stderr, "%s: error: %u more errors not shown\n", name,
                c.suppressed);
    }
    if (c.errors > 0 || root == NULL) {
        platform_file_free(c.pf);
        return -1;
    }
    *out = c.pf;
    return 0;
}

int platform_file_parse(const char *name, const char *text, size_t len, FILE *diag,
                        struct platform_file **out)
{
    return parse_platform(name, text, len, diag, out);
}

int platform_file_load(const char *path, FILE *diag, struct platform_file **out)
{
    return parse_platform(path, NULL, 0, diag, out);
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
