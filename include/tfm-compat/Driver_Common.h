/*
 * tfm-compat/Driver_Common.h - the CMSIS-Driver common definitions (ARM_DRIVER_VERSION, the
 * ARM_DRIVER_* status codes, ARM_POWER_STATE) under CMSIS's file name; ffmsim declares them
 * with its Flash interface.
 */
#ifndef FFMSIM_TFM_COMPAT_DRIVER_COMMON_H
#define FFMSIM_TFM_COMPAT_DRIVER_COMMON_H

#include "ffmsim/cmsis_driver_flash.h"

#endif /* FFMSIM_TFM_COMPAT_DRIVER_COMMON_H */
