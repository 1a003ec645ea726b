/* ns.c - one call to each service of the stackuse case (ns_main); ns_over_sfn and ns_over_ipc
 * ask DEEP and DEEP_IPC for 16 KiB of stack (type 2); ns_small calls SMALL only. */
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

int ns_over_sfn(void);
int ns_over_ipc(void);

int ns_over_sfn(void)
{
    psa_status_t deep = psa_call(DEEP_HANDLE, 2, NULL, 0, NULL, 0);
    printf("stackuse: deep over %d\n", (int)deep);
    return 0;
}

int ns_over_ipc(void)
{
    psa_status_t ipc = psa_call(DEEP_IPC_HANDLE, 2, NULL, 0, NULL, 0);
    printf("stackuse: ipc over %d\n", (int)ipc);
    return 0;
}

int ns_small(void);

int ns_small(void)
{
    psa_status_t small = psa_call(SMALL_HANDLE, 5, NULL, 0, NULL, 0);
    printf("stackuse: small %d\n", (int)small);
    return small == 5 ? 0 : 1;
}
