/*
 * fixture.c - the core tests' hand-built system description and driving helpers (fixture.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/fixture.h"

psa_status_t fx_sfn_sl(const psa_msg_t *msg)
{
    uint8_t buf[64];
    size_t n = psa_read(msg->handle, 0, buf, sizeof(buf));

    if (msg->out_size[0] >= n) {
        psa_write(msg->handle, 0, buf, n);
    }
    return msg->type + 1000;
}

psa_status_t fx_sfn_cb(const psa_msg_t *msg)
{
    if (msg->type == PSA_IPC_CONNECT || msg->type == PSA_IPC_DISCONNECT) {
        return PSA_SUCCESS;
    }
    return msg->type;
}

static void echo_one(psa_signal_t signal)
{
    psa_msg_t msg;
    uint8_t buf[64];

    if (psa_get(signal, &msg) != PSA_SUCCESS) {
        return;
    }
    if (msg.type < 0) {
        psa_reply(msg.handle, PSA_SUCCESS);
        return;
    }
    size_t n = psa_read(msg.handle, 0, buf, sizeof(buf));
    if (n > 0 && msg.out_size[0] >= n) {
        psa_write(msg.handle, 0, buf, n);
    }
    psa_reply(msg.handle, msg.type);
}

void fx_echo_handler(void)
{
    for (;;) {
        psa_signal_t asserted = psa_wait(0x0000FFF0u, PSA_BLOCK);
        for (psa_signal_t bit = 0x10u; bit <= 0x800u; bit <<= 1) {
            if ((asserted & bit) != 0u) {
                echo_one(bit);
            }
        }
    }
}

static void register_code(struct ffm_sync *h)
{
    ffm_sync_set_sfn(h, FX_S_SFN_SL, fx_sfn_sl);
    ffm_sync_set_sfn(h, FX_S_SFN_CB, fx_sfn_cb);
    ffm_sync_set_sfn(h, FX_S_WIDE_STRICT, fx_sfn_cb);
    ffm_sync_set_sfn(h, FX_S_WIDE_RELAXED, fx_sfn_cb);
}

struct ffm_sync *fx_boot(enum ffm_profile profile)
{
    struct ffm_sync *h = ffm_sync_create();
    struct ffm_spm_config config = ffm_spm_config_default();

    assert_non_null(h);
    register_code(h);
    config.profile = profile;
    assert_int_equal(ffm_sync_boot(h, &fx_desc, &config), FFM_BOOT_OK);
    return h;
}

int fx_reboot(struct ffm_sync *h, const struct ffm_spm_config *config)
{
    return ffm_sync_boot(h, &fx_desc, config);
}

int fx_setup(void **state)
{
    *state = fx_boot(FFM_PROFILE_SPEC);
    return 0;
}

int fx_setup_tfm(void **state)
{
    *state = fx_boot(FFM_PROFILE_TFM);
    return 0;
}

int fx_teardown(void **state)
{
    ffm_sync_destroy(*state);
    return 0;
}

psa_signal_t fx_poll(struct ffm_sync *h, uint16_t partition)
{
    struct ffm_caller c = ffm_sync_sp(h, partition);
    struct ffm_ret r = ffm_psa_wait(&h->spm, &c, PSA_WAIT_ANY, PSA_POLL);

    assert_int_equal(r.next, FFM_NEXT_RETURN);
    return (psa_signal_t)r.value;
}

psa_msg_t fx_get(struct ffm_sync *h, uint16_t partition, psa_signal_t signal)
{
    struct ffm_caller c = ffm_sync_sp(h, partition);
    psa_msg_t msg;
    struct ffm_ret r;

    memset(&msg, 0xA5, sizeof(msg));
    r = ffm_psa_get(&h->spm, &c, signal, &msg);
    assert_int_equal(r.next, FFM_NEXT_RETURN);
    assert_int_equal(r.value, PSA_SUCCESS);
    return msg;
}

void fx_reply(struct ffm_sync *h, uint16_t partition, psa_handle_t msg_handle,
              psa_status_t status)
{
    struct ffm_caller c = ffm_sync_sp(h, partition);
    struct ffm_ret r = ffm_psa_reply(&h->spm, &c, msg_handle, status);

    assert_int_equal(r.next, FFM_NEXT_RETURN);
}

psa_handle_t fx_connect_by_hand(struct ffm_sync *h, const struct ffm_caller *caller,
                                uint32_t sid, uint32_t version, psa_signal_t signal)
{
    struct ffm_sync_result now;
    int w = ffm_sync_begin_connect(h, caller, sid, version, &now);

    assert_true(w >= 0);
    psa_msg_t msg = fx_get(h, FX_P_IPC, signal);
    assert_int_equal(msg.type, PSA_IPC_CONNECT);
    fx_reply(h, FX_P_IPC, msg.handle, PSA_SUCCESS);
    struct ffm_sync_result res = ffm_sync_poll(h, w);
    assert_true(res.completed);
    assert_false(res.panicked);
    assert_true(res.value > 0);
    return (psa_handle_t)res.value;
}

void fx_expect_event(const struct ffm_sync *h, unsigned n, enum ffm_rule rule, enum ffm_api api,
                     const struct ffm_caller *caller, enum ffm_disposition disposition)
{
    const struct ffm_event *ev = ffm_sync_last_event(h);

    assert_int_equal(h->n_events, n);
    assert_non_null(ev);
    assert_string_equal(ffm_rule_id(ev->rule), ffm_rule_id(rule));
    assert_string_equal(ffm_api_name(ev->api), ffm_api_name(api));
    assert_int_equal(ev->caller.secure, caller->secure);
    assert_int_equal(ev->caller.id, caller->client_id);
    assert_int_equal(ev->disposition, disposition);
    assert_int_equal(ev->seq, n);
    assert_true(strlen(ev->reason) > 0);
    assert_non_null(ev->caller.name);
}

void fx_expect_quiescent(const struct ffm_sync *h)
{
    assert_int_equal(ffm_spm_pool_free(&h->spm), ffm_spm_pool_capacity(&h->spm));
    assert_int_equal(ffm_spm_messages_in_flight(&h->spm), 0);
    for (unsigned i = 0; i < FFM_SYNC_MAX_WAITS; i++) {
        assert_false(h->waits[i].in_use);
    }
    for (uint16_t p = 0; p < FX_N_PARTITIONS; p++) {
        assert_int_equal(ffm_spm_asserted(&h->spm, p) & 0x0FFFFFF0u, 0u);
    }
    assert_int_equal(h->deadlocks, 0);
}
