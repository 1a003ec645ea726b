/* nsres_sp.c - WHO replies the caller's client ID; SESSION (connection-based) counts the
 * CONNECT and DISCONNECT messages it receives; STATS replies those counts (type 0: connects,
 * type 1: disconnects). */
#include <psa/service.h>

#include "psa_manifest/nsres_sp.h"

static int connects;
static int disconnects;

psa_status_t who_sfn(const psa_msg_t *msg)
{
    return msg->client_id;
}

psa_status_t session_sfn(const psa_msg_t *msg)
{
    if (msg->type == PSA_IPC_CONNECT) {
        connects++;
    } else if (msg->type == PSA_IPC_DISCONNECT) {
        disconnects++;
    }
    return PSA_SUCCESS;
}

psa_status_t stats_sfn(const psa_msg_t *msg)
{
    return msg->type == 0 ? connects : disconnects;
}
