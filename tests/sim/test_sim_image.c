/*
 * test_sim_image.c - the image loader (sim/image.h; issue 5 item 2): private symbol namespaces
 * for images that define the same global names, the export list that lets images reach only
 * psa_* and ffm_platform_*, symbol resolution across images, error paths, and registration of
 * image segments in the memory map (MEM-02, MEM-03, MEM-06, MEM-10).
 *
 * This program is linked like ffm-sim, with the export list (SIM_EXPORT_LDFLAGS). It defines
 * psa_framework_version() (exported) and, to catch any leak, the images' own global names
 * (not exported).
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
#if !defined(__APPLE__)
#include <elf.h> /* test_check_corrupt_elf: the ELF header layout */
#endif

#include "psa/client.h"

#include "../fixtures/sim/img.h"
#include "image.h"
#include "image_check.h"
#include "memmap.h"

#define IMG(name) SIM_IMAGE_DIR "/" name

/* ---- the "simulator" side: the exported API and unexported look-alikes */

static unsigned fwv_calls;

uint32_t psa_framework_version(void)
{
    fwv_calls++;
    return PSA_FRAMEWORK_VERSION;
}

/* Same names as the images define. Not exported: images must never bind to them. */
int shared_counter = -1;
int shared_fn(void)
{
    return -1;
}

int sim_internal_helper(void)
{
    return 42;
}

/* ---- helpers */

struct two {
    struct image *a, *b;
};

static int load_two(void **state)
{
    struct two *t = calloc(1, sizeof *t);
    char err[512];
    assert_non_null(t);
    assert_int_equal(image_load(IMG("img_a.so"), &t->a, err, sizeof err), 0);
    assert_int_equal(image_load(IMG("img_b.so"), &t->b, err, sizeof err), 0);
    *state = t;
    return 0;
}

static int unload_two(void **state)
{
    struct two *t = *state;
    image_unload(t->a);
    image_unload(t->b);
    free(t);
    return 0;
}

#define SYM(img, type, name) ((type)(uintptr_t)image_symbol((img), (name)))
typedef int (*int_fn)(void);
typedef int *(*ptr_fn)(void);
typedef uint32_t (*u32_fn)(void);

/* ---- tests */

/* Each image's shared_fn returns its own value, also when called from inside the image. */
static void test_same_function_names(void **state)
{
    struct two *t = *state;
    int_fn a = SYM(t->a, int_fn, "shared_fn"), b = SYM(t->b, int_fn, "shared_fn");
    assert_non_null(a);
    assert_non_null(b);
    assert_ptr_not_equal(a, b);
    assert_int_equal(a(), 1);
    assert_int_equal(b(), 2);
    assert_int_equal(SYM(t->a, int_fn, "call_shared_fn")(), 1);
    assert_int_equal(SYM(t->b, int_fn, "call_shared_fn")(), 2);
    assert_int_equal(shared_fn(), -1);
}

/* The two shared_counter variables are distinct, and distinct from the program's. */
static void test_same_variable_names(void **state)
{
    struct two *t = *state;
    int *ca = SYM(t->a, int *, "shared_counter"), *cb = SYM(t->b, int *, "shared_counter");
    assert_non_null(ca);
    assert_non_null(cb);
    assert_ptr_not_equal(ca, cb);
    assert_ptr_equal(SYM(t->a, ptr_fn, "counter_address")(), ca);
    assert_ptr_equal(SYM(t->b, ptr_fn, "counter_address")(), cb);
    int before_a = *ca, before_b = *cb;
    assert_int_equal(SYM(t->a, int_fn, "bump_counter")(), before_a + 1);
    assert_int_equal(*ca, before_a + 1);
    assert_int_equal(*cb, before_b);
    assert_int_equal(SYM(t->b, int_fn, "bump_counter")(), before_b + 1);
    assert_int_equal(*ca, before_a + 1);
    assert_int_equal(shared_counter, -1);
    assert_string_equal(SYM(t->a, const char *, "shared_rodata"), "image A");
    assert_string_equal(SYM(t->b, const char *, "shared_rodata"), "image B");
}

/* Calls to the exported psa_framework_version reach this program, from both images. */
static void test_exported_api_reaches_program(void **state)
{
    struct two *t = *state;
    unsigned before = fwv_calls;
    assert_int_equal(SYM(t->a, u32_fn, "call_framework_version")(), 0x10000u + 0x0101u);
    assert_int_equal(SYM(t->b, u32_fn, "call_framework_version")(), 0x20000u + 0x0101u);
    assert_int_equal(fwv_calls, before + 2);
}

