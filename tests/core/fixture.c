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

#define SVC(nm, sid_, ver, pol, ns, cb, mm, idx, sig, part, sfn)                                 \
    {                                                                                            \
        .name = nm, .sid = sid_, .version = ver, .version_policy = pol,                         \
        .non_secure_clients = ns, .connection_based = cb, .mm_iovec = mm,                       \
        .stateless_index = idx,                                                                  \
        .stateless_handle = (idx) >= 0 ? (psa_handle_t)(0x40000000u | (((ver) & 0xFFu) << 8) | \
                                                        (uint32_t)(idx))                         \
                                       : 0,                                                      \
        .signal = sig, .partition = part, .sfn_name = sfn                                        \
    }

static const struct ffm_service_desc services[FX_N_SERVICES] = {
    SVC("CB_SVC", FX_SID_CB, 2, FFM_POLICY_STRICT, true, true, false, -1, FX_SIG_CB, 0, NULL),
    SVC("CB_RELAXED", FX_SID_CB_RELAXED, 3, FFM_POLICY_RELAXED, true, true, false, -1,
        FX_SIG_CB_RELAXED, 0, NULL),
    SVC("CB_S_ONLY", FX_SID_CB_S_ONLY, 1, FFM_POLICY_STRICT, false, true, false, -1,
        FX_SIG_CB_S_ONLY, 0, NULL),
    SVC("SL_SVC", FX_SID_SL, 1, FFM_POLICY_STRICT, true, false, false, 0, FX_SIG_SL, 0, NULL),
    SVC("SL_RELAXED", FX_SID_SL_RELAXED, 3, FFM_POLICY_RELAXED, true, false, false, 1,
        FX_SIG_SL_RELAXED, 0, NULL),
    SVC("SL_S_ONLY", FX_SID_SL_S_ONLY, 1, FFM_POLICY_STRICT, false, false, false, 2,
        FX_SIG_SL_S_ONLY, 0, NULL),
    SVC("SL_MM", FX_SID_SL_MM, 1, FFM_POLICY_STRICT, true, false, true, 3, FX_SIG_SL_MM, 0, NULL),
    SVC("CB_MM", FX_SID_CB_MM, 1, FFM_POLICY_STRICT, true, true, true, -1, FX_SIG_CB_MM, 0, NULL),
    SVC("SFN_SL", FX_SID_SFN_SL, 1, FFM_POLICY_STRICT, true, false, false, 4, 0x10u, 1,
        "sfn_sl_sfn"),
    SVC("SFN_CB", FX_SID_SFN_CB, 1, FFM_POLICY_STRICT, true, true, false, -1, 0x20u, 1,
        "sfn_cb_sfn"),
    SVC("CLIENT_SVC", 0x3000u, 1, FFM_POLICY_STRICT, false, true, false, -1, 0x10u, 2, NULL),
    SVC("LEGACY_SVC", 0x4000u, 1, FFM_POLICY_STRICT, true, true, false, -1, 0x10u, 3, NULL),
    SVC("WIDE_STRICT", 0x5000u, 0x1ff, FFM_POLICY_STRICT, true, false, false, 5, 0x10u, 4,
        "wide_strict_sfn"),
    SVC("WIDE_RELAXED", 0x5001u, 0x1ff, FFM_POLICY_RELAXED, true, false, false, 6, 0x20u, 4,
        "wide_relaxed_sfn"),
};

static const struct ffm_irq_desc irqs[FX_N_IRQS] = {
    { .name = "SLIH_IRQ", .source = "1", .signal = FX_SIG_SLIH, .handling = FFM_IRQ_SLIH,
      .partition = 0 },
    { .name = "FLIH_IRQ", .source = "2", .signal = FX_SIG_FLIH, .handling = FFM_IRQ_FLIH,
      .flih_name = "flih_irq_flih", .partition = 0 },
    { .name = "LEGACY_IRQ", .source = "3", .signal = 0x80000000u, .handling = FFM_IRQ_SLIH,
      .partition = 3 },
};

static const uint16_t ipc_deps[] = { FX_S_SFN_SL, FX_S_SFN_CB };
static const uint16_t client_deps[] = { FX_S_CB,    FX_S_CB_S_ONLY, FX_S_SL,     FX_S_SL_S_ONLY,
                                        FX_S_SL_MM, FX_S_CB_MM,     FX_S_SFN_SL, FX_S_SFN_CB };

static const struct ffm_partition_desc partitions[FX_N_PARTITIONS] = {
    { .name = "IPC_SP", .pid = FX_PID_IPC, .ff_version = FFM_FF_VERSION_1_1, .type = FFM_PSA_ROT,
      .model = FFM_MODEL_IPC, .entry = "ipc_sp_main", .first_service = 0, .n_services = 8,
      .first_irq = 0, .n_irqs = 2, .deps = ipc_deps, .n_deps = 2 },
    { .name = "SFN_SP", .pid = FX_PID_SFN, .ff_version = FFM_FF_VERSION_1_1, .type = FFM_PSA_ROT,
      .model = FFM_MODEL_SFN, .first_service = 8, .n_services = 2, .first_irq = 2, .n_irqs = 0 },
    { .name = "CLIENT_SP", .pid = FX_PID_CLIENT, .ff_version = FFM_FF_VERSION_1_1,
      .type = FFM_APPLICATION_ROT, .model = FFM_MODEL_IPC, .entry = "client_main",
      .first_service = 10, .n_services = 1, .first_irq = 2, .n_irqs = 0, .deps = client_deps,
      .n_deps = 8 },
    { .name = "LEGACY_SP", .pid = FX_PID_LEGACY, .ff_version = FFM_FF_VERSION_1_0,
      .type = FFM_PSA_ROT, .model = FFM_MODEL_IPC, .entry = "legacy_main", .first_service = 11,
      .n_services = 1, .first_irq = 2, .n_irqs = 1 },
    { .name = "WIDE_SP", .pid = 260, .ff_version = FFM_FF_VERSION_1_1, .type = FFM_PSA_ROT,
      .model = FFM_MODEL_SFN, .first_service = 12, .n_services = 2, .first_irq = 3,
      .n_irqs = 0 },
};

const struct ffm_system_desc fx_desc = {
    .partitions = partitions,
    .n_partitions = FX_N_PARTITIONS,
    .services = services,
    .n_services = FX_N_SERVICES,
    .irqs = irqs,
    .n_irqs = FX_N_IRQS,
    .stateless_slot = { 3, 4, 5, 6, 8, 12, 13, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1 },
};

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
