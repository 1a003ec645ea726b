/*
 * test_embed.c - the embedding API (include/ffmsim/sim.h): the exits case's system
 * (tests/integration/exits/list.yaml: BOOM_SP, OK_SP, STALL_SP) run inside this program with
 * statically linked partitions, under each panic policy, with the event and trap callbacks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ffmsim/ns.h"
#include "ffmsim/platform.h"
#include "ffmsim/sim.h"
#include "manifest/manifest.h"
#include "psa/client.h"
#include "psa/service.h"

#define BOOM_HANDLE 0x40000100 /* stateless handles of the exits case (MAN-23 order) */
#define PING_HANDLE 0x40000101
#define STALL_HANDLE 0x40000102
#define STALL_SIGNAL 0x10u

/* ---------------------------------------------------------------- the partitions */

static psa_status_t boom_sfn(const psa_msg_t *msg)
{
    if (msg->type == 0) {
        psa_panic();
    }
    return 1;
}

static psa_status_t ping_sfn(const psa_msg_t *msg)
{
    return msg->client_id;
}

static psa_status_t bootpanic_init(void)
{
    psa_panic();
}

static psa_status_t never_sfn(const psa_msg_t *msg)
{
    (void)msg;
    return 0;
}

static void stall_main(void)
{
    for (;;) {
        psa_msg_t msg;
        if (psa_wait(STALL_SIGNAL, PSA_BLOCK) & STALL_SIGNAL) {
            psa_get(STALL_SIGNAL, &msg);
            psa_wait(PSA_DOORBELL, PSA_BLOCK);
        }
    }
}

/* ---------------------------------------------------------------- NS entries */

static int ns_trap(void)
{
    psa_status_t boom = psa_call(BOOM_HANDLE, 0, NULL, 0, NULL, 0);
    psa_status_t again = psa_call(BOOM_HANDLE, 1, NULL, 0, NULL, 0);
    psa_status_t ping = psa_call(PING_HANDLE, 0, NULL, 0, NULL, 0);
    return boom == PSA_ERROR_CONNECTION_REFUSED && again == PSA_ERROR_CONNECTION_REFUSED &&
                   ping == -1
               ? 0
               : 1;
}

static int ns_boom(void)
{
    psa_call(BOOM_HANDLE, 0, NULL, 0, NULL, 0);
    return 0; /* never reached under halt or reset */
}

static int ns_reboot(void)
{
    if (ffm_platform_boot_count() == 1) {
        psa_call(BOOM_HANDLE, 0, NULL, 0, NULL, 0);
    }
    return (int)ffm_platform_boot_count() * 10;
}

static int ns_forged(void)
{
    return psa_call((psa_handle_t)-5, 0, NULL, 0, NULL, 0) == PSA_ERROR_PROGRAMMER_ERROR ? 0 : 1;
}

static int ns_stall(void)
{
    return psa_call(STALL_HANDLE, 0, NULL, 0, NULL, 0);
}

static int worker(void *arg)
{
    return psa_call(PING_HANDLE, 0, NULL, 0, NULL, 0) == *(const int32_t *)arg ? 0 : 1;
}

static int bad_worker(void *arg)
{
    (void)arg;
    psa_wait(PSA_WAIT_ANY, PSA_POLL); /* GEN-03: a partition API from NS */
    return 0;                         /* never reached */
}

/* Under trap only the offending NS thread is unwound; the entry thread goes on (GEN-03). */
static int ns_trap_thread(void)
{
    ffm_ns_thread_t t;
    int ret = 0;
    if (ffm_ns_thread_create(&t, -9, bad_worker, NULL) != FFM_NS_OK ||
        ffm_ns_thread_join(t, &ret) != FFM_NS_OK) {
        return 2;
    }
    return ret == FFM_NS_THREAD_TRAPPED && psa_call(PING_HANDLE, 0, NULL, 0, NULL, 0) == -1 ? 0
                                                                                          : 1;
}

static int ns_threads(void)
{
    static int32_t id = -7;
    ffm_ns_thread_t t;
    int ret = -1;
    if (ffm_ns_thread_create(&t, id, worker, &id) != FFM_NS_OK ||
        ffm_ns_thread_join(t, &ret) != FFM_NS_OK) {
        return 2;
    }
    return ret;
}

/* ---------------------------------------------------------------- fixture */

struct record {
    int events;
    char rule[16];
    bool panics;
    int traps;
    int32_t trapped_id;
};

static struct ffm_manifest_set *set;
static struct ffm_manifest_set *bootpanic_set;
static struct record rec;

static void on_event(void *arg, const struct ffm_sim_event *ev)
{
    struct record *r = arg;
    r->events++;
    strncpy(r->rule, ev->rule, sizeof r->rule - 1);
    r->panics = ev->panics;
}

static void on_trap(void *arg, bool secure, int32_t id, const char *name)
{
    struct record *r = arg;
    (void)secure;
    (void)name;
    r->traps++;
    r->trapped_id = id;
}

static const struct ffm_sim_symbol symbols[] = {
    FFM_SIM_SYMBOL(boom_sfn), FFM_SIM_SYMBOL(ping_sfn), FFM_SIM_SYMBOL(stall_main),
    FFM_SIM_SYMBOL(ns_trap),  FFM_SIM_SYMBOL(ns_boom),  FFM_SIM_SYMBOL(ns_reboot),
    FFM_SIM_SYMBOL(ns_forged), FFM_SIM_SYMBOL(ns_stall), FFM_SIM_SYMBOL(ns_threads),
    FFM_SIM_SYMBOL(bootpanic_init), FFM_SIM_SYMBOL(never_sfn), FFM_SIM_SYMBOL(ns_trap_thread),
};

