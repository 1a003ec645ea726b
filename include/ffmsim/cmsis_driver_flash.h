/*
 * ffmsim/cmsis_driver_flash.h - the CMSIS-Driver Flash interface (ARM_DRIVER_FLASH), declared
 * for ffmsim from the public CMSIS-Driver specification: the same type, member and constant
 * names, member order and values, so storage code written against CMSIS's Driver_Flash.h
 * compiles unchanged. Only what the Flash driver needs of Driver_Common.h is here too.
 *
 * ffm-sim provides Driver_FLASH0 .. Driver_FLASH3, one per platform-file region declared with
 * `flash:` (in file order; docs/ffm-sim.md "Flash"). Addresses are offsets in the device (0 is
 * the region's first byte); data items are bytes (data_width 0); every call completes before
 * it returns (no events), and sectors are uniform (sector_info is NULL).
 *
 * If CMSIS's own Driver_Common.h was included first, its definitions are used.
 */
#ifndef FFMSIM_CMSIS_DRIVER_FLASH_H
#define FFMSIM_CMSIS_DRIVER_FLASH_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef DRIVER_COMMON_H_
#define DRIVER_COMMON_H_
#define ARM_DRIVER_VERSION_MAJOR_MINOR(major, minor) (((major) << 8) | (minor))

typedef struct _ARM_DRIVER_VERSION {
    uint16_t api; /* API version */
    uint16_t drv; /* driver version */
} ARM_DRIVER_VERSION;

/* Status codes every driver function may return (negative: failure). */
#define ARM_DRIVER_OK 0
#define ARM_DRIVER_ERROR -1
#define ARM_DRIVER_ERROR_BUSY -2
#define ARM_DRIVER_ERROR_TIMEOUT -3
#define ARM_DRIVER_ERROR_UNSUPPORTED -4
#define ARM_DRIVER_ERROR_PARAMETER -5
#define ARM_DRIVER_ERROR_SPECIFIC -6

typedef enum _ARM_POWER_STATE {
    ARM_POWER_OFF,
    ARM_POWER_LOW,
    ARM_POWER_FULL
} ARM_POWER_STATE;
#endif /* DRIVER_COMMON_H_ */

#ifndef DRIVER_FLASH_H_
#define DRIVER_FLASH_H_
#define ARM_FLASH_API_VERSION ARM_DRIVER_VERSION_MAJOR_MINOR(2, 3)

/* A sector's first and last address, for devices with non-uniform sectors. */
typedef struct _ARM_FLASH_SECTOR {
    uint32_t start;
    uint32_t end;
} ARM_FLASH_SECTOR;

#define ARM_FLASH_SECTOR_INFO(addr, size) { (addr), (addr) + (size) - 1 }

typedef struct _ARM_FLASH_INFO {
    ARM_FLASH_SECTOR *sector_info; /* NULL: uniform sectors of sector_size */
    uint32_t sector_count;
    uint32_t sector_size;
    uint32_t page_size;            /* optimal programming page size */
    uint32_t program_unit;         /* smallest programmable unit, in bytes */
    uint8_t erased_value;          /* content of erased memory */
    uint8_t reserved[3];
} ARM_FLASH_INFO;

/* CMSIS declares this type volatile; it is returned by value here, where the qualifier would
 * only draw -Wignored-qualifiers warnings (every ffm-sim operation completes synchronously). */
typedef struct _ARM_FLASH_STATUS {
    uint32_t busy : 1;
    uint32_t error : 1;
    uint32_t reserved : 30;
} ARM_FLASH_STATUS;

#define ARM_FLASH_EVENT_READY (1UL << 0)
#define ARM_FLASH_EVENT_ERROR (1UL << 1)

typedef void (*ARM_Flash_SignalEvent_t)(uint32_t event);

typedef struct _ARM_FLASH_CAPABILITIES {
    uint32_t event_ready : 1; /* signals ARM_FLASH_EVENT_READY */
    uint32_t data_width : 2;  /* data item: 0 = 8-bit, 1 = 16-bit, 2 = 32-bit, 3 = 64-bit */
    uint32_t erase_chip : 1;  /* EraseChip is supported */
    uint32_t reserved : 28;
} ARM_FLASH_CAPABILITIES;

typedef struct _ARM_DRIVER_FLASH {
    ARM_DRIVER_VERSION (*GetVersion)(void);
    ARM_FLASH_CAPABILITIES (*GetCapabilities)(void);
    int32_t (*Initialize)(ARM_Flash_SignalEvent_t cb_event);
    int32_t (*Uninitialize)(void);
    int32_t (*PowerControl)(ARM_POWER_STATE state);
    int32_t (*ReadData)(uint32_t addr, void *data, uint32_t cnt);          /* items read */
    int32_t (*ProgramData)(uint32_t addr, const void *data, uint32_t cnt); /* items written */
    int32_t (*EraseSector)(uint32_t addr);
    int32_t (*EraseChip)(void);
    ARM_FLASH_STATUS (*GetStatus)(void);
    ARM_FLASH_INFO *(*GetInfo)(void);
} const ARM_DRIVER_FLASH;
#endif /* DRIVER_FLASH_H_ */

/* The devices ffm-sim provides (Driver_FLASHn exists when the platform declares n + 1 or more
 * flash regions; a call on a device the platform lacks returns ARM_DRIVER_ERROR). */
extern ARM_DRIVER_FLASH Driver_FLASH0;
extern ARM_DRIVER_FLASH Driver_FLASH1;
extern ARM_DRIVER_FLASH Driver_FLASH2;
extern ARM_DRIVER_FLASH Driver_FLASH3;

#ifdef __cplusplus
}
#endif

#endif /* FFMSIM_CMSIS_DRIVER_FLASH_H */
