/*
 * super_util.c - scratch paths and file reading for the supervisor test suites.
 */
#include "super_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *scratch_path(char *buf, size_t size, const char *name)
{
    const char *build = getenv("BUILD");
    char dir[512];

    snprintf(dir, sizeof(dir), "%s/test-tmp", build != NULL && build[0] ? build : "build");
    mkdir(dir, 0755);
    snprintf(buf, size, "%s/super-%ld-%s", dir, (long)getpid(), name);
    unlink(buf);
    return buf;
}

char *read_whole_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *data = NULL;
    size_t used = 0, cap = 0;

    if (f == NULL) {
        return NULL;
    }
    for (;;) {
        size_t n;

        if (cap - used < 4096) {
            char *bigger = realloc(data, cap + 8192);

            if (bigger == NULL) {
                free(data);
                fclose(f);
                return NULL;
            }
            data = bigger;
            cap += 8192;
        }
        n = fread(data + used, 1, cap - used - 1, f);
        used += n;
        if (n == 0) {
            break;
        }
    }
    fclose(f);
    data[used] = '\0';
    if (len != NULL) {
        *len = used;
    }
    return data;
}

size_t count_occurrences(const char *haystack, const char *needle)
{
    size_t count = 0;
    size_t n = strlen(needle);
    const char *p = haystack;

    while (n > 0 && (p = strstr(p, needle)) != NULL) {
        count++;
        p += n;
    }
    return count;
}
