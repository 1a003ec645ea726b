/*
 * test_manifest_dual.c - TF-M's `model: dual` (the partition takes the build's backend) and
 * the shared command-line helpers: the backend from the options or from
 * CONFIG_TFM_SPM_BACKEND, the unused entry ignored, exact diagnostics when no backend or a
 * bad one is given, and `model: dual` still refused where FF-M 1.0 applies.
 * Run from the repository root.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "manifest/manifest.h"

#define DUAL "tests/fixtures/manifest/dual/"

struct outcome {
    enum ffm_manifest_status st;
    char diags[2048];
    uint8_t model[2];
    const char *entry[2];
    struct ffm_manifest_set *set;
};

/* Load `manifest` (positional) with the backend and -D definitions given; diagnostics are
 * joined, one per line. The caller frees o->set. */
static void load(struct outcome *o, const char *manifest, enum ffm_backend backend,
                 const char *define)
{
    const char *manifests[] = {manifest};
    const char *defines[] = {define};
    struct ffm_manifest_options opt = {.manifests = manifests, .n_manifests = 1,
                                       .defines = defines, .n_defines = define != NULL,
                                       .backend = backend};
    memset(o, 0, sizeof *o);
    o->st = ffm_manifest_load(&opt, &o->set);
    assert_non_null(o->set);
    for (size_t i = 0; i < ffm_manifest_diag_count(o->set); i++) {
        char line[1024];
        ffm_manifest_format_diag(ffm_manifest_diag_at(o->set, i), line, sizeof line);
        strncat(o->diags, line, sizeof o->diags - strlen(o->diags) - 2);
        strcat(o->diags, "\n");
    }
    const struct ffm_system_desc *d = ffm_manifest_desc(o->set);
    for (uint16_t p = 0; d != NULL && p < d->n_partitions && p < 2; p++) {
        o->model[p] = d->partitions[p].model;
        o->entry[p] = d->partitions[p].entry;
    }
}

/* The manifest loads cleanly and its partition gets `model` and `entry` (NULL: none). */
static void expect_model(const char *manifest, enum ffm_backend backend, const char *define,
                         uint8_t model, const char *entry)
{
    struct outcome o;
    load(&o, manifest, backend, define);
    assert_int_equal(o.st, FFM_MANIFEST_OK);
    assert_string_equal(o.diags, "");
    assert_int_equal(o.model[0], model);
    if (entry == NULL) {
        assert_null(o.entry[0]);
    } else {
        assert_string_equal(o.entry[0], entry);
    }
    ffm_manifest_free(o.set);
}

/* The unused entry is ignored: entry_init under IPC, entry_point under SFN. */
static void test_backend_option_picks_model(void **state)
{
    (void)state;
    expect_model(DUAL "both_entries.yaml", FFM_BACKEND_IPC, NULL, FFM_MODEL_IPC, "both_main");
    expect_model(DUAL "both_entries.yaml", FFM_BACKEND_SFN, NULL, FFM_MODEL_SFN, "both_init");
    /* no entry_init: no entry, as TF-M */
    expect_model(DUAL "point_only.yaml", FFM_BACKEND_SFN, NULL, FFM_MODEL_SFN, NULL);
}

/* CONFIG_TFM_SPM_BACKEND (TF-M's values IPC and SFN) when no --backend; --backend wins. */
static void test_backend_from_config(void **state)
{
    (void)state;
    expect_model(DUAL "both_entries.yaml", FFM_BACKEND_NONE, "CONFIG_TFM_SPM_BACKEND=SFN",
                 FFM_MODEL_SFN, "both_init");
    expect_model(DUAL "both_entries.yaml", FFM_BACKEND_NONE, "CONFIG_TFM_SPM_BACKEND=IPC",
                 FFM_MODEL_IPC, "both_main");
    expect_model(DUAL "both_entries.yaml", FFM_BACKEND_IPC, "CONFIG_TFM_SPM_BACKEND=SFN",
                 FFM_MODEL_IPC, "both_main");
}

static void test_backend_missing_or_bad(void **state)
{
    (void)state;
    struct outcome o;
    load(&o, DUAL "point_only.yaml", FFM_BACKEND_NONE, NULL);
    assert_int_equal(o.st, FFM_MANIFEST_INVALID);
    assert_string_equal(o.diags,
                        DUAL "point_only.yaml:5:8: error: model: \"dual\" needs a backend: give "
                             "--backend ipc|sfn, or define CONFIG_TFM_SPM_BACKEND as IPC or SFN "
                             "[MAN-10]\n");
    ffm_manifest_free(o.set);
    load(&o, DUAL "point_only.yaml", FFM_BACKEND_NONE, "CONFIG_TFM_SPM_BACKEND=ipc");
    assert_int_equal(o.st, FFM_MANIFEST_INVALID);
    assert_string_equal(o.diags,
                        DUAL "point_only.yaml:5:8: error: model: \"dual\" takes the backend from "
                             "CONFIG_TFM_SPM_BACKEND, which is \"ipc\", not IPC or SFN "
                             "[MAN-10]\n");
    ffm_manifest_free(o.set);
}

/* FF-M 1.0 partitions are IPC; dual is a 1.1 (TF-M) value. A plain IPC partition still may
 * not name entry_init: only dual partitions have an unused entry to ignore. */
static void test_dual_rules_kept(void **state)
{
    (void)state;
    struct outcome o;
    load(&o, DUAL "ff10.yaml", FFM_BACKEND_IPC, NULL);
    assert_int_equal(o.st, FFM_MANIFEST_INVALID);
    assert_string_equal(o.diags, DUAL "ff10.yaml:5:8: error: model: dual requires "
                                      "psa_framework_version 1.1 [MAN-13]\n");
    ffm_manifest_free(o.set);
    load(&o, DUAL "ipc_with_init.yaml", FFM_BACKEND_SFN, NULL);
    assert_int_equal(o.st, FFM_MANIFEST_INVALID);
    assert_string_equal(o.diags, DUAL "ipc_with_init.yaml:7:13: error: entry_init: not allowed "
                                      "in an IPC partition [MAN-14]\n");
    ffm_manifest_free(o.set);
}

static void test_cli_helpers(void **state)
{
    (void)state;
    enum ffm_backend b = FFM_BACKEND_NONE;
    assert_true(ffm_manifest_backend_parse("IPC", &b));
    assert_int_equal(b, FFM_BACKEND_IPC);
    assert_true(ffm_manifest_backend_parse("sfn", &b));
    assert_int_equal(b, FFM_BACKEND_SFN);
    assert_false(ffm_manifest_backend_parse("dual", &b));
    assert_int_equal(b, FFM_BACKEND_SFN);
    assert_true(ffm_manifest_define_ok("TFM_PARTITION_IPC_TEST"));
    assert_true(ffm_manifest_define_ok("CONFIG_TFM_SPM_BACKEND=SFN"));
    assert_true(ffm_manifest_define_ok("A=x=y"));
    assert_false(ffm_manifest_define_ok("=1"));
    assert_false(ffm_manifest_define_ok("1A"));
    assert_false(ffm_manifest_define_ok("A B=1"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_backend_option_picks_model),
        cmocka_unit_test(test_backend_from_config),
        cmocka_unit_test(test_backend_missing_or_bad),
        cmocka_unit_test(test_dual_rules_kept),
        cmocka_unit_test(test_cli_helpers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
