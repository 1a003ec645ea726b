/*
 * test_sim_platform.c - the platform file (sim/platform_file.h; issue 5 item 4): the built-in
 * default, a complete example, and strict validation with every error reported as
 * FILE:LINE:COL: error: PATH: MESSAGE (LC-01, LC-03, RESET-03, RESET-05, MEM-04).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "platform_file.h"
#include "psa/lifecycle.h"

/* Parse `text` as "t.yaml"; returns everything written to the diagnostics stream. */
static char *parse(const char *text, int *rc, struct platform_file **out)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *diag = open_memstream(&buf, &len);
    assert_non_null(diag);
    *rc = platform_file_parse("t.yaml", text, strlen(text), diag, out);
    fclose(diag);
    return buf;
}

/* Expect exactly these diagnostics (one string, lines separated by '\n') and a clean failure. */
static void expect_errors(const char *text, const char *expected)
{
    struct platform_file *pf = (struct platform_file *)1;
    int rc;
    char *got = parse(text, &rc, &pf);
    if (strcmp(got, expected) != 0) {
        print_error("input:\n%s\nexpected:\n%s\ngot:\n%s\n", text, expected, got);
    }
    assert_string_equal(got, expected);
    assert_int_equal(rc, -1);
    assert_null(pf);
    free(got);
}

static struct platform_file *expect_ok(const char *text)
{
    struct platform_file *pf = NULL;
    int rc;
    char *got = parse(text, &rc, &pf);
    if (rc != 0) {
        print_error("input:\n%s\ngot:\n%s\n", text, got);
    }
    assert_int_equal(rc, 0);
    assert_string_equal(got, "");
    assert_non_null(pf);
    free(got);
    return pf;
}

#define REGION(extra)                                                                        \
    "regions:\n  - name: R\n    size: 0x1000\n    security: secure\n    access: read-write\n" \
    extra

/* The built-in default (LC-01 default SECURED; RESET-03 one NVMEM region). */
static void test_default(void **state)
{
    struct platform_file *pf = NULL;
    (void)state;
    assert_int_equal(platform_file_default(&pf), 0);
    assert_string_equal(pf->path, "<built-in>");
    assert_int_equal(pf->lifecycle, PSA_LIFECYCLE_SECURED);
    assert_true(pf->watchdog_scale == 1.0);
    assert_int_equal(pf->watchdog_default_timeout_ms, 0);
    assert_int_equal(pf->n_regions, 1);
    const struct platform_region *r = &pf->regions[0];
    assert_string_equal(r->name, "NVMEM");
    assert_false(r->has_base);
    assert_int_equal(r->size, 16 * 1024);
    assert_true(r->secure);
    assert_true(r->read_write);
    assert_true(r->persistent);
    assert_null(r->owner);
    assert_int_equal(pf->nvmem_region, 0);
    assert_int_equal(pf->n_irq_sources, 2);
    assert_string_equal(pf->irq_sources[0].name, "TIMER0_IRQ");
    assert_string_equal(pf->irq_sources[1].name, "TEST_IRQ");
    assert_ptr_equal(platform_file_region(pf, "NVMEM"), r);
    assert_null(platform_file_region(pf, "nvmem"));
    platform_file_free(pf);
    assert_non_null(strstr(platform_file_default_text(), "name: NVMEM"));
}

