/*
 * test_slobs.c - the stateless-readiness observer and report behind ffm-sim --stateless-report
 * (sim/posix/slobs.c, slreport.c), fed with the core's trace records and API entries by hand:
 * connections and calls per connection across boots (a reset drops open connections), work on
 * CONNECT and DISCONNECT (psa_reply excepted), refusals, rhandle, each verdict with its
 * reason, the grouping advice, the summary, and both files.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <psa/service.h>

#include "slobs.h"
#include "slreport.h"
#include "test_files.h"

enum { SVC_SESSION = 0, SVC_OPEN, SVC_IDLE, SVC_SL, SVC_SL2, SVC_G1, SVC_G2, N_SVCS };

static const struct ffm_partition_desc k_parts[] = {
    { .name = "P_ONE", .pid = 256, .first_service = 0, .n_services = 3 },
    { .name = "P_TWO", .pid = 257, .first_service = 3, .n_services = 2 },
    { .name = "P_THREE", .pid = 258, .first_service = 5, .n_services = 2 },
};

static const struct ffm_service_desc k_svcs[N_SVCS] = {
    { .name = "S_SESSION", .sid = 0x10, .version = 1, .connection_based = true, .partition = 0 },
    { .name = "S_OPEN", .sid = 0x11, .version = 1, .connection_based = true, .partition = 0 },
    { .name = "S_IDLE", .sid = 0x12, .version = 1, .connection_based = true, .partition = 0 },
    { .name = "S_SL", .sid = 0x20, .version = 1, .non_secure_clients = true, .partition = 1 },
    { .name = "S_SL2", .sid = 0x21, .version = 1, .partition = 1 },
    { .name = "S_G1", .sid = 0x30, .version = 2, .partition = 2 },
    { .name = "S_G2", .sid = 0x31, .version = 2, .connection_based = true, .partition = 2 },
};

static const struct ffm_system_desc k_desc = {
    .partitions = k_parts, .n_partitions = 3, .services = k_svcs, .n_services = N_SVCS,
};

static struct ffm_slobs g_o;
static uint32_t g_boot = 1;
static uint32_t g_msg = 0x100;

static void rec(enum ffm_trace_kind kind, uint16_t svc, int32_t type, uint32_t conn,
                const void *rhandle, int32_t status)
{
    struct ffm_trace_rec r = { .kind = kind, .partition = k_svcs[svc].partition,
                               .service = svc, .client_id = -1, .handle = (psa_handle_t)g_msg,
                               .connection = (psa_handle_t)conn, .rhandle = rhandle,
                               .type = type, .status = status };
    ffm_slobs_record(&g_o, g_boot, &r);
}

/* One message from queueing to reply; `during` API calls are made by its partition while it
 * is being handled. */
static void message(uint16_t svc, int32_t type, uint32_t conn, const void *rhandle,
                    int32_t status, const char *const *during, size_t n_during)
{
    g_msg++;
    rec(FFM_TRACE_MSG_QUEUED, svc, type, conn, rhandle, 0);
    ffm_slobs_api(&g_o, g_boot, k_svcs[svc].partition, "psa_get");
    rec(FFM_TRACE_MSG_FETCHED, svc, type, conn, rhandle, 0);
    for (size_t i = 0; i < n_during; i++) {
        ffm_slobs_api(&g_o, g_boot, k_svcs[svc].partition, during[i]);
    }
    ffm_slobs_api(&g_o, g_boot, k_svcs[svc].partition, "psa_reply");
    rec(FFM_TRACE_MSG_REPLIED, svc, type, conn, rhandle, status);
}

static void connect(uint16_t svc, uint32_t conn, const char *const *during, size_t n)
{
    message(svc, PSA_IPC_CONNECT, conn, NULL, PSA_SUCCESS, during, n);
    rec(FFM_TRACE_CONN_OPENED, svc, PSA_IPC_CONNECT, conn, NULL, 0);
}

static void disconnect(uint16_t svc, uint32_t conn, const void *rhandle)
{
    message(svc, PSA_IPC_DISCONNECT, conn, rhandle, PSA_SUCCESS, NULL, 0);
    rec(FFM_TRACE_CONN_CLOSED, svc, PSA_IPC_DISCONNECT, conn, rhandle, 0);
}

static int setup(void **state)
{
    (void)state;
    ffm_slobs_init(&g_o, N_SVCS);
    g_boot = 1;
    return 0;
}

/* A run: S_SESSION keeps state in rhandle; S_OPEN is one-shot, over two boots; S_IDLE is
 * never connected; S_SL and S_SL2 are stateless. */
