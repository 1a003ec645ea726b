/* board_sp.c - BOARD type 0: write and read back the SENSOR block at its fixed address;
 * type 1: count boots in NVMEM (0xFFFFFFFF after a cold start means 0) and reply the count. */
#include <stdint.h>
#include <string.h>

#include <ffmsim/platform.h>
#include <psa/service.h>

#include "psa_manifest/board_sp.h"

#define SENSOR_BASE ((volatile uint32_t *)(uintptr_t)0x20000000u)

static psa_status_t count_in_nvmem(void)
{
    size_t size = 0;
    uint32_t *nv = ffm_platform_nvmem(&size);
    if (nv == NULL || size != 0x1000) {
        return -1;
    }
    uint32_t count = nv[0] == 0xFFFFFFFFu ? 0 : nv[0];
    nv[0] = count + 1;
    return (psa_status_t)nv[0];
}

psa_status_t board_sfn(const psa_msg_t *msg)
{
    if (msg->type == 0) {
        SENSOR_BASE[0] = 0xAB;
        return (psa_status_t)SENSOR_BASE[0];
    }
    return count_in_nvmem();
}
