/* crash_sp.c - CRASH: type 0 dereferences NULL (a fault on every call); type 1 replies 1;
 * type 2 hands NULL to strlen (a fault inside libc, called from here). */
#include <psa/service.h>
#include <string.h>

#include "psa_manifest/crash_sp.h"

static volatile int *nowhere;
static const char *volatile no_string;

psa_status_t crash_sfn(const psa_msg_t *msg)
{
    if (msg->type == 1) {
        return 1;
    }
    if (msg->type == 2) {
        return (psa_status_t)strlen(no_string); /* LIBC FAULT HERE */
    }
    return *nowhere; /* NULL DEREF HERE */
}
