/*
 * mf_config.c - the config headers given with -c, read for the values of `conditional`
 * (MAN-04). A small C preprocessor front end: it understands exactly the subset documented in
 * docs/manifest.md ("Config headers") the way cpp does, and refuses everything else with
 * FILE:LINE:COL, so that a header is never silently misread:
 *   - translation phases 2 and 3: backslash-newline splices lines (anywhere, as in cpp), and
 *     comments (block comments across lines too) become one space; string and character
 *     literals are kept whole, so a comment opener inside one is not a comment;
 *   - directives: #define NAME [VALUE] (object-like), #undef, #ifdef, #ifndef, #if/#elif with
 *     an integer or [!]defined NAME, #else, #endif, #pragma (ignored), the null directive, and
 *     #error (an error); #include, function-like macros, other #if expressions and unknown
 *     directives are errors. Skipped groups are only scanned for their nesting, as cpp does.
 * Other lines (declarations) define nothing and are ignored. The file is read whole, bounded
 * by FFM_LIMIT_INPUT_BYTES, so a line may be of any length.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "manifest/mf_internal.h"

#define MAX_IF_DEPTH 64u

/* One logical line: spliced, comments replaced, with each character's source position. */
struct logical_line {
    char *text;
    unsigned *line, *col;
    size_t len, cap;
};

/* One open #if group. */
struct cond {
    unsigned line, col; /* of its #if, for "unterminated" */
    bool active;        /* this branch is being read */
    bool taken;         /* some branch of the group was taken */
    bool seen_else;
    bool parent_active;
};

struct reader {
    struct mf_arena *arena;
    struct mf_diags *d;
    struct mf_config *cfg;
    const char *file;
    const char *buf;
    size_t len, pos;
    unsigned line, col;
    struct logical_line ll;
    struct cond stack[MAX_IF_DEPTH];
    unsigned depth;
    bool stop; /* an error that makes the rest of the file meaningless */
};

static void config_verror(struct reader *r, unsigned line, unsigned col, const char *fmt,
                          va_list ap)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 4, 0)))
#endif
    ;

static void config_verror(struct reader *r, unsigned line, unsigned col, const char *fmt,
                          va_list ap)
{
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    mf_diag(r->d, FFM_DIAG_ERROR, r->file, line, col, FFM_RULE_MAN_04, NULL, "%s", msg);
}

