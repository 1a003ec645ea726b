/*
 * mf_yaml.c - turn a YAML or JSON file into a tree of positioned nodes with libyaml's event
 * API. Hostile input is refused in bounded memory: file size, nesting depth, node count, map
 * size and alias-expanded size are all capped (ffm_limits.h); aliases share their anchor's node
 * instead of copying it. Duplicate mapping keys are errors (§7), found through a hash table
 * per open mapping, in time linear in the keys.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
    /* A mapping's keys, hashed: open addressing, each slot 1 + the key's index in items[]
     * (0: empty), at most half full. Keeps the duplicate-key check linear in the keys. */
    uint32_t *keys;
    size_t keys_cap;
};

struct builder {
    struct mf_arena *arena;
    struct mf_diags *d;
    const char *file;
    const unsigned char *text; /* the whole input: positions are kept inside it */
    size_t len;
    struct ffm_yaml_text_end end; /* of text, for position() */
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
    ffm_yaml_pos_clamp_end(&b->end, &l, &c);
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

/* The slot of `text` in the frame's key table: the key's own slot, or the empty one where it
 * would go. */
static size_t key_slot(const struct frame *f, const char *text)
{
    size_t mask = f->keys_cap - 1;
    size_t i = mf_hash(text) & mask;
    while (f->keys[i] != 0 && strcmp(f->node->items[f->keys[i] - 1]->text, text) != 0) {
        i = (i + 1) & mask;
    }
    return i;
}

/* Make room for one more key: double the table and re-insert the keys (each once per
 * doubling, so linear overall). */
static void keys_reserve(struct builder *b, struct frame *f)
{
    size_t n_keys = (f->node->n + 1) / 2;
    if ((n_keys + 1) * 2 <= f->keys_cap) {
        return;
    }
    f->keys_cap = f->keys_cap != 0 ? f->keys_cap * 2 : 16;
    f->keys = mf_alloc(b->arena, f->keys_cap * sizeof *f->keys);
    for (size_t i = 0; i < f->node->n; i += 2) {
        f->keys[key_slot(f, f->node->items[i]->text)] = (uint32_t)(i + 1);
    }
}

/* A new key of a mapping: must be a scalar and not repeat an earlier key. */
static void check_key(struct builder *b, struct frame *f, const struct mf_node *key,
                      const yaml_mark_t *mark)
{
    const struct mf_node *map = f->node;
    if (key->kind != MF_SCALAR) {
        fail(b, mark, child_path(b), "mapping key is not a scalar");
        return;
    }
    if (map->n / 2 >= MF_MAX_MAP_ENTRIES) {
        char msg[80];
        snprintf(msg, sizeof msg, "mapping has too many entries (limit %u)", MF_MAX_MAP_ENTRIES);
        fail(b, mark, child_path(b), msg);
        return;
    }
    keys_reserve(b, f);
    size_t slot = key_slot(f, key->text);
    if (f->keys[slot] != 0) {
        const struct mf_node *first = map->items[f->keys[slot] - 1];
        char msg[600];
        snprintf(msg, sizeof msg, "duplicate key \"%.500s\" (first at line %u, column %u)",
                 key->text, first->line, first->col);
        fail(b, mark, child_path(b), msg);
        return;
    }
    f->keys[slot] = (uint32_t)(map->n + 1); /* attach() appends the key at items[n] */
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
        check_key(b, &b->stack[b->depth - 1], node, mark);
    }
    node_append(b, parent, node);
}

static struct mf_node *new_node(struct builder *b, enum mf_kind kind, const yaml_mark_t *mark)
{
    if (++b->nodes > MF_MAX_NODES) {
        char msg[80];
        snprintf(msg, sizeof msg, "document has too many nodes (limit %u)", MF_MAX_NODES);
        fail(b, mark, NULL, msg);
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
        char msg[80];
        snprintf(msg, sizeof msg, "nesting deeper than %u levels", MF_MAX_DEPTH);
        fail(b, &ev->start_mark, child_path(b), msg);
        return;
    }
    struct mf_node *n = new_node(b, kind, &ev->start_mark);
    if (n == NULL) {
        return;
    }
    attach(b, n, &ev->start_mark);
    b->stack[b->depth] = (struct frame){.node = n, .anchor = dup_anchor(b, anchor)};
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
        char msg[80];
        snprintf(msg, sizeof msg, "aliases expand to more than %u nodes (alias bomb refused)",
                 MF_MAX_EXPANDED);
        fail(b, &ev->start_mark, NULL, msg);
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

struct mf_node *mf_yaml_parse(struct mf_arena *arena, struct mf_diags *d, const char *file,
                              const unsigned char *buf, size_t len, enum ffm_rule rule)
{
    if (len > MF_MAX_FILE_BYTES) {
        mf_diag(d, FFM_DIAG_ERROR, file, 0, 0, rule, NULL, "file larger than %u bytes",
                MF_MAX_FILE_BYTES);
        return NULL;
    }
    struct builder *b = calloc(1, sizeof *b);
    if (b == NULL) {
        fputs("ffm-manifest: out of memory\n", stderr);
        abort();
    }
    b->arena = arena;
    b->d = d;
    b->file = file;
    b->rule = rule;
    struct mf_node *root = NULL;
    b->text = buf;
    b->len = len;
    b->end = ffm_yaml_text_end(buf, len);
    parse_events(b, buf, len);
    if (!b->failed && b->root == NULL) {
        mf_diag(d, FFM_DIAG_ERROR, file, 1, 1, rule, NULL, "empty document");
    } else if (!b->failed) {
        root = b->root;
    }
    free(b);
    return root;
}

struct mf_node *mf_yaml_load(struct mf_arena *arena, struct mf_diags *d, const char *file,
                             enum ffm_rule rule)
{
    size_t len = 0;
    const unsigned char *buf = mf_read_input(arena, d, file, rule, &len);
    return buf != NULL ? mf_yaml_parse(arena, d, file, buf, len, rule) : NULL;
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
