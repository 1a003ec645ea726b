/*
 * test_core_tfm.c - the tfm profile (ffm-rules.md §5.5): every TF-M difference the core can
 * show, each next to the spec behaviour it replaces.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/fixture.h"

static const struct ffm_caller NS = { .client_id = -1, .secure = false };

/* HDL-04/05, CALL-24/25: reserved and sign bits are ignored; GEN-02: NS IDs translated. */
static void test_tfm_reserved_bits_ignored(void **state)
{
    struct ffm_sync *h = *state;
    const psa_handle_t aliases[] = { (psa_handle_t)0xC0000100u, (psa_handle_t)0x40000120,
                                     FX_H_SL };
    struct ffm_sync_result now;

    for (unsigned i = 0; i < 3; i++) {
        int w = ffm_sync_begin_call(h, &NS, aliases[i], 5, NULL, 0, NULL, 0, &now);
        assert_true(w >= 0);
        psa_msg_t m = fx_get(h, FX_P_IPC, FX_SIG_SL);
        assert_int_equal(m.client_id, -0x3C000000); /* GEN-02 (tfm) */
        fx_reply(h, FX_P_IPC, m.handle, 6);
        assert_int_equal(ffm_sync_poll(h, w).value, 6);
    }
    assert_int_equal(h->n_events, 0);
    fx_expect_quiescent(h);
}

/* CALL-04: NS gets CONNECTION_REFUSED; CON-02: NS gets PROGRAMMER_ERROR; S still panics. */
static void test_tfm_ns_statuses(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller client = ffm_sync_sp(h, FX_P_CLIENT);

    assert_int_equal(ffm_sync_call(h, &NS, FX_H_SL_S_ONLY, 0, NULL, 0, NULL, 0).value,
                     PSA_ERROR_CONNECTION_REFUSED);
    fx_expect_event(h, 1, FFM_RULE_CALL_04, FFM_API_CALL, &NS, FFM_DISP_RETURN_STATUS);
    assert_int_equal(ffm_sync_last_event(h)->status, PSA_ERROR_CONNECTION_REFUSED);
    assert_int_equal(ffm_sync_connect(h, &NS, FX_SID_SL, 1).value, PSA_ERROR_PROGRAMMER_ERROR);
    fx_expect_event(h, 2, FFM_RULE_CON_02, FFM_API_CONNECT, &NS, FFM_DISP_RETURN_STATUS);
    /* Other rules keep their spec statuses. */
    assert_int_equal(ffm_sync_connect(h, &NS, FX_SID_UNKNOWN, 1).value,
                     PSA_ERROR_CONNECTION_REFUSED);
    assert_int_equal(ffm_sync_call(h, &NS, PSA_NULL_HANDLE, 0, NULL, 0, NULL, 0).value,
                     PSA_ERROR_PROGRAMMER_ERROR);
    struct ffm_sync_result r = ffm_sync_call(h, &client, FX_H_SL_RELAXED, 0, NULL, 0, NULL, 0);
    assert_true(r.panicked);
    fx_expect_event(h, 5, FFM_RULE_CALL_04, FFM_API_CALL, &client, FFM_DISP_PANIC);
}

/* CON-04, CALL-05: RELAXED accepts version 0; STRICT still rejects it. */
static void test_tfm_relaxed_version_zero(void **state)
{
    struct ffm_sync *h = *state;

    ffm_sync_set_ipc_handler(h, FX_P_IPC, fx_echo_handler);
    assert_int_equal(ffm_sync_call(h, &NS, (psa_handle_t)0x40000001, 3, NULL, 0, NULL, 0).value,
                     3);
    struct ffm_sync_result r = ffm_sync_connect(h, &NS, FX_SID_CB_RELAXED, 0);
    assert_true(r.value > 0);
    assert_true(ffm_sync_close(h, &NS, (psa_handle_t)r.value).completed);
    assert_int_equal(h->n_events, 0);
    assert_int_equal(ffm_sync_call(h, &NS, (psa_handle_t)0x40000000, 0, NULL, 0, NULL, 0).value,
                     PSA_ERROR_PROGRAMMER_ERROR);
    fx_expect_event(h, 1, FFM_RULE_CALL_05, FFM_API_CALL, &NS, FFM_DISP_RETURN_STATUS);
    assert_int_equal(ffm_sync_connect(h, &NS, FX_SID_CB, 0).value, PSA_ERROR_CONNECTION_REFUSED);
    fx_expect_event(h, 2, FFM_RULE_CON_04, FFM_API_CONNECT, &NS, FFM_DISP_RETURN_STATUS);
    fx_expect_quiescent(h);
}

