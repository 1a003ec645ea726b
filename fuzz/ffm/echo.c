/* echo.c - FUZZ_SP_ECHO: echoes in_vec[0] to out_vec[0] (ffm-fuzz throughput check). */
#include <stdint.h>

#include <psa/service.h>

#include "psa_manifest/echo.h"

psa_status_t fuzz_echo_sfn(const psa_msg_t *msg)
{
    uint8_t buf[256];
    size_t n = psa_read(msg->handle, 0, buf, sizeof buf);

    if (n > msg->out_size[0]) {
        n = msg->out_size[0];
    }
    psa_write(msg->handle, 0, buf, n);
    return PSA_SUCCESS;
}
