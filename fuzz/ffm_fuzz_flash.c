/*
 * ffm_fuzz_flash.c - the flash API of ffm-fuzz: a platform with no flash devices.
 *
 * ffm-fuzz runs partitions on the synchronous port, which has no flash model (docs/fuzzing.md):
 * every query says there is no device and every operation fails, as ffm-sim does on a platform
 * without flash regions. Partitions that adapt to the platform (the demo's storage falls back
 * to NVMEM) run as they would there; the symbols exist so that their images load.
 */
#include <stddef.h>
#include <stdint.h>

#include "ffmsim/cmsis_driver_flash.h"
#include "ffmsim/flash.h"

int ffm_flash_info(unsigned device, struct ffm_flash_info *info)
{
    (void)device;
    (void)info;
    return FFM_FLASH_ERROR;
}

int ffm_flash_read(unsigned device, uint32_t addr, void *buf, size_t len)
{
    (void)device;
    (void)addr;
    (void)buf;
    (void)len;
    return FFM_FLASH_ERROR;
}

int ffm_flash_program(unsigned device, uint32_t addr, const void *data, size_t len)
{
    (void)device;
    (void)addr;
    (void)data;
    (void)len;
    return FFM_FLASH_ERROR;
}

int ffm_flash_erase(unsigned device, uint32_t sector_addr)
{
    (void)device;
    (void)sector_addr;
    return FFM_FLASH_ERROR;
}

static ARM_DRIVER_VERSION none_version(void)
{
    return (ARM_DRIVER_VERSION){ ARM_DRIVER_VERSION_MAJOR_MINOR(2, 0), 0 };
}

static ARM_FLASH_CAPABILITIES none_capabilities(void)
{
    return (ARM_FLASH_CAPABILITIES){ 0, 0, 0, 0 };
}

static int32_t none_initialize(ARM_Flash_SignalEvent_t cb_event)
{
    (void)cb_event;
    return ARM_DRIVER_ERROR;
}

static int32_t none_uninitialize(void)
{
    return ARM_DRIVER_ERROR;
}

static int32_t none_power(ARM_POWER_STATE state)
{
    (void)state;
    return ARM_DRIVER_ERROR;
}

static int32_t none_read(uint32_t addr, void *data, uint32_t cnt)
{
    (void)addr;
    (void)data;
    (void)cnt;
    return ARM_DRIVER_ERROR;
}

static int32_t none_program(uint32_t addr, const void *data, uint32_t cnt)
{
    (void)addr;
    (void)data;
    (void)cnt;
    return ARM_DRIVER_ERROR;
}

static int32_t none_erase(uint32_t addr)
{
    (void)addr;
    return ARM_DRIVER_ERROR;
}

static int32_t none_erase_chip(void)
{
    return ARM_DRIVER_ERROR;
}

static ARM_FLASH_STATUS none_status(void)
{
    return (ARM_FLASH_STATUS){ 0 };
}

/* A device of no sectors: code that reads the geometry before it checks a result sees an
 * empty device, not a null pointer. */
static ARM_FLASH_INFO none_info_data;

static ARM_FLASH_INFO *none_info(void)
{
    return &none_info_data;
}

#define NO_FLASH_DEVICE                                                                        \
    {                                                                                          \
        none_version, none_capabilities, none_initialize, none_uninitialize, none_power,      \
        none_read, none_program, none_erase, none_erase_chip, none_status, none_info,          \
    }

ARM_DRIVER_FLASH Driver_FLASH0 = NO_FLASH_DEVICE;
ARM_DRIVER_FLASH Driver_FLASH1 = NO_FLASH_DEVICE;
ARM_DRIVER_FLASH Driver_FLASH2 = NO_FLASH_DEVICE;
ARM_DRIVER_FLASH Driver_FLASH3 = NO_FLASH_DEVICE;
