/*
 * test_core_signals.c - doorbell, interrupts, lifecycle, panic and the trap policy on the
 * synchronous port (NOTIFY-01..03, CLEAR-01..02, EOI-01..05, RST-01..05, IRQEN-01..03,
 * IRQDIS-01..02, SIG-08..11, LC-01..03, PANIC-01, PANIC-04..06, GEN-01, GEN-06), plus boot and
 * reset (HDL-10, HDL-22, RESET-01) and a boot/reset loop that checks nothing leaks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/fixture.h"

static const struct ffm_caller NS = { .client_id = -1, .secure = false };

static void expect_pe(struct ffm_sync *h, const struct ffm_caller *c, struct ffm_ret ret,
                      unsigned n, enum ffm_rule rule, enum ffm_api api)
{
    struct ffm_sync_result r = ffm_sync_settle(h, c, ret);

    assert_true(r.panicked);
    fx_expect_event(h, n, rule, api, c, FFM_DISP_PANIC);
    assert_true(ffm_spm_partition_is_faulted(&h->spm, c->partition));
}

/* NOTIFY-01, NOTIFY-02, NOTIFY-03, CLEAR-01, CLEAR-02, SIG-10, SIG-11: the doorbell, set by
 * anyone, not counted. */
static void test_doorbell(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller p0 = ffm_sync_sp(h, FX_P_IPC);
    struct ffm_caller client = ffm_sync_sp(h, FX_P_CLIENT);

    assert_int_equal(ffm_psa_notify(&h->spm, &client, FX_PID_IPC).next, FFM_NEXT_RETURN);
    assert_int_equal(ffm_psa_notify(&h->spm, &client, FX_PID_IPC).next, FFM_NEXT_RETURN);
    assert_int_equal(ffm_psa_wait(&h->spm, &p0, PSA_DOORBELL, PSA_BLOCK).value, PSA_DOORBELL);
    assert_int_equal(ffm_spm_asserted(&h->spm, FX_P_CLIENT), 0u); /* SIG-11 */
    assert_int_equal(ffm_psa_clear(&h->spm, &p0).next, FFM_NEXT_RETURN);
    assert_int_equal(ffm_psa_wait(&h->spm, &p0, PSA_DOORBELL, PSA_POLL).value, 0);
    assert_int_equal(ffm_sync_trace_count(h, FFM_TRACE_DOORBELL), 2);
    /* Self-notification. */
    ffm_psa_notify(&h->spm, &p0, FX_PID_IPC);
    assert_int_equal(ffm_spm_asserted(&h->spm, FX_P_IPC), PSA_DOORBELL);
    ffm_psa_clear(&h->spm, &p0);
    assert_int_equal(h->n_events, 0);
    expect_pe(h, &p0, ffm_psa_clear(&h->spm, &p0), 1, FFM_RULE_CLEAR_01, FFM_API_CLEAR);
    expect_pe(h, &client, ffm_psa_notify(&h->spm, &client, 0), 2, FFM_RULE_NOTIFY_02,
              FFM_API_NOTIFY);
    assert_int_equal(fx_reboot(h, NULL), FFM_BOOT_OK);
    expect_pe(h, &client, ffm_psa_notify(&h->spm, &client, -1), 1, FFM_RULE_NOTIFY_02,
              FFM_API_NOTIFY);
    assert_int_equal(fx_reboot(h, NULL), FFM_BOOT_OK);
    expect_pe(h, &client, ffm_psa_notify(&h->spm, &client, 999), 1, FFM_RULE_NOTIFY_01,
              FFM_API_NOTIFY);
}

