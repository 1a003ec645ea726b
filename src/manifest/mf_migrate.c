/*
 * mf_migrate.c - the text edits behind `ffm-manifest --migrate-stateless` (migrate.h): read the
 * manifest's libyaml events once to learn where the keys of the top level, the services and
 * the IRQs sit, then replace or insert only the few spans that change. Everything else,
 * comments included, is copied byte for byte.
 */
#include "manifest/migrate.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define MAX_IRQS 64u
#define NAME_MAX_LEN 128u
#define MAX_EDITS (8u * (FFM_MIGRATE_MAX_SERVICES + MAX_IRQS) + 8u)
#define MAX_DEPTH 64u

/* Where a scalar sits in the text: [start, end), its column, how it is quoted. */
struct span {
    bool present;
    bool scalar;
    size_t start, end;
    size_t line, col;
    bool quoted;
    char text[NAME_MAX_LEN];
};

/* A mapping: flow or block, the column of its keys, whether its keys are quoted (JSON). */
struct map_shape {
    bool flow;
    size_t key_col;
    bool key_quoted;
    struct span first_value; /* insertions go after the first pair */
};

struct svc_doc {
    struct map_shape shape;
    struct span name, cb, sl;
};

struct irq_doc {
    struct map_shape shape;
    struct span signal_key, signal, name, handling;
};

struct doc {
    struct map_shape root;
    struct span version, model;
    struct svc_doc svc[FFM_MIGRATE_MAX_SERVICES];
    size_t n_svc;
    struct irq_doc irq[MAX_IRQS];
    size_t n_irq;
};

struct edit {
    size_t at, del;
    char text[160];
};

struct walker {
    yaml_parser_t parser;
    yaml_event_t ev;
    bool have_ev;
    const char *text;
    size_t len;
    char *err;
    bool failed;
    struct edit edits[MAX_EDITS];
    size_t n_edits;
    size_t at_char, at_byte; /* the last position converted (marks come in text order) */
    const char *eol;         /* the file's line ending: new lines use it too */
};

/* ------------------------------------------------------------------ errors and events */

