/*
 * test_rules.c - keeps rules/ffm-rules.yaml, the machine-readable copy of the rules catalogue
 * (docs/ffm-rules.md §1), honest. The check fails when:
 *   (a) the YAML is malformed, a row lacks a field, has an unknown field, or has an unknown
 *       status/profile or a malformed value;
 *   (b) the YAML's ID set differs from the IDs in docs/ffm-rules.md or in src/core/ffm_rules.def;
 *   (c) a row with status implemented lists no tests;
 *   (d) a test named in `tests` is not a test function in tests/ (any *.c below it);
 *   (e) an ID appears twice.
 * Every problem has one exact message; each is asserted on a small fixture in rules/testdata/.
 * The last test runs the check on the real files. Paths are relative to the repository root.
 * See docs/rules.md.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "ffm_rules.h"

#define RULES_YAML "rules/ffm-rules.yaml"
#define RULES_DOC "docs/ffm-rules.md"
#define RULES_DEF "src/core/ffm_rules.def"
#define RULES_TESTS_ROOT "tests"
#define TESTDATA "rules/testdata/"

/* ------------------------------------------------------------------ string lists */

struct strlist {
    char **v;
    size_t n;
    size_t cap;
};

static void strlist_push(struct strlist *l, const char *s)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        char **v = realloc(l->v, cap * sizeof(*v));
        assert_non_null(v);
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n] = strdup(s);
    assert_non_null(l->v[l->n]);
    l->n++;
}

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
static void strlist_pushf(struct strlist *l, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    strlist_push(l, buf);
}

static bool strlist_has(const struct strlist *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->v[i], s) == 0) {
            return true;
        }
    }
    return false;
}

static void strlist_free(struct strlist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i]);
    }
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

static char *read_file(const char *path, struct strlist *report)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        strlist_pushf(report, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    size_t got;
    while ((got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (cap - len - 1 == 0) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
    }
    fclose(f);
    buf[len] = '\0';
    return buf;
}

/* ------------------------------------------------------------------ markdown ID scan */

static bool is_word_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') {
        s++;
    }
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r')) {
        *--e = '\0';
    }
    return s;
}

/* Prefixes from the catalogue's "| Prefixes | Scope |" table: first cell of each row, split on
 * commas. */
static bool doc_prefixes(const char *path, const char *text, struct strlist *prefixes,
                         struct strlist *report)
{
    const char *p = text;
    bool in_table = false;
    while (*p != '\0') {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        char *line = strndup(p, len);
        assert_non_null(line);
        char *t = trim(line);
        if (!in_table) {
            if (strncmp(t, "| Prefixes |", 12) == 0) {
                in_table = true;
            }
        } else if (t[0] != '|') {
            free(line);
            break;
        } else if (strncmp(t, "|---", 4) != 0) {
            char *cell = t + 1;
            char *bar = strchr(cell, '|');
            if (bar != NULL) {
                *bar = '\0';
            }
            for (char *tok = strtok(cell, ","); tok != NULL; tok = strtok(NULL, ",")) {
                char *name = trim(tok);
                if (*name != '\0' && !strlist_has(prefixes, name)) {
                    strlist_push(prefixes, name);
                }
            }
        }
        free(line);
        p = eol ? eol + 1 : p + len;
    }
    if (prefixes->n == 0) {
        strlist_pushf(report, "%s: no \"| Prefixes |\" table", path);
        return false;
    }
    return true;
}

/* Every distinct PREFIX-NN token (NN: two or more digits) of a listed prefix, in order of first
 * appearance. */
static bool doc_ids(const char *path, struct strlist *ids, struct strlist *report)
{
    char *text = read_file(path, report);
    if (text == NULL) {
        return false;
    }
    struct strlist prefixes = {0};
    bool ok = doc_prefixes(path, text, &prefixes, report);
    for (const char *p = text; ok && *p != '\0'; p++) {
        if (!isupper((unsigned char)*p) || (p > text && is_word_char(p[-1]))) {
            continue;
        }
        const char *q = p;
        while (isupper((unsigned char)*q)) {
            q++;
        }
        const char *dash = q;
        if (*dash != '-' || !isdigit((unsigned char)dash[1]) || !isdigit((unsigned char)dash[2])) {
            continue;
        }
        const char *end = dash + 1;
        while (isdigit((unsigned char)*end)) {
            end++;
        }
        if (is_word_char(*end)) {
            continue;
        }
        char prefix[32], id[48];
        if ((size_t)(dash - p) >= sizeof(prefix) || (size_t)(end - p) >= sizeof(id)) {
            continue;
        }
        memcpy(prefix, p, (size_t)(dash - p));
        prefix[dash - p] = '\0';
        memcpy(id, p, (size_t)(end - p));
        id[end - p] = '\0';
        if (strlist_has(&prefixes, prefix) && !strlist_has(ids, id)) {
            strlist_push(ids, id);
        }
    }
    strlist_free(&prefixes);
    free(text);
    return ok;
}

/* ------------------------------------------------------------------ test function index */

/* Adds the test names defined in C source `text`: NAME in `static void NAME(` and in
 * `cmocka_unit_test*(NAME`. Comments, string and character literals are skipped. */
