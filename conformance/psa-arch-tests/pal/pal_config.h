/*
 * pal_config.h - the ffm-sim target's configuration for Arm's PSA FF test suite
 * (psa-arch-tests, api-tests/ff): the types the suite's PAL layer leaves to the target, the
 * addresses of the regions the tests use, and the watchdog timeouts. The suite's val and pal
 * headers include this file by name; ff-suite.sh puts this directory first on the include path.
 *
 * The addresses are those of conformance/psa-arch-tests/platform.yaml, which maps the regions
 * there (ffm-sim maps fixed regions below 4 GiB); keep both in step.
 */
#ifndef FFMSIM_PAT_PAL_CONFIG_H
#define FFMSIM_PAT_PAL_CONFIG_H

#include <stdint.h>

/* The suite types addresses as uint32_t unless a target provides its own types. On a 64-bit
 * host every pointer the tests pass around as addr_t (a partition's global, stack or heap
 * address sent to NS for an isolation test) needs 64 bits. */
#define TARGET_SPECIFIC_TYPES
typedef uint8_t   bool_t;
typedef uintptr_t addr_t;
typedef uint32_t  test_id_t;
typedef uint32_t  block_id_t;
typedef char      char8_t;
typedef uint32_t  cfg_id_t;

/* Handles of the platform devices. The simulator's UART, watchdog and NVMEM are reached
 * through <ffmsim/platform.h>, not by address: the driver partition's PAL ignores these,
 * but the suite passes them along, so they are distinct and non-zero. */
#define PLATFORM_UART_BASE 0x1u
#define PLATFORM_WD_BASE   0x2u
#define PLATFORM_NVM_BASE  0x3u

/* Watchdog: the timer counts microseconds of simulated time (one tick per microsecond). The
 * suite arms it around every test to catch a hang; ffm-sim resets the system when it expires. */
#define PLATFORM_WD_NUM_OF_TICK_PER_MICRO_SEC   1u
#define PLATFORM_WD_TIMEOUT_IN_MICRO_SEC_LOW    2000000u
#define PLATFORM_WD_TIMEOUT_IN_MICRO_SEC_MEDIUM 2000000u
#define PLATFORM_WD_TIMEOUT_IN_MICRO_SEC_HIGH   5000000u
#define PLATFORM_WD_TIMEOUT_IN_MICRO_SEC_CRYPTO 18000000u

/* Test windows (platform.yaml): one of NS memory, one owned by the server partition (App-RoT)
 * and one by the driver partition (PSA-RoT). The suite wants them in this order; they are not
 * page aligned and the two secure ones share a host page (docs/isolation.md section 5). */
#define PLATFORM_NSPE_MMIO_START             0x00300F00u
#define PLATFORM_SERVER_PARTITION_MMIO_START 0x3801FC00u
#define PLATFORM_DRIVER_PARTITION_MMIO_START 0x3801FE00u
#define PLATFORM_DRIVER_PARTITION_MMIO_END   0x3801FF00u

/* The FF suite is built with the IPC client API and the headers ffm-manifest generates. */
#ifdef IPC
#include "psa/client.h"
#include "psa_manifest/sid.h"
#include "psa_manifest/pid.h"
#endif

#endif /* FFMSIM_PAT_PAL_CONFIG_H */
