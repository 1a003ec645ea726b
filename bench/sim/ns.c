/* ns.c - times psa_call round trips from NS to each echo service and prints microseconds per
 * call: the cost of the modelled secure gateway, the core and the thread handoffs. */
#include <psa/client.h>
#include <stdio.h>
#include <time.h>

#include "psa_manifest/sid.h"

int ns_main(void);

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int time_calls(const char *what, psa_handle_t handle, unsigned n)
{
    char out[8];
    psa_invec in = { "ping", 4 };
    double t0 = now_us();
    for (unsigned i = 0; i < n; i++) {
        psa_outvec ov = { out, sizeof out };
        if (psa_call(handle, 0, &in, 1, &ov, 1) != 4) {
            printf("bench: %s: unexpected reply\n", what);
            return 1;
        }
    }
    printf("%-44s %9.2f us/call (%u calls)\n", what, (now_us() - t0) / n, n);
    return 0;
}

int ns_main(void)
{
    return time_calls("ffm-sim NS psa_call -> SFN service", BENCH_SFN_HANDLE, 20000) |
           time_calls("ffm-sim NS psa_call -> IPC service", BENCH_IPC_HANDLE, 20000);
}
