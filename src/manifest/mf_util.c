/*
 * mf_util.c - the arena that owns a set's memory, the diagnostics sink (MAN-31, MAN-33),
 * scalar classification (§7 typing rules). The config reader is mf_config.c.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "manifest/mf_internal.h"

struct mf_block {
    struct mf_block *next;
    max_align_t align[]; /* payload */
};

void *mf_alloc(struct mf_arena *arena, size_t size)
{
    struct mf_block *b = calloc(1, sizeof *b + size);
    if (b == NULL) {
        fputs("ffm-manifest: out of memory\n", stderr);
        abort();
    }
    b->next = arena->blocks;
    arena->blocks = b;
    return b->align;
}

char *mf_strndup(struct mf_arena *arena, const char *text, size_t len)
{
    char *s = mf_alloc(arena, len + 1);
    memcpy(s, text, len);
    s[len] = '\0';
    return s;
}

char *mf_strdup(struct mf_arena *arena, const char *text)
{
    return mf_strndup(arena, text, strlen(text));
}

static char *mf_vprintf(struct mf_arena *arena, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int len = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    char *s = mf_alloc(arena, (size_t)(len < 0 ? 0 : len) + 1);
    if (len > 0) {
        vsnprintf(s, (size_t)len + 1, fmt, ap);
    }
    return s;
}

char *mf_printf(struct mf_arena *arena, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = mf_vprintf(arena, fmt, ap);
    va_end(ap);
    return s;
}

void mf_arena_release(struct mf_arena *arena)
{
    struct mf_block *b = arena->blocks;
    while (b != NULL) {
        struct mf_block *next = b->next;
        free(b);
        b = next;
    }
    arena->blocks = NULL;
}

/* ------------------------------------------------------------------ diagnostics */

static void diag_grow(struct mf_diags *d)
{
    size_t cap = d->cap ? d->cap * 2 : 16;
    struct ffm_manifest_diag *items = mf_alloc(d->arena, cap * sizeof *items);
    if (d->n > 0) {
        memcpy(items, d->items, d->n * sizeof *items);
    }
    d->items = items;
    d->cap = cap;
}

/* One diagnostic, one line: keys and values quoted from a file may hold line breaks or other
 * control characters; they are shown as '?'. */
static char *one_line(char *text)
{
    for (char *c = text; *c != '\0'; c++) {
        if ((unsigned char)*c < 0x20u || *c == 0x7f) {
            *c = '?';
        }
    }
    return text;
}

/* ffm-rule: MAN-31, MAN-33 */
void mf_diag(struct mf_diags *d, enum ffm_manifest_severity sev, const char *file,
             unsigned line, unsigned column, enum ffm_rule rule, const char *path,
             const char *fmt, ...)
{
    if (sev == FFM_DIAG_ERROR) {
        if (d->errors >= d->max_errors) {
            d->suppressed++;
            return;
        }
        d->errors++;
    } else {
        if (d->warnings >= d->max_errors) {
            return;
        }
        d->warnings++;
    }
    if (d->n == d->cap) {
        diag_grow(d);
    }
    va_list ap;
    va_start(ap, fmt);
    struct ffm_manifest_diag *x = &d->items[d->n++];
    x->file = file;
    x->line = line;
    x->column = column;
    x->severity = sev;
    x->rule = rule;
    x->path = path != NULL ? one_line(mf_strdup(d->arena, path)) : "";
    x->message = one_line(mf_vprintf(d->arena, fmt, ap));
    va_end(ap);
}

uint32_t mf_hash(const char *text)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++) {
        h = (h ^ *p) * 16777619u;
    }
    return h;
}

/* ------------------------------------------------------------------ scalars */

bool mf_is_bool(const struct mf_node *n, bool *value)
{
    if (n == NULL || n->kind != MF_SCALAR || !n->plain) {
        return false;
    }
    if (strcmp(n->text, "true") == 0 || strcmp(n->text, "false") == 0) {
        *value = n->text[0] == 't';
        return true;
    }
    return false;
}

static bool parse_digits(const char *p, unsigned base, uint64_t *out)
{
    uint64_t v = 0;
    if (*p == '\0') {
        return false;
    }
    for (; *p != '\0'; p++) {
        unsigned digit;
        if (isdigit((unsigned char)*p)) {
            digit = (unsigned)(*p - '0');
        } else if (base == 16 && isxdigit((unsigned char)*p)) {
            digit = (unsigned)(tolower((unsigned char)*p) - 'a' + 10);
        } else {
            return false;
        }
        if (v > (UINT64_MAX - digit) / base) {
            return false;
        }
        v = v * base + digit;
    }
    *out = v;
    return true;
}

bool mf_parse_int(const char *text, int64_t *value)
{
    bool neg = text[0] == '-';
    const char *p = neg ? text + 1 : text;
    uint64_t v;
    bool ok = (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) ? parse_digits(p + 2, 16, &v)
                                                            : parse_digits(p, 10, &v);
    if (!ok || v > (uint64_t)INT64_MAX) {
        return false;
    }
    *value = neg ? -(int64_t)v : (int64_t)v;
    return true;
}

bool mf_is_int(const struct mf_node *n, int64_t *value)
{
    return n != NULL && n->kind == MF_SCALAR && n->plain && mf_parse_int(n->text, value);
}

bool mf_is_c_ident(const char *text)
{
    if (!(isalpha((unsigned char)text[0]) || text[0] == '_')) {
        return false;
    }
    for (const char *p = text + 1; *p != '\0'; p++) {
        if (!(isalnum((unsigned char)*p) || *p == '_')) {
            return false;
        }
    }
    return true;
}

/* ------------------------------------------------------------------ input files */

static unsigned char *read_failed(struct mf_diags *d, const char *file, int err)
{
    d->io_failed = true;
    mf_diag(d, FFM_DIAG_ERROR, file, 0, 0, FFM_RULE_NONE, NULL, "cannot read: %s", strerror(err));
    return NULL;
}

unsigned char *mf_read_input(struct mf_arena *arena, struct mf_diags *d, const char *file,
                             enum ffm_rule rule, size_t *len)
{
    FILE *f = fopen(file, "rb");
    if (f == NULL) {
        d->io_failed = true;
        mf_diag(d, FFM_DIAG_ERROR, file, 0, 0, FFM_RULE_NONE, NULL, "cannot open: %s",
                strerror(errno));
        return NULL;
    }
    /* Size the buffer from the file when it is a regular file; read one byte more than the
     * limit so that an oversized file (or an endless one: /dev/zero) is detected, not
     * truncated. A directory opens but cannot be read: say so rather than read nothing. */
    struct stat st;
    size_t cap = MF_MAX_FILE_BYTES + 1;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        return read_failed(d, file, EISDIR);
    }
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size < cap) {
        cap = (size_t)st.st_size + 1;
    }
    unsigned char *buf = mf_alloc(arena, cap);
    size_t n = fread(buf, 1, cap, f);
    int err = ferror(f) != 0 ? errno : 0;
    fclose(f);
    if (err != 0) {
        return read_failed(d, file, err);
    }
    if (n > MF_MAX_FILE_BYTES) {
        mf_diag(d, FFM_DIAG_ERROR, file, 0, 0, rule, NULL, "file larger than %u bytes",
                MF_MAX_FILE_BYTES);
        return NULL;
    }
    *len = n;
    return buf;
}
