/*
 * its_sp.c - TFM_COMPAT_STORE, in the style of a TF-M storage partition: its includes are the
 * names a TF-M build provides (psa/client.h with rot_size_t, cmsis_compiler.h, Driver_Flash.h,
 * flash_layout.h, tfm_log_unpriv.h, tfm_sp_log.h), found in include/tfm-compat and in the
 * header ffm-sim --flash-layout generated. The client sends a 32-bit rot_size_t length and
 * the data; the partition programs them at flash offset 0 and reads them back.
 */
#include <string.h>

#include "Driver_Flash.h"
#include "cmsis_compiler.h"
#include "flash_layout.h"
#include "psa/client.h"
#include "psa/framework_feature.h"
#include "psa/service.h"
#include "tfm_log_unpriv.h"
#include "tfm_sp_log.h"

#include "psa_manifest/its_sp.h"

extern ARM_DRIVER_FLASH TFM_HAL_ITS_FLASH_DRIVER;

__PACKED_STRUCT stored_header {
    uint8_t tag;
    uint32_t len;
};

__STATIC_INLINE uint32_t round_to_unit(uint32_t n)
{
    return (n + TFM_HAL_ITS_PROGRAM_UNIT - 1u) / TFM_HAL_ITS_PROGRAM_UNIT *
           TFM_HAL_ITS_PROGRAM_UNIT;
}

psa_status_t tfm_compat_store_sfn(const psa_msg_t *msg)
{
    ARM_FLASH_INFO *info = TFM_HAL_ITS_FLASH_DRIVER.GetInfo();
    rot_size_t len = 0;
    uint8_t data[64], back[64];
    if (info->program_unit != TFM_HAL_ITS_PROGRAM_UNIT ||
        info->sector_count * info->sector_size != TFM_HAL_ITS_FLASH_AREA_SIZE ||
        sizeof(struct stored_header) != 5 || msg->in_size[0] != sizeof(rot_size_t)) {
        LOG_ERRFMT("[TFM COMPAT] layout or size mismatch\n");
        return PSA_ERROR_PROGRAMMER_ERROR;
    }
    psa_read(msg->handle, 0, &len, sizeof len);
    if (len > sizeof data || psa_read(msg->handle, 1, data, len) != len) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    INFO_UNPRIV_RAW("Creating an empty flash layout.\n");
    memset(data + len, 0xFF, sizeof data - len);
    int32_t n = TFM_HAL_ITS_FLASH_DRIVER.ProgramData(TFM_HAL_ITS_FLASH_AREA_ADDR, data,
                                                      round_to_unit(len));
    TFM_HAL_ITS_FLASH_DRIVER.ReadData(TFM_HAL_ITS_FLASH_AREA_ADDR, back, len);
    LOG_INFFMT("[TFM COMPAT] programmed %d bytes, MM-IOVEC %d\n", (int)n,
               (int)PSA_FRAMEWORK_HAS_MM_IOVEC);
    return n == (int32_t)round_to_unit(len) && memcmp(back, data, len) == 0 ? (psa_status_t)len
                                                                            : PSA_ERROR_GENERIC_ERROR;
}
