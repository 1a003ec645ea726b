/*
 * test_migrate.c - `ffm-manifest --migrate-stateless`: the text edits (src/manifest/mf_migrate.c)
 * on block YAML and flow (JSON) manifests, FF-M 1.0 -> 1.1 with IRQs, comments and layout kept
 * byte for byte, the result accepted by the manifest library with the services stateless; the
 * errors (unknown service, IRQ that cannot keep its macro, YAML syntax) with their positions;
 * and the command: refusal from a stateless report (exit 2, manifest untouched), --force, the
 * guidance it prints, I/O and usage errors. Run from the repository root.
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

#include "manifest/manifest.h"
#include "manifest/migrate.h"
#include "test_files.h"

static char g_tool[1024];

/* ------------------------------------------------------------------ helpers */

static char *migrate_ok(const char *text, const char *const *svcs, size_t n,
                        struct ffm_migrate_result *r)
{
    assert_int_equal(ffm_migrate_text(text, strlen(text), svcs, n, r), 0);
    assert_non_null(r->text);
    assert_int_equal(r->len, strlen(r->text));
    return r->text;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static char *read_text(const char *path)
{
    char *text = test_read_file(path);
    assert_non_null(text);
    return text;
}

/* Load `text` as a single manifest with the manifest library: it must validate. */
static struct ffm_manifest_set *load_manifest(const char *text, const char *ext)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/ffm-migrate-test-%ld.%s", (long)getpid(), ext);
    write_text(path, text);
    const char *files[] = { path };
    struct ffm_manifest_options opt = { .profile = FFM_PROFILE_SPEC, .manifests = files,
                                        .n_manifests = 1 };
    struct ffm_manifest_set *set = NULL;
    enum ffm_manifest_status st = ffm_manifest_load(&opt, &set);
    if (st != FFM_MANIFEST_OK) {
        ffm_manifest_print_diags(set, stderr);
    }
    unlink(path);
    assert_int_equal(st, FFM_MANIFEST_OK);
    return set;
}

static const struct ffm_service_desc *service(const struct ffm_system_desc *d, const char *name)
{
    for (uint16_t i = 0; i < d->n_services; i++) {
        if (strcmp(d->services[i].name, name) == 0) {
            return &d->services[i];
        }
    }
    fail_msg("no service %s", name);
    return NULL;
}

/* ------------------------------------------------------------------ text edits */

static const char k_block11[] =
    "# top comment\n"
    "psa_framework_version: 1.1   # version comment\n"
    "name: T_SP\n"
    "type: PSA-ROT\n"
    "priority: NORMAL\n"
    "model: IPC\n"
    "entry_point: t_main\n"
    "stack_size: 0x400\n"
    "services:\n"
    "  - name: T_A        # the one to move\n"
    "    sid: 0xA0\n"
    "    non_secure_clients: true\n"
    "    connection_based: true   # was a session\n"
    "    version: 1\n"
    "  - name: T_B\n"
    "    sid: 0xA1\n"
    "    non_secure_clients: true\n"
    "    connection_based: true\n";

static void test_block_11(void **state)
{
    (void)state;
    const char *svcs[] = { "T_A" };
    struct ffm_migrate_result r;
    char *out = migrate_ok(k_block11, svcs, 1, &r);
    assert_false(r.upgraded);
    assert_int_equal(r.outcome[0], FFM_MIGRATE_MOVED);
    assert_string_equal(out,
                        "# top comment\n"
                        "psa_framework_version: 1.1   # version comment\n"
                        "name: T_SP\n"
                        "type: PSA-ROT\n"
                        "priority: NORMAL\n"
                        "model: IPC\n"
                        "entry_point: t_main\n"
                        "stack_size: 0x400\n"
                        "services:\n"
                        "  - name: T_A        # the one to move\n"
                        "    stateless_handle: auto\n"
                        "    sid: 0xA0\n"
                        "    non_secure_clients: true\n"
                        "    connection_based: false   # was a session\n"
                        "    version: 1\n"
                        "  - name: T_B\n"
                        "    sid: 0xA1\n"
                        "    non_secure_clients: true\n"
                        "    connection_based: true\n");
    struct ffm_manifest_set *set = load_manifest(out, "yaml");
    const struct ffm_system_desc *d = ffm_manifest_desc(set);
    assert_false(service(d, "T_A")->connection_based);
    assert_int_equal(service(d, "T_A")->stateless_index, 0);
    assert_true(service(d, "T_B")->connection_based);
    ffm_manifest_free(set);
    free(out);
}

