/*
 * work_sp.c - WORK_SP: connection-based services that each give the stateless report one kind
 * of evidence. W_CONNECT_WORK feeds the watchdog on CONNECT (a platform call that acts);
 * W_DISC_WORK calls psa_framework_version on DISCONNECT (a PSA call); W_REFUSE refuses every
 * connection; W_QUIET is never called; W_LOGONLY only logs and reads the boot count on
 * CONNECT, which the report does not count as work.
 */
#include <ffmsim/platform.h>
#include <psa/client.h>
#include <psa/service.h>

#include "psa_manifest/work_sp.h"

void work_main(void);

static psa_status_t on_connect(psa_signal_t which)
{
    if (which == W_CONNECT_WORK_SIGNAL) {
        ffm_platform_wdog_feed();
    } else if (which == W_REFUSE_SIGNAL) {
        return PSA_ERROR_CONNECTION_REFUSED;
    } else if (which == W_LOGONLY_SIGNAL) {
        ffm_platform_log(FFM_LOG_INFO, "W_LOGONLY: connect in boot %u",
                         (unsigned)ffm_platform_boot_count());
    }
    return PSA_SUCCESS;
}

static psa_status_t handle(psa_signal_t which, const psa_msg_t *msg)
{
    switch (msg->type) {
    case PSA_IPC_CONNECT:
        return on_connect(which);
    case PSA_IPC_DISCONNECT:
        if (which == W_DISC_WORK_SIGNAL) {
            (void)psa_framework_version();
        }
        return PSA_SUCCESS;
    default:
        return msg->type;
    }
}

void work_main(void)
{
    static const psa_signal_t signals[] = { W_CONNECT_WORK_SIGNAL, W_DISC_WORK_SIGNAL,
                                            W_REFUSE_SIGNAL, W_QUIET_SIGNAL, W_LOGONLY_SIGNAL };
    for (;;) {
        psa_signal_t asserted = psa_wait(PSA_WAIT_ANY, PSA_BLOCK);
        for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) {
            psa_msg_t msg;
            if ((asserted & signals[i]) != 0 && psa_get(signals[i], &msg) == PSA_SUCCESS) {
                psa_reply(msg.handle, handle(signals[i], &msg));
            }
        }
    }
}
