/*
 * mf_list.c - manifest lists in TF-M's format (MAN-01..04): top-level keys, item keys,
 * `${VAR}` expansion and path resolution of `manifest`, and `conditional` evaluation against
 * the config headers and -D defines. Each enabled item becomes a partition in collection order.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "manifest/mf_model.h"

static void mf_vdiag(struct ffm_manifest_set *set, enum ffm_manifest_severity sev,
                     const char *file, const struct mf_node *at, enum ffm_rule rule,
                     const char *path, const char *fmt, va_list ap)
{
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    mf_diag(&set->diags, sev, file, at ? at->line : 0, at ? at->col : 0, rule, path, "%s", msg);
}

void mf_err(struct ffm_manifest_set *set, const char *file, const struct mf_node *at,
            enum ffm_rule rule, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    mf_vdiag(set, FFM_DIAG_ERROR, file, at, rule, path, fmt, ap);
    va_end(ap);
}

void mf_warn(struct ffm_manifest_set *set, const char *file, const struct mf_node *at,
             enum ffm_rule rule, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    mf_vdiag(set, FFM_DIAG_WARNING, file, at, rule, path, fmt, ap);
    va_end(ap);
}

static struct mf_part *new_part(struct ffm_manifest_set *set)
{
    if (set->n_parts == set->cap_parts) {
        size_t cap = set->cap_parts ? set->cap_parts * 2 : 16;
        struct mf_part *parts = mf_alloc(&set->arena, cap * sizeof *parts);
        if (set->n_parts > 0) {
            memcpy(parts, set->parts, set->n_parts * sizeof *parts);
        }
        set->parts = parts;
        set->cap_parts = cap;
    }
    struct mf_part *p = &set->parts[set->n_parts++];
    memset(p, 0, sizeof *p);
    p->output_path = "";
    return p;
}

/* "<basename minus its last extension>.h" (MAN-42). */
static const char *header_name(struct ffm_manifest_set *set, const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t len = (dot != NULL && dot != base) ? (size_t)(dot - base) : strlen(base);
    return mf_printf(&set->arena, "%.*s.h", (int)len, base);
}

void mf_load_positional(struct ffm_manifest_set *set, const char *manifest_file)
{
    struct mf_part *p = new_part(set);
    p->file = mf_strdup(&set->arena, manifest_file);
    p->header_name = header_name(set, p->file);
    mf_parse_partition(set, p);
}

/* ------------------------------------------------------------------ list items */

struct item_ctx {
    struct ffm_manifest_set *set;
    const char *file;
    const char *path; /* "manifest_list[i]" */
};

static const char *sub(const struct item_ctx *c, const char *key)
{
    return mf_printf(&c->set->arena, "%s.%s", c->path, key);
}

static bool is_string(const struct mf_node *n)
{
    return n != NULL && n->kind == MF_SCALAR;
}

/* MAN-02: known keys only; description and manifest required. */
static bool check_item_keys(const struct item_ctx *c, const struct mf_node *item)
{
    static const char *const known[] = {"description", "manifest", "output_path",
                                        "conditional", "pid", "non_ffm_attributes",
                                        "linker_pattern", "version_major", "version_minor"};
    bool ok = true;
    for (size_t i = 0; i < item->n; i += 2) {
        bool found = false;
        for (size_t k = 0; k < sizeof known / sizeof known[0]; k++) {
            found = found || strcmp(item->items[i]->text, known[k]) == 0;
        }
        if (!found) {
            mf_err(c->set, c->file, item->items[i], FFM_RULE_MAN_02, sub(c, item->items[i]->text),
                   "unknown attribute");
            ok = false;
        }
    }
    static const char *const required[] = {"description", "manifest"};
    for (size_t k = 0; k < 2; k++) {
        const struct mf_node *v = mf_map_get(item, required[k], NULL);
        if (v == NULL) {
            mf_err(c->set, c->file, item, FFM_RULE_MAN_02, sub(c, required[k]),
                   "required attribute missing");
            ok = false;
        } else if (!is_string(v)) {
            mf_err(c->set, c->file, v, FFM_RULE_MAN_02, sub(c, required[k]), "not a string");
            ok = false;
        }
    }
    return ok;
}

/* --undefined-off: remember an undefined conditional once, for mf_warn_undefined. */
static void note_undefined(const struct item_ctx *c, const struct mf_node *cond)
{
    struct ffm_manifest_set *set = c->set;
    for (size_t i = 0; i < set->n_undefined; i++) {
        if (strcmp(set->undefined[i], cond->text) == 0) {
            return;
        }
    }
    if (set->n_undefined == set->cap_undefined) {
        size_t cap = set->cap_undefined ? set->cap_undefined * 2 : 16;
        const char **names = mf_alloc(&set->arena, cap * sizeof *names);
        if (set->n_undefined > 0) {
            memcpy(names, set->undefined, set->n_undefined * sizeof *names);
        }
        set->undefined = names;
        set->cap_undefined = cap;
    }
    if (set->n_undefined == 0) {
        set->undefined_file = c->file;
        set->undefined_at = cond;
    }
    set->undefined[set->n_undefined++] = cond->text;
}

