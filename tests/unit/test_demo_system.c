/*
 * test_demo_system.c - the demo partitions and NS application (demo/) run end to end on a
 * minimal synchronous model of the SPM written here: SFN services are called directly, IPC
 * partitions run their real entry point until their psa_wait finds no message (it then
 * longjmps back), psa_panic and ffm_platform_reset longjmp to the boot loop, and NVMEM is a
 * static buffer that survives "resets". It checks the demo's own logic (three boots, exit
 * status 0, what is stored where, the service statuses) without ffm-sim; the PSA rules
 * themselves are the core's and the simulator's business and are not re-checked here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <ffmsim/platform.h>
#include <psa/client.h>
#include <psa/service.h>

#include "demo_services.h"
#include "psa_manifest/demo_crypto.h"
#include "psa_manifest/demo_platform.h"
#include "psa_manifest/demo_session.h"
#include "psa_manifest/demo_storage.h"
#include "psa_manifest/pid.h"
#include "psa_manifest/sid.h"
#include "sha256.h"

int ns_main(void);
psa_status_t demo_storage_init(void);
void demo_platform_main(void);
void demo_session_main(void);

#define NS_CLIENT (-1)
#define MSG_TAG (0x3D000000)
#define CONN_TAG (0x3C000000)
#define MAX_DEPTH (4)
#define MAX_CONNS (8)

enum reset_reason { BOOT_RUN = 0, BOOT_PANIC, BOOT_PLATFORM_RESET };

/* A message being served: the client's vectors and the per-vector progress. */
struct fake_msg {
    psa_msg_t msg;
    const psa_invec *in;
    size_t in_len;
    psa_outvec *out;
    size_t out_len;
    size_t read_off[PSA_MAX_IOVEC];
    size_t written[PSA_MAX_IOVEC];
    void **rhandle_slot; /* connection-based only */
    int fetched;
    int replied;
    psa_status_t status;
};

struct fake_conn {
    int live;
    void *rhandle;
};

static uint8_t g_nvmem[0x4000];
static uint32_t g_boot;
static jmp_buf g_reset_jmp;
static jmp_buf *g_wait_jmp;
static struct fake_msg *g_msgs[MAX_DEPTH];
static int g_depth;
static int32_t g_caller = NS_CLIENT;
static struct fake_conn g_conns[MAX_CONNS];
static struct fake_msg *g_pending; /* the message an IPC partition will psa_get */
static unsigned g_panics;

/* ------------------------------------------------------------------ message plumbing */

static struct fake_msg *msg_of(psa_handle_t h)
{
    int i = (int)(h - MSG_TAG);
    assert_true(i >= 0 && i < g_depth);
    return g_msgs[i];
}

static void msg_init(struct fake_msg *m, int32_t type, const psa_invec *in, size_t in_len,
                     psa_outvec *out, size_t out_len)
{
    memset(m, 0, sizeof(*m));
    assert_true(in_len + out_len <= PSA_MAX_IOVEC);
    m->msg.type = type;
    m->msg.handle = MSG_TAG + g_depth;
    m->msg.client_id = g_caller;
    m->in = in;
    m->in_len = in_len;
    m->out = out;
    m->out_len = out_len;
    for (size_t i = 0; i < in_len; i++) {
        m->msg.in_size[i] = in[i].len;
    }
    for (size_t i = 0; i < out_len; i++) {
        m->msg.out_size[i] = out[i].len;
    }
}

static void msg_complete(struct fake_msg *m)
{
    for (size_t i = 0; i < m->out_len; i++) {
        m->out[i].len = m->written[i];
    }
}

static psa_status_t run_sfn(psa_status_t (*sfn)(const psa_msg_t *), int32_t pid,
                            struct fake_msg *m)
{
    int32_t saved = g_caller;
    g_msgs[g_depth++] = m;
    g_caller = pid;
    m->status = sfn(&m->msg);
    g_caller = saved;
    g_depth--;
    msg_complete(m);
    return m->status;
}