static const char k_block10[] =
    "psa_framework_version: 1.0\n"
    "name: OLD_SP\n"
    "type: APPLICATION-ROT\n"
    "priority: LOW\n"
    "entry_point: old_main\n"
    "stack_size: 0x400\n"
    "services:\n"
    "  - name: OLD_A\n"
    "    sid: 0xB0\n"
    "    non_secure_clients: true\n"
    "  - name: OLD_B\n"
    "    sid: 0xB1\n"
    "    non_secure_clients: false\n"
    "irqs:\n"
    "  - source: 5\n"
    "    signal: TIMER_SIGNAL\n"
    "  - signal: \"UART_SIGNAL\"\n"
    "    source: 6";

static void test_upgrade_10(void **state)
{
    (void)state;
    const char *svcs[] = { "OLD_A" };
    struct ffm_migrate_result r;
    char *out = migrate_ok(k_block10, svcs, 1, &r);
    assert_true(r.upgraded);
    assert_string_equal(out,
                        "psa_framework_version: 1.1\n"
                        "model: IPC\n"
                        "name: OLD_SP\n"
                        "type: APPLICATION-ROT\n"
                        "priority: LOW\n"
                        "entry_point: old_main\n"
                        "stack_size: 0x400\n"
                        "services:\n"
                        "  - name: OLD_A\n"
                        "    connection_based: false\n"
                        "    stateless_handle: auto\n"
                        "    sid: 0xB0\n"
                        "    non_secure_clients: true\n"
                        "  - name: OLD_B\n"
                        "    connection_based: true\n"
                        "    sid: 0xB1\n"
                        "    non_secure_clients: false\n"
                        "irqs:\n"
                        "  - source: 5\n"
                        "    handling: SLIH\n"
                        "    name: TIMER\n"
                        "  - name: \"UART\"\n"
                        "    handling: SLIH\n"
                        "    source: 6");
    /* The same IRQ macros as before, now from the 1.1 form. */
    struct ffm_manifest_set *set = load_manifest(out, "yaml");
    const struct ffm_system_desc *d = ffm_manifest_desc(set);
    assert_int_equal(d->n_irqs, 2);
    assert_string_equal(d->irqs[0].name, "TIMER");
    assert_string_equal(d->irqs[1].name, "UART");
    assert_false(service(d, "OLD_A")->connection_based);
    assert_true(service(d, "OLD_B")->connection_based);
    assert_int_equal(d->partitions[0].ff_version, FFM_FF_VERSION_1_1);
    ffm_manifest_free(set);
    free(out);
}

static const char k_json[] =
    "{\n"
    "  \"psa_framework_version\": 1.1,\n"
    "  \"name\": \"J_SP\",\n"
    "  \"type\": \"PSA-ROT\",\n"
    "  \"priority\": \"NORMAL\",\n"
    "  \"model\": \"SFN\",\n"
    "  \"stack_size\": \"0x400\",\n"
    "  \"services\": [\n"
    "    {\n"
    "      \"name\": \"J_A\",\n"
    "      \"sid\": \"0xC0\",\n"
    "      \"non_secure_clients\": true,\n"
    "      \"connection_based\": true\n"
    "    }\n"
    "  ]\n"
    "}\n";

