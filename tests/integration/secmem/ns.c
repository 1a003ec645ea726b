/* ns.c - secure memory, NULL with a length, and a read-only outvec are PROGRAMMER ERRORs
 * returned to NS as -129 (MEM-06, MEM-07, MEM-10); zero-length vectors are never checked. */
#include <psa/client.h>
#include <stdint.h>
#include <stdio.h>

#include "psa_manifest/sid.h"

int ns_main(void);

static const char ro_data[8] = "rodata";

int ns_main(void)
{
    uintptr_t addr = 0;
    psa_outvec get = { &addr, sizeof addr };
    psa_status_t st0 = psa_call(LEAK_HANDLE, 0, NULL, 0, &get, 1);
    void *secure = (void *)addr;
    psa_invec in_secure = { secure, 16 };
    psa_status_t st_secure = psa_call(LEAK_HANDLE, 1, &in_secure, 1, NULL, 0);
    psa_invec in_null = { NULL, 4 };
    psa_status_t st_null = psa_call(LEAK_HANDLE, 1, &in_null, 1, NULL, 0);
    psa_outvec out_ro = { (void *)(uintptr_t)ro_data, sizeof ro_data };
    psa_status_t st_ro = psa_call(LEAK_HANDLE, 1, NULL, 0, &out_ro, 1);
    psa_invec in_zero = { secure, 0 };
    psa_status_t st_zero = psa_call(LEAK_HANDLE, 1, &in_zero, 1, NULL, 0);
    char ok_buf[5] = "abcd";
    psa_invec in_ok = { ok_buf, 4 };
    psa_status_t st_ok = psa_call(LEAK_HANDLE, 1, &in_ok, 1, NULL, 0);
    printf("secmem: get %d secure %d null %d rodata-out %d zero-len %d ok %d\n", (int)st0,
           (int)st_secure, (int)st_null, (int)st_ro, (int)st_zero, (int)st_ok);
    return st0 == 0 && addr != 0 && st_secure == PSA_ERROR_PROGRAMMER_ERROR &&
                   st_null == PSA_ERROR_PROGRAMMER_ERROR && st_ro == PSA_ERROR_PROGRAMMER_ERROR &&
                   st_zero == 0 && st_ok == 4
               ? 0
               : 1;
}
