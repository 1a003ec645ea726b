/* crash_sp.c - CRASH: type 0 dereferences NULL (a fault on every call); type 1 replies 1. */
#include <psa/service.h>

#include "psa_manifest/crash_sp.h"

static volatile int *nowhere;

psa_status_t crash_sfn(const psa_msg_t *msg)
{
    if (msg->type == 1) {
        return 1;
    }
    return *nowhere; /* FAULT HERE */
}