static void test_json(void **state)
{
    (void)state;
    const char *svcs[] = { "J_A" };
    struct ffm_migrate_result r;
    char *out = migrate_ok(k_json, svcs, 1, &r);
    assert_non_null(strstr(out, "      \"name\": \"J_A\",\n"
                                "      \"stateless_handle\": \"auto\",\n"
                                "      \"sid\": \"0xC0\",\n"));
    assert_non_null(strstr(out, "\"connection_based\": false\n"));
    struct ffm_manifest_set *set = load_manifest(out, "json");
    assert_false(service(ffm_manifest_desc(set), "J_A")->connection_based);
    ffm_manifest_free(set);
    free(out);
}

/* libyaml counts positions in characters: multi-byte UTF-8 before an edit must not shift it. */
static void test_utf8_before_edits(void **state)
{
    (void)state;
    static const char text[] = "# r\xc3\xa9" "f\xc3\xa9rence \xc2\xa7 7 \xe2\x80\x94 \xf0\x9f\x94\x92\n"
                               "psa_framework_version: 1.0\n"
                               "name: U_SP\n"
                               "description: \"caf\xc3\xa9\"\n"
                               "entry_point: u_main\n"
                               "services:\n"
                               "  - name: U_A # \xc2\xb5s\n"
                               "    sid: 0xD0\n";
    const char *svcs[] = { "U_A" };
    struct ffm_migrate_result r;
    char *out = migrate_ok(text, svcs, 1, &r);
    assert_string_equal(out, "# r\xc3\xa9" "f\xc3\xa9rence \xc2\xa7 7 \xe2\x80\x94 \xf0\x9f\x94\x92\n"
                             "psa_framework_version: 1.1\n"
                             "model: IPC\n"
                             "name: U_SP\n"
                             "description: \"caf\xc3\xa9\"\n"
                             "entry_point: u_main\n"
                             "services:\n"
                             "  - name: U_A # \xc2\xb5s\n"
                             "    connection_based: false\n"
                             "    stateless_handle: auto\n"
                             "    sid: 0xD0\n");
    free(out);
}

/* A file with CRLF line ends gets CRLF lines; a flow mapping inside block YAML gets its pair
 * inside the braces. */
static void test_crlf_and_flow_item(void **state)
{
    (void)state;
    static const char text[] = "psa_framework_version: 1.1\r\n"
                               "services:\r\n"
                               "  - {name: C_A, sid: 1, connection_based: true}\r\n"
                               "  - name: C_B\r\n"
                               "    sid: 2";
    const char *svcs[] = { "C_A", "C_B" };
    struct ffm_migrate_result r;
    char *out = migrate_ok(text, svcs, 2, &r);
    assert_string_equal(out, "psa_framework_version: 1.1\r\n"
                             "services:\r\n"
                             "  - {name: C_A,\r\n"
                             "     stateless_handle: auto, sid: 1, connection_based: false}\r\n"
                             "  - name: C_B\r\n"
                             "    connection_based: false\r\n"
                             "    stateless_handle: auto\r\n"
                             "    sid: 2");
    free(out);
}

static void test_already_stateless_is_unchanged(void **state)
{
    (void)state;
    const char *svcs[] = { "T_A" };
    struct ffm_migrate_result r, again;
    char *once = migrate_ok(k_block11, svcs, 1, &r);
    char *twice = migrate_ok(once, svcs, 1, &again);
    assert_int_equal(again.outcome[0], FFM_MIGRATE_ALREADY);
    assert_string_equal(twice, once);
    free(once);
    free(twice);
}