static void scan_c_source(const char *text, struct strlist *names)
{
    char tok[3][128] = {{0}}; /* the last three tokens, tok[0] most recent */
    const char *p = text;
    while (*p != '\0') {
        if (p[0] == '/' && p[1] == '/') {
            while (*p != '\0' && *p != '\n') {
                p++;
            }
            continue;
        }
        if (p[0] == '/' && p[1] == '*') {
            const char *e = strstr(p + 2, "*/");
            p = e ? e + 2 : p + strlen(p);
            continue;
        }
        if (isspace((unsigned char)*p)) {
            p++;
            continue;
        }
        char cur[128];
        if (*p == '"' || *p == '\'') {
            char quote = *p++;
            while (*p != '\0' && *p != quote) {
                p += (p[0] == '\\' && p[1] != '\0') ? 2 : 1;
            }
            if (*p != '\0') {
                p++;
            }
            strcpy(cur, "\"\"");
        } else if (isalpha((unsigned char)*p) || *p == '_') {
            size_t n = 0;
            while (is_word_char(*p)) {
                if (n + 1 < sizeof(cur)) {
                    cur[n++] = *p;
                }
                p++;
            }
            cur[n] = '\0';
        } else {
            cur[0] = *p++;
            cur[1] = '\0';
        }
        if (strcmp(cur, "(") == 0 && strcmp(tok[1], "void") == 0 &&
            strcmp(tok[2], "static") == 0 && (isalpha((unsigned char)tok[0][0]) || tok[0][0] == '_')) {
            if (!strlist_has(names, tok[0])) {
                strlist_push(names, tok[0]);
            }
        }
        if ((isalpha((unsigned char)cur[0]) || cur[0] == '_') && strcmp(tok[0], "(") == 0 &&
            strncmp(tok[1], "cmocka_unit_test", 16) == 0) {
            if (!strlist_has(names, cur)) {
                strlist_push(names, cur);
            }
        }
        memcpy(tok[2], tok[1], sizeof(tok[2]));
        memcpy(tok[1], tok[0], sizeof(tok[1]));
        memcpy(tok[0], cur, sizeof(tok[0]));
    }
}

static bool is_c_identifier(const char *s)
{
    if (s == NULL || !(isalpha((unsigned char)*s) || *s == '_')) {
        return false;
    }
    for (; *s != '\0'; s++) {
        if (!is_word_char(*s)) {
            return false;
        }
    }
    return true;
}

/* Shell functions whose first argument is the name of one check, printed as
 * "[       OK ] NAME" when the check passes: ok, expect and trace (tests/integration/
 * integration.sh, used by its <case>/case.sh files) and check (tests/headers/check-headers.sh).
 * ko is left out: it only ever prints a failure. */
static const char *const shell_check_commands[] = {"ok", "expect", "trace", "check"};

static bool is_shell_check_command(const char *word)
{
    for (size_t i = 0; i < sizeof(shell_check_commands) / sizeof(shell_check_commands[0]); i++) {
        if (strcmp(word, shell_check_commands[i]) == 0) {
            return true;
        }
    }
    return false;
}

/* Words after which the next word is again a command name. */
static bool is_shell_keyword(const char *word)
{
    static const char *const keywords[] = {"if",    "then", "else", "elif",
                                           "while", "until", "do",  "!"};
    for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++) {
        if (strcmp(word, keywords[i]) == 0) {
            return true;
        }
    }
    return false;
}

/* Adds the check names of shell script `text`: NAME in a command `ok NAME`, `expect NAME ...`,
 * `trace NAME ...` or `check NAME ...`, where the command word starts a command (line start,
 * after ; & | && || ( ) { }, or after if/then/else/elif/while/until/do/!) and NAME is a literal
 * identifier (quotes allowed, no $ or backquote). Comments are skipped; quoted text stays inside its word, so a
 * check name only in a string or a comment does not count, and neither does `ok "$name"` or the
 * definition `ok() {`. */
static void scan_sh_source(const char *text, struct strlist *names)
{
    const char *p = text;
    bool at_command = true; /* the next word is a command name */
    bool want_name = false; /* the previous word was a check command */
    while (*p != '\0') {
        if (p[0] == '\\' && p[1] == '\n') {
            p += 2;
            continue;
        }
        if (*p == ' ' || *p == '\t' || *p == '\r') {
            p++;
            continue;
        }
        if (*p == '#') {
            while (*p != '\0' && *p != '\n') {
                p++;
            }
            continue;
        }
        if (strchr("\n;&|(){}", *p) != NULL) {
            p++;
            at_command = true;
            want_name = false;
            continue;
        }
        /* A word: up to unquoted blank or operator; quotes and escapes stay inside it. */
        char word[128];
        size_t n = 0;
        bool literal = true;
        while (*p != '\0' && strchr(" \t\r\n;&|(){}", *p) == NULL) {
            if (*p == '\\' && p[1] != '\0') {
                if (p[1] != '\n' && n + 1 < sizeof(word)) {
                    word[n++] = p[1];
                }
                p += 2;
            } else if (*p == '\'' || *p == '"') {
                char quote = *p++;
                while (*p != '\0' && *p != quote) {
                    if (quote == '"' && (*p == '$' || *p == '`')) {
                        literal = false;
                    }
                    if (quote == '"' && *p == '\\' && p[1] != '\0') {
                        p++;
                    }
                    if (n + 1 < sizeof(word)) {
                        word[n++] = *p;
                    }
                    p++;
                }
                if (*p != '\0') {
                    p++;
                }
            } else {
                if (*p == '$' || *p == '`') {
                    literal = false;
                }
                if (n + 1 < sizeof(word)) {
                    word[n++] = *p;
                }
                p++;
            }
        }
        word[n] = '\0';
        if (want_name && literal && is_c_identifier(word) && !strlist_has(names, word)) {
            strlist_push(names, word);
        }
        want_name = at_command && literal && is_shell_check_command(word);
        at_command = at_command && literal && is_shell_keyword(word);
    }
}

