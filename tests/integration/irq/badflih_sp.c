/* badflih_sp.c - a FLIH that calls psa_clear() in handler mode: GEN-01, its partition panics;
 * BADFLIH_PING replies 1 while the partition is alive. */
#include <psa/service.h>

#include "psa_manifest/badflih_sp.h"

void badflih_main(void);

psa_flih_result_t bad_line_flih(void)
{
    psa_clear();
    return PSA_FLIH_NO_SIGNAL;
}

void badflih_main(void)
{
    psa_irq_enable(BAD_LINE_SIGNAL);
    for (;;) {
        psa_msg_t msg;
        if ((psa_wait(BADFLIH_PING_SIGNAL, PSA_BLOCK) & BADFLIH_PING_SIGNAL) &&
            psa_get(BADFLIH_PING_SIGNAL, &msg) == PSA_SUCCESS) {
            psa_reply(msg.handle, 1);
        }
    }
}
