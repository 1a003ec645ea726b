/*
 * trace.c - Chrome trace-event JSON records, written so that the file stays valid JSON however
 * the simulated system ends (see trace.h for the file shape and who writes what).
 */
#include "trace.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NAME_MAX_BYTES 96u   /* event names, categories, keys */
#define VALUE_MAX_BYTES 240u /* string argument values (reasons) */
#define DRAIN_MAX_BYTES (64u * 1024u) /* per drain call, so a chatty child cannot starve it */

static const char header[] = "{\"traceEvents\":[\n";
static const char footer[] = "],\"displayTimeUnit\":\"ms\"}\n";

/* ------------------------------------------------------------------ JSON formatting */

/* A bounded output buffer; `overflow` records that something did not fit. */
struct jbuf {
    char *buf;
    size_t size;
    size_t len;
    bool overflow;
};

static void jb_bytes(struct jbuf *b, const char *s, size_t n)
{
    if (b->overflow || b->len + n >= b->size) {
        b->overflow = true;
        return;
    }
    memcpy(b->buf + b->len, s, n);
    b->len += n;
    b->buf[b->len] = '\0';
}

static void jb_raw(struct jbuf *b, const char *s)
{
    jb_bytes(b, s, strlen(s));
}

static void jb_fmt(struct jbuf *b, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void jb_fmt(struct jbuf *b, const char *fmt, ...)
{
    char tmp[64];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof(tmp)) {
        b->overflow = true;
        return;
    }
    jb_bytes(b, tmp, (size_t)n);
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if the bytes are not valid UTF-8. */
static size_t utf8_sequence_length(const unsigned char *s)
{
    size_t n, i;

    if (s[0] < 0x80) {
        return 1;
    }
    if (s[0] >= 0xC2 && s[0] <= 0xDF) {
        n = 2;
    } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        n = 3;
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        n = 4;
    } else {
        return 0;
    }
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            return 0;
        }
    }
    return n;
}

/* Escape one character (or UTF-8 sequence) of s; returns how many source bytes it used. */
static size_t jb_escape_one(struct jbuf *b, const unsigned char *s)
{
    size_t n = utf8_sequence_length(s);

    if (n == 0) {
        jb_raw(b, "\\ufffd"); /* invalid UTF-8 would make the whole file unparsable */
        return 1;
    }
    if (n > 1) {
        jb_bytes(b, (const char *)s, n);
    } else if (*s == '"' || *s == '\\') {
        char esc[2] = { '\\', (char)*s };
        jb_bytes(b, esc, 2);
    } else if (*s == '\n') {
        jb_raw(b, "\\n");
    } else if (*s == '\t') {
        jb_raw(b, "\\t");
    } else if (*s < 0x20 || *s == 0x7F) {
        jb_fmt(b, "\\u%04x", (unsigned)*s);
    } else {
        jb_bytes(b, (const char *)s, 1);
    }
    return n;
}

/* A JSON string from at most max_bytes of s, cut between characters. NULL gives "". */
static void jb_string(struct jbuf *b, const char *s, size_t max_bytes)
{
    const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
    size_t used = 0;

    jb_raw(b, "\"");
    while (p[used] != '\0' && used < max_bytes && !b->overflow) {
        size_t n = utf8_sequence_length(p + used);

        if (used + (n != 0 ? n : 1) > max_bytes) {
            break;
        }
        used += jb_escape_one(b, p + used);
    }
    jb_raw(b, "\"");
}

static void jb_key(struct jbuf *b, const char *key)
{
    jb_string(b, key, NAME_MAX_BYTES);
    jb_raw(b, ":");
}

/* Microseconds with nanosecond precision, as Chrome's "ts"/"dur" expect. */
static void jb_micros(struct jbuf *b, uint64_t ns)
{
    jb_fmt(b, "%llu.%03u", (unsigned long long)(ns / 1000u), (unsigned)(ns % 1000u));
}

static void jb_arg_value(struct jbuf *b, const struct ffm_trace_arg *arg)
{
    switch (arg->type) {
    case FFM_TARG_INT:
        jb_fmt(b, "%lld", arg->num);
        break;
    case FFM_TARG_HEX:
        jb_fmt(b, "\"0x%llx\"", arg->hex);
        break;
    case FFM_TARG_STR:
    default:
        jb_string(b, arg->str, VALUE_MAX_BYTES);
        break;
    }
}

