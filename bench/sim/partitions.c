/* partitions.c - the two echo services of the ffm-sim round-trip benchmark: each copies
 * in_vec[0] to out_vec[0] and replies the byte count. */
#include <psa/service.h>

#include "psa_manifest/ipc_echo.h"
#include "psa_manifest/sfn_echo.h"

void bench_ipc_main(void);

static psa_status_t echo(psa_handle_t msg)
{
    char buf[64];
    size_t n = psa_read(msg, 0, buf, sizeof buf);
    psa_write(msg, 0, buf, n);
    return (psa_status_t)n;
}

psa_status_t bench_sfn_sfn(const psa_msg_t *msg)
{
    return echo(msg->handle);
}

void bench_ipc_main(void)
{
    psa_msg_t msg;
    for (;;) {
        psa_signal_t asserted = psa_wait(BENCH_IPC_SIGNAL, PSA_BLOCK);
        if ((asserted & BENCH_IPC_SIGNAL) != 0u && psa_get(BENCH_IPC_SIGNAL, &msg) == PSA_SUCCESS) {
            psa_reply(msg.handle, echo(msg.handle));
        }
    }
}
