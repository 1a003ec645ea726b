/*
 * test_manifest_cli.c - the ffm-manifest command (MAN-31..33, MAN-40..44): exit codes 0/1/2,
 * the exact stderr of an invalid run, OUTDIR byte-identical after an invalid run (MAN-32),
 * unchanged outputs not rewritten on a re-run, written files equal to the goldens, --help.
 * The binary is found next to this suite's directory (build/tests/.. -> build/ffm-manifest).
 * Run from the repository root.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#define FIX "tests/fixtures/manifest/"
#define TFM_ARGS "-m " FIX "tfm/tfm_manifest_list.yaml -c " FIX "tfm/config.h "

/* Per-test state: the tool's path and a fresh output directory. */
struct cli {
    char tool[1024];
    char outdir[64];
    char err[96]; /* stderr capture file */
};

static int setup(void **state)
{
    struct cli *c = calloc(1, sizeof *c);
    if (c == NULL) {
        return -1;
    }
    snprintf(c->tool, sizeof c->tool, "%s", (const char *)*state);
    snprintf(c->outdir, sizeof c->outdir, "/tmp/ffm-manifest-test-XXXXXX");
    if (mkdtemp(c->outdir) == NULL) {
        free(c);
        return -1;
    }
    snprintf(c->err, sizeof c->err, "%s.stderr", c->outdir);
    *state = c;
    return 0;
}

static int teardown(void **state)
{
    struct cli *c = *state;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", c->outdir, c->err);
    int rc = system(cmd);
    free(c);
    return rc == 0 ? 0 : -1;
}

