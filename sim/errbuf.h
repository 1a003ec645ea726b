/*
 * errbuf.h - filling a caller's error buffer, the one way every sim module reports why it
 * refused something ("char *err, size_t err_len" parameters). A NULL or empty buffer means
 * the caller does not want the text.
 */
#ifndef FFM_SIM_ERRBUF_H
#define FFM_SIM_ERRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

static inline void ffm_errbuf_set(char *err, size_t len, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static inline void ffm_errbuf_set(char *err, size_t len, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL || len == 0) {
        return;
    }
    va_start(ap, fmt);
    vsnprintf(err, len, fmt, ap);
    va_end(ap);
}

#endif /* FFM_SIM_ERRBUF_H */