static void failf(struct walker *w, size_t line, size_t col, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void failf(struct walker *w, size_t line, size_t col, const char *fmt, ...)
{
    va_list ap;
    int n = 0;

    if (w->failed) {
        return;
    }
    w->failed = true;
    if (line > 0) {
        n = snprintf(w->err, FFM_MIGRATE_ERR_MAX, "%zu:%zu: ", line, col);
    }
    va_start(ap, fmt);
    vsnprintf(w->err + n, FFM_MIGRATE_ERR_MAX - (size_t)n, fmt, ap);
    va_end(ap);
}

/* The next event (the previous one is released). false at a YAML error. */
static bool next(struct walker *w)
{
    if (w->have_ev) {
        yaml_event_delete(&w->ev);
        w->have_ev = false;
    }
    if (w->failed) {
        return false;
    }
    if (!yaml_parser_parse(&w->parser, &w->ev)) {
        failf(w, w->parser.problem_mark.line + 1, w->parser.problem_mark.column + 1,
              "YAML error: %s", w->parser.problem != NULL ? w->parser.problem : "unreadable");
        return false;
    }
    w->have_ev = true;
    return true;
}

/* libyaml's mark index counts characters, not bytes: the byte offset of character `index`,
 * walking the UTF-8 text on from the last position converted. */
static size_t byte_offset(struct walker *w, size_t index)
{
    if (index < w->at_char) {
        w->at_char = 0;
        w->at_byte = 0;
    }
    while (w->at_char < index && w->at_byte < w->len) {
        w->at_byte++;
        while (w->at_byte < w->len && ((unsigned char)w->text[w->at_byte] & 0xC0) == 0x80) {
            w->at_byte++; /* continuation bytes belong to the same character */
        }
        w->at_char++;
    }
    return w->at_byte;
}

static struct span span_of(struct walker *w)
{
    const yaml_event_t *ev = &w->ev;
    struct span s = { .present = true, .line = ev->start_mark.line + 1,
                      .col = ev->start_mark.column + 1 };
    s.start = byte_offset(w, ev->start_mark.index);
    s.end = byte_offset(w, ev->end_mark.index);
    if (ev->type == YAML_SCALAR_EVENT) {
        s.scalar = true;
        s.quoted = ev->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
                   ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
        snprintf(s.text, sizeof s.text, "%.*s", (int)ev->data.scalar.length,
                 (const char *)ev->data.scalar.value);
    }
    return s;
}

/* Skip the node whose first event is the current one. */
static bool skip_node(struct walker *w)
{
    unsigned depth = 0;
    do {
        switch (w->ev.type) {
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            if (++depth > MAX_DEPTH) {
                failf(w, w->ev.start_mark.line + 1, w->ev.start_mark.column + 1,
                      "nesting deeper than %u", MAX_DEPTH);
                return false;
            }
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            depth--;
            break;
        default:
            break;
        }
        if (depth == 0) {
            return true;
        }
    } while (next(w));
    return false;
}

/* ------------------------------------------------------------------ the walk */

typedef bool (*pair_fn)(struct walker *w, void *obj, const char *key, const struct span *k);

/* Walk a mapping (current event: its start): for each key, fn sees it with the value as the
 * current event and must consume the value. */
static bool walk_map(struct walker *w, struct map_shape *shape, void *obj, pair_fn fn)
{
    if (w->ev.type != YAML_MAPPING_START_EVENT) {
        failf(w, w->ev.start_mark.line + 1, w->ev.start_mark.column + 1, "not a mapping");
        return false;
    }
    shape->flow = w->ev.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
    bool first = true;
    while (next(w) && w->ev.type != YAML_MAPPING_END_EVENT) {
        if (w->ev.type != YAML_SCALAR_EVENT) {
            failf(w, w->ev.start_mark.line + 1, w->ev.start_mark.column + 1,
                  "a mapping key that is not a scalar");
            return false;
        }
        struct span k = span_of(w);
        if (first) {
            shape->key_col = k.col - 1;
            shape->key_quoted = k.quoted;
        }
        if (!next(w)) {
            return false;
        }
        if (first) {
            shape->first_value = span_of(w);
            first = false;
        }
        if (!fn(w, obj, k.text, &k)) {
            return false;
        }
    }
    return !w->failed;
}

/* Keep a scalar value, else skip whatever it is. */
static bool keep_scalar(struct walker *w, struct span *out)
{
    if (w->ev.type == YAML_SCALAR_EVENT) {
        *out = span_of(w);
        return true;
    }
    return skip_node(w);
}

static bool service_pair(struct walker *w, void *obj, const char *key, const struct span *k)
{
    struct svc_doc *s = obj;
    (void)k;
    if (strcmp(key, "name") == 0) {
        return keep_scalar(w, &s->name);
    }
    if (strcmp(key, "connection_based") == 0) {
        return keep_scalar(w, &s->cb);
    }
    if (strcmp(key, "stateless_handle") == 0) {
        return keep_scalar(w, &s->sl);
    }
    return skip_node(w);
}

static bool irq_pair(struct walker *w, void *obj, const char *key, const struct span *k)
{
    struct irq_doc *q = obj;
    if (strcmp(key, "signal") == 0) {
        q->signal_key = *k;
        return keep_scalar(w, &q->signal);
    }
    if (strcmp(key, "name") == 0) {
        return keep_scalar(w, &q->name);
    }
    if (strcmp(key, "handling") == 0) {
        return keep_scalar(w, &q->handling);
    }
    return skip_node(w);
}

/* A sequence of mappings (services, irqs): one element of `items` per mapping. */
static bool walk_list(struct walker *w, void *items, size_t item_size, size_t *n, size_t max,
                      size_t shape_offset, pair_fn fn)
{
    if (w->ev.type != YAML_SEQUENCE_START_EVENT) {
        return skip_node(w); /* the manifest validator reports it; nothing to edit here */
    }
    while (next(w) && w->ev.type != YAML_SEQUENCE_END_EVENT) {
        if (*n == max) {
            failf(w, w->ev.start_mark.line + 1, w->ev.start_mark.column + 1,
                  "more than %zu entries", max);
            return false;
        }
        char *item = (char *)items + *n * item_size;
        if (!walk_map(w, (struct map_shape *)(item + shape_offset), item, fn)) {
            return false;
        }
        (*n)++;
    }
    return !w->failed;
}

static bool root_pair(struct walker *w, void *obj, const char *key, const struct span *k)
{
    struct doc *d = obj;
    (void)k;
    if (strcmp(key, "psa_framework_version") == 0) {
        return keep_scalar(w, &d->version);
    }
    if (strcmp(key, "model") == 0) {
        return keep_scalar(w, &d->model);
    }
    if (strcmp(key, "services") == 0) {
        return walk_list(w, d->svc, sizeof d->svc[0], &d->n_svc, FFM_MIGRATE_MAX_SERVICES,
                         offsetof(struct svc_doc, shape), service_pair);
    }
    if (strcmp(key, "irqs") == 0) {
        return walk_list(w, d->irq, sizeof d->irq[0], &d->n_irq, MAX_IRQS,
                         offsetof(struct irq_doc, shape), irq_pair);
    }
    return skip_node(w);
}

static bool read_doc(struct walker *w, struct doc *d)
{
    if (!next(w) || w->ev.type != YAML_STREAM_START_EVENT || !next(w) ||
        w->ev.type != YAML_DOCUMENT_START_EVENT || !next(w)) {
        if (!w->failed) {
            failf(w, 0, 0, "empty manifest");
        }
        return false;
    }
    return walk_map(w, &d->root, d, root_pair);
}

/* ------------------------------------------------------------------ edits */

static void add_edit(struct walker *w, size_t at, size_t del, const char *text)
{
    if (w->n_edits == MAX_EDITS) {
        failf(w, 0, 0, "too many edits");
        return;
    }
    struct edit *e = &w->edits[w->n_edits++];
    e->at = at;
    e->del = del;
    snprintf(e->text, sizeof e->text, "%s", text);
}

static void replace(struct walker *w, const struct span *s, const char *text)
{
    add_edit(w, s->start, s->end - s->start, text);
}

/* Add `key: value` to a mapping, after its first pair: a new line at the keys' column in a
 * block mapping, `,\n  "key": value` in a flow one (quoted keys if its keys are quoted).
 * `json_value` is the value as a JSON manifest writes it. */
static void insert_pair(struct walker *w, const struct map_shape *m, const char *key,
                        const char *value, const char *json_value)
{
    char line[160];
    size_t pos = m->first_value.end;
    if (!m->first_value.scalar) { /* after a nested collection there is no safe line */
        failf(w, m->first_value.line, m->first_value.col,
              "cannot add %s here: the mapping's first value is not a scalar; add it by hand",
              key);
        return;
    }
    if (m->flow) {
        snprintf(line, sizeof line, ",%s%*s%s%s%s: %s", w->eol, (int)m->key_col, "",
                 m->key_quoted ? "\"" : "", key, m->key_quoted ? "\"" : "",
                 m->key_quoted ? json_value : value);
        add_edit(w, pos, 0, line);
        return;
    }
    while (pos < w->len && w->text[pos] != '\n') {
        pos++; /* after the rest of the line (a comment stays where it is) */
    }
    if (pos == w->len) {
        snprintf(line, sizeof line, "%s%*s%s: %s", w->eol, (int)m->key_col, "", key, value);
    } else {
        pos++;
        snprintf(line, sizeof line, "%*s%s: %s%s", (int)m->key_col, "", key, value, w->eol);
    }
    add_edit(w, pos, 0, line);
}

static struct svc_doc *find_service(struct doc *d, const char *name)
{
    for (size_t i = 0; i < d->n_svc; i++) {
        if (d->svc[i].name.present && strcmp(d->svc[i].name.text, name) == 0) {
            return &d->svc[i];
        }
    }
    return NULL;
}

static bool requested(const char *const *services, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(services[i], name) == 0) {
            return true;
        }
    }
    return false;
}

