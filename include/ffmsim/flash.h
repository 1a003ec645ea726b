/*
 * ffmsim/flash.h - the simulated flash devices, as a plain C API (the same devices as the
 * CMSIS-Driver instances Driver_FLASH0..3 of ffmsim/cmsis_driver_flash.h).
 *
 * A platform-file region declared with `flash: {sector_size, program_unit, erased_value,
 * strict}` is device n (n-th flash region in the file). Only the region's owner may use it.
 * Addresses are offsets in the device. Programming never sets a bit to its erased state: in
 * strict mode a program over any byte that is not erased is refused (FFM_FLASH_NOT_ERASED,
 * reported as FLASH-01 with the partition, the address and the call site); otherwise the new
 * bits are AND-merged (erased 0xFF) as NOR flash does. docs/ffm-sim.md "Flash".
 */
#ifndef FFMSIM_FLASH_H
#define FFMSIM_FLASH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Results: 0 or a negative value, the CMSIS-Driver codes where one fits. */
#define FFM_FLASH_OK 0
#define FFM_FLASH_ERROR -1          /* no such device, or not the caller's (FLASH-02) */
#define FFM_FLASH_ERROR_PARAMETER -5 /* outside the device, or not unit/sector aligned */
#define FFM_FLASH_NOT_ERASED -6     /* strict mode: a target byte is not erased (FLASH-01) */

struct ffm_flash_info {
    uint32_t size;          /* bytes */
    uint32_t sector_size;
    uint32_t sector_count;
    uint32_t program_unit;
    uint8_t erased_value;
    uint8_t strict;         /* 1: strict, 0: AND-merge */
    const void *base;       /* the device's bytes, readable directly (memory-mapped flash);
                             * writes go through ffm_flash_program / ffm_flash_erase only */
};

/* FFM_FLASH_OK and *info, or FFM_FLASH_ERROR (silently: a query) when the platform has no such
 * device or the caller may not use it. */

int ffm_flash_info(unsigned device, struct ffm_flash_info *info);
int ffm_flash_read(unsigned device, uint32_t addr, void *buf, size_t len);
int ffm_flash_program(unsigned device, uint32_t addr, const void *data, size_t len);
int ffm_flash_erase(unsigned device, uint32_t sector_addr);

#ifdef __cplusplus
}
#endif

#endif /* FFMSIM_FLASH_H */
