/* where_sp.c - WHERE writes the address of one of its locals to out_vec[0] (type 0), or
 * replies the number of input bytes it could read (type 1). */
#include <stdint.h>

#include <psa/service.h>

#include "psa_manifest/where_sp.h"

psa_status_t where_sfn(const psa_msg_t *msg)
{
    volatile char local[16] = { 0 };
    if (msg->type == 0) {
        uintptr_t addr = (uintptr_t)&local[0];
        psa_write(msg->handle, 0, &addr, sizeof addr);
        return local[0];
    }
    char buf[16];
    return (psa_status_t)psa_read(msg->handle, 0, buf, sizeof buf);
}
