/*
 * test_core_partition.c - partition APIs on the synchronous port: psa_wait, psa_get,
 * psa_set_rhandle, psa_read, psa_skip, psa_write, psa_reply and the SFN model (WAIT-01..04,
 * GET-01..08, RH-01..04, READ-01..08, SKIP-01..06, WRITE-01..09, REPLY-01..10, HDL-21,
 * GEN-03, PANIC-07, SIG-05..07), with the check orders of ffm-rules.md §5.2.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/fixture.h"

static const struct ffm_caller NS = { .client_id = -1, .secure = false };

/* A partition API call by `c` that must be a PE of `rule`, event n; the caller panics. */
static void expect_pe(struct ffm_sync *h, const struct ffm_caller *c, struct ffm_ret ret,
                      unsigned n, enum ffm_rule rule, enum ffm_api api)
{
    struct ffm_sync_result r = ffm_sync_settle(h, c, ret);

    assert_true(r.panicked);
    fx_expect_event(h, n, rule, api, c, FFM_DISP_PANIC);
    if (c->secure) {
        assert_true(ffm_spm_partition_is_faulted(&h->spm, c->partition));
    }
}

/* Queue one NS stateless call to SL_SVC with the given vectors and fetch it as P0. */
static psa_msg_t fetch_sl_call(struct ffm_sync *h, int *wait_id, const psa_invec *in,
                               size_t in_len, psa_outvec *out, size_t out_len)
{
    struct ffm_sync_result now;

    *wait_id = ffm_sync_begin_call(h, &NS, FX_H_SL, 1, in, in_len, out, out_len, &now);
    assert_true(*wait_id >= 0);
    return fx_get(h, FX_P_IPC, FX_SIG_SL);
}

/* GEN-03: an NS caller of any service.h / lifecycle.h API is a PE with the panic disposition. */
static void test_ns_calls_partition_api(void **state)
{
    struct ffm_sync *h = *state;
    psa_msg_t msg;
    char buf[4];
    const struct {
        struct ffm_ret ret;
        enum ffm_api api;
    } cases[] = {
        { ffm_psa_wait(&h->spm, &NS, PSA_WAIT_ANY, PSA_POLL), FFM_API_WAIT },
        { ffm_psa_get(&h->spm, &NS, FX_SIG_CB, &msg), FFM_API_GET },
        { ffm_psa_set_rhandle(&h->spm, &NS, 1, NULL), FFM_API_SET_RHANDLE },
        { ffm_psa_read(&h->spm, &NS, 1, 0, buf, 4), FFM_API_READ },
        { ffm_psa_skip(&h->spm, &NS, 1, 0, 4), FFM_API_SKIP },
        { ffm_psa_write(&h->spm, &NS, 1, 0, buf, 4), FFM_API_WRITE },
        { ffm_psa_reply(&h->spm, &NS, 1, 0), FFM_API_REPLY },
        { ffm_psa_notify(&h->spm, &NS, FX_PID_IPC), FFM_API_NOTIFY },
        { ffm_psa_clear(&h->spm, &NS), FFM_API_CLEAR },
        { ffm_psa_eoi(&h->spm, &NS, FX_SIG_SLIH), FFM_API_EOI },
        { ffm_psa_irq_enable(&h->spm, &NS, FX_SIG_SLIH), FFM_API_IRQ_ENABLE },
        { ffm_psa_irq_disable(&h->spm, &NS, FX_SIG_SLIH), FFM_API_IRQ_DISABLE },
        { ffm_psa_reset_signal(&h->spm, &NS, FX_SIG_FLIH), FFM_API_RESET_SIGNAL },
        { ffm_psa_panic(&h->spm, &NS), FFM_API_PANIC },
        { ffm_psa_rot_lifecycle_state(&h->spm, &NS), FFM_API_ROT_LIFECYCLE_STATE },
        { ffm_psa_map_invec(&h->spm, &NS, 1, 0), FFM_API_MAP_INVEC },
        { ffm_psa_unmap_invec(&h->spm, &NS, 1, 0), FFM_API_UNMAP_INVEC },
        { ffm_psa_map_outvec(&h->spm, &NS, 1, 0), FFM_API_MAP_OUTVEC },
        { ffm_psa_unmap_outvec(&h->spm, &NS, 1, 0, 0), FFM_API_UNMAP_OUTVEC },
    };
    const size_t n = sizeof(cases) / sizeof(cases[0]);

    assert_int_equal(h->n_events, n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(cases[i].ret.next, FFM_NEXT_PANIC);
        assert_int_equal(h->events[i].rule, FFM_RULE_GEN_03);
        assert_int_equal(h->events[i].api, cases[i].api);
        assert_false(h->events[i].caller.secure);
        assert_int_equal(h->events[i].caller.id, -1);
        assert_int_equal(h->events[i].disposition, FFM_DISP_PANIC);
        assert_int_equal(h->events[i].seq, i + 1);
    }
    assert_int_equal(ffm_sync_settle(h, &NS, cases[0].ret).panicked, true);
    assert_int_equal(h->panics, 1);
    for (uint16_t p = 0; p < FX_N_PARTITIONS; p++) {
        assert_false(ffm_spm_partition_is_faulted(&h->spm, p));
    }
}