/* IRQEN-03, IRQEN-02, SIG-08, EOI-05, IRQDIS-02: a level-sensitive SLIH. */
static void test_slih_lifecycle(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller p0 = ffm_sync_sp(h, FX_P_IPC);

    assert_false(ffm_spm_irq_enabled(&h->spm, FX_IRQ_SLIH)); /* FF-M 1.1: disabled */
    assert_false(ffm_spm_irq_enabled(&h->spm, FX_IRQ_FLIH));
    assert_true(ffm_spm_irq_enabled(&h->spm, FX_IRQ_LEGACY)); /* FF-M 1.0: enabled */
    ffm_spm_irq_line(&h->spm, FX_IRQ_SLIH, true);
    assert_int_equal(ffm_spm_asserted(&h->spm, FX_P_IPC), 0u);
    ffm_psa_irq_enable(&h->spm, &p0, FX_SIG_SLIH); /* pending line asserts at once */
    assert_int_equal(ffm_psa_wait(&h->spm, &p0, FX_SIG_SLIH, PSA_BLOCK).value, FX_SIG_SLIH);
    ffm_psa_irq_enable(&h->spm, &p0, FX_SIG_SLIH); /* no effect when enabled */
    assert_int_equal(ffm_sync_trace_count(h, FFM_TRACE_IRQ_ASSERTED), 1);
    ffm_psa_eoi(&h->spm, &p0, FX_SIG_SLIH); /* still active: asserted again */
    assert_int_equal(ffm_spm_asserted(&h->spm, FX_P_IPC), FX_SIG_SLIH);
    assert_int_equal(ffm_sync_trace_count(h, FFM_TRACE_IRQ_ASSERTED), 2);
    ffm_spm_irq_line(&h->spm, FX_IRQ_SLIH, false); /* stays asserted until psa_eoi */
    assert_int_equal(ffm_spm_asserted(&h->spm, FX_P_IPC), FX_SIG_SLIH);
    ffm_psa_eoi(&h->spm, &p0, FX_SIG_SLIH);
    assert_int_equal(ffm_spm_asserted(&h->spm, FX_P_IPC), 0u);
    ffm_spm_irq_line(&h->spm, FX_IRQ_SLIH, true);
    assert_int_equal(ffm_spm_asserted(&h->spm, FX_P_IPC), FX_SIG_SLIH);
    assert_int_equal(ffm_psa_irq_disable(&h->spm, &p0, FX_SIG_SLIH).value, 1);
    assert_int_equal(ffm_psa_irq_disable(&h->spm, &p0, FX_SIG_SLIH).value, 0);
    assert_int_equal(ffm_spm_asserted(&h->spm, FX_P_IPC), FX_SIG_SLIH); /* stays asserted */
    ffm_psa_eoi(&h->spm, &p0, FX_SIG_SLIH);
    assert_int_equal(ffm_spm_asserted(&h->spm, FX_P_IPC), 0u); /* disabled: not re-asserted */
    assert_int_equal(h->n_events, 0);
}

/* EOI-01..03, RST-01..03, IRQEN-01, IRQDIS-01. */
static void test_irq_api_errors(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller p0 = ffm_sync_sp(h, FX_P_IPC);
    struct ffm_caller legacy = ffm_sync_sp(h, FX_P_LEGACY);
    const psa_signal_t not_irq[] = { 0u, FX_SIG_SLIH | FX_SIG_FLIH, PSA_DOORBELL, FX_SIG_CB,
                                     0x01000000u };
    const struct {
        int api; /* 0 eoi, 1 reset_signal, 2 enable, 3 disable */
        enum ffm_rule rule;
        enum ffm_api id;
    } apis[] = {
        { 0, FFM_RULE_EOI_01, FFM_API_EOI },
        { 1, FFM_RULE_RST_01, FFM_API_RESET_SIGNAL },
        { 2, FFM_RULE_IRQEN_01, FFM_API_IRQ_ENABLE },
        { 3, FFM_RULE_IRQDIS_01, FFM_API_IRQ_DISABLE },
    };
    for (unsigned a = 0; a < 4; a++) {
        for (unsigned s = 0; s < sizeof(not_irq) / sizeof(not_irq[0]); s++) {
            assert_int_equal(fx_reboot(h, NULL), FFM_BOOT_OK);
            struct ffm_ret r;
            switch (apis[a].api) {
            case 0:
                r = ffm_psa_eoi(&h->spm, &p0, not_irq[s]);
                break;
            case 1:
                r = ffm_psa_reset_signal(&h->spm, &p0, not_irq[s]);
                break;
            case 2:
                r = ffm_psa_irq_enable(&h->spm, &p0, not_irq[s]);
                break;
            default:
                r = ffm_psa_irq_disable(&h->spm, &p0, not_irq[s]);
                break;
            }
            expect_pe(h, &p0, r, 1, apis[a].rule, apis[a].id);
        }
    }
    /* Another partition's IRQ signal is not the caller's. */
    assert_int_equal(fx_reboot(h, NULL), FFM_BOOT_OK);
    expect_pe(h, &legacy, ffm_psa_eoi(&h->spm, &legacy, FX_SIG_FLIH), 1, FFM_RULE_EOI_01,
              FFM_API_EOI);
    assert_int_equal(fx_reboot(h, NULL), FFM_BOOT_OK);
    expect_pe(h, &p0, ffm_psa_eoi(&h->spm, &p0, FX_SIG_FLIH), 1, FFM_RULE_EOI_02, FFM_API_EOI);
    assert_int_equal(fx_reboot(h, NULL), FFM_BOOT_OK);
    expect_pe(h, &p0, ffm_psa_eoi(&h->spm, &p0, FX_SIG_SLIH), 1, FFM_RULE_EOI_03, FFM_API_EOI);
    assert_int_equal(fx_reboot(h, NULL), FFM_BOOT_OK);
    expect_pe(h, &p0, ffm_psa_reset_signal(&h->spm, &p0, FX_SIG_SLIH), 1, FFM_RULE_RST_02,
              FFM_API_RESET_SIGNAL);
    assert_int_equal(fx_reboot(h, NULL), FFM_BOOT_OK);
    expect_pe(h, &p0, ffm_psa_reset_signal(&h->spm, &p0, FX_SIG_FLIH), 1, FFM_RULE_RST_03,
              FFM_API_RESET_SIGNAL);
}

