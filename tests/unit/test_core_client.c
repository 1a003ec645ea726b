/*
 * test_core_client.c - client APIs on the synchronous port: psa_framework_version, psa_version,
 * psa_connect, psa_call, psa_close (FWV-01, VER-01..05, CON-01..11, CALL-02..29, CLOSE-01..09,
 * HDL-06/08/10..15/20, GEN-01, GEN-05..07), stateless and connection-based, NS and S callers,
 * with the check order of ffm-rules.md §5.1 and the stateless acceptance points.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/fixture.h"

static const struct ffm_caller NS = { .client_id = -1, .secure = false };
static const struct ffm_caller NS2 = { .client_id = -2, .secure = false };

static struct ffm_caller client_sp(struct ffm_sync *h)
{
    return ffm_sync_sp(h, FX_P_CLIENT);
}

/* An NS psa_call that must be refused at once with a PE of `rule` (-129, event n). */
static void expect_ns_call_pe(struct ffm_sync *h, unsigned n, enum ffm_rule rule,
                              psa_handle_t handle, int32_t type, const psa_invec *in,
                              size_t in_len, psa_outvec *out, size_t out_len)
{
    unsigned free_before = ffm_spm_pool_free(&h->spm);
    unsigned msgs_before = ffm_spm_messages_in_flight(&h->spm);
    struct ffm_sync_result r = ffm_sync_call(h, &NS, handle, type, in, in_len, out, out_len);

    assert_true(r.completed);
    assert_false(r.panicked);
    assert_int_equal(r.value, PSA_ERROR_PROGRAMMER_ERROR);
    fx_expect_event(h, n, rule, FFM_API_CALL, &NS, FFM_DISP_RETURN_STATUS);
    assert_int_equal(ffm_sync_last_event(h)->status, PSA_ERROR_PROGRAMMER_ERROR);
    assert_int_equal(ffm_spm_pool_free(&h->spm), free_before); /* CALL-20 */
    assert_int_equal(ffm_spm_messages_in_flight(&h->spm), msgs_before);
}

/* A secure caller's PE: the call never returns, the partition is FAULTED (trap). */
static void expect_s_panic(struct ffm_sync *h, struct ffm_sync_result r, unsigned n,
                           enum ffm_rule rule, enum ffm_api api, const struct ffm_caller *c)
{
    assert_true(r.panicked);
    fx_expect_event(h, n, rule, api, c, FFM_DISP_PANIC);
    assert_true(ffm_spm_partition_is_faulted(&h->spm, c->partition));
}

/* FWV-01, GEN-07: every caller gets 0x0101 and no event. */
static void test_framework_version(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller s = client_sp(h);

    assert_int_equal(ffm_psa_framework_version(&h->spm, &NS).value, 0x0101);
    assert_int_equal(ffm_psa_framework_version(&h->spm, &s).value, 0x0101);
    assert_int_equal(h->n_events, 0);
}

/* VER-01..05: PSA_VERSION_NONE without an event, else the full version. */
static void test_version(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller s = client_sp(h);
    struct ffm_caller owner = ffm_sync_sp(h, FX_P_IPC);

    assert_int_equal(ffm_psa_version(&h->spm, &NS, FX_SID_UNKNOWN).value, 0);      /* VER-01 */
    assert_int_equal(ffm_psa_version(&h->spm, &NS, FX_SID_CB_S_ONLY).value, 0);    /* VER-02 */
    assert_int_equal(ffm_psa_version(&h->spm, &s, FX_SID_CB_RELAXED).value, 0);    /* VER-03 */
    assert_int_equal(ffm_psa_version(&h->spm, &owner, FX_SID_CB).value, 0);        /* VER-05 */
    assert_int_equal(ffm_psa_version(&h->spm, &NS, FX_SID_CB).value, 2);           /* VER-04 */
    assert_int_equal(ffm_psa_version(&h->spm, &NS, FX_SID_SL_RELAXED).value, 3);   /* SL too */
    assert_int_equal(ffm_psa_version(&h->spm, &s, FX_SID_CB_S_ONLY).value, 1);
    assert_int_equal(h->n_events, 0); /* GEN-07 */
}

/*
 * Acceptance: a NS psa_call with the static handle reaches the service as a CALL with rhandle
 * NULL and a positive message handle that is not the static handle (HDL-08, HDL-20, CALL-27,
 * RH-04, GET-08); the slot is freed after the reply (CALL-28, REPLY-08), lengths written back
 * (CALL-29). No event at all (GEN-07).
 */
static void test_stateless_call_reaches_service(void **state)
{
    struct ffm_sync *h = *state;
    const char in_data[3] = { 'a', 'b', 'c' };
    char out_data[8] = { 0 };
    psa_invec in[1] = { { in_data, sizeof(in_data) } };
    psa_outvec out[1] = { { out_data, sizeof(out_data) } };
    struct ffm_sync_result now;
    uint16_t cap = ffm_spm_pool_capacity(&h->spm);

    int w = ffm_sync_begin_call(h, &NS, FX_H_SL, 7, in, 1, out, 1, &now);
    assert_true(w >= 0);
    assert_int_equal(ffm_spm_pool_free(&h->spm), cap - 1); /* HDL-10: one slot in flight */
    assert_int_equal(fx_poll(h, FX_P_IPC), FX_SIG_SL);      /* SIG-06 */

    psa_msg_t msg = fx_get(h, FX_P_IPC, FX_SIG_SL);
    assert_int_equal(msg.type, 7);
    assert_null(msg.rhandle);
    assert_true(msg.handle > 0);
    assert_int_not_equal(msg.handle, FX_H_SL);
    assert_int_equal((uint32_t)msg.handle & 0x40000000u, 0u);
    assert_int_equal(msg.client_id, -1);
    assert_int_equal(msg.in_size[0], 3);
    assert_int_equal(msg.out_size[0], 8);
    for (int i = 1; i < 4; i++) {
        assert_int_equal(msg.in_size[i], 0);
        assert_int_equal(msg.out_size[i], 0);
    }
    assert_int_equal(fx_poll(h, FX_P_IPC), 0); /* the only message was fetched */

    struct ffm_caller p0 = ffm_sync_sp(h, FX_P_IPC);
    char buf[4];
    assert_int_equal(ffm_psa_read(&h->spm, &p0, msg.handle, 0, buf, sizeof(buf)).value, 3);
    assert_memory_equal(buf, "abc", 3);
    assert_int_equal(ffm_psa_write(&h->spm, &p0, msg.handle, 0, "xy", 2).next, FFM_NEXT_RETURN);
    assert_false(ffm_sync_poll(h, w).completed);
    fx_reply(h, FX_P_IPC, msg.handle, 42);

    struct ffm_sync_result r = ffm_sync_poll(h, w);
    assert_true(r.completed);
    assert_int_equal(r.value, 42);
    assert_int_equal(out[0].len, 2);
    assert_memory_equal(out_data, "xy", 2);
    assert_int_equal(h->n_events, 0);
    fx_expect_quiescent(h);
    /* REPLY-09, HDL-21: the message handle is dead after the reply. */
    assert_int_equal(ffm_psa_reply(&h->spm, &p0, msg.handle, 0).next, FFM_NEXT_PANIC);
    fx_expect_event(h, 1, FFM_RULE_REPLY_01, FFM_API_REPLY, &p0, FFM_DISP_PANIC);
}

