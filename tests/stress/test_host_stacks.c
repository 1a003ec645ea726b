/*
 * test_host_stacks.c - partition threads start in a program whose static TLS is large. The C
 * library places static TLS at the top of a thread's caller-supplied stack, so the port's host
 * stacks must leave room for it: ThreadSanitizer's static TLS is about 900 KiB (gcc 12), and
 * 256 KiB stacks made every thread creation fail under it. This program has 640 KiB of its own
 * static TLS, so it checks the same thing in every build, sanitized or not.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ffmsim/sim.h"
#include "manifest/manifest.h"
#include "psa/client.h"
#include "stress.h"

#define BIG_TLS (640u * 1024u)

static _Thread_local unsigned char big_tls[BIG_TLS];
static psa_handle_t h_sfn_sl, h_ipc_sl;

static int ns_entry(void)
{
    struct stress_probe in = { .client = -1, .seq = 7, .tag = 0 };
    struct stress_probe out;
    psa_invec iv = { &in, sizeof in };
    psa_outvec ov = { &out, sizeof out };
    int ok = psa_call(h_sfn_sl, 0, &iv, 1, &ov, 1) == stress_status(7) && out.client == -1;
    ok = ok && psa_call(h_ipc_sl, 0, &iv, 1, &ov, 1) == stress_status(7) && out.client == -1;
    return ok ? 0 : 1;
}

static void partitions_start_with_large_static_tls(void **state)
{
    (void)state;
    volatile unsigned char *tls = big_tls; /* the TLS block is really there */
    tls[BIG_TLS - 1] = 1;
    struct ffm_manifest_set *set = stress_load("tests/stress/load_list.yaml");
    assert_non_null(set);
    static const struct ffm_sim_symbol symbols[] = {
        FFM_SIM_SYMBOL(sfn_sl_sfn), FFM_SIM_SYMBOL(sfn_cb_sfn), FFM_SIM_SYMBOL(load_ipc_main),
        FFM_SIM_SYMBOL(ns_entry),
    };
    struct ffm_sim_config cfg = ffm_sim_config_default();
    cfg.desc = ffm_manifest_desc(set);
    cfg.symbols = symbols;
    cfg.n_symbols = sizeof symbols / sizeof symbols[0];
    cfg.ns_entry = "ns_entry";
    cfg.panic = FFM_SIM_PANIC_HALT;
    stress_bind(cfg.desc);
    h_sfn_sl = stress_service(cfg.desc, "SFN_SL")->stateless_handle;
    h_ipc_sl = stress_service(cfg.desc, "IPC_SL")->stateless_handle;
    char err[256] = "";
    int status = ffm_sim_run(&cfg, err, sizeof err);
    ffm_manifest_free(set);
    assert_string_equal(err, "");
    assert_int_equal(status, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(partitions_start_with_large_static_tls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