/* image_symbol only returns the image's own definitions, not its dependencies' (libc). */
static void test_symbol_only_own_definitions(void **state)
{
    struct two *t = *state;
    assert_null(image_symbol(t->a, "only_in_b"));
    assert_null(image_symbol(t->a, "malloc"));
    assert_null(image_symbol(t->a, "psa_framework_version"));
    assert_null(image_symbol(t->a, "no_such_symbol"));
    assert_non_null(image_symbol(t->a, "only_in_a"));
    assert_true(image_contains(t->a, image_symbol(t->a, "only_in_a")));
    assert_false(image_contains(t->b, image_symbol(t->a, "only_in_a")));
    assert_string_equal(image_path(t->a), IMG("img_a.so"));
}

/* Resolution across images, from their files (image_check.h): which image defines it;
 * ambiguous; missing. */
static void test_set_resolve(void **state)
{
    struct image_info *a = NULL, *b = NULL;
    char err[512];
    size_t which = 99;
    (void)state;
    assert_int_equal(image_check(IMG("img_a.so"), NULL, 0, &a, err, sizeof err), 0);
    assert_int_equal(image_check(IMG("img_b.so"), &a, 1, &b, err, sizeof err), 0);
    struct image_info *set[2] = {a, b};
    assert_int_equal(image_info_resolve(set, 2, "only_in_b", &which, err, sizeof err), 0);
    assert_int_equal(which, 1);
    assert_int_equal(image_info_resolve(set, 2, "only_in_a", &which, err, sizeof err), 0);
    assert_int_equal(which, 0);

    assert_int_equal(image_info_resolve(set, 2, "shared_fn", &which, err, sizeof err), -1);
    assert_string_equal(err, "error: symbol 'shared_fn' is ambiguous: defined in images "
                             IMG("img_a.so") " and " IMG("img_b.so"));

    assert_int_equal(image_info_resolve(set, 2, "ns_main", &which, err, sizeof err), -1);
    assert_string_equal(err, "error: symbol 'ns_main' is not defined in any image (searched: "
                             IMG("img_a.so") ", " IMG("img_b.so") ")");
    assert_int_equal(image_info_resolve(set, 0, "ns_main", &which, err, sizeof err), -1);
    assert_string_equal(err, "error: symbol 'ns_main' is not defined in any image (searched: "
                             "no images loaded)");
    image_info_free(a);
    image_info_free(b);
}

static void test_segments(void **state)
{
    struct two *t = *state;
    const struct image_segment *segs;
    size_t n = image_segments(t->a, &segs);
    assert_true(n >= 3);
    unsigned seen = 0;
    for (size_t i = 0; i < n; i++) {
        assert_true(segs[i].size > 0);
        assert_true((segs[i].rights & MEMMAP_R) != 0);
        assert_false((segs[i].rights & MEMMAP_W) != 0 && (segs[i].rights & MEMMAP_X) != 0);
        if (i > 0) {
            assert_true(segs[i - 1].base + segs[i - 1].size <= segs[i].base);
        }
        seen |= 1u << segs[i].rights;
    }
    assert_true(seen & (1u << MEMMAP_RX));
    assert_true(seen & (1u << MEMMAP_RW));
}

/* MEM-02, MEM-03, MEM-06, MEM-10: registered image memory is secure and owned; code and
 * rodata are not writable; NS callers cannot name it. */
static void test_register_segments(void **state)
{
    struct two *t = *state;
    struct memmap *map = memmap_create();
    char err[512];
    assert_non_null(map);
    assert_int_equal(image_register(t->a, map, 256, false, err, sizeof err), 0);
    /* registering the same image twice overlaps and leaves nothing half-registered */
    assert_int_equal(image_register(t->a, map, 257, false, err, sizeof err), -1);
    assert_non_null(strstr(err, "overlaps"));

    const struct memmap_caller owner = {.secure = true, .pid = 256, .isolation = 3};
    const struct memmap_caller other = {.secure = true, .pid = 300, .isolation = 3};
    const struct memmap_caller ns = {.secure = false, .pid = -1, .isolation = 1};
    int *counter = SYM(t->a, int *, "shared_counter");
    const char *rodata = SYM(t->a, const char *, "shared_rodata");
    void *code = image_symbol(t->a, "shared_fn");

    assert_int_equal(memmap_check(map, &owner, counter, sizeof *counter, MEMMAP_RW, NULL),
                     MEMMAP_OK);
    assert_int_equal(memmap_check(map, &owner, rodata, 8, MEMMAP_R, NULL), MEMMAP_OK);
    assert_int_equal(memmap_check(map, &owner, rodata, 8, MEMMAP_RW, NULL),
                     MEMMAP_NOT_WRITABLE);
    assert_int_equal(memmap_check(map, &owner, code, 4, MEMMAP_R, NULL), MEMMAP_OK);
    assert_int_equal(memmap_check(map, &owner, code, 4, MEMMAP_RW, NULL), MEMMAP_NOT_WRITABLE);
    assert_int_equal(memmap_check(map, &ns, counter, sizeof *counter, MEMMAP_R, NULL),
                     MEMMAP_SECURE_FOR_NS);
    assert_int_equal(memmap_check(map, &other, counter, sizeof *counter, MEMMAP_R, NULL),
                     MEMMAP_OUT_OF_REACH);
    /* image B was not registered: NS memory with the host's rights */
    assert_int_equal(memmap_check(map, &ns, SYM(t->b, int *, "shared_counter"), sizeof(int),
                                  MEMMAP_RW, NULL), MEMMAP_OK);
    struct memmap_range r;
    assert_true(memmap_lookup(map, (uintptr_t)counter, &r));
    assert_int_equal(r.owner, 256);
    assert_non_null(strstr(r.name, "img_a.so data"));
    memmap_destroy(map);
}