/* The complete example of docs/sim.md. */
static void test_full_example(void **state)
{
    struct platform_file *pf = NULL;
    (void)state;
    assert_int_equal(platform_file_load(SIM_FIXTURE_DIR "/platform_full.yaml", NULL, &pf), 0);
    assert_string_equal(pf->description, "Cortex-M33 board with two fixed SRAM regions, a "
                                         "peripheral and external flash");
    assert_int_equal(pf->lifecycle, PSA_LIFECYCLE_PSA_ROT_PROVISIONING);
    assert_true(pf->watchdog_scale == 2.5);
    assert_int_equal(pf->watchdog_default_timeout_ms, 500);
    assert_int_equal(pf->n_regions, 4);
    const struct platform_region *its = platform_file_region(pf, "ITS_FLASH");
    assert_non_null(its);
    assert_true(its->has_base);
    assert_int_equal(its->base, 0x20000000);
    assert_int_equal(its->size, 0x4000);
    assert_string_equal(its->owner, "TFM_SP_ITS"); /* from nvmem.owner */
    assert_int_equal(its->owner_loc.line, 38);
    assert_int_equal(its->loc.line, 8);
    assert_int_equal(its->loc.column, 5);
    assert_int_equal(pf->nvmem_region, 0);
    const struct platform_region *sram = platform_file_region(pf, "SECURE_SRAM");
    assert_int_equal(sram->size, 64);
    assert_string_equal(sram->owner, "TFM_SP_CRYPTO");
    assert_false(sram->persistent);
    const struct platform_region *timer = platform_file_region(pf, "TIMER0");
    assert_false(timer->has_base);
    assert_false(timer->read_write);
    const struct platform_region *ns = platform_file_region(pf, "NS_FLASH");
    assert_false(ns->secure);
    assert_true(ns->persistent);
    assert_null(ns->owner);
    assert_int_equal(pf->n_irq_sources, 4);
    assert_false(pf->irq_sources[1].is_number);
    assert_true(pf->irq_sources[2].is_number);
    assert_int_equal(pf->irq_sources[3].number, 0x20);
    platform_file_free(pf);
}

/* Every error of a file is reported, in the standard format, and nothing is returned. */
static void test_all_errors_reported(void **state)
{
    struct platform_file *pf = (struct platform_file *)1;
    char *buf = NULL;
    size_t len = 0;
    (void)state;
    FILE *diag = open_memstream(&buf, &len);
    int rc = platform_file_load(SIM_FIXTURE_DIR "/platform_bad.yaml", diag, &pf);
    fclose(diag);
    assert_int_equal(rc, -1);
    assert_null(pf);
    const char *f = SIM_FIXTURE_DIR "/platform_bad.yaml";
    char expected[4096];
    snprintf(expected, sizeof expected,
             "%s:1:12: error: lifecycle: 0x7000: state byte 0x70 is not one of the 7 PSA "
             "lifecycle states (LC-03)\n"
             "%s:2:19: error: watchdog.scale: 0: must be greater than 0\n"
             "%s:14:5: error: regions[1]: unknown key 'colour' (allowed: name, base, size, "
             "security, owner, access, persistent, flash)\n"
             "%s:12:15: error: regions[1].security: 'trusted' is not secure or non-secure\n"
             "%s:11:11: error: regions[1].size: size must be greater than 0\n"
             "%s:15:18: error: irq_sources[1]: duplicate IRQ source 'X' (first at line 15)\n",
             f, f, f, f, f, f);
    assert_string_equal(buf, expected);
    free(buf);
}

static void test_top_level(void **state)
{
    (void)state;
    expect_errors("foo: 1\n", "t.yaml:1:1: error: <root>: unknown key 'foo' (allowed: "
                              "description, lifecycle, watchdog, regions, irq_sources, nvmem)\n");
    expect_errors("lifecycle: SECURED\nlifecycle: SECURED\n",
                  "t.yaml:2:1: error: <root>: duplicate key \"lifecycle\" (first at line 1, "
                  "column 1)\n");
    expect_errors("- a\n", "t.yaml:1:1: error: <root>: expected a mapping, found a list\n");
    expect_errors("", "t.yaml:1:1: error: <root>: empty document\n");
    expect_errors("a: [\n", "t.yaml:2:1: error: <root>: YAML syntax error: did not find "
                            "expected node content while parsing a flow node\n");
    expect_errors("lifecycle: SECURED\n---\nlifecycle: SECURED\n",
                  "t.yaml:2:1: error: <root>: more than one YAML document\n");
    expect_errors("description: [1]\n",
                  "t.yaml:1:14: error: description: expected a string, found a list\n");
    expect_errors("regions: {}\nirq_sources: 3\nwatchdog: []\nnvmem: x\n",
                  "t.yaml:3:11: error: watchdog: expected a mapping, found a list\n"
                  "t.yaml:1:10: error: regions: expected a list, found a mapping\n"
                  "t.yaml:2:14: error: irq_sources: expected a list, found a scalar\n"
                  "t.yaml:4:8: error: nvmem: expected a mapping, found a scalar\n");
    struct platform_file *pf = expect_ok("{}\n");
    assert_int_equal(pf->n_regions, 0);
    assert_int_equal(pf->nvmem_region, -1);
    assert_int_equal(pf->lifecycle, PSA_LIFECYCLE_SECURED);
    platform_file_free(pf);
}

