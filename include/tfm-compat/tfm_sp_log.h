/*
 * tfm-compat/tfm_sp_log.h - the LOG_*FMT logging names of TF-M partitions (its secure
 * partition log header), mapped onto ffm_platform_log (tfm_compat_log.h).
 */
#ifndef FFMSIM_TFM_COMPAT_SP_LOG_H
#define FFMSIM_TFM_COMPAT_SP_LOG_H

#include "tfm_compat_log.h"

#define LOG_ERRFMT(...) ffm_tfm_log(FFM_LOG_ERROR, __VA_ARGS__)
#define LOG_WRNFMT(...) ffm_tfm_log(FFM_LOG_WARN, __VA_ARGS__)
#define LOG_INFFMT(...) ffm_tfm_log(FFM_LOG_INFO, __VA_ARGS__)
#define LOG_DBGFMT(...) ffm_tfm_log(FFM_LOG_DEBUG, __VA_ARGS__)

#endif /* FFMSIM_TFM_COMPAT_SP_LOG_H */
