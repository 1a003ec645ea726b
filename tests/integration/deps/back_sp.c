/* back_sp.c - BACK (connection-based, secure clients only) replies the sum of its input bytes
 * and counts its connections in the rhandle. */
#include <psa/service.h>

#include "psa_manifest/back_sp.h"

void back_main(void);

static int connections;

static psa_status_t sum_bytes(const psa_msg_t *msg)
{
    unsigned char buf[8];
    size_t n = psa_read(msg->handle, 0, buf, sizeof buf);
    psa_status_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        sum += buf[i];
    }
    return sum;
}

void back_main(void)
{
    for (;;) {
        psa_wait(BACK_SIGNAL, PSA_BLOCK);
        psa_msg_t msg;
        if (psa_get(BACK_SIGNAL, &msg) != PSA_SUCCESS) {
            continue;
        }
        switch (msg.type) {
        case PSA_IPC_CONNECT:
            psa_set_rhandle(msg.handle, &connections);
            connections++;
            psa_reply(msg.handle, PSA_SUCCESS);
            break;
        case PSA_IPC_DISCONNECT:
            psa_reply(msg.handle, PSA_SUCCESS);
            break;
        default:
            psa_reply(msg.handle, msg.rhandle == &connections ? sum_bytes(&msg) : -1);
            break;
        }
    }
}