/* WAIT-01: no allowed signal in the mask (IPC and SFN partitions). */
static void test_wait_mask_errors(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller p0 = ffm_sync_sp(h, FX_P_IPC);
    struct ffm_caller client = ffm_sync_sp(h, FX_P_CLIENT);
    struct ffm_caller sfn = ffm_sync_sp(h, FX_P_SFN);

    expect_pe(h, &p0, ffm_psa_wait(&h->spm, &p0, 0, PSA_POLL), 1, FFM_RULE_WAIT_01,
              FFM_API_WAIT);
    expect_pe(h, &client, ffm_psa_wait(&h->spm, &client, 0x80000000u, PSA_POLL), 2,
              FFM_RULE_WAIT_01, FFM_API_WAIT);
    /* SIG-05: an SFN partition has no service signals to wait for. */
    expect_pe(h, &sfn, ffm_psa_wait(&h->spm, &sfn, 0x30u, PSA_POLL), 3, FFM_RULE_WAIT_01,
              FFM_API_WAIT);
}

/* WAIT-02, WAIT-03, WAIT-04: extra bits ignored, only bit 31 of timeout counts, signals outside the mask
 * stay asserted; a blocked wait is woken by the port (ffm_port_wake). */
static void test_wait_semantics(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller p0 = ffm_sync_sp(h, FX_P_IPC);
    struct ffm_caller sfn = ffm_sync_sp(h, FX_P_SFN);
    struct ffm_sync_result now;

    assert_int_equal(ffm_psa_wait(&h->spm, &p0, PSA_WAIT_ANY, PSA_POLL).value, 0);
    assert_int_equal(ffm_psa_wait(&h->spm, &p0, FX_SIG_CB | 0x7u, 0x7FFFFFFFu).value, 0);
    assert_int_equal(ffm_psa_wait(&h->spm, &p0, FX_SIG_CB, PSA_BLOCK | 0xFFu).next,
                     FFM_NEXT_BLOCK);
    h->part[FX_P_IPC].pending = false;
    int w = ffm_sync_begin_call(h, &NS, FX_H_SL, 0, NULL, 0, NULL, 0, &now);
    assert_true(h->part[FX_P_IPC].pending); /* the port was told to wake P0 */
    assert_int_equal(ffm_psa_wait(&h->spm, &p0, FX_SIG_CB, PSA_BLOCK).next, FFM_NEXT_BLOCK);
    assert_int_equal(ffm_psa_wait(&h->spm, &p0, FX_SIG_CB | FX_SIG_SL | 0x7u, PSA_BLOCK).value,
                     FX_SIG_SL);
    assert_int_equal(ffm_psa_wait(&h->spm, &p0, FX_SIG_CB, PSA_POLL).value, 0);
    assert_int_equal(ffm_psa_wait(&h->spm, &p0, PSA_WAIT_ANY, PSA_POLL).value, FX_SIG_SL);
    fx_reply(h, FX_P_IPC, fx_get(h, FX_P_IPC, FX_SIG_SL).handle, 0);
    assert_int_equal(ffm_sync_poll(h, w).value, 0);
    assert_int_equal(ffm_psa_wait(&h->spm, &sfn, PSA_WAIT_ANY, PSA_POLL).value, 0);
    assert_int_equal(h->n_events, 0);
    fx_expect_quiescent(h);
}

