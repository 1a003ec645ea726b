/*
 * test_stress.c - the simulator under load, in-process (the embedding API, partitions linked
 * statically from stress_parts.c):
 *
 *  - stress_mixed_load: 8 NS threads x 5,000 calls (50,000 with STRESS=1 in the environment)
 *    to SFN and IPC partitions, stateless and connection-based; each thread holds up to two
 *    connections at once, so the demand exceeds the pool (8 slots) and CONNECTION_BUSY happens
 *    (and is retried). Every reply is checked against the call's sequence number, the caller's
 *    client ID and the service; none may be lost (the services' counts add up), and every
 *    connection opened is closed with its DISCONNECT.
 *  - panic_with_clients_queued_{trap,halt,reset}: PANIC_SP panics with one request fetched and
 *    three more queued, under each panic policy, with the exact outcome for every client.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "ffmsim/ns.h"
#include "ffmsim/platform.h"
#include "ffmsim/sim.h"
#include "manifest/manifest.h"
#include "psa/client.h"
#include "stress.h"

#define N_WORKERS 8
#define SESSION_CALLS 8
#define CALLS_DEFAULT 5000u
#define CALLS_STRESS 50000u

/* ---------------------------------------------------------------- the load */

struct worker {
    int32_t id;
    uint32_t idx;
    unsigned calls; /* to make */
    unsigned done;  /* made and answered */
    unsigned bad;   /* replies that are not the answer to this thread's call */
    unsigned busy;  /* CONNECTION_BUSY (pool exhausted), retried */
    unsigned dual;  /* sessions that held two connections at once */
};

static struct worker workers[N_WORKERS];
static psa_handle_t h_sfn_sl, h_ipc_sl;
static uint32_t sid_sfn_cb, sid_ipc_cb;

/* One request; 0 when the pool was exhausted (retry), 1 when it was answered and checked. */
static int one_call(struct worker *w, psa_handle_t handle, uint32_t tag)
{
    struct stress_probe in = { .client = w->id, .seq = (w->idx << 24) | w->done, .tag = tag };
    struct stress_probe out = { 0 };
    psa_invec iv = { &in, sizeof in };
    psa_outvec ov = { &out, sizeof out };
    psa_status_t st = psa_call(handle, 0, &iv, 1, &ov, 1);
    if (st == PSA_ERROR_CONNECTION_BUSY) {
        w->busy++;
        return 0;
    }
    w->done++;
    if (st != stress_status(in.seq) || out.client != w->id || out.seq != in.seq ||
        out.tag != tag || ov.len != sizeof out) {
        w->bad++;
    }
    return 1;
}

static void stateless(struct worker *w, psa_handle_t handle, uint32_t tag)
{
    while (!one_call(w, handle, tag)) {
        ffm_ns_yield();
    }
}

/* Connect to `a` (give up this round when the pool is full), then try `b` too; calls
 * alternate between them; both are closed. Never waits while holding a connection. */
static void session(struct worker *w, uint32_t sid_a, uint32_t tag_a, uint32_t sid_b,
                    uint32_t tag_b)
{
    psa_handle_t a = psa_connect(sid_a, 1);
    if (a == PSA_ERROR_CONNECTION_BUSY) {
        w->busy++;
        ffm_ns_yield();
        return;
    }
    if (a <= 0) {
        w->bad++;
        w->done = w->calls;
        return;
    }
    psa_handle_t b = psa_connect(sid_b, 1);
    if (b == PSA_ERROR_CONNECTION_BUSY) {
        w->busy++;
    } else if (b <= 0) {
        w->bad++;
    } else {
        w->dual++;
    }
    for (unsigned k = 0; k < SESSION_CALLS && w->done < w->calls; k++) {
        bool use_b = b > 0 && k % 2 == 1;
        one_call(w, use_b ? b : a, use_b ? tag_b : tag_a);
    }
    psa_close(a);
    if (b > 0) {
        psa_close(b);
    }
}

static int worker_main(void *arg)
{
    struct worker *w = arg;
    unsigned round = w->idx;
    while (w->done < w->calls) {
        switch (round++ % 4) {
        case 0:
            stateless(w, h_sfn_sl, STRESS_SFN_SL);
            break;
        case 1:
            stateless(w, h_ipc_sl, STRESS_IPC_SL);
            break;
        case 2:
            session(w, sid_sfn_cb, STRESS_SFN_CB, sid_ipc_cb, STRESS_IPC_CB);
            break;
        default:
            session(w, sid_ipc_cb, STRESS_IPC_CB, sid_sfn_cb, STRESS_SFN_CB);
            break;
        }
    }
    return 0;
}

static int ns_load(void)
{
    ffm_ns_thread_t t[N_WORKERS];
    int created = 0;
    for (int i = 0; i < N_WORKERS; i++) {
        created += ffm_ns_thread_create(&t[i], workers[i].id, worker_main, &workers[i]) ==
                   FFM_NS_OK;
    }
    int failed = N_WORKERS - created;
    for (int i = 0; i < created; i++) {
        int ret = -1;
        failed += ffm_ns_thread_join(t[i], &ret) != FFM_NS_OK || ret != 0;
    }
    return failed;
}

