/* ns.c - sends a 32-bit length (rot_size_t, as TF-M's clients do) and 10 bytes. */
#include <stdio.h>

#include "psa/client.h"
#include "psa_manifest/sid.h"

int ns_main(void);

int ns_main(void)
{
    rot_size_t len = 10;
    psa_invec in[] = { { &len, sizeof len }, { "0123456789", 10 } };
    psa_status_t st = psa_call(TFM_COMPAT_STORE_HANDLE, 0, in, IOVEC_LEN(in), NULL, 0);
    printf("tfmcompat: stored %d\n", (int)st);
    return st == 10 ? 0 : 1;
}
