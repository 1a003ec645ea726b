/* who_sp.c - WHO replies the caller's client ID; COUNT replies how many calls it served. */
#include <psa/service.h>

#include "psa_manifest/who_sp.h"

static int served;

psa_status_t who_sfn(const psa_msg_t *msg)
{
    served++;
    return msg->client_id;
}

psa_status_t count_sfn(const psa_msg_t *msg)
{
    (void)msg;
    return ++served;
}
