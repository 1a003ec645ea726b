/*
 * flash_layout.h - writes a C header describing the platform file's flash regions (`ffm-sim
 * --flash-layout OUT.h`): for each, its Driver_FLASHn and geometry as FLASH_<REGION>_*
 * macros, and for the region owned by TFM_SP_ITS (TFM_SP_PS) the TFM_HAL_ITS_* (TFM_HAL_PS_*)
 * names TF-M's storage partitions take from a target's flash_layout.h. So the geometry is
 * written once, in the platform file (docs/tfm-partitions.md).
 */
#ifndef FFM_SIM_FLASH_LAYOUT_H
#define FFM_SIM_FLASH_LAYOUT_H

#include <stdio.h>

#include "platform_file.h"

/* Write the header to `out`. Returns 0, or -1 when a write failed. */
int platform_flash_layout_write(const struct platform_file *pf, FILE *out);

#endif /* FFM_SIM_FLASH_LAYOUT_H */