static unsigned flih_runs;
static psa_flih_result_t flih_result;

static psa_flih_result_t counting_flih(void)
{
    flih_runs++;
    return flih_result;
}

static psa_flih_result_t flih_calls_wait(void)
{
    (void)psa_wait(PSA_WAIT_ANY, PSA_POLL); /* GEN-01: not allowed in handler mode */
    flih_runs += 100;                         /* never reached (GEN-06) */
    return PSA_FLIH_SIGNAL;
}

/* SIG-09, RST-05: a FLIH runs in handler mode on a rising edge of an enabled line. */
static void test_flih(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller p0 = ffm_sync_sp(h, FX_P_IPC);
    struct ffm_caller flih = p0;

    flih.handler_mode = true;
    flih_runs = 0;
    flih_result = PSA_FLIH_SIGNAL;
    ffm_sync_set_flih(h, FX_IRQ_FLIH, counting_flih);
    ffm_spm_irq_line(&h->spm, FX_IRQ_FLIH, true); /* disabled: nothing */
    ffm_sync_run(h);
    assert_int_equal(flih_runs, 0);
    ffm_psa_irq_enable(&h->spm, &p0, FX_SIG_FLIH); /* pending line: the FLIH runs */
    ffm_sync_run(h);
    assert_int_equal(flih_runs, 1);
    assert_int_equal(ffm_spm_asserted(&h->spm, FX_P_IPC), FX_SIG_FLIH);
    ffm_spm_irq_line(&h->spm, FX_IRQ_FLIH, true); /* no edge */
    ffm_sync_run(h);
    assert_int_equal(flih_runs, 1);
    ffm_psa_reset_signal(&h->spm, &p0, FX_SIG_FLIH);
    assert_int_equal(ffm_spm_asserted(&h->spm, FX_P_IPC), 0u);
    flih_result = PSA_FLIH_NO_SIGNAL;
    ffm_spm_irq_line(&h->spm, FX_IRQ_FLIH, false);
    ffm_spm_irq_line(&h->spm, FX_IRQ_FLIH, true);
    ffm_sync_run(h);
    assert_int_equal(flih_runs, 2);
    assert_int_equal(ffm_spm_asserted(&h->spm, FX_P_IPC), 0u);
    assert_int_equal(h->n_events, 0);

    flih_result = 7; /* SIG-09: any other value is a PE of the partition */
    ffm_spm_irq_line(&h->spm, FX_IRQ_FLIH, false);
    ffm_spm_irq_line(&h->spm, FX_IRQ_FLIH, true);
    ffm_sync_run(h);
    fx_expect_event(h, 1, FFM_RULE_SIG_09, FFM_API_FLIH_RETURN, &flih, FFM_DISP_PANIC);
    assert_true(ffm_spm_partition_is_faulted(&h->spm, FX_P_IPC));

    ffm_sync_set_flih(h, FX_IRQ_FLIH, flih_calls_wait);
    assert_int_equal(fx_reboot(h, NULL), FFM_BOOT_OK);
    ffm_psa_irq_enable(&h->spm, &p0, FX_SIG_FLIH);
    ffm_spm_irq_line(&h->spm, FX_IRQ_FLIH, true);
    ffm_sync_run(h);
    fx_expect_event(h, 1, FFM_RULE_GEN_01, FFM_API_WAIT, &flih, FFM_DISP_PANIC);
    assert_true(ffm_spm_partition_is_faulted(&h->spm, FX_P_IPC));
    assert_int_equal(flih_runs, 3);
}

