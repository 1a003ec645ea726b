/*
 * test_demo_system.c - the demo partitions and NS application (demo/) run end to end on the
 * real SPM core through the synchronous port (sim/syncport): the system is loaded from
 * manifests/demo with the manifest library, the SFN services, entry_init and IPC entry points
 * are registered with the port, and NS code runs as NS client -1, so every PSA rule of the core
 * applies. The port's `reset` panic policy (PANIC-02) stands in for ffm-sim --panic reset:
 * psa_panic and ffm_platform_reset stop the whole system and the boot loop boots it again;
 * NVMEM is a static buffer that survives those resets. It checks the demo's own logic (three
 * boots, exit status 0, what is stored where, the service statuses) without ffm-sim, and that
 * the checked-in generated headers (tests/fixtures/demo) match the manifests.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <ffmsim/flash.h>
#include <ffmsim/platform.h>
#include <psa/client.h>
#include <psa/service.h>

#include "demo_services.h"
#include "manifest/manifest.h"
#include "psa_manifest/demo_crypto.h"
#include "psa_manifest/demo_platform.h"
#include "psa_manifest/demo_session.h"
#include "psa_manifest/demo_storage.h"
#include "psa_manifest/demo_version.h"
#include "psa_manifest/pid.h"
#include "psa_manifest/sid.h"
#include "sha256.h"
#include "syncport.h"

int ns_main(void);
psa_status_t demo_storage_init(void);
void demo_platform_main(void);
void demo_session_main(void);
void demo_version_main(void);

#define DEMO_LIST "manifests/demo/demo_manifest_list.yaml"
#define DEMO_GEN "tests/fixtures/demo/psa_manifest/"
#define NS_CLIENT (-1)
#define OTHER_NS_CLIENT (-2)

enum reset_reason { BOOT_RUN = 0, BOOT_PANIC, BOOT_PLATFORM_RESET };

static uint8_t g_nvmem[0x4000];
static uint32_t g_boot;
static unsigned g_panics;
static struct ffm_manifest_set *g_set;
static const struct ffm_system_desc *g_desc;
static struct ffm_sync *g_h;

/* ------------------------------------------------------------------ platform API */

void *ffm_platform_nvmem(size_t *size)
{
    *size = sizeof(g_nvmem);
    return g_nvmem;
}

/* This board has no flash device: the storage partition keeps to NVMEM. */
int ffm_flash_info(unsigned device, struct ffm_flash_info *info)
{
    (void)device;
    (void)info;
    return FFM_FLASH_ERROR;
}

int ffm_flash_program(unsigned device, uint32_t addr, const void *data, size_t len)
{
    (void)device;
    (void)addr;
    (void)data;
    (void)len;
    return FFM_FLASH_ERROR;
}

int ffm_flash_erase(unsigned device, uint32_t sector_addr)
{
    (void)device;
    (void)sector_addr;
    return FFM_FLASH_ERROR;
}

void ffm_platform_reset(void)
{
    ffm_sync_reset(g_h); /* RESET-06: unwinds the whole system back to the boot loop */
}

uint32_t ffm_platform_boot_count(void)
{
    return g_boot;
}

void ffm_platform_log(int level, const char *fmt, ...)
{
    va_list ap;
    printf("[log %d] ", level);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
}

/* ------------------------------------------------------------------ the system */

static uint16_t partition_index(const char *name)
{
    for (uint16_t i = 0; i < g_desc->n_partitions; i++) {
        if (strcmp(g_desc->partitions[i].name, name) == 0) {
            return i;
        }
    }
    fail_msg("no partition %s in " DEMO_LIST, name);
    return 0;
}