/* GET-06, GET-01, GET-07, GET-04, GET-02, each as the first failing check. */
static void test_get_errors(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller p0 = ffm_sync_sp(h, FX_P_IPC);
    struct ffm_caller sfn = ffm_sync_sp(h, FX_P_SFN);
    static psa_msg_t ro_msg;
    struct ffm_sync_region ro = { .base = (uintptr_t)&ro_msg, .size = sizeof(ro_msg),
                                  .readable = true, .writable = false };
    psa_msg_t msg;
    int w;

    assert_true(ffm_sync_add_region(h, &ro));
    expect_pe(h, &sfn, ffm_psa_get(&h->spm, &sfn, 0x30u, NULL), 1, FFM_RULE_GET_06,
              FFM_API_GET);
    const struct {
        psa_signal_t signal;
        psa_msg_t *msg;
        enum ffm_rule rule;
    } cases[] = {
        { 0u, &msg, FFM_RULE_GET_01 },
        { FX_SIG_CB | FX_SIG_SL, NULL, FFM_RULE_GET_01 },
        { PSA_DOORBELL, NULL, FFM_RULE_GET_07 },
        { FX_SIG_SLIH, &msg, FFM_RULE_GET_07 },
        { 0x1u, &msg, FFM_RULE_GET_07 },
        { 0x1000u, &msg, FFM_RULE_GET_07 },
        { FX_SIG_CB, NULL, FFM_RULE_GET_04 },
        { FX_SIG_SL, NULL, FFM_RULE_GET_02 },
        { FX_SIG_SL, &ro_msg, FFM_RULE_GET_02 },
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(fx_reboot(h, NULL), FFM_BOOT_OK);
        struct ffm_sync_result now;
        w = ffm_sync_begin_call(h, &NS, FX_H_SL, 0, NULL, 0, NULL, 0, &now);
        expect_pe(h, &p0, ffm_psa_get(&h->spm, &p0, cases[i].signal, cases[i].msg), 1,
                  cases[i].rule, FFM_API_GET);
        assert_int_equal(ffm_sync_poll(h, w).value, PSA_ERROR_CONNECTION_REFUSED);
    }
    /* GET-04: a second psa_get for one message. */
    assert_int_equal(fx_reboot(h, NULL), FFM_BOOT_OK);
    psa_msg_t m = fetch_sl_call(h, &w, NULL, 0, NULL, 0);
    assert_int_equal(m.type, 1);
    expect_pe(h, &p0, ffm_psa_get(&h->spm, &p0, FX_SIG_SL, &msg), 1, FFM_RULE_GET_04,
              FFM_API_GET);
    assert_int_equal(ffm_sync_poll(h, w).value, PSA_ERROR_CONNECTION_REFUSED);
    fx_expect_quiescent(h);
}

/* RH-01, RH-03: invalid message handles; the rhandle travels with the connection. */
static void test_set_rhandle(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller p0 = ffm_sync_sp(h, FX_P_IPC);
    struct ffm_caller client = ffm_sync_sp(h, FX_P_CLIENT);
    struct ffm_sync_result now;
    int a = 0, b = 0;

    psa_handle_t conn = fx_connect_by_hand(h, &NS, FX_SID_CB, 2, FX_SIG_CB);
    int w = ffm_sync_begin_call(h, &NS, conn, 1, NULL, 0, NULL, 0, &now);
    psa_msg_t m1 = fx_get(h, FX_P_IPC, FX_SIG_CB);
    assert_null(m1.rhandle);
    assert_int_equal(ffm_psa_set_rhandle(&h->spm, &p0, m1.handle, &a).next, FFM_NEXT_RETURN);
    assert_int_equal(ffm_psa_set_rhandle(&h->spm, &p0, m1.handle, &b).next, FFM_NEXT_RETURN);
    fx_reply(h, FX_P_IPC, m1.handle, 0);
    assert_int_equal(ffm_sync_poll(h, w).value, 0);
    w = ffm_sync_begin_call(h, &NS, conn, 2, NULL, 0, NULL, 0, &now);
    psa_msg_t m2 = fx_get(h, FX_P_IPC, FX_SIG_CB);
    assert_ptr_equal(m2.rhandle, &b); /* RH-03: the last value set */
    /* RH-01: null, stale, connection handle, another partition's caller. */
    expect_pe(h, &client, ffm_psa_set_rhandle(&h->spm, &client, m2.handle, &a), 1,
              FFM_RULE_RH_01, FFM_API_SET_RHANDLE);
    expect_pe(h, &p0, ffm_psa_set_rhandle(&h->spm, &p0, m1.handle, &a), 2, FFM_RULE_RH_01,
              FFM_API_SET_RHANDLE);
    assert_int_equal(ffm_sync_poll(h, w).value, PSA_ERROR_CONNECTION_REFUSED); /* PANIC-05 */
    assert_int_equal(fx_reboot(h, NULL), FFM_BOOT_OK);
    expect_pe(h, &p0, ffm_psa_set_rhandle(&h->spm, &p0, PSA_NULL_HANDLE, &a), 1, FFM_RULE_RH_01,
              FFM_API_SET_RHANDLE);
    assert_int_equal(fx_reboot(h, NULL), FFM_BOOT_OK);
    conn = fx_connect_by_hand(h, &NS, FX_SID_CB, 2, FX_SIG_CB);
    expect_pe(h, &p0, ffm_psa_set_rhandle(&h->spm, &p0, conn, &a), 1, FFM_RULE_RH_01,
              FFM_API_SET_RHANDLE);
}

