/* parts.c - BOOM (type 0: psa_panic, type 1: reply 1, type 3: SIGSEGV at address 0x40, type 4:
 * arm the watchdog and spin for ever, type 5: SIGFPE, type 6: spin), PING (reply 1; type 7 rings
 * STALL's doorbell), STALL (fetches the message, then waits for a doorbell: nobody rings it but
 * PING type 7, and then it panics) and BOOTPANIC's entry_init (panics at every boot). One image
 * for all four partitions. */
#include <signal.h>
#include <stddef.h>
#include <stdio.h>

#include <ffmsim/platform.h>
#include <psa/service.h>

#include "psa_manifest/boom_sp.h"
#include "psa_manifest/ok_sp.h"
#include "psa_manifest/pid.h"
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
        return nowhere[16]; /* address 0x40, in the report */
    }
    if (msg->type == 5) {
        raise(SIGFPE);
    }
    if (msg->type == 6) {
        puts("exits: BOOM spins"); /* the SIGINT test waits for this line (unbuffered) */
        for (;;) {
            /* no watchdog: only a signal to ffm-sim ends this run */
        }
    }
    if (msg->type == 4) {
        ffm_platform_wdog_arm(100);
        for (;;) {
            /* only the watchdog gets the system out of here (RESET-09) */
        }
    }
    return 1;
}

static int ping_count; /* .data: fresh at every boot (RESET-01) */

psa_status_t ping_sfn(const psa_msg_t *msg)
{
    if (msg->type == 7) {
        psa_notify(STALL_SP);
    }
    if (msg->type == 8) {
        return ++ping_count;
    }
    return 1;
}

void stall_main(void)
{
    for (;;) {
        psa_msg_t msg;
        if (psa_wait(STALL_SIGNAL, PSA_BLOCK) & STALL_SIGNAL) {
            psa_get(STALL_SIGNAL, &msg);
            psa_wait(PSA_DOORBELL, PSA_BLOCK);
            psa_panic(); /* with one message fetched and maybe more queued */
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