/* LC-01..03: the configured lifecycle state, validated at boot. */
static void test_core_lifecycle(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller p0 = ffm_sync_sp(h, FX_P_IPC);
    struct ffm_spm_config config = ffm_spm_config_default();

    assert_int_equal(ffm_psa_rot_lifecycle_state(&h->spm, &p0).value, PSA_LIFECYCLE_SECURED);
    config.lifecycle_state = PSA_LIFECYCLE_NON_PSA_ROT_DEBUG | 0x2Au;
    assert_int_equal(fx_reboot(h, &config), FFM_BOOT_OK);
    for (int i = 0; i < 3; i++) { /* LC-02: constant */
        assert_int_equal(ffm_psa_rot_lifecycle_state(&h->spm, &p0).value, 0x402A);
    }
    config.lifecycle_state = PSA_LIFECYCLE_UNKNOWN;
    assert_int_equal(fx_reboot(h, &config), FFM_BOOT_OK);
    assert_int_equal(ffm_psa_rot_lifecycle_state(&h->spm, &p0).value, 0);
    const uint32_t bad[] = { 0x7000u, 0xFF00u, 0x1100u, 0x13000u };
    for (unsigned i = 0; i < 4; i++) {
        config.lifecycle_state = bad[i];
        assert_int_equal(fx_reboot(h, &config), FFM_BOOT_BAD_LIFECYCLE);
        assert_non_null(strstr(ffm_boot_strerror(FFM_BOOT_BAD_LIFECYCLE), "LC-03"));
    }
    assert_int_equal(h->n_events, 0);
}

static int after_panic;

static void partition_code_panics(void *arg)
{
    (void)arg;
    psa_panic();
    after_panic = 1; /* GEN-06: never runs */
}

static void ns_code_calls_wait(void *arg)
{
    (void)arg;
    (void)psa_wait(PSA_WAIT_ANY, PSA_POLL);
    after_panic = 2;
}

/* PANIC-01, GEN-03, GEN-06: psa_panic through the real symbol; NS may not call it. */
static void test_psa_panic(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller client = ffm_sync_sp(h, FX_P_CLIENT);

    after_panic = 0;
    assert_int_equal(ffm_sync_run_as(h, &client, partition_code_panics, NULL),
                     FFM_SYNC_PANICKED);
    assert_int_equal(after_panic, 0);
    fx_expect_event(h, 1, FFM_RULE_PANIC_01, FFM_API_PANIC, &client, FFM_DISP_PANIC);
    assert_string_equal(ffm_sync_last_event(h)->reason, "psa_panic called");
    assert_true(ffm_spm_partition_is_faulted(&h->spm, FX_P_CLIENT));
    assert_int_equal(ffm_sync_run_as(h, &NS, ns_code_calls_wait, NULL), FFM_SYNC_PANICKED);
    assert_int_equal(after_panic, 0);
    fx_expect_event(h, 2, FFM_RULE_GEN_03, FFM_API_WAIT, &NS, FFM_DISP_PANIC);
    assert_int_equal(h->panics, 2);
}

/* PANIC-04, PANIC-05: queued and fetched messages of a FAULTED partition complete with -130; later
 * requests too, without an event; psa_notify to it has no effect. */