/* READ-07, READ-08, SKIP-06, MEM-13: partial reads, shared offset, exhausted and absent vectors. */
static void test_read_skip(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller p0 = ffm_sync_sp(h, FX_P_IPC);
    const char data[10] = "0123456789";
    psa_invec in[2] = { { data, 10 }, { NULL, 0 } };
    char buf[8];
    int w;

    psa_msg_t m = fetch_sl_call(h, &w, in, 2, NULL, 0);
    memset(buf, '#', sizeof(buf));
    assert_int_equal(ffm_psa_read(&h->spm, &p0, m.handle, 0, buf, 3).value, 3);
    assert_memory_equal(buf, "012#", 4); /* bytes past n untouched */
    assert_int_equal(ffm_psa_skip(&h->spm, &p0, m.handle, 0, 2).value, 2);
    assert_int_equal(ffm_psa_read(&h->spm, &p0, m.handle, 0, buf, 8).value, 5);
    assert_memory_equal(buf, "56789", 5);
    assert_int_equal(ffm_psa_read(&h->spm, &p0, m.handle, 0, buf, 8).value, 0);
    assert_int_equal(ffm_psa_skip(&h->spm, &p0, m.handle, 0, 8).value, 0);
    assert_int_equal(ffm_psa_read(&h->spm, &p0, m.handle, 0, NULL, 0).value, 0);
    assert_int_equal(ffm_psa_read(&h->spm, &p0, m.handle, 1, buf, 8).value, 0); /* READ-08 */
    assert_int_equal(ffm_psa_read(&h->spm, &p0, m.handle, 3, buf, 8).value, 0);
    assert_int_equal(ffm_psa_skip(&h->spm, &p0, m.handle, 2, SIZE_MAX).value, 0);
    fx_reply(h, FX_P_IPC, m.handle, 0);
    assert_int_equal(ffm_sync_poll(h, w).value, 0);
    assert_int_equal(h->n_events, 0);
    fx_expect_quiescent(h);
}

/* READ-01/02/03/06 and SKIP-01/02/03 in order; WRITE-01/02/03/05/08 likewise. */
#define USE_MSG ((psa_handle_t)1) /* the fetched message's own handle */
static void test_read_skip_write_errors(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller p0 = ffm_sync_sp(h, FX_P_IPC);
    static char ro_buf[8];
    struct ffm_sync_region ro = { .base = (uintptr_t)ro_buf, .size = sizeof(ro_buf),
                                  .readable = true, .writable = false };
    struct ffm_sync_region gone = { .base = (uintptr_t)ro_buf, .size = sizeof(ro_buf),
                                    .unmapped = true };
    char out_data[4];
    psa_invec in[1] = { { "abcd", 4 } };
    psa_outvec out[1] = { { out_data, 4 } };
    char buf[8];
    int w;

    struct {
        int kind; /* 0 read, 1 skip, 2 write */
        bool connect;
        psa_handle_t forced;
        uint32_t idx;
        void *buffer;
        size_t n;
        enum ffm_rule rule;
    } cases[] = {
        { 0, false, PSA_NULL_HANDLE, 0, buf, 0, FFM_RULE_READ_01 },
        { 0, false, (psa_handle_t)0x3D000001, 9, NULL, 0, FFM_RULE_READ_01 },
        { 0, true, USE_MSG, 9, NULL, 4, FFM_RULE_READ_02 },
        { 0, false, USE_MSG, 4, buf, 0, FFM_RULE_READ_03 },
        { 0, false, USE_MSG, 0, NULL, 1, FFM_RULE_READ_06 },
        { 0, false, USE_MSG, 0, ro_buf, 2, FFM_RULE_READ_06 },
        { 1, false, -3, 0, NULL, 0, FFM_RULE_SKIP_01 },
        { 1, true, USE_MSG, 7, NULL, 0, FFM_RULE_SKIP_02 },
        { 1, false, USE_MSG, UINT32_MAX, NULL, 0, FFM_RULE_SKIP_03 },
        { 2, false, FX_H_SL, 0, buf, 0, FFM_RULE_WRITE_01 },
        { 2, true, USE_MSG, 5, buf, 1, FFM_RULE_WRITE_02 },
        { 2, false, USE_MSG, 4, buf, 0, FFM_RULE_WRITE_03 },
        { 2, false, USE_MSG, 0, buf, 5, FFM_RULE_WRITE_05 },
        { 2, false, USE_MSG, 1, buf, 1, FFM_RULE_WRITE_05 }, /* absent vector: size 0 */
        { 2, false, USE_MSG, 0, NULL, 5, FFM_RULE_WRITE_05 }, /* Ord 4 before Ord 5 */
        { 2, false, USE_MSG, 0, NULL, 1, FFM_RULE_WRITE_08 },
        { 2, false, USE_MSG, 0, ro_buf, 1, FFM_RULE_WRITE_08 },
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ffm_sync_forget(h);
        assert_true(ffm_sync_add_region(h, cases[i].kind == 2 ? &gone : &ro));
        assert_int_equal(fx_reboot(h, NULL), FFM_BOOT_OK);
        struct ffm_sync_result now;
        psa_msg_t m;
        if (cases[i].connect) {
            w = ffm_sync_begin_connect(h, &NS, FX_SID_CB, 2, &now);
            m = fx_get(h, FX_P_IPC, FX_SIG_CB);
        } else {
            m = fetch_sl_call(h, &w, in, 1, out, 1);
        }
        psa_handle_t handle = cases[i].forced == USE_MSG ? m.handle : cases[i].forced;
        struct ffm_ret r;
        enum ffm_api api;
        if (cases[i].kind == 0) {
            r = ffm_psa_read(&h->spm, &p0, handle, cases[i].idx, cases[i].buffer, cases[i].n);
            api = FFM_API_READ;
        } else if (cases[i].kind == 1) {
            r = ffm_psa_skip(&h->spm, &p0, handle, cases[i].idx, cases[i].n);
            api = FFM_API_SKIP;
        } else {
            r = ffm_psa_write(&h->spm, &p0, handle, cases[i].idx, cases[i].buffer, cases[i].n);
            api = FFM_API_WRITE;
        }
        expect_pe(h, &p0, r, 1, cases[i].rule, api);
        assert_int_equal(ffm_sync_poll(h, w).value, PSA_ERROR_CONNECTION_REFUSED);
        fx_expect_quiescent(h);
    }
}