/* Test names defined in every *.c file (test functions) and every *.sh file (shell checks)
 * below `dir`, recursively. */
static void index_tests(const char *dir, struct strlist *names, struct strlist *report)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        strlist_pushf(report, "%s: cannot open directory: %s", dir, strerror(errno));
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') {
            continue;
        }
        char path[1024];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0) {
            continue;
        }
        size_t len = strlen(e->d_name);
        if (S_ISDIR(st.st_mode)) {
            index_tests(path, names, report);
        } else if (S_ISREG(st.st_mode) && len > 2 && strcmp(e->d_name + len - 2, ".c") == 0) {
            char *text = read_file(path, report);
            if (text != NULL) {
                scan_c_source(text, names);
                free(text);
            }
        } else if (S_ISREG(st.st_mode) && len > 3 && strcmp(e->d_name + len - 3, ".sh") == 0) {
            char *text = read_file(path, report);
            if (text != NULL) {
                scan_sh_source(text, names);
                free(text);
            }
        }
    }
    closedir(d);
}

/* ------------------------------------------------------------------ YAML rows */

struct rule_row {
    char *id; /* NULL when absent or invalid */
    unsigned long line;
    bool implemented;
    struct strlist tests;
};

struct rule_table {
    struct rule_row *rows;
    size_t n;
};

static void rule_table_free(struct rule_table *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->rows[i].id);
        strlist_free(&t->rows[i].tests);
    }
    free(t->rows);
    t->rows = NULL;
    t->n = 0;
}

static const char *const required_fields[] = {
    "id", "api", "ord", "condition", "result_ns", "result_s", "profile", "status", "tests",
};
static const char *const optional_fields[] = {"tfm_result", "note"};

#define NREQ (sizeof(required_fields) / sizeof(required_fields[0]))
#define NOPT (sizeof(optional_fields) / sizeof(optional_fields[0]))

static bool is_null_scalar(const yaml_node_t *n)
{
    if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
        return false;
    }
    const char *v = (const char *)n->data.scalar.value;
    return strcmp(v, "") == 0 || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 ||
           strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0;
}

static const char *string_value(const yaml_node_t *n)
{
    if (n == NULL || n->type != YAML_SCALAR_NODE || is_null_scalar(n) ||
        n->data.scalar.length == 0) {
        return NULL;
    }
    return (const char *)n->data.scalar.value;
}

static bool all_digits(const char *s)
{
    if (*s == '\0') {
        return false;
    }
    for (; *s != '\0'; s++) {
        if (!isdigit((unsigned char)*s)) {
            return false;
        }
    }
    return true;
}

/* null, N, "SL N", "CB N" or OK. */
static bool valid_ord(const yaml_node_t *n)
{
    if (n->type != YAML_SCALAR_NODE) {
        return false;
    }
    if (is_null_scalar(n)) {
        return true;
    }
    const char *v = (const char *)n->data.scalar.value;
    if (strcmp(v, "OK") == 0 || all_digits(v)) {
        return true;
    }
    return (strncmp(v, "SL ", 3) == 0 || strncmp(v, "CB ", 3) == 0) && all_digits(v + 3);
}

static int field_index(const char *key)
{
    for (size_t i = 0; i < NREQ; i++) {
        if (strcmp(key, required_fields[i]) == 0) {
            return (int)i;
        }
    }
    for (size_t i = 0; i < NOPT; i++) {
        if (strcmp(key, optional_fields[i]) == 0) {
            return (int)(NREQ + i);
        }
    }
    return -1;
}