/* Periodic IRQ sources ({name, period_us}) beside plain ones, and their bad inputs. */
static void test_periodic_sources(void **state)
{
    (void)state;
    struct platform_file *pf =
        expect_ok("irq_sources:\n  - {name: TIMER0_IRQ, period_us: 1000}\n  - TEST_IRQ\n"
                  "  - {name: 0x21, period_us: 7}\n");
    assert_int_equal(pf->n_irq_sources, 3);
    assert_string_equal(pf->irq_sources[0].name, "TIMER0_IRQ");
    assert_int_equal(pf->irq_sources[0].period_us, 1000);
    assert_int_equal(pf->irq_sources[1].period_us, 0);
    assert_true(pf->irq_sources[2].is_number);
    assert_int_equal(pf->irq_sources[2].number, 0x21);
    assert_int_equal(pf->irq_sources[2].period_us, 7);
    platform_file_free(pf);
    expect_errors("irq_sources:\n  - {name: T, period_us: 0}\n",
                  "t.yaml:2:26: error: irq_sources[0].period_us: must be at least 1 (omit it "
                  "for a source raised by code only)\n");
    expect_errors("irq_sources:\n  - {name: T}\n",
                  "t.yaml:2:5: error: irq_sources[0]: missing required key 'period_us'\n");
    expect_errors("irq_sources:\n  - {name: T, period_us: 1, phase: 2}\n",
                  "t.yaml:2:29: error: irq_sources[0]: unknown key 'phase' (allowed: name, "
                  "period_us)\n");
    expect_errors("irq_sources:\n  - {name: 'T', period_us: 5}\n",
                  "t.yaml:2:12: error: irq_sources[0]: expected a C identifier or a number, "
                  "found a quoted string\n");
}

/* LC-01, LC-03: names, values with an implementation byte, and invalid state bytes. */
static void test_platform_lifecycle(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        uint32_t value;
    } ok[] = {
        {"lifecycle: SECURED\n", 0x3000},
        {"lifecycle: psa_lifecycle_decommissioned\n", 0x6000},
        {"lifecycle: UNKNOWN\n", 0x0000},
        {"lifecycle: 0x30ff\n", 0x30ff},
        {"lifecycle: 0\n", 0x0000},
        {"lifecycle: 20480\n", 0x5000},
        {"lifecycle: NON_PSA_ROT_DEBUG\n", 0x4000},
        {"lifecycle: ASSEMBLY_AND_TEST\n", 0x1000},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        struct platform_file *pf = expect_ok(ok[i].text);
        assert_int_equal(pf->lifecycle, ok[i].value);
        platform_file_free(pf);
    }
    expect_errors("lifecycle: 0x7000\n", "t.yaml:1:12: error: lifecycle: 0x7000: state byte "
                                         "0x70 is not one of the 7 PSA lifecycle states "
                                         "(LC-03)\n");
    expect_errors("lifecycle: 0xff00\n", "t.yaml:1:12: error: lifecycle: 0xff00: state byte "
                                         "0xff is not one of the 7 PSA lifecycle states "
                                         "(LC-03)\n");
    expect_errors("lifecycle: 0x13000\n",
                  "t.yaml:1:12: error: lifecycle: 0x13000: out of range (maximum 0xffff)\n");
    expect_errors("lifecycle: SECURE\n",
                  "t.yaml:1:12: error: lifecycle: unknown lifecycle state 'SECURE' (LC-03; "
                  "expected UNKNOWN, ASSEMBLY_AND_TEST, PSA_ROT_PROVISIONING, SECURED, "
                  "NON_PSA_ROT_DEBUG, RECOVERABLE_PSA_ROT_DEBUG, DECOMMISSIONED or a 16-bit "
                  "value)\n");
    expect_errors("lifecycle: \"SECURED\"\n", "t.yaml:1:12: error: lifecycle: expected a state "
                                              "name or value, found a quoted string\n");
    expect_errors("lifecycle: -1\n", "t.yaml:1:12: error: lifecycle: -1: must not be negative\n");
    assert_string_equal(platform_lifecycle_name(0x3042), "SECURED");
    assert_string_equal(platform_lifecycle_name(0x5000), "RECOVERABLE_PSA_ROT_DEBUG");
    assert_null(platform_lifecycle_name(0x7000));
    assert_null(platform_lifecycle_name(0x13000));
}

