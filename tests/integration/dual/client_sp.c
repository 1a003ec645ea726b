/* client_sp.c - the same function is the IPC entry point and the SFN entry_init (as in TF-M's
 * secure client service); CLIENT_DUMMY is never called. */
#include <psa/service.h>

#include "psa_manifest/client_sp.h"

#ifdef DUAL_IPC
void client_sp_init(void);

void client_sp_init(void)
{
    for (;;) {
        (void)psa_wait(PSA_WAIT_ANY, PSA_BLOCK);
    }
}
#else
psa_status_t client_sp_init(void)
{
    return PSA_SUCCESS;
}

psa_status_t client_dummy_sfn(const psa_msg_t *msg)
{
    (void)msg;
    return PSA_SUCCESS;
}
#endif
