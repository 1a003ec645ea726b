/* app.c - the NS application: calls ECHO through its stateless handle; exits 0 when the
 * echo is right. */
#include <psa/client.h>
#include <stdio.h>
#include <string.h>

#include "psa_manifest/sid.h"

int ns_main(void);

int ns_main(void)
{
    char out[16] = { 0 };
    psa_invec in = { "hello", 5 };
    psa_outvec ov = { out, sizeof out };
    psa_status_t st = psa_call(ECHO_HANDLE, 0, &in, 1, &ov, 1);
    printf("echo: %d '%s'\n", (int)st, out);
    return st == 5 && strcmp(out, "hello") == 0 ? 0 : 1;
}