static uint16_t service_index(const char *name)
{
    for (uint16_t i = 0; i < g_desc->n_services; i++) {
        if (strcmp(g_desc->services[i].name, name) == 0) {
            return i;
        }
    }
    fail_msg("no service %s in " DEMO_LIST, name);
    return 0;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[8192];
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

/* What follows a header's opening comment (the fixture copies say they are fixtures there). */
static const char *after_first_comment(const char *text)
{
    const char *end = strstr(text, "*/\n");
    assert_non_null(end);
    return end + 3;
}

/* The headers the demo sources are compiled against are what the manifests generate today. */
static void expect_fixture_headers_current(void)
{
    const char *const headers[] = { "sid.h", "pid.h", "demo_storage.h", "demo_platform.h",
                                    "demo_crypto.h", "demo_session.h", "demo_version.h" };
    char path[128];

    for (size_t i = 0; i < sizeof(headers) / sizeof(headers[0]); i++) {
        const char *generated = ffm_manifest_header_text(g_set, headers[i]);
        assert_non_null(generated);
        snprintf(path, sizeof(path), DEMO_GEN "%s", headers[i]);
        assert_string_equal(after_first_comment(read_file(path)),
                            after_first_comment(generated));
    }
}

/* Load manifests/demo, register the demo's code with a harness (kept for every test). */
static int setup_system(void **state)
{
    const char *lists[] = { DEMO_LIST };
    struct ffm_manifest_options opt = { .profile = FFM_PROFILE_SPEC, .lists = lists,
                                        .n_lists = 1 };

    (void)state;
    if (ffm_manifest_load(&opt, &g_set) != FFM_MANIFEST_OK) {
        ffm_manifest_print_diags(g_set, stderr);
        return -1;
    }
    g_desc = ffm_manifest_desc(g_set);
    g_h = ffm_sync_create();
    return g_h != NULL ? 0 : -1;
}

static int teardown_system(void **state)
{
    (void)state;
    ffm_sync_destroy(g_h);
    ffm_manifest_free(g_set);
    return 0;
}

static void register_demo(void)
{
    ffm_sync_set_init(g_h, partition_index("DEMO_SP_STORAGE"), demo_storage_init);
    ffm_sync_set_sfn(g_h, service_index("DEMO_ITS"), demo_its_sfn);
    ffm_sync_set_sfn(g_h, service_index("DEMO_NV_COUNTER_STORE"), demo_nv_counter_store_sfn);
    ffm_sync_set_sfn(g_h, service_index("DEMO_HASH"), demo_hash_sfn);
    ffm_sync_set_entry(g_h, partition_index("DEMO_SP_PLATFORM"), demo_platform_main);
    ffm_sync_set_entry(g_h, partition_index("DEMO_SP_SESSION"), demo_session_main);
    ffm_sync_set_entry(g_h, partition_index("DEMO_SP_VERSION"), demo_version_main);
}

/* Boot n of the system (a cold start or a reset): SPM state gone, partitions started again
 * (entry_init, entry points up to their first psa_wait); g_nvmem is kept. */
static void boot(uint32_t n)
{
    g_boot = n;
    assert_int_equal(ffm_sync_boot(g_h, g_desc, NULL), FFM_BOOT_OK);
    assert_int_equal(g_h->n_events, 0); /* entry_init succeeded, nothing panicked */
    assert_false(g_h->reset_requested);
}

struct ns_job {
    void (*fn)(void);
    int (*main_fn)(void);
    int rc;
};

static void ns_job_run(void *arg)
{
    struct ns_job *job = arg;

    if (job->main_fn != NULL) {
        job->rc = job->main_fn();
    } else {
        job->fn();
    }
}

/* Run NS code as client `id`; returns why it ended (FFM_SYNC_RAN or FFM_SYNC_RESET). */
static enum ffm_sync_unwind run_ns_as(int32_t id, void (*fn)(void))
{
    struct ffm_caller ns = ffm_sync_ns(id);
    struct ns_job job = { .fn = fn };

    return ffm_sync_run_as(g_h, &ns, ns_job_run, &job);
}

/* Run `fn` as the NS client; it must run to its end, with no PE and no reset. */
static void run_ns(void (*fn)(void))
{
    assert_int_equal(run_ns_as(NS_CLIENT, fn), FFM_SYNC_RAN);
    assert_int_equal(g_h->n_events, 0);
    assert_int_equal(g_h->deadlocks, 0);
}

/* One boot: ns_main's status, or -1 with *why set when the boot ended in a reset. */
static int boot_once(uint32_t n, enum reset_reason *why)
{
    struct ffm_caller ns = ffm_sync_ns(NS_CLIENT);
    struct ns_job job = { .main_fn = ns_main, .rc = -1 };

    boot(n);
    if (ffm_sync_run_as(g_h, &ns, ns_job_run, &job) == FFM_SYNC_RAN) {
        assert_false(g_h->reset_requested);
        return job.rc;
    }
    assert_true(g_h->reset_requested);
    if (g_h->panics == 0) {
        *why = BOOT_PLATFORM_RESET;
        return -1;
    }
    /* The only panic the demo asks for: DEMO_SP_PLATFORM's psa_panic self-test (PANIC-01). */
    const struct ffm_event *ev = ffm_sync_last_event(g_h);
    assert_non_null(ev);
    assert_string_equal(ffm_rule_id(ev->rule), "PANIC-01");
    assert_int_equal(ev->caller.id, DEMO_SP_PLATFORM);
    g_panics += g_h->panics;
    *why = BOOT_PANIC;
    return -1;
}

/* Runs the demo like ffm-sim --panic reset would; returns the final exit status and fills
 * the reasons of the resets seen. */
static int run_demo(enum reset_reason reasons[4], unsigned *n_resets)
{
    *n_resets = 0;
    for (uint32_t n = 1; n <= 4; n++) {
        enum reset_reason why = BOOT_RUN;
        int rc = boot_once(n, &why);
        if (why == BOOT_RUN) {
            return rc;
        }
        reasons[(*n_resets)++] = why;
    }
    return -1;
}

static psa_status_t ns_its_get(demo_its_uid_t uid, void *buf, size_t size, size_t *len)
{
    uint32_t offset = 0;
    psa_invec in[2] = {{&uid, sizeof(uid)}, {&offset, sizeof(offset)}};
    psa_outvec out[1] = {{buf, size}};
    psa_status_t st = psa_call(DEMO_ITS_HANDLE, DEMO_ITS_TYPE_GET, in, 2, out, 1);
    *len = out[0].len;
    return st;
}

/* NV counter 0, as the NS client reads it through DEMO_PLATFORM. */
static uint32_t ns_read_counter0(void)
{
    uint32_t id = 0;
    uint32_t value = 0;
    psa_invec in[1] = {{&id, sizeof(id)}};
    psa_outvec out[1] = {{&value, sizeof(value)}};
    assert_int_equal(psa_call(DEMO_PLATFORM_HANDLE, DEMO_PLATFORM_TYPE_NV_COUNTER_READ, in, 1,
                              out, 1),
                     PSA_SUCCESS);
    return value;
}

static int setup_cold(void **state)
{
    (void)state;
    memset(g_nvmem, 0xFF, sizeof(g_nvmem));
    g_panics = 0;
    ffm_sync_forget(g_h);
    g_h->policy = FFM_SYNC_POLICY_RESET; /* as ffm-sim's default --panic reset (PANIC-02) */
    register_demo();
    return 0;
}

static void demo_runs_three_boots_ns(void)
{
    char buf[DEMO_ITS_MAX_DATA];
    size_t len = 0;
    assert_int_equal(ns_its_get(2, buf, sizeof(buf), &len), PSA_SUCCESS);
    assert_int_equal(len, 8);
    assert_memory_equal(buf, "dev-0042", 8);
    assert_int_equal(ns_its_get(1, buf, sizeof(buf), &len), PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(ns_its_get(4, buf, sizeof(buf), &len), PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(ns_read_counter0(), 2);
}

/* Cold start: boot 1 panics, boot 2 requests a reset, boot 3 returns 0; afterwards only the
 * write-once 'device-id' is left in ITS, and the counter is 2. */
static void test_demo_runs_three_boots(void **state)
{
    (void)state;
    enum reset_reason reasons[4];
    unsigned n_resets = 0;
    assert_int_equal(run_demo(reasons, &n_resets), 0);
    assert_int_equal(n_resets, 2);
    assert_int_equal(reasons[0], BOOT_PANIC);
    assert_int_equal(reasons[1], BOOT_PLATFORM_RESET);
    assert_int_equal(g_panics, 1);

    boot(4);
    run_ns(demo_runs_three_boots_ns);
}

static void demo_reruns_on_kept_nvmem_ns(void)
{
    assert_int_equal(ns_read_counter0(), 4);
}

/* Two runs on the same NVMEM (ffm-sim --nvmem FILE): in the second, 'device-id' is already
 * provisioned and the counter goes on from 2 to 4; the demo still passes. */
static void test_demo_reruns_on_kept_nvmem(void **state)
{
    (void)state;
    enum reset_reason reasons[4];
    unsigned n_resets = 0;
    assert_int_equal(run_demo(reasons, &n_resets), 0);
    assert_int_equal(run_demo(reasons, &n_resets), 0);
    assert_int_equal(n_resets, 2);
    boot(4);
    run_ns(demo_reruns_on_kept_nvmem_ns);
}

/* If the counter does not match what was recorded before the reset, boot 2 fails. */
static void test_demo_detects_lost_counter(void **state)
{
    (void)state;
    /* Run boot 1 only, then wipe the counter area (first 1 KiB) behind the demo's back. */
    enum reset_reason why = BOOT_RUN;
    assert_int_equal(boot_once(1, &why), -1);
    assert_int_equal(why, BOOT_PANIC);
    memset(g_nvmem, 0xFF, 1024);
    why = BOOT_RUN;
    assert_int_equal(boot_once(2, &why), 1);
    assert_int_equal(why, BOOT_RUN);
}

/* Runs as another NS client: it must not see client -1's object 9. */
static void its_other_client_ns(void)
{
    demo_its_uid_t uid = 9;
    struct demo_its_info info;
    psa_invec in[1] = {{&uid, sizeof(uid)}};
    psa_outvec out[1] = {{&info, sizeof(info)}};
    assert_int_equal(psa_call(DEMO_ITS_HANDLE, DEMO_ITS_TYPE_GET_INFO, in, 1, out, 1),
                     PSA_ERROR_DOES_NOT_EXIST);
}

static void its_service_statuses_ns(void)
{
    demo_its_uid_t uid = 9;
    uint32_t flags = 0;
    char big[DEMO_ITS_MAX_DATA + 1];
    memset(big, 'x', sizeof(big));
    psa_invec set_in[3] = {{&uid, sizeof(uid)}, {big, sizeof(big)}, {&flags, sizeof(flags)}};
    assert_int_equal(psa_call(DEMO_ITS_HANDLE, DEMO_ITS_TYPE_SET, set_in, 3, NULL, 0),
                     PSA_ERROR_INVALID_ARGUMENT);
    set_in[1].len = DEMO_ITS_MAX_DATA;
    assert_int_equal(psa_call(DEMO_ITS_HANDLE, DEMO_ITS_TYPE_SET, set_in, 3, NULL, 0),
                     PSA_SUCCESS);
    flags = 0x4u;
    assert_int_equal(psa_call(DEMO_ITS_HANDLE, DEMO_ITS_TYPE_SET, set_in, 3, NULL, 0),
                     PSA_ERROR_NOT_SUPPORTED);
    assert_int_equal(psa_call(DEMO_ITS_HANDLE, PSA_IPC_CALL, set_in, 1, NULL, 0),
                     PSA_ERROR_NOT_SUPPORTED);
    psa_invec short_uid[1] = {{&uid, 4}};
    assert_int_equal(psa_call(DEMO_ITS_HANDLE, DEMO_ITS_TYPE_REMOVE, short_uid, 1, NULL, 0),
                     PSA_ERROR_INVALID_ARGUMENT);
    struct demo_its_info info;
    psa_outvec info_out[1] = {{&info, sizeof(info) - 1}};
    assert_int_equal(psa_call(DEMO_ITS_HANDLE, DEMO_ITS_TYPE_GET_INFO, set_in, 1, info_out, 1),
                     PSA_ERROR_BUFFER_TOO_SMALL);
    info_out[0].len = sizeof(info);
    assert_int_equal(psa_call(DEMO_ITS_HANDLE, DEMO_ITS_TYPE_GET_INFO, set_in, 1, info_out, 1),
                     PSA_SUCCESS);
    assert_int_equal(info_out[0].len, sizeof(info));
    assert_int_equal(info.size, DEMO_ITS_MAX_DATA);
    assert_int_equal(info.capacity, DEMO_ITS_MAX_DATA);
    /* Another client does not see the NS client's object. */
    assert_int_equal(run_ns_as(OTHER_NS_CLIENT, its_other_client_ns), FFM_SYNC_RAN);
    assert_int_equal(psa_call(DEMO_ITS_HANDLE, DEMO_ITS_TYPE_REMOVE, set_in, 1, NULL, 0),
                     PSA_SUCCESS);
}

/* DEMO_ITS statuses seen by a client, through the real service code. */
static void test_its_service_statuses(void **state)
{
    (void)state;
    boot(1);
    run_ns(its_service_statuses_ns);
}

static void hash_service_ns(void)
{
    uint8_t msg[300];
    for (size_t i = 0; i < sizeof(msg); i++) {
        msg[i] = (uint8_t)(i * 13u);
    }
    uint8_t want[SHA256_DIGEST_SIZE];
    sha256(msg, sizeof(msg), want);
    uint8_t digest[SHA256_DIGEST_SIZE];
    psa_invec in[3] = {{msg, 100}, {msg + 100, 1}, {msg + 101, 199}};
    psa_outvec out[1] = {{digest, sizeof(digest)}};
    assert_int_equal(psa_call(DEMO_HASH_HANDLE, DEMO_HASH_TYPE_SHA256, in, 3, out, 1),
                     PSA_SUCCESS);
    assert_int_equal(out[0].len, sizeof(digest));
    assert_memory_equal(digest, want, sizeof(want));
    sha256("", 0, want);
    assert_int_equal(psa_call(DEMO_HASH_HANDLE, DEMO_HASH_TYPE_SHA256, NULL, 0, out, 1),
                     PSA_SUCCESS);
    assert_memory_equal(digest, want, sizeof(want));
    out[0].len = SHA256_DIGEST_SIZE - 1;
    assert_int_equal(psa_call(DEMO_HASH_HANDLE, DEMO_HASH_TYPE_SHA256, in, 3, out, 1),
                     PSA_ERROR_BUFFER_TOO_SMALL);
    assert_int_equal(out[0].len, 0);
    assert_int_equal(psa_call(DEMO_HASH_HANDLE, 2, in, 3, out, 1), PSA_ERROR_NOT_SUPPORTED);
}

/* DEMO_HASH over 0..3 vectors, compared with the library's one-shot digest; a short output. */
static void test_hash_service(void **state)
{
    (void)state;
    boot(1);
    run_ns(hash_service_ns);
}

static void stream_sessions_ns(void)
{
    psa_handle_t a = psa_connect(DEMO_HASH_STREAM_SID, 1);
    psa_handle_t b = psa_connect(DEMO_HASH_STREAM_SID, 1);
    assert_true(PSA_HANDLE_IS_VALID(a) && PSA_HANDLE_IS_VALID(b));
    assert_int_equal(psa_connect(DEMO_HASH_STREAM_SID, 1), PSA_ERROR_CONNECTION_BUSY);
    psa_invec abc[1] = {{"abc", 3}};
    psa_invec ab[1] = {{"ab", 2}};
    psa_invec c[1] = {{"c", 1}};
    assert_int_equal(psa_call(a, DEMO_HASH_STREAM_TYPE_UPDATE, ab, 1, NULL, 0), PSA_SUCCESS);
    assert_int_equal(psa_call(b, DEMO_HASH_STREAM_TYPE_UPDATE, abc, 1, NULL, 0), PSA_SUCCESS);
    assert_int_equal(psa_call(a, DEMO_HASH_STREAM_TYPE_UPDATE, c, 1, NULL, 0), PSA_SUCCESS);
    uint8_t da[SHA256_DIGEST_SIZE];
    uint8_t db[SHA256_DIGEST_SIZE];
    uint8_t want[SHA256_DIGEST_SIZE];
    sha256("abc", 3, want);
    psa_outvec oa[1] = {{da, sizeof(da)}};
    psa_outvec ob[1] = {{db, sizeof(db)}};
    assert_int_equal(psa_call(a, DEMO_HASH_STREAM_TYPE_FINISH, NULL, 0, oa, 1), PSA_SUCCESS);
    assert_int_equal(psa_call(b, DEMO_HASH_STREAM_TYPE_FINISH, NULL, 0, ob, 1), PSA_SUCCESS);
    assert_memory_equal(da, want, sizeof(want));
    assert_memory_equal(db, want, sizeof(want));
    /* After FINISH the session starts a new, empty message. */
    sha256("", 0, want);
    assert_int_equal(psa_call(a, DEMO_HASH_STREAM_TYPE_FINISH, NULL, 0, oa, 1), PSA_SUCCESS);
    assert_memory_equal(da, want, sizeof(want));
    oa[0].len = 8;
    assert_int_equal(psa_call(a, DEMO_HASH_STREAM_TYPE_FINISH, NULL, 0, oa, 1),
                     PSA_ERROR_BUFFER_TOO_SMALL);
    assert_int_equal(psa_call(a, 7, NULL, 0, NULL, 0), PSA_ERROR_NOT_SUPPORTED);
    psa_close(b);
    psa_handle_t again = psa_connect(DEMO_HASH_STREAM_SID, 1);
    assert_true(PSA_HANDLE_IS_VALID(again));
    psa_close(again);
    psa_close(a);
}

/* DEMO_HASH_STREAM: two sessions hash independently (per-connection rhandle), a third is
 * refused as busy, a closed session's context is reused. */
static void test_stream_sessions(void **state)
{
    (void)state;
    boot(1);
    run_ns(stream_sessions_ns);
}

static void version_service_ns(void)
{
    psa_handle_t h = psa_connect(DEMO_VERSION_SID, DEMO_VERSION_VERSION);
    assert_true(PSA_HANDLE_IS_VALID(h));
    char text[DEMO_VERSION_TEXT_MAX];
    uint32_t number = 0;
    psa_outvec ot[1] = {{text, sizeof(text)}};
    psa_outvec on[1] = {{&number, sizeof(number)}};
    assert_int_equal(psa_call(h, DEMO_VERSION_TYPE_TEXT, NULL, 0, ot, 1), PSA_SUCCESS);
    assert_int_equal(ot[0].len, strlen(DEMO_FIRMWARE_VERSION_TEXT));
    assert_memory_equal(text, DEMO_FIRMWARE_VERSION_TEXT, ot[0].len);
    assert_int_equal(psa_call(h, DEMO_VERSION_TYPE_NUMBER, NULL, 0, on, 1), PSA_SUCCESS);
    assert_int_equal(on[0].len, sizeof(number));
    assert_int_equal(number, DEMO_FIRMWARE_VERSION_NUMBER);
    on[0].len = 2;
    assert_int_equal(psa_call(h, DEMO_VERSION_TYPE_NUMBER, NULL, 0, on, 1),
                     PSA_ERROR_BUFFER_TOO_SMALL);
    assert_int_equal(psa_call(h, 9, NULL, 0, NULL, 0), PSA_ERROR_NOT_SUPPORTED);
    psa_close(h);
}

/* DEMO_VERSION (connection-based as written): text and number, a short buffer, an unknown
 * type; any number of calls on one connection. */
static void test_version_service(void **state)
{
    (void)state;
    boot(1);
    run_ns(version_service_ns);
}

static void platform_counters_ns(void)
{
    uint32_t id = DEMO_NV_COUNTER_COUNT;
    uint32_t value = 77;
    psa_invec in[1] = {{&id, sizeof(id)}};
    psa_outvec out[1] = {{&value, sizeof(value)}};
    assert_int_equal(psa_call(DEMO_PLATFORM_HANDLE, DEMO_PLATFORM_TYPE_NV_COUNTER_INCREMENT, in,
                              1, out, 1),
                     PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(out[0].len, 0); /* nothing written (CALL-29) */
    id = 1;
    out[0].len = sizeof(value);
    assert_int_equal(psa_call(DEMO_PLATFORM_HANDLE, DEMO_PLATFORM_TYPE_NV_COUNTER_READ, in, 1,
                              out, 1),
                     PSA_SUCCESS);
    assert_int_equal(value, 0);
    out[0].len = 2;
    assert_int_equal(psa_call(DEMO_PLATFORM_HANDLE, DEMO_PLATFORM_TYPE_NV_COUNTER_READ, in, 1,
                              out, 1),
                     PSA_ERROR_BUFFER_TOO_SMALL);
    assert_int_equal(psa_call(DEMO_PLATFORM_HANDLE, DEMO_PLATFORM_TYPE_NV_COUNTER_INCREMENT, in,
                              1, NULL, 0),
                     PSA_SUCCESS);
    out[0].len = sizeof(value);
    assert_int_equal(psa_call(DEMO_PLATFORM_HANDLE, DEMO_PLATFORM_TYPE_NV_COUNTER_READ, in, 1,
                              out, 1),
                     PSA_SUCCESS);
    assert_int_equal(value, 1);
    assert_int_equal(psa_call(DEMO_PLATFORM_HANDLE, 99, in, 1, out, 1), PSA_ERROR_NOT_SUPPORTED);
}

/* DEMO_PLATFORM counters: bad id, short output, and reads that never wrote anything. */
static void test_platform_counters(void **state)
{
    (void)state;
    boot(1);
    run_ns(platform_counters_ns);
}

/* The checked-in headers the demo is compiled against match the manifests. */
static void test_fixture_headers_match_manifests(void **state)
{
    (void)state;
    expect_fixture_headers_current();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_demo_runs_three_boots, setup_cold),
        cmocka_unit_test_setup(test_demo_reruns_on_kept_nvmem, setup_cold),
        cmocka_unit_test_setup(test_demo_detects_lost_counter, setup_cold),
        cmocka_unit_test_setup(test_its_service_statuses, setup_cold),
        cmocka_unit_test_setup(test_hash_service, setup_cold),
        cmocka_unit_test_setup(test_stream_sessions, setup_cold),
        cmocka_unit_test_setup(test_version_service, setup_cold),
        cmocka_unit_test_setup(test_platform_counters, setup_cold),
        cmocka_unit_test(test_fixture_headers_match_manifests),
    };
    return cmocka_run_group_tests_name("demo_system", tests, setup_system, teardown_system);
}