/* Two calls of one stateless service get distinct message handles (HDL-20). */
static void test_stateless_handles_are_fresh(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_sync_result now;
    int w1 = ffm_sync_begin_call(h, &NS, FX_H_SL, 1, NULL, 0, NULL, 0, &now);
    int w2 = ffm_sync_begin_call(h, &NS2, FX_H_SL, 2, NULL, 0, NULL, 0, &now);

    psa_msg_t m1 = fx_get(h, FX_P_IPC, FX_SIG_SL);
    assert_int_equal(fx_poll(h, FX_P_IPC), FX_SIG_SL); /* SIG-06: one more queued */
    psa_msg_t m2 = fx_get(h, FX_P_IPC, FX_SIG_SL);
    assert_int_equal(m1.type, 1); /* SIG-07: FIFO */
    assert_int_equal(m2.type, 2);
    assert_int_equal(m2.client_id, -2);
    assert_int_not_equal(m1.handle, m2.handle);
    fx_reply(h, FX_P_IPC, m2.handle, 20);
    fx_reply(h, FX_P_IPC, m1.handle, 10);
    assert_int_equal(ffm_sync_poll(h, w1).value, 10);
    assert_int_equal(ffm_sync_poll(h, w2).value, 20);
    fx_expect_quiescent(h);
}

static unsigned connect_messages_to(const struct ffm_sync *h, uint16_t service)
{
    unsigned n = 0;

    for (unsigned i = 0; i < h->n_trace && i < FFM_SYNC_MAX_TRACE; i++) {
        const struct ffm_trace_rec *t = &h->trace[i];
        n += t->kind == FFM_TRACE_MSG_QUEUED && t->service == service && t->type < 0;
    }
    return n;
}

/*
 * Grouping: one stateless service serves several operations distinguished by `type`, in the
 * IPC model (echo handler through the psa_* symbols) and the SFN model; a stateless service
 * never receives CONNECT or DISCONNECT (CALL-27).
 */
static void test_stateless_grouping_by_type(void **state)
{
    struct ffm_sync *h = *state;
    char out_data[4];

    ffm_sync_set_ipc_handler(h, FX_P_IPC, fx_echo_handler);
    for (int32_t type = 0; type < 5; type++) {
        struct ffm_sync_result r = ffm_sync_call(h, &NS, FX_H_SL, type, NULL, 0, NULL, 0);
        assert_true(r.completed);
        assert_int_equal(r.value, type);
    }
    for (int32_t type = 1; type <= 3; type++) {
        psa_invec in[1] = { { "hey", 3 } };
        psa_outvec out[1] = { { out_data, sizeof(out_data) } };
        struct ffm_sync_result r = ffm_sync_call(h, &NS, FX_H_SFN_SL, type, in, 1, out, 1);
        assert_int_equal(r.value, 1000 + type);
        assert_int_equal(out[0].len, 3);
        assert_memory_equal(out_data, "hey", 3);
    }
    struct ffm_caller s = client_sp(h);
    assert_int_equal(ffm_sync_call(h, &s, FX_H_SL, INT32_MAX, NULL, 0, NULL, 0).value, INT32_MAX);
    assert_int_equal(connect_messages_to(h, FX_S_SL), 0);
    assert_int_equal(connect_messages_to(h, FX_S_SFN_SL), 0);
    assert_int_equal(h->n_events, 0);
    fx_expect_quiescent(h);
}

/* CALL-28: any int32_t reply status passes through unchanged (except CALL-23). */
static void test_call_status_pass_through(void **state)
{
    struct ffm_sync *h = *state;
    const psa_status_t statuses[] = { 1, INT32_MAX, INT32_MIN + 128, PSA_ERROR_CONNECTION_REFUSED,
                                      PSA_ERROR_CONNECTION_BUSY, -1, INT32_MIN, 0 };

    for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
        struct ffm_sync_result now;
        int w = ffm_sync_begin_call(h, &NS, FX_H_SL, 0, NULL, 0, NULL, 0, &now);
        psa_msg_t m = fx_get(h, FX_P_IPC, FX_SIG_SL);
        fx_reply(h, FX_P_IPC, m.handle, statuses[i]);
        struct ffm_sync_result r = ffm_sync_poll(h, w);
        assert_int_equal(r.value, statuses[i]);
    }
    assert_int_equal(h->n_events, 0);
    fx_expect_quiescent(h);
}

/* CON-02 (acceptance): psa_connect on a stateless SID; NS gets -130, S panics. */
static void test_connect_stateless_sid(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller s = client_sp(h);

    struct ffm_sync_result r = ffm_sync_connect(h, &NS, FX_SID_SL, 1);
    assert_int_equal(r.value, PSA_ERROR_CONNECTION_REFUSED);
    fx_expect_event(h, 1, FFM_RULE_CON_02, FFM_API_CONNECT, &NS, FFM_DISP_RETURN_STATUS);
    assert_int_equal(ffm_sync_last_event(h)->status, PSA_ERROR_CONNECTION_REFUSED);
    assert_int_equal(ffm_sync_last_event(h)->args[0], FX_SID_SL);
    assert_string_equal(ffm_sync_last_event(h)->caller.name, "NS");

    r = ffm_sync_connect(h, &s, FX_SID_SFN_SL, 1);
    expect_s_panic(h, r, 2, FFM_RULE_CON_02, FFM_API_CONNECT, &s);
    assert_string_equal(ffm_sync_last_event(h)->caller.name, "CLIENT_SP");
    fx_expect_quiescent(h);
}

/* CLOSE-02 (acceptance): psa_close on a stateless handle; NS returns with an event. */
static void test_close_stateless_handle(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller s = client_sp(h);

    struct ffm_sync_result r = ffm_sync_close(h, &NS, FX_H_SL);
    assert_true(r.completed);
    assert_false(r.panicked);
    fx_expect_event(h, 1, FFM_RULE_CLOSE_02, FFM_API_CLOSE, &NS, FFM_DISP_RETURN_VOID);
    r = ffm_sync_close(h, &s, FX_H_SFN_SL);
    expect_s_panic(h, r, 2, FFM_RULE_CLOSE_02, FFM_API_CLOSE, &s);
    fx_expect_quiescent(h);
}

/* RH-02 (acceptance): psa_set_rhandle on a stateless message panics the service; its client
 * is then released with CONNECTION_REFUSED under trap (PANIC-05). */
static void test_set_rhandle_stateless(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller p0 = ffm_sync_sp(h, FX_P_IPC);
    struct ffm_sync_result now;
    int x;

    int w = ffm_sync_begin_call(h, &NS, FX_H_SL, 0, NULL, 0, NULL, 0, &now);
    psa_msg_t m = fx_get(h, FX_P_IPC, FX_SIG_SL);
    struct ffm_sync_result r = ffm_sync_settle(h, &p0, ffm_psa_set_rhandle(&h->spm, &p0,
                                                                           m.handle, &x));
    expect_s_panic(h, r, 1, FFM_RULE_RH_02, FFM_API_SET_RHANDLE, &p0);
    assert_int_equal(ffm_sync_last_event(h)->caller.id, FX_PID_IPC);
    r = ffm_sync_poll(h, w);
    assert_true(r.completed);
    assert_int_equal(r.value, PSA_ERROR_CONNECTION_REFUSED);
    fx_expect_quiescent(h);
}

/* CALL-05 (acceptance): STRICT needs the exact version byte, RELAXED <= version, 0 never. */
static void test_call_version_byte(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller s = client_sp(h);

    ffm_sync_set_ipc_handler(h, FX_P_IPC, fx_echo_handler);
    expect_ns_call_pe(h, 1, FFM_RULE_CALL_05, (psa_handle_t)0x40000200, 0, NULL, 0, NULL, 0);
    expect_ns_call_pe(h, 2, FFM_RULE_CALL_05, (psa_handle_t)0x40000401, 0, NULL, 0, NULL, 0);
    expect_ns_call_pe(h, 3, FFM_RULE_CALL_05, (psa_handle_t)0x40000000, 0, NULL, 0, NULL, 0);
    expect_ns_call_pe(h, 4, FFM_RULE_CALL_05, (psa_handle_t)0x40000001, 0, NULL, 0, NULL, 0);
    assert_int_equal(ffm_sync_call(h, &NS, (psa_handle_t)0x40000101, 9, NULL, 0, NULL, 0).value, 9);
    assert_int_equal(ffm_sync_call(h, &NS, (psa_handle_t)0x40000301, 8, NULL, 0, NULL, 0).value, 8);
    assert_int_equal(h->n_events, 4);
    struct ffm_sync_result r =
        ffm_sync_call(h, &s, (psa_handle_t)0x40000200, 0, NULL, 0, NULL, 0);
    expect_s_panic(h, r, 5, FFM_RULE_CALL_05, FFM_API_CALL, &s);
    fx_expect_quiescent(h);
}

