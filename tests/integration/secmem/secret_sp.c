/* secret_sp.c - LEAK type 0 writes the address of a secure buffer (in the partition image)
 * to out_vec[0], so the NS test can try to pass it back; type 1 replies the bytes it got. */
#include <stdint.h>

#include <psa/service.h>

#include "psa_manifest/secret_sp.h"

static char secret[32] = "secure data";

psa_status_t leak_sfn(const psa_msg_t *msg)
{
    if (msg->type == 0) {
        uintptr_t addr = (uintptr_t)secret;
        psa_write(msg->handle, 0, &addr, sizeof addr);
        return 0;
    }
    return (psa_status_t)(msg->in_size[0] + msg->out_size[0]);
}
