/* ns.c - the SFN's local lives on a secure stack, not on this thread's stack: naming it back
 * is refused with -129 (MEM-06), while a buffer on this stack is accepted. */
#include <psa/client.h>
#include <stdint.h>
#include <stdio.h>

#include "psa_manifest/sid.h"

int ns_main(void);

int ns_main(void)
{
    uintptr_t addr = 0;
    psa_outvec get = { &addr, sizeof addr };
    psa_status_t st_get = psa_call(WHERE_HANDLE, 0, NULL, 0, &get, 1);
    char mine[4] = "abc";
    uintptr_t here = (uintptr_t)&mine[0];
    long distance = (long)(addr > here ? addr - here : here - addr);
    psa_invec in_secure = { (const void *)addr, 4 };
    psa_status_t st_secure = psa_call(WHERE_HANDLE, 1, &in_secure, 1, NULL, 0);
    psa_invec in_mine = { mine, 4 };
    psa_status_t st_mine = psa_call(WHERE_HANDLE, 1, &in_mine, 1, NULL, 0);
    printf("sfnctx: get %d secure-local %d own-stack %d far %d\n", (int)st_get, (int)st_secure,
           (int)st_mine, distance > 65536);
    return st_get == 0 && st_secure == PSA_ERROR_PROGRAMMER_ERROR && st_mine == 4 ? 0 : 1;
}
