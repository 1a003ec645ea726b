/*
 * tfm-compat/tfm_compat_log.h - what the TF-M logging names of this directory map to: one
 * line through ffm_platform_log (include/ffmsim/platform.h), attributed by ffm-sim to the
 * calling partition and filtered by `ffm-sim --log`. TF-M's messages end in "\n"; the line
 * already does, so one trailing newline is dropped. Levels: TF-M's ERROR -> FFM_LOG_ERROR,
 * NOTICE and WARNING -> FFM_LOG_WARN, INFO -> FFM_LOG_INFO, VERBOSE -> FFM_LOG_DEBUG.
 */
#ifndef FFMSIM_TFM_COMPAT_LOG_H
#define FFMSIM_TFM_COMPAT_LOG_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ffmsim/platform.h"

/* TF-M's log levels (the values TF-M's builds use, so LOG_LEVEL_UNPRIV comparisons agree). */
#ifndef LOG_LEVEL_NONE
#define LOG_LEVEL_NONE UINT8_C(0)
#define LOG_LEVEL_ERROR UINT8_C(10)
#define LOG_LEVEL_NOTICE UINT8_C(20)
#define LOG_LEVEL_WARNING UINT8_C(30)
#define LOG_LEVEL_INFO UINT8_C(40)
#define LOG_LEVEL_VERBOSE UINT8_C(50)
#endif

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
static inline void ffm_tfm_log(int level, const char *fmt, ...)
{
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    size_t n = strlen(line);
    if (n > 0 && line[n - 1] == '\n') {
        line[n - 1] = '\0';
    }
    ffm_platform_log(level, "%s", line);
}

#endif /* FFMSIM_TFM_COMPAT_LOG_H */
