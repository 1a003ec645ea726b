/*
 * fmt.c - a tiny bounded formatter for event reasons, so the core needs no stdio (it also runs
 * freestanding on a Cortex-M33). Output is always NUL-terminated and silently truncated.
 */
#include "core_internal.h"

struct fmt_out {
    char *buf;
    size_t cap; /* including the terminator */
    size_t len;
};

static void put_char(struct fmt_out *out, char c)
{
    if (out->len + 1u < out->cap) {
        out->buf[out->len] = c;
    }
    out->len++;
}

static void put_str(struct fmt_out *out, const char *s)
{
    if (s == NULL) {
        s = "(null)";
    }
    while (*s != '\0') {
        put_char(out, *s++);
    }
}

static void put_unsigned(struct fmt_out *out, uint64_t value, unsigned base)
{
    static const char digits[] = "0123456789abcdef";
    char tmp[24];
    size_t n = 0;

    do {
        tmp[n++] = digits[value % base];
        value /= base;
    } while (value != 0u);
    while (n > 0u) {
        put_char(out, tmp[--n]);
    }
}

static void put_signed(struct fmt_out *out, int64_t value)
{
    if (value < 0) {
        put_char(out, '-');
        put_unsigned(out, (uint64_t)0 - (uint64_t)value, 10u);
    } else {
        put_unsigned(out, (uint64_t)value, 10u);
    }
}

/* One conversion after '%' (and an optional 'z'); returns the number of format chars used. */
static size_t put_conversion(struct fmt_out *out, const char *f, va_list *ap)
{
    bool size_arg = (*f == 'z');
    char conv = size_arg ? f[1] : f[0];
    uint64_t u = 0;

    switch (conv) {
    case 's':
        put_str(out, va_arg(*ap, const char *));
        break;
    case 'c':
        put_char(out, (char)va_arg(*ap, int));
        break;
    case 'd':
        put_signed(out, size_arg ? (int64_t)va_arg(*ap, size_t) : (int64_t)va_arg(*ap, int));
        break;
    case 'u':
    case 'x':
        u = size_arg ? (uint64_t)va_arg(*ap, size_t) : (uint64_t)va_arg(*ap, unsigned);
        if (conv == 'x') {
            put_str(out, "0x");
        }
        put_unsigned(out, u, conv == 'x' ? 16u : 10u);
        break;
    case 'p':
        put_str(out, "0x");
        put_unsigned(out, (uint64_t)(uintptr_t)va_arg(*ap, const void *), 16u);
        break;
    default:
        put_char(out, '%');
        put_char(out, conv);
        break;
    }
    return size_arg ? 2u : 1u;
}

size_t ffm_vfmt(char *buf, size_t cap, const char *fmt, va_list ap)
{
    struct fmt_out out = { .buf = buf, .cap = cap, .len = 0u };
    va_list args;

    va_copy(args, ap);
    while (*fmt != '\0') {
        if (*fmt != '%' || fmt[1] == '\0') {
            put_char(&out, *fmt++);
        } else if (fmt[1] == '%') {
            put_char(&out, '%');
            fmt += 2;
        } else {
            fmt += 1u + put_conversion(&out, fmt + 1, &args);
        }
    }
    va_end(args);
    if (cap > 0u) {
        buf[out.len < cap ? out.len : cap - 1u] = '\0';
    }
    return out.len;
}

size_t ffm_fmt(char *buf, size_t cap, const char *fmt, ...)
{
    va_list ap;
    size_t n;

    va_start(ap, fmt);
    n = ffm_vfmt(buf, cap, fmt, ap);
    va_end(ap);
    return n;
}

void ffm_copy_bytes(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    while (n-- > 0u) {
        *d++ = *s++;
    }
}