/* Loading the same file twice would share one namespace: refused. */
static void test_same_file_twice(void **state)
{
    struct two *t = *state;
    struct image *again = NULL;
    char err[512];
    assert_int_equal(image_load(IMG("img_a.so"), &again, err, sizeof err), -1);
    assert_null(again);
    assert_string_equal(err, IMG("img_a.so") ": error: cannot load image: same object as image "
                             IMG("img_a.so"));
    (void)t;
}

/* Error paths: each one line, naming the image. */
static void test_missing_file(void **state)
{
    struct image *img = (struct image *)1;
    char err[512];
    (void)state;
    assert_int_equal(image_load(IMG("no_such.so"), &img, err, sizeof err), -1);
    assert_null(img);
    assert_string_equal(err, IMG("no_such.so") ": error: cannot load image: No such file or "
                             "directory");
    assert_int_equal(image_load(SIM_IMAGE_DIR, &img, err, sizeof err), -1);
    assert_string_equal(err, SIM_IMAGE_DIR ": error: cannot load image: not a regular file");
}

static void test_not_a_shared_object(void **state)
{
    struct image *img = NULL;
    char err[512];
    (void)state;
    assert_int_equal(image_load(SIM_FIXTURE_DIR "/not_an_image.so", &img, err, sizeof err), -1);
    assert_null(img);
    assert_string_equal(err, SIM_FIXTURE_DIR "/not_an_image.so: error: cannot load image: not a "
                             "shared object");
    assert_null(strchr(err, '\n'));
}

/* An unresolved symbol: the dynamic linker's reason, in one line. */
static void test_undefined_symbol(void **state)
{
    struct image *img = NULL;
    char err[512];
    (void)state;
    assert_int_equal(image_load(IMG("img_undef.so"), &img, err, sizeof err), -1);
    assert_null(img);
    assert_non_null(strstr(err, IMG("img_undef.so") ": error: cannot load image: "));
    assert_non_null(strstr(err, "undefined_helper"));
    assert_non_null(strstr(err, "; to take a symbol from a static archive, link the whole archive "
                                "into the image: -Wl,--whole-archive LIB.a "
                                "-Wl,--no-whole-archive)"));
    assert_null(strchr(err, '\n'));
}

/* A symbol the program defines but does not export stays out of the images' reach. */
static void test_internal_symbol_not_exported(void **state)
{
    struct image *img = NULL;
    char err[512];
    (void)state;
    assert_int_equal(sim_internal_helper(), 42);
    assert_int_equal(image_load(IMG("img_internal.so"), &img, err, sizeof err), -1);
    assert_null(img);
    assert_non_null(strstr(err, "sim_internal_helper"));
}

/* A bare file name is relative to the current directory, not searched in the library path. */
static void test_bare_name_is_relative(void **state)
{
    struct image *img = NULL;
    char err[512], cwd[4096];
    (void)state;
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(SIM_IMAGE_DIR), 0);
    int rc = image_load("img_b.so", &img, err, sizeof err);
    assert_int_equal(chdir(cwd), 0);
    assert_int_equal(rc, 0);
    assert_int_equal(SYM(img, int_fn, "shared_fn")(), 2);
    image_unload(img);
    assert_int_equal(image_load("libc.so.6", &img, err, sizeof err), -1);
    assert_string_equal(err, "libc.so.6: error: cannot load image: No such file or directory");
}

/* ---- checking images before loading them (image_check.h): no image code runs */

static void test_check_runs_no_image_code(void **state)
{
    struct image_info *info = NULL;
    char err[512];
    (void)state;
    /* Its constructor aborts: if it ran here, this test would die. */
    assert_int_equal(image_check(IMG("img_ctor_abort.so"), NULL, 0, &info, err, sizeof err), 0);
    assert_true(image_info_defines(info, "ctor_image_fn"));
    assert_false(image_info_defines(info, "abort"));        /* its reference, not its own */
    assert_false(image_info_defines(info, "abort_on_load")); /* static: not exported */
    image_info_free(info);
}