static void check_row(const char *path, yaml_document_t *doc, yaml_node_t *map, size_t index,
                      struct rule_row *row, struct strlist *report)
{
    char label[96];
    row->line = (unsigned long)map->start_mark.line + 1;
    if (map->type != YAML_MAPPING_NODE) {
        strlist_pushf(report, "%s:%lu: row %zu: not a mapping", path, row->line, index + 1);
        return;
    }
    /* The row is named by its id when it has a usable one. */
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        const yaml_node_t *k = yaml_document_get_node(doc, p->key);
        const char *id = string_value(yaml_document_get_node(doc, p->value));
        if (k->type == YAML_SCALAR_NODE && strcmp((const char *)k->data.scalar.value, "id") == 0 &&
            id != NULL && row->id == NULL) {
            row->id = strdup(id);
            assert_non_null(row->id);
        }
    }
    if (row->id != NULL) {
        snprintf(label, sizeof(label), "%s", row->id);
    } else {
        snprintf(label, sizeof(label), "row %zu", index + 1);
    }

    bool seen[NREQ + NOPT] = {false};
    const char *status = NULL;
    bool has_note = false;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        const yaml_node_t *k = yaml_document_get_node(doc, p->key);
        const yaml_node_t *v = yaml_document_get_node(doc, p->value);
        const char *key = k->type == YAML_SCALAR_NODE ? (const char *)k->data.scalar.value : "?";
        int f = field_index(key);
        if (f < 0) {
            strlist_pushf(report, "%s:%lu: %s: unknown field '%s'", path, row->line, label, key);
            continue;
        }
        if (seen[f]) {
            strlist_pushf(report, "%s:%lu: %s: duplicate field '%s'", path, row->line, label, key);
            continue;
        }
        seen[f] = true;
        const char *s = string_value(v);
        if (strcmp(key, "ord") == 0) {
            if (!valid_ord(v)) {
                strlist_pushf(report,
                              "%s:%lu: %s: field 'ord' must be null, N, \"SL N\", \"CB N\" or OK",
                              path, row->line, label);
            }
        } else if (strcmp(key, "tests") == 0) {
            bool ok = v->type == YAML_SEQUENCE_NODE;
            for (yaml_node_item_t *it = ok ? v->data.sequence.items.start : NULL;
                 ok && it < v->data.sequence.items.top; it++) {
                const char *name = string_value(yaml_document_get_node(doc, *it));
                if (!is_c_identifier(name)) {
                    ok = false;
                } else {
                    strlist_push(&row->tests, name);
                }
            }
            if (!ok) {
                strlist_pushf(report, "%s:%lu: %s: field 'tests' must be a list of test function names",
                              path, row->line, label);
            }
        } else if (s == NULL) {
            strlist_pushf(report, "%s:%lu: %s: field '%s' must be a non-empty string", path,
                          row->line, label, key);
        } else if (strcmp(key, "status") == 0) {
            status = s;
            if (strcmp(s, "implemented") != 0 && strcmp(s, "planned") != 0 &&
                strcmp(s, "retired") != 0) {
                strlist_pushf(report,
                              "%s:%lu: %s: unknown status '%s' (expected implemented, planned or retired)",
                              path, row->line, label, s);
            }
        } else if (strcmp(key, "profile") == 0) {
            if (strcmp(s, "both") != 0 && strcmp(s, "spec") != 0 && strcmp(s, "tfm") != 0) {
                strlist_pushf(report,
                              "%s:%lu: %s: unknown profile '%s' (expected both, spec or tfm)",
                              path, row->line, label, s);
            }
        } else if (strcmp(key, "note") == 0) {
            has_note = true;
        }
    }
    for (size_t f = 0; f < NREQ; f++) {
        if (!seen[f]) {
            strlist_pushf(report, "%s:%lu: %s: missing field '%s'", path, row->line, label,
                          required_fields[f]);
        }
    }
    if (status != NULL && strcmp(status, "retired") == 0 && !has_note) {
        strlist_pushf(report, "%s:%lu: %s: retired without a note", path, row->line, label);
    }
    if (status != NULL && strcmp(status, "implemented") == 0) {
        row->implemented = true;
        if (seen[field_index("tests")] && row->tests.n == 0) {
            strlist_pushf(report, "%s:%lu: %s: implemented but lists no tests", path, row->line,
                          label);
        }
    }
}

/* Loads and checks every row. False when the file cannot be read as a list of rules at all. */
static bool rules_load(const char *path, struct rule_table *t, struct strlist *report)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        strlist_pushf(report, "%s: cannot open: %s", path, strerror(errno));
        return false;
    }
    yaml_parser_t parser;
    yaml_document_t doc;
    assert_true(yaml_parser_initialize(&parser));
    yaml_parser_set_input_file(&parser, f);
    bool ok = false;
    if (!yaml_parser_load(&parser, &doc)) {
        strlist_pushf(report, "%s:%lu:%lu: malformed YAML: %s", path,
                      (unsigned long)parser.problem_mark.line + 1,
                      (unsigned long)parser.problem_mark.column + 1,
                      parser.problem ? parser.problem : "unknown error");
        yaml_parser_delete(&parser);
        fclose(f);
        return false;
    }
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (root == NULL) {
        strlist_pushf(report, "%s: empty document", path);
    } else if (root->type != YAML_SEQUENCE_NODE) {
        strlist_pushf(report, "%s:%lu: top level must be a list of rules", path,
                      (unsigned long)root->start_mark.line + 1);
    } else {
        ok = true;
        size_t n = (size_t)(root->data.sequence.items.top - root->data.sequence.items.start);
        t->rows = calloc(n ? n : 1, sizeof(*t->rows));
        assert_non_null(t->rows);
        t->n = n;
        for (size_t i = 0; i < n; i++) {
            yaml_node_t *item = yaml_document_get_node(&doc, root->data.sequence.items.start[i]);
            check_row(path, &doc, item, i, &t->rows[i], report);
        }
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    fclose(f);
    return ok;
}

/* ------------------------------------------------------------------ the whole check */

struct rules_sources {
    const char *yaml;       /* the machine-readable copy */
    const char *doc;        /* the catalogue document */
    const char *tests_root; /* where test functions are looked up */
    const char *const *catalogue; /* IDs compiled into the core */
    size_t catalogue_n;
    const char *catalogue_name;
};

static void report_difference(const struct strlist *a, const char *a_name,
                              const struct strlist *b, const char *b_name, struct strlist *report)
{
    for (size_t i = 0; i < a->n; i++) {
        if (!strlist_has(b, a->v[i])) {
            strlist_pushf(report, "%s: in %s but not in %s", a->v[i], a_name, b_name);
        }
    }
}

