/* dual_sp.c - one source for both backends, as TF-M's dual test services are written: the
 * IPC build serves DUAL_MODEL from its entry point's loop, the SFN build from dual_model_sfn.
 * DUAL_MODEL answers 1 under IPC and 2 under SFN, so the NS side sees which model ran. */
#include <psa/service.h>

#include "psa_manifest/dual_sp.h"

#ifdef DUAL_IPC
void dual_sp_main(void);

void dual_sp_main(void)
{
    for (;;) {
        psa_signal_t signals = psa_wait(PSA_WAIT_ANY, PSA_BLOCK);
        psa_msg_t msg;
        if ((signals & DUAL_MODEL_SIGNAL) != 0 && psa_get(DUAL_MODEL_SIGNAL, &msg) == PSA_SUCCESS) {
            psa_reply(msg.handle, msg.type == PSA_IPC_CALL ? 1 : PSA_SUCCESS);
        }
    }
}
#else
psa_status_t dual_model_sfn(const psa_msg_t *msg)
{
    (void)msg;
    return 2;
}
#endif
