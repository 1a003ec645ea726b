/*
 * mf_yaml.c - turn a YAML or JSON file into a tree of positioned nodes with libyaml's event
 * API. Hostile input is refused in bounded memory: file size, nesting depth, node count, map
 * size and alias-expanded size are all capped; aliases share their anchor's node instead of
 * copying it. Duplicate mapping keys are errors (§7).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "manifest/mf_internal.h"
#include "yaml_pos.h"

struct anchor {
    const char *name;
    struct mf_node *node;
    struct anchor *next;
};

struct frame {
    struct mf_node *node;
    const char *anchor; /* registered when the collection ends, so it cannot contain itself */
};

struct builder {
    struct mf_arena *arena;
    struct mf_diags *d;
    const char *file;
    const unsigned char *text; /* the whole input: positions are kept inside it */
    size_t len;
    enum ffm_rule rule;
    struct frame stack[MF_MAX_DEPTH + 1];
    unsigned depth;
    unsigned nodes;
    struct anchor *anchors;
    struct mf_node *root;
    bool failed;
};

/* The 1-based position of a mark, kept inside the text (yaml_pos.h). */
static void position(const struct builder *b, const yaml_mark_t *mark, unsigned *line,
                     unsigned *col)
{
    size_t l = mark->line, c = mark->column;
    ffm_yaml_pos_clamp(b->text, b->len, &l, &c);
    *line = (unsigned)l + 1;
    *col = (unsigned)c + 1;
}

static void fail(struct builder *b, const yaml_mark_t *mark, const char *path, const char *msg)
{
    unsigned line, col;
    position(b, mark, &line, &col);
    mf_diag(b->d, FFM_DIAG_ERROR, b->file, line, col,
            b->rule, path, "%s", msg);
    b->failed = true;
}

/* The attribute path of the node being added under the innermost open collection. */
static const char *child_path(struct builder *b)
{
    char buf[512];
    size_t used = 0;
    buf[0] = '\0';
    for (unsigned i = 0; i < b->depth && used < sizeof buf; i++) {
        const struct mf_node *parent = b->stack[i].node;
        /* The child of stack[i] is stack[i+1], or the new node when i is the top. */
        size_t idx = parent->n; /* the child is appended at items[n] (or n-1 if it is open) */
        if (i + 1 < b->depth) {
            idx = parent->n - 1;
        }
        int w;
        if (parent->kind == MF_SEQ) {
            w = snprintf(buf + used, sizeof buf - used, "[%zu]", idx);
        } else if (idx % 2 == 1 && parent->items[idx - 1]->kind == MF_SCALAR) {
            w = snprintf(buf + used, sizeof buf - used, "%s%s", used ? "." : "",
                         parent->items[idx - 1]->text);
        } else {
            w = 0; /* a key: its path is its parent's */
        }
        used += w > 0 ? (size_t)w : 0;
    }
    return mf_strdup(b->arena, buf);
}

static void node_append(struct builder *b, struct mf_node *parent, struct mf_node *child)
{
    if (parent->n == parent->cap) {
        size_t cap = parent->cap ? parent->cap * 2 : 8;
        struct mf_node **items = mf_alloc(b->arena, cap * sizeof *items);
        if (parent->n > 0) {
            memcpy(items, parent->items, parent->n * sizeof *items);
        }
        parent->items = items;
        parent->cap = cap;
    }
    parent->items[parent->n++] = child;
}

/* A new key of a mapping: must be a scalar and not repeat an earlier key. */
static void check_key(struct builder *b, const struct mf_node *map, const struct mf_node *key,
                      const yaml_mark_t *mark)
{
    if (key->kind != MF_SCALAR) {
        fail(b, mark, child_path(b), "mapping key is not a scalar");
        return;
    }
    if (map->n / 2 >= MF_MAX_MAP_ENTRIES) {
        fail(b, mark, child_path(b), "mapping has too many entries (limit 1024)");
        return;
    }
    for (size_t i = 0; i < map->n; i += 2) {
        if (strcmp(map->items[i]->text, key->text) == 0) {
            char msg[600];
            snprintf(msg, sizeof msg, "duplicate key \"%.500s\" (first at line %u, column %u)",
                     key->text, map->items[i]->line, map->items[i]->col);
            fail(b, mark, child_path(b), msg);
            return;
        }
    }
}