/* Runs every check; each problem appends one message to `report`. Returns the message count. */
static size_t rules_check(const struct rules_sources *src, struct strlist *report)
{
    struct rule_table t = {0};
    if (!rules_load(src->yaml, &t, report)) {
        rule_table_free(&t);
        return report->n;
    }
    struct strlist yaml_ids = {0}, names = {0}, doc = {0}, cat = {0};
    for (size_t i = 0; i < t.n; i++) {
        const struct rule_row *row = &t.rows[i];
        if (row->id == NULL) {
            continue;
        }
        if (strlist_has(&yaml_ids, row->id)) {
            unsigned long first = 0;
            for (size_t j = 0; j < i; j++) {
                if (t.rows[j].id != NULL && strcmp(t.rows[j].id, row->id) == 0) {
                    first = t.rows[j].line;
                    break;
                }
            }
            strlist_pushf(report, "%s:%lu: duplicate id '%s' (first at line %lu)", src->yaml,
                          row->line, row->id, first);
        } else {
            strlist_push(&yaml_ids, row->id);
        }
    }
    index_tests(src->tests_root, &names, report);
    for (size_t i = 0; i < t.n; i++) {
        const struct rule_row *row = &t.rows[i];
        for (size_t k = 0; k < row->tests.n; k++) {
            if (!strlist_has(&names, row->tests.v[k])) {
                strlist_pushf(report, "%s:%lu: %s: test '%s' not found in %s", src->yaml,
                              row->line, row->id ? row->id : "?", row->tests.v[k],
                              src->tests_root);
            }
        }
    }
    if (doc_ids(src->doc, &doc, report)) {
        report_difference(&yaml_ids, src->yaml, &doc, src->doc, report);
        report_difference(&doc, src->doc, &yaml_ids, src->yaml, report);
    }
    for (size_t i = 0; i < src->catalogue_n; i++) {
        strlist_push(&cat, src->catalogue[i]);
    }
    report_difference(&yaml_ids, src->yaml, &cat, src->catalogue_name, report);
    report_difference(&cat, src->catalogue_name, &yaml_ids, src->yaml, report);

    strlist_free(&yaml_ids);
    strlist_free(&names);
    strlist_free(&doc);
    strlist_free(&cat);
    rule_table_free(&t);
    return report->n;
}

/* ------------------------------------------------------------------ fixture helpers */

/* The fixture catalogue: the IDs of rules/testdata/catalogue.md. */
static const char *const fixture_catalogue[] = {"GEN-01", "CALL-01", "CALL-02", "CALL-10"};

static size_t check_fixture(const char *yaml, const char *doc, struct strlist *report)
{
    const struct rules_sources src = {
        .yaml = yaml,
        .doc = doc,
        .tests_root = TESTDATA "src",
        .catalogue = fixture_catalogue,
        .catalogue_n = sizeof(fixture_catalogue) / sizeof(fixture_catalogue[0]),
        .catalogue_name = "fixture.def",
    };
    return rules_check(&src, report);
}

/* Asserts that the report is exactly `expected` (n messages, in order). */
static void assert_report(const struct strlist *report, const char *const *expected, size_t n)
{
    bool same = report->n == n;
    for (size_t i = 0; same && i < n; i++) {
        same = strcmp(report->v[i], expected[i]) == 0;
    }
    if (!same) {
        print_message("expected %zu message(s):\n", n);
        for (size_t i = 0; i < n; i++) {
            print_message("  %s\n", expected[i]);
        }
        print_message("got %zu:\n", report->n);
        for (size_t i = 0; i < report->n; i++) {
            print_message("  %s\n", report->v[i]);
        }
    }
    assert_true(same);
}

#define EXPECT_REPORT(yaml, doc, ...)                                                           \
    do {                                                                                        \
        static const char *const expected_[] = {__VA_ARGS__};                                   \
        struct strlist report_ = {0};                                                           \
        check_fixture(yaml, doc, &report_);                                                     \
        assert_report(&report_, expected_, sizeof(expected_) / sizeof(expected_[0]));           \
        strlist_free(&report_);                                                                 \
    } while (0)

#define FIXTURE_DOC TESTDATA "catalogue.md"

/* ------------------------------------------------------------------ tests: the checker */

/* A consistent fixture, using every ord form, the optional fields and all test-name forms,
 * passes. */
static void test_good_fixture_passes(void **state)
{
    (void)state;
    struct strlist report = {0};
    assert_int_equal(check_fixture(TESTDATA "good.yaml", FIXTURE_DOC, &report), 0);
    strlist_free(&report);
}

/* (a) Malformed YAML: one message with the parser's position and problem, nothing else. */
static void test_malformed_yaml(void **state)
{
    (void)state;
    EXPECT_REPORT(TESTDATA "malformed.yaml", FIXTURE_DOC,
                  "rules/testdata/malformed.yaml:5:9: malformed YAML: "
                  "did not find expected ',' or ']'");
}

/* (a) Not a list of rules, or no document at all; a missing file. */
static void test_not_a_list(void **state)
{
    (void)state;
    EXPECT_REPORT(TESTDATA "not-a-list.yaml", FIXTURE_DOC,
                  "rules/testdata/not-a-list.yaml:2: top level must be a list of rules");
    EXPECT_REPORT(TESTDATA "empty.yaml", FIXTURE_DOC, "rules/testdata/empty.yaml: empty document");
    EXPECT_REPORT(TESTDATA "no-such-file.yaml", FIXTURE_DOC,
                  "rules/testdata/no-such-file.yaml: cannot open: No such file or directory");
}

/* (a) A row that is not a mapping, lacks fields, has an unknown or a repeated field, or has no
 * id (it is then named by its position). */
