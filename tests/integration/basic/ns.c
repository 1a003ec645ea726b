/* ns.c - calls ECHO through its stateless handle and checks the echo and the client ID. */
#include <psa/client.h>
#include <stdio.h>
#include <string.h>

#include "psa_manifest/sid.h"

int ns_main(void);
int ns_seven(void);

int ns_main(void)
{
    char out[16] = { 0 };
    psa_invec in = { "hello", 5 };
    psa_outvec ov = { out, sizeof out };
    psa_status_t st = psa_call(ECHO_HANDLE, 0, &in, 1, &ov, 1);
    psa_status_t id = psa_call(ECHO_HANDLE, 1, NULL, 0, NULL, 0);
    printf("ns: version 0x%x echo %d '%s' len %zu client %d\n",
           (unsigned)psa_framework_version(), (int)st, out, ov.len, (int)id);
    return st == 5 && strcmp(out, "hello") == 0 && ov.len == 5 && id == -1 ? 0 : 1;
}

int ns_seven(void)
{
    return 7;
}