static void test_watchdog(void **state)
{
    (void)state;
    struct platform_file *pf = expect_ok("watchdog: {scale: 10}\n");
    assert_true(pf->watchdog_scale == 10.0);
    platform_file_free(pf);
    pf = expect_ok("watchdog: {scale: 0.001, default_timeout_ms: 0x10}\n");
    assert_true(pf->watchdog_scale == 0.001);
    assert_int_equal(pf->watchdog_default_timeout_ms, 16);
    platform_file_free(pf);
    expect_errors("watchdog: {scale: -1}\n",
                  "t.yaml:1:19: error: watchdog.scale: -1: must be greater than 0\n");
    expect_errors("watchdog: {scale: fast}\n",
                  "t.yaml:1:19: error: watchdog.scale: expected a positive number, found "
                  "'fast'\n");
    expect_errors("watchdog: {scale: .inf}\n",
                  "t.yaml:1:19: error: watchdog.scale: expected a positive number, found "
                  "'.inf'\n");
    expect_errors("watchdog: {scale: '1'}\n",
                  "t.yaml:1:19: error: watchdog.scale: expected a positive number, found "
                  "'1'\n");
    expect_errors("watchdog: {default_timeout_ms: 0x100000000, period: 1}\n",
                  "t.yaml:1:45: error: watchdog: unknown key 'period' (allowed: scale, "
                  "default_timeout_ms)\n"
                  "t.yaml:1:32: error: watchdog.default_timeout_ms: 0x100000000: out of range "
                  "(maximum 0xffffffff)\n");
}

/* Region keys: required keys, types, enums, booleans (only true/false). */
static void test_region_fields(void **state)
{
    (void)state;
    struct platform_file *pf = expect_ok(REGION(""));
    assert_false(pf->regions[0].persistent); /* default */
    assert_int_equal(pf->nvmem_region, -1);
    platform_file_free(pf);
    expect_errors("regions:\n  - {}\n",
                  "t.yaml:2:5: error: regions[0]: missing required key 'name'\n"
                  "t.yaml:2:5: error: regions[0]: missing required key 'size'\n"
                  "t.yaml:2:5: error: regions[0]: missing required key 'security'\n"
                  "t.yaml:2:5: error: regions[0]: missing required key 'access'\n");
    expect_errors("regions: [1]\n",
                  "t.yaml:1:11: error: regions[0]: expected a mapping, found a scalar\n");
    expect_errors(REGION("    persistent: yes\n"),
                  "t.yaml:6:17: error: regions[0].persistent: expected true or false, found "
                  "'yes'\n");
    expect_errors(REGION("    persistent: \"true\"\n"),
                  "t.yaml:6:17: error: regions[0].persistent: expected true or false, found "
                  "'true'\n");
    expect_errors("regions:\n  - {name: 1x, size: '16', security: [s], access: rw}\n",
                  "t.yaml:2:12: error: regions[0].name: '1x' is not a C identifier\n"
                  "t.yaml:2:22: error: regions[0].size: expected an integer (decimal or 0x "
                  "hex), found a quoted string\n"
                  "t.yaml:2:38: error: regions[0].security: expected secure or non-secure, "
                  "found a list\n"
                  "t.yaml:2:51: error: regions[0].access: 'rw' is not read-only or "
                  "read-write\n");
    expect_errors("regions:\n  - {name: A, size: 16K, security: secure, access: read-only}\n",
                  "t.yaml:2:21: error: regions[0].size: '16K' is not an integer (decimal or "
                  "0x hex)\n");
    expect_errors("regions:\n  - {name: A, size: 0x1_000, security: secure, access: read-only}\n",
                  "t.yaml:2:21: error: regions[0].size: '0x1_000' is not an integer (decimal "
                  "or 0x hex)\n");
    expect_errors("regions:\n  - {name: A, size: 99999999999999999999, security: secure, "
                  "access: read-only}\n",
                  "t.yaml:2:21: error: regions[0].size: 99999999999999999999: out of range\n");
    expect_errors(REGION("    owner: [x]\n"),
                  "t.yaml:6:12: error: regions[0].owner: expected a string, found a list\n");
    expect_errors("regions:\n  - {name: A, size: 1, security: non-secure, access: read-only, "
                  "owner: P}\n",
                  "t.yaml:2:72: error: regions[0].owner: a non-secure region has no owner\n");
    expect_errors("regions:\n  - {name: A, size: 1, security: secure, access: read-only}\n"
                  "  - {name: A, size: 1, security: secure, access: read-only}\n",
                  "t.yaml:3:12: error: regions[1].name: duplicate region name 'A' (first at "
                  "line 2)\n");
}

