/*
 * tfm-compat/Driver_Flash.h - the CMSIS-Driver Flash interface under the file name CMSIS uses,
 * for code that includes "Driver_Flash.h": ffmsim's declaration of it, whose Driver_FLASH0..3
 * ffm-sim provides over the platform's flash regions (docs/ffm-sim.md "Flash").
 */
#ifndef FFMSIM_TFM_COMPAT_DRIVER_FLASH_H
#define FFMSIM_TFM_COMPAT_DRIVER_FLASH_H

#include "ffmsim/cmsis_driver_flash.h"

#endif /* FFMSIM_TFM_COMPAT_DRIVER_FLASH_H */