/* WRITE-09, CALL-29: writes concatenate; a 0-byte write is a no-op; lengths come back. */
static void test_write_concatenates(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller p0 = ffm_sync_sp(h, FX_P_IPC);
    char o0[8], o1[4];
    psa_outvec out[3] = { { o0, 8 }, { o1, 4 }, { NULL, 0 } };
    int w;

    memset(o0, '.', sizeof(o0));
    psa_msg_t m = fetch_sl_call(h, &w, NULL, 0, out, 3);
    assert_int_equal(m.out_size[0], 8);
    assert_int_equal(m.out_size[1], 4);
    assert_int_equal(m.out_size[2], 0);
    ffm_psa_write(&h->spm, &p0, m.handle, 0, "abc", 3);
    ffm_psa_write(&h->spm, &p0, m.handle, 0, NULL, 0);
    ffm_psa_write(&h->spm, &p0, m.handle, 0, "de", 2);
    ffm_psa_write(&h->spm, &p0, m.handle, 2, NULL, 0);
    fx_reply(h, FX_P_IPC, m.handle, 3);
    assert_int_equal(ffm_sync_poll(h, w).value, 3);
    assert_memory_equal(o0, "abcde...", 8);
    assert_int_equal(out[0].len, 5);
    assert_int_equal(out[1].len, 0);
    assert_int_equal(out[2].len, 0);
    assert_ptr_equal(out[0].base, o0); /* CALL-29: nothing else changes */
    assert_int_equal(h->n_events, 0);
    fx_expect_quiescent(h);
}