/* Sizes and fixed bases: size 0, over the limits; base in page 0, unaligned, >= 4 GiB, wrapping past
 * 4 GiB; overlapping fixed regions (each pair once, naming both). */
static void test_region_ranges(void **state)
{
    (void)state;
    char text[512], expected[512];
    long page = sysconf(_SC_PAGESIZE);
    expect_errors("regions:\n  - {name: A, size: 0, security: secure, access: read-only}\n",
                  "t.yaml:2:21: error: regions[0].size: size must be greater than 0\n");
    expect_errors("regions:\n  - {name: A, size: 0x100000001, security: secure, access: "
                  "read-only}\n",
                  "t.yaml:2:21: error: regions[0].size: 0x100000001: larger than the "
                  "maximum 0x10000000 (256 MiB)\n");
    /* Limits of ffm_limits.h: all regions together, and the NVMEM region. */
    expect_errors("regions:\n"
                  "  - {name: A, size: 0x10000000, security: secure, access: read-only}\n"
                  "  - {name: B, size: 0x10000000, security: secure, access: read-only}\n"
                  "  - {name: C, size: 0x10000000, security: secure, access: read-only}\n"
                  "  - {name: D, size: 0x10000000, security: secure, access: read-only}\n"
                  "  - {name: E, size: 0x1000, security: secure, access: read-only}\n",
                  "t.yaml:6:5: error: regions[4].size: regions[0..4] add up to 0x40001000 "
                  "bytes, more than the maximum 0x40000000 (1024 MiB)\n");
    expect_errors("regions:\n  - {name: NV, size: 0x4000001, security: secure, access: "
                  "read-write, persistent: true}\n",
                  "t.yaml:2:5: error: regions[0].size: 0x4000001: larger than the maximum "
                  "0x4000000 (64 MiB) for the NVMEM region\n");
    expect_errors("regions:\n  - {name: A, base: 0, size: 1, security: secure, access: "
                  "read-only}\n",
                  "t.yaml:2:21: error: regions[0].base: 0x0: in page 0, which is never mapped "
                  "(MEM-04)\n");
    /* MEM-19: a base that is not page aligned is fine; a page both S and NS is not */
    snprintf(text, sizeof text, "regions:\n  - {name: A, base: 0x%lx, size: 8, security: secure, "
             "access: read-only}\n  - {name: B, base: 0x%lx, size: 8, security: secure, "
             "access: read-write}\n", (unsigned long)page + 8, (unsigned long)page + 16);
    platform_file_free(expect_ok(text));
    snprintf(text, sizeof text, "regions:\n  - {name: A, base: 0x%lx, size: 8, security: secure, "
             "access: read-only}\n  - {name: B, base: 0x%lx, size: 8, security: non-secure, "
             "access: read-write}\n", (unsigned long)page + 8, (unsigned long)page + 16);
    snprintf(expected, sizeof expected, "t.yaml:3:5: error: regions[1].base: region 'B' and "
             "region 'A' at line 2 share the host page 0x%lx, which cannot be both secure and "
             "non-secure (MEM-19)\n", (unsigned long)page);
    expect_errors(text, expected);
    expect_errors("regions:\n  - {name: A, base: 0x100000000, size: 1, security: secure, access: "
                  "read-only}\n",
                  "t.yaml:2:21: error: regions[0].base: 0x100000000: at or above 4 GiB\n");
    expect_errors("regions:\n  - {name: A, base: 0xFFFF0000, size: 0x10001, security: secure, "
                  "access: read-only}\n",
                  "t.yaml:2:21: error: regions[0].base: region 0xffff0000 + size 0x10001 ends "
                  "above 4 GiB\n");
    struct platform_file *pf = expect_ok("regions:\n  - {name: A, base: 0xFFFF0000, size: "
                                         "0x10000, security: secure, access: read-only}\n");
    platform_file_free(pf);
    expect_errors("regions:\n"
                  "  - {name: A, base: 0x20000000, size: 0x2000, security: secure, access: "
                  "read-only}\n"
                  "  - {name: B, base: 0x30000000, size: 0x1000, security: secure, access: "
                  "read-only}\n"
                  "  - {name: C, base: 0x20001000, size: 0x10000000, security: secure, access: "
                  "read-only}\n",
                  "t.yaml:4:5: error: regions[2].base: region 'C' [0x20001000, 0x30001000) "
                  "overlaps region 'A' [0x20000000, 0x20002000) at line 2\n"
                  "t.yaml:4:5: error: regions[2].base: region 'C' [0x20001000, 0x30001000) "
                  "overlaps region 'B' [0x30000000, 0x30001000) at line 3\n");
    /* adjacent fixed regions do not overlap */
    pf = expect_ok("regions:\n"
                   "  - {name: A, base: 0x20000000, size: 0x2000, security: secure, access: "
                   "read-only}\n"
                   "  - {name: B, base: 0x20002000, size: 0x1000, security: secure, access: "
                   "read-only}\n");
    platform_file_free(pf);
}

