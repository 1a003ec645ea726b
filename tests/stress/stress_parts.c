/*
 * stress_parts.c - the partitions of the stress systems, linked statically into the stress
 * suites (the embedding API, include/ffmsim/sim.h).
 *
 * Load system: every service echoes a request's probe back with the client ID the SPM reports
 * (msg->client_id) and replies stress_status(seq), so the caller can check that the reply is
 * the one to its own call; connection-based services count CONNECT and DISCONNECT.
 *
 * Panic system: PANIC_SP waits for its doorbell only (GATE_SP's GO rings it), so requests to PQ
 * queue up; then it fetches one and calls psa_panic with the others still queued.
 */
#include "stress.h"

#include "psa/client.h"

struct stress_counts stress_counts;
psa_signal_t stress_sig_ipc_sl, stress_sig_ipc_cb, stress_sig_pq;
int32_t stress_panic_pid;
unsigned stress_panic_fetched;

static psa_status_t serve(const psa_msg_t *msg, uint32_t tag)
{
    if (msg->type == PSA_IPC_CONNECT) {
        stress_counts.connects[tag]++;
        return PSA_SUCCESS;
    }
    if (msg->type == PSA_IPC_DISCONNECT) {
        stress_counts.disconnects[tag]++;
        return PSA_SUCCESS;
    }
    struct stress_probe in = { 0 };
    if (msg->in_size[0] != sizeof in || psa_read(msg->handle, 0, &in, sizeof in) != sizeof in) {
        return 0; /* no caller expects 0 */
    }
    stress_counts.requests[tag]++;
    struct stress_probe out = { .client = msg->client_id, .seq = in.seq, .tag = tag };
    psa_write(msg->handle, 0, &out, sizeof out);
    return stress_status(in.seq);
}

psa_status_t sfn_sl_sfn(const psa_msg_t *msg)
{
    return serve(msg, STRESS_SFN_SL);
}

psa_status_t sfn_cb_sfn(const psa_msg_t *msg)
{
    return serve(msg, STRESS_SFN_CB);
}

static void serve_ipc(psa_signal_t signal, uint32_t tag)
{
    psa_msg_t msg;
    if (psa_get(signal, &msg) == PSA_SUCCESS) {
        psa_reply(msg.handle, serve(&msg, tag));
    }
}

void load_ipc_main(void)
{
    for (;;) {
        psa_signal_t sig = psa_wait(stress_sig_ipc_sl | stress_sig_ipc_cb, PSA_BLOCK);
        if (sig & stress_sig_ipc_sl) {
            serve_ipc(stress_sig_ipc_sl, STRESS_IPC_SL);
        }
        if (sig & stress_sig_ipc_cb) {
            serve_ipc(stress_sig_ipc_cb, STRESS_IPC_CB);
        }
    }
}

psa_status_t go_sfn(const psa_msg_t *msg)
{
    (void)msg;
    psa_notify(stress_panic_pid);
    return PSA_SUCCESS;
}

void panic_main(void)
{
    psa_wait(PSA_DOORBELL, PSA_BLOCK);
    psa_clear();
    psa_wait(stress_sig_pq, PSA_BLOCK);
    psa_msg_t msg;
    if (psa_get(stress_sig_pq, &msg) == PSA_SUCCESS) {
        stress_panic_fetched++;
    }
    psa_panic(); /* with the other clients' requests still queued */
}
