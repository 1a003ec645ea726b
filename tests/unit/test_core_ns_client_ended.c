/*
 * test_core_ns_client_ended.c - CLOSE-10 on the synchronous port: when the port says an NS
 * client ID has no thread left, every connection it holds is closed as psa_close would close
 * it, with nobody waiting: an IDLE one gets exactly one DISCONNECT (with its rhandle) and its
 * slot is freed on the reply; a DROPPED one (CALL-23) is released without a second DISCONNECT;
 * connections of other clients are untouched; no PE event.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/fixture.h"

static const struct ffm_caller NS2 = { .client_id = -2, .secure = false };
static const struct ffm_caller NS3 = { .client_id = -3, .secure = false };

/* Make `conn` (of `client`) DROPPED: its request is answered PROGRAMMER_ERROR (CALL-23), and
 * the DISCONNECT the service receives at once is replied. */
static void drop_connection(struct ffm_sync *h, const struct ffm_caller *client,
                            psa_handle_t conn)
{
    struct ffm_sync_result now;
    int w = ffm_sync_begin_call(h, client, conn, 1, NULL, 0, NULL, 0, &now);
    fx_reply(h, FX_P_IPC, fx_get(h, FX_P_IPC, FX_SIG_CB).handle, PSA_ERROR_PROGRAMMER_ERROR);
    assert_int_equal(ffm_sync_poll(h, w).value, PSA_ERROR_PROGRAMMER_ERROR);
    psa_msg_t d = fx_get(h, FX_P_IPC, FX_SIG_CB);
    assert_int_equal(d.type, PSA_IPC_DISCONNECT);
    fx_reply(h, FX_P_IPC, d.handle, PSA_SUCCESS);
}

static void test_ended_client_connections_closed(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller p0 = ffm_sync_sp(h, FX_P_IPC);
    int rh = 0;
    unsigned capacity = ffm_spm_pool_capacity(&h->spm);

    psa_handle_t idle = fx_connect_by_hand(h, &NS2, FX_SID_CB, 2, FX_SIG_CB);
    psa_handle_t dropped = fx_connect_by_hand(h, &NS2, FX_SID_CB, 2, FX_SIG_CB);
    psa_handle_t other = fx_connect_by_hand(h, &NS3, FX_SID_CB, 2, FX_SIG_CB);
    drop_connection(h, &NS2, dropped);
    unsigned events = h->n_events; /* the CALL-23 event */
    /* the rhandle the DISCONNECT must carry */
    struct ffm_sync_result now;
    int w = ffm_sync_begin_call(h, &NS2, idle, 7, NULL, 0, NULL, 0, &now);
    psa_msg_t m = fx_get(h, FX_P_IPC, FX_SIG_CB);
    assert_int_equal(ffm_psa_set_rhandle(&h->spm, &p0, m.handle, &rh).next, FFM_NEXT_RETURN);
    fx_reply(h, FX_P_IPC, m.handle, 0);
    assert_int_equal(ffm_sync_poll(h, w).value, 0);
    assert_int_equal(ffm_spm_pool_free(&h->spm), capacity - 3);

    assert_int_equal(ffm_spm_ns_client_ended(&h->spm, -2), 2);
    assert_int_equal(ffm_spm_pool_free(&h->spm), capacity - 2); /* DROPPED: released now */
    psa_msg_t d = fx_get(h, FX_P_IPC, FX_SIG_CB);
    assert_int_equal(d.type, PSA_IPC_DISCONNECT);
    assert_int_equal(d.client_id, -2);
    assert_ptr_equal(d.rhandle, &rh);
    fx_reply(h, FX_P_IPC, d.handle, PSA_SUCCESS);
    assert_int_equal(fx_poll(h, FX_P_IPC), 0); /* exactly one DISCONNECT */
    assert_int_equal(ffm_spm_pool_free(&h->spm), capacity - 1);
    assert_int_equal(h->n_events, events); /* no PE */

    /* The client's handles are stale now (HDL-14); the other client's connection still works. */
    struct ffm_sync_result r = ffm_sync_call(h, &NS2, idle, 0, NULL, 0, NULL, 0);
    assert_int_equal(r.value, PSA_ERROR_PROGRAMMER_ERROR);
    assert_int_equal(ffm_sync_last_event(h)->rule, FFM_RULE_CALL_08);
    assert_int_equal(ffm_spm_ns_client_ended(&h->spm, -2), 0); /* nothing left: idempotent */
    w = ffm_sync_begin_call(h, &NS3, other, 3, NULL, 0, NULL, 0, &now);
    fx_reply(h, FX_P_IPC, fx_get(h, FX_P_IPC, FX_SIG_CB).handle, 9);
    assert_int_equal(ffm_sync_poll(h, w).value, 9);
    w = ffm_sync_begin_close(h, &NS3, other, &now);
    assert_true(w >= 0);
    fx_reply(h, FX_P_IPC, fx_get(h, FX_P_IPC, FX_SIG_CB).handle, PSA_SUCCESS);
    assert_true(ffm_sync_poll(h, w).completed);
    fx_expect_quiescent(h);
}

/* A client with nothing open: nothing happens. */
static void test_ended_client_without_connections(void **state)
{
    struct ffm_sync *h = *state;
    assert_int_equal(ffm_spm_ns_client_ended(&h->spm, -5), 0);
    assert_int_equal(h->n_events, 0);
    fx_expect_quiescent(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ended_client_connections_closed, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_ended_client_without_connections, fx_setup,
                                        fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