static void run_system(void)
{
    static int ctx;
    const char *set_rh[] = { "psa_set_rhandle" };
    connect(SVC_SESSION, 0x3c000001, set_rh, 1);
    message(SVC_SESSION, 1, 0x3c000001, &ctx, PSA_SUCCESS, NULL, 0);
    message(SVC_SESSION, 2, 0x3c000001, &ctx, PSA_SUCCESS, NULL, 0);
    message(SVC_SESSION, PSA_IPC_CONNECT, 0x3c000002, NULL, PSA_ERROR_CONNECTION_BUSY, NULL, 0);
    disconnect(SVC_SESSION, 0x3c000001, &ctx);

    connect(SVC_OPEN, 0x3c000003, NULL, 0);
    message(SVC_OPEN, 1, 0x3c000003, NULL, PSA_SUCCESS, NULL, 0);
    message(SVC_OPEN, 5, 0x3c000003, NULL, PSA_SUCCESS, NULL, 0);
    connect(SVC_OPEN, 0x3c000004, NULL, 0); /* still open when the boot ends */
    message(SVC_OPEN, 1, 0x3c000004, NULL, PSA_SUCCESS, NULL, 0);
    message(SVC_SL, 3, 0, NULL, PSA_SUCCESS, NULL, 0);

    g_boot = 2; /* reset: the open connection died; the same handle comes back */
    connect(SVC_OPEN, 0x3c000004, NULL, 0);
    message(SVC_OPEN, 1, 0x3c000004, NULL, PSA_SUCCESS, NULL, 0);
    message(SVC_OPEN, 1, 0x3c000004, NULL, PSA_SUCCESS, NULL, 0);
    message(SVC_OPEN, 1, 0x3c000004, NULL, PSA_SUCCESS, NULL, 0);
    disconnect(SVC_OPEN, 0x3c000004, NULL);

    message(SVC_G1, 1, 0, NULL, PSA_SUCCESS, NULL, 0); /* P_THREE could be one SID */
    message(SVC_G1, 2, 0, NULL, PSA_SUCCESS, NULL, 0);
    connect(SVC_G2, 0x3c000005, NULL, 0);
    message(SVC_G2, 1, 0x3c000005, NULL, PSA_SUCCESS, NULL, 0);
    disconnect(SVC_G2, 0x3c000005, NULL);
}

static void test_counts(void **state)
{
    (void)state;
    run_system();
    uint32_t list[8];
    assert_int_equal(g_o.boots, 2);
    assert_int_equal(g_o.service[SVC_OPEN].connections, 3);
    assert_int_equal(g_o.service[SVC_OPEN].calls, 6);
    assert_int_equal(ffm_slobs_calls_per_conn(&g_o, SVC_OPEN, list, 8), 3);
    assert_int_equal(list[0], 2);
    assert_int_equal(list[1], 1);
    assert_int_equal(list[2], 3);
    assert_int_equal(g_o.service[SVC_OPEN].types_seen, (1u << 1) | (1u << 5));
    assert_int_equal(g_o.service[SVC_OPEN].connect_work, 0);

    const struct ffm_slobs_service *s = &g_o.service[SVC_SESSION];
    assert_int_equal(s->connections, 1);
    assert_int_equal(s->refused, 1);
    assert_int_equal(s->first_refusal, PSA_ERROR_CONNECTION_BUSY);
    assert_int_equal(s->set_rhandle, 1);
    assert_int_equal(s->rhandle_msgs, 3); /* two calls and the DISCONNECT */
    assert_int_equal(s->rhandle_calls, 2);
    assert_int_equal(s->connect_work, 1); /* psa_set_rhandle; psa_get and psa_reply are not */
    assert_string_equal(s->connect_work_api, "psa_set_rhandle");
    assert_int_equal(g_o.service[SVC_SL].stateless_calls, 1);
    assert_int_equal(g_o.service[SVC_IDLE].connections, 0);
}

static enum ffm_sl_verdict verdict(uint16_t svc, char *reason, const char **ev)
{
    return ffm_sl_verdict_of(&k_desc, &g_o, svc, reason, 256, ev);
}

static void test_verdicts(void **state)
{
    (void)state;
    char reason[256];
    const char *ev;
    run_system();
    assert_int_equal(verdict(SVC_SESSION, reason, &ev), FFM_SL_CANNOT);
    assert_string_equal(ev, "rhandle");
    assert_string_equal(reason, "uses rhandle to keep per-connection state between messages "
                                "(psa_set_rhandle 1 times; 2 of 2 calls were delivered with it)");
    assert_int_equal(verdict(SVC_OPEN, reason, &ev), FFM_SL_CAN);
    assert_string_equal(ev, "");
    assert_non_null(strstr(reason, "no evidence against it in this run"));
    assert_int_equal(verdict(SVC_IDLE, reason, &ev), FFM_SL_NOT_EXERCISED);
    assert_string_equal(reason, "no connection seen in this run");
}

