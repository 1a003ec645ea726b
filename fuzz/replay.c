/*
 * replay.c - runs a libFuzzer target over corpus files without libFuzzer, so the corpora are
 * replayed by every `make test` (SQLite's discipline: a crash found once stays fixed).
 *
 *   replay-<target> FILE_OR_DIR...
 *
 * Each file is one test; a target that aborts kills the run (the suite fails). Output uses
 * CMocka's result lines so scripts/run-tests.sh counts the files, and with
 * CMOCKA_MESSAGE_OUTPUT=xml it writes JUnit XML to CMOCKA_XML_FILE, as the CMocka suites do.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "result_lines.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INPUTS 4096

struct result {
    char *path;
    int ok;
};

static struct result results[MAX_INPUTS];
static unsigned n_results;

static void record(const char *path, int ok)
{
    if (n_results < MAX_INPUTS) {
        results[n_results++] = (struct result){ strdup(path), ok };
    }
    printf("[%s] %s\n", ok ? "       OK " : "  FAILED  ", path);
}

/* The whole file, or NULL (with *len 0) when it cannot be read. */
static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t cap = 0;

    *len = 0;
    if (f == NULL) {
        return NULL;
    }
    for (;;) {
        if (*len == cap) {
            cap = cap ? cap * 2 : 4096;
            uint8_t *grown = realloc(buf, cap);
            if (grown == NULL) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = grown;
        }
        size_t n = fread(buf + *len, 1, cap - *len, f);
        *len += n;
        if (n == 0) {
            break;
        }
    }
    fclose(f);
    return buf;
}

static void replay_file(const char *path)
{
    size_t len;
    uint8_t *buf = read_file(path, &len);

    if (buf == NULL) {
        fprintf(stderr, "replay: %s: cannot read\n", path);
        record(path, 0);
        return;
    }
    LLVMFuzzerTestOneInput(buf, len);
    free(buf);
    record(path, 1);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Files of a directory in name order, so runs are reproducible. */
static void replay_dir(const char *dir)
{
    DIR *d = opendir(dir);
    char *names[MAX_INPUTS];
    size_t n = 0;
    struct dirent *e;

    if (d == NULL) {
        fprintf(stderr, "replay: %s: cannot open directory\n", dir);
        record(dir, 0);
        return;
    }
    while ((e = readdir(d)) != NULL && n < MAX_INPUTS) {
        if (e->d_name[0] != '.') {
            names[n++] = strdup(e->d_name);
        }
    }
    closedir(d);
    qsort(names, n, sizeof names[0], cmp_names);
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        replay_file(path);
        free(names[i]);
    }
}

static void write_junit(unsigned ok, unsigned bad)
{
    const char *mode = getenv("CMOCKA_MESSAGE_OUTPUT");
    const char *file = getenv("CMOCKA_XML_FILE");
    FILE *f;

    if (mode == NULL || strcmp(mode, "xml") != 0 || file == NULL || (f = fopen(file, "w")) == NULL) {
        return;
    }
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<testsuites>\n"
               "  <testsuite name=\"replay\" tests=\"%u\" failures=\"%u\" errors=\"0\" "
               "skipped=\"0\" >\n", ok + bad, bad);
    for (unsigned i = 0; i < n_results; i++) {
        fprintf(f, "    <testcase name=\"%s\" >%s</testcase>\n", results[i].path,
                results[i].ok ? "" : "<failure message=\"cannot read\"></failure>");
    }
    fprintf(f, "  </testsuite>\n</testsuites>\n");
    fclose(f);
}

int main(int argc, char **argv)
{
    unsigned ok = 0, bad = 0;
    struct stat st;

    printf("[==========] Replaying corpus.\n");
    for (int i = 1; i < argc; i++) {
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            replay_dir(argv[i]);
        } else {
            replay_file(argv[i]);
        }
    }
    for (unsigned i = 0; i < n_results; i++) {
        ok += results[i].ok ? 1u : 0u;
        bad += results[i].ok ? 0u : 1u;
    }
    write_junit(ok, bad);
    for (unsigned i = 0; i < n_results; i++) {
        free(results[i].path);
    }
    return result_summary(ok, bad);
}