static void test_errors(void **state)
{
    (void)state;
    struct ffm_migrate_result r;
    const char *missing[] = { "T_NOPE" };
    assert_int_equal(ffm_migrate_text(k_block11, strlen(k_block11), missing, 1, &r), -1);
    assert_string_equal(r.err, "the manifest declares no service T_NOPE");
    assert_null(r.text);

    static const char bad_irq[] = "psa_framework_version: 1.0\n"
                                  "name: X\n"
                                  "services:\n"
                                  "  - name: X_A\n"
                                  "    sid: 1\n"
                                  "irqs:\n"
                                  "  - source: 3\n"
                                  "    signal: TICK\n";
    const char *xa[] = { "X_A" };
    assert_int_equal(ffm_migrate_text(bad_irq, strlen(bad_irq), xa, 1, &r), -1);
    assert_string_equal(r.err, "8:13: IRQ signal TICK does not end in _SIGNAL: under FF-M 1.1 "
                               "its macro is <name>_SIGNAL, so it cannot keep its name; upgrade "
                               "this IRQ by hand");

    static const char syntax[] = "psa_framework_version: 1.1\nservices: [\n";
    assert_int_equal(ffm_migrate_text(syntax, strlen(syntax), xa, 1, &r), -1);
    assert_non_null(strstr(r.err, "YAML error"));
    assert_true(r.err[0] >= '1' && r.err[0] <= '9'); /* LINE:COL: first */

    static const char nested_first[] = "psa_framework_version: 1.1\n"
                                       "services:\n"
                                       "  - tags: [a, b]\n"
                                       "    name: X_A\n"
                                       "    connection_based: true\n";
    assert_int_equal(ffm_migrate_text(nested_first, strlen(nested_first), xa, 1, &r), -1);
    assert_string_equal(r.err, "3:11: cannot add stateless_handle here: the mapping's first "
                               "value is not a scalar; add it by hand");

    static const char no_version[] = "name: X\n";
    assert_int_equal(ffm_migrate_text(no_version, strlen(no_version), xa, 1, &r), -1);
    assert_string_equal(r.err, "no psa_framework_version: not a partition manifest");
}

/* ------------------------------------------------------------------ the command */

struct files {
    char dir[64];
    char manifest[96];
    char report[96];
    char out[96];
    char err[96];
};

static int setup(void **state)
{
    struct files *f = calloc(1, sizeof *f);
    if (f == NULL) {
        return -1;
    }
    snprintf(f->dir, sizeof f->dir, "/tmp/ffm-migrate-cli-XXXXXX");
    if (mkdtemp(f->dir) == NULL) {
        free(f);
        return -1;
    }
    snprintf(f->manifest, sizeof f->manifest, "%s/sp.yaml", f->dir);
    snprintf(f->report, sizeof f->report, "%s/report.json", f->dir);
    snprintf(f->out, sizeof f->out, "%s/out.txt", f->dir);
    snprintf(f->err, sizeof f->err, "%s/err.txt", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct files *f = *state;
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    int rc = system(cmd);
    free(f);
    return rc == 0 ? 0 : -1;
}

static int run(const struct files *f, const char *args)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' %s >'%s' 2>'%s'", g_tool, args, f->out, f->err);
    int st = system(cmd);
    assert_true(WIFEXITED(st));
    return WEXITSTATUS(st);
}

static const char k_report[] =
    "{\"ffm_stateless_report\":1,\"limit\":\"\\\"can be stateless\\\" means ...\",\"services\":[\n"
    "  {\"name\":\"T_A\",\"verdict\":\"cannot\",\"evidence\":\"rhandle\",\"reason\":\"uses "
    "rhandle to keep per-connection state between messages\"},\n"
    "  {\"name\":\"T_B\",\"verdict\":\"can\",\"evidence\":\"\",\"reason\":\"no evidence\"}\n"
    "],\"partitions\":[]}\n";

static void test_cli_refuses_from_report(void **state)
{
    struct files *f = *state;
    char args[512];
    write_text(f->manifest, k_block11);
    write_text(f->report, k_report);
    snprintf(args, sizeof args, "--migrate-stateless T_B,T_A --report %s %s", f->report,
             f->manifest);
    assert_int_equal(run(f, args), 2);
    char *err = read_text(f->err);
    char want[512];
    snprintf(want, sizeof want,
             "ffm-manifest: T_A: refused: %s says it cannot be stateless: uses rhandle to keep "
             "per-connection state between messages\n"
             "ffm-manifest: nothing changed; --force migrates anyway\n",
             f->report);
    assert_string_equal(err, want);
    free(err);
    char *now = read_text(f->manifest);
    assert_string_equal(now, k_block11); /* untouched */
    free(now);
}

