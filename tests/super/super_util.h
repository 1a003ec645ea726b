/*
 * super_util.h - helpers shared by the supervisor test suites: scratch file paths under the
 * build directory and whole-file reads.
 */
#ifndef FFM_TEST_SUPER_UTIL_H
#define FFM_TEST_SUPER_UTIL_H

#include <stddef.h>

/* "$BUILD/test-tmp/super-<pid>-<name>" (BUILD defaults to "build"); the directory is created
 * and any previous file of that name removed. Returns buf. */
char *scratch_path(char *buf, size_t size, const char *name);

/* The whole file, NUL-terminated (malloc'd; free it), or NULL. *len gets its length. */
char *read_whole_file(const char *path, size_t *len);

/* Number of non-overlapping occurrences of needle in haystack. */
size_t count_occurrences(const char *haystack, const char *needle);

#endif /* FFM_TEST_SUPER_UTIL_H */