static void config_error(struct reader *r, unsigned line, unsigned col, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void config_error(struct reader *r, unsigned line, unsigned col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    config_verror(r, line, col, fmt, ap);
    va_end(ap);
}

/* ------------------------------------------------------------------ phases 2 and 3 */

/* Skip backslash-newline pairs at the read position (phase 2). */
static void skip_splices(struct reader *r)
{
    for (;;) {
        size_t p = r->pos;
        if (p < r->len && r->buf[p] == '\\') {
            size_t q = p + 1;
            if (q < r->len && r->buf[q] == '\r') {
                q++;
            }
            if (q < r->len && r->buf[q] == '\n') {
                r->pos = q + 1;
                r->line++;
                r->col = 1;
                continue;
            }
        }
        return;
    }
}

static int peek(struct reader *r)
{
    skip_splices(r);
    return r->pos < r->len ? (unsigned char)r->buf[r->pos] : -1;
}

static int next(struct reader *r)
{
    int c = peek(r);
    if (c < 0) {
        return c;
    }
    r->pos++;
    if (c == '\n') {
        r->line++;
        r->col = 1;
    } else {
        r->col++;
    }
    return c;
}

static void emit(struct reader *r, char c, unsigned line, unsigned col)
{
    struct logical_line *ll = &r->ll;
    if (ll->len + 1 >= ll->cap) {
        size_t cap = ll->cap ? ll->cap * 2 : 256;
        char *text = mf_alloc(r->arena, cap);
        unsigned *lines = mf_alloc(r->arena, cap * sizeof *lines);
        unsigned *cols = mf_alloc(r->arena, cap * sizeof *cols);
        if (ll->len > 0) {
            memcpy(text, ll->text, ll->len);
            memcpy(lines, ll->line, ll->len * sizeof *lines);
            memcpy(cols, ll->col, ll->len * sizeof *cols);
        }
        ll->text = text;
        ll->line = lines;
        ll->col = cols;
        ll->cap = cap;
    }
    ll->text[ll->len] = c;
    ll->line[ll->len] = line;
    ll->col[ll->len] = col;
    ll->len++;
    ll->text[ll->len] = '\0';
}

/* A block comment, its opener consumed; it becomes one space. False if unterminated. */
static bool block_comment(struct reader *r, unsigned line, unsigned col)
{
    for (;;) {
        int c = next(r);
        if (c < 0) {
            config_error(r, line, col, "unterminated comment");
            r->stop = true;
            return false;
        }
        if (c == '*' && peek(r) == '/') {
            next(r);
            emit(r, ' ', line, col);
            return true;
        }
    }
}

/* A string or character literal, its quote consumed and emitted: copied whole. */
static bool literal(struct reader *r, int quote, unsigned line, unsigned col)
{
    for (;;) {
        unsigned l = r->line, k = r->col;
        int c = next(r);
        if (c < 0 || c == '\n') {
            config_error(r, line, col, "missing terminating %c character", quote);
            r->stop = true;
            return false;
        }
        emit(r, (char)c, l, k);
        if (c == '\\' && peek(r) >= 0 && peek(r) != '\n') {
            l = r->line;
            k = r->col;
            emit(r, (char)next(r), l, k);
        } else if (c == quote) {
            return true;
        }
    }
}

/* Read the next logical line into r->ll; false at the end of the file (or after an error that
 * stops reading). */
static bool read_logical_line(struct reader *r)
{
    r->ll.len = 0;
    if (r->ll.text != NULL) {
        r->ll.text[0] = '\0'; /* the cursor reads up to the terminator */
    }
    if (peek(r) < 0 || r->stop) {
        return false;
    }
    for (;;) {
        unsigned line = r->line, col = r->col;
        int c = next(r);
        if (c < 0 || c == '\n') {
            return true;
        }
        if (c == '/' && peek(r) == '*') {
            next(r);
            if (!block_comment(r, line, col)) {
                return false;
            }
        } else if (c == '/' && peek(r) == '/') {
            while (peek(r) >= 0 && peek(r) != '\n') {
                next(r);
            }
            emit(r, ' ', line, col);
        } else if (c == '"' || c == '\'') {
            emit(r, (char)c, line, col);
            if (!literal(r, c, line, col)) {
                return false;
            }
        } else {
            emit(r, c == '\t' || c == '\r' || c == '\f' || c == '\v' ? ' ' : (char)c, line, col);
        }
    }
}

/* ------------------------------------------------------------------ directives */

/* A cursor in the logical line. */
struct cursor {
    struct reader *r;
    size_t i;
};

static void skip_blanks(struct cursor *k)
{
    while (k->r->ll.text[k->i] == ' ') {
        k->i++;
    }
}

static bool at_end(struct cursor *k)
{
    skip_blanks(k);
    return k->i >= k->r->ll.len;
}

/* An error at the cursor's source position (just after the line when at its end). */
static void error_at(struct cursor *k, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void error_at(struct cursor *k, const char *fmt, ...)
{
    const struct logical_line *ll = &k->r->ll;
    size_t i = k->i < ll->len ? k->i : ll->len - 1; /* a directive line is never empty */
    va_list ap;
    va_start(ap, fmt);
    config_verror(k->r, ll->line[i], ll->col[i] + (k->i >= ll->len), fmt, ap);
    va_end(ap);
}

/* An identifier at the cursor (copied into the arena), or NULL. */
static const char *identifier(struct cursor *k)
{
    skip_blanks(k);
    const char *t = k->r->ll.text + k->i;
    size_t n = 0;
    if (!(isalpha((unsigned char)t[0]) || t[0] == '_')) {
        return NULL;
    }
    while (isalnum((unsigned char)t[n]) || t[n] == '_') {
        n++;
    }
    k->i += n;
    return mf_strndup(k->r->arena, t, n);
}

static const char *want_name(struct cursor *k, const char *directive)
{
    const char *name = identifier(k);
    if (name == NULL) {
        error_at(k, "#%s needs a macro name (a C identifier)", directive);
    }
    return name;
}

static bool want_end(struct cursor *k, const char *directive)
{
    if (!at_end(k)) {
        error_at(k, "unexpected text after #%s", directive);
        return false;
    }
    return true;
}

static void config_set(struct mf_arena *arena, struct mf_config *cfg, const char *name,
                       size_t name_len, const char *value);
static size_t config_slot(const struct mf_config *cfg, const char *name);

/* #undef: the name stays in the index with no value, which reads as undefined. */
static void config_remove(struct mf_config *cfg, const char *name)
{
    if (cfg->n_slots > 0 && cfg->slots[config_slot(cfg, name)] != 0) {
        cfg->defs[cfg->slots[config_slot(cfg, name)] - 1].value = NULL;
    }
}

/* The replacement list: blanks around it removed, runs of blanks made one (as cpp compares). */
static const char *define_value(struct cursor *k)
{
    skip_blanks(k);
    const struct logical_line *ll = &k->r->ll;
    char *v = mf_alloc(k->r->arena, ll->len - k->i + 1);
    size_t n = 0;
    for (size_t i = k->i; i < ll->len; i++) {
        if (ll->text[i] != ' ' || (n > 0 && v[n - 1] != ' ')) {
            v[n++] = ll->text[i];
        }
    }
    while (n > 0 && v[n - 1] == ' ') {
        n--;
    }
    v[n] = '\0';
    return v;
}

static void do_define(struct cursor *k)
{
    const char *name = want_name(k, "define");
    if (name == NULL) {
        return;
    }
    if (k->r->ll.text[k->i] == '(') {
        error_at(k, "function-like macro %s is not supported (only #define NAME [VALUE])", name);
        return;
    }
    config_set(k->r->arena, k->r->cfg, name, strlen(name), define_value(k));
}

/* #if/#elif expression: an integer constant, or [!]defined NAME, [!]defined(NAME). */
static bool eval_if(struct cursor *k, const char *directive, bool *value)
{
    skip_blanks(k);
    const char *t = k->r->ll.text + k->i;
    if (isdigit((unsigned char)t[0])) {
        int64_t v;
        size_t n = 0;
        while (isalnum((unsigned char)t[n])) {
            n++;
        }
        const char *digits = mf_strndup(k->r->arena, t, n);
        if (!mf_parse_int(digits, &v)) {
            error_at(k, "#%s: not an integer constant we understand (decimal or 0x hex)",
                     directive);
            return false;
        }
        k->i += n;
        *value = v != 0;
        return want_end(k, directive);
    }
    size_t start = k->i;
    bool negate = t[0] == '!';
    k->i += negate;
    const char *word = identifier(k);
    if (word == NULL || strcmp(word, "defined") != 0) {
        k->i = start;
        error_at(k, "#%s expression not supported (only an integer, defined NAME or "
                    "!defined NAME)", directive);
        return false;
    }
    skip_blanks(k);
    bool paren = k->r->ll.text[k->i] == '(';
    k->i += paren;
    const char *name = want_name(k, directive);
    if (name == NULL) {
        return false;
    }
    skip_blanks(k);
    if (paren && k->r->ll.text[k->i++] != ')') {
        k->i--;
        error_at(k, "#%s: missing ')' after defined(NAME", directive);
        return false;
    }
    *value = (mf_config_lookup(k->r->cfg, name) != NULL) != negate;
    return want_end(k, directive);
}

static bool active(const struct reader *r)
{
    return r->depth == 0 || r->stack[r->depth - 1].active;
}

/* #if, #ifdef, #ifndef: open a group; its condition is read only when the group is live. */
static void open_group(struct cursor *k, const char *directive, unsigned line, unsigned col)
{
    struct reader *r = k->r;
    if (r->depth == MAX_IF_DEPTH) {
        error_at(k, "#%s: conditionals nested too deep", directive);
        r->stop = true;
        return;
    }
    bool live = active(r), ok = true, value = false;
    if (live && strcmp(directive, "if") == 0) {
        ok = eval_if(k, directive, &value);
    } else if (live) {
        const char *name = want_name(k, directive);
        ok = name != NULL && want_end(k, directive);
        value = ok && (mf_config_lookup(r->cfg, name) != NULL) == (directive[2] == 'd');
    }
    /* A live group whose condition could not be read: read none of its branches (the error
     * is reported; guessing either way would be the silent misreading this reader refuses). */
    bool taking = live && ok && value;
    r->stack[r->depth++] = (struct cond){line, col, taking, taking || (live && !ok), false, live};
}

static void else_group(struct cursor *k, const char *directive)
{
    struct reader *r = k->r;
    if (r->depth == 0) {
        error_at(k, "#%s without #if", directive);
        return;
    }
    struct cond *g = &r->stack[r->depth - 1];
    if (g->seen_else) {
        error_at(k, "#%s after #else", directive);
        return;
    }
    bool value = !g->taken;
    if (strcmp(directive, "else") == 0) {
        g->seen_else = true;
        if (!want_end(k, directive)) {
            value = false;
        }
    } else if (g->parent_active && !g->taken && !eval_if(k, directive, &value)) {
        value = false;
        g->taken = true; /* reported: read no later branch either */
    }
    g->active = g->parent_active && !g->taken && value;
    g->taken = g->taken || g->active;
}

static void do_directive(struct cursor *k, unsigned line, unsigned col)
{
    struct reader *r = k->r;
    if (at_end(k)) {
        return; /* the null directive */
    }
    size_t at = k->i;
    const char *name = identifier(k);
    if (name == NULL) {
        error_at(k, "not a preprocessing directive we understand");
        return;
    }
    if (strcmp(name, "if") == 0 || strcmp(name, "ifdef") == 0 || strcmp(name, "ifndef") == 0) {
        open_group(k, name, line, col);
    } else if (strcmp(name, "elif") == 0 || strcmp(name, "else") == 0) {
        else_group(k, name);
    } else if (strcmp(name, "endif") == 0) {
        if (r->depth == 0) {
            error_at(k, "#endif without #if");
        } else if (r->stack[r->depth - 1].parent_active) {
            want_end(k, "endif");
            r->depth--;
        } else {
            r->depth--;
        }
    } else if (!active(r)) {
        return; /* cpp skips every other line of a skipped group */
    } else if (strcmp(name, "define") == 0) {
        do_define(k);
    } else if (strcmp(name, "undef") == 0) {
        const char *macro = want_name(k, "undef");
        if (macro != NULL && want_end(k, "undef")) {
            config_remove(r->cfg, macro);
        }
    } else if (strcmp(name, "pragma") == 0) {
        return; /* #pragma once and the like: no effect on macro values */
    } else if (strcmp(name, "error") == 0) {
        skip_blanks(k);
        error_at(k, "#error %s", r->ll.text + k->i);
    } else if (strcmp(name, "include") == 0) {
        k->i = at;
        error_at(k, "#include is not supported: give each config header with its own -c");
    } else {
        k->i = at;
        error_at(k, "#%s is not supported in a config header", name);
    }
}

static void read_config(struct reader *r)
{
    while (read_logical_line(r)) {
        if (r->ll.len == 0) {
            continue; /* an empty line */
        }
        struct cursor k = {r, 0};
        skip_blanks(&k);
        if (k.i < r->ll.len && r->ll.text[k.i] == '#') {
            unsigned line = r->ll.line[k.i], col = r->ll.col[k.i];
            k.i++;
            do_directive(&k, line, col);
        }
    }
    for (unsigned i = r->depth; i > 0 && !r->stop; i--) {
        config_error(r, r->stack[i - 1].line, r->stack[i - 1].col,
                     "#if without #endif at the end of the file");
    }
}

bool mf_config_read_file(struct mf_arena *arena, struct mf_diags *d, struct mf_config *cfg,
                         const char *path)
{
    size_t len = 0;
    const unsigned char *buf = mf_read_input(arena, d, path, FFM_RULE_MAN_04, &len);
    if (buf == NULL) {
        return false;
    }
    const unsigned char *nul = memchr(buf, '\0', len);
    struct reader r = {.arena = arena, .d = d, .cfg = cfg, .file = path,
                       .buf = (const char *)buf, .len = len, .line = 1, .col = 1};
    if (nul != NULL) {
        /* Find its position for the message. */
        unsigned line = 1, col = 1;
        for (const unsigned char *p = buf; p < nul; p++) {
            line += *p == '\n';
            col = *p == '\n' ? 1 : col + 1;
        }
        config_error(&r, line, col, "NUL byte in a config header");
        return true;
    }
    read_config(&r);
    return true;
}

/* ------------------------------------------------------------------ the table */

/* The slot of `name` in the index: its own, or the empty one where it would go. */
static size_t config_slot(const struct mf_config *cfg, const char *name)
{
    size_t mask = cfg->n_slots - 1;
    size_t i = mf_hash(name) & mask;
    while (cfg->slots[i] != 0 && strcmp(cfg->defs[cfg->slots[i] - 1].name, name) != 0) {
        i = (i + 1) & mask;
    }
    return i;
}

/* Room for one more name: the table and the index grow by doubling (linear overall, so a
 * header of 60,000 defines is read in milliseconds). */
static void config_reserve(struct mf_arena *arena, struct mf_config *cfg)
{
    if (cfg->n == cfg->cap) {
        size_t cap = cfg->cap ? cfg->cap * 2 : 32;
        struct mf_define *defs = mf_alloc(arena, cap * sizeof *defs);
        if (cfg->n > 0) {
            memcpy(defs, cfg->defs, cfg->n * sizeof *defs);
        }
        cfg->defs = defs;
        cfg->cap = cap;
    }
    if ((cfg->n + 1) * 2 > cfg->n_slots) {
        cfg->n_slots = cfg->n_slots ? cfg->n_slots * 2 : 64;
        cfg->slots = mf_alloc(arena, cfg->n_slots * sizeof *cfg->slots);
        for (size_t i = 0; i < cfg->n; i++) {
            cfg->slots[config_slot(cfg, cfg->defs[i].name)] = (uint32_t)(i + 1);
        }
    }
}

static void config_set(struct mf_arena *arena, struct mf_config *cfg, const char *name,
                       size_t name_len, const char *value)
{
    const char *key = mf_strndup(arena, name, name_len);
    config_reserve(arena, cfg);
    size_t slot = config_slot(cfg, key);
    if (cfg->slots[slot] != 0) {
        cfg->defs[cfg->slots[slot] - 1].value = value;
        return;
    }
    cfg->defs[cfg->n] = (struct mf_define){key, value};
    cfg->slots[slot] = (uint32_t)(++cfg->n);
}

void mf_config_define(struct mf_arena *arena, struct mf_config *cfg, const char *def)
{
    const char *eq = strchr(def, '=');
    if (eq == NULL) {
        config_set(arena, cfg, def, strlen(def), "1");
    } else {
        config_set(arena, cfg, def, (size_t)(eq - def), mf_strdup(arena, eq + 1));
    }
}

const char *mf_config_lookup(const struct mf_config *cfg, const char *name)
{
    if (cfg->n_slots == 0) {
        return NULL;
    }
    size_t slot = config_slot(cfg, name);
    return cfg->slots[slot] != 0 ? cfg->defs[cfg->slots[slot] - 1].value : NULL;
}