/* Runs an IPC partition's real loop until it has replied and waits for more. */
static psa_status_t run_ipc(void (*entry)(void), int32_t pid, struct fake_msg *m)
{
    jmp_buf here;
    jmp_buf *saved_jmp = g_wait_jmp;
    int32_t saved = g_caller;
    g_msgs[g_depth++] = m;
    g_pending = m;
    g_wait_jmp = &here;
    g_caller = pid;
    if (setjmp(here) == 0) {
        entry();
        fail_msg("IPC entry point returned");
    }
    g_wait_jmp = saved_jmp;
    g_caller = saved;
    g_depth--;
    assert_true(m->replied);
    msg_complete(m);
    return m->status;
}

/* ------------------------------------------------------------------ partition API */

psa_signal_t psa_wait(psa_signal_t signal_mask, uint32_t timeout)
{
    assert_int_equal(timeout, PSA_BLOCK);
    if (g_pending != NULL && !g_pending->fetched) {
        return signal_mask & 0x10u;
    }
    longjmp(*g_wait_jmp, 1);
}

psa_status_t psa_get(psa_signal_t signal, psa_msg_t *msg)
{
    assert_int_equal(signal, 0x10u);
    assert_non_null(g_pending);
    g_pending->fetched = 1;
    *msg = g_pending->msg;
    return PSA_SUCCESS;
}

void psa_reply(psa_handle_t msg_handle, psa_status_t status)
{
    struct fake_msg *m = msg_of(msg_handle);
    assert_false(m->replied);
    m->replied = 1;
    m->status = status;
}

void psa_set_rhandle(psa_handle_t msg_handle, void *rhandle)
{
    struct fake_msg *m = msg_of(msg_handle);
    assert_non_null(m->rhandle_slot);
    *m->rhandle_slot = rhandle;
}

size_t psa_read(psa_handle_t msg_handle, uint32_t invec_idx, void *buffer, size_t num_bytes)
{
    struct fake_msg *m = msg_of(msg_handle);
    assert_true(invec_idx < PSA_MAX_IOVEC);
    if (invec_idx >= m->in_len) {
        return 0;
    }
    size_t left = m->in[invec_idx].len - m->read_off[invec_idx];
    size_t n = num_bytes < left ? num_bytes : left;
    memcpy(buffer, (const uint8_t *)m->in[invec_idx].base + m->read_off[invec_idx], n);
    m->read_off[invec_idx] += n;
    return n;
}

void psa_write(psa_handle_t msg_handle, uint32_t outvec_idx, const void *buffer,
               size_t num_bytes)
{
    struct fake_msg *m = msg_of(msg_handle);
    assert_true(outvec_idx < m->out_len || num_bytes == 0);
    if (num_bytes == 0) {
        return;
    }
    assert_true(num_bytes <= m->out[outvec_idx].len - m->written[outvec_idx]); /* WRITE-05 */
    memcpy((uint8_t *)m->out[outvec_idx].base + m->written[outvec_idx], buffer, num_bytes);
    m->written[outvec_idx] += num_bytes;
}

void psa_panic(void)
{
    g_panics++;
    longjmp(g_reset_jmp, BOOT_PANIC);
}

/* ------------------------------------------------------------------ platform API */

void *ffm_platform_nvmem(size_t *size)
{
    *size = sizeof(g_nvmem);
    return g_nvmem;
}