static void make_stateless(struct walker *w, struct svc_doc *s)
{
    if (s->cb.present) {
        replace(w, &s->cb, "false");
    } else {
        insert_pair(w, &s->shape, "connection_based", "false", "false");
    }
    if (!s->sl.present) {
        insert_pair(w, &s->shape, "stateless_handle", "auto", "\"auto\"");
    }
}

/* FF-M 1.0 IRQ: `signal: X_SIGNAL` becomes `name: X` and `handling: SLIH` (1.0 IRQs are SLIH),
 * so the generated macro stays X_SIGNAL. */
static void upgrade_irq(struct walker *w, struct irq_doc *q)
{
    static const char suffix[] = "_SIGNAL";
    size_t n = strlen(q->signal.text), sl = sizeof(suffix) - 1;
    char value[NAME_MAX_LEN + 2];

    if (!q->signal_key.present) {
        return; /* already in the 1.1 form */
    }
    if (n <= sl || strcmp(q->signal.text + n - sl, suffix) != 0) {
        failf(w, q->signal.line, q->signal.col,
              "IRQ signal %s does not end in _SIGNAL: under FF-M 1.1 its macro is "
              "<name>_SIGNAL, so it cannot keep its name; upgrade this IRQ by hand",
              q->signal.text);
        return;
    }
    replace(w, &q->signal_key, q->shape.key_quoted ? "\"name\"" : "name");
    snprintf(value, sizeof value, q->signal.quoted ? "\"%.*s\"" : "%.*s", (int)(n - sl),
             q->signal.text);
    replace(w, &q->signal, value);
    if (!q->handling.present) {
        insert_pair(w, &q->shape, "handling", "SLIH", "\"SLIH\"");
    }
}