/* ffm-rule: MAN-04 */
void mf_warn_undefined(struct ffm_manifest_set *set)
{
    if (set->n_undefined == 0) {
        return;
    }
    size_t len = 1;
    for (size_t i = 0; i < set->n_undefined; i++) {
        len += strlen(set->undefined[i]) + 2;
    }
    char *names = mf_alloc(&set->arena, len);
    for (size_t i = 0; i < set->n_undefined; i++) {
        strcat(names, i == 0 ? "" : ", ");
        strcat(names, set->undefined[i]);
    }
    /* mf_diag, not mf_warn: the list of names may be longer than mf_warn's message buffer. */
    mf_diag(&set->diags, FFM_DIAG_WARNING, set->undefined_file, set->undefined_at->line,
            set->undefined_at->col, FFM_RULE_MAN_04, "conditional",
            "not defined, so treated as off (--undefined-off): %s", names);
}

/* MAN-04: enabled, disabled, or an error (returns -1). */
static int eval_conditional(const struct item_ctx *c, const struct mf_node *cond)
{
    const char *path = sub(c, "conditional");
    if (!is_string(cond)) {
        mf_err(c->set, c->file, cond, FFM_RULE_MAN_04, path, "not a string");
        return -1;
    }
    const char *value = mf_config_lookup(&c->set->config, cond->text);
    if (value == NULL && c->set->opt->undefined_off) {
        note_undefined(c, cond);
        return 0;
    }
    if (value == NULL) {
        mf_err(c->set, c->file, cond, FFM_RULE_MAN_04, path, "%s is not defined", cond->text);
        return -1;
    }
    static const char *const on[] = {"1", "on", "true", "enabled"};
    static const char *const off[] = {"0", "off", "false", "disabled", ""};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(value, on[i]) == 0) {
            return 1;
        }
    }
    for (size_t i = 0; i < 5; i++) {
        if (strcasecmp(value, off[i]) == 0) {
            return 0;
        }
    }
    mf_err(c->set, c->file, cond, FFM_RULE_MAN_04, path,
           "%s has value \"%s\"; expected 1/on/true/enabled or 0/off/false/disabled",
           cond->text, value);
    return -1;
}

/* MAN-03: expand ${VAR} from the environment; NULL (error recorded) if a variable is unset. */
static const char *expand_vars(const struct item_ctx *c, const struct mf_node *n)
{
    char out[4096];
    size_t used = 0;
    for (const char *p = n->text; *p != '\0';) {
        const char *end = (p[0] == '$' && p[1] == '{') ? strchr(p, '}') : NULL;
        const char *piece = p;
        size_t len = 1;
        if (end != NULL) {
            char *name = mf_strndup(&c->set->arena, p + 2, (size_t)(end - p - 2));
            piece = getenv(name);
            if (piece == NULL) {
                mf_err(c->set, c->file, n, FFM_RULE_MAN_03, sub(c, "manifest"),
                       "environment variable %s is not set", name);
                return NULL;
            }
            len = strlen(piece);
            p = end + 1;
        } else {
            p++;
        }
        if (used + len >= sizeof out) {
            mf_err(c->set, c->file, n, FFM_RULE_MAN_03, sub(c, "manifest"), "path too long");
            return NULL;
        }
        memcpy(out + used, piece, len);
        used += len;
    }
    return mf_strndup(&c->set->arena, out, used);
}

/* MAN-03: relative to the list file's directory first, then as given. */
static const char *resolve_manifest(const struct item_ctx *c, const struct mf_node *n)
{
    const char *expanded = expand_vars(c, n);
    if (expanded == NULL) {
        return NULL;
    }
    if (expanded[0] != '/') {
        const char *slash = strrchr(c->file, '/');
        const char *dir = slash ? mf_strndup(&c->set->arena, c->file, (size_t)(slash - c->file))
                                : ".";
        const char *joined = slash ? mf_printf(&c->set->arena, "%s/%s", dir, expanded)
                                   : expanded;
        if (access(joined, F_OK) == 0) {
            return joined;
        }
    }
    if (access(expanded, F_OK) == 0) {
        return expanded;
    }
    mf_err(c->set, c->file, n, FFM_RULE_MAN_03, sub(c, "manifest"), "file %s not found",
           expanded);
    return NULL;
}

/* MAN-06: the range of an explicit pid (tfm: 1..255 also allowed). */
static bool check_pid(const struct item_ctx *c, const struct mf_node *pid, int64_t *value)
{
    int64_t low = c->set->profile == FFM_PROFILE_TFM ? 1 : 256;
    if (!mf_is_int(pid, value)) {
        mf_err(c->set, c->file, pid, FFM_RULE_MAN_06, sub(c, "pid"), "%s is not an integer",
               pid->kind == MF_SCALAR ? pid->text : "value");
        return false;
    }
    if (*value < low || *value > INT32_MAX) {
        mf_err(c->set, c->file, pid, FFM_RULE_MAN_06, sub(c, "pid"), "%lld outside %lld..%d",
               (long long)*value, (long long)low, INT32_MAX);
        return false;
    }
    return true;
}