/* CALL-06: the pool is taken first, so BUSY hides argument PEs; CALL-12: type <= INT16_MAX. */
static void test_tfm_busy_first_and_type_range(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_spm_config config = ffm_spm_config_default();

    config.profile = FFM_PROFILE_TFM;
    config.max_connections = 1;
    assert_int_equal(fx_reboot(h, &config), FFM_BOOT_OK);
    psa_handle_t conn = fx_connect_by_hand(h, &NS, FX_SID_CB, 2, FX_SIG_CB);
    assert_int_equal(ffm_sync_call(h, &NS, FX_H_SL, -1, NULL, 5, NULL, 0).value,
                     PSA_ERROR_CONNECTION_BUSY);
    assert_int_equal(h->n_events, 0);
    /* CB calls take no slot: their argument PEs are reported. */
    assert_int_equal(ffm_sync_call(h, &NS, conn, INT16_MAX + 1, NULL, 0, NULL, 0).value,
                     PSA_ERROR_PROGRAMMER_ERROR);
    fx_expect_event(h, 1, FFM_RULE_CALL_12, FFM_API_CALL, &NS, FFM_DISP_RETURN_STATUS);
    assert_int_equal(ffm_spm_pool_free(&h->spm), 0);
    struct ffm_sync_result now;
    int w = ffm_sync_begin_call(h, &NS, conn, INT16_MAX, NULL, 0, NULL, 0, &now);
    assert_true(w >= 0);
    psa_msg_t m = fx_get(h, FX_P_IPC, FX_SIG_CB);
    assert_int_equal(m.type, INT16_MAX);
    fx_reply(h, FX_P_IPC, m.handle, 0);
    assert_int_equal(ffm_sync_poll(h, w).value, 0);
}

/* CALL-17: a zero-length invec inside another invec is a PE in tfm only. */
static void test_tfm_zero_length_overlap(void **state)
{
    struct ffm_sync *h = *state;
    char buf[8];
    psa_invec in[2] = { { buf, 8 }, { buf + 2, 0 } };

    assert_int_equal(ffm_sync_call(h, &NS, FX_H_SFN_SL, 0, in, 2, NULL, 0).value,
                     PSA_ERROR_PROGRAMMER_ERROR);
    fx_expect_event(h, 1, FFM_RULE_CALL_17, FFM_API_CALL, &NS, FFM_DISP_RETURN_STATUS);
    struct ffm_spm_config config = ffm_spm_config_default();
    assert_int_equal(fx_reboot(h, &config), FFM_BOOT_OK); /* spec: accepted */
    assert_int_equal(ffm_sync_call(h, &NS, FX_H_SFN_SL, 0, in, 2, NULL, 0).value, 1000);
    assert_int_equal(h->n_events, 0);
}

/* CALL-08, HDL-12: no generation: a stale handle works once the same client reused the slot. */
static void test_tfm_stale_handle_alias(void **state)
{
    struct ffm_sync *h = *state;

    struct ffm_sync_result r = ffm_sync_connect(h, &NS, FX_SID_SFN_CB, 1);
    psa_handle_t old = (psa_handle_t)r.value;
    assert_true(ffm_sync_close(h, &NS, old).completed);
    assert_int_equal(ffm_sync_call(h, &NS, old, 1, NULL, 0, NULL, 0).value,
                     PSA_ERROR_PROGRAMMER_ERROR); /* slot free: still detected */
    fx_expect_event(h, 1, FFM_RULE_CALL_08, FFM_API_CALL, &NS, FFM_DISP_RETURN_STATUS);
    r = ffm_sync_connect(h, &NS, FX_SID_SFN_CB, 1);
    assert_int_not_equal((psa_handle_t)r.value, old);
    assert_int_equal(ffm_sync_call(h, &NS, old, 4, NULL, 0, NULL, 0).value, 4);
    assert_int_equal(h->n_events, 1);
}