/* ---------------------------------------------------------------- the panic */

#define N_QUEUED 4
static psa_handle_t h_go, h_pq;
static psa_status_t pq_status[N_QUEUED];
static bool pq_returned[N_QUEUED];
static bool go_returned;
static psa_status_t pq_late;

static int pq_client(void *arg)
{
    int i = *(const int *)arg;
    pq_status[i] = psa_call(h_pq, 0, NULL, 0, NULL, 0);
    pq_returned[i] = true;
    return 0;
}

static int ns_panic(void)
{
    static const int index[N_QUEUED] = { 0, 1, 2, 3 };
    if (ffm_platform_boot_count() > 1) {
        return 100 + (int)ffm_platform_boot_count(); /* after the reset */
    }
    ffm_ns_thread_t t[N_QUEUED];
    for (int i = 0; i < N_QUEUED; i++) {
        if (ffm_ns_thread_create(&t[i], -2 - i, pq_client, (void *)&index[i]) != FFM_NS_OK) {
            return 1;
        }
    }
    ffm_ns_yield(); /* each client runs until its request is queued behind the doorbell */
    psa_status_t go = psa_call(h_go, 0, NULL, 0, NULL, 0);
    go_returned = true;
    for (int i = 0; i < N_QUEUED; i++) {
        ffm_ns_thread_join(t[i], NULL);
    }
    pq_late = psa_call(h_pq, 0, NULL, 0, NULL, 0);
    return go == PSA_SUCCESS ? 0 : 1;
}

/* ---------------------------------------------------------------- harness */

struct record {
    int events;
    char rule[16];
    bool panics;
    int traps;
    bool trapped_secure;
    int32_t trapped_id;
};

static struct record rec;
static struct ffm_manifest_set *load_set;
static struct ffm_manifest_set *panic_set;

static void on_event(void *arg, const struct ffm_sim_event *ev)
{
    struct record *r = arg;
    r->events++;
    snprintf(r->rule, sizeof r->rule, "%s", ev->rule);
    r->panics = ev->panics;
}

static void on_trap(void *arg, bool secure, int32_t id, const char *name)
{
    struct record *r = arg;
    (void)name;
    r->traps++;
    r->trapped_secure = secure;
    r->trapped_id = id;
}

static const struct ffm_sim_symbol symbols[] = {
    FFM_SIM_SYMBOL(sfn_sl_sfn), FFM_SIM_SYMBOL(sfn_cb_sfn), FFM_SIM_SYMBOL(load_ipc_main),
    FFM_SIM_SYMBOL(go_sfn),     FFM_SIM_SYMBOL(panic_main), FFM_SIM_SYMBOL(ns_load),
    FFM_SIM_SYMBOL(ns_panic),
};

static int run(struct ffm_manifest_set *set, const char *ns_entry,
               enum ffm_sim_panic_policy policy, char *err, size_t size)
{
    memset(&rec, 0, sizeof rec);
    struct ffm_sim_config cfg = ffm_sim_config_default();
    cfg.desc = ffm_manifest_desc(set);
    cfg.symbols = symbols;
    cfg.n_symbols = sizeof symbols / sizeof symbols[0];
    cfg.ns_entry = ns_entry;
    cfg.panic = policy;
    cfg.max_resets = 2;
    cfg.log_level = -1; /* the callbacks see everything */
    cfg.on_event = on_event;
    cfg.on_trap = on_trap;
    cfg.cb_arg = &rec;
    stress_bind(cfg.desc);
    err[0] = '\0';
    return ffm_sim_run(&cfg, err, size);
}