/* HDL-07, CALL-05: only the low 8 bits of a version >= 256 are encoded, so a STRICT service
 * rejects its own static handle and a RELAXED one accepts it (§3 table, 0x4000ff03). */
static void test_wide_version_masked(void **state)
{
    struct ffm_sync *h = *state;

    assert_int_equal(ffm_psa_version(&h->spm, &NS, 0x5000u).value, 0x1ff);
    expect_ns_call_pe(h, 1, FFM_RULE_CALL_05, FX_H_WIDE_STRICT, 0, NULL, 0, NULL, 0);
    assert_int_equal(ffm_sync_call(h, &NS, FX_H_WIDE_RELAXED, 12, NULL, 0, NULL, 0).value, 12);
    assert_int_equal(h->n_events, 1);
    fx_expect_quiescent(h);
}

/* CALL-02, CALL-24 (HDL-04), CALL-25 (HDL-05), CALL-03 (HDL-06), CALL-04, CALL-08 (HDL-12) for
 * NS callers; every event carries rule, API, caller and reason (GEN-05). */
static void test_call_handle_errors_ns(void **state)
{
    struct ffm_sync *h = *state;

    expect_ns_call_pe(h, 1, FFM_RULE_CALL_02, PSA_NULL_HANDLE, 0, NULL, 0, NULL, 0);
    expect_ns_call_pe(h, 2, FFM_RULE_CALL_24, (psa_handle_t)0xC0000100u, 0, NULL, 0, NULL, 0);
    expect_ns_call_pe(h, 3, FFM_RULE_CALL_24, -1, 0, NULL, 0, NULL, 0);
    expect_ns_call_pe(h, 4, FFM_RULE_CALL_25, (psa_handle_t)0x40000120, 0, NULL, 0, NULL, 0);
    expect_ns_call_pe(h, 5, FFM_RULE_CALL_25, (psa_handle_t)0x40010100, 0, NULL, 0, NULL, 0);
    expect_ns_call_pe(h, 6, FFM_RULE_CALL_03, (psa_handle_t)0x40000107, 0, NULL, 0, NULL, 0);
    expect_ns_call_pe(h, 7, FFM_RULE_CALL_04, FX_H_SL_S_ONLY, 0, NULL, 0, NULL, 0);
    expect_ns_call_pe(h, 8, FFM_RULE_CALL_08, (psa_handle_t)0x1234DEAD, 0, NULL, 0, NULL, 0);
    assert_int_equal(ffm_sync_last_event(h)->args[0], 0x1234DEAD);
    fx_expect_quiescent(h);
}

/* The same handle errors from a secure caller panic it (CALL-04 for S: own partition's service
 * or a service not in its dependencies). */
static void test_call_handle_errors_s(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller s = client_sp(h);
    struct ffm_caller owner = ffm_sync_sp(h, FX_P_IPC);

    expect_s_panic(h, ffm_sync_call(h, &s, FX_H_SL_RELAXED, 0, NULL, 0, NULL, 0), 1,
                   FFM_RULE_CALL_04, FFM_API_CALL, &s);
    expect_s_panic(h, ffm_sync_call(h, &owner, FX_H_SL, 0, NULL, 0, NULL, 0), 2,
                   FFM_RULE_CALL_04, FFM_API_CALL, &owner);
    assert_true(fx_reboot(h, NULL) == FFM_BOOT_OK);
    s = client_sp(h);
    expect_s_panic(h, ffm_sync_call(h, &s, PSA_NULL_HANDLE, 0, NULL, 0, NULL, 0), 1,
                   FFM_RULE_CALL_02, FFM_API_CALL, &s);
    assert_true(fx_reboot(h, NULL) == FFM_BOOT_OK);
    expect_s_panic(h, ffm_sync_call(h, &s, (psa_handle_t)0x3C000001, 0, NULL, 0, NULL, 0), 1,
                   FFM_RULE_CALL_08, FFM_API_CALL, &s);
    fx_expect_quiescent(h);
}

/*
 * Connection-based flow: CONNECT message (CON-11), handle (CON-10, HDL-11), rhandle on later
 * messages and on DISCONNECT (RH-03), close (CLOSE-09), stale afterwards (HDL-14).
 */
static void test_connection_flow(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller p0 = ffm_sync_sp(h, FX_P_IPC);
    struct ffm_sync_result now;
    int rh = 0;

    int w = ffm_sync_begin_connect(h, &NS, FX_SID_CB, 2, &now);
    assert_true(w >= 0);
    psa_msg_t m = fx_get(h, FX_P_IPC, FX_SIG_CB);
    assert_int_equal(m.type, PSA_IPC_CONNECT);
    assert_null(m.rhandle);
    assert_int_equal(m.client_id, -1);
    assert_true(m.handle > 0);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(m.in_size[i], 0);
        assert_int_equal(m.out_size[i], 0);
    }
    assert_int_equal(ffm_psa_set_rhandle(&h->spm, &p0, m.handle, &rh).next, FFM_NEXT_RETURN);
    fx_reply(h, FX_P_IPC, m.handle, PSA_SUCCESS);
    struct ffm_sync_result r = ffm_sync_poll(h, w);
    psa_handle_t conn = (psa_handle_t)r.value;
    assert_true(conn > 0);
    assert_int_equal((uint32_t)conn & 0x40000000u, 0u);
    assert_int_not_equal(conn, m.handle);

    w = ffm_sync_begin_call(h, &NS, conn, 3, NULL, 0, NULL, 0, &now);
    psa_msg_t c = fx_get(h, FX_P_IPC, FX_SIG_CB);
    assert_int_equal(c.type, 3);
    assert_ptr_equal(c.rhandle, &rh);
    assert_int_not_equal(c.handle, m.handle);
    fx_reply(h, FX_P_IPC, c.handle, 5);
    assert_int_equal(ffm_sync_poll(h, w).value, 5);

    w = ffm_sync_begin_close(h, &NS, conn, &now);
    assert_true(w >= 0);
    psa_msg_t d = fx_get(h, FX_P_IPC, FX_SIG_CB);
    assert_int_equal(d.type, PSA_IPC_DISCONNECT);
    assert_ptr_equal(d.rhandle, &rh);
    fx_reply(h, FX_P_IPC, d.handle, PSA_ERROR_GENERIC_ERROR); /* REPLY-07: ignored */
    r = ffm_sync_poll(h, w);
    assert_true(r.completed);
    assert_false(r.panicked);
    assert_int_equal(h->n_events, 0);
    fx_expect_quiescent(h);
    expect_ns_call_pe(h, 1, FFM_RULE_CALL_08, conn, 0, NULL, 0, NULL, 0); /* HDL-14 */
}

/* CON-01, CON-03, CON-04 from NS (-130) and S (panic); CON-04 RELAXED accepts <= version. */
static void test_connect_errors(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller s = client_sp(h);
    struct ffm_caller owner = ffm_sync_sp(h, FX_P_IPC);
    const struct {
        uint32_t sid, version;
        enum ffm_rule rule;
    } cases[] = {
        { FX_SID_UNKNOWN, 1, FFM_RULE_CON_01 },    { FX_SID_CB_S_ONLY, 1, FFM_RULE_CON_03 },
        { FX_SID_CB, 1, FFM_RULE_CON_04 },         { FX_SID_CB, 3, FFM_RULE_CON_04 },
        { FX_SID_CB_RELAXED, 4, FFM_RULE_CON_04 }, { FX_SID_CB_RELAXED, 0, FFM_RULE_CON_04 },
    };

    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct ffm_sync_result r = ffm_sync_connect(h, &NS, cases[i].sid, cases[i].version);
        assert_int_equal(r.value, PSA_ERROR_CONNECTION_REFUSED);
        fx_expect_event(h, i + 1, cases[i].rule, FFM_API_CONNECT, &NS, FFM_DISP_RETURN_STATUS);
    }
    psa_handle_t conn = fx_connect_by_hand(h, &NS, FX_SID_CB_RELAXED, 2, FX_SIG_CB_RELAXED);
    assert_true(conn > 0);
    expect_s_panic(h, ffm_sync_connect(h, &s, FX_SID_CB_RELAXED, 3), 7, FFM_RULE_CON_03,
                   FFM_API_CONNECT, &s);
    expect_s_panic(h, ffm_sync_connect(h, &owner, FX_SID_CB, 2), 8, FFM_RULE_CON_03,
                   FFM_API_CONNECT, &owner);
}