/* CALL-23/26, CLOSE-08: the connection stays usable after a PROGRAMMER_ERROR reply. */
static void test_tfm_no_dropped_state(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_sync_result now;
    psa_handle_t conn = fx_connect_by_hand(h, &NS, FX_SID_CB, 2, FX_SIG_CB);

    int w = ffm_sync_begin_call(h, &NS, conn, 1, NULL, 0, NULL, 0, &now);
    psa_msg_t m = fx_get(h, FX_P_IPC, FX_SIG_CB);
    assert_int_equal(m.handle, conn); /* HDL-20 (tfm): CB messages carry the connection */
    fx_reply(h, FX_P_IPC, m.handle, PSA_ERROR_PROGRAMMER_ERROR);
    assert_int_equal(ffm_sync_poll(h, w).value, PSA_ERROR_PROGRAMMER_ERROR);
    fx_expect_event(h, 1, FFM_RULE_CALL_23, FFM_API_CALL, &NS, FFM_DISP_RETURN_STATUS);
    assert_int_equal(fx_poll(h, FX_P_IPC), 0); /* no DISCONNECT */
    w = ffm_sync_begin_call(h, &NS, conn, 2, NULL, 0, NULL, 0, &now);
    m = fx_get(h, FX_P_IPC, FX_SIG_CB);
    fx_reply(h, FX_P_IPC, m.handle, 2);
    assert_int_equal(ffm_sync_poll(h, w).value, 2);
    /* REPLY-01 (tfm): a second reply on a CB message goes undetected. */
    fx_reply(h, FX_P_IPC, m.handle, 2);
    assert_int_equal(h->n_events, 1);
    assert_false(ffm_spm_partition_is_faulted(&h->spm, FX_P_IPC));
    /* CLOSE (tfm): an NS close PE returns silently. */
    assert_true(ffm_sync_close(h, &NS, FX_H_SL).completed);
    assert_true(ffm_sync_close(h, &NS, -7).completed);
    assert_int_equal(h->n_events, 1);
    w = ffm_sync_begin_close(h, &NS, conn, &now);
    fx_reply(h, FX_P_IPC, fx_get(h, FX_P_IPC, FX_SIG_CB).handle, 0);
    assert_true(ffm_sync_poll(h, w).completed);
    fx_expect_quiescent(h);
}

static psa_handle_t seen_handle;

static psa_status_t sfn_records_handle(const psa_msg_t *msg)
{
    seen_handle = msg->handle;
    return fx_sfn_sl(msg);
}

/* HDL-20: SL messages in an SFN partition all carry 0x1000, and psa_read/write work on it;
 * SL messages in an IPC partition still get fresh handles; a SL double reply is a PE. */
static void test_tfm_message_handles(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller p0 = ffm_sync_sp(h, FX_P_IPC);
    char out_data[4];
    psa_invec in[1] = { { "abc", 3 } };
    psa_outvec out[1] = { { out_data, 4 } };
    struct ffm_sync_result now;

    ffm_sync_set_sfn(h, FX_S_SFN_SL, sfn_records_handle);
    assert_int_equal(ffm_sync_call(h, &NS, FX_H_SFN_SL, 2, in, 1, out, 1).value, 1002);
    assert_int_equal(seen_handle, 0x1000);
    assert_int_equal(out[0].len, 3);
    assert_memory_equal(out_data, "abc", 3);
    int w = ffm_sync_begin_call(h, &NS, FX_H_SL, 0, NULL, 0, NULL, 0, &now);
    psa_msg_t m = fx_get(h, FX_P_IPC, FX_SIG_SL);
    assert_int_not_equal(m.handle, 0x1000);
    assert_int_equal((uint32_t)m.handle >> 24, 0x3D);
    fx_reply(h, FX_P_IPC, m.handle, 0);
    assert_int_equal(ffm_sync_poll(h, w).value, 0);
    struct ffm_sync_result r = ffm_sync_settle(h, &p0, ffm_psa_reply(&h->spm, &p0, m.handle, 0));
    assert_true(r.panicked);
    fx_expect_event(h, 1, FFM_RULE_REPLY_01, FFM_API_REPLY, &p0, FFM_DISP_PANIC);
}