static void test_irq_sources(void **state)
{
    (void)state;
    struct platform_file *pf = expect_ok("irq_sources: [TIMER0_IRQ, 17, 0x20, _x]\n");
    assert_int_equal(platform_file_irq_source(pf, "TIMER0_IRQ"), 0);
    assert_int_equal(platform_file_irq_source(pf, "17"), 1);
    assert_int_equal(platform_file_irq_source(pf, "0x11"), 1);
    assert_int_equal(platform_file_irq_source(pf, "32"), 2);
    assert_int_equal(platform_file_irq_source(pf, "_x"), 3);
    assert_int_equal(platform_file_irq_source(pf, "timer0_irq"), -1);
    assert_int_equal(platform_file_irq_source(pf, "18"), -1);
    assert_int_equal(pf->irq_sources[1].loc.line, 1);
    assert_int_equal(pf->irq_sources[1].loc.column, 27);
    platform_file_free(pf);
    expect_errors("irq_sources: [17, 0x11, A, A, 'B', a-b, -3, [x]]\n",
                  "t.yaml:1:19: error: irq_sources[1]: duplicate IRQ source '0x11' (first at "
                  "line 1)\n"
                  "t.yaml:1:28: error: irq_sources[3]: duplicate IRQ source 'A' (first at line "
                  "1)\n"
                  "t.yaml:1:31: error: irq_sources[4]: expected a C identifier or a number, "
                  "found a quoted string\n"
                  "t.yaml:1:36: error: irq_sources[5]: 'a-b' is not a C identifier\n"
                  "t.yaml:1:41: error: irq_sources[6]: -3: must not be negative\n"
                  "t.yaml:1:45: error: irq_sources[7]: expected a C identifier or a number, "
                  "found a list\n");
    expect_errors("irq_sources: [0x100000000]\n",
                  "t.yaml:1:15: error: irq_sources[0]: 0x100000000: out of range (maximum "
                  "0xffffffff)\n");
}