/* Attach a finished or just-opened node to the innermost open collection, or make it root. */
static void attach(struct builder *b, struct mf_node *node, const yaml_mark_t *mark)
{
    if (b->depth == 0) {
        b->root = node;
        return;
    }
    struct mf_node *parent = b->stack[b->depth - 1].node;
    if (parent->kind == MF_MAP && parent->n % 2 == 0) {
        check_key(b, parent, node, mark);
    }
    node_append(b, parent, node);
}

static struct mf_node *new_node(struct builder *b, enum mf_kind kind, const yaml_mark_t *mark)
{
    if (++b->nodes > MF_MAX_NODES) {
        fail(b, mark, NULL, "document has too many nodes (limit 20000)");
        return NULL;
    }
    struct mf_node *n = mf_alloc(b->arena, sizeof *n);
    n->kind = kind;
    position(b, mark, &n->line, &n->col);
    n->weight = 1;
    return n;
}

static void register_anchor(struct builder *b, const char *name, struct mf_node *node)
{
    if (name == NULL) {
        return;
    }
    struct anchor *a = mf_alloc(b->arena, sizeof *a);
    a->name = name;
    a->node = node;
    a->next = b->anchors; /* a redefinition shadows the earlier anchor, as YAML says */
    b->anchors = a;
}

static const char *dup_anchor(struct builder *b, const yaml_char_t *anchor)
{
    return anchor != NULL ? mf_strdup(b->arena, (const char *)anchor) : NULL;
}

static void on_scalar(struct builder *b, const yaml_event_t *ev)
{
    struct mf_node *n = new_node(b, MF_SCALAR, &ev->start_mark);
    if (n == NULL) {
        return;
    }
    n->text = mf_strndup(b->arena, (const char *)ev->data.scalar.value, ev->data.scalar.length);
    n->len = ev->data.scalar.length;
    n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && ev->data.scalar.tag == NULL;
    if (strlen(n->text) != n->len) {
        fail(b, &ev->start_mark, child_path(b), "scalar contains a NUL character");
        return;
    }
    attach(b, n, &ev->start_mark);
    register_anchor(b, dup_anchor(b, ev->data.scalar.anchor), n);
}

static void on_start(struct builder *b, const yaml_event_t *ev, enum mf_kind kind,
                     const yaml_char_t *anchor)
{
    if (b->depth >= MF_MAX_DEPTH) {
        fail(b, &ev->start_mark, child_path(b), "nesting deeper than 64 levels");
        return;
    }
    struct mf_node *n = new_node(b, kind, &ev->start_mark);
    if (n == NULL) {
        return;
    }
    attach(b, n, &ev->start_mark);
    b->stack[b->depth].node = n;
    b->stack[b->depth].anchor = dup_anchor(b, anchor);
    b->depth++;
}

static void on_end(struct builder *b, const yaml_event_t *ev)
{
    struct frame *f = &b->stack[--b->depth];
    uint64_t weight = 1;
    for (size_t i = 0; i < f->node->n; i++) {
        weight += f->node->items[i]->weight;
        if (weight > MF_MAX_EXPANDED) {
            break;
        }
    }
    f->node->weight = weight;
    if (weight > MF_MAX_EXPANDED) {
        fail(b, &ev->start_mark, NULL,
             "aliases expand to more than 20000 nodes (alias bomb refused)");
        return;
    }
    register_anchor(b, f->anchor, f->node);
}

static void on_alias(struct builder *b, const yaml_event_t *ev)
{
    const char *name = (const char *)ev->data.alias.anchor;
    for (struct anchor *a = b->anchors; a != NULL; a = a->next) {
        if (strcmp(a->name, name) == 0) {
            attach(b, a->node, &ev->start_mark);
            return;
        }
    }
    char msg[300];
    snprintf(msg, sizeof msg, "alias *%.200s names no complete anchor", name);
    fail(b, &ev->start_mark, child_path(b), msg);
}

