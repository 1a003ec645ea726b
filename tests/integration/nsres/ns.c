/* ns.c - NS entries of the nsres case, chosen with --ns-entry:
 *   ns_reuse  far more NS threads than FFM_NS_MAX_THREADS one after another, then exactly that
 *             many at once; one more is refused; a joined thread's handle is stale
 *   ns_leak   an NS thread opens connections until the pool is full and ends without closing
 *             them: the service sees their DISCONNECTs and the slots are free again (CLOSE-10)
 *   ns_hold   keeps the run (and its --nvmem file) until the file $NSRES_MARKER exists
 *   ns_main   returns 0 at once */
#define _POSIX_C_SOURCE 200809L
#include <ffmsim/ns.h>
#include <psa/client.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "psa_manifest/sid.h"

#define SEQUENTIAL 1000
#define MAX_OPEN 64

int ns_reuse(void);
int ns_leak(void);
int ns_hold(void);
int ns_main(void);

/* Returns 0 when WHO names the thread's own client ID. */
static int who_am_i(void *arg)
{
    int32_t id = *(const int32_t *)arg;
    return psa_call(WHO_HANDLE, 0, NULL, 0, NULL, 0) == id ? 0 : 1;
}

static int run_one(int32_t *id)
{
    ffm_ns_thread_t t;
    int ret = -1;
    if (ffm_ns_thread_create(&t, *id, who_am_i, id) != FFM_NS_OK ||
        ffm_ns_thread_join(t, &ret) != FFM_NS_OK) {
        return 0;
    }
    return ret == 0;
}

int ns_reuse(void)
{
    static int32_t ids[FFM_NS_MAX_THREADS + 1];
    int sequential = 0;
    for (int i = 0; i < SEQUENTIAL; i++) {
        ids[0] = -2 - i % 7;
        sequential += run_one(&ids[0]);
    }
    ffm_ns_thread_t t[FFM_NS_MAX_THREADS + 1];
    int concurrent = 0;
    for (int i = 0; i < FFM_NS_MAX_THREADS; i++) {
        ids[i] = -2 - i;
        concurrent += ffm_ns_thread_create(&t[i], ids[i], who_am_i, &ids[i]) == FFM_NS_OK;
    }
    ids[FFM_NS_MAX_THREADS] = -100;
    int one_more = ffm_ns_thread_create(&t[FFM_NS_MAX_THREADS], ids[FFM_NS_MAX_THREADS],
                                        who_am_i, &ids[FFM_NS_MAX_THREADS]);
    int joined = 0;
    for (int i = 0; i < concurrent; i++) {
        int ret = -1;
        joined += ffm_ns_thread_join(t[i], &ret) == FFM_NS_OK && ret == 0;
    }
    int stale = ffm_ns_thread_join(t[0], NULL);
    int after = run_one(&ids[FFM_NS_MAX_THREADS]) ? FFM_NS_OK : -1;
    printf("reuse: sequential %d/%d, concurrent %d/%d joined %d, one more -> %d, stale join -> "
           "%d, after joins -> %d\n", sequential, SEQUENTIAL, concurrent, FFM_NS_MAX_THREADS,
           joined, one_more, stale, after);
    return sequential == SEQUENTIAL && concurrent == FFM_NS_MAX_THREADS &&
                   joined == concurrent && one_more == FFM_NS_NO_RESOURCES &&
                   stale == FFM_NS_BAD_THREAD && after == FFM_NS_OK
               ? 0
               : 1;
}

/* Opens SESSION connections until refused and returns how many it opened, closing none. */
static int open_and_leave(void *arg)
{
    (void)arg;
    int opened = 0;
    while (opened < MAX_OPEN && psa_connect(SESSION_SID, 1) > 0) {
        opened++;
    }
    return opened;
}

int ns_leak(void)
{
    ffm_ns_thread_t t;
    int opened = -1;
    if (ffm_ns_thread_create(&t, -2, open_and_leave, NULL) != FFM_NS_OK ||
        ffm_ns_thread_join(t, &opened) != FFM_NS_OK) {
        return 1;
    }
    int seen = psa_call(STATS_HANDLE, 1, NULL, 0, NULL, 0);
    psa_handle_t h[MAX_OPEN];
    int reopened = 0;
    while (reopened < opened && (h[reopened] = psa_connect(SESSION_SID, 1)) > 0) {
        reopened++;
    }
    for (int i = 0; i < reopened; i++) {
        psa_close(h[i]);
    }
    printf("leak: opened %d, service saw %d DISCONNECT, reopened %d\n", opened, seen, reopened);
    return opened > 0 && seen == opened && reopened == opened ? 0 : 1;
}

int ns_hold(void)
{
    const char *marker = getenv("NSRES_MARKER");
    struct timespec tick = { 0, 10 * 1000 * 1000 };
    while (marker != NULL && access(marker, F_OK) != 0) {
        nanosleep(&tick, NULL);
    }
    return 0;
}

int ns_main(void)
{
    return 0;
}
