/*
 * iso_ns.c - the isolation benchmark's NS application (make bench-isolation): the 16-byte
 * stateless round trip to the SFN and IPC echo partitions of bench/sim, timed in
 * FFM_BENCH_ROUNDS rounds of FFM_BENCH_CALLS calls, printed as one line of medians
 * ("iso sfn_us ipc_us"). bench/isolation/run.sh runs it at each --isolation level and prints
 * the table side by side. Fails only on a wrong reply.
 */
#define _DEFAULT_SOURCE 1
#include <psa/client.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "psa_manifest/sid.h"

int ns_main(void);

#define MAX_ROUNDS 31

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static unsigned env_uint(const char *name, unsigned dflt, unsigned lo, unsigned hi)
{
    const char *s = getenv(name);
    unsigned v = s != NULL ? (unsigned)strtoul(s, NULL, 10) : dflt;
    return v < lo ? lo : v > hi ? hi : v;
}

/* Microseconds per round trip over n calls, or a negative value on a wrong reply. */
static double round_trip(psa_handle_t h, unsigned n)
{
    static const char msg[16] = "0123456789abcde";
    char out[16];
    psa_invec in = { msg, sizeof msg };
    psa_outvec ov = { out, sizeof out };
    double t0 = now_us();
    for (unsigned i = 0; i < n; i++) {
        if (psa_call(h, 0, &in, 1, &ov, 1) != (psa_status_t)sizeof msg) {
            return -1.0;
        }
    }
    return (now_us() - t0) / n;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int ns_main(void)
{
    unsigned rounds = env_uint("FFM_BENCH_ROUNDS", 5, 1, MAX_ROUNDS);
    unsigned calls = env_uint("FFM_BENCH_CALLS", 2000, 10, 1000000);
    double sfn[MAX_ROUNDS], ipc[MAX_ROUNDS];
    for (unsigned r = 0; r < rounds; r++) { /* interleaved: a slow phase hits both alike */
        sfn[r] = round_trip(BENCH_SFN_HANDLE, calls);
        ipc[r] = round_trip(BENCH_IPC_HANDLE, calls);
        if (sfn[r] < 0 || ipc[r] < 0) {
            printf("bench-isolation: unexpected reply\n");
            return 1;
        }
    }
    qsort(sfn, rounds, sizeof sfn[0], cmp);
    qsort(ipc, rounds, sizeof ipc[0], cmp);
    printf("iso %.2f %.2f\n", sfn[rounds / 2], ipc[rounds / 2]);
    return 0;
}