/* REPLY-06, REPLY-01 (null, forged, foreign, double, unfetched), REPLY-09. */
static void test_reply_errors(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller p0 = ffm_sync_sp(h, FX_P_IPC);
    struct ffm_caller client = ffm_sync_sp(h, FX_P_CLIENT);
    struct ffm_caller sfn = ffm_sync_sp(h, FX_P_SFN);
    struct ffm_sync_result now;
    int w;

    expect_pe(h, &sfn, ffm_psa_reply(&h->spm, &sfn, PSA_NULL_HANDLE, 0), 1, FFM_RULE_REPLY_06,
              FFM_API_REPLY);
    psa_msg_t m = fetch_sl_call(h, &w, NULL, 0, NULL, 0);
    expect_pe(h, &client, ffm_psa_reply(&h->spm, &client, m.handle, 0), 2, FFM_RULE_REPLY_01,
              FFM_API_REPLY);
    fx_reply(h, FX_P_IPC, m.handle, 0);
    assert_int_equal(ffm_sync_poll(h, w).value, 0);
    expect_pe(h, &p0, ffm_psa_reply(&h->spm, &p0, m.handle, 0), 3, FFM_RULE_REPLY_01,
              FFM_API_REPLY); /* double reply */

    assert_int_equal(fx_reboot(h, NULL), FFM_BOOT_OK);
    w = ffm_sync_begin_call(h, &NS, FX_H_SL, 0, NULL, 0, NULL, 0, &now);
    psa_handle_t queued = h->trace[h->n_trace - 1].handle; /* MSG_QUEUED record */
    assert_int_equal(h->trace[h->n_trace - 1].kind, FFM_TRACE_MSG_QUEUED);
    expect_pe(h, &p0, ffm_psa_reply(&h->spm, &p0, queued, 0), 1, FFM_RULE_REPLY_01,
              FFM_API_REPLY);
    assert_int_equal(ffm_sync_poll(h, w).value, PSA_ERROR_CONNECTION_REFUSED);

    assert_int_equal(fx_reboot(h, NULL), FFM_BOOT_OK);
    m = fetch_sl_call(h, &w, NULL, 0, NULL, 0);
    expect_pe(h, &p0, ffm_psa_reply(&h->spm, &p0, m.handle ^ 0x00010000, 0), 1,
              FFM_RULE_REPLY_01, FFM_API_REPLY); /* forged slot */
    assert_int_equal(ffm_sync_poll(h, w).value, PSA_ERROR_CONNECTION_REFUSED);
    fx_expect_quiescent(h);
}

static psa_status_t sfn_bad_connect_reply(const psa_msg_t *msg)
{
    return msg->type == PSA_IPC_CONNECT ? PSA_ERROR_GENERIC_ERROR : PSA_SUCCESS;
}

static psa_status_t sfn_programmer_error(const psa_msg_t *msg)
{
    (void)msg;
    return PSA_ERROR_PROGRAMMER_ERROR;
}

/* REPLY-10: an SFN's return value is validated like a reply (REPLY-03, REPLY-05). */
static void test_sfn_return_checked(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller sfn = ffm_sync_sp(h, FX_P_SFN);

    ffm_sync_set_sfn(h, FX_S_SFN_CB, sfn_bad_connect_reply);
    struct ffm_sync_result r = ffm_sync_connect(h, &NS, FX_SID_SFN_CB, 1);
    assert_int_equal(r.value, PSA_ERROR_CONNECTION_REFUSED); /* PANIC-05 */
    fx_expect_event(h, 1, FFM_RULE_REPLY_03, FFM_API_SFN_RETURN, &sfn, FFM_DISP_PANIC);
    assert_true(ffm_spm_partition_is_faulted(&h->spm, FX_P_SFN));
    fx_expect_quiescent(h);

    ffm_sync_set_sfn(h, FX_S_SFN_SL, sfn_programmer_error);
    assert_int_equal(fx_reboot(h, NULL), FFM_BOOT_OK);
    r = ffm_sync_call(h, &NS, FX_H_SFN_SL, 0, NULL, 0, NULL, 0);
    assert_int_equal(r.value, PSA_ERROR_PROGRAMMER_ERROR);
    fx_expect_event(h, 1, FFM_RULE_CALL_23, FFM_API_CALL, &NS, FFM_DISP_RETURN_STATUS);
    assert_false(ffm_spm_partition_is_faulted(&h->spm, FX_P_SFN));
    fx_expect_quiescent(h);
}