/* CON-05 and CALL-06: an exhausted pool answers CONNECTION_BUSY to NS and S, no event. */
static void test_pool_exhausted(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_spm_config config = ffm_spm_config_default();
    struct ffm_caller s;

    config.max_connections = 1;
    assert_int_equal(fx_reboot(h, &config), FFM_BOOT_OK);
    s = client_sp(h);
    assert_int_equal(ffm_spm_pool_capacity(&h->spm), 1);
    psa_handle_t conn = fx_connect_by_hand(h, &NS, FX_SID_CB, 2, FX_SIG_CB);
    assert_int_equal(ffm_sync_connect(h, &NS, FX_SID_CB, 2).value, PSA_ERROR_CONNECTION_BUSY);
    assert_int_equal(ffm_sync_connect(h, &s, FX_SID_CB, 2).value, PSA_ERROR_CONNECTION_BUSY);
    assert_int_equal(ffm_sync_call(h, &NS, FX_H_SL, 0, NULL, 0, NULL, 0).value,
                     PSA_ERROR_CONNECTION_BUSY);
    struct ffm_sync_result r = ffm_sync_call(h, &s, FX_H_SFN_SL, 0, NULL, 0, NULL, 0);
    assert_false(r.panicked);
    assert_int_equal(r.value, PSA_ERROR_CONNECTION_BUSY);
    /* CALL-06 is Ord 15: an argument PE is still reported when the pool is empty. */
    expect_ns_call_pe(h, 1, FFM_RULE_CALL_12, FX_H_SL, -1, NULL, 0, NULL, 0);
    assert_int_equal(h->n_events, 1);
    assert_false(ffm_spm_partition_is_faulted(&h->spm, FX_P_CLIENT));
    struct ffm_sync_result now;
    int w = ffm_sync_begin_close(h, &NS, conn, &now);
    fx_reply(h, FX_P_IPC, fx_get(h, FX_P_IPC, FX_SIG_CB).handle, 0);
    assert_true(ffm_sync_poll(h, w).completed);
    fx_expect_quiescent(h);
}

/* CON-06, CON-07: REFUSED and BUSY replies reach the client, the slot is freed, no DISCONNECT. */
static void test_connect_refused_or_busy(void **state)
{
    struct ffm_sync *h = *state;
    const psa_status_t replies[] = { PSA_ERROR_CONNECTION_REFUSED, PSA_ERROR_CONNECTION_BUSY };

    for (unsigned i = 0; i < 2; i++) {
        struct ffm_sync_result now;
        int w = ffm_sync_begin_connect(h, &NS, FX_SID_CB, 2, &now);
        fx_reply(h, FX_P_IPC, fx_get(h, FX_P_IPC, FX_SIG_CB).handle, replies[i]);
        struct ffm_sync_result r = ffm_sync_poll(h, w);
        assert_false(r.panicked);
        assert_int_equal(r.value, replies[i]);
        assert_int_equal(fx_poll(h, FX_P_IPC), 0); /* no DISCONNECT */
    }
    assert_int_equal(h->n_events, 0);
    fx_expect_quiescent(h);
}

/* CON-08 / REPLY-03: any other status to CONNECT panics the service; the client is released
 * with CONNECTION_REFUSED by PANIC-05 under trap. */
static void test_connect_bad_reply(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller p0 = ffm_sync_sp(h, FX_P_IPC);
    struct ffm_sync_result now;

    int w = ffm_sync_begin_connect(h, &NS, FX_SID_CB, 2, &now);
    psa_msg_t m = fx_get(h, FX_P_IPC, FX_SIG_CB);
    struct ffm_sync_result r =
        ffm_sync_settle(h, &p0, ffm_psa_reply(&h->spm, &p0, m.handle, PSA_ERROR_NOT_SUPPORTED));
    expect_s_panic(h, r, 1, FFM_RULE_REPLY_03, FFM_API_REPLY, &p0);
    r = ffm_sync_poll(h, w);
    assert_int_equal(r.value, PSA_ERROR_CONNECTION_REFUSED);
    assert_int_equal(ffm_sync_connect(h, &NS, FX_SID_CB, 2).value, PSA_ERROR_CONNECTION_REFUSED);
    assert_int_equal(ffm_sync_call(h, &NS, FX_H_SL, 0, NULL, 0, NULL, 0).value,
                     PSA_ERROR_CONNECTION_REFUSED);
    assert_int_equal(h->n_events, 1); /* PANIC-05: not a client PE */
    fx_expect_quiescent(h);
}

/* CALL-09, CALL-10, CLOSE-04, CLOSE-05, HDL-13: ownership (by client ID, whatever the calling
 * thread: every harness call has its own token) and state of a connection. */
static void test_connection_owner_and_state(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_sync_result now;
    psa_handle_t conn = fx_connect_by_hand(h, &NS, FX_SID_CB, 2, FX_SIG_CB);

    expect_ns_call_pe(h, 0 + 1, FFM_RULE_CALL_08, conn + 1, 0, NULL, 0, NULL, 0); /* forged */
    struct ffm_sync_result r = ffm_sync_call(h, &NS2, conn, 0, NULL, 0, NULL, 0);
    assert_int_equal(r.value, PSA_ERROR_PROGRAMMER_ERROR);
    fx_expect_event(h, 2, FFM_RULE_CALL_09, FFM_API_CALL, &NS2, FFM_DISP_RETURN_STATUS);
    r = ffm_sync_close(h, &NS2, conn);
    fx_expect_event(h, 3, FFM_RULE_CLOSE_04, FFM_API_CLOSE, &NS2, FFM_DISP_RETURN_VOID);

    int w = ffm_sync_begin_call(h, &NS, conn, 1, NULL, 0, NULL, 0, &now); /* ACTIVE */
    expect_ns_call_pe(h, 4, FFM_RULE_CALL_10, conn, 0, NULL, 0, NULL, 0);
    r = ffm_sync_close(h, &NS, conn);
    fx_expect_event(h, 5, FFM_RULE_CLOSE_05, FFM_API_CLOSE, &NS, FFM_DISP_RETURN_VOID);
    fx_reply(h, FX_P_IPC, fx_get(h, FX_P_IPC, FX_SIG_CB).handle, 0);
    assert_int_equal(ffm_sync_poll(h, w).value, 0);

    w = ffm_sync_begin_close(h, &NS, conn, &now); /* CLOSING */
    expect_ns_call_pe(h, 6, FFM_RULE_CALL_10, conn, 0, NULL, 0, NULL, 0);
    r = ffm_sync_close(h, &NS, conn);
    fx_expect_event(h, 7, FFM_RULE_CLOSE_05, FFM_API_CLOSE, &NS, FFM_DISP_RETURN_VOID);
    fx_reply(h, FX_P_IPC, fx_get(h, FX_P_IPC, FX_SIG_CB).handle, 0);
    assert_true(ffm_sync_poll(h, w).completed);
    fx_expect_quiescent(h);
}