static void jb_args(struct jbuf *b, const struct ffm_trace_arg *args, size_t n_args)
{
    size_t i;

    jb_raw(b, ",\"args\":{");
    for (i = 0; i < n_args; i++) {
        if (i > 0) {
            jb_raw(b, ",");
        }
        jb_key(b, args[i].key);
        jb_arg_value(b, &args[i]);
    }
    jb_raw(b, "}");
}

static void jb_event_head(struct jbuf *b, const struct ffm_trace_event *ev, uint64_t origin_ns)
{
    char ph[2] = { ev->ph, '\0' };

    jb_raw(b, "{\"name\":");
    jb_string(b, ev->name, NAME_MAX_BYTES);
    if (ev->cat != NULL) {
        jb_raw(b, ",\"cat\":");
        jb_string(b, ev->cat, NAME_MAX_BYTES);
    }
    jb_raw(b, ",\"ph\":");
    jb_string(b, ph, 1);
    if (ev->ph != 'M') {
        jb_raw(b, ",\"ts\":");
        jb_micros(b, ev->ts_ns > origin_ns ? ev->ts_ns - origin_ns : 0);
    }
    if (ev->ph == 'X') {
        jb_raw(b, ",\"dur\":");
        jb_micros(b, ev->dur_ns);
    }
    if (ev->ph == 'i') {
        jb_raw(b, ev->scope == 'g' ? ",\"s\":\"g\"" : ",\"s\":\"t\"");
    }
    if (ev->ph == 'b' || ev->ph == 'e') {
        jb_fmt(b, ",\"id\":\"0x%llx\"", ev->id);
    }
    jb_fmt(b, ",\"pid\":%d,\"tid\":%d", FFM_TRACE_PID, ev->tid);
}

int ffm_trace_format(char *buf, size_t size, const struct ffm_trace_event *ev,
                     uint64_t origin_ns)
{
    struct jbuf b = { buf, size, 0, false };
    size_t head_len;

    if (size == 0) {
        return -1;
    }
    buf[0] = '\0';
    jb_event_head(&b, ev, origin_ns);
    head_len = b.len;
    jb_args(&b, ev->args, ev->n_args);
    jb_raw(&b, "}");
    if (b.overflow) {
        /* Drop the args rather than the event: the slice or instant still shows. */
        b.overflow = false;
        b.len = head_len;
        buf[head_len] = '\0';
        jb_raw(&b, ",\"args\":{\"truncated\":true}}");
    }
    return b.overflow ? -1 : (int)b.len;
}

/* ------------------------------------------------------------------ file and pipe I/O */

uint64_t ffm_trace_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void ffm_trace_use_sim_clock(struct ffm_trace *t, _Atomic unsigned long long *shared)
{
    if (t == NULL) {
        return;
    }
    t->sim_clock = true;
    t->origin_ns = 0;
    t->vt = shared != NULL ? shared : &t->vt_local;
    atomic_store(t->vt, 0);
}

void ffm_trace_sim_boot(struct ffm_trace *t, uint64_t (*now_ns)(void *arg), void *arg)
{
    if (t == NULL || !t->sim_clock) {
        return;
    }
    t->sim_now = now_ns;
    t->sim_arg = arg;
    t->sim_base = (uint64_t)atomic_load(t->vt) + 1u; /* a boot starts after what came before */
}

