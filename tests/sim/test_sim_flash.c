/*
 * test_sim_flash.c - the flash model's pure logic (sim/flash.c) and the platform file's
 * `flash:` key (sim/platform_file.c): geometry checks, program and erase checks, strict and
 * AND-merge programming, torn programs, and the file:line:col errors of a bad geometry.
 */
#define _GNU_SOURCE /* open_memstream */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flash.h"
#include "platform_file.h"

static const struct ffm_flash_geometry nor4 = { 4096, 4, 0xFF, true };

static void expect_geometry_error(struct ffm_flash_geometry g, uint64_t size, const char *field,
                                  const char *why)
{
    const char *got_field = NULL;
    const char *got = ffm_flash_geometry_error(&g, size, &got_field);
    assert_non_null(got);
    assert_string_equal(got, why);
    assert_string_equal(got_field, field);
}

static void test_geometry(void **state)
{
    (void)state;
    const char *field = "x";
    assert_null(ffm_flash_geometry_error(&nor4, 0x4000, &field));
    assert_null(field);
    expect_geometry_error((struct ffm_flash_geometry){ 3000, 4, 0xFF, true }, 0x4000,
                          "sector_size", "must be a power of two");
    expect_geometry_error((struct ffm_flash_geometry){ 0, 4, 0xFF, true }, 0x4000,
                          "sector_size", "must be a power of two");
    expect_geometry_error((struct ffm_flash_geometry){ 0x2000, 4, 0xFF, true }, 0x3000,
                          "sector_size", "must divide the region's size");
    expect_geometry_error((struct ffm_flash_geometry){ 1, 1, 0xFF, true }, 0x20000,
                          "sector_size", "too small: more than 65536 sectors in the region");
    expect_geometry_error((struct ffm_flash_geometry){ 4096, 6, 0xFF, true }, 0x4000,
                          "program_unit", "must be a power of two");
    expect_geometry_error((struct ffm_flash_geometry){ 256, 512, 0xFF, true }, 0x4000,
                          "program_unit", "must divide sector_size");
    expect_geometry_error((struct ffm_flash_geometry){ 4096, 4, 0x5A, true }, 0x4000,
                          "erased_value",
                          "must be 0xff or 0x00 (flash erases to all ones or all zeros)");
}

static void test_checks(void **state)
{
    (void)state;
    assert_int_equal(ffm_flash_check_program(&nor4, 0x4000, 0, 4), FFM_FLASH_CHECK_OK);
    assert_int_equal(ffm_flash_check_program(&nor4, 0x4000, 0x3FFC, 4), FFM_FLASH_CHECK_OK);
    assert_int_equal(ffm_flash_check_program(&nor4, 0x4000, 0x3FFC, 8), FFM_FLASH_CHECK_RANGE);
    assert_int_equal(ffm_flash_check_program(&nor4, 0x4000, 0x4000, 4), FFM_FLASH_CHECK_RANGE);
    assert_int_equal(ffm_flash_check_program(&nor4, 0x4000, 0, 0), FFM_FLASH_CHECK_RANGE);
    assert_int_equal(ffm_flash_check_program(&nor4, 0x4000, 2, 4), FFM_FLASH_CHECK_ALIGNMENT);
    assert_int_equal(ffm_flash_check_program(&nor4, 0x4000, 4, 6), FFM_FLASH_CHECK_ALIGNMENT);
    assert_int_equal(ffm_flash_check_erase(&nor4, 0x4000, 0x1000), FFM_FLASH_CHECK_OK);
    assert_int_equal(ffm_flash_check_erase(&nor4, 0x4000, 0x1004), FFM_FLASH_CHECK_ALIGNMENT);
    assert_int_equal(ffm_flash_check_erase(&nor4, 0x4000, 0x4000), FFM_FLASH_CHECK_RANGE);
}