static void test_fields(void **state)
{
    (void)state;
    EXPECT_REPORT(TESTDATA "fields.yaml", FIXTURE_DOC,
                  "rules/testdata/fields.yaml:3: GEN-01: missing field 'result_s'",
                  "rules/testdata/fields.yaml:11: CALL-01: unknown field 'test'",
                  "rules/testdata/fields.yaml:11: CALL-01: missing field 'tests'",
                  "rules/testdata/fields.yaml:21: CALL-02: duplicate field 'status'",
                  "rules/testdata/fields.yaml:31: row 4: not a mapping",
                  "rules/testdata/fields.yaml:32: row 5: missing field 'id'",
                  "CALL-10: in rules/testdata/catalogue.md but not in rules/testdata/fields.yaml",
                  "CALL-10: in fixture.def but not in rules/testdata/fields.yaml");
}

/* (a) Unknown status or profile, bad ord, empty or null strings, a malformed tests list, and a
 * retired row without a note. */
static void test_values(void **state)
{
    (void)state;
    EXPECT_REPORT(
        TESTDATA "values.yaml", FIXTURE_DOC,
        "rules/testdata/values.yaml:3: GEN-01: unknown profile 'tfm-only' (expected both, spec or tfm)",
        "rules/testdata/values.yaml:3: GEN-01: unknown status 'done' (expected implemented, planned or retired)",
        "rules/testdata/values.yaml:12: CALL-01: field 'ord' must be null, N, \"SL N\", \"CB N\" or OK",
        "rules/testdata/values.yaml:12: CALL-01: field 'condition' must be a non-empty string",
        "rules/testdata/values.yaml:12: CALL-01: field 'result_ns' must be a non-empty string",
        "rules/testdata/values.yaml:12: CALL-01: retired without a note",
        "rules/testdata/values.yaml:21: CALL-02: field 'tests' must be a list of test function names",
        "rules/testdata/values.yaml:30: CALL-10: field 'ord' must be null, N, \"SL N\", \"CB N\" or OK",
        "rules/testdata/values.yaml:30: CALL-10: field 'tests' must be a list of test function names");
}

/* (b) The YAML's ID set differs from the document's and from the compiled catalogue's. */
static void test_id_set_differs(void **state)
{
    (void)state;
    EXPECT_REPORT(TESTDATA "idset.yaml", FIXTURE_DOC,
                  "CALL-03: in rules/testdata/idset.yaml but not in rules/testdata/catalogue.md",
                  "CALL-02: in rules/testdata/catalogue.md but not in rules/testdata/idset.yaml",
                  "CALL-10: in rules/testdata/catalogue.md but not in rules/testdata/idset.yaml",
                  "CALL-03: in rules/testdata/idset.yaml but not in fixture.def",
                  "CALL-02: in fixture.def but not in rules/testdata/idset.yaml",
                  "CALL-10: in fixture.def but not in rules/testdata/idset.yaml");
}

/* (b) Only the compiled catalogue differs (the document and the YAML agree). */
static void test_id_set_differs_from_def(void **state)
{
    (void)state;
    static const char *const short_catalogue[] = {"GEN-01", "CALL-01", "CALL-02", "CALL-99"};
    static const char *const expected[] = {
        "CALL-10: in rules/testdata/good.yaml but not in short.def",
        "CALL-99: in short.def but not in rules/testdata/good.yaml",
    };
    const struct rules_sources src = {
        .yaml = TESTDATA "good.yaml",
        .doc = FIXTURE_DOC,
        .tests_root = TESTDATA "src",
        .catalogue = short_catalogue,
        .catalogue_n = 4,
        .catalogue_name = "short.def",
    };
    struct strlist report = {0};
    rules_check(&src, &report);
    assert_report(&report, expected, 2);
    strlist_free(&report);
}

/* (b) The document scan: only PREFIX-NN tokens of the prefix table's prefixes, on word
 * boundaries; a document without the prefix table is reported. */
static void test_doc_scan(void **state)
{
    (void)state;
    struct strlist ids = {0}, report = {0};
    assert_true(doc_ids(FIXTURE_DOC, &ids, &report));
    assert_int_equal(report.n, 0);
    assert_int_equal(ids.n, 4);
    assert_string_equal(ids.v[0], "GEN-01");
    assert_string_equal(ids.v[1], "CALL-01");
    assert_string_equal(ids.v[2], "CALL-02");
    assert_string_equal(ids.v[3], "CALL-10");
    strlist_free(&ids);
    EXPECT_REPORT(TESTDATA "good.yaml", TESTDATA "no-prefix-table.md",
                  "rules/testdata/no-prefix-table.md: no \"| Prefixes |\" table");
}

/* (c) An implemented row with an empty tests list. */
static void test_implemented_without_tests(void **state)
{
    (void)state;
    EXPECT_REPORT(TESTDATA "implemented-no-tests.yaml", FIXTURE_DOC,
                  "rules/testdata/implemented-no-tests.yaml:3: GEN-01: implemented but lists no tests");
}

/* (d) Test names that are not test functions: a name only in a comment, only in a string, only
 * in a non-.c file, or nowhere. */
static void test_unknown_test_names(void **state)
{
    (void)state;
    EXPECT_REPORT(TESTDATA "unknown-test.yaml", FIXTURE_DOC,
                  "rules/testdata/unknown-test.yaml:3: GEN-01: test 'fixture_in_comment' not found in rules/testdata/src",
                  "rules/testdata/unknown-test.yaml:3: GEN-01: test 'fixture_in_string' not found in rules/testdata/src",
                  "rules/testdata/unknown-test.yaml:3: GEN-01: test 'fixture_not_c' not found in rules/testdata/src",
                  "rules/testdata/unknown-test.yaml:3: GEN-01: test 'no_such_test' not found in rules/testdata/src");
}

