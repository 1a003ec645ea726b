/* ns.c - FRONT reaches BACK on NS's behalf; NS itself may not connect to BACK (CON-03). */
#include <psa/client.h>
#include <stdio.h>

#include "psa_manifest/sid.h"

int ns_main(void);

int ns_main(void)
{
    static const unsigned char data[3] = { 1, 2, 3 };
    psa_invec in = { data, sizeof data };
    psa_status_t st = psa_call(FRONT_HANDLE, 0, &in, 1, NULL, 0);
    psa_status_t st2 = psa_call(FRONT_HANDLE, 0, &in, 1, NULL, 0);
    psa_handle_t direct = psa_connect(BACK_SID, BACK_VERSION);
    uint32_t v = psa_version(BACK_SID);
    printf("deps: front %d %d, direct connect %d, version %u\n", (int)st, (int)st2,
           (int)direct, (unsigned)v);
    return st == 1006 && st2 == 1006 && direct == PSA_ERROR_CONNECTION_REFUSED && v == 0 ? 0 : 1;
}