/* FF-M 1.0 -> 1.1 for the rest of the manifest (migrate.h). */
static void upgrade(struct walker *w, struct doc *d, const char *const *services, size_t n)
{
    replace(w, &d->version, "1.1");
    if (!d->model.present) {
        struct map_shape after_version = d->root;
        after_version.first_value = d->version;
        insert_pair(w, &after_version, "model", "IPC", "\"IPC\"");
    }
    for (size_t i = 0; i < d->n_svc; i++) {
        struct svc_doc *s = &d->svc[i];
        if (!s->cb.present && !requested(services, n, s->name.text)) {
            insert_pair(w, &s->shape, "connection_based", "true", "true");
        }
    }
    for (size_t i = 0; i < d->n_irq; i++) {
        upgrade_irq(w, &d->irq[i]);
    }
}

static int by_position(const void *a, const void *b)
{
    const struct edit *x = a, *y = b;
    if (x->at != y->at) {
        return x->at < y->at ? -1 : 1;
    }
    return 0;
}

/* The text with every edit applied (edits at one position keep their order). */
static char *apply_edits(struct walker *w, size_t *len_out)
{
    size_t extra = 0;
    for (size_t i = 0; i < w->n_edits; i++) {
        extra += strlen(w->edits[i].text);
    }
    /* a stable sort: insertion sort on the (few) edits */
    for (size_t i = 1; i < w->n_edits; i++) {
        struct edit e = w->edits[i];
        size_t j = i;
        while (j > 0 && by_position(&w->edits[j - 1], &e) > 0) {
            w->edits[j] = w->edits[j - 1];
            j--;
        }
        w->edits[j] = e;
    }
    char *out = malloc(w->len + extra + 1);
    if (out == NULL) {
        return NULL;
    }
    size_t from = 0, len = 0;
    for (size_t i = 0; i < w->n_edits; i++) {
        const struct edit *e = &w->edits[i];
        memcpy(out + len, w->text + from, e->at - from);
        len += e->at - from;
        memcpy(out + len, e->text, strlen(e->text));
        len += strlen(e->text);
        from = e->at + e->del;
    }
    memcpy(out + len, w->text + from, w->len - from);
    len += w->len - from;
    out[len] = '\0';
    *len_out = len;
    return out;
}

/* ------------------------------------------------------------------ entry */

static void plan(struct walker *w, struct doc *d, const char *const *services, size_t n,
                 struct ffm_migrate_result *out)
{
    if (!d->version.present) {
        failf(w, 0, 0, "no psa_framework_version: not a partition manifest");
        return;
    }
    bool v10 = strcmp(d->version.text, "1.0") == 0;
    for (size_t i = 0; i < n && !w->failed; i++) {
        struct svc_doc *s = find_service(d, services[i]);
        if (s == NULL) {
            failf(w, 0, 0, "the manifest declares no service %s", services[i]);
            return;
        }
        bool stateless = !v10 && s->cb.present && strcmp(s->cb.text, "false") == 0;
        out->outcome[i] = stateless ? FFM_MIGRATE_ALREADY : FFM_MIGRATE_MOVED;
        if (!stateless) {
            make_stateless(w, s);
        }
    }
    if (v10 && !w->failed) {
        upgrade(w, d, services, n);
        out->upgraded = true;
    }
}

int ffm_migrate_text(const char *text, size_t len, const char *const *services, size_t n,
                     struct ffm_migrate_result *out)
{
    memset(out, 0, sizeof(*out));
    if (n > FFM_MIGRATE_MAX_SERVICES) {
        snprintf(out->err, sizeof out->err, "more than %u services",
                 FFM_MIGRATE_MAX_SERVICES);
        return -1;
    }
    struct walker *w = calloc(1, sizeof(*w));
    struct doc *d = calloc(1, sizeof(*d));
    int rc = -1;
    if (w == NULL || d == NULL || !yaml_parser_initialize(&w->parser)) {
        snprintf(out->err, sizeof out->err, "out of memory");
        free(w);
        free(d);
        return -1;
    }
    w->text = text;
    w->len = len;
    const char *nl = memchr(text, '\n', len);
    w->eol = nl != NULL && nl > text && nl[-1] == '\r' ? "\r\n" : "\n";
    w->err = out->err;
    yaml_parser_set_input_string(&w->parser, (const unsigned char *)text, len);
    if (read_doc(w, d)) {
        plan(w, d, services, n, out);
    }
    if (!w->failed) {
        out->text = apply_edits(w, &out->len);
        if (out->text == NULL) {
            snprintf(out->err, sizeof out->err, "out of memory");
        } else {
            rc = 0;
        }
    }
    if (w->have_ev) {
        yaml_event_delete(&w->ev);
    }
    yaml_parser_delete(&w->parser);
    free(w);
    free(d);
    return rc;
}
