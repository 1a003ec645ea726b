/* tfm_log_unpriv.h (ffmsim shim for TF-M's tests) - a partition's unprivileged log, as TF-M's
 * test partitions use it: a level marker string glued to the format, then printf arguments.
 * On the host the marker is dropped and the text goes to stdout, where the test runner reads
 * the framework's result lines. Written for ffmsim; not TF-M's header. */
#ifndef FFMSIM_SHIM_TFM_LOG_UNPRIV_H
#define FFMSIM_SHIM_TFM_LOG_UNPRIV_H

#include <stdio.h>

/* Markers are empty strings: "" "fmt" concatenates to "fmt". */
#define LOG_MARKER_RAW ""
#define LOG_MARKER_ERROR ""
#define LOG_MARKER_WARN ""
#define LOG_MARKER_NOTICE ""
#define LOG_MARKER_INFO ""
#define LOG_MARKER_VERBOSE ""
#define LOG_MARKER_DEBUG ""

#define tfm_log_unpriv(...) ((void)printf(__VA_ARGS__))

#define ERROR_UNPRIV(...) tfm_log_unpriv(__VA_ARGS__)
#define ERROR_UNPRIV_RAW(...) tfm_log_unpriv(__VA_ARGS__)
#define WARN_UNPRIV(...) tfm_log_unpriv(__VA_ARGS__)
#define WARN_UNPRIV_RAW(...) tfm_log_unpriv(__VA_ARGS__)
#define NOTICE_UNPRIV(...) tfm_log_unpriv(__VA_ARGS__)
#define INFO_UNPRIV(...) tfm_log_unpriv(__VA_ARGS__)
#define INFO_UNPRIV_RAW(...) tfm_log_unpriv(__VA_ARGS__)
#define VERBOSE_UNPRIV(...) ((void)0)
#define VERBOSE_UNPRIV_RAW(...) ((void)0)

#endif
