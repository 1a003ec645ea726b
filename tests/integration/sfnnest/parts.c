/* parts.c - OUTER type 0 asks INNER and IPCQ who called them and writes both client IDs to
 * out_vec[0]; OUTER type 1 asks INNER to fault and replies 1 when that call was refused with
 * -130 (INNER trapped, PANIC-05). INNER type 0 and IPCQ reply their caller's client ID. */
#include <stdint.h>

#include <psa/client.h>
#include <psa/service.h>

#include "psa_manifest/inner_sp.h"
#include "psa_manifest/ipcq_sp.h"
#include "psa_manifest/outer_sp.h"
#include "psa_manifest/sid.h"

void ipcq_main(void);

psa_status_t outer_sfn(const psa_msg_t *msg)
{
    if (msg->type == 1) {
        return psa_call(INNER_HANDLE, 1, NULL, 0, NULL, 0) == PSA_ERROR_CONNECTION_REFUSED;
    }
    int32_t saw[2] = { psa_call(INNER_HANDLE, 0, NULL, 0, NULL, 0),
                       psa_call(IPCQ_HANDLE, 0, NULL, 0, NULL, 0) };
    psa_write(msg->handle, 0, saw, sizeof saw);
    return 0;
}

psa_status_t inner_sfn(const psa_msg_t *msg)
{
    if (msg->type == 1) {
        *(volatile int *)(uintptr_t)0x40 = 1; /* a fault, the partition's (RESET-10) */
    }
    return msg->client_id;
}

void ipcq_main(void)
{
    psa_msg_t msg;
    for (;;) {
        if ((psa_wait(IPCQ_SIGNAL, PSA_BLOCK) & IPCQ_SIGNAL) != 0u &&
            psa_get(IPCQ_SIGNAL, &msg) == PSA_SUCCESS) {
            psa_reply(msg.handle, msg.client_id);
        }
    }
}