static void test_program_and_erase(void **state)
{
    (void)state;
    uint8_t cells[8];
    memset(cells, 0xFF, sizeof cells);
    const uint8_t data[4] = { 0xF0, 0x0F, 0x00, 0xFF };
    assert_int_equal(ffm_flash_first_unerased(&nor4, cells, 8), 8);
    ffm_flash_program_bytes(&nor4, cells + 4, data, 4);
    assert_memory_equal(cells + 4, data, 4);
    assert_int_equal(ffm_flash_first_unerased(&nor4, cells, 8), 4);
    assert_int_equal(ffm_flash_first_unerased(&nor4, cells + 5, 3), 0);
    /* NOR (erased 0xFF): a second program only clears bits */
    const uint8_t again[4] = { 0x3C, 0x3C, 0x3C, 0x3C };
    ffm_flash_program_bytes(&nor4, cells + 4, again, 4);
    const uint8_t anded[4] = { 0x30, 0x0C, 0x00, 0x3C };
    assert_memory_equal(cells + 4, anded, 4);
    /* erased 0x00: programming only sets bits */
    struct ffm_flash_geometry zero = { 8, 1, 0x00, false };
    uint8_t z[8] = { 0 };
    ffm_flash_program_bytes(&zero, z, data, 4);
    ffm_flash_program_bytes(&zero, z, again, 4);
    const uint8_t ored[4] = { 0xFC, 0x3F, 0x3C, 0xFF };
    assert_memory_equal(z, ored, 4);
    ffm_flash_erase_bytes(&zero, z);
    const uint8_t blank0[8] = { 0 };
    assert_memory_equal(z, blank0, 8);
    struct ffm_flash_geometry small = { 8, 4, 0xFF, true };
    ffm_flash_erase_bytes(&small, cells);
    const uint8_t blank[8] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };
    assert_memory_equal(cells, blank, 8);
}

static void test_torn(void **state)
{
    (void)state;
    /* 5 units of 4 bytes: 2 whole units, then 2 bytes of the third, nothing after */
    uint8_t cells[20], data[20];
    memset(cells, 0xFF, sizeof cells);
    for (size_t i = 0; i < sizeof data; i++) {
        data[i] = (uint8_t)i;
    }
    assert_int_equal(ffm_flash_program_torn(&nor4, cells, data, 20), 12);
    assert_memory_equal(cells, data, 10);
    for (size_t i = 10; i < 20; i++) {
        assert_int_equal(cells[i], 0xFF);
    }
    /* one unit: half of it */
    memset(cells, 0xFF, sizeof cells);
    assert_int_equal(ffm_flash_program_torn(&nor4, cells, data + 4, 4), 4);
    assert_memory_equal(cells, data + 4, 2);
    assert_int_equal(cells[2], 0xFF);
    /* 1-byte units: 1 of 3 whole, then the low 4 bits of the second */
    struct ffm_flash_geometry bytes = { 16, 1, 0xFF, false };
    const uint8_t src[3] = { 0x12, 0x34, 0x56 };
    memset(cells, 0xFF, sizeof cells);
    assert_int_equal(ffm_flash_program_torn(&bytes, cells, src, 3), 2);
    assert_int_equal(cells[0], 0x12);
    assert_int_equal(cells[1], 0xF4);
    assert_int_equal(cells[2], 0xFF);
    /* erased 0x00: the torn byte gets its low 4 bits set */
    struct ffm_flash_geometry zero = { 16, 1, 0x00, false };
    memset(cells, 0x00, sizeof cells);
    assert_int_equal(ffm_flash_program_torn(&zero, cells, src, 1), 1);
    assert_int_equal(cells[0], 0x02);
}

/* ---- the platform file's flash key */

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

