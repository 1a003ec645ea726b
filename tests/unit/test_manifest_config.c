/*
 * test_manifest_config.c - the config headers read with -c for `conditional` (MAN-04): the
 * documented preprocessor subset read as cpp reads it (comments across lines, line splices,
 * skipped groups), lines of any length, and every construct outside the subset refused at
 * FILE:LINE:COL; a directory or an endless file is an error of one line. The cases write
 * their headers to temporary files, so each one shows its input next to its outcome.
 * Run from the repository root.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "manifest/manifest.h"
#include "manifest/mf_internal.h"

#define CFG "tests/fixtures/manifest/config/"

/* A temporary header with `text`; the caller unlinks and frees it. */
static char *temp_header(const char *text, size_t len)
{
    char *path = strdup("/tmp/ffm-config-test-XXXXXX");
    assert_non_null(path);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    assert_int_equal(close(fd), 0);
    return path;
}

/* Load the list (partition enabled by EVIL) with config header `path`; every diagnostic line
 * goes to `diags` (each ending in \n); returns the status and the partition count. */
static enum ffm_manifest_status load_with(const char *path, char *diags, size_t size,
                                          size_t *n_partitions)
{
    const char *lists[] = {CFG "list.yaml"};
    const char *configs[] = {path};
    struct ffm_manifest_options o = {.lists = lists, .n_lists = 1, .config_files = configs,
                                     .n_config_files = 1};
    struct ffm_manifest_set *set = NULL;
    enum ffm_manifest_status st = ffm_manifest_load(&o, &set);
    assert_non_null(set);
    diags[0] = '\0';
    for (size_t i = 0; i < ffm_manifest_diag_count(set); i++) {
        char line[1024];
        ffm_manifest_format_diag(ffm_manifest_diag_at(set, i), line, sizeof line);
        strncat(diags, line, size - strlen(diags) - 1);
        strncat(diags, "\n", size - strlen(diags) - 1);
    }
    const struct ffm_system_desc *d = ffm_manifest_desc(set);
    *n_partitions = d != NULL ? d->n_partitions : 0;
    ffm_manifest_free(set);
    return st;
}

/* Outcome of a header given as text: status, partitions, the diagnostics with the temp path
 * replaced by "H". */
static enum ffm_manifest_status run_text(const char *text, size_t len, char *diags,
                                         size_t size, size_t *n)
{
    char *path = temp_header(text, len);
    char raw[4096];
    enum ffm_manifest_status st = load_with(path, raw, sizeof raw, n);
    size_t plen = strlen(path), o = 0;
    for (const char *p = raw; *p != '\0' && o + 1 < size;) {
        bool is_path = strncmp(p, path, plen) == 0;
        diags[o++] = is_path ? 'H' : *p;
        p += is_path ? plen : 1;
    }
    diags[o] = '\0';
    unlink(path);
    free(path);
    return st;
}

/* The regression: a comment line longer than the old 1023-byte read ending in
 * "#define EVIL 1" defines nothing (cpp: EVIL is undefined), so the partition is not built. */
static void test_long_comment_line_defines_nothing(void **state)
{
    (void)state;
    size_t len = 1020; /* "// " + 1020 bytes: the old reader's second piece is the #define */
    char *text = malloc(len + 32);
    assert_non_null(text);
    memcpy(text, "// ", 3);
    memset(text + 3, 'x', len);
    strcpy(text + 3 + len, "#define EVIL 1\n");
    char diags[4096];
    size_t n;
    assert_int_equal(run_text(text, strlen(text), diags, sizeof diags, &n),
                     FFM_MANIFEST_INVALID);
    assert_string_equal(diags, CFG "list.yaml:5:18: error: manifest_list[0].conditional: "
                                   "EVIL is not defined [MAN-04]\n");
    free(text);
}

/* A long value is read whole: "#define EVIL" + 2000 blanks + "1" enables the partition (the
 * old reader cut the line and read EVIL as empty, which disables). */
static void test_long_define_value_is_read_whole(void **state)
{
    (void)state;
    char text[2100] = "#define EVIL";
    memset(text + strlen(text), ' ', 2000);
    strcpy(text + 12 + 2000, "1\n");
    char diags[4096];
    size_t n;
    assert_int_equal(run_text(text, strlen(text), diags, sizeof diags, &n), FFM_MANIFEST_OK);
    assert_string_equal(diags, "");
    assert_int_equal(n, 1);
}

/* Blank lines, the first one included, are nothing (a header that starts with one). */
static void test_blank_lines(void **state)
{
    (void)state;
    static const char text[] = "\n\n  \n#define EVIL 1\n\n";
    char diags[4096];
    size_t n;
    assert_int_equal(run_text(text, strlen(text), diags, sizeof diags, &n), FFM_MANIFEST_OK);
    assert_string_equal(diags, "");
    assert_int_equal(n, 1);
}