/* (d) The source scan itself. */
static void test_source_scan(void **state)
{
    (void)state;
    struct strlist names = {0}, report = {0};
    index_tests(TESTDATA "src", &names, &report);
    assert_int_equal(report.n, 0);
    assert_true(strlist_has(&names, "fixture_static"));
    assert_true(strlist_has(&names, "fixture_split_lines"));
    assert_true(strlist_has(&names, "fixture_registered"));
    assert_true(strlist_has(&names, "fixture_setup_registered"));
    assert_true(strlist_has(&names, "fixture_in_subdir"));
    assert_false(strlist_has(&names, "fixture_in_comment"));
    assert_false(strlist_has(&names, "fixture_in_string"));
    assert_false(strlist_has(&names, "fixture_not_c"));
    assert_false(strlist_has(&names, "fixture_not_static"));
    assert_false(strlist_has(&names, "fixture_returns_int"));
    strlist_free(&names);
    index_tests(TESTDATA "no-such-dir", &names, &report);
    assert_int_equal(report.n, 1);
    assert_string_equal(report.v[0],
                        "rules/testdata/no-such-dir: cannot open directory: No such file or directory");
    strlist_free(&report);
}

/* (d) The shell-check scan: names passed to ok, expect, trace and check as a command, in the forms
 * tests/integration/<case>/case.sh and tests/headers/check-headers.sh use; not names in comments or
 * strings, not computed names, not ko (failure only), not the function definitions. */
static void test_shell_scan(void **state)
{
    (void)state;
    static const char script[] =
        "#!/bin/sh\n"
        "ok() { echo \"[       OK ] $1\"; pass=$((pass + 1)); }\n"
        "expect() {\n"
        "    name=$1\n"
        "    ok \"$name\"\n"                                      /* computed: no */
        "}\n"
        "check() { name=$1; shift; }\n"
        "# expect sh_in_comment 0\n"
        "if gen basic && image basic ns ns.c; then\n"
        "    sim basic 10 -m list.yaml\n"
        "    expect sh_expect 0 out \"echo 5 'hello'\" \\\n"
        "        err \"\\[CALL-18\\] psa_call by NS\"\n"
        "    expect \\\n"
        "        sh_continued 7\n"
        "    echo \"expect sh_in_string 0\"; ok sh_after_semicolon\n"
        "    [ -f x ] && ok 'sh_quoted' || ko sh_ko_only \"no x\"\n"
        "elif true; then ok sh_after_elif\n"
        "else\n"
        "    ko sh_failed \"cannot build\"\n"
        "fi\n"
        "check sh_check \"$CC\" -std=c99 -c x.c\n"
        "    trace sh_trace $O/x.json '\"name\":\"boot\"'\n"
        "for n in 1 2; do expect sh_in_loop 0; done\n"
        "echo ok sh_argument_of_echo\n"
        "ok sh_$n\n"
        "awk '\n"
        "ok sh_in_awk\n"
        "'\n";
    struct strlist names = {0};
    scan_sh_source(script, &names);
    static const char *const expected[] = {
        "sh_expect", "sh_continued", "sh_after_semicolon", "sh_quoted",
        "sh_after_elif", "sh_check", "sh_trace", "sh_in_loop",
    };
    if (names.n != sizeof(expected) / sizeof(expected[0])) {
        for (size_t i = 0; i < names.n; i++) {
            print_message("  found %s\n", names.v[i]);
        }
    }
    assert_int_equal(names.n, sizeof(expected) / sizeof(expected[0]));
    for (size_t i = 0; i < names.n; i++) {
        assert_string_equal(names.v[i], expected[i]);
    }
    strlist_free(&names);
}

/* (d) index_tests reads *.sh files as shell checks and *.c files as C, and nothing else: a
 * directory made for the test (the fixture directory holds C sources only). */
static void test_shell_checks_indexed(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_rules.XXXXXX";
    assert_non_null(mkdtemp(dir));
    static const struct {
        const char *name;
        const char *text;
    } files[] = {
        {"case.sh", "expect sh_file_check 0 out \"x\"\n"},
        {"notes.txt", "expect sh_not_a_script 0\n"},
        {"suite.c", "static void sh_c_test(void **state) { }\nexpect sh_in_c 0\n"},
    };
    char path[256];
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, files[i].name);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(files[i].text, f);
        fclose(f);
    }
    struct strlist names = {0}, report = {0};
    index_tests(dir, &names, &report);
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, files[i].name);
        remove(path);
    }
    rmdir(dir);
    assert_int_equal(report.n, 0);
    assert_true(strlist_has(&names, "sh_file_check"));
    assert_true(strlist_has(&names, "sh_c_test"));
    assert_false(strlist_has(&names, "sh_not_a_script"));
    assert_false(strlist_has(&names, "sh_in_c"));
    assert_int_equal(names.n, 2);
    strlist_free(&names);
    strlist_free(&report);
}

/* (d) The real integration checks count as tests: names from tests/integration/<case>/case.sh and
 * tests/headers/check-headers.sh are found under tests/. */
static void test_real_shell_checks_found(void **state)
{
    (void)state;
    struct strlist names = {0}, report = {0};
    index_tests(RULES_TESTS_ROOT, &names, &report);
    assert_int_equal(report.n, 0);
    assert_true(strlist_has(&names, "basic_echo_exit_0"));
    assert_true(strlist_has(&names, "secmem_secure_vector_is_pe"));
    assert_true(strlist_has(&names, "threads_deterministic"));
    assert_true(strlist_has(&names, "c11_pedantic"));
    assert_false(strlist_has(&names, "basic_build")); /* ko only */
    strlist_free(&names);
    strlist_free(&report);
}