/* RESET-03, RESET-05: the NVMEM region is one secure, read-write, persistent region. */
static void test_nvmem(void **state)
{
    (void)state;
    const char *two = "regions:\n"
                      "  - {name: A, size: 1, security: secure, access: read-write, "
                      "persistent: true}\n"
                      "  - {name: B, size: 1, security: secure, access: read-write, "
                      "persistent: true, owner: P}\n"
                      "  - {name: N, size: 1, security: non-secure, access: read-write, "
                      "persistent: true}\n";
    char text[1024];
    expect_errors(two, "t.yaml:3:5: error: nvmem: several persistent secure regions ('A', "
                       "'B'): name the NVMEM one with nvmem.region\n");
    snprintf(text, sizeof text, "%snvmem: {region: B}\n", two);
    struct platform_file *pf = expect_ok(text);
    assert_int_equal(pf->nvmem_region, 1);
    assert_string_equal(pf->regions[1].owner, "P");
    platform_file_free(pf);
    snprintf(text, sizeof text, "%snvmem: {region: A, owner: Q}\n", two);
    pf = expect_ok(text);
    assert_int_equal(pf->nvmem_region, 0);
    assert_string_equal(pf->regions[0].owner, "Q");
    assert_int_equal(pf->regions[0].owner_loc.line, 5);
    platform_file_free(pf);
    snprintf(text, sizeof text, "%snvmem: {region: B, owner: Q}\n", two);
    expect_errors(text, "t.yaml:5:27: error: nvmem.owner: 'Q' differs from region 'B' owner "
                        "'P' (line 3)\n");
    snprintf(text, sizeof text, "%snvmem: {region: N}\n", two);
    expect_errors(text, "t.yaml:5:17: error: nvmem.region: region 'N' must be secure, "
                        "read-write and persistent (RESET-03, RESET-05)\n");
    snprintf(text, sizeof text, "%snvmem: {region: Z, size: 1}\n", two);
    expect_errors(text, "t.yaml:5:20: error: nvmem: unknown key 'size' (allowed: region, "
                        "owner)\n"
                        "t.yaml:5:17: error: nvmem.region: no region named 'Z'\n");
    expect_errors("nvmem: {owner: P}\n",
                  "t.yaml:1:8: error: nvmem: missing required key 'region'\n");
    /* a single persistent secure region is the NVMEM region without naming it */
    pf = expect_ok(REGION("    persistent: true\n"));
    assert_int_equal(pf->nvmem_region, 0);
    platform_file_free(pf);
}

static void test_file_errors(void **state)
{
    struct platform_file *pf = (struct platform_file *)1;
    char *buf = NULL;
    size_t len = 0;
    (void)state;
    FILE *diag = open_memstream(&buf, &len);
    assert_int_equal(platform_file_load(SIM_FIXTURE_DIR "/missing.yaml", diag, &pf), -1);
    assert_null(pf);
    assert_int_equal(platform_file_load(SIM_FIXTURE_DIR, diag, &pf), -1);
    fclose(diag);
    char expected[1024];
    snprintf(expected, sizeof expected,
             "%s/missing.yaml: error: cannot open: No such file or directory\n"
             "%s: error: cannot read: Is a directory\n",
             SIM_FIXTURE_DIR, SIM_FIXTURE_DIR);
    assert_string_equal(buf, expected);
    free(buf);
}

/* The port reports cross-checks (owner names no partition, MAN-29) in the same format. */
static void test_report(void **state)
{
    struct platform_file *pf = NULL;
    char *buf = NULL;
    size_t len = 0;
    (void)state;
    assert_int_equal(platform_file_load(SIM_FIXTURE_DIR "/platform_full.yaml", NULL, &pf), 0);
    FILE *diag = open_memstream(&buf, &len);
    const struct platform_region *r = platform_file_region(pf, "SECURE_SRAM");
    platform_file_report(pf, diag, r->owner_loc, "regions[1].owner", "no partition named '%s'",
                         r->owner);
    fclose(diag);
    char expected[512];
    snprintf(expected, sizeof expected, "%s/platform_full.yaml:18:12: error: regions[1].owner: "
             "no partition named 'TFM_SP_CRYPTO'\n", SIM_FIXTURE_DIR);
    assert_string_equal(buf, expected);
    free(buf);
    platform_file_free(pf);
}

