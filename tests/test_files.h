/*
 * test_files.h - small file helpers shared by CMocka suites that check files a program wrote
 * (tests/unit/test_migrate.c, test_slobs.c): read a whole file, and find a tool built next to
 * the suite (build/tests/<suite> -> build/<tool>). Header-only: each suite is one program.
 */
#ifndef FFM_TESTS_TEST_FILES_H
#define FFM_TESTS_TEST_FILES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEST_FILE_MAX (1 << 16)

/* The whole file (at most TEST_FILE_MAX - 1 bytes), NUL-terminated; NULL if it cannot be
 * opened. Release with free(). */
static inline char *test_read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    char *buf = calloc(1, TEST_FILE_MAX);
    if (buf != NULL) {
        size_t n = fread(buf, 1, TEST_FILE_MAX - 1, f);
        buf[n] = '\0';
    }
    fclose(f);
    return buf;
}

/* out = the directory of argv0, then "/../" tool: the build tree's tool for a suite in
 * build/tests/. */
static inline void test_tool_path(const char *argv0, const char *tool, char *out, size_t size)
{
    snprintf(out, size, "%s", argv0);
    char *slash = strrchr(out, '/');
    if (slash != NULL) {
        *slash = '\0';
    } else {
        snprintf(out, size, ".");
    }
    size_t len = strlen(out);
    snprintf(out + len, size - len, "/../%s", tool);
}

#endif /* FFM_TESTS_TEST_FILES_H */
