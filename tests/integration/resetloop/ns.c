/* ns.c - ns_main calls CRASH (it faults); ns_pe makes a PROGRAMMER ERROR (a forged handle) and
 * then calls CRASH type 1, returning its answer; ns_libc makes CRASH fault inside strlen. */
#include <psa/client.h>

#include "psa_manifest/sid.h"

int ns_main(void);
int ns_pe(void);
int ns_libc(void);

int ns_main(void)
{
    return (int)psa_call(CRASH_HANDLE, 0, NULL, 0, NULL, 0);
}

int ns_pe(void)
{
    psa_status_t st = psa_call((psa_handle_t)0x1234dead, 0, NULL, 0, NULL, 0); /* PE HERE */
    return st == PSA_ERROR_PROGRAMMER_ERROR ? (int)psa_call(CRASH_HANDLE, 1, NULL, 0, NULL, 0)
                                            : 9;
}

int ns_libc(void)
{
    return (int)psa_call(CRASH_HANDLE, 2, NULL, 0, NULL, 0);
}
