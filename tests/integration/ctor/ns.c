/* ns.c - checks that the partition's constructor ran in this process (the simulated system),
 * not in the supervisor; NS_CTOR_FAULT makes this image's own constructor fault. */
#define _POSIX_C_SOURCE 200809L /* getpid */
#include <stdio.h>
#include <unistd.h>

#include <psa/client.h>

#include "psa_manifest/sid.h"

#ifdef NS_CTOR_FAULT
static volatile int *volatile nowhere;

__attribute__((constructor)) static void ns_ctor(void)
{
    *nowhere = 1;
}
#endif

int ns_main(void);

int ns_main(void)
{
    psa_status_t pid = psa_call(CTOR_PID_HANDLE, 0, NULL, 0, NULL, 0);
    printf("ctor: constructor ran %s\n",
           pid == (psa_status_t)getpid() ? "in the simulated system" : "elsewhere");
    return 0;
}