static void test_trap_service_side(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller client = ffm_sync_sp(h, FX_P_CLIENT);
    struct ffm_sync_result now;

    psa_handle_t conn = fx_connect_by_hand(h, &NS, FX_SID_CB, 2, FX_SIG_CB);
    int w1 = ffm_sync_begin_call(h, &NS, conn, 1, NULL, 0, NULL, 0, &now);
    int w2 = ffm_sync_begin_call(h, &NS, FX_H_SL, 2, NULL, 0, NULL, 0, &now);
    int w3 = ffm_sync_begin_connect(h, &client, FX_SID_CB_S_ONLY, 1, &now);
    (void)fx_get(h, FX_P_IPC, FX_SIG_CB); /* one FETCHED, two QUEUED */
    ffm_spm_partition_faulted(&h->spm, FX_P_IPC);
    assert_int_equal(ffm_sync_poll(h, w1).value, PSA_ERROR_CONNECTION_REFUSED);
    assert_int_equal(ffm_sync_poll(h, w2).value, PSA_ERROR_CONNECTION_REFUSED);
    struct ffm_sync_result r3 = ffm_sync_poll(h, w3);
    assert_false(r3.panicked);
    assert_int_equal(r3.value, PSA_ERROR_CONNECTION_REFUSED);
    assert_int_equal(ffm_sync_call(h, &NS, conn, 1, NULL, 0, NULL, 0).value,
                     PSA_ERROR_CONNECTION_REFUSED);
    assert_int_equal(ffm_sync_connect(h, &NS, FX_SID_CB, 2).value, PSA_ERROR_CONNECTION_REFUSED);
    assert_int_equal(ffm_psa_notify(&h->spm, &client, FX_PID_IPC).next, FFM_NEXT_RETURN);
    assert_int_equal(ffm_spm_asserted(&h->spm, FX_P_IPC), 0u);
    assert_true(ffm_sync_close(h, &NS, conn).completed); /* released at once */
    assert_int_equal(h->n_events, 0);
    fx_expect_quiescent(h);
}

/* PANIC-04, PANIC-06: the connections a FAULTED partition held as a client are closed, one DISCONNECT
 * each; its stateless call in flight completes silently. */
static void test_trap_client_side(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller client = ffm_sync_sp(h, FX_P_CLIENT);
    int rh = 0;
    struct ffm_caller p0 = ffm_sync_sp(h, FX_P_IPC);
    struct ffm_sync_result now;

    int w = ffm_sync_begin_connect(h, &client, FX_SID_CB_S_ONLY, 1, &now);
    psa_msg_t m = fx_get(h, FX_P_IPC, FX_SIG_CB_S_ONLY);
    assert_int_equal(m.client_id, FX_PID_CLIENT);
    ffm_psa_set_rhandle(&h->spm, &p0, m.handle, &rh);
    fx_reply(h, FX_P_IPC, m.handle, PSA_SUCCESS);
    assert_true(ffm_sync_poll(h, w).value > 0);
    int ws = ffm_sync_begin_call(h, &client, FX_H_SL, 3, NULL, 0, NULL, 0, &now);
    ffm_spm_partition_faulted(&h->spm, FX_P_CLIENT);
    assert_int_equal(ffm_spm_asserted(&h->spm, FX_P_IPC), FX_SIG_CB_S_ONLY | FX_SIG_SL);
    psa_msg_t d = fx_get(h, FX_P_IPC, FX_SIG_CB_S_ONLY);
    assert_int_equal(d.type, PSA_IPC_DISCONNECT);
    assert_ptr_equal(d.rhandle, &rh);
    fx_reply(h, FX_P_IPC, d.handle, 0);
    fx_reply(h, FX_P_IPC, fx_get(h, FX_P_IPC, FX_SIG_SL).handle, 0);
    assert_false(ffm_sync_poll(h, ws).completed); /* the faulted client is never completed */
    h->waits[ws].in_use = false;                  /* the port forgets the unwound thread */
    assert_int_equal(fx_poll(h, FX_P_IPC), 0);
    assert_int_equal(h->n_events, 0);
    fx_expect_quiescent(h);
}

/* HDL-10: pool size from the manifests by default, configurable 1..255 (clamped). */
static void test_boot_pool_and_config(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_spm_config config = ffm_spm_config_default();

    assert_int_equal(ffm_spm_pool_capacity(&h->spm), 2 * FX_N_SERVICES);
    config.max_connections = 1000;
    assert_int_equal(fx_reboot(h, &config), FFM_BOOT_OK);
    assert_int_equal(ffm_spm_pool_capacity(&h->spm), 255);
    config.max_connections = 3;
    assert_int_equal(fx_reboot(h, &config), FFM_BOOT_OK);
    assert_int_equal(ffm_spm_pool_capacity(&h->spm), 3);
    config.isolation_level = 0;
    assert_int_equal(fx_reboot(h, &config), FFM_BOOT_BAD_ISOLATION);
    config.isolation_level = 4;
    assert_int_equal(fx_reboot(h, &config), FFM_BOOT_BAD_ISOLATION);
    config.isolation_level = 3;
    config.profile = (enum ffm_profile)7;
    assert_int_equal(fx_reboot(h, &config), FFM_BOOT_BAD_PROFILE);
    struct ffm_system_desc too_big = fx_desc;
    too_big.n_partitions = FFM_MAX_PARTITIONS + 1;
    config = ffm_spm_config_default();
    assert_int_equal(ffm_sync_boot(h, &too_big, &config), FFM_BOOT_TOO_BIG);
    struct ffm_system_desc bad = fx_desc;
    bad.n_services = 3; /* partitions name services beyond the table */
    assert_int_equal(ffm_sync_boot(h, &bad, &config), FFM_BOOT_BAD_DESC);
}

