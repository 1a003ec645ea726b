/* ns.c - calls COV on every boot; exits 0 once it answers 7. */
#include <psa/client.h>

#include "psa_manifest/sid.h"

int ns_main(void);

int ns_main(void)
{
    return psa_call(COV_HANDLE, 0, NULL, 0, NULL, 0) == 7 ? 0 : 1;
}