/* Feed one event to the builder; false when parsing must stop. */
static bool on_event(struct builder *b, const yaml_event_t *ev, unsigned *documents)
{
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (++*documents > 1) {
            fail(b, &ev->start_mark, NULL, "more than one YAML document");
        }
        break;
    case YAML_SCALAR_EVENT:
        on_scalar(b, ev);
        break;
    case YAML_SEQUENCE_START_EVENT:
        on_start(b, ev, MF_SEQ, ev->data.sequence_start.anchor);
        break;
    case YAML_MAPPING_START_EVENT:
        on_start(b, ev, MF_MAP, ev->data.mapping_start.anchor);
        break;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        on_end(b, ev);
        break;
    case YAML_ALIAS_EVENT:
        on_alias(b, ev);
        break;
    default:
        break;
    }
    return !b->failed && ev->type != YAML_STREAM_END_EVENT;
}

static void syntax_error(struct builder *b, const yaml_parser_t *p)
{
    char msg[400];
    if (p->context != NULL) {
        snprintf(msg, sizeof msg, "YAML syntax error: %s %s", p->problem ? p->problem : "",
                 p->context);
    } else {
        snprintf(msg, sizeof msg, "YAML syntax error: %s", p->problem ? p->problem : "");
    }
    fail(b, &p->problem_mark, NULL, msg);
}

static void parse_events(struct builder *b, const unsigned char *buf, size_t len)
{
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        fputs("ffm-manifest: out of memory\n", stderr);
        abort();
    }
    yaml_parser_set_input_string(&parser, buf, len);
    unsigned documents = 0;
    bool more = true;
    while (more) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            syntax_error(b, &parser);
            break;
        }
        more = on_event(b, &ev, &documents);
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
}

/* Read a whole file (at most MF_MAX_FILE_BYTES) into the arena. */
static unsigned char *read_file(struct builder *b, size_t *len)
{
    FILE *f = fopen(b->file, "rb");
    if (f == NULL) {
        b->d->io_failed = true;
        mf_diag(b->d, FFM_DIAG_ERROR, b->file, 0, 0, FFM_RULE_NONE, NULL, "cannot open: %s",
                strerror(errno));
        return NULL;
    }
    /* Size the buffer from the file when it is a regular file; read one byte more than the
     * limit so that an oversized file is detected rather than truncated. */
    struct stat st;
    size_t cap = MF_MAX_FILE_BYTES + 1;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size < cap) {
        cap = (size_t)st.st_size + 1;
    }
    unsigned char *buf = mf_alloc(b->arena, cap);
    size_t n = fread(buf, 1, cap, f);
    bool err = ferror(f) != 0;
    fclose(f);
    if (err) {
        b->d->io_failed = true;
        mf_diag(b->d, FFM_DIAG_ERROR, b->file, 0, 0, FFM_RULE_NONE, NULL, "read error");
        return NULL;
    }
    if (n > MF_MAX_FILE_BYTES) {
        mf_diag(b->d, FFM_DIAG_ERROR, b->file, 0, 0, b->rule, NULL,
                "file larger than %u bytes", MF_MAX_FILE_BYTES);
        return NULL;
    }
    *len = n;
    return buf;
}

struct mf_node *mf_yaml_load(struct mf_arena *arena, struct mf_diags *d, const char *file,
                             enum ffm_rule rule)
{
    struct builder *b = calloc(1, sizeof *b);
    if (b == NULL) {
        fputs("ffm-manifest: out of memory\n", stderr);
        abort();
    }
    b->arena = arena;
    b->d = d;
    b->file = file;
    b->rule = rule;
    size_t len = 0;
    const unsigned char *buf = read_file(b, &len);
    struct mf_node *root = NULL;
    if (buf != NULL) {
        b->text = buf;
        b->len = len;
        parse_events(b, buf, len);
        if (!b->failed && b->root == NULL) {
            mf_diag(d, FFM_DIAG_ERROR, file, 1, 1, rule, NULL, "empty document");
        } else if (!b->failed) {
            root = b->root;
        }
    }
    free(b);
    return root;
}

const struct mf_node *mf_map_get(const struct mf_node *map, const char *key,
                                 const struct mf_node **key_node)
{
    if (map == NULL || map->kind != MF_MAP) {
        return NULL;
    }
    for (size_t i = 0; i + 1 < map->n; i += 2) {
        if (strcmp(map->items[i]->text, key) == 0) {
            if (key_node != NULL) {
                *key_node = map->items[i];
            }
            return map->items[i + 1];
        }
    }
    return NULL;
}
