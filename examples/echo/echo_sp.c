/* echo_sp.c - the ECHO service: copies in_vec[0] to out_vec[0] and returns its length. Uses
 * only the standard <psa/service.h> and its generated header. */
#include <psa/service.h>

#include "psa_manifest/echo_sp.h"

psa_status_t echo_sfn(const psa_msg_t *msg)
{
    char buf[64];
    size_t n = psa_read(msg->handle, 0, buf, sizeof buf);
    psa_write(msg->handle, 0, buf, n);
    return (psa_status_t)n;
}
