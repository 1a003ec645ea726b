/* echo_sp.c - ECHO: type 0 copies in_vec[0] to out_vec[0]; type 1 replies the client ID. */
#include <psa/service.h>

#include "psa_manifest/echo_sp.h"
#include "psa_manifest/sid.h"

psa_status_t echo_sfn(const psa_msg_t *msg)
{
    char buf[64];
    if (msg->type == 1) {
        return msg->client_id;
    }
    size_t n = psa_read(msg->handle, 0, buf, sizeof buf);
    psa_write(msg->handle, 0, buf, n);
    return (psa_status_t)n;
}
