/*
 * tfm-compat/tfm_log_unpriv.h - TF-M's unprivileged (partition) logging names, mapped onto
 * ffm_platform_log (tfm_compat_log.h). Every level is compiled in; `ffm-sim --log` filters.
 */
#ifndef FFMSIM_TFM_COMPAT_LOG_UNPRIV_H
#define FFMSIM_TFM_COMPAT_LOG_UNPRIV_H

#include "tfm_compat_log.h"

#define ERROR_UNPRIV(...) ffm_tfm_log(FFM_LOG_ERROR, __VA_ARGS__)
#define NOTICE_UNPRIV(...) ffm_tfm_log(FFM_LOG_WARN, __VA_ARGS__)
#define WARN_UNPRIV(...) ffm_tfm_log(FFM_LOG_WARN, __VA_ARGS__)
#define INFO_UNPRIV(...) ffm_tfm_log(FFM_LOG_INFO, __VA_ARGS__)
#define VERBOSE_UNPRIV(...) ffm_tfm_log(FFM_LOG_DEBUG, __VA_ARGS__)
/* TF-M prints these without its level marker; a line here carries no marker either. */
#define ERROR_UNPRIV_RAW(...) ERROR_UNPRIV(__VA_ARGS__)
#define NOTICE_UNPRIV_RAW(...) NOTICE_UNPRIV(__VA_ARGS__)
#define WARN_UNPRIV_RAW(...) WARN_UNPRIV(__VA_ARGS__)
#define INFO_UNPRIV_RAW(...) INFO_UNPRIV(__VA_ARGS__)
#define VERBOSE_UNPRIV_RAW(...) VERBOSE_UNPRIV(__VA_ARGS__)

#endif /* FFMSIM_TFM_COMPAT_LOG_UNPRIV_H */