/* CLOSE-01 (HDL-15), CLOSE-03, CLOSE-07 and the S dispositions of close. */
static void test_close_errors(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller s = client_sp(h);

    struct ffm_sync_result r = ffm_sync_close(h, &NS, PSA_NULL_HANDLE); /* CLOSE-01 */
    assert_true(r.completed);
    assert_int_equal(h->n_events, 0);
    r = ffm_sync_close(h, &s, PSA_NULL_HANDLE);
    assert_false(r.panicked);
    assert_int_equal(h->n_events, 0);
    ffm_sync_close(h, &NS, -5);
    fx_expect_event(h, 1, FFM_RULE_CLOSE_07, FFM_API_CLOSE, &NS, FFM_DISP_RETURN_VOID);
    ffm_sync_close(h, &NS, (psa_handle_t)0xC0000100u); /* Ord 2 before CLOSE-02 */
    fx_expect_event(h, 2, FFM_RULE_CLOSE_07, FFM_API_CLOSE, &NS, FFM_DISP_RETURN_VOID);
    ffm_sync_close(h, &NS, (psa_handle_t)0x3C000001);
    fx_expect_event(h, 3, FFM_RULE_CLOSE_03, FFM_API_CLOSE, &NS, FFM_DISP_RETURN_VOID);
    expect_s_panic(h, ffm_sync_close(h, &s, (psa_handle_t)0x3C000001), 4, FFM_RULE_CLOSE_03,
                   FFM_API_CLOSE, &s);
    fx_expect_quiescent(h);
}

/* CALL-23, CALL-26, CLOSE-08: a PROGRAMMER_ERROR reply blames the NS client (-129), the
 * connection is DROPPED, a DISCONNECT is queued at once, close releases it quietly. */
static void test_programmer_error_reply_ns(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_sync_result now;
    int rh = 0;
    struct ffm_caller p0 = ffm_sync_sp(h, FX_P_IPC);
    psa_handle_t conn = fx_connect_by_hand(h, &NS, FX_SID_CB, 2, FX_SIG_CB);
    uint32_t field = 7;
    unsigned char info[12];
    psa_invec in[2] = { { &field, sizeof field }, { info, 0 } };
    psa_outvec out[1] = { { info, sizeof info } };

    int w = ffm_sync_begin_call(h, &NS, conn, 4, in, 2, out, 1, &now);
    psa_msg_t m = fx_get(h, FX_P_IPC, FX_SIG_CB);
    ffm_psa_set_rhandle(&h->spm, &p0, m.handle, &rh);
    fx_reply(h, FX_P_IPC, m.handle, PSA_ERROR_PROGRAMMER_ERROR); /* REPLY-05 */
    struct ffm_sync_result r = ffm_sync_poll(h, w);
    assert_int_equal(r.value, PSA_ERROR_PROGRAMMER_ERROR);
    fx_expect_event(h, 1, FFM_RULE_CALL_23, FFM_API_CALL, &NS, FFM_DISP_RETURN_STATUS);
    /* the vector lengths, which make a client/service size mismatch visible */
    assert_string_equal(ffm_sync_last_event(h)->reason,
                        "service CB_SVC replied PSA_ERROR_PROGRAMMER_ERROR to a request of type 4"
                        " with vectors in [4, 0] out [12]");
    assert_false(ffm_spm_partition_is_faulted(&h->spm, FX_P_IPC));
    assert_int_equal(fx_poll(h, FX_P_IPC), FX_SIG_CB); /* DISCONNECT queued at once */
    expect_ns_call_pe(h, 2, FFM_RULE_CALL_26, conn, 0, NULL, 0, NULL, 0);
    psa_msg_t d = fx_get(h, FX_P_IPC, FX_SIG_CB);
    assert_int_equal(d.type, PSA_IPC_DISCONNECT);
    assert_ptr_equal(d.rhandle, &rh);
    fx_reply(h, FX_P_IPC, d.handle, 0);
    assert_int_equal(ffm_spm_pool_free(&h->spm), ffm_spm_pool_capacity(&h->spm) - 1);
    r = ffm_sync_close(h, &NS, conn); /* CLOSE-08 */
    assert_true(r.completed);
    assert_int_equal(h->n_events, 2);
    assert_int_equal(fx_poll(h, FX_P_IPC), 0); /* no second DISCONNECT */
    fx_expect_quiescent(h);
}

/* CALL-23 for an S client: it panics, the event is attributed to it; closing a DROPPED
 * connection whose DISCONNECT is still queued frees it once the DISCONNECT is replied. */
static void test_programmer_error_reply_s(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller s = client_sp(h);
    struct ffm_sync_result now;

    int w = ffm_sync_begin_call(h, &s, FX_H_SL, 1, NULL, 0, NULL, 0, &now);
    fx_reply(h, FX_P_IPC, fx_get(h, FX_P_IPC, FX_SIG_SL).handle, PSA_ERROR_PROGRAMMER_ERROR);
    struct ffm_sync_result r = ffm_sync_poll(h, w);
    expect_s_panic(h, r, 1, FFM_RULE_CALL_23, FFM_API_CALL, &s);
    assert_false(ffm_spm_partition_is_faulted(&h->spm, FX_P_IPC));
    fx_expect_quiescent(h);

    psa_handle_t conn = fx_connect_by_hand(h, &NS, FX_SID_CB, 2, FX_SIG_CB);
    w = ffm_sync_begin_call(h, &NS, conn, 4, NULL, 0, NULL, 0, &now);
    fx_reply(h, FX_P_IPC, fx_get(h, FX_P_IPC, FX_SIG_CB).handle, PSA_ERROR_PROGRAMMER_ERROR);
    assert_int_equal(ffm_sync_poll(h, w).value, PSA_ERROR_PROGRAMMER_ERROR);
    assert_true(ffm_sync_close(h, &NS, conn).completed); /* CLOSE-08 before the DISCONNECT */
    ffm_sync_close(h, &NS, conn);
    fx_expect_event(h, 3, FFM_RULE_CLOSE_03, FFM_API_CLOSE, &NS, FFM_DISP_RETURN_VOID);
    expect_ns_call_pe(h, 4, FFM_RULE_CALL_08, conn, 0, NULL, 0, NULL, 0); /* closed: stale */
    fx_reply(h, FX_P_IPC, fx_get(h, FX_P_IPC, FX_SIG_CB).handle, 0);
    fx_expect_quiescent(h);
}

/* CALL-12, CALL-13: type and vector counts, NS and S. */
static void test_call_type_and_counts(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller s = client_sp(h);
    psa_invec in[4] = { { "a", 1 }, { "b", 1 }, { "c", 1 }, { "d", 1 } };
    char o[4][4];
    psa_outvec out[4] = { { o[0], 4 }, { o[1], 4 }, { o[2], 4 }, { o[3], 4 } };

    expect_ns_call_pe(h, 1, FFM_RULE_CALL_12, FX_H_SL, -1, NULL, 0, NULL, 0);
    expect_ns_call_pe(h, 2, FFM_RULE_CALL_12, FX_H_SL, INT32_MIN, NULL, 0, NULL, 0);
    expect_ns_call_pe(h, 3, FFM_RULE_CALL_13, FX_H_SL, 0, in, 5, NULL, 0);
    expect_ns_call_pe(h, 4, FFM_RULE_CALL_13, FX_H_SL, 0, NULL, 0, out, 5);
    expect_ns_call_pe(h, 5, FFM_RULE_CALL_13, FX_H_SL, 0, in, 3, out, 2);
    expect_ns_call_pe(h, 6, FFM_RULE_CALL_13, FX_H_SL, 0, in, SIZE_MAX, out, 2);
    ffm_sync_set_ipc_handler(h, FX_P_IPC, fx_echo_handler);
    assert_int_equal(ffm_sync_call(h, &NS, FX_H_SL, 0, in, 2, out, 2).value, 0);
    assert_int_equal(ffm_sync_call(h, &NS, FX_H_SL, INT32_MAX, in, 4, NULL, 0).value, INT32_MAX);
    expect_s_panic(h, ffm_sync_call(h, &s, FX_H_SL, 0, in, 4, out, 1), 7, FFM_RULE_CALL_13,
                   FFM_API_CALL, &s);
    fx_expect_quiescent(h);
}

