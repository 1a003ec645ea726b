/*
 * replay.c - runs a libFuzzer target over corpus files without libFuzzer, so the corpora are
 * replayed by every `make test` (SQLite's discipline: a crash found once stays fixed).
 *
 *   replay-<target> FILE_OR_DIR...
 *
 * Each file is one test; a target that aborts kills the run (the suite fails). Output uses
 * CMocka's summary lines so scripts/run-tests.sh counts the files.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "replay: %s: cannot open\n", path);
        return 0;
    }
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 4096;
            uint8_t *grown = realloc(buf, cap);
            if (grown == NULL) {
                free(buf);
                fclose(f);
                fprintf(stderr, "replay: %s: out of memory\n", path);
                return 0;
            }
            buf = grown;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0) {
            break;
        }
    }
    fclose(f);
    LLVMFuzzerTestOneInput(buf, len);
    free(buf);
    printf("[       OK ] %s\n", path);
    return 1;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Files of a directory in name order, so runs are reproducible. */
static void replay_dir(const char *dir, unsigned *ok, unsigned *bad)
{
    DIR *d = opendir(dir);
    char *names[4096];
    size_t n = 0;
    struct dirent *e;

    if (d == NULL) {
        fprintf(stderr, "replay: %s: cannot open directory\n", dir);
        (*bad)++;
        return;
    }
    while ((e = readdir(d)) != NULL && n < sizeof names / sizeof names[0]) {
        if (e->d_name[0] != '.') {
            names[n++] = strdup(e->d_name);
        }
    }
    closedir(d);
    qsort(names, n, sizeof names[0], cmp_names);
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (replay_file(path)) {
            (*ok)++;
        } else {
            (*bad)++;
        }
        free(names[i]);
    }
}

int main(int argc, char **argv)
{
    unsigned ok = 0, bad = 0;
    struct stat st;

    printf("[==========] Replaying corpus.\n");
    for (int i = 1; i < argc; i++) {
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            replay_dir(argv[i], &ok, &bad);
        } else if (replay_file(argv[i])) {
            ok++;
        } else {
            bad++;
        }
    }
    printf("[==========] %u test(s) run.\n", ok + bad);
    if (ok > 0) {
        printf("[  PASSED  ] %u test(s).\n", ok);
    }
    if (bad > 0) {
        printf("[  FAILED  ] %u test(s)\n", bad);
    }
    return bad == 0 && ok > 0 ? 0 : 1;
}