static int setup(void **state)
{
    (void)state;
    load_set = stress_load("tests/stress/load_list.yaml");
    panic_set = stress_load("tests/stress/panic_list.yaml");
    if (load_set == NULL || panic_set == NULL) {
        return -1;
    }
    const struct ffm_system_desc *ld = ffm_manifest_desc(load_set);
    h_sfn_sl = stress_service(ld, "SFN_SL")->stateless_handle;
    h_ipc_sl = stress_service(ld, "IPC_SL")->stateless_handle;
    sid_sfn_cb = stress_service(ld, "SFN_CB")->sid;
    sid_ipc_cb = stress_service(ld, "IPC_CB")->sid;
    const struct ffm_system_desc *pd = ffm_manifest_desc(panic_set);
    h_go = stress_service(pd, "GO")->stateless_handle;
    h_pq = stress_service(pd, "PQ")->stateless_handle;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ffm_manifest_free(load_set);
    ffm_manifest_free(panic_set);
    return 0;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* ---------------------------------------------------------------- tests */

static void stress_mixed_load(void **state)
{
    (void)state;
    const char *big = getenv("STRESS");
    unsigned calls = big != NULL && strcmp(big, "1") == 0 ? CALLS_STRESS : CALLS_DEFAULT;
    for (uint32_t i = 0; i < N_WORKERS; i++) {
        workers[i] = (struct worker){ .id = -2 - (int32_t)i, .idx = i, .calls = calls };
    }
    memset(&stress_counts, 0, sizeof stress_counts);
    char err[256];
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(run(load_set, "ns_load", FFM_SIM_PANIC_HALT, err, sizeof err), 0);
    double secs = seconds_since(&t0);
    assert_int_equal(rec.events, 0);
    unsigned done = 0, busy = 0, dual = 0;
    for (int i = 0; i < N_WORKERS; i++) {
        assert_int_equal(workers[i].bad, 0);
        assert_int_equal(workers[i].done, calls);
        done += workers[i].done;
        busy += workers[i].busy;
        dual += workers[i].dual;
    }
    unsigned served = 0;
    for (int t = 1; t < STRESS_N_TAGS; t++) {
        served += stress_counts.requests[t];
        assert_int_equal(stress_counts.connects[t], stress_counts.disconnects[t]);
    }
    assert_int_equal(served, N_WORKERS * calls);   /* none lost, none duplicated */
    assert_true(stress_counts.requests[STRESS_SFN_SL] > 0 &&
                stress_counts.requests[STRESS_IPC_SL] > 0 &&
                stress_counts.requests[STRESS_SFN_CB] > 0 &&
                stress_counts.requests[STRESS_IPC_CB] > 0);
    assert_true(busy > 0); /* the demand exceeded the pool */
    assert_true(dual > 0);
    print_message("stress: %d NS threads x %u calls = %u replies checked, %u CONNECTION_BUSY "
                  "retried, %u sessions with two connections, %u connections, %.2f s\n",
                  N_WORKERS, calls, done, busy, dual,
                  stress_counts.connects[STRESS_SFN_CB] + stress_counts.connects[STRESS_IPC_CB],
                  secs);
}

static void reset_panic_state(void)
{
    memset(pq_status, 0, sizeof pq_status);
    memset(pq_returned, 0, sizeof pq_returned);
    go_returned = false;
    pq_late = 0;
    stress_panic_fetched = 0;
}

/* trap: PANIC_SP alone is unwound and FAULTED; the fetched request and the three queued ones
 * complete with CONNECTION_REFUSED (PANIC-05), so does a later one; GATE_SP and NS go on. */
static void panic_with_clients_queued_trap(void **state)
{
    (void)state;
    char err[256];
    reset_panic_state();
    assert_int_equal(run(panic_set, "ns_panic", FFM_SIM_PANIC_TRAP, err, sizeof err), 0);
    assert_int_equal(stress_panic_fetched, 1);
    assert_int_equal(rec.events, 1);
    assert_string_equal(rec.rule, "PANIC-01");
    assert_true(rec.panics);
    assert_int_equal(rec.traps, 1);
    assert_true(rec.trapped_secure);
    assert_int_equal(rec.trapped_id, stress_panic_pid);
    for (int i = 0; i < N_QUEUED; i++) {
        assert_true(pq_returned[i]);
        assert_int_equal(pq_status[i], PSA_ERROR_CONNECTION_REFUSED);
    }
    assert_true(go_returned);
    assert_int_equal(pq_late, PSA_ERROR_CONNECTION_REFUSED);
}

/* halt and reset: one request was fetched, then the panic (PANIC-01, nothing trapped), and no
 * call of the panicking boot ever returned: not the queued clients', not GO's caller's. */
static void expect_no_client_returned(void)
{
    assert_int_equal(stress_panic_fetched, 1);
    assert_int_equal(rec.events, 1);
    assert_string_equal(rec.rule, "PANIC-01");
    assert_int_equal(rec.traps, 0);
    for (int i = 0; i < N_QUEUED; i++) {
        assert_false(pq_returned[i]);
    }
    assert_false(go_returned);
}

/* halt: the run stops at the panic; no client's call returns, not even GO's caller. */
static void panic_with_clients_queued_halt(void **state)
{
    (void)state;
    char err[256];
    reset_panic_state();
    assert_int_equal(run(panic_set, "ns_panic", FFM_SIM_PANIC_HALT, err, sizeof err),
                     FFM_SIM_HALTED);
    assert_non_null(strstr(err, "PANIC_SP panicked (psa_panic) -> halt"));
    expect_no_client_returned();
}

/* reset: the system boots again; nothing of boot 1 returns (RESET-07), boot 2's NS entry
 * returns 102. */
static void panic_with_clients_queued_reset(void **state)
{
    (void)state;
    char err[256];
    reset_panic_state();
    assert_int_equal(run(panic_set, "ns_panic", FFM_SIM_PANIC_RESET, err, sizeof err), 102);
    expect_no_client_returned();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stress_mixed_load),
        cmocka_unit_test(panic_with_clients_queued_trap),
        cmocka_unit_test(panic_with_clients_queued_halt),
        cmocka_unit_test(panic_with_clients_queued_reset),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
