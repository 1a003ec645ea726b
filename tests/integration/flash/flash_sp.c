/*
 * flash_sp.c - FLASH_TEST: type 1 runs the strict scenario on Driver_FLASH0 (program, program
 * again over programmed bytes -> refused, misaligned, erase, program again); type 2 the NOR
 * AND-merge one on device 1 through ffm_flash_*. The results go back as an int32_t array.
 */
#include <ffmsim/cmsis_driver_flash.h>
#include <ffmsim/flash.h>
#include <psa/service.h>

#include "psa_manifest/flash_sp.h"
#include "psa_manifest/sid.h"

/* Exported, so the call site is named by its function even without libdw (dladdr). */
psa_status_t strict_scenario(const psa_msg_t *msg);

psa_status_t strict_scenario(const psa_msg_t *msg)
{
    static const uint8_t data[4] = { 0x12, 0x34, 0x56, 0x78 };
    uint8_t back[4] = { 0 };
    ARM_FLASH_INFO *info = Driver_FLASH0.GetInfo();
    int32_t r[8];
    r[0] = (int32_t)info->sector_count;
    r[1] = (int32_t)info->sector_size;
    r[2] = Driver_FLASH0.ProgramData(0x10, data, 4);
    r[3] = Driver_FLASH0.ProgramData(0x10, data, 4); /* not erased: FLASH-01 */
    r[4] = Driver_FLASH0.ProgramData(0x11, data, 4); /* not on a program unit */
    r[5] = Driver_FLASH0.EraseSector(0x0);
    r[6] = Driver_FLASH0.ProgramData(0x10, data, 4);
    Driver_FLASH0.ReadData(0x10, back, 4);
    r[7] = back[0] | back[3] << 8;
    psa_write(msg->handle, 0, r, sizeof r);
    return PSA_SUCCESS;
}

static psa_status_t nor_scenario(const psa_msg_t *msg)
{
    static const uint8_t first = 0xF0, second = 0x3C;
    uint8_t back = 0;
    struct ffm_flash_info info;
    int32_t r[6];
    r[0] = ffm_flash_info(1, &info) == FFM_FLASH_OK ? (int32_t)info.strict : -100;
    r[1] = ffm_flash_program(1, 0x401, &first, 1);
    r[2] = ffm_flash_program(1, 0x401, &second, 1); /* NOR: bits only clear */
    ffm_flash_read(1, 0x401, &back, 1);
    r[3] = back;
    r[4] = ffm_flash_erase(1, 0x400);
    ffm_flash_read(1, 0x401, &back, 1);
    r[5] = back;
    psa_write(msg->handle, 0, r, sizeof r);
    return PSA_SUCCESS;
}

psa_status_t flash_test_sfn(const psa_msg_t *msg)
{
    return msg->type == 1 ? strict_scenario(msg) : nor_scenario(msg);
}