uint64_t ffm_trace_time(struct ffm_trace *t)
{
    if (t == NULL || !t->sim_clock) {
        return ffm_trace_now_ns();
    }
    uint64_t want = t->sim_now != NULL ? t->sim_base + t->sim_now(t->sim_arg) : 0;
    uint64_t last = (uint64_t)atomic_load(t->vt);
    uint64_t v = want > last ? want : last + 1u; /* strictly increasing: order is kept */
    atomic_store(t->vt, (unsigned long long)v);
    return v;
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* One record = one write(2) of ",{...}\n", at most FFM_TRACE_RECORD_MAX bytes: atomic on a pipe
 * (<= PIPE_BUF) and on an O_APPEND file. */
static int write_record(struct ffm_trace *t, const struct ffm_trace_event *ev, bool first)
{
    char rec[FFM_TRACE_RECORD_MAX];
    size_t prefix = first ? 0 : 1;
    int len = ffm_trace_format(rec + prefix, sizeof(rec) - prefix - 1, ev, t->origin_ns);
    ssize_t n;

    if (len < 0) {
        return -1;
    }
    if (!first) {
        rec[0] = ',';
    }
    rec[prefix + (size_t)len] = '\n';
    do {
        n = write(t->out_fd, rec, prefix + (size_t)len + 1);
    } while (n < 0 && errno == EINTR);
    return n == (ssize_t)(prefix + (size_t)len + 1) ? 0 : -1;
}

int ffm_trace_emit(struct ffm_trace *t, const struct ffm_trace_event *ev)
{
    if (t == NULL || !t->open) {
        return 0;
    }
    return write_record(t, ev, false);
}

static int name_metadata(struct ffm_trace *t, const char *kind, int tid, const char *name,
                         bool first)
{
    struct ffm_trace_arg arg = FFM_TARG_S("name", name);
    struct ffm_trace_event ev = { .name = kind, .ph = 'M', .tid = tid, .args = &arg,
                                  .n_args = 1 };

    return write_record(t, &ev, first);
}

int ffm_trace_open(struct ffm_trace *t, const char *path, char *err, size_t err_size)
{
    memset(t, 0, sizeof(*t));
    t->file_fd = t->out_fd = t->pipe_rd = -1;
    t->file_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
    if (t->file_fd < 0) {
        if (err != NULL && err_size > 0) {
            snprintf(err, err_size, "trace file %s: %s", path, strerror(errno));
        }
        return -1;
    }
    t->out_fd = t->file_fd;
    t->origin_ns = ffm_trace_now_ns();
    if (write_all(t->file_fd, header, sizeof(header) - 1) != 0 ||
        name_metadata(t, "process_name", FFM_TRACE_TID_GLOBAL, "ffm-sim", true) != 0 ||
        name_metadata(t, "thread_name", FFM_TRACE_TID_GLOBAL, "system", false) != 0) {
        if (err != NULL && err_size > 0) {
            snprintf(err, err_size, "trace file %s: write failed: %s", path, strerror(errno));
        }
        close(t->file_fd);
        t->file_fd = t->out_fd = -1;
        return -1;
    }
    t->open = true;
    return 0;
}

int ffm_trace_name_track(struct ffm_trace *t, int tid, const char *name)
{
    if (t == NULL || !t->open) {
        return 0;
    }
    return name_metadata(t, "thread_name", tid, name, false);
}

int ffm_trace_instant(struct ffm_trace *t, int tid, char scope, const char *name,
                      const char *cat, const struct ffm_trace_arg *args, size_t n_args)
{
    struct ffm_trace_event ev = { .name = name, .cat = cat, .ph = 'i', .scope = scope,
                                  .tid = tid, .args = args, .n_args = n_args };

    if (t == NULL || !t->open) {
        return 0;
    }
    ev.ts_ns = ffm_trace_time(t);
    return ffm_trace_emit(t, &ev);
}

int ffm_trace_slice(struct ffm_trace *t, int tid, const char *name, const char *cat,
                    uint64_t start_ns, uint64_t end_ns, const struct ffm_trace_arg *args,
                    size_t n_args)
{
    struct ffm_trace_event ev = { .name = name, .cat = cat, .ph = 'X', .tid = tid,
                                  .ts_ns = start_ns,
                                  .dur_ns = end_ns > start_ns ? end_ns - start_ns : 0,
                                  .args = args, .n_args = n_args };

    return ffm_trace_emit(t, &ev);
}

int ffm_trace_async(struct ffm_trace *t, int tid, bool begin, const char *name,
                    const char *cat, unsigned long long id, const struct ffm_trace_arg *args,
                    size_t n_args)
{
    struct ffm_trace_event ev = { .name = name, .cat = cat, .ph = begin ? 'b' : 'e', .tid = tid,
                                  .ts_ns = ffm_trace_time(t), .id = id, .args = args,
                                  .n_args = n_args };

    return ffm_trace_emit(t, &ev);
}

static void set_cloexec(int fd)
{
    int flags = fcntl(fd, F_GETFD);

    if (flags >= 0) {
        fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
    }
}

int ffm_trace_boot_begin(struct ffm_trace *t)
{
    int fds[2];

    if (t == NULL || !t->open) {
        return 0;
    }
    if (pipe(fds) != 0) {
        return -1;
    }
    set_cloexec(fds[0]);
    set_cloexec(fds[1]);
    fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
    t->pipe_rd = fds[0];
    t->out_fd = fds[1];
    t->pending_len = 0;
    t->n_open = 0; /* a new boot: what the previous one left open was ended or forgotten */
    t->untracked = 0;
    return 0;
}

void ffm_trace_after_fork_child(struct ffm_trace *t)
{
    if (t == NULL || !t->open || t->pipe_rd < 0) {
        return;
    }
    close(t->pipe_rd);
    close(t->file_fd);
    t->pipe_rd = -1;
    t->file_fd = -1; /* the child can only reach the pipe: the file is the parent's */
}

void ffm_trace_after_fork_parent(struct ffm_trace *t)
{
    if (t == NULL || !t->open || t->pipe_rd < 0) {
        return;
    }
    close(t->out_fd);
    t->out_fd = t->file_fd;
}

/* ------------------------------------------------------------------ open slices (parent) */

/* A cursor over one record as ffm_trace_format writes it: [p, end). */
struct rec_cursor {
    const char *p;
    const char *end;
};

/* Consume the literal `lit`, or fail without moving. */
static bool rc_lit(struct rec_cursor *c, const char *lit)
{
    size_t n = strlen(lit);

    if ((size_t)(c->end - c->p) < n || memcmp(c->p, lit, n) != 0) {
        return false;
    }
    c->p += n;
    return true;
}

/* Consume a JSON string as the formatter writes it (quotes included); *s and *len get its
 * bytes. Every '"' inside is escaped, so the first unescaped one closes it. */
static bool rc_string(struct rec_cursor *c, const char **s, size_t *len)
{
    const char *q = c->p;

    if (q >= c->end || *q != '"') {
        return false;
    }
    for (q++; q < c->end && *q != '"'; q++) {
        if (*q == '\\') {
            q++;
        }
    }
    if (q >= c->end) {
        return false;
    }
    *s = c->p;
    *len = (size_t)(q + 1 - c->p);
    c->p = q + 1;
    return true;
}

/* Consume the characters of `set` (a number); at least one. */
static bool rc_span(struct rec_cursor *c, const char *set)
{
    const char *start = c->p;

    while (c->p < c->end && *c->p != '\0' && strchr(set, *c->p) != NULL) {
        c->p++;
    }
    return c->p > start;
}

static bool rc_hex(struct rec_cursor *c, unsigned long long *v)
{
    const char *start = c->p;

    *v = 0;
    while (c->p < c->end && c->p - start < 16) {
        char ch = *c->p;
        unsigned d;

        if (ch >= '0' && ch <= '9') {
            d = (unsigned)(ch - '0');
        } else if (ch >= 'a' && ch <= 'f') {
            d = (unsigned)(ch - 'a') + 10u;
        } else {
            break;
        }
        *v = (*v << 4) | d;
        c->p++;
    }
    return c->p > start;
}

static bool rc_int(struct rec_cursor *c, int *v)
{
    bool neg = rc_lit(c, "-");
    long long n = 0;
    const char *start = c->p;

    while (c->p < c->end && *c->p >= '0' && *c->p <= '9' && c->p - start < 9) {
        n = n * 10 + (*c->p - '0');
        c->p++;
    }
    *v = (int)(neg ? -n : n);
    return c->p > start;
}

/* What the head of a 'b', 'e', 'B' or 'E' record says. */
struct rec_head {
    char ph;
    const char *name;
    size_t name_len;
    const char *cat;
    size_t cat_len;
    unsigned long long id;
    int tid;
};

/* Parse the head of one record line (",{...}" without the newline); false if it is not a
 * begin or an end, or not in the formatter's shape. */
static bool parse_head(const char *line, size_t len, struct rec_head *h)
{
    struct rec_cursor c = { line, line + len };

    memset(h, 0, sizeof(*h));
    rc_lit(&c, ",");
    if (!rc_lit(&c, "{\"name\":") || !rc_string(&c, &h->name, &h->name_len)) {
        return false;
    }
    if (rc_lit(&c, ",\"cat\":") && !rc_string(&c, &h->cat, &h->cat_len)) {
        return false;
    }
    if (!rc_lit(&c, ",\"ph\":\"") || c.p >= c.end) {
        return false;
    }
    h->ph = *c.p++;
    if (h->ph != 'b' && h->ph != 'e' && h->ph != 'B' && h->ph != 'E') {
        return false;
    }
    if (!rc_lit(&c, "\",\"ts\":") || !rc_span(&c, "0123456789.")) {
        return false;
    }
    if ((h->ph == 'b' || h->ph == 'e') &&
        (!rc_lit(&c, ",\"id\":\"0x") || !rc_hex(&c, &h->id) || !rc_lit(&c, "\""))) {
        return false;
    }
    return rc_lit(&c, ",\"pid\":") && rc_span(&c, "-0123456789") && rc_lit(&c, ",\"tid\":") &&
           rc_int(&c, &h->tid);
}

static bool same_async(const struct ffm_trace_open_slice *o, const struct rec_head *h)
{
    return o->ph == 'b' && o->id == h->id && o->name_len == h->name_len &&
           o->cat_len == h->cat_len && memcmp(o->name, h->name, h->name_len) == 0 &&
           memcmp(o->cat, h->cat, h->cat_len) == 0;
}

static void forget_open(struct ffm_trace *t, size_t i)
{
    memmove(&t->open_slices[i], &t->open_slices[i + 1],
            (t->n_open - i - 1) * sizeof(t->open_slices[0]));
    t->n_open--;
}

/* Keep a begin, or forget the slice an end closes (the latest matching one). */
static void track_record(struct ffm_trace *t, const char *line, size_t len)
{
    struct ffm_trace_open_slice *o;
    struct rec_head h;
    size_t i;

    if (!parse_head(line, len, &h)) {
        return;
    }
    if (h.ph == 'e' || h.ph == 'E') {
        for (i = t->n_open; i-- > 0;) {
            o = &t->open_slices[i];
            if (h.ph == 'e' ? same_async(o, &h) : (o->ph == 'B' && o->tid == h.tid)) {
                forget_open(t, i);
                return;
            }
        }
        return; /* its begin was not kept (or is in another boot): nothing to end */
    }
    if (t->n_open == FFM_TRACE_OPEN_MAX || h.name_len > sizeof(o->name) ||
        h.cat_len > sizeof(o->cat)) {
        t->untracked++;
        return;
    }
    o = &t->open_slices[t->n_open++];
    o->ph = h.ph;
    o->tid = h.tid;
    o->id = h.id;
    o->name_len = (uint8_t)h.name_len;
    o->cat_len = (uint8_t)h.cat_len;
    memcpy(o->name, h.name, h.name_len);
    memcpy(o->cat, h.cat, h.cat_len);
}

/* Track every line of pending[0, end) (complete lines only). */
static void track_lines(struct ffm_trace *t, size_t end)
{
    size_t start = 0, i;

    for (i = 0; i < end; i++) {
        if (t->pending[i] == '\n') {
            track_record(t, t->pending + start, i - start);
            start = i + 1;
        }
    }
}

/* Copy the complete lines of `pending` into the file and keep the incomplete tail. */
static void flush_complete_lines(struct ffm_trace *t)
{
    size_t end = t->pending_len;

    while (end > 0 && t->pending[end - 1] != '\n') {
        end--;
    }
    if (end == 0) {
        if (t->pending_len == sizeof(t->pending)) {
            t->pending_len = 0; /* no record is this long: drop garbage rather than corrupt */
        }
        return;
    }
    track_lines(t, end);
    write_all(t->file_fd, t->pending, end);
    memmove(t->pending, t->pending + end, t->pending_len - end);
    t->pending_len -= end;
}

enum copy_result { COPY_EMPTY = 0, COPY_EOF, COPY_MORE };

/* Read what the pipe holds now, up to DRAIN_MAX_BYTES. */
static enum copy_result copy_available(struct ffm_trace *t)
{
    size_t total = 0;

    while (total < DRAIN_MAX_BYTES) {
        ssize_t n = read(t->pipe_rd, t->pending + t->pending_len,
                         sizeof(t->pending) - t->pending_len);

        if (n > 0) {
            t->pending_len += (size_t)n;
            total += (size_t)n;
            flush_complete_lines(t);
        } else if (n == 0) {
            return COPY_EOF;
        } else if (errno != EINTR) {
            return COPY_EMPTY;
        }
    }
    return COPY_MORE;
}

static void release_pipe(struct ffm_trace *t)
{
    close(t->pipe_rd);
    t->pipe_rd = -1;
    t->pending_len = 0; /* a child cannot leave half a record: this is empty */
}

int ffm_trace_drain(struct ffm_trace *t, int timeout_ms)
{
    struct pollfd pfd;

    if (t == NULL || !t->open || t->pipe_rd < 0) {
        return 1;
    }
    pfd.fd = t->pipe_rd;
    pfd.events = POLLIN;
    pfd.revents = 0;
    if (poll(&pfd, 1, timeout_ms) <= 0) {
        return 0;
    }
    if (copy_available(t) == COPY_EOF) {
        release_pipe(t);
        return 1;
    }
    return 0;
}

void ffm_trace_boot_end(struct ffm_trace *t)
{
    if (t == NULL || !t->open || t->pipe_rd < 0) {
        return;
    }
    while (copy_available(t) == COPY_MORE) {
    }
    release_pipe(t);
}

/* The end of an open slice: its name, cat, id and track as written in its begin. */
static int format_end(char *buf, size_t size, const struct ffm_trace *t,
                      const struct ffm_trace_open_slice *o, uint64_t ts_ns, const char *ended_by)
{
    struct jbuf b = { buf, size, 0, false };
    size_t head_len;

    buf[0] = '\0';
    jb_raw(&b, "{\"name\":");
    jb_bytes(&b, o->name, o->name_len);
    if (o->cat_len != 0) {
        jb_raw(&b, ",\"cat\":");
        jb_bytes(&b, o->cat, o->cat_len);
    }
    jb_raw(&b, o->ph == 'b' ? ",\"ph\":\"e\",\"ts\":" : ",\"ph\":\"E\",\"ts\":");
    jb_micros(&b, ts_ns > t->origin_ns ? ts_ns - t->origin_ns : 0);
    if (o->ph == 'b') {
        jb_fmt(&b, ",\"id\":\"0x%llx\"", o->id);
    }
    jb_fmt(&b, ",\"pid\":%d,\"tid\":%d", FFM_TRACE_PID, o->tid);
    head_len = b.len;
    jb_raw(&b, ",\"args\":{");
    jb_key(&b, "ended_by");
    jb_string(&b, ended_by, VALUE_MAX_BYTES);
    jb_raw(&b, "}}");
    if (b.overflow) {
        b.overflow = false;
        b.len = head_len;
        buf[head_len] = '\0';
        jb_raw(&b, ",\"args\":{\"truncated\":true}}");
    }
    return b.overflow ? -1 : (int)b.len;
}

/* Append ",<record>\n" to the file with one write. */
static int write_formatted(struct ffm_trace *t, char *rec, int len)
{
    if (len < 0) {
        return -1;
    }
    rec[0] = ',';
    rec[1 + (size_t)len] = '\n';
    return write_all(t->file_fd, rec, 2 + (size_t)len);
}

int ffm_trace_end_open_slices(struct ffm_trace *t, uint64_t ts_ns, const char *ended_by)
{
    char rec[FFM_TRACE_RECORD_MAX];
    int rc = 0;

    if (t == NULL || !t->open) {
        return 0;
    }
    ffm_trace_boot_end(t);
    while (t->n_open > 0) {
        const struct ffm_trace_open_slice *o = &t->open_slices[t->n_open - 1];

        if (write_formatted(t, rec, format_end(rec + 1, sizeof(rec) - 2, t, o, ts_ns,
                                               ended_by)) != 0) {
            rc = -1;
        }
        t->n_open--;
    }
    if (t->untracked > 0 && !t->untracked_reported) {
        struct ffm_trace_arg args[2] = {
            FFM_TARG_I("untracked", (long long)t->untracked), /* in this boot */
            FFM_TARG_I("table", FFM_TRACE_OPEN_MAX),
        };
        struct ffm_trace_event ev = { .name = "open slices not tracked", .cat = "trace",
                                      .ph = 'i', .scope = 'g', .tid = FFM_TRACE_TID_GLOBAL,
                                      .ts_ns = ts_ns, .args = args, .n_args = 2 };

        if (write_formatted(t, rec, ffm_trace_format(rec + 1, sizeof(rec) - 2, &ev,
                                                     t->origin_ns)) != 0) {
            rc = -1;
        }
        t->untracked_reported = true;
    }
    t->untracked = 0;
    return rc;
}

int ffm_trace_close(struct ffm_trace *t)
{
    int rc;

    if (t == NULL || !t->open) {
        return 0;
    }
    rc = ffm_trace_end_open_slices(t, ffm_trace_time(t), "trace closed");
    if (write_all(t->file_fd, footer, sizeof(footer) - 1) != 0) {
        rc = -1;
    }
    if (close(t->file_fd) != 0) {
        rc = -1;
    }
    t->open = false;
    t->file_fd = t->out_fd = -1;
    return rc;
}
