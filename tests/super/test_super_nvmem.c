/*
 * test_nvmem.c - the persistent NVMEM region (RESET-03..05): erased (0xFF) only at cold start,
 * file-backed content kept across opens, wrong-size files refused with a clear message, and
 * the optional fixed base address.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nvmem.h"
#include "super_util.h"

static char path[512];

static int setup(void **unused)
{
    (void)unused;
    scratch_path(path, sizeof(path), "nvmem.bin");
    return 0;
}

static int teardown(void **unused)
{
    (void)unused;
    unlink(path);
    return 0;
}

static bool all_bytes_are(const struct ffm_nvmem *nv, unsigned char value)
{
    const unsigned char *p = nv->addr;
    size_t i;

    for (i = 0; i < nv->size; i++) {
        if (p[i] != value) {
            return false;
        }
    }
    return true;
}

static void write_file(const char *content, size_t len)
{
    FILE *f = fopen(path, "wb");

    assert_non_null(f);
    assert_int_equal(fwrite(content, 1, len, f), len);
    fclose(f);
}

/* RESET-04: an anonymous region is erased at creation. */
static void test_anonymous_region_is_erased(void **unused)
{
    struct ffm_nvmem_config cfg = { .size = 5000 };
    struct ffm_nvmem nv;

    (void)unused;
    assert_int_equal(ffm_nvmem_open(&nv, &cfg, NULL, 0), FFM_NVMEM_OK);
    assert_true(nv.cold);
    assert_false(nv.file_backed);
    assert_int_equal(nv.size, 5000);
    assert_true(nv.map_size >= 5000 && nv.map_size % (size_t)sysconf(_SC_PAGESIZE) == 0);
    assert_true(all_bytes_are(&nv, 0xFF));
    ffm_nvmem_close(&nv);
    assert_null(nv.addr);
    ffm_nvmem_close(&nv); /* closing twice is harmless */
}

/* RESET-03/04: a new file is erased; its content then survives close and reopen. */
static void test_file_content_survives_reopen(void **unused)
{
    struct ffm_nvmem_config cfg = { .size = 100, .path = path };
    struct ffm_nvmem nv;

    (void)unused;
    assert_int_equal(ffm_nvmem_open(&nv, &cfg, NULL, 0), FFM_NVMEM_OK);
    assert_true(nv.cold);
    assert_true(nv.file_backed);
    assert_true(all_bytes_are(&nv, 0xFF));
    memcpy(nv.addr, "persisted", 10);
    ffm_nvmem_close(&nv);

    assert_int_equal(ffm_nvmem_open(&nv, &cfg, NULL, 0), FFM_NVMEM_OK);
    assert_false(nv.cold);
    assert_string_equal((char *)nv.addr, "persisted");
    assert_int_equal(((unsigned char *)nv.addr)[10], 0xFF);
    ffm_nvmem_close(&nv);
}

/* An empty existing file (touch, mkstemp) counts as new: erased and sized. */
static void test_empty_file_counts_as_cold(void **unused)
{
    struct ffm_nvmem_config cfg = { .size = 64, .path = path };
    struct ffm_nvmem nv;
    size_t len = 0;
    char *data;

    (void)unused;
    write_file("", 0);
    assert_int_equal(ffm_nvmem_open(&nv, &cfg, NULL, 0), FFM_NVMEM_OK);
    assert_true(nv.cold);
    assert_true(all_bytes_are(&nv, 0xFF));
    ffm_nvmem_close(&nv);
    data = read_whole_file(path, &len);
    assert_int_equal(len, 64);
    assert_int_equal((unsigned char)data[63], 0xFF);
    free(data);
}

/* A file of another size is refused, naming the file and both sizes; it is left untouched. */
static void test_wrong_size_file_is_refused(void **unused)
{
    struct ffm_nvmem_config cfg = { .size = 64, .path = path };
    struct ffm_nvmem nv;
    char err[700], expected[700];
    size_t len = 0;
    char *data;

    (void)unused;
    write_file("twelve bytes", 12);
    assert_int_equal(ffm_nvmem_open(&nv, &cfg, err, sizeof(err)), FFM_NVMEM_WRONG_SIZE);
    snprintf(expected, sizeof(expected), "nvmem file %s has 12 bytes, expected 64", path);
    assert_string_equal(err, expected);
    assert_null(nv.addr);
    data = read_whole_file(path, &len);
    assert_int_equal(len, 12);
    free(data);
}