void ffm_platform_reset(void)
{
    longjmp(g_reset_jmp, BOOT_PLATFORM_RESET);
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

/* ------------------------------------------------------------------ client API */

uint32_t psa_framework_version(void)
{
    return PSA_FRAMEWORK_VERSION;
}

uint32_t psa_version(uint32_t sid)
{
    switch (sid) {
    case DEMO_ITS_SID:
    case DEMO_PLATFORM_SID:
    case DEMO_HASH_SID:
    case DEMO_HASH_STREAM_SID:
        return 1;
    case DEMO_NV_COUNTER_STORE_SID:
        return g_caller == DEMO_SP_PLATFORM ? 1u : PSA_VERSION_NONE;
    default:
        return PSA_VERSION_NONE;
    }
}

static psa_status_t call_connection(psa_handle_t handle, int32_t type, const psa_invec *in_vec,
                                    size_t in_len, psa_outvec *out_vec, size_t out_len)
{
    int slot = (int)(((uint32_t)handle >> 16) & 0xFFu);
    if (((uint32_t)handle & 0xFF000000u) != CONN_TAG || slot >= MAX_CONNS ||
        !g_conns[slot].live) {
        return PSA_ERROR_PROGRAMMER_ERROR; /* CALL-08, as the SPM returns it to NS */
    }
    struct fake_msg m;
    msg_init(&m, type, in_vec, in_len, out_vec, out_len);
    m.msg.rhandle = g_conns[slot].rhandle;
    m.rhandle_slot = &g_conns[slot].rhandle;
    return run_ipc(demo_session_main, DEMO_SP_SESSION, &m);
}

psa_status_t psa_call(psa_handle_t handle, int32_t type, const psa_invec *in_vec, size_t in_len,
                      psa_outvec *out_vec, size_t out_len)
{
    struct fake_msg m;
    msg_init(&m, type, in_vec, in_len, out_vec, out_len);
    switch ((uint32_t)handle) {
    case DEMO_ITS_HANDLE:
        return run_sfn(demo_its_sfn, DEMO_SP_STORAGE, &m);
    case DEMO_NV_COUNTER_STORE_HANDLE:
        assert_int_equal(g_caller, DEMO_SP_PLATFORM); /* its only declared dependent */
        return run_sfn(demo_nv_counter_store_sfn, DEMO_SP_STORAGE, &m);
    case DEMO_PLATFORM_HANDLE:
        return run_ipc(demo_platform_main, DEMO_SP_PLATFORM, &m);
    case DEMO_HASH_HANDLE:
        return run_sfn(demo_hash_sfn, DEMO_SP_CRYPTO, &m);
    default:
        return call_connection(handle, type, in_vec, in_len, out_vec, out_len);
    }
}

psa_handle_t psa_connect(uint32_t sid, uint32_t version)
{
    if (sid != DEMO_HASH_STREAM_SID || version != 1) {
        return PSA_ERROR_CONNECTION_REFUSED; /* CON-01/02, as the SPM returns it to NS */
    }
    for (int slot = 0; slot < MAX_CONNS; slot++) {
        if (!g_conns[slot].live) {
            struct fake_msg m;
            msg_init(&m, PSA_IPC_CONNECT, NULL, 0, NULL, 0);
            g_conns[slot].rhandle = NULL;
            m.rhandle_slot = &g_conns[slot].rhandle;
            psa_status_t st = run_ipc(demo_session_main, DEMO_SP_SESSION, &m);
            if (st != PSA_SUCCESS) {
                return st;
            }
            g_conns[slot].live = 1;
            return (psa_handle_t)(CONN_TAG | (slot << 16) | 1);
        }
    }
    return PSA_ERROR_CONNECTION_BUSY;
}

void psa_close(psa_handle_t handle)
{
    int slot = (int)(((uint32_t)handle >> 16) & 0xFFu);
    assert_true(slot < MAX_CONNS && g_conns[slot].live);
    struct fake_msg m;
    msg_init(&m, PSA_IPC_DISCONNECT, NULL, 0, NULL, 0);
    m.msg.rhandle = g_conns[slot].rhandle;
    run_ipc(demo_session_main, DEMO_SP_SESSION, &m);
    g_conns[slot].live = 0;
}

/* ------------------------------------------------------------------ the boots */

/* What a reset does here: SPM state gone (connections, messages), partitions re-initialised;
 * g_nvmem is kept. */
static void boot(uint32_t n)
{
    g_boot = n;
    g_depth = 0;
    g_caller = NS_CLIENT;
    g_pending = NULL;
    g_wait_jmp = NULL;
    memset(g_conns, 0, sizeof(g_conns));
    assert_int_equal(demo_storage_init(), PSA_SUCCESS);
}

/* One boot: ns_main's status, or -1 with *why set when the boot ended in a reset. */
static int boot_once(uint32_t n, enum reset_reason *why)
{
    boot(n);
    int jumped = setjmp(g_reset_jmp);
    if (jumped == BOOT_RUN) {
        return ns_main();
    }
    *why = (enum reset_reason)jumped;
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

static int setup_cold(void **state)
{
    (void)state;
    memset(g_nvmem, 0xFF, sizeof(g_nvmem));
    g_panics = 0;
    return 0;
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
    char buf[DEMO_ITS_MAX_DATA];
    size_t len = 0;
    assert_int_equal(ns_its_get(2, buf, sizeof(buf), &len), PSA_SUCCESS);
    assert_int_equal(len, 8);
    assert_memory_equal(buf, "dev-0042", 8);
    assert_int_equal(ns_its_get(1, buf, sizeof(buf), &len), PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(ns_its_get(4, buf, sizeof(buf), &len), PSA_ERROR_DOES_NOT_EXIST);
    uint32_t id = 0;
    uint32_t value = 0;
    psa_invec in[1] = {{&id, sizeof(id)}};
    psa_outvec out[1] = {{&value, sizeof(value)}};
    assert_int_equal(psa_call(DEMO_PLATFORM_HANDLE, DEMO_PLATFORM_TYPE_NV_COUNTER_READ, in, 1,
                              out, 1),
                     PSA_SUCCESS);
    assert_int_equal(value, 2);
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
    uint32_t id = 0;
    uint32_t value = 0;
    psa_invec in[1] = {{&id, sizeof(id)}};
    psa_outvec out[1] = {{&value, sizeof(value)}};
    assert_int_equal(psa_call(DEMO_PLATFORM_HANDLE, DEMO_PLATFORM_TYPE_NV_COUNTER_READ, in, 1,
                              out, 1),
                     PSA_SUCCESS);
    assert_int_equal(value, 4);
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

/* DEMO_ITS statuses seen by a client, through the real service code. */
static void test_its_service_statuses(void **state)
{
    (void)state;
    boot(1);
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
    /* Another client (a partition) does not see the NS client's object. */
    g_caller = DEMO_SP_CRYPTO;
    assert_int_equal(psa_call(DEMO_ITS_HANDLE, DEMO_ITS_TYPE_GET_INFO, set_in, 1, info_out, 1),
                     PSA_ERROR_DOES_NOT_EXIST);
    g_caller = NS_CLIENT;
    assert_int_equal(psa_call(DEMO_ITS_HANDLE, DEMO_ITS_TYPE_REMOVE, set_in, 1, NULL, 0),
                     PSA_SUCCESS);
}

/* DEMO_HASH over 0..3 vectors, compared with the library's one-shot digest; a short output. */
static void test_hash_service(void **state)
{
    (void)state;
    boot(1);
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

/* DEMO_HASH_STREAM: two sessions hash independently (per-connection rhandle), a third is
 * refused as busy, a closed session's context is reused. */
static void test_stream_sessions(void **state)
{
    (void)state;
    boot(1);
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

/* DEMO_PLATFORM counters: bad id, short output, and reads that never wrote anything. */
static void test_platform_counters(void **state)
{
    (void)state;
    boot(1);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_demo_runs_three_boots, setup_cold),
        cmocka_unit_test_setup(test_demo_reruns_on_kept_nvmem, setup_cold),
        cmocka_unit_test_setup(test_demo_detects_lost_counter, setup_cold),
        cmocka_unit_test_setup(test_its_service_statuses, setup_cold),
        cmocka_unit_test_setup(test_hash_service, setup_cold),
        cmocka_unit_test_setup(test_stream_sessions, setup_cold),
        cmocka_unit_test_setup(test_platform_counters, setup_cold),
    };
    return cmocka_run_group_tests_name("demo_system", tests, NULL, NULL);
}