/* SFN: ffm_sfn_fetch takes the oldest message across the partition's services (SIG-07). */
static void test_sfn_fetch_oldest_first(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller sfn = ffm_sync_sp(h, FX_P_SFN);
    const struct ffm_service_desc *svc;
    struct ffm_sync_result now;
    psa_msg_t msg;

    ffm_sync_forget(h); /* drive P1 by hand */
    assert_int_equal(fx_reboot(h, NULL), FFM_BOOT_OK);
    int wc = ffm_sync_begin_connect(h, &NS, FX_SID_SFN_CB, 1, &now);
    int ws = ffm_sync_begin_call(h, &NS, FX_H_SFN_SL, 5, NULL, 0, NULL, 0, &now);
    assert_true(h->part[FX_P_SFN].pending);
    assert_int_equal(ffm_sfn_fetch(&h->spm, &sfn, &msg, &svc).value, 1);
    assert_string_equal(svc->name, "SFN_CB");
    assert_int_equal(msg.type, PSA_IPC_CONNECT);
    /* One SFN at a time: nothing else until this one completes. */
    assert_int_equal(ffm_sfn_fetch(&h->spm, &sfn, &msg, &svc).value, 0);
    assert_int_equal(ffm_sfn_complete(&h->spm, &sfn, msg.handle, PSA_SUCCESS).next,
                     FFM_NEXT_RETURN);
    psa_handle_t conn = (psa_handle_t)ffm_sync_poll(h, wc).value;
    assert_true(conn > 0);
    assert_int_equal(ffm_sfn_fetch(&h->spm, &sfn, &msg, &svc).value, 1);
    assert_string_equal(svc->name, "SFN_SL");
    assert_int_equal(msg.type, 5);
    assert_null(msg.rhandle);
    ffm_sfn_complete(&h->spm, &sfn, msg.handle, 55);
    assert_int_equal(ffm_sync_poll(h, ws).value, 55);
    assert_int_equal(ffm_sfn_fetch(&h->spm, &sfn, &msg, &svc).value, 0);
    int wd = ffm_sync_begin_close(h, &NS, conn, &now);
    assert_int_equal(ffm_sfn_fetch(&h->spm, &sfn, &msg, &svc).value, 1);
    assert_int_equal(msg.type, PSA_IPC_DISCONNECT);
    ffm_sfn_complete(&h->spm, &sfn, msg.handle, 0);
    assert_true(ffm_sync_poll(h, wd).completed);
    fx_expect_quiescent(h);
}

static psa_status_t init_fails(void)
{
    return -1;
}

static psa_status_t init_ok(void)
{
    return 0;
}

static void entry_returns(void)
{
}

/* PANIC-07: an SFN entry_init returning < 0, or an IPC entry point returning, is a panic. */
static void test_entry_returns(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller sfn = ffm_sync_sp(h, FX_P_SFN);
    struct ffm_caller legacy = ffm_sync_sp(h, FX_P_LEGACY);

    ffm_sync_set_init(h, FX_P_SFN, init_ok);
    assert_int_equal(fx_reboot(h, NULL), FFM_BOOT_OK);
    assert_int_equal(h->n_events, 0);
    ffm_sync_set_init(h, FX_P_SFN, init_fails);
    ffm_sync_set_entry(h, FX_P_LEGACY, entry_returns);
    assert_int_equal(fx_reboot(h, NULL), FFM_BOOT_OK);
    assert_int_equal(h->n_events, 2);
    assert_int_equal(h->events[0].rule, FFM_RULE_PANIC_07);
    assert_int_equal(h->events[0].caller.id, sfn.client_id);
    assert_int_equal(h->events[0].api, FFM_API_ENTRY_RETURN);
    fx_expect_event(h, 2, FFM_RULE_PANIC_07, FFM_API_ENTRY_RETURN, &legacy, FFM_DISP_PANIC);
    assert_true(ffm_spm_partition_is_faulted(&h->spm, FX_P_SFN));
    assert_true(ffm_spm_partition_is_faulted(&h->spm, FX_P_LEGACY));
    assert_int_equal(ffm_sync_call(h, &NS, FX_H_SFN_SL, 0, NULL, 0, NULL, 0).value,
                     PSA_ERROR_CONNECTION_REFUSED);
}

/* A real entry point (infinite loop on psa_wait(PSA_BLOCK)) runs under the port: it yields at
 * each blocking wait and serves requests as they come. */
static void test_entry_point_loop(void **state)
{
    struct ffm_sync *h = *state;
    char out_data[4];
    psa_invec in[1] = { { "ping", 4 } };
    psa_outvec out[1] = { { out_data, 4 } };

    ffm_sync_set_entry(h, FX_P_IPC, fx_echo_handler);
    assert_int_equal(fx_reboot(h, NULL), FFM_BOOT_OK);
    struct ffm_sync_result r = ffm_sync_connect(h, &NS, FX_SID_CB, 2);
    psa_handle_t conn = (psa_handle_t)r.value;
    assert_true(conn > 0);
    assert_int_equal(ffm_sync_call(h, &NS, conn, 11, in, 1, out, 1).value, 11);
    assert_memory_equal(out_data, "ping", 4);
    assert_true(ffm_sync_close(h, &NS, conn).completed);
    assert_int_equal(h->n_events, 0);
    fx_expect_quiescent(h);
}

/* A partition that is itself a client: P0's SL service calls P1's SFN service while serving. */
static void nested_handler(void)
{
    psa_msg_t msg;

    psa_signal_t s = psa_wait(FX_SIG_SL, PSA_BLOCK);
    if (psa_get(s, &msg) != PSA_SUCCESS) {
        return;
    }
    psa_status_t inner = psa_call(FX_H_SFN_SL, msg.type, NULL, 0, NULL, 0);
    psa_reply(msg.handle, inner + 1);
}