static int load(const char *list, struct ffm_manifest_set **out)
{
    const char *lists[] = { list };
    struct ffm_manifest_options opt = { .profile = FFM_PROFILE_SPEC, .lists = lists,
                                        .n_lists = 1 };
    return ffm_manifest_load(&opt, out) == FFM_MANIFEST_OK ? 0 : -1;
}

static int setup(void **state)
{
    (void)state;
    return load("tests/integration/exits/list.yaml", &set) |
           load("tests/integration/exits/list_bootpanic.yaml", &bootpanic_set);
}

static int teardown(void **state)
{
    (void)state;
    ffm_manifest_free(set);
    ffm_manifest_free(bootpanic_set);
    return 0;
}

static int run_set(struct ffm_manifest_set *s, const char *ns_entry,
                   enum ffm_sim_panic_policy policy, char *err, size_t size)
{
    memset(&rec, 0, sizeof rec);
    struct ffm_sim_config cfg = ffm_sim_config_default();
    cfg.desc = ffm_manifest_desc(s);
    cfg.symbols = symbols;
    cfg.n_symbols = sizeof symbols / sizeof symbols[0];
    cfg.ns_entry = ns_entry;
    cfg.panic = policy;
    cfg.max_resets = 2;
    cfg.log_level = -1; /* quiet: the callbacks see everything */
    cfg.on_event = on_event;
    cfg.on_trap = on_trap;
    cfg.cb_arg = &rec;
    return ffm_sim_run(&cfg, err, size);
}

static int run(const char *ns_entry, enum ffm_sim_panic_policy policy, char *err, size_t size)
{
    return run_set(set, ns_entry, policy, err, size);
}

/* ---------------------------------------------------------------- tests */

static void trap_unwinds_only_the_partition(void **state)
{
    (void)state;
    char err[256];
    assert_int_equal(run("ns_trap", FFM_SIM_PANIC_TRAP, err, sizeof err), 0);
    assert_string_equal(rec.rule, "PANIC-01"); /* PANIC-04: the harness saw the event */
    assert_true(rec.panics);
    assert_int_equal(rec.traps, 1);
    assert_int_equal(rec.trapped_id, 256); /* BOOM_SP's pid */
}

static void halt_returns_halted(void **state)
{
    (void)state;
    char err[256];
    assert_int_equal(run("ns_boom", FFM_SIM_PANIC_HALT, err, sizeof err), FFM_SIM_HALTED);
    assert_int_equal(rec.traps, 0);
    assert_non_null(strstr(err, "BOOM_SP panicked"));
}

static void reset_boots_again_in_process(void **state)
{
    (void)state;
    char err[256];
    assert_int_equal(run("ns_reboot", FFM_SIM_PANIC_RESET, err, sizeof err), 20);
}

static void reset_loop_stops_at_max_resets(void **state)
{
    (void)state;
    char err[256];
    /* entry_init panics at every boot: NS is never reached (RESET-14), max_resets is 2 */
    assert_int_equal(run_set(bootpanic_set, "ns_boom", FFM_SIM_PANIC_RESET, err, sizeof err),
                     FFM_SIM_RESET_LIMIT);
    assert_non_null(strstr(err, "RESET_LOOP: 3 consecutive resets"));
    assert_int_equal(rec.events, 3); /* one PANIC-01 event per boot: boots 1, 2 and 3 */
}

static void ns_pe_reaches_the_callback(void **state)
{
    (void)state;
    char err[256];
    assert_int_equal(run("ns_forged", FFM_SIM_PANIC_HALT, err, sizeof err), 0);
    assert_int_equal(rec.events, 1);
    assert_string_equal(rec.rule, "CALL-24");
    assert_false(rec.panics);
}

static void deadlock_halts(void **state)
{
    (void)state;
    char err[1600];
    assert_int_equal(run("ns_stall", FFM_SIM_PANIC_HALT, err, sizeof err), FFM_SIM_HALTED);
    assert_non_null(strstr(err, "STALL_SP (pid 258): blocked in psa_wait"));
    assert_non_null(strstr(err, "NS (NS client -1): blocked in psa_call"));
}

static void ns_thread_has_its_own_id(void **state)
{
    (void)state;
    char err[256];
    assert_int_equal(run("ns_threads", FFM_SIM_PANIC_HALT, err, sizeof err), 0);
}

static void trap_unwinds_only_the_ns_thread(void **state)
{
    (void)state;
    char err[256];
    assert_int_equal(run("ns_trap_thread", FFM_SIM_PANIC_TRAP, err, sizeof err), 0);
    assert_string_equal(rec.rule, "GEN-03");
    assert_int_equal(rec.traps, 1);
    assert_int_equal(rec.trapped_id, -9);
}

static void missing_symbol_is_bad_input(void **state)
{
    (void)state;
    char err[256];
    struct ffm_sim_config cfg = ffm_sim_config_default();
    cfg.desc = ffm_manifest_desc(set);
    cfg.symbols = symbols + 1; /* no boom_sfn */
    cfg.n_symbols = 2;
    cfg.ns_entry = "ns_trap";
    assert_int_equal(ffm_sim_run(&cfg, err, sizeof err), FFM_SIM_BAD_INPUT);
    assert_non_null(strstr(err, "boom_sfn"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(trap_unwinds_only_the_partition),
        cmocka_unit_test(halt_returns_halted),
        cmocka_unit_test(reset_boots_again_in_process),
        cmocka_unit_test(reset_loop_stops_at_max_resets),
        cmocka_unit_test(ns_pe_reaches_the_callback),
        cmocka_unit_test(deadlock_halts),
        cmocka_unit_test(ns_thread_has_its_own_id),
        cmocka_unit_test(trap_unwinds_only_the_ns_thread),
        cmocka_unit_test(missing_symbol_is_bad_input),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
