/* cov_sp.c - COV: on boot 1 it panics (a reset under the default policy); on later boots it
 * answers 7. Built with --coverage by the case. */
#include <ffmsim/platform.h>
#include <psa/service.h>

#include "psa_manifest/cov_sp.h"

psa_status_t cov_sfn(const psa_msg_t *msg)
{
    (void)msg;
    if (ffm_platform_boot_count() == 1) {
        psa_panic(); /* BEFORE RESET */
    }
    return 7; /* AFTER RESET */
}
