/* ns.c - four NS threads (clients -2..-5) and the entry thread (-1) call WHO concurrently:
 * every reply names the calling thread's own client ID (GEN-02). */
#include <ffmsim/ns.h>
#include <psa/client.h>
#include <stdio.h>

#include "psa_manifest/sid.h"

#define CALLS 25
int ns_main(void);

static int worker(void *arg)
{
    int32_t id = *(const int32_t *)arg;
    int bad = 0;
    for (int i = 0; i < CALLS; i++) {
        bad += psa_call(WHO_HANDLE, 0, NULL, 0, NULL, 0) != id || ffm_ns_client_id() != id;
        ffm_ns_yield();
    }
    return bad;
}

int ns_main(void)
{
    static int32_t ids[4] = { -2, -3, -4, -5 };
    ffm_ns_thread_t t[4];
    ffm_ns_thread_t refused;
    int bad = 0;
    int created = 0;
    for (int i = 0; i < 4; i++) {
        created += ffm_ns_thread_create(&t[i], ids[i], worker, &ids[i]) == FFM_NS_OK;
    }
    int pos = ffm_ns_thread_create(&refused, 5, worker, &ids[0]);
    bad += worker(&(int32_t){ -1 });
    for (int i = 0; i < 4; i++) {
        int ret = -1;
        bad += ffm_ns_thread_join(t[i], &ret) != FFM_NS_OK || ret != 0;
    }
    int total = psa_call(COUNT_HANDLE, 0, NULL, 0, NULL, 0);
    printf("threads: created %d, positive id -> %d, mismatches %d, served %d\n", created, pos,
           bad, total);
    return created == 4 && pos == FFM_NS_BAD_ID && bad == 0 && total == 5 * CALLS + 1 ? 0 : 1;
}