/* The documented subset, read as cpp reads it. */
static void test_subset_read_as_cpp_does(void **state)
{
    (void)state;
    struct mf_arena arena = {0};
    struct mf_diags d = {.arena = &arena, .max_errors = 50};
    struct mf_config cfg = {0};
    assert_true(mf_config_read_file(&arena, &d, &cfg, CFG "subset.h"));
    assert_int_equal(d.n, 0);
    static const char *const expect[][2] = {
        {"SUBSET_H", ""}, {"PLAIN", "1"}, {"EMPTY", ""}, {"SPACED", "a b c"},
        {"SPLICED", "on"}, {"STRING", "\"not /* a comment */ // either\""},
        {"COMMENT_IN_VALUE", "1 2"}, {"IN_ELIF", "1"}, {"AFTER_IFDEF", "on"},
        {"TABS", "enabled"}, {"WAS_UNDEFINED", "1"},
    };
    for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
        const char *v = mf_config_lookup(&cfg, expect[i][0]);
        assert_non_null(v);
        assert_string_equal(v, expect[i][1]);
    }
    static const char *const undefined[] = {"IN_COMMENT", "IN_SPLICED_COMMENT", "IN_IF_0",
                                            "IN_ELSE", "GONE", "IN_ELIF_NOT"};
    for (size_t i = 0; i < sizeof undefined / sizeof undefined[0]; i++) {
        assert_null(mf_config_lookup(&cfg, undefined[i]));
    }
    mf_arena_release(&arena);
}

/* Outside the subset: an error at FILE:LINE:COL, never a guess. */
static void test_unsupported_constructs_refused(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *diag;
    } cases[] = {
        {"#include \"other.h\"\n#define EVIL 1\n",
         "H:1:2: error: #include is not supported: give each config header with its own -c "
         "[MAN-04]\n"},
        {"#define EVIL(x) 1\n",
         "H:1:13: error: function-like macro EVIL is not supported (only #define NAME "
         "[VALUE]) [MAN-04]\n"},
        {"#if EVIL_LEVEL > 1\n#define EVIL 1\n#endif\n",
         "H:1:5: error: #if expression not supported (only an integer, defined NAME or "
         "!defined NAME) [MAN-04]\n"},
        {"#define EVIL 1 /* never closed\n",
         "H:1:16: error: unterminated comment [MAN-04]\n"},
        {"#ifdef X\n#define EVIL 1\n",
         "H:1:1: error: #if without #endif at the end of the file [MAN-04]\n"},
        {"#endif\n", "H:1:7: error: #endif without #if [MAN-04]\n"},
        {"#error no config for this board\n",
         "H:1:8: error: #error no config for this board [MAN-04]\n"},
        {"#line 3\n", "H:1:2: error: #line is not supported in a config header [MAN-04]\n"},
        {"#define EVIL \"1\n", "H:1:14: error: missing terminating \" character [MAN-04]\n"},
        {"#define A 1\n\n  #define EVIL\0 1\n", "H:3:15: error: NUL byte in a config header "
                                                "[MAN-04]\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char diags[4096];
        size_t n;
        size_t len = strlen(cases[i].text);
        if (strstr(cases[i].diag, "NUL") != NULL) {
            len += 1 + strlen(cases[i].text + len + 1);
        }
        assert_int_equal(run_text(cases[i].text, len, diags, sizeof diags, &n),
                         FFM_MANIFEST_INVALID);
        assert_string_equal(diags, cases[i].diag);
    }
}

/* A directory is a read error (exit 1), an endless file is refused at the size limit in one
 * line (exit 2); neither is read as an empty header. */
static void test_directory_and_endless_file(void **state)
{
    (void)state;
    char diags[4096];
    size_t n;
    assert_int_equal(load_with("/", diags, sizeof diags, &n), FFM_MANIFEST_IO_ERROR);
    assert_string_equal(diags, "/: error: cannot read: Is a directory\n");
    assert_int_equal(load_with("/dev/zero", diags, sizeof diags, &n), FFM_MANIFEST_INVALID);
    assert_string_equal(diags, "/dev/zero: error: file larger than 1048576 bytes [MAN-04]\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_long_comment_line_defines_nothing),
        cmocka_unit_test(test_long_define_value_is_read_whole),
        cmocka_unit_test(test_blank_lines),
        cmocka_unit_test(test_subset_read_as_cpp_does),
        cmocka_unit_test(test_unsupported_constructs_refused),
        cmocka_unit_test(test_directory_and_endless_file),
    };
    return cmocka_run_group_tests_name("manifest_config", tests, NULL, NULL);
}