/* MEM-05: reach by isolation level, as the port applies it to the core's questions. */
static void test_isolation_reach(void **state)
{
    struct ffm_sync *h = *state;
    static char p0_mem[8];
    struct ffm_sync_region own = { .base = (uintptr_t)p0_mem, .size = sizeof(p0_mem),
                                   .secure = true, .owner = FX_P_IPC, .readable = true,
                                   .writable = true };
    struct ffm_spm_config config = ffm_spm_config_default();
    psa_invec in[1] = { { p0_mem, 4 } };

    assert_true(ffm_sync_add_region(h, &own));
    for (uint8_t level = 1; level <= 3; level++) {
        config.isolation_level = level;
        assert_int_equal(fx_reboot(h, &config), FFM_BOOT_OK);
        struct ffm_caller client = ffm_sync_sp(h, FX_P_CLIENT); /* App-RoT */
        struct ffm_sync_result r = ffm_sync_call(h, &client, FX_H_SFN_SL, 0, in, 1, NULL, 0);
        if (level == 1) {
            assert_int_equal(r.value, 1000);
            assert_int_equal(h->n_events, 0);
        } else {
            assert_true(r.panicked);
            fx_expect_event(h, 1, FFM_RULE_CALL_18, FFM_API_CALL, &client, FFM_DISP_PANIC);
        }
    }
}

/* RESET-01, HDL-22: 10000 boots with traffic left in flight; nothing survives, nothing leaks. */
static void test_boot_reset_loop(void **state)
{
    struct ffm_sync *h = *state;
    psa_handle_t first_conn = 0;

    for (unsigned i = 0; i < 10000; i++) {
        assert_int_equal(fx_reboot(h, NULL), FFM_BOOT_OK);
        fx_expect_quiescent(h);
        assert_int_equal(h->n_events, 0);
        assert_int_equal(ffm_sync_call(h, &NS, FX_H_SFN_SL, 1, NULL, 0, NULL, 0).value, 1001);
        struct ffm_sync_result r = ffm_sync_connect(h, &NS, FX_SID_SFN_CB, 1);
        if (i == 0) {
            first_conn = (psa_handle_t)r.value;
        }
        assert_int_equal(r.value, first_conn); /* HDL-22: counters restart */
        struct ffm_sync_result now;
        (void)ffm_sync_begin_call(h, &NS, FX_H_SL, 0, NULL, 0, NULL, 0, &now);
        ffm_psa_notify(&h->spm, &(struct ffm_caller){ .client_id = FX_PID_CLIENT,
                                                      .partition = FX_P_CLIENT,
                                                      .secure = true },
                       FX_PID_IPC);
        ffm_sync_connect(h, &NS, FX_SID_UNKNOWN, 1);
        assert_int_equal(h->n_events, 1);
        assert_int_equal(ffm_spm_pool_free(&h->spm), ffm_spm_pool_capacity(&h->spm) - 2);
    }
    for (unsigned i = 0; i < 2000; i++) { /* create / boot / destroy */
        struct ffm_sync *t = fx_boot(i % 2 ? FFM_PROFILE_TFM : FFM_PROFILE_SPEC);
        assert_int_equal(ffm_sync_call(t, &NS, FX_H_SFN_SL, 2, NULL, 0, NULL, 0).value, 1002);
        ffm_sync_destroy(t);
    }
    assert_int_equal(fx_reboot(h, NULL), FFM_BOOT_OK); /* the active harness again */
    fx_expect_quiescent(h);
}