static void test_cli_force_and_guidance(void **state)
{
    struct files *f = *state;
    char args[512];
    write_text(f->manifest, k_block11);
    write_text(f->report, k_report);
    chmod(f->manifest, 0640);
    snprintf(args, sizeof args, "--migrate-stateless=T_A,T_C --force --report %s %s", f->report,
             f->manifest);
    /* T_C is not in the manifest: nothing is written, the report notes it first */
    assert_int_equal(run(f, args), 2);
    char *none = read_text(f->err);
    assert_non_null(strstr(none, "ffm-manifest: note: T_C is not a connection-based service of "
                                 "the reported run: no evidence either way\n"));
    free(none);
    snprintf(args, sizeof args, "--migrate-stateless=T_A --force --report %s %s", f->report,
             f->manifest);
    assert_int_equal(run(f, args), 0);
    char *out = read_text(f->out);
    assert_non_null(strstr(out, "T_A is now stateless (connection_based: false, "
                                "stateless_handle: auto)\n"));
    assert_non_null(strstr(out, "psa_call(T_A_HANDLE, type, in_vec, in_len, out_vec, "
                                "out_len);\n"));
    assert_non_null(strstr(out, "call psa_set_rhandle (a PROGRAMMER ERROR for a stateless "
                                "service, RH-02)"));
    free(out);
    char *err = read_text(f->err);
    assert_non_null(strstr(err, "T_A: warning (--force): "));
    free(err);
    char *now = read_text(f->manifest);
    assert_non_null(strstr(now, "    connection_based: false   # was a session\n"));
    free(now);
    struct stat st;
    assert_int_equal(stat(f->manifest, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640); /* the rewrite keeps the permissions */
    /* A second run has nothing to do. */
    snprintf(args, sizeof args, "--migrate-stateless T_A %s", f->manifest);
    assert_int_equal(run(f, args), 0);
    out = read_text(f->out);
    assert_non_null(strstr(out, "T_A is already stateless: unchanged\n"));
    free(out);
}

static void test_cli_errors(void **state)
{
    struct files *f = *state;
    char args[512];
    write_text(f->manifest, k_block11);
    assert_int_equal(run(f, "--migrate-stateless T_A"), 2); /* no MANIFEST */
    snprintf(args, sizeof args, "--migrate-stateless T_A --bogus %s", f->manifest);
    assert_int_equal(run(f, args), 2);
    snprintf(args, sizeof args, "--migrate-stateless T_A %s/missing.yaml", f->dir);
    assert_int_equal(run(f, args), 1);
    snprintf(args, sizeof args, "--migrate-stateless T_X %s", f->manifest);
    assert_int_equal(run(f, args), 2);
    char *err = read_text(f->err);
    char want[256];
    snprintf(want, sizeof want, "ffm-manifest: %s: the manifest declares no service T_X\n",
             f->manifest);
    assert_string_equal(err, want);
    free(err);
    write_text(f->report, "{\"services\": [}\n");
    snprintf(args, sizeof args, "--migrate-stateless T_A --report %s %s", f->report,
             f->manifest);
    assert_int_equal(run(f, args), 2);
    write_text(f->report, "{\"services\": []}\n");
    assert_int_equal(run(f, args), 2); /* not a stateless report */
    err = read_text(f->err);
    assert_non_null(strstr(err, "not a report written by ffm-sim --stateless-report"));
    free(err);
    char *now = read_text(f->manifest);
    assert_string_equal(now, k_block11);
    free(now);
}

int main(int argc, char **argv)
{
    (void)argc;
    test_tool_path(argv[0], "ffm-manifest", g_tool, sizeof g_tool);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_block_11),
        cmocka_unit_test(test_upgrade_10),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_utf8_before_edits),
        cmocka_unit_test(test_crlf_and_flow_item),
        cmocka_unit_test(test_already_stateless_is_unchanged),
        cmocka_unit_test(test_errors),
        cmocka_unit_test_setup_teardown(test_cli_refuses_from_report, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cli_force_and_guidance, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cli_errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