static void test_platform_flash_regions(void **state)
{
    (void)state;
    static const char text[] =
        "regions:\n"
        "  - {name: A, size: 0x4000, security: secure, access: read-write, persistent: true,\n"
        "     flash: {sector_size: 0x1000}}\n"
        "  - {name: RAM, size: 0x1000, security: secure, access: read-write}\n"
        "  - {name: B, size: 0x800, security: non-secure, access: read-write,\n"
        "     persistent: true,\n"
        "     flash: {sector_size: 0x100, program_unit: 8, erased_value: 0, strict: false}}\n"
        "nvmem: {region: A}\n";
    struct platform_file *pf = NULL;
    int rc;
    char *diag = parse(text, &rc, &pf);
    assert_string_equal(diag, "");
    assert_int_equal(rc, 0);
    assert_int_equal(pf->n_flash, 2);
    const struct platform_region *a = &pf->regions[0], *b = &pf->regions[2];
    assert_true(a->flash);
    assert_int_equal(a->flash_device, 0);
    assert_int_equal(a->flash_geometry.sector_size, 0x1000);
    assert_int_equal(a->flash_geometry.program_unit, 1); /* defaults */
    assert_int_equal(a->flash_geometry.erased_value, 0xFF);
    assert_true(a->flash_geometry.strict);
    assert_false(pf->regions[1].flash);
    assert_true(b->flash);
    assert_int_equal(b->flash_device, 1);
    assert_int_equal(b->flash_geometry.program_unit, 8);
    assert_int_equal(b->flash_geometry.erased_value, 0x00);
    assert_false(b->flash_geometry.strict);
    platform_file_free(pf);
    free(diag);
}

static void test_platform_flash_errors(void **state)
{
    (void)state;
    static const char text[] =
        "regions:\n"
        "  - name: A\n"
        "    size: 0x4000\n"
        "    security: secure\n"
        "    access: read-write\n"
        "    persistent: true\n"
        "    flash: {sector_size: 0x3000, colour: red}\n"
        "  - name: B\n"
        "    size: 0x1000\n"
        "    security: secure\n"
        "    access: read-write\n"
        "    flash: {program_unit: 4, strict: maybe}\n"
        "  - {name: C, size: 0x1000, security: secure, access: read-write, persistent: true,\n"
        "     flash: {sector_size: 0x100, erased_value: 0x5a}}\n"
        "nvmem: {region: A}\n";
    static const char expected[] =
        "t.yaml:7:34: error: regions[0].flash: unknown key 'colour' (allowed: sector_size, "
        "program_unit, erased_value, strict)\n"
        "t.yaml:7:26: error: regions[0].flash.sector_size: 0x3000: must be a power of two "
        "(region size 0x4000, sector_size 0x3000, program_unit 1)\n"
        "t.yaml:12:12: error: regions[1].flash: missing required key 'sector_size'\n"
        "t.yaml:12:38: error: regions[1].flash.strict: expected true or false, found 'maybe'\n"
        "t.yaml:12:12: error: regions[1].flash: a flash region must be persistent: true "
        "(flash keeps its content across resets)\n"
        "t.yaml:14:48: error: regions[2].flash.erased_value: 0x5a: must be 0xff or 0x00 (flash "
        "erases to all ones or all zeros) (region size 0x1000, sector_size 0x100, "
        "program_unit 1)\n";
    struct platform_file *pf = (struct platform_file *)1;
    int rc;
    char *diag = parse(text, &rc, &pf);
    if (strcmp(diag, expected) != 0) {
        print_error("got:\n%s\n", diag);
    }
    assert_string_equal(diag, expected);
    assert_int_equal(rc, -1);
    assert_null(pf);
    free(diag);
}

static void test_platform_nvmem_flash_erases_to_ff(void **state)
{
    (void)state;
    static const char text[] =
        "regions:\n"
        "  - {name: A, size: 0x1000, security: secure, access: read-write, persistent: true,\n"
        "     flash: {sector_size: 0x100, erased_value: 0}}\n";
    struct platform_file *pf = (struct platform_file *)1;
    int rc;
    char *diag = parse(text, &rc, &pf);
    assert_string_equal(diag,
                        "t.yaml:2:5: error: regions[0].flash.erased_value: 0x00: the NVMEM "
                        "region is 0xFF-filled at cold start (RESET-04), so as flash it must "
                        "erase to 0xff\n");
    assert_int_equal(rc, -1);
    free(diag);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_geometry),
        cmocka_unit_test(test_checks),
        cmocka_unit_test(test_program_and_erase),
        cmocka_unit_test(test_torn),
        cmocka_unit_test(test_platform_flash_regions),
        cmocka_unit_test(test_platform_flash_errors),
        cmocka_unit_test(test_platform_nvmem_flash_erases_to_ff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