/* A corrupt file is input like any other: offsets out of the file or misaligned for the
 * structures they locate are refused, not followed. */
static void test_check_corrupt_elf(void **state)
{
    (void)state;
#if defined(__APPLE__)
    skip(); /* macOS images are not read (image_check.h) */
#else
    FILE *f = fopen(IMG("img_a.so"), "rb");
    assert_non_null(f);
    static unsigned char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    assert_true(n > 64 && n < sizeof buf);
    /* the host's ELF class: ELF64, or ELF32 in the ILP32 build (make M32=1) */
#if defined(__LP64__) || defined(_LP64)
    typedef Elf64_Ehdr host_ehdr;
#else
    typedef Elf32_Ehdr host_ehdr;
#endif
    const size_t shoff = offsetof(host_ehdr, e_shoff);
    const struct {
        size_t at; /* a byte of e_shoff: its lowest, then its highest (little-endian) */
        unsigned char value;
    } cases[] = {{shoff, 0x01}, {shoff + sizeof(((host_ehdr *)0)->e_shoff) - 1, 0x7f}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        unsigned char copy[sizeof buf];
        memcpy(copy, buf, n);
        copy[cases[c].at] ^= cases[c].value; /* misaligned, then far out of the file */
        char path[] = "/tmp/ffm-image-check-XXXXXX";
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, copy, n), (ssize_t)n);
        close(fd);
        struct image_info *info = NULL;
        char err[512], want[600];
        assert_int_equal(image_check(path, NULL, 0, &info, err, sizeof err), -1);
        snprintf(want, sizeof want, "%s: error: cannot load image: not a shared object for this "
                 "host", path);
        assert_string_equal(err, want);
        unlink(path);
    }
#endif
}

static void test_check_errors(void **state)
{
    struct image_info *a = NULL, *info = NULL;
    char err[512];
    (void)state;
    assert_int_equal(image_check(IMG("img_undef.so"), NULL, 0, &info, err, sizeof err), -1);
    assert_string_equal(err, IMG("img_undef.so") ": error: cannot load image: undefined symbol: "
                             "undefined_helper");
    assert_int_equal(image_check(IMG("img_internal.so"), NULL, 0, &info, err, sizeof err), -1);
    assert_string_equal(err, IMG("img_internal.so") ": error: cannot load image: undefined "
                             "symbol: sim_internal_helper");
    assert_int_equal(image_check(SIM_FIXTURE_DIR "/not_an_image.so", NULL, 0, &info, err,
                                 sizeof err), -1);
    assert_string_equal(err, SIM_FIXTURE_DIR "/not_an_image.so: error: cannot load image: not a "
                             "shared object");
    assert_int_equal(image_check(SIM_IMAGE_DIR, NULL, 0, &info, err, sizeof err), -1);
    assert_string_equal(err, SIM_IMAGE_DIR ": error: cannot load image: not a regular file");
    assert_null(info);
    /* The same file twice. */
    assert_int_equal(image_check(IMG("img_a.so"), NULL, 0, &a, err, sizeof err), 0);
    assert_int_equal(image_check(IMG("img_a.so"), &a, 1, &info, err, sizeof err), -1);
    assert_string_equal(err, IMG("img_a.so") ": error: cannot load image: same object as image "
                             IMG("img_a.so"));
    image_info_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_same_function_names, load_two, unload_two),
        cmocka_unit_test_setup_teardown(test_same_variable_names, load_two, unload_two),
        cmocka_unit_test_setup_teardown(test_exported_api_reaches_program, load_two, unload_two),
        cmocka_unit_test_setup_teardown(test_symbol_only_own_definitions, load_two, unload_two),
        cmocka_unit_test_setup_teardown(test_set_resolve, load_two, unload_two),
        cmocka_unit_test_setup_teardown(test_segments, load_two, unload_two),
        cmocka_unit_test_setup_teardown(test_register_segments, load_two, unload_two),
        cmocka_unit_test_setup_teardown(test_same_file_twice, load_two, unload_two),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_not_a_shared_object),
        cmocka_unit_test(test_undefined_symbol),
        cmocka_unit_test(test_internal_symbol_not_exported),
        cmocka_unit_test(test_bare_name_is_relative),
        cmocka_unit_test(test_check_runs_no_image_code),
        cmocka_unit_test(test_check_errors),
        cmocka_unit_test(test_check_corrupt_elf),
    };
    return cmocka_run_group_tests_name("sim_image", tests, NULL, NULL);
}