static struct ffm_sync_region region(const void *base, size_t size, bool secure, bool writable)
{
    return (struct ffm_sync_region){ .base = (uintptr_t)base, .size = size, .secure = secure,
                                     .owner = FX_P_IPC, .readable = true,
                                     .writable = writable };
}

/* CALL-14, CALL-15, CALL-16, CALL-17, CALL-18, CALL-19 (MEM-04, MEM-06, MEM-07, MEM-08, MEM-09,
 * MEM-10, MEM-11): vector memory, in the documented order. */
static void test_call_memory(void **state)
{
    struct ffm_sync *h = *state;
    static char secure_buf[16], ro_buf[16], ok_buf[16];
    static psa_invec ro_in_array[1];
    static psa_outvec ro_out_array[1];
    struct ffm_sync_region r1 = region(secure_buf, sizeof(secure_buf), true, true);
    struct ffm_sync_region r2 = region(ro_buf, sizeof(ro_buf), false, false);
    struct ffm_sync_region r3 = region(ro_out_array, sizeof(ro_out_array), false, false);
    struct ffm_sync_region r4 = { .base = (uintptr_t)ro_in_array, .size = sizeof(ro_in_array),
                                  .unmapped = true };

    assert_true(ffm_sync_add_region(h, &r1) && ffm_sync_add_region(h, &r2));
    assert_true(ffm_sync_add_region(h, &r3) && ffm_sync_add_region(h, &r4));
    psa_invec wrap[1] = { { (const void *)(UINTPTR_MAX - 2), 8 } };
    psa_invec null_in[1] = { { NULL, 4 } };
    psa_invec sec_in[1] = { { secure_buf, 4 } };
    psa_invec overlap[2] = { { ok_buf, 8 }, { ok_buf + 4, 8 } };
    psa_outvec ro_out[1] = { { ro_buf, 4 } };
    psa_outvec null_out[1] = { { NULL, 1 } };
    psa_outvec wrap_out[1] = { { (void *)(UINTPTR_MAX - 2), 8 } };

    expect_ns_call_pe(h, 1, FFM_RULE_CALL_14, FX_H_SL, 0, NULL, 1, NULL, 0);
    expect_ns_call_pe(h, 2, FFM_RULE_CALL_14, FX_H_SL, 0, ro_in_array, 1, NULL, 0);
    expect_ns_call_pe(h, 3, FFM_RULE_CALL_15, FX_H_SL, 0, NULL, 0, ro_out_array, 1);
    expect_ns_call_pe(h, 4, FFM_RULE_CALL_15, FX_H_SL, 0, NULL, 0, NULL, 2);
    expect_ns_call_pe(h, 5, FFM_RULE_CALL_16, FX_H_SL, 0, wrap, 1, NULL, 0);
    expect_ns_call_pe(h, 6, FFM_RULE_CALL_18, FX_H_SL, 0, null_in, 1, NULL, 0);
    expect_ns_call_pe(h, 7, FFM_RULE_CALL_18, FX_H_SL, 0, sec_in, 1, NULL, 0); /* MEM-06 */
    expect_ns_call_pe(h, 8, FFM_RULE_CALL_17, FX_H_SL, 0, overlap, 2, NULL, 0);
    expect_ns_call_pe(h, 9, FFM_RULE_CALL_19, FX_H_SL, 0, NULL, 0, ro_out, 1);
    expect_ns_call_pe(h, 10, FFM_RULE_CALL_19, FX_H_SL, 0, NULL, 0, null_out, 1);
    expect_ns_call_pe(h, 11, FFM_RULE_CALL_19, FX_H_SL, 0, NULL, 0, wrap_out, 1);

    /* MEM-07: zero-length vectors (NULL included) are never checked; in/out overlap is fine. */
    ffm_sync_set_ipc_handler(h, FX_P_IPC, fx_echo_handler);
    psa_invec zero[2] = { { NULL, 0 }, { secure_buf, 0 } };
    psa_outvec zero_out[1] = { { NULL, 0 } };
    assert_int_equal(ffm_sync_call(h, &NS, FX_H_SL, 3, zero, 2, zero_out, 1).value, 3);
    psa_invec in_ok[1] = { { ok_buf, 4 } };
    psa_outvec out_ok[1] = { { ok_buf, 4 } };
    assert_int_equal(ffm_sync_call(h, &NS, FX_H_SL, 4, in_ok, 1, out_ok, 1).value, 4);
    /* MEM-09: a range crossing two adjacent accessible regions is fine. */
    static char span[16];
    struct ffm_sync_region lo = region(span, 8, false, true);
    struct ffm_sync_region hi = region(span + 8, 8, false, true);
    assert_true(ffm_sync_add_region(h, &lo) && ffm_sync_add_region(h, &hi));
    psa_invec across[1] = { { span + 4, 8 } };
    assert_int_equal(ffm_sync_call(h, &NS, FX_H_SL, 6, across, 1, NULL, 0).value, 6);
    /* A secure caller may name secure memory (isolation level 1). */
    struct ffm_caller s = client_sp(h);
    assert_int_equal(ffm_sync_call(h, &s, FX_H_SL, 5, sec_in, 1, NULL, 0).value, 5);
    assert_int_equal(h->n_events, 11);
    fx_expect_quiescent(h);
}

/* Check order: a call violating two rules reports the earlier Ord. */
static void test_call_check_order(void **state)
{
    struct ffm_sync *h = *state;
    psa_invec in[5] = { { NULL, 4 } };
    psa_invec wrap_then_null[2] = { { NULL, 4 }, { (const void *)(UINTPTR_MAX - 1), 4 } };
    static char sbuf[16];
    struct ffm_sync_region sec = region(sbuf, sizeof(sbuf), true, true);
    psa_invec sec_overlap[2] = { { sbuf, 8 }, { sbuf + 2, 8 } };
    psa_outvec bad_out[1] = { { NULL, 4 } };

    assert_true(ffm_sync_add_region(h, &sec));
    /* Ord 1 (null) before Ord 7 (type). */
    expect_ns_call_pe(h, 1, FFM_RULE_CALL_02, PSA_NULL_HANDLE, -1, NULL, 0, NULL, 0);
    /* Ord 2 (negative) before SL Ord 3. */
    expect_ns_call_pe(h, 2, FFM_RULE_CALL_24, (psa_handle_t)0xC0000120u, 0, NULL, 0, NULL, 0);
    /* SL Ord 3 (reserved bits) before Ord 4 (empty slot). */
    expect_ns_call_pe(h, 3, FFM_RULE_CALL_25, (psa_handle_t)0x40000125, 0, NULL, 0, NULL, 0);
    /* SL Ord 4 (empty slot) before Ord 7 (type). */
    expect_ns_call_pe(h, 4, FFM_RULE_CALL_03, (psa_handle_t)0x4000011F, -1, NULL, 0, NULL, 0);
    /* SL Ord 5 (authorisation) before Ord 6 (version). */
    expect_ns_call_pe(h, 5, FFM_RULE_CALL_04, (psa_handle_t)0x40000202, 0, NULL, 0, NULL, 0);
    /* SL Ord 6 (version) before Ord 7 (type). */
    expect_ns_call_pe(h, 6, FFM_RULE_CALL_05, (psa_handle_t)0x40000200, -1, NULL, 0, NULL, 0);
    /* Ord 7 (type) before Ord 8 (counts). */
    expect_ns_call_pe(h, 7, FFM_RULE_CALL_12, FX_H_SL, -1, in, 5, NULL, 0);
    /* Ord 8 (counts) before Ord 9 (in_vec array). */
    expect_ns_call_pe(h, 8, FFM_RULE_CALL_13, FX_H_SL, 0, NULL, 5, NULL, 0);
    /* Ord 9 (in_vec array) before Ord 10 (out_vec array). */
    expect_ns_call_pe(h, 9, FFM_RULE_CALL_14, FX_H_SL, 0, NULL, 1, NULL, 1);
    /* Ord 11 (wrap, any invec) before Ord 12 (unreadable invec 0). */
    expect_ns_call_pe(h, 10, FFM_RULE_CALL_16, FX_H_SL, 0, wrap_then_null, 2, NULL, 0);
    /* Ord 12 (secure for NS) before Ord 13 (overlap). */
    expect_ns_call_pe(h, 11, FFM_RULE_CALL_18, FX_H_SL, 0, sec_overlap, 2, NULL, 0);
    /* Ord 12 (unreadable invec) before Ord 14 (outvec). */
    expect_ns_call_pe(h, 12, FFM_RULE_CALL_18, FX_H_SL, 0, in, 1, bad_out, 1);
    fx_expect_quiescent(h);
}

