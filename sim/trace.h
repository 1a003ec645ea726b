/*
 * trace.h - the `--trace FILE.json` writer: Chrome trace-event JSON, which Perfetto and
 * chrome://tracing open.
 *
 * File shape (one record per line):
 *
 *     {"traceEvents":[
 *     {"name":"process_name","ph":"M",...}          <- written by ffm_trace_open
 *     ,{"name":"psa_call","ph":"X",...}             <- every later record starts with ','
 *     ...
 *     ],"displayTimeUnit":"ms"}                     <- written by ffm_trace_close
 *
 * Ownership: the supervising parent owns the file. It writes the header, the records of its own
 * (boots, resets, halts) and the closing bytes. The simulated system (a child process) never
 * touches the file: during a boot it writes each record with one write(2) of at most
 * FFM_TRACE_RECORD_MAX (<= PIPE_BUF) bytes into a pipe, which POSIX makes atomic, and the parent
 * copies only complete lines into the file. A child killed at any instant therefore leaves no
 * partial record, and the file is valid JSON once the parent closes it, however the run ended.
 * The parent also ends the slices a boot left open (ffm_trace_end_open_slices), so every 'b'
 * has its 'e' and every 'B' its 'E' (within the bounds of its table).
 *
 * Without a supervisor (a test program embedding the system), the records go straight to the
 * file, opened O_APPEND, one write per record.
 *
 * Timestamps are host monotonic nanoseconds (ffm_monotonic_ns), written as microseconds since
 * ffm_trace_open. All records use pid FFM_TRACE_PID; `tid` selects the track (FFM_TRACE_TID_GLOBAL
 * is the system track where boots and resets appear).
 */
#ifndef FFM_SIM_TRACE_H
#define FFM_SIM_TRACE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FFM_TRACE_RECORD_MAX 512 /* POSIX's smallest PIPE_BUF: atomic pipe writes everywhere */
#define FFM_TRACE_PID 1
#define FFM_TRACE_TID_GLOBAL 0

enum ffm_trace_arg_type { FFM_TARG_STR = 0, FFM_TARG_INT, FFM_TARG_HEX };

/* One entry of an event's "args" object. HEX values are written as "0x..." strings (handles,
 * SIDs, signals), INT as JSON numbers. */
struct ffm_trace_arg {
    const char *key;
    enum ffm_trace_arg_type type;
    const char *str;
    long long num;
    unsigned long long hex;
};

#define FFM_TARG_S(k, v) ((struct ffm_trace_arg){ .key = (k), .type = FFM_TARG_STR, .str = (v) })
#define FFM_TARG_I(k, v) ((struct ffm_trace_arg){ .key = (k), .type = FFM_TARG_INT, .num = (v) })
#define FFM_TARG_X(k, v) ((struct ffm_trace_arg){ .key = (k), .type = FFM_TARG_HEX, .hex = (v) })

struct ffm_trace_event {
    const char *name;
    const char *cat;  /* NULL: none */
    char ph;          /* 'X' slice, 'i' instant, 'M' metadata, 'B'/'E' begin/end,
                       * 'b'/'e' async begin/end (paired by cat, name and id) */
    char scope;       /* instants: 't' thread, 'g' global ('\0' means 't') */
    int tid;
    uint64_t ts_ns;   /* host monotonic time of the start */
    uint64_t dur_ns;  /* 'X' only */
    unsigned long long id; /* 'b'/'e' only: written as "id":"0x..." */
    const struct ffm_trace_arg *args;
    size_t n_args;
};

/*
 * Slices a boot left open. The parent reads the head of every record it copies from the child
 * ("name", "cat", "ph", "id", "tid", in the order ffm_trace_format writes them) and keeps each
 * async begin ('b') until its 'e' (same cat, name and id), and each 'B' until an 'E' on its
 * track (innermost first). When the boot ends, ffm_trace_end_open_slices writes the missing
 * ends. The table is fixed: a begin that does not fit (table full, or a name or category longer
 * than the slots below once escaped) is not tracked, and the trace says so once (an instant
 * "open slices not tracked" on the system track).
 */
#define FFM_TRACE_OPEN_MAX 64
#define FFM_TRACE_OPEN_NAME_MAX 112 /* bytes of the escaped JSON string, quotes included */
#define FFM_TRACE_OPEN_CAT_MAX 48

struct ffm_trace_open_slice {
    char ph;                 /* 'b' or 'B' */
    int tid;
    unsigned long long id;   /* 'b' only */
    uint8_t name_len;
    uint8_t cat_len;         /* 0: the record had no "cat" */
    char name[FFM_TRACE_OPEN_NAME_MAX]; /* as written in the record: "..." */
    char cat[FFM_TRACE_OPEN_CAT_MAX];
};