static void test_bad_configurations_are_refused(void **unused)
{
    struct ffm_nvmem_config zero = { .size = 0 };
    struct ffm_nvmem_config unaligned = { .size = 64, .base = 0x40000001u };
    struct ffm_nvmem_config directory = { .size = 64, .path = "/" };
    struct ffm_nvmem nv;
    char err[256];

    (void)unused;
    assert_int_equal(ffm_nvmem_open(&nv, &zero, err, sizeof(err)), FFM_NVMEM_BAD_CONFIG);
    assert_string_equal(err, "nvmem: size 0 and base 0x0: need size > 0 and a page-aligned "
                             "base");
    assert_int_equal(ffm_nvmem_open(&nv, &unaligned, NULL, 0), FFM_NVMEM_BAD_CONFIG);
    assert_int_equal(ffm_nvmem_open(&nv, &directory, err, sizeof(err)),
                     FFM_NVMEM_FILE_ERROR);
    assert_string_equal(err, "nvmem file /: Is a directory");
}

/* A base below 4 GiB where the host allows it (macOS reserves the low 4 GiB: use 12 GiB). */
#ifdef __APPLE__
#define FIXED_BASE ((uintptr_t)0x300000000ull)
#else
#define FIXED_BASE ((uintptr_t)0x3f000000u)
#endif

/* The region lands exactly at its base; a second region at the same base is refused instead
 * of replacing the first. */
static void test_fixed_base_is_exact_and_never_clobbers(void **unused)
{
    struct ffm_nvmem_config cfg = { .size = 8192, .base = FIXED_BASE };
    struct ffm_nvmem nv, again;
    char err[256];

    (void)unused;
    assert_int_equal(ffm_nvmem_open(&nv, &cfg, NULL, 0), FFM_NVMEM_OK);
    assert_ptr_equal(nv.addr, (void *)FIXED_BASE);
    memset(nv.addr, 0x5A, 16);
    assert_int_equal(ffm_nvmem_open(&again, &cfg, err, sizeof(err)), FFM_NVMEM_BASE_TAKEN);
    assert_non_null(strstr(err, "address already in use"));
    assert_int_equal(((unsigned char *)nv.addr)[0], 0x5A);
    ffm_nvmem_close(&nv);
}

/* What a second process gets from ffm_nvmem_open on `path`: its status, and its message in
 * `err` (the child writes it through a pipe). */
static enum ffm_nvmem_status open_in_other_process(const struct ffm_nvmem_config *cfg,
                                                   char *err, size_t err_size)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct ffm_nvmem nv;
        char msg[256] = "";
        enum ffm_nvmem_status st = ffm_nvmem_open(&nv, cfg, msg, sizeof(msg));
        if (st == FFM_NVMEM_OK) {
            ((unsigned char *)nv.addr)[0] = 0x11; /* the interleaving the lock prevents */
            ffm_nvmem_close(&nv);
        }
        (void)!write(fds[1], msg, strlen(msg));
        _exit((int)st);
    }
    close(fds[1]);
    ssize_t n = read(fds[0], err, err_size - 1);
    err[n > 0 ? (size_t)n : 0] = '\0';
    close(fds[0]);
    int wst = 0;
    assert_int_equal(waitpid(pid, &wst, 0), pid);
    assert_true(WIFEXITED(wst));
    return (enum ffm_nvmem_status)WEXITSTATUS(wst);
}

/* Two runs sharing one file: the second is refused with the holder named, the first run's
 * bytes are untouched, and the file is free again once the first run closes it. */
static void test_file_in_use_is_refused(void **unused)
{
    struct ffm_nvmem_config cfg = { .size = 64, .path = path };
    struct ffm_nvmem nv;
    char err[256];
    char expected[700];

    (void)unused;
    assert_int_equal(ffm_nvmem_open(&nv, &cfg, NULL, 0), FFM_NVMEM_OK);
    memset(nv.addr, 0x42, nv.size);
    assert_int_equal(open_in_other_process(&cfg, err, sizeof(err)), FFM_NVMEM_LOCKED);
    snprintf(expected, sizeof(expected), "nvmem file %s is in use by another run (process %ld)",
             path, (long)getpid());
    assert_string_equal(err, expected);
    assert_true(all_bytes_are(&nv, 0x42));
    ffm_nvmem_close(&nv);
    assert_int_equal(open_in_other_process(&cfg, err, sizeof(err)), FFM_NVMEM_OK);
    assert_string_equal(err, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_anonymous_region_is_erased, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_content_survives_reopen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_file_counts_as_cold, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_size_file_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_configurations_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fixed_base_is_exact_and_never_clobbers, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_file_in_use_is_refused, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