/* CON check order: CON-01 before everything, CON-02 before CON-03 (authorisation). */
static void test_connect_check_order(void **state)
{
    struct ffm_sync *h = *state;

    assert_int_equal(ffm_sync_connect(h, &NS, FX_SID_SL_S_ONLY, 0).value,
                     PSA_ERROR_CONNECTION_REFUSED);
    fx_expect_event(h, 1, FFM_RULE_CON_02, FFM_API_CONNECT, &NS, FFM_DISP_RETURN_STATUS);
    assert_int_equal(ffm_sync_connect(h, &NS, FX_SID_CB_S_ONLY, 0).value,
                     PSA_ERROR_CONNECTION_REFUSED);
    fx_expect_event(h, 2, FFM_RULE_CON_03, FFM_API_CONNECT, &NS, FFM_DISP_RETURN_STATUS);
    fx_expect_quiescent(h);
}

/* Ord of the connection path and of CON/CLOSE: a call that breaks two rules reports the
 * earlier one (CALL-08/09/10/26 before CALL-12; CALL-15 before CALL-16; CALL-17 before CALL-19;
 * a PE before CALL-06 BUSY; CON-03 before CON-04 before CON-05; CLOSE-07 before CLOSE-02;
 * CLOSE-04 before CLOSE-05). */
static void test_check_order_connection_path(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_spm_config one = ffm_spm_config_default();
    psa_invec wrap[1] = { { (const void *)(UINTPTR_MAX - 1), 4 } };
    char buf[8];
    psa_invec overlap[2] = { { buf, 4 }, { buf + 2, 4 } };
    psa_outvec null_out[1] = { { NULL, 4 } };
    struct ffm_sync_result now;
    unsigned n = 0;

    psa_handle_t conn = fx_connect_by_hand(h, &NS, FX_SID_CB, 2, FX_SIG_CB);
    expect_ns_call_pe(h, ++n, FFM_RULE_CALL_08, (psa_handle_t)0x3C7F0001, -1, NULL, 0, NULL, 0);
    assert_int_equal(ffm_sync_call(h, &NS2, conn, -1, NULL, 0, NULL, 0).value,
                     PSA_ERROR_PROGRAMMER_ERROR);
    fx_expect_event(h, ++n, FFM_RULE_CALL_09, FFM_API_CALL, &NS2, FFM_DISP_RETURN_STATUS);
    expect_ns_call_pe(h, ++n, FFM_RULE_CALL_15, conn, 0, wrap, 1, NULL, 1);
    expect_ns_call_pe(h, ++n, FFM_RULE_CALL_17, conn, 0, overlap, 2, null_out, 1);
    /* ACTIVE (Ord 6) before the type (Ord 7); then CLOSE-04 (Ord 5) before CLOSE-05 (Ord 7). */
    int w = ffm_sync_begin_call(h, &NS, conn, 0, NULL, 0, NULL, 0, &now);
    expect_ns_call_pe(h, ++n, FFM_RULE_CALL_10, conn, -1, NULL, 0, NULL, 0);
    assert_true(ffm_sync_close(h, &NS2, conn).completed);
    fx_expect_event(h, ++n, FFM_RULE_CLOSE_04, FFM_API_CLOSE, &NS2, FFM_DISP_RETURN_VOID);
    /* DROPPED (Ord 5) before the type. */
    fx_reply(h, FX_P_IPC, fx_get(h, FX_P_IPC, FX_SIG_CB).handle, PSA_ERROR_PROGRAMMER_ERROR);
    assert_int_equal(ffm_sync_poll(h, w).value, PSA_ERROR_PROGRAMMER_ERROR);
    fx_expect_event(h, ++n, FFM_RULE_CALL_23, FFM_API_CALL, &NS, FFM_DISP_RETURN_STATUS);
    expect_ns_call_pe(h, ++n, FFM_RULE_CALL_26, conn, -1, NULL, 0, NULL, 0);
    psa_msg_t disc = fx_get(h, FX_P_IPC, FX_SIG_CB);
    assert_int_equal(disc.type, PSA_IPC_DISCONNECT);
    fx_reply(h, FX_P_IPC, disc.handle, PSA_SUCCESS);
    assert_true(ffm_sync_close(h, &NS, conn).completed); /* CLOSE-08: quiet */
    assert_int_equal(h->n_events, n);
    /* CLOSE-07 (negative) before CLOSE-02 (bit 30). */
    assert_true(ffm_sync_close(h, &NS, (psa_handle_t)0xC0000100u).completed);
    fx_expect_event(h, ++n, FFM_RULE_CLOSE_07, FFM_API_CLOSE, &NS, FFM_DISP_RETURN_VOID);
    fx_expect_quiescent(h);

    /* One pool slot, held: PEs still win over BUSY (CON-05, CALL-06). */
    one.max_connections = 1;
    assert_int_equal(fx_reboot(h, &one), FFM_BOOT_OK);
    conn = fx_connect_by_hand(h, &NS, FX_SID_CB, 2, FX_SIG_CB);
    assert_int_equal(ffm_sync_connect(h, &NS, FX_SID_CB_S_ONLY, 0).value,
                     PSA_ERROR_CONNECTION_REFUSED);
    fx_expect_event(h, 1, FFM_RULE_CON_03, FFM_API_CONNECT, &NS, FFM_DISP_RETURN_STATUS);
    assert_int_equal(ffm_sync_connect(h, &NS, FX_SID_CB, 0).value, PSA_ERROR_CONNECTION_REFUSED);
    fx_expect_event(h, 2, FFM_RULE_CON_04, FFM_API_CONNECT, &NS, FFM_DISP_RETURN_STATUS);
    assert_int_equal(ffm_sync_connect(h, &NS, FX_SID_CB, 2).value, PSA_ERROR_CONNECTION_BUSY);
    expect_ns_call_pe(h, 3, FFM_RULE_CALL_12, FX_H_SL, -1, NULL, 0, NULL, 0);
    assert_int_equal(ffm_sync_call(h, &NS, FX_H_SL, 0, NULL, 0, NULL, 0).value,
                     PSA_ERROR_CONNECTION_BUSY);
    assert_int_equal(h->n_events, 3); /* GEN-07: BUSY is not a PE */
    w = ffm_sync_begin_close(h, &NS, conn, &now);
    fx_reply(h, FX_P_IPC, fx_get(h, FX_P_IPC, FX_SIG_CB).handle, PSA_SUCCESS);
    assert_true(ffm_sync_poll(h, w).completed);
    fx_expect_quiescent(h);
}

