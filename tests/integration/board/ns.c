/* ns.c - the partition reaches SENSOR and NVMEM; NS may name neither (MEM-06, RESET-05). */
#include <ffmsim/platform.h>
#include <psa/client.h>
#include <stdint.h>
#include <stdio.h>

#include "psa_manifest/sid.h"

int ns_main(void);

int ns_main(void)
{
    psa_status_t sensor = psa_call(BOARD_HANDLE, 0, NULL, 0, NULL, 0);
    psa_invec in = { (const void *)(uintptr_t)0x20000000u, 4 };
    psa_status_t ns_sensor = psa_call(BOARD_HANDLE, 0, &in, 1, NULL, 0);
    size_t size = 1;
    void *nv = ffm_platform_nvmem(&size);
    psa_status_t count = psa_call(BOARD_HANDLE, 1, NULL, 0, NULL, 0);
    printf("board: sensor 0x%x, NS naming SENSOR %d, NS nvmem %s size %zu, boot count %d\n",
           (unsigned)sensor, (int)ns_sensor, nv == NULL ? "NULL" : "mapped", size, (int)count);
    return sensor == 0xAB && ns_sensor == PSA_ERROR_PROGRAMMER_ERROR && nv == NULL && size == 0
               ? (int)count
               : 100;
}