static void test_nested_call_from_service(void **state)
{
    struct ffm_sync *h = *state;

    ffm_sync_set_ipc_handler(h, FX_P_IPC, nested_handler);
    assert_int_equal(ffm_sync_call(h, &NS, FX_H_SL, 4, NULL, 0, NULL, 0).value, 1005);
    assert_int_equal(h->n_events, 0);
    fx_expect_quiescent(h);
}

/* GEN-04: every API of §2 exists and links, whatever the configuration; partition code built
 * against the standard prototypes runs under the port through a function-pointer table. */
static void all_apis_as_partition(void *arg)
{
    struct {
        uint32_t (*fwv)(void);
        uint32_t (*ver)(uint32_t);
        psa_handle_t (*connect)(uint32_t, uint32_t);
        psa_status_t (*call)(psa_handle_t, int32_t, const psa_invec *, size_t, psa_outvec *,
                             size_t);
        void (*close)(psa_handle_t);
        psa_signal_t (*wait)(psa_signal_t, uint32_t);
        psa_status_t (*get)(psa_signal_t, psa_msg_t *);
        void (*set_rhandle)(psa_handle_t, void *);
        size_t (*read)(psa_handle_t, uint32_t, void *, size_t);
        size_t (*skip)(psa_handle_t, uint32_t, size_t);
        void (*write)(psa_handle_t, uint32_t, const void *, size_t);
        void (*reply)(psa_handle_t, psa_status_t);
        void (*notify)(int32_t);
        void (*clear)(void);
        void (*eoi)(psa_signal_t);
        void (*panic)(void);
        void (*irq_enable)(psa_signal_t);
        psa_irq_status_t (*irq_disable)(psa_signal_t);
        void (*reset_signal)(psa_signal_t);
        const void *(*map_invec)(psa_handle_t, uint32_t);
        void (*unmap_invec)(psa_handle_t, uint32_t);
        void *(*map_outvec)(psa_handle_t, uint32_t);
        void (*unmap_outvec)(psa_handle_t, uint32_t, size_t);
        uint32_t (*lifecycle)(void);
    } api = { psa_framework_version, psa_version, psa_connect, psa_call, psa_close, psa_wait,
              psa_get, psa_set_rhandle, psa_read, psa_skip, psa_write, psa_reply, psa_notify,
              psa_clear, psa_eoi, psa_panic, psa_irq_enable, psa_irq_disable, psa_reset_signal,
              psa_map_invec, psa_unmap_invec, psa_map_outvec, psa_unmap_outvec,
              psa_rot_lifecycle_state };
    uint32_t *results = arg;

    results[0] = api.fwv();
    results[1] = api.ver(FX_SID_SFN_SL);
    results[2] = api.lifecycle();
    api.notify(FX_PID_IPC);
    results[3] = api.wait(PSA_DOORBELL, PSA_BLOCK);
    api.clear();
    results[4] = api.irq_disable(FX_SIG_SLIH);
    psa_handle_t conn = api.connect(FX_SID_SFN_CB, 1);
    results[5] = (uint32_t)api.call(conn, 21, NULL, 0, NULL, 0);
    api.close(conn);
    results[6] = (uint32_t)api.call(FX_H_SFN_SL, 1, NULL, 0, NULL, 0);
    api.panic();
    results[7] = 1; /* never reached */
}

/* GEN-04, GEN-06: all the APIs, called by partition code; nothing runs after psa_panic. */
static void test_all_apis_exist(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller p0 = ffm_sync_sp(h, FX_P_IPC);
    uint32_t results[8] = { 0 };

    assert_int_equal(ffm_sync_run_as(h, &p0, all_apis_as_partition, results), FFM_SYNC_PANICKED);
    assert_int_equal(results[0], 0x0101);
    assert_int_equal(results[1], 1);
    assert_int_equal(results[2], PSA_LIFECYCLE_SECURED);
    assert_int_equal(results[3], PSA_DOORBELL);
    assert_int_equal(results[4], 0);
    assert_int_equal(results[5], 21);
    assert_int_equal(results[6], 1001);
    assert_int_equal(results[7], 0);
    fx_expect_event(h, 1, FFM_RULE_PANIC_01, FFM_API_PANIC, &p0, FFM_DISP_PANIC);
    fx_expect_quiescent(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ns_calls_partition_api, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_wait_mask_errors, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_wait_semantics, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_get_errors, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_set_rhandle, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_read_skip, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_read_skip_write_errors, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_write_concatenates, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_reply_errors, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_sfn_return_checked, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_sfn_fetch_oldest_first, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_entry_returns, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_entry_point_loop, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_nested_call_from_service, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_all_apis_exist, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
