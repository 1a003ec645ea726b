/* front_sp.c - FRONT forwards its input to BACK over a connection and adds 1000 to the sum. */
#include <psa/service.h>

#include "psa_manifest/front_sp.h"
#include "psa_manifest/sid.h"

void front_main(void);

static psa_status_t forward(const psa_msg_t *msg)
{
    unsigned char buf[8] = { 0 };
    size_t n = psa_read(msg->handle, 0, buf, sizeof buf);
    psa_handle_t h = psa_connect(BACK_SID, BACK_VERSION);
    if (h <= 0) {
        return h;
    }
    psa_invec in = { buf, n };
    psa_status_t sum = psa_call(h, PSA_IPC_CALL, &in, 1, NULL, 0);
    psa_close(h);
    return 1000 + sum;
}

void front_main(void)
{
    for (;;) {
        psa_signal_t signals = psa_wait(FRONT_SIGNAL, PSA_BLOCK);
        psa_msg_t msg;
        if ((signals & FRONT_SIGNAL) != 0 && psa_get(FRONT_SIGNAL, &msg) == PSA_SUCCESS) {
            psa_reply(msg.handle, forward(&msg));
        }
    }
}