static void test_work_and_refusal_verdicts(void **state)
{
    (void)state;
    char reason[256];
    const char *ev;
    const char *calls[] = { "psa_call", "psa_read" };
    connect(SVC_OPEN, 0x3c000010, NULL, 0);
    message(SVC_OPEN, PSA_IPC_DISCONNECT, 0x3c000010, NULL, PSA_SUCCESS, calls, 2);
    assert_int_equal(verdict(SVC_OPEN, reason, &ev), FFM_SL_CANNOT);
    assert_string_equal(ev, "work on DISCONNECT");
    assert_string_equal(reason, "does work on DISCONNECT (2 API calls, first psa_call)");
    message(SVC_IDLE, PSA_IPC_CONNECT, 0x3c000011, NULL, PSA_ERROR_CONNECTION_REFUSED, NULL, 0);
    assert_int_equal(verdict(SVC_IDLE, reason, &ev), FFM_SL_CANNOT);
    assert_string_equal(ev, "refused connections");
    assert_string_equal(reason, "refused 1 connections (first with status -130): a stateless "
                                "service cannot refuse at connect time");
}

static char *slurp(const char *path)
{
    char *text = test_read_file(path);
    assert_non_null(text);
    return text;
}

static void test_report_files(void **state)
{
    (void)state;
    char md[64], json[80], err[256];
    run_system();
    snprintf(md, sizeof md, "/tmp/ffm-slobs-%ld.md", (long)getpid());
    ffm_sl_json_path(md, json, sizeof json);
    assert_int_equal(ffm_sl_report_write(&k_desc, &g_o, md, err, sizeof err), 0);
    char *m = slurp(md), *j = slurp(json);
    assert_non_null(strstr(m, "Written by `ffm-sim --stateless-report` from 2 boots of the run."));
    assert_non_null(strstr(m, "**Limit of the verdict:** \"can be stateless\" means \"no evidence "
                              "against it in this run\""));
    assert_non_null(strstr(m, "| S_OPEN | 0x00000011 | P_ONE | 3 | 0 | 6 | 1 / 2 / 3 | 1,5 | 0 "
                              "| 0 | 0 / 0 | can | "));
    assert_non_null(strstr(m, "| S_SESSION | 0x00000010 | P_ONE | 1 | 1 | 2 | 2 / 2 / 2 | 1-2 "
                              "| 1 | 2 | 1 / 0 | cannot (rhandle) | "));
    assert_non_null(strstr(m, "| S_IDLE | 0x00000012 | P_ONE | 0 | 0 | 0 | - | none | 0 | 0 | "
                              "0 / 0 | not exercised | "));
    assert_non_null(strstr(m, "| P_ONE | 3 | 0 | 1 | 1 | nothing to group |\n"));
    assert_non_null(strstr(m, "| P_TWO | 2 | 2 | 0 | 2 | no: their non_secure_clients differ "
                              "|\n"));
    assert_non_null(strstr(m, "| P_THREE | 2 | 1 | 1 | 2 | yes: 2 services, 1 SID, consecutive "
                              "type ranges (types seen: S_G1 1-2; S_G2 1) |\n"));
    assert_non_null(strstr(m, "- Stateless slots in use: 3 of 32.\n- Services that could move: "
                              "2 (`S_OPEN`, `S_G2`); moving them uses 5 of 32 slots, or 4 with "
                              "one SID per groupable partition.\n"));
    assert_non_null(strstr(j, "{\"name\":\"S_OPEN\",\"sid\":\"0x00000011\",\"partition\":"
                              "\"P_ONE\",\"connections\":3,\"connections_not_kept\":0,"
                              "\"refused\":0,\"calls\":6,\"calls_per_connection\":{\"min\":1,"
                              "\"median\":2,\"max\":3,\"list\":[2,1,3]}"));
    assert_non_null(strstr(j, "\"verdict\":\"cannot\",\"evidence\":\"rhandle\""));
    assert_non_null(strstr(j, "\"summary\":{\"stateless_slots_in_use\":3,\"stateless_slots\":32,"
                              "\"could_move\":2,\"slots_if_moved\":5,\"slots_if_grouped\":4}}"));
    free(m);
    free(j);
    unlink(md);
    unlink(json);
    assert_int_equal(ffm_sl_report_write(&k_desc, &g_o, "/nonexistent-dir/r.md", err, sizeof err),
                     -1);
    assert_string_equal(err, "stateless report /nonexistent-dir/r.md.tmp: No such file or "
                             "directory");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_counts, setup),
        cmocka_unit_test_setup(test_verdicts, setup),
        cmocka_unit_test_setup(test_work_and_refusal_verdicts, setup),
        cmocka_unit_test_setup(test_report_files, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
