/*
 * tfm-compat/tfm_log_raw.h - TF-M's raw print function for partitions, as one
 * ffm_platform_log line at FFM_LOG_INFO (tfm_compat_log.h).
 */
#ifndef FFMSIM_TFM_COMPAT_LOG_RAW_H
#define FFMSIM_TFM_COMPAT_LOG_RAW_H

#include "tfm_compat_log.h"

#define tfm_log_printf(...) ffm_tfm_log(FFM_LOG_INFO, __VA_ARGS__)

#endif /* FFMSIM_TFM_COMPAT_LOG_RAW_H */
