/*
 * test_manifest_limits.c - a system ffm-manifest accepts is one the SPM core can boot: the
 * core's compile-time maxima (FFM_MAX_PARTITIONS, FFM_MAX_SERVICES, FFM_MAX_IRQS in
 * ffm_limits.h, the one definition both tools use) are checked where the manifests are read,
 * naming the limit, the value and the maximum, at the first item past it (exit 2).
 * The manifests are generated into a temporary directory. Run from the repository root.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ffm_limits.h"
#include "manifest/manifest.h"

/* Write n_parts IPC partitions P0.., each with n_svcs connection-based services and n_irqs
 * SLIH IRQs (sources numbered across the system) into dir; their paths go to paths[]. */
static void write_system(const char *dir, size_t n_parts, size_t n_svcs, size_t n_irqs,
                         char paths[][128])
{
    unsigned sid = 0x1000, source = 1;
    for (size_t p = 0; p < n_parts; p++) {
        snprintf(paths[p], 128, "%s/p%zu.yaml", dir, p);
        FILE *f = fopen(paths[p], "w");
        assert_non_null(f);
        fprintf(f, "psa_framework_version: 1.1\nname: P%zu\ntype: APPLICATION-ROT\n"
                   "priority: NORMAL\nmodel: IPC\nentry_point: p%zu_main\nstack_size: 0x400\n",
                p, p);
        fprintf(f, "services:\n");
        for (size_t s = 0; s < n_svcs; s++) {
            fprintf(f, "  - {name: P%zu_S%zu, sid: 0x%x, non_secure_clients: true, "
                       "connection_based: true, version: 1}\n", p, s, sid++);
        }
        if (n_irqs > 0) {
            fprintf(f, "irqs:\n");
        }
        for (size_t j = 0; j < n_irqs; j++) {
            fprintf(f, "  - {source: %u, name: P%zu_I%zu, handling: SLIH}\n", source++, p, j);
        }
        fclose(f);
    }
}

/* Load the manifests positionally; the first diagnostic goes to diag. */
static enum ffm_manifest_status load(char paths[][128], size_t n, char *diag, size_t size,
                                     unsigned *errors)
{
    const char *manifests[64];
    for (size_t i = 0; i < n; i++) {
        manifests[i] = paths[i];
    }
    struct ffm_manifest_options o = {.manifests = manifests, .n_manifests = n};
    struct ffm_manifest_set *set = NULL;
    enum ffm_manifest_status st = ffm_manifest_load(&o, &set);
    assert_non_null(set);
    diag[0] = '\0';
    if (ffm_manifest_diag_count(set) > 0) {
        ffm_manifest_format_diag(ffm_manifest_diag_at(set, 0), diag, size);
    }
    *errors = ffm_manifest_error_count(set);
    ffm_manifest_free(set);
    return st;
}

static void expect(size_t n_parts, size_t n_svcs, size_t n_irqs, const char *want_fmt,
                   size_t at)
{
    char dir[] = "/tmp/ffm-limits-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    static char paths[64][128];
    write_system(dir, n_parts, n_svcs, n_irqs, paths);
    char diag[512], want[512];
    unsigned errors = 0;
    enum ffm_manifest_status st = load(paths, n_parts, diag, sizeof diag, &errors);
    if (want_fmt == NULL) {
        assert_int_equal(st, FFM_MANIFEST_OK);
        assert_string_equal(diag, "");
    } else {
        snprintf(want, sizeof want, want_fmt, paths[at]);
        assert_int_equal(st, FFM_MANIFEST_INVALID);
        assert_string_equal(diag, want);
        assert_int_equal(errors, 1);
    }
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static void test_partitions(void **state)
{
    (void)state;
    expect(FFM_MAX_PARTITIONS, 1, 0, NULL, 0);
    expect(FFM_MAX_PARTITIONS + 1, 1, 0,
           "%s:2:7: error: name: partition P32 is partition 33 of 33; the SPM core accepts at "
           "most 32 (FFM_MAX_PARTITIONS)", FFM_MAX_PARTITIONS);
}

static void test_services_over(void **state)
{
    (void)state;
    expect(4, 28, 0, NULL, 0); /* 112 */
    /* 5 x 26 = 130: the 129th service is P4's services[24]. */
    expect(5, 26, 0,
           "%s:33:12: error: services[24].name: service 129 of the system; the SPM core "
           "accepts at most 128 (FFM_MAX_SERVICES)", 4);
}

static void test_irqs(void **state)
{
    (void)state;
    expect(4, 1, 16, NULL, 0); /* 64 */
    /* 5 x 16 = 80: the 65th IRQ is P4's irqs[0]. */
    expect(5, 1, 16,
           "%s:11:24: error: irqs[0].name: IRQ 65 of the system; the SPM core accepts at most "
           "64 (FFM_MAX_IRQS)", 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_partitions),
        cmocka_unit_test(test_services_over),
        cmocka_unit_test(test_irqs),
    };
    return cmocka_run_group_tests_name("manifest_limits", tests, NULL, NULL);
}
