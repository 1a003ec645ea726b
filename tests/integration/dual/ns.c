/* ns.c - calls DUAL_MODEL and prints which model served it (1: IPC, 2: SFN). */
#include <psa/client.h>
#include <stdio.h>

#include "psa_manifest/sid.h"

int ns_main(void);

int ns_main(void)
{
    psa_status_t st = psa_call(DUAL_MODEL_HANDLE, PSA_IPC_CALL, NULL, 0, NULL, 0);
    printf("ns: DUAL_MODEL served by %s\n", st == 1 ? "IPC" : st == 2 ? "SFN" : "?");
    return st == 1 || st == 2 ? 0 : 1;
}