/* Run the tool with `args`, stdout to /dev/null, stderr to c->err; returns the exit status. */
static int run(const struct cli *c, const char *fmt, ...)
{
    char args[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "'%s' %s >/dev/null 2>'%s'", c->tool, args, c->err);
    int st = system(cmd);
    assert_true(WIFEXITED(st));
    return WEXITSTATUS(st);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    char *buf = calloc(1, 1 << 16);
    assert_non_null(buf);
    size_t n = fread(buf, 1, (1 << 16) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void assert_file_equals(const char *path, const char *golden)
{
    char *got = slurp(path), *want = slurp(golden);
    assert_non_null(got);
    assert_non_null(want);
    assert_string_equal(got, want);
    free(got);
    free(want);
}

static void assert_stderr(const struct cli *c, const char *want)
{
    char *got = slurp(c->err);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

/* A listing of every file under outdir with size, inode, mtime and content checksum. */
static char *snapshot(const struct cli *c)
{
    char cmd[512];
    char list[128];
    snprintf(list, sizeof list, "%s.snapshot", c->outdir);
    snprintf(cmd, sizeof cmd,
             "cd '%s' && find . -type f | LC_ALL=C sort | while read f; do "
             "printf '%%s %%s ' \"$f\" \"$(ls -i \"$f\" | cut -d' ' -f1)\"; "
             "cksum < \"$f\"; done > '%s'",
             c->outdir, list);
    assert_int_equal(system(cmd), 0);
    char *text = slurp(list);
    unlink(list);
    assert_non_null(text);
    return text;
}

static char *path_in(const struct cli *c, const char *rel)
{
    static const size_t size = 512;
    char *p = malloc(size);
    assert_non_null(p);
    snprintf(p, size, "%s/%s", c->outdir, rel);
    return p;
}

/* ------------------------------------------------------------------ tests */

static void test_help_and_version(void **state)
{
    struct cli *c = *state;
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "'%s' --help > '%s'", c->tool, c->err);
    assert_int_equal(system(cmd), 0);
    char *out = slurp(c->err);
    assert_non_null(out);
    assert_memory_equal(out, "usage: ffm-manifest [-m LIST]...", 32);
    assert_non_null(strstr(out, "Exit status: 0 success, 1 I/O failure, 2 invalid input or "
                                "usage.\n"));
    free(out);
    snprintf(cmd, sizeof cmd, "'%s' --version > '%s'", c->tool, c->err);
    assert_int_equal(system(cmd), 0);
    out = slurp(c->err);
    assert_string_equal(out, "ffm-manifest 1.0.0\n");
    free(out);
}

static void test_usage_errors_exit_2(void **state)
{
    struct cli *c = *state;
    assert_int_equal(run(c, "--bogus"), 2);
    assert_stderr(c, "ffm-manifest: unknown option --bogus\nTry 'ffm-manifest --help'.\n");
    assert_int_equal(run(c, "--profile fast " FIX "good/ipc.yaml"), 2);
    assert_stderr(c, "ffm-manifest: --profile must be spec or tfm, not fast\n"
                     "Try 'ffm-manifest --help'.\n");
    assert_int_equal(run(c, "-o '%s'", c->outdir), 2);
    assert_stderr(c, "ffm-manifest: no manifest list or manifest given\n"
                     "Try 'ffm-manifest --help'.\n");
    /* A -D whose NAME could never match a `conditional` is a usage error, not a silent no-op. */
    assert_int_equal(run(c, "-D =1 " FIX "good/ipc.yaml"), 2);
    assert_stderr(c, "ffm-manifest: -D needs NAME[=VALUE] with NAME a C identifier, not =1\n"
                     "Try 'ffm-manifest --help'.\n");
    assert_int_equal(run(c, "-D 'A B=1' " FIX "good/ipc.yaml"), 2);
    assert_stderr(c, "ffm-manifest: -D needs NAME[=VALUE] with NAME a C identifier, not A B=1\n"
                     "Try 'ffm-manifest --help'.\n");
    assert_int_equal(run(c, "-D"), 2);
    assert_stderr(c, "ffm-manifest: missing value for -D\nTry 'ffm-manifest --help'.\n");
    assert_int_equal(run(c, "--backend arm " FIX "good/ipc.yaml"), 2);
    assert_stderr(c, "ffm-manifest: --backend must be ipc or sfn, not arm\n"
                     "Try 'ffm-manifest --help'.\n");
}

/* MAN-40..44: the written files equal the goldens; exit 0, nothing on stderr. */
static void test_generates_goldens(void **state)
{
    struct cli *c = *state;
    assert_int_equal(run(c, TFM_ARGS "-D TFM_PARTITION_NS_AGENT_MAILBOX=1 -o '%s'", c->outdir),
                     0);
    assert_stderr(c, "");
    char *sid = path_in(c, "psa_manifest/sid.h"), *pid = path_in(c, "psa_manifest/pid.h");
    char *agent = path_in(c, "secure_fw/partitions/ns_agent_mailbox/psa_manifest/"
                             "ns_agent_mailbox.h");
    assert_file_equals(sid, FIX "golden/tfm_sid.h");
    assert_file_equals(pid, FIX "golden/tfm_pid.h");
    assert_file_equals(agent, FIX "golden/ns_agent_mailbox.h");
    free(sid);
    free(pid);
    free(agent);
}

/* MAN-42: generated headers are self-contained: each compiles on its own as strict C99
 * (with the project's include/ for <psa/service.h>), twice in a row (include guards). */
static void test_headers_compile(void **state)
{
    struct cli *c = *state;
    assert_int_equal(run(c, TFM_ARGS "-D TFM_PARTITION_NS_AGENT_MAILBOX=1 -o '%s' %s %s",
                         c->outdir, FIX "good/ipc.yaml", FIX "good/driver_partition_psa.json"),
                     0);
    static const char *const headers[] = {
        "psa_manifest/sid.h", "psa_manifest/pid.h", "psa_manifest/ipc.h",
        "psa_manifest/driver_partition_psa.h",
        "secure_fw/partitions/ns_agent_mailbox/psa_manifest/ns_agent_mailbox.h",
        "secure_fw/partitions/crypto/psa_manifest/tfm_crypto.h"};
    for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++) {
        char cmd[1024];
        snprintf(cmd, sizeof cmd,
                 "printf '#include \"%s/%s\"\\n#include \"%s/%s\"\\ntypedef int tu_not_empty;\\n' | "
                 "${CC:-cc} -std=c99 -pedantic -Wall -Wextra -Werror -Iinclude -fsyntax-only "
                 "-x c -",
                 c->outdir, headers[i], c->outdir, headers[i]);
        assert_int_equal(system(cmd), 0);
    }
}

/* MAN-32: an invalid run exits 2 with FILE:LINE:COL and leaves OUTDIR byte-identical. */
static void test_invalid_run_touches_nothing(void **state)
{
    struct cli *c = *state;
    assert_int_equal(run(c, TFM_ARGS "-o '%s'", c->outdir), 0);
    char *before = snapshot(c);
    assert_int_equal(run(c, TFM_ARGS "-o '%s' " FIX "bad/man21_value_33.yaml", c->outdir), 2);
    assert_stderr(c, FIX "bad/man21_value_33.yaml:13:23: error: services[0].stateless_handle: "
                         "33 outside 1..32 [MAN-21]\n");
    char *after = snapshot(c);
    assert_string_equal(after, before);
    free(after);
    /* A cross-partition error (MAN-18) found after every file parsed: still nothing written. */
    assert_int_equal(run(c, "-o '%s' %s %s", c->outdir, FIX "bad/dup_one.yaml",
                         FIX "bad/dup_three.yaml"),
                     2);
    after = snapshot(c);
    assert_string_equal(after, before);
    free(after);
    free(before);
}

/* A re-run on unchanged input leaves every output untouched (same inode: never replaced);
 * a change replaces only the files whose content changed. */
static void test_rerun_keeps_unchanged_files(void **state)
{
    struct cli *c = *state;
    assert_int_equal(run(c, TFM_ARGS "-o '%s'", c->outdir), 0);
    char *sid = path_in(c, "psa_manifest/sid.h");
    char *crypto = path_in(c, "secure_fw/partitions/crypto/psa_manifest/tfm_crypto.h");
    struct stat sid1, crypto1, sid2, crypto2;
    assert_int_equal(stat(sid, &sid1), 0);
    assert_int_equal(stat(crypto, &crypto1), 0);
    char *before = snapshot(c);
    assert_int_equal(run(c, TFM_ARGS "-o '%s'", c->outdir), 0);
    char *after = snapshot(c);
    assert_string_equal(after, before);
    assert_int_equal(stat(sid, &sid2), 0);
    assert_int_equal(sid2.st_mtim.tv_sec, sid1.st_mtim.tv_sec);
    assert_int_equal(sid2.st_mtim.tv_nsec, sid1.st_mtim.tv_nsec); /* not just the same second */
    assert_int_equal(sid2.st_ino, sid1.st_ino);
    /* Enabling the agent changes sid.h and pid.h but not the crypto header. */
    assert_int_equal(run(c, TFM_ARGS "-D TFM_PARTITION_NS_AGENT_MAILBOX=on -o '%s'",
                         c->outdir),
                     0);
    assert_int_equal(stat(sid, &sid2), 0);
    assert_int_equal(stat(crypto, &crypto2), 0);
    assert_int_not_equal(sid2.st_ino, sid1.st_ino);
    assert_int_equal(crypto2.st_ino, crypto1.st_ino);
    assert_int_equal(crypto2.st_mtim.tv_sec, crypto1.st_mtim.tv_sec);
    assert_int_equal(crypto2.st_mtim.tv_nsec, crypto1.st_mtim.tv_nsec);
    assert_file_equals(sid, FIX "golden/tfm_sid.h");
    free(before);
    free(after);
    free(sid);
    free(crypto);
}

/* Exit 1 on I/O failure: an unreadable input, and an OUTDIR that cannot be created. */
static void test_io_failures_exit_1(void **state)
{
    struct cli *c = *state;
    assert_int_equal(run(c, "-o '%s' %s", c->outdir, FIX "bad/no_such_file.yaml"), 1);
    assert_stderr(c, FIX "bad/no_such_file.yaml: error: cannot open: No such file or "
                         "directory\n");
    assert_int_equal(run(c, "-o %s %s", FIX "good/ipc.yaml", FIX "good/ipc.yaml"), 1);
    assert_stderr(c, FIX "good/ipc.yaml/psa_manifest: error: cannot create directory: Not a "
                         "directory\n");
}

/* MAN-33: warnings print with "warning:" and keep exit 0 unless --werror. */
static void test_werror(void **state)
{
    struct cli *c = *state;
    const char *warn = FIX "bad/man21_warn_cb.yaml:13:23: warning: services[0]."
                           "stateless_handle: ignored on a connection-based service [MAN-21]\n";
    assert_int_equal(run(c, "-o '%s' %s", c->outdir, FIX "bad/man21_warn_cb.yaml"), 0);
    assert_stderr(c, warn);
    char *bad = path_in(c, "psa_manifest/man21_warn_cb.h");
    assert_int_equal(unlink(bad), 0);
    assert_int_equal(run(c, "--werror -o '%s' %s", c->outdir, FIX "bad/man21_warn_cb.yaml"), 2);
    assert_stderr(c, warn);
    struct stat st;
    assert_int_not_equal(stat(bad, &st), 0); /* not written again */
    free(bad);
}

/* MAN-29 through the CLI: checked only with --platform-regions. */
static void test_platform_regions(void **state)
{
    struct cli *c = *state;
    assert_int_equal(run(c, "-o '%s' %s", c->outdir, FIX "bad/man29_region.yaml"), 0);
    assert_int_equal(run(c, "--platform-regions A,B -o '%s' %s", c->outdir,
                         FIX "bad/man29_region.yaml"),
                     2);
    assert_stderr(c, FIX "bad/man29_region.yaml:14:11: error: mmio_regions[0].name: "
                         "NO_SUCH_REGION is not a region of the platform [MAN-29]\n");
    assert_int_equal(run(c, "--platform-regions A,NO_SUCH_REGION -o '%s' %s", c->outdir,
                         FIX "bad/man29_region.yaml"),
                     0);
}

int main(int argc, char **argv)
{
    (void)argc;
    /* build/tests/test_manifest_cli -> build/ffm-manifest */
    char tool[1024];
    snprintf(tool, sizeof tool, "%s", argv[0]);
    char *slash = strrchr(tool, '/');
    if (slash != NULL) {
        *slash = '\0';
    } else {
        snprintf(tool, sizeof tool, ".");
    }
    strncat(tool, "/../ffm-manifest", sizeof tool - strlen(tool) - 1);
#define T(fn) cmocka_unit_test_prestate_setup_teardown(fn, setup, teardown, tool)
    const struct CMUnitTest tests[] = {
        T(test_help_and_version),           T(test_usage_errors_exit_2),
        T(test_generates_goldens),          T(test_invalid_run_touches_nothing),
        T(test_rerun_keeps_unchanged_files), T(test_io_failures_exit_1),
        T(test_werror),                     T(test_platform_regions),
        T(test_headers_compile),
    };
#undef T
    return cmocka_run_group_tests_name("manifest_cli", tests, NULL, NULL);
}
