/* ns.c - one call to each service of the stackuse case. */
#include <psa/client.h>
#include <stdio.h>

#include "psa_manifest/sid.h"

int ns_main(void);

int ns_main(void)
{
    psa_status_t deep = psa_call(DEEP_HANDLE, 1, NULL, 0, NULL, 0);
    psa_status_t ipc = psa_call(DEEP_IPC_HANDLE, 1, NULL, 0, NULL, 0);
    psa_status_t small = psa_call(SMALL_HANDLE, 5, NULL, 0, NULL, 0);
    printf("stackuse: deep %d ipc %d small %d\n", (int)deep, (int)ipc, (int)small);
    return deep >= 0 && ipc >= 0 && small == 5 ? 0 : 1;
}