/* GET-07 -> GET-05: an asserted doorbell or IRQ signal gives DOES_NOT_EXIST. */
static void test_tfm_get_does_not_exist(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller p0 = ffm_sync_sp(h, FX_P_IPC);
    psa_msg_t msg;

    ffm_psa_notify(&h->spm, &p0, FX_PID_IPC);
    assert_int_equal(ffm_psa_get(&h->spm, &p0, PSA_DOORBELL, &msg).value,
                     PSA_ERROR_DOES_NOT_EXIST);
    ffm_psa_irq_enable(&h->spm, &p0, FX_SIG_SLIH);
    ffm_spm_irq_line(&h->spm, FX_IRQ_SLIH, true);
    assert_int_equal(ffm_psa_get(&h->spm, &p0, FX_SIG_SLIH, &msg).value,
                     PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(h->n_events, 0);
    struct ffm_sync_result r =
        ffm_sync_settle(h, &p0, ffm_psa_get(&h->spm, &p0, FX_SIG_FLIH, &msg));
    assert_true(r.panicked);
    fx_expect_event(h, 1, FFM_RULE_GET_07, FFM_API_GET, &p0, FFM_DISP_PANIC);
}

/* READ-06: the buffer is not checked once the vector is exhausted; IRQDIS-02: always 1;
 * MAPI-06/MAPO-06: re-mapping after an unmap is accepted. */
static void test_tfm_read_irq_map(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller p0 = ffm_sync_sp(h, FX_P_IPC);
    char out_data[4];
    psa_invec in[1] = { { "ab", 2 } };
    psa_outvec out[1] = { { out_data, 4 } };
    struct ffm_sync_result now;
    char buf[4];

    int w = ffm_sync_begin_call(h, &NS, FX_H_SL, 0, in, 1, NULL, 0, &now);
    psa_msg_t m = fx_get(h, FX_P_IPC, FX_SIG_SL);
    assert_int_equal(ffm_psa_read(&h->spm, &p0, m.handle, 0, buf, 4).value, 2);
    assert_int_equal(ffm_psa_read(&h->spm, &p0, m.handle, 0, NULL, 4).value, 0);
    assert_int_equal(ffm_psa_read(&h->spm, &p0, m.handle, 1, NULL, 4).value, 0);
    fx_reply(h, FX_P_IPC, m.handle, 0);
    assert_int_equal(ffm_sync_poll(h, w).value, 0);

    assert_int_equal(ffm_psa_irq_disable(&h->spm, &p0, FX_SIG_SLIH).value, 1);
    assert_int_equal(ffm_psa_irq_disable(&h->spm, &p0, FX_SIG_SLIH).value, 1);

    w = ffm_sync_begin_call(h, &NS, FX_H_SL_MM, 0, in, 1, out, 1, &now);
    m = fx_get(h, FX_P_IPC, FX_SIG_SL_MM);
    assert_int_equal(ffm_psa_map_invec(&h->spm, &p0, m.handle, 0).next, FFM_NEXT_RETURN);
    assert_int_equal(ffm_psa_unmap_invec(&h->spm, &p0, m.handle, 0).next, FFM_NEXT_RETURN);
    assert_int_equal(ffm_psa_map_invec(&h->spm, &p0, m.handle, 0).next, FFM_NEXT_RETURN);
    assert_int_equal(ffm_psa_map_outvec(&h->spm, &p0, m.handle, 0).next, FFM_NEXT_RETURN);
    assert_int_equal(ffm_psa_unmap_outvec(&h->spm, &p0, m.handle, 0, 2).next, FFM_NEXT_RETURN);
    assert_int_equal(ffm_psa_map_outvec(&h->spm, &p0, m.handle, 0).next, FFM_NEXT_RETURN);
    fx_reply(h, FX_P_IPC, m.handle, 0);
    assert_int_equal(ffm_sync_poll(h, w).value, 0);
    assert_int_equal(h->n_events, 0);
    fx_expect_quiescent(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_tfm_reserved_bits_ignored, fx_setup_tfm,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_tfm_ns_statuses, fx_setup_tfm, fx_teardown),
        cmocka_unit_test_setup_teardown(test_tfm_relaxed_version_zero, fx_setup_tfm,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_tfm_busy_first_and_type_range, fx_setup_tfm,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_tfm_zero_length_overlap, fx_setup_tfm,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_tfm_stale_handle_alias, fx_setup_tfm, fx_teardown),
        cmocka_unit_test_setup_teardown(test_tfm_no_dropped_state, fx_setup_tfm, fx_teardown),
        cmocka_unit_test_setup_teardown(test_tfm_message_handles, fx_setup_tfm, fx_teardown),
        cmocka_unit_test_setup_teardown(test_tfm_get_does_not_exist, fx_setup_tfm, fx_teardown),
        cmocka_unit_test_setup_teardown(test_tfm_read_irq_map, fx_setup_tfm, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