/* The port's promise: thousands of create / boot / traffic / teardown cycles per second, each
 * ending quiescent (pool full, no message in flight, no blocked call). The bound is loose (1000
 * per second, ~10x below a debug build under valgrind) so that a slow CI machine passes, but a
 * boot that got accidentally quadratic or started to sleep fails. */
/* Create, boot, use and destroy a harness many times: every cycle ends quiescent (pool full,
 * nothing in flight). How fast this runs is measured by `make bench`, never asserted here. */
static void test_boot_teardown_rate(void **state)
{
    const unsigned cycles = 5000;

    (void)state;
    for (unsigned i = 0; i < cycles; i++) {
        struct ffm_sync *t = fx_boot(i % 2 ? FFM_PROFILE_TFM : FFM_PROFILE_SPEC);
        assert_int_equal(ffm_sync_call(t, &NS, FX_H_SFN_SL, 2, NULL, 0, NULL, 0).value, 1002);
        struct ffm_sync_result r = ffm_sync_connect(t, &NS, FX_SID_SFN_CB, 1);
        assert_true(r.value > 0);
        assert_true(ffm_sync_close(t, &NS, (psa_handle_t)r.value).completed);
        fx_expect_quiescent(t);
        ffm_sync_destroy(t);
    }
}

static bool ran_after_panic;

static psa_status_t sfn_panics(const psa_msg_t *msg)
{
    (void)msg;
    psa_panic();
}

static psa_status_t sfn_resets(const psa_msg_t *msg)
{
    (void)msg;
    ffm_sync_reset(ffm_sync_active());
}

static void ns_calls_sfn_sl(void *arg)
{
    (void)arg;
    (void)psa_call(FX_H_SFN_SL, 0, NULL, 0, NULL, 0);
    ran_after_panic = true;
}

/* Harness policy `reset` (PANIC-02 stand-in): a panic in a service, or a reset requested by it,
 * unwinds the whole stack (the NS client included: RESET-07) and stops the dispatcher; a boot
 * brings the system back, quiescent. Under `trap` the same panic only faults the service. */
static void test_reset_policy_unwinds_everything(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller ns = ffm_sync_ns(-1);
    ffm_sync_sfn_fn fns[2] = { sfn_panics, sfn_resets };

    for (unsigned i = 0; i < 2; i++) {
        h->policy = FFM_SYNC_POLICY_RESET;
        ffm_sync_set_sfn(h, FX_S_SFN_SL, fns[i]);
        assert_int_equal(fx_reboot(h, NULL), FFM_BOOT_OK);
        ran_after_panic = false;
        assert_int_equal(ffm_sync_run_as(h, &ns, ns_calls_sfn_sl, NULL), FFM_SYNC_RESET);
        assert_false(ran_after_panic);
        assert_true(h->reset_requested);
        assert_int_equal(h->panics, i == 0 ? 1u : 0u);
        assert_int_equal(h->n_events, i == 0 ? 1u : 0u);
        assert_int_equal(h->deadlocks, 0);
        assert_false(ffm_sync_call(h, &NS, FX_H_SL, 0, NULL, 0, NULL, 0).completed);
        assert_int_equal(h->deadlocks, 0); /* stopped, not deadlocked */
        assert_int_equal(fx_reboot(h, NULL), FFM_BOOT_OK);
        assert_false(h->reset_requested);
        fx_expect_quiescent(h);
    }
    h->policy = FFM_SYNC_POLICY_TRAP;
    ffm_sync_set_sfn(h, FX_S_SFN_SL, sfn_panics);
    assert_int_equal(fx_reboot(h, NULL), FFM_BOOT_OK);
    ran_after_panic = false;
    assert_int_equal(ffm_sync_run_as(h, &ns, ns_calls_sfn_sl, NULL), FFM_SYNC_RAN);
    assert_true(ran_after_panic); /* PANIC-05: the NS client got -130 and went on */
    assert_true(ffm_spm_partition_is_faulted(&h->spm, FX_P_SFN));
    assert_false(h->reset_requested);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_doorbell, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_slih_lifecycle, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_irq_api_errors, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_flih, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_core_lifecycle, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_psa_panic, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_trap_service_side, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_trap_client_side, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_boot_pool_and_config, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_isolation_reach, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_boot_reset_loop, fx_setup, fx_teardown),
        cmocka_unit_test(test_boot_teardown_rate),
        cmocka_unit_test_setup_teardown(test_reset_policy_unwinds_everything, fx_setup,
                                        fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