/* (e) A repeated ID. */
static void test_duplicate_id(void **state)
{
    (void)state;
    EXPECT_REPORT(TESTDATA "duplicate-id.yaml", FIXTURE_DOC,
                  "rules/testdata/duplicate-id.yaml:30: duplicate id 'CALL-01' (first at line 12)");
}

/* ffm_rule_from_id (src/core/ffm_rules.c), the check a PE event's rule must pass when it
 * arrives as a string: every compiled ID maps back to its own enum value; anything else,
 * including near misses, is FFM_RULE_NONE. */
static void test_rule_from_id(void **state)
{
    (void)state;
    assert_int_equal(ffm_rule_from_id("CALL-05"), FFM_RULE_CALL_05);
    assert_int_equal(ffm_rule_from_id("MEM-14"), FFM_RULE_MEM_14);
    assert_int_equal(ffm_rule_from_id("HDL-01"), FFM_RULE_HDL_01);
    assert_int_equal(ffm_rule_from_id(ffm_rule_id((enum ffm_rule)(FFM_RULE_COUNT - 1))),
                     FFM_RULE_COUNT - 1);
    for (int r = FFM_RULE_NONE + 1; r < FFM_RULE_COUNT; r++) {
        assert_int_equal(ffm_rule_from_id(ffm_rule_id((enum ffm_rule)r)), r);
    }
    assert_int_equal(ffm_rule_from_id("CALL-30"), FFM_RULE_NONE);
    assert_int_equal(ffm_rule_from_id("call-05"), FFM_RULE_NONE);
    assert_int_equal(ffm_rule_from_id("CALL-0"), FFM_RULE_NONE);   /* a prefix of an ID */
    assert_int_equal(ffm_rule_from_id("CALL-050"), FFM_RULE_NONE); /* an ID as a prefix */
    assert_int_equal(ffm_rule_from_id("CALL-05 "), FFM_RULE_NONE);
    assert_int_equal(ffm_rule_from_id("NONE"), FFM_RULE_NONE);
    assert_int_equal(ffm_rule_from_id("?"), FFM_RULE_NONE);
    assert_int_equal(ffm_rule_from_id(""), FFM_RULE_NONE);
    assert_int_equal(ffm_rule_from_id(NULL), FFM_RULE_NONE);
}

/* ------------------------------------------------------------------ tests: the real files */

/* rules/ffm-rules.yaml agrees with docs/ffm-rules.md and src/core/ffm_rules.def, and every test
 * it names exists. */
static void test_catalogue_copy_is_consistent(void **state)
{
    (void)state;
    const char *ids[FFM_RULE_COUNT];
    size_t n = 0;
    for (int r = FFM_RULE_NONE + 1; r < FFM_RULE_COUNT; r++) {
        ids[n++] = ffm_rule_id((enum ffm_rule)r);
    }
    const struct rules_sources src = {
        .yaml = RULES_YAML,
        .doc = RULES_DOC,
        .tests_root = RULES_TESTS_ROOT,
        .catalogue = ids,
        .catalogue_n = n,
        .catalogue_name = RULES_DEF,
    };
    struct strlist report = {0};
    rules_check(&src, &report);
    for (size_t i = 0; i < report.n; i++) {
        print_message("%s\n", report.v[i]);
    }
    assert_int_equal(report.n, 0);
    strlist_free(&report);
}

/* The document and the compiled catalogue name the same IDs (so a PE event's rule, checked
 * with ffm_rule_from_id, is always a documented rule). */
static void test_doc_and_def_agree(void **state)
{
    (void)state;
    struct strlist doc = {0}, report = {0};
    assert_true(doc_ids(RULES_DOC, &doc, &report));
    assert_int_equal(report.n, 0);
    assert_int_equal(doc.n, FFM_RULE_COUNT - 1);
    for (size_t i = 0; i < doc.n; i++) {
        enum ffm_rule r = ffm_rule_from_id(doc.v[i]);
        if (r == FFM_RULE_NONE) {
            print_message("%s is in " RULES_DOC " but not in " RULES_DEF "\n", doc.v[i]);
        }
        assert_int_not_equal(r, FFM_RULE_NONE);
        assert_string_equal(ffm_rule_id(r), doc.v[i]);
    }
    strlist_free(&doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_fixture_passes),
        cmocka_unit_test(test_malformed_yaml),
        cmocka_unit_test(test_not_a_list),
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_id_set_differs),
        cmocka_unit_test(test_id_set_differs_from_def),
        cmocka_unit_test(test_doc_scan),
        cmocka_unit_test(test_implemented_without_tests),
        cmocka_unit_test(test_unknown_test_names),
        cmocka_unit_test(test_source_scan),
        cmocka_unit_test(test_shell_scan),
        cmocka_unit_test(test_shell_checks_indexed),
        cmocka_unit_test(test_real_shell_checks_found),
        cmocka_unit_test(test_duplicate_id),
        cmocka_unit_test(test_rule_from_id),
        cmocka_unit_test(test_catalogue_copy_is_consistent),
        cmocka_unit_test(test_doc_and_def_agree),
    };
    return cmocka_run_group_tests_name("rules", tests, NULL, NULL);
}
