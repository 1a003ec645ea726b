/* partitions.c - the partitions of the ffm-sim benchmark.
 *
 * Echo services (SFN and IPC) copy in_vec[0] to out_vec[0] and reply the byte count; a call
 * with no vectors is answered 0 without touching any. BENCH_SFN_CONN accepts every connection.
 *
 * BENCH_PARK_SP holds the NS worker threads between measurements, so that the NS application
 * creates them once: a worker's BENCH_PARK call stays unanswered until the NS main thread
 * releases it through BENCH_CTRL (type RELEASE, in_vec[0] = how many, in_vec[1] = the status
 * the workers get), and BENCH_CTRL type WAIT answers once that many workers are parked again.
 */
#include <psa/service.h>
#include <stdint.h>
#include <string.h>

#include "psa_manifest/ipc_echo.h"
#include "psa_manifest/ipc_echo2.h"
#include "psa_manifest/ipc_echo3.h"
#include "psa_manifest/ipc_echo4.h"
#include "psa_manifest/park.h"
#include "psa_manifest/sfn_echo.h"

void bench_ipc_main(void);
void bench_ipc2_main(void);
void bench_ipc3_main(void);
void bench_ipc4_main(void);
void bench_park_main(void);

#define CTRL_RELEASE 1
#define CTRL_WAIT 2
#define PARK_MAX 16

static psa_status_t echo(const psa_msg_t *msg)
{
    if (msg->in_size[0] == 0 || msg->out_size[0] == 0) {
        return 0;
    }
    char buf[64];
    size_t n = psa_read(msg->handle, 0, buf, sizeof buf);
    psa_write(msg->handle, 0, buf, n);
    return (psa_status_t)n;
}

psa_status_t bench_sfn_sfn(const psa_msg_t *msg)
{
    return echo(msg);
}

psa_status_t bench_sfn_conn_sfn(const psa_msg_t *msg)
{
    if (msg->type == PSA_IPC_CONNECT || msg->type == PSA_IPC_DISCONNECT) {
        return PSA_SUCCESS;
    }
    return echo(msg);
}

static void serve(psa_signal_t signal)
{
    psa_msg_t msg;
    for (;;) {
        psa_signal_t asserted = psa_wait(signal, PSA_BLOCK);
        if ((asserted & signal) != 0u && psa_get(signal, &msg) == PSA_SUCCESS) {
            psa_reply(msg.handle, echo(&msg));
        }
    }
}

void bench_ipc_main(void)
{
    serve(BENCH_IPC_SIGNAL);
}

void bench_ipc2_main(void)
{
    serve(BENCH_IPC2_SIGNAL);
}

void bench_ipc3_main(void)
{
    serve(BENCH_IPC3_SIGNAL);
}

void bench_ipc4_main(void)
{
    serve(BENCH_IPC4_SIGNAL);
}

/* ---------------------------------------------------------------- parking */

struct park {
    psa_handle_t parked[PARK_MAX];
    uint32_t n_parked;
    psa_handle_t waiter;   /* a BENCH_CTRL WAIT message not answered yet (0: none) */
    uint32_t wait_for;
};

static uint32_t in_word(const psa_msg_t *msg, uint32_t idx)
{
    uint32_t v = 0;
    if (msg->in_size[idx] >= sizeof v) {
        psa_read(msg->handle, idx, &v, sizeof v);
    }
    return v;
}

static void answer_waiter(struct park *pk)
{
    if (pk->waiter != 0 && pk->n_parked >= pk->wait_for) {
        psa_reply(pk->waiter, PSA_SUCCESS);
        pk->waiter = 0;
    }
}

static void control(struct park *pk, const psa_msg_t *msg)
{
    if (msg->type == CTRL_RELEASE) {
        uint32_t n = in_word(msg, 0);
        psa_status_t status = (psa_status_t)in_word(msg, 1);
        while (n-- > 0 && pk->n_parked > 0) {
            psa_reply(pk->parked[--pk->n_parked], status);
        }
        psa_reply(msg->handle, PSA_SUCCESS);
    } else if (msg->type == CTRL_WAIT && pk->waiter == 0) {
        pk->waiter = msg->handle;
        pk->wait_for = in_word(msg, 0);
        answer_waiter(pk);
    } else {
        psa_reply(msg->handle, PSA_ERROR_NOT_SUPPORTED);
    }
}

void bench_park_main(void)
{
    struct park pk;
    memset(&pk, 0, sizeof pk);
    psa_msg_t msg;
    for (;;) {
        psa_signal_t asserted = psa_wait(BENCH_PARK_SIGNAL | BENCH_CTRL_SIGNAL, PSA_BLOCK);
        if ((asserted & BENCH_PARK_SIGNAL) != 0u &&
            psa_get(BENCH_PARK_SIGNAL, &msg) == PSA_SUCCESS) {
            if (pk.n_parked < PARK_MAX) {
                pk.parked[pk.n_parked++] = msg.handle;
                answer_waiter(&pk);
            } else {
                psa_reply(msg.handle, PSA_ERROR_INSUFFICIENT_MEMORY);
            }
        }
        if ((asserted & BENCH_CTRL_SIGNAL) != 0u &&
            psa_get(BENCH_CTRL_SIGNAL, &msg) == PSA_SUCCESS) {
            control(&pk, &msg);
        }
    }
}
