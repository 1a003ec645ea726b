/* ns.c - raise TEST_IRQ twice and TIMER0_IRQ once, then read the partition's counters. */
#include <ffmsim/platform.h>
#include <psa/client.h>
#include <stdio.h>

#include "psa_manifest/sid.h"

int ns_main(void);

int ns_main(void)
{
    int counts[3] = { 0, 0, 0 };
    psa_outvec out = { counts, sizeof counts };
    int r1 = ffm_platform_irq_raise("TEST_IRQ");
    int r2 = ffm_platform_irq_raise("TEST_IRQ");
    int r3 = ffm_platform_irq_raise("TIMER0_IRQ");
    ffm_platform_irq_lower("TIMER0_IRQ");
    int unknown = ffm_platform_irq_raise("NO_SUCH_IRQ");
    psa_status_t st = psa_call(IRQ_STATUS_HANDLE, 0, NULL, 0, &out, 1);
    printf("irq: raise %d %d %d unknown %d, status %d, slih %d flih %d flih-signal %d\n", r1, r2,
           r3, unknown, (int)st, counts[0], counts[1], counts[2]);
    /* Disabled, a raised line asserts nothing; enabled again, the pending line does. */
    int dis[3] = { -1, -1, -1 };
    int poll[3] = { -1, -1, -1 };
    psa_outvec dis_out = { dis, sizeof dis };
    psa_outvec poll_out = { poll, sizeof poll };
    psa_status_t st1 = psa_call(IRQ_STATUS_HANDLE, 1, NULL, 0, &dis_out, 1);
    int r4 = ffm_platform_irq_raise("TEST_IRQ");
    psa_status_t st2 = psa_call(IRQ_STATUS_HANDLE, 2, NULL, 0, &poll_out, 1);
    int after[3] = { 0, 0, 0 };
    psa_outvec after_out = { after, sizeof after };
    psa_status_t st3 = psa_call(IRQ_STATUS_HANDLE, 0, NULL, 0, &after_out, 1);
    printf("irq: disable %d then %d, raise %d, poll disabled %d enabled %d, slih %d\n", dis[0],
           dis[1], r4, poll[0], poll[1], after[0]);
    return st == 0 && counts[0] == 2 && counts[1] == 1 && counts[2] == 1 && st1 == 0 &&
                   st2 == 0 && st3 == 0 && dis[0] == 1 && dis[1] == 0 && poll[0] == 0 &&
                   poll[1] == 1 && after[0] == 3
               ? 0
               : 1;
}

#ifdef FLIH_PE
/* Built against list_flih_pe.yaml's headers. BAD_IRQ's FLIH breaks GEN-01: under trap
 * BADFLIH_SP is FAULTED (its service refuses, -130) and the interrupted NS code goes on;
 * IRQ_SP keeps serving. */
int ns_flih_pe(void);

int ns_flih_pe(void)
{
    int counts[3] = { 0, 0, 0 };
    psa_outvec out = { counts, sizeof counts };
    psa_status_t before = psa_call(BADFLIH_PING_HANDLE, 0, NULL, 0, NULL, 0);
    int raised = ffm_platform_irq_raise("BAD_IRQ");
    psa_status_t after = psa_call(BADFLIH_PING_HANDLE, 0, NULL, 0, NULL, 0);
    psa_status_t other = psa_call(IRQ_STATUS_HANDLE, 0, NULL, 0, &out, 1);
    printf("irq: flih pe: ping before %d, raise %d, ping after %d, irq status %d\n",
           (int)before, raised, (int)after, (int)other);
    return before == 1 && raised == 0 && after == PSA_ERROR_CONNECTION_REFUSED && other == 0
               ? 0
               : 1;
}
#endif