/* Append printf-style text to a heap string. */
static void append(char **s, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void append(char **s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char piece[256];
    vsnprintf(piece, sizeof piece, fmt, ap);
    va_end(ap);
    size_t old = *s != NULL ? strlen(*s) : 0;
    *s = realloc(*s, old + strlen(piece) + 1);
    assert_non_null(*s);
    strcpy(*s + old, piece);
}

/* Hostile shapes get the manifests' limits (ffm_limits.h), each refused with one line at the
 * point the limit is passed: 100,000 nesting levels, 60,000 keys in one mapping, a file over
 * 1 MiB; and at most 50 error lines, then a count. (Time and memory: docs/hostile-inputs.md.) */
static void test_limits(void **state)
{
    (void)state;
    char *text = NULL, *want = NULL;
    text = malloc(9 + 100000 + 1);
    assert_non_null(text);
    memcpy(text, "regions: ", 9);
    memset(text + 9, '[', 100000);
    text[9 + 100000] = '\0';
    append(&want, "t.yaml:1:73: error: regions");
    for (int i = 0; i < 63; i++) {
        append(&want, "[0]");
    }
    append(&want, ": nesting deeper than 64 levels\n");
    expect_errors(text, want);
    free(text);
    free(want);

    size_t cap = 60000 * 16 + 16, used = 0;
    text = malloc(cap);
    assert_non_null(text);
    used += (size_t)snprintf(text, cap, "watchdog:\n");
    for (int i = 0; i < 60000; i++) {
        used += (size_t)snprintf(text + used, cap - used, "  k%d: 1\n", i);
    }
    expect_errors(text, "t.yaml:1026:3: error: watchdog: mapping has too many entries (limit "
                        "1024)\n");
    free(text);

    text = malloc((1u << 20) + 2);
    assert_non_null(text);
    memset(text, '#', (1u << 20) + 1);
    text[(1u << 20) + 1] = '\0';
    expect_errors(text, "t.yaml: error: file larger than 1048576 bytes\n");
    free(text);

    text = malloc(1100 * 8 + 32);
    assert_non_null(text);
    used = (size_t)sprintf(text, "irq_sources: [I0");
    for (int i = 1; i < 1025; i++) {
        used += (size_t)sprintf(text + used, ", I%d", i);
    }
    strcpy(text + used, "]\n");
    expect_errors(text, "t.yaml:1:14: error: irq_sources: 1025 entries, more than the maximum "
                        "1024\n");
    free(text);

    text = NULL;
    want = NULL;
    append(&text, "irq_sources:\n");
    for (int i = 0; i < 60; i++) {
        append(&text, "  - \"q%d\"\n", i);
        if (i < 50) {
            append(&want, "t.yaml:%d:5: error: irq_sources[%d]: expected a C identifier or a "
                          "number, found a quoted string\n", i + 2, i);
        }
    }
    append(&want, "t.yaml: error: 10 more errors not shown\n");
    expect_errors(text, want);
    free(text);
    free(want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default),
        cmocka_unit_test(test_full_example),
        cmocka_unit_test(test_all_errors_reported),
        cmocka_unit_test(test_top_level),
        cmocka_unit_test(test_periodic_sources),
        cmocka_unit_test(test_platform_lifecycle),
        cmocka_unit_test(test_watchdog),
        cmocka_unit_test(test_region_fields),
        cmocka_unit_test(test_region_ranges),
        cmocka_unit_test(test_irq_sources),
        cmocka_unit_test(test_nvmem),
        cmocka_unit_test(test_file_errors),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_report),
    };
    return cmocka_run_group_tests_name("sim_platform", tests, NULL, NULL);
}