/* The writer. Copied into the child by fork; each side knows which end it holds. */
struct ffm_trace {
    bool open;
    int file_fd;      /* parent (or unsupervised) only */
    int out_fd;       /* where records go: the pipe's write end in a child, else file_fd */
    int pipe_rd;      /* parent, during a boot: the read end (non-blocking) */
    uint64_t origin_ns;
    size_t pending_len;
    char pending[2 * FFM_TRACE_RECORD_MAX]; /* parent: bytes of an incomplete line */
    /* parent: the slices of the current boot that began and have not ended (oldest first) */
    size_t n_open;
    struct ffm_trace_open_slice open_slices[FFM_TRACE_OPEN_MAX];
    unsigned untracked;       /* begins of this boot not kept (table full, name too long) */
    bool untracked_reported;  /* the trace already says so (once per file) */
    /* --trace-clock sim (ffm_trace_use_sim_clock): timestamps from the simulated clock, so
     * that two runs write the same file. `vt` is the last timestamp written, shared by the
     * supervisor and each boot's process (it points into their shared block); a boot's
     * events are at `sim_base` plus its simulated time, each at least 1 ns after the last. */
    bool sim_clock;
    _Atomic unsigned long long *vt;
    _Atomic unsigned long long vt_local; /* `vt` when nothing is shared (unsupervised) */
    uint64_t sim_base;
    uint64_t (*sim_now)(void *arg);      /* the boot's simulated ns; NULL: between boots */
    void *sim_arg;
};

/* Timestamps from the simulated clock from now on (before the first record after open);
 * `shared` is where processes share the last timestamp (NULL: this process only). */
void ffm_trace_use_sim_clock(struct ffm_trace *t, _Atomic unsigned long long *shared);
/* A boot starts (now_ns reads its simulated time) or ends (now_ns NULL). */
void ffm_trace_sim_boot(struct ffm_trace *t, uint64_t (*now_ns)(void *arg), void *arg);
/* The time of an event now: host monotonic ns, or the simulated trace clock's. */
uint64_t ffm_trace_time(struct ffm_trace *t);

/* Host monotonic time in nanoseconds (CLOCK_MONOTONIC, the clock of ffm_monotonic_ns). */
uint64_t ffm_trace_now_ns(void);

/*
 * Format one record (without the leading ',' and trailing newline) into buf. Strings are
 * escaped for JSON and cut to fit; if the record would still exceed size - 1 bytes, the args
 * are replaced by {"truncated":true}. Returns the length, or -1 if even that does not fit.
 */
int ffm_trace_format(char *buf, size_t size, const struct ffm_trace_event *ev,
                     uint64_t origin_ns);

/* Create (truncate) the file, write the header and name the process and the global track.
 * 0, or -1 with one line in err. */
int ffm_trace_open(struct ffm_trace *t, const char *path, char *err, size_t err_size);

/* Append one record. A NULL or closed writer ignores it. 0, or -1 if the write failed. */
int ffm_trace_emit(struct ffm_trace *t, const struct ffm_trace_event *ev);

/* Shorthands for the usual records. */
int ffm_trace_name_track(struct ffm_trace *t, int tid, const char *name);
int ffm_trace_instant(struct ffm_trace *t, int tid, char scope, const char *name,
                      const char *cat, const struct ffm_trace_arg *args, size_t n_args);
int ffm_trace_slice(struct ffm_trace *t, int tid, const char *name, const char *cat,
                    uint64_t start_ns, uint64_t end_ns, const struct ffm_trace_arg *args,
                    size_t n_args);
/* An async slice (ph 'b' when `begin`, else 'e'), now: Perfetto pairs the two by cat, name
 * and id, and shows them on a track of their own under the process, so they may overlap. */
int ffm_trace_async(struct ffm_trace *t, int tid, bool begin, const char *name,
                    const char *cat, unsigned long long id, const struct ffm_trace_arg *args,
                    size_t n_args);

/* Supervisor side of a boot: create the pipe before fork; after fork, each side keeps its
 * end. All are no-ops on a closed writer. 0, or -1 with errno. */
int ffm_trace_boot_begin(struct ffm_trace *t);
void ffm_trace_after_fork_child(struct ffm_trace *t);
void ffm_trace_after_fork_parent(struct ffm_trace *t);

/* Parent: wait up to timeout_ms for records from the child and copy the complete lines into the
 * file. Returns 1 when the child's end is closed (and the pipe is released), else 0. */
int ffm_trace_drain(struct ffm_trace *t, int timeout_ms);

/* Parent, once the child is reaped: copy what is left without blocking and release the pipe. */
void ffm_trace_boot_end(struct ffm_trace *t);

/*
 * Parent, when the boot has ended: copy what is left (ffm_trace_boot_end), then end every slice
 * the boot left open, innermost first, at ts_ns (the time the boot ended): an 'e' with the same
 * cat, name, id and track for a 'b', an 'E' on its track for a 'B', each with the args
 * {"ended_by": ended_by}. Also writes the "open slices not tracked" instant the first time
 * begins could not be kept. The table is then empty. 0, or -1 if a write failed.
 */
int ffm_trace_end_open_slices(struct ffm_trace *t, uint64_t ts_ns, const char *ended_by);

/* End what is still open (ffm_trace_end_open_slices, "ended_by":"trace closed"), write the
 * closing bytes and close the file. 0, or -1 if a write failed. */
int ffm_trace_close(struct ffm_trace *t);

#endif /* FFM_SIM_TRACE_H */
