/* parts.c - BOOM (type 0: psa_panic, type 1: reply 1, type 3: SIGSEGV, type 4: arm the
 * watchdog and spin for ever), PING (reply 1),
 * STALL (fetches the message, then waits for a doorbell nobody rings) and BOOTPANIC's
 * entry_init (panics at every boot). One image for all four partitions. */
#include <stddef.h>

#include <ffmsim/platform.h>
#include <psa/service.h>

#include "psa_manifest/boom_sp.h"
#include "psa_manifest/ok_sp.h"
#include "psa_manifest/stall_sp.h"

void stall_main(void);
psa_status_t bootpanic_init(void);
psa_status_t never_sfn(const psa_msg_t *msg);

static volatile int *volatile nowhere;

psa_status_t boom_sfn(const psa_msg_t *msg)
{
    if (msg->type == 0) {
        psa_panic();
    }
    if (msg->type == 3) {
        return *nowhere;
    }
    if (msg->type == 4) {
        ffm_platform_wdog_arm(100);
        for (;;) {
            /* only the watchdog gets the system out of here (RESET-09) */
        }
    }
    return 1;
}

psa_status_t ping_sfn(const psa_msg_t *msg)
{
    (void)msg;
    return 1;
}

void stall_main(void)
{
    for (;;) {
        psa_msg_t msg;
        if (psa_wait(STALL_SIGNAL, PSA_BLOCK) & STALL_SIGNAL) {
            psa_get(STALL_SIGNAL, &msg);
            psa_wait(PSA_DOORBELL, PSA_BLOCK);
        }
    }
}

psa_status_t bootpanic_init(void)
{
    psa_panic();
}

psa_status_t never_sfn(const psa_msg_t *msg)
{
    (void)msg;
    return 0;
}