/* MAN-02: non_ffm_attributes is a list of strings. */
static bool read_non_ffm(const struct item_ctx *c, const struct mf_node *n, struct mf_part *p)
{
    if (n->kind != MF_SEQ) {
        mf_err(c->set, c->file, n, FFM_RULE_MAN_02, sub(c, "non_ffm_attributes"),
               "not a list");
        return false;
    }
    const char **names = mf_alloc(&c->set->arena, (n->n + 1) * sizeof *names);
    for (size_t i = 0; i < n->n; i++) {
        if (n->items[i]->kind != MF_SCALAR) {
            mf_err(c->set, c->file, n->items[i], FFM_RULE_MAN_02,
                   mf_printf(&c->set->arena, "%s.non_ffm_attributes[%zu]", c->path, i),
                   "not a string");
            return false;
        }
        names[i] = n->items[i]->text;
    }
    p->non_ffm = names;
    p->n_non_ffm = n->n;
    return true;
}

static void load_item(const struct item_ctx *c, const struct mf_node *item)
{
    if (item->kind != MF_MAP) {
        mf_err(c->set, c->file, item, FFM_RULE_MAN_02, c->path, "list item is not a mapping");
        return;
    }
    bool ok = check_item_keys(c, item);
    const struct mf_node *cond = mf_map_get(item, "conditional", NULL);
    int enabled = cond != NULL ? eval_conditional(c, cond) : 1;
    if (enabled <= 0 || !ok) {
        return; /* disabled items are ignored entirely (MAN-04) */
    }
    struct mf_part tmp = {.output_path = ""};
    const struct mf_node *pid = mf_map_get(item, "pid", NULL);
    if (pid != NULL) {
        ok = check_pid(c, pid, &tmp.pid) && ok;
        tmp.pid_n = pid;
    }
    const struct mf_node *nfa = mf_map_get(item, "non_ffm_attributes", NULL);
    ok = (nfa == NULL || read_non_ffm(c, nfa, &tmp)) && ok;
    const struct mf_node *out = mf_map_get(item, "output_path", NULL);
    if (out != NULL && !is_string(out)) {
        mf_err(c->set, c->file, out, FFM_RULE_MAN_02, sub(c, "output_path"), "not a string");
        ok = false;
    } else if (out != NULL) {
        tmp.output_path = out->text;
    }
    const char *path = resolve_manifest(c, mf_map_get(item, "manifest", NULL));
    if (path == NULL || !ok) {
        return;
    }
    struct mf_part *p = new_part(c->set);
    *p = tmp;
    p->file = path;
    p->list_file = c->file;
    p->item_path = c->path;
    p->item_n = item;
    p->header_name = header_name(c->set, path);
    mf_parse_partition(c->set, p);
}

static void check_list_top(struct ffm_manifest_set *set, const char *file,
                           const struct mf_node *root)
{
    static const char *const ignored[] = {"description", "type", "version_major",
                                          "version_minor", "manifest_list"};
    for (size_t i = 0; i < root->n; i += 2) {
        bool found = false;
        for (size_t k = 0; k < sizeof ignored / sizeof ignored[0]; k++) {
            found = found || strcmp(root->items[i]->text, ignored[k]) == 0;
        }
        if (!found) {
            mf_err(set, file, root->items[i], FFM_RULE_MAN_01, root->items[i]->text,
                   "unknown attribute");
        }
    }
}

/* ffm-rule: MAN-05 */
void mf_load_list(struct ffm_manifest_set *set, const char *list_file)
{
    const char *file = mf_strdup(&set->arena, list_file);
    const struct mf_node *root = mf_yaml_load(&set->arena, &set->diags, file, FFM_RULE_MAN_01);
    if (root == NULL) {
        return;
    }
    if (root->kind != MF_MAP) {
        mf_err(set, file, root, FFM_RULE_MAN_01, NULL, "top level is not a mapping");
        return;
    }
    if (mf_map_get(root, "manifest_list", NULL) == NULL &&
        mf_map_get(root, "psa_framework_version", NULL) != NULL) {
        /* The common mistake: one line that says so, not one per partition attribute. */
        mf_err(set, file, root, FFM_RULE_MAN_01, NULL, "this looks like a partition manifest, "
               "-m wants a manifest list (give a partition manifest without -m)");
        return;
    }
    check_list_top(set, file, root);
    const struct mf_node *list = mf_map_get(root, "manifest_list", NULL);
    if (list == NULL) {
        mf_err(set, file, root, FFM_RULE_MAN_01, "manifest_list", "required attribute missing");
        return;
    }
    if (list->kind != MF_SEQ) {
        mf_err(set, file, list, FFM_RULE_MAN_01, "manifest_list", "not a list");
        return;
    }
    for (size_t i = 0; i < list->n; i++) {
        struct item_ctx c = {set, file, mf_printf(&set->arena, "manifest_list[%zu]", i)};
        load_item(&c, list->items[i]);
    }
}
