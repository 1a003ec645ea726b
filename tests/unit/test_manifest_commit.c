/*
 * test_manifest_commit.c - ffm-manifest's output is all or nothing (MAN-32): when one file
 * cannot be put in place (pid.h blocked by a directory), the files already replaced get their
 * previous content and inode back, no new file appears and no temporary file is left.
 * Run from the repository root.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "manifest/manifest.h"

#define LIST "tests/fixtures/manifest/config/list.yaml"

/* Generate the headers of the list with EVIL defined as `evil` into `outdir`; returns the
 * status and the first diagnostic in `diag`. */
static enum ffm_manifest_status generate(const char *outdir, const char *evil, char *diag,
                                         size_t size)
{
    const char *lists[] = {LIST};
    const char *defines[] = {evil};
    struct ffm_manifest_options o = {.lists = lists, .n_lists = 1, .defines = defines,
                                     .n_defines = 1};
    struct ffm_manifest_set *set = NULL;
    enum ffm_manifest_status st = ffm_manifest_load(&o, &set);
    assert_int_equal(st, FFM_MANIFEST_OK);
    st = ffm_manifest_write_headers(set, outdir);
    diag[0] = '\0';
    if (ffm_manifest_diag_count(set) > 0) {
        ffm_manifest_format_diag(ffm_manifest_diag_at(set, 0), diag, size);
    }
    ffm_manifest_free(set);
    return st;
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = calloc(1, 65536);
    assert_non_null(buf);
    size_t n = fread(buf, 1, 65535, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* The names in `dir`, sorted, comma-separated. */
static void list_dir(const char *dir, char *out, size_t size)
{
    struct dirent **names = NULL;
    int n = scandir(dir, &names, NULL, alphasort);
    assert_true(n >= 0);
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (names[i]->d_name[0] != '.') {
            strncat(out, names[i]->d_name, size - strlen(out) - 1);
            strncat(out, ",", size - strlen(out) - 1);
        }
        free(names[i]);
    }
    free(names);
}

static void test_blocked_pid_h_leaves_the_previous_set(void **state)
{
    (void)state;
    char outdir[] = "/tmp/ffm-commit-test-XXXXXX";
    assert_non_null(mkdtemp(outdir));
    char sid[128], pid[128], pid_child[160], dir[128], diag[512], names[512];
    snprintf(sid, sizeof sid, "%s/psa_manifest/sid.h", outdir);
    snprintf(pid, sizeof pid, "%s/psa_manifest/pid.h", outdir);
    snprintf(pid_child, sizeof pid_child, "%s/keep", pid);
    snprintf(dir, sizeof dir, "%s/psa_manifest", outdir);
    /* The previous set: EVIL off, no partition. */
    assert_int_equal(generate(outdir, "EVIL=0", diag, sizeof diag), FFM_MANIFEST_OK);
    struct stat before, after;
    assert_int_equal(stat(sid, &before), 0);
    char *old_sid = read_all(sid);
    /* pid.h blocked: a non-empty directory cannot be replaced by a file. */
    assert_int_equal(unlink(pid), 0);
    assert_int_equal(mkdir(pid, 0755), 0);
    FILE *f = fopen(pid_child, "w");
    assert_non_null(f);
    fclose(f);
    /* The new set (EVIL on) changes sid.h and adds evil_sp.h: none of it may land. */
    assert_int_equal(generate(outdir, "EVIL=1", diag, sizeof diag), FFM_MANIFEST_IO_ERROR);
    char expected[512];
    snprintf(expected, sizeof expected, "%s: error: cannot rename into place: Is a directory",
             pid);
    assert_string_equal(diag, expected);
    assert_int_equal(stat(sid, &after), 0);
    assert_int_equal(after.st_ino, before.st_ino);
    char *new_sid = read_all(sid);
    assert_string_equal(new_sid, old_sid);
    list_dir(dir, names, sizeof names);
    assert_string_equal(names, "pid.h,sid.h,"); /* no evil_sp.h, no temporary or backup */
    /* Unblocked, the same run goes through. */
    assert_int_equal(unlink(pid_child), 0);
    assert_int_equal(rmdir(pid), 0);
    assert_int_equal(generate(outdir, "EVIL=1", diag, sizeof diag), FFM_MANIFEST_OK);
    list_dir(dir, names, sizeof names);
    assert_string_equal(names, "evil_sp.h,pid.h,sid.h,");
    free(old_sid);
    free(new_sid);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", outdir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blocked_pid_h_leaves_the_previous_set),
    };
    return cmocka_run_group_tests_name("manifest_commit", tests, NULL, NULL);
}