/* GEN-05: every event names rule, API and caller, and its reason shows the offending values. */
static void test_event_reasons_name_values(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller p0 = ffm_sync_sp(h, FX_P_IPC);
    const struct ffm_event *ev;

    ffm_sync_call(h, &NS, PSA_NULL_HANDLE, 7, NULL, 0, NULL, 0);
    ev = ffm_sync_last_event(h);
    assert_string_equal(ev->reason, "handle 0x0 type 7: PSA_NULL_HANDLE");
    assert_string_equal(ev->caller.name, "NS");
    assert_int_equal(ev->n_args, 6);
    assert_int_equal(ev->args[0], 0);
    assert_int_equal(ev->args[1], 7);
    ffm_sync_call(h, &NS, (psa_handle_t)0x40000120, 0, NULL, 0, NULL, 0);
    assert_string_equal(ffm_sync_last_event(h)->reason,
                        "handle 0x40000120 type 0: reserved bits 0x3fff00e0 are set");
    ffm_sync_call(h, &NS, (psa_handle_t)0x4000011f, 0, NULL, 0, NULL, 0);
    assert_string_equal(ffm_sync_last_event(h)->reason,
                        "handle 0x4000011f type 0: stateless slot 31 is empty");
    ffm_sync_call(h, &NS, (psa_handle_t)0x40000200, 0, NULL, 0, NULL, 0);
    assert_string_equal(ffm_sync_last_event(h)->reason,
                        "handle 0x40000200 type 0: version byte 2 rejected by SL_SVC "
                        "(version 1, STRICT)");
    ffm_sync_call(h, &NS, FX_H_SL, 0, NULL, 3, NULL, 2);
    assert_string_equal(ffm_sync_last_event(h)->reason,
                        "handle 0x40000100 type 0: in_len 3 + out_len 2 exceeds "
                        "PSA_MAX_IOVEC (4)");
    ffm_sync_connect(h, &NS, FX_SID_UNKNOWN, 1);
    assert_string_equal(ffm_sync_last_event(h)->reason, "SID 0x9999 is not registered");
    ffm_sync_connect(h, &NS, FX_SID_CB, 3);
    assert_string_equal(ffm_sync_last_event(h)->reason,
                        "version 3 rejected by CB_SVC (version 2, STRICT)");
    ffm_sync_close(h, &NS, FX_H_SL);
    assert_string_equal(ffm_sync_last_event(h)->reason,
                        "handle 0x40000100 is a stateless handle: it cannot be closed");
    assert_int_equal(h->n_events, 8);
    ffm_sync_settle(h, &p0, ffm_psa_get(&h->spm, &p0, 0x30u, NULL));
    ev = ffm_sync_last_event(h);
    assert_string_equal(ev->reason, "signal 0x30 must have exactly one bit set");
    assert_string_equal(ev->caller.name, "IPC_SP");
    assert_int_equal(ev->caller.id, FX_PID_IPC);
    assert_true(ev->caller.secure);
    assert_int_equal(ev->caller.partition, FX_P_IPC);
}

/* CALL-20: a refused call leaves the CB connection IDLE and usable. */
static void test_refused_call_has_no_side_effect(void **state)
{
    struct ffm_sync *h = *state;
    psa_handle_t conn = fx_connect_by_hand(h, &NS, FX_SID_CB, 2, FX_SIG_CB);

    expect_ns_call_pe(h, 1, FFM_RULE_CALL_13, conn, 0, NULL, 5, NULL, 0);
    ffm_sync_set_ipc_handler(h, FX_P_IPC, fx_echo_handler);
    assert_int_equal(ffm_sync_call(h, &NS, conn, 6, NULL, 0, NULL, 0).value, 6);
    assert_true(ffm_sync_close(h, &NS, conn).completed);
    fx_expect_quiescent(h);
}

/* GEN-01: a client API called in handler mode is a PE; the partition panics. */
static void test_client_api_in_handler_mode(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller flih = ffm_sync_sp(h, FX_P_IPC);

    flih.handler_mode = true;
    expect_s_panic(h, ffm_sync_call(h, &flih, FX_H_SFN_SL, 0, NULL, 0, NULL, 0), 1,
                   FFM_RULE_GEN_01, FFM_API_CALL, &flih);
    assert_true(fx_reboot(h, NULL) == FFM_BOOT_OK);
    expect_s_panic(h, ffm_sync_settle(h, &flih, ffm_psa_version(&h->spm, &flih, FX_SID_SFN_SL)),
                   1, FFM_RULE_GEN_01, FFM_API_VERSION, &flih);
    /* The gate comes first in every client API: no other check runs in handler mode. */
    assert_true(fx_reboot(h, NULL) == FFM_BOOT_OK);
    expect_s_panic(h, ffm_sync_settle(h, &flih, ffm_psa_framework_version(&h->spm, &flih)), 1,
                   FFM_RULE_GEN_01, FFM_API_FRAMEWORK_VERSION, &flih);
    assert_true(fx_reboot(h, NULL) == FFM_BOOT_OK);
    expect_s_panic(h, ffm_sync_connect(h, &flih, FX_SID_CB, 1), 1, FFM_RULE_GEN_01,
                   FFM_API_CONNECT, &flih);
    assert_true(fx_reboot(h, NULL) == FFM_BOOT_OK);
    expect_s_panic(h, ffm_sync_close(h, &flih, FX_H_SFN_SL), 1, FFM_RULE_GEN_01, FFM_API_CLOSE,
                   &flih);
}

/* An S client of an SFN connection-based service: connect, call, close inline. */
static void test_sfn_connection_from_s(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller s = client_sp(h);

    struct ffm_sync_result r = ffm_sync_connect(h, &s, FX_SID_SFN_CB, 1);
    assert_true(r.value > 0);
    psa_handle_t conn = (psa_handle_t)r.value;
    assert_int_equal(ffm_sync_call(h, &s, conn, 77, NULL, 0, NULL, 0).value, 77);
    assert_true(ffm_sync_close(h, &s, conn).completed);
    assert_int_equal(ffm_sync_trace_count(h, FFM_TRACE_SFN_RUN), 3);
    assert_int_equal(h->n_events, 0);
    fx_expect_quiescent(h);
}

static psa_invec racy_in[1];
static char racy_data[4] = "abcd";

/* A concurrent client thread: rewrites the descriptor while the SPM checks the payload. */
static void rewrite_descriptor(struct ffm_sync *h, const void *base, size_t len)
{
    (void)h;
    if (base == racy_data && len == 4) {
        racy_in[0].base = NULL;
        racy_in[0].len = 4096;
    }
}

/* MEM-12: the descriptors are read once into SPM memory; a later rewrite changes nothing. */
static void test_descriptors_copied_once(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_sync_result now;
    char buf[8];

    racy_in[0] = (psa_invec){ racy_data, 4 };
    h->mem_check_hook = rewrite_descriptor;
    int w = ffm_sync_begin_call(h, &NS, FX_H_SL, 0, racy_in, 1, NULL, 0, &now);
    assert_true(w >= 0);
    assert_null(racy_in[0].base); /* the hook ran during the checks */
    psa_msg_t m = fx_get(h, FX_P_IPC, FX_SIG_SL);
    assert_int_equal(m.in_size[0], 4);
    struct ffm_caller p0 = ffm_sync_sp(h, FX_P_IPC);
    assert_int_equal(ffm_psa_read(&h->spm, &p0, m.handle, 0, buf, sizeof(buf)).value, 4);
    assert_memory_equal(buf, "abcd", 4);
    fx_reply(h, FX_P_IPC, m.handle, 0);
    assert_int_equal(ffm_sync_poll(h, w).value, 0);
    assert_int_equal(h->n_events, 0);
    fx_expect_quiescent(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_framework_version, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_version, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_stateless_call_reaches_service, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_stateless_handles_are_fresh, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_stateless_grouping_by_type, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_call_status_pass_through, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_connect_stateless_sid, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_close_stateless_handle, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_set_rhandle_stateless, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_call_version_byte, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_wide_version_masked, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_call_handle_errors_ns, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_call_handle_errors_s, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_connection_flow, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_connect_errors, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_pool_exhausted, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_connect_refused_or_busy, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_connect_bad_reply, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_connection_owner_and_state, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_close_errors, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_programmer_error_reply_ns, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_programmer_error_reply_s, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_call_type_and_counts, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_call_memory, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_call_check_order, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_connect_check_order, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_check_order_connection_path, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_event_reasons_name_values, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_refused_call_has_no_side_effect, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_client_api_in_handler_mode, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_sfn_connection_from_s, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_descriptors_copied_once, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
