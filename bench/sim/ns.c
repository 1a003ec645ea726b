/*
 * ns.c - the ffm-sim benchmark (make bench), run as the NS application.
 *
 * It measures the floor in the same process and run as the candidates: a two-thread
 * semaphore ping-pong (the cost of one handoff between host threads, there and back) and a
 * direct function call doing the echo's copy. Every round times each measurement once, in
 * the same order, so slow phases of a shared machine hit every row alike; rows report the
 * median, minimum and maximum over the rounds, and the median of the per-round ratios to the
 * floor. Throughput rows drive 1, 2, 4 and 8 NS threads (created once, parked in
 * BENCH_PARK_SP between measurements) against 1 and 4 IPC partitions. The floor's threads
 * inherit ffm-sim's CPU and scheduling policy, so floor and candidates run alike.
 *
 * Environment: FFM_BENCH_ROUNDS (default 7, at least 3), FFM_BENCH_CSV (a file that gets one
 * line per row and round). Prints a Markdown table and the targets, met or missed; never
 * fails on a missed target (figures from a shared machine are noisy), only on a wrong reply.
 */
#define _DEFAULT_SOURCE 1
#define _DARWIN_C_SOURCE 1
#include <ffmsim/ns.h>
#include <psa/client.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#if !defined(__APPLE__)
#include <semaphore.h>
#endif

#include "psa_manifest/sid.h"

int ns_main(void);

#define MAX_ROUNDS 31
#define N_WORKERS 8
#define CTRL_RELEASE 1
#define CTRL_WAIT 2
#define QUIT 1

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int failed;

static void fail(const char *what, long got)
{
    if (!failed) {
        printf("bench: %s: unexpected result %ld\n", what, got);
    }
    failed = 1;
}

/* ---------------------------------------------------------------- the floor */

/* A semaphore between two host threads (no unnamed POSIX semaphores on macOS). */
struct bsem {
#if defined(__APPLE__)
    pthread_mutex_t mu;
    pthread_cond_t cv;
    unsigned count;
#else
    sem_t sem;
#endif
};

static void bsem_init(struct bsem *s)
{
#if defined(__APPLE__)
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    s->count = 0;
#else
    sem_init(&s->sem, 0, 0);
#endif
}

static void bsem_destroy(struct bsem *s)
{
#if defined(__APPLE__)
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
#else
    sem_destroy(&s->sem);
#endif
}

static void bsem_post(struct bsem *s)
{
#if defined(__APPLE__)
    pthread_mutex_lock(&s->mu);
    s->count++;
    pthread_mutex_unlock(&s->mu);
    pthread_cond_signal(&s->cv);
#else
    sem_post(&s->sem);
#endif
}

static void bsem_wait(struct bsem *s)
{
#if defined(__APPLE__)
    pthread_mutex_lock(&s->mu);
    while (s->count == 0) {
        pthread_cond_wait(&s->cv, &s->mu);
    }
    s->count--;
    pthread_mutex_unlock(&s->mu);
#else
    while (sem_wait(&s->sem) != 0) {
    }
#endif
}

struct pingpong {
    struct bsem ping, pong;
    unsigned n;
};

/* The other host thread of the ping-pong: it makes no PSA call. */
static void *ponger(void *arg)
{
    struct pingpong *pp = arg;
    for (unsigned i = 0; i < pp->n; i++) {
        bsem_wait(&pp->ping);
        bsem_post(&pp->pong);
    }
    return NULL;
}

static double floor_pingpong(unsigned n)
{
    struct pingpong pp;
    bsem_init(&pp.ping);
    bsem_init(&pp.pong);
    pp.n = n;
    pthread_t t;
    if (pthread_create(&t, NULL, ponger, &pp) != 0) {
        fail("pthread_create", 0);
        return 0.0;
    }
    double t0 = now_us();
    for (unsigned i = 0; i < n; i++) {
        bsem_post(&pp.ping);
        bsem_wait(&pp.pong);
    }
    double us = (now_us() - t0) / n;
    pthread_join(t, NULL);
    bsem_destroy(&pp.ping);
    bsem_destroy(&pp.pong);
    return us;
}

static size_t direct_echo(void *out, const void *in, size_t len)
{
    memcpy(out, in, len);
    return len;
}

/* volatile: the call is made, not inlined away */
static size_t (*volatile direct_fn)(void *, const void *, size_t) = direct_echo;

static double floor_call(unsigned n)
{
    char in[16] = "0123456789abcde", out[16];
    double t0 = now_us();
    for (unsigned i = 0; i < n; i++) {
        if (direct_fn(out, in, sizeof in) != sizeof in) {
            fail("direct call", 0);
        }
    }
    return (now_us() - t0) / n;
}

/* ---------------------------------------------------------------- round trips */

static const char msg16[16] = "0123456789abcde";

static void call16(psa_handle_t h, const char *what)
{
    char out[16];
    psa_invec in = { msg16, sizeof msg16 };
    psa_outvec ov = { out, sizeof out };
    psa_status_t st = psa_call(h, 0, &in, 1, &ov, 1);
    if (st != (psa_status_t)sizeof msg16) {
        fail(what, st);
    }
}

static double time_call16(psa_handle_t h, unsigned n, const char *what)
{
    double t0 = now_us();
    for (unsigned i = 0; i < n; i++) {
        call16(h, what);
    }
    return (now_us() - t0) / n;
}

static double sfn_16(unsigned n)
{
    return time_call16(BENCH_SFN_HANDLE, n, "SFN stateless call");
}

static double ipc_16(unsigned n)
{
    return time_call16(BENCH_IPC_HANDLE, n, "IPC stateless call");
}

static double ipc_novec(unsigned n)
{
    double t0 = now_us();
    for (unsigned i = 0; i < n; i++) {
        psa_status_t st = psa_call(BENCH_IPC_HANDLE, 0, NULL, 0, NULL, 0);
        if (st != 0) {
            fail("IPC call with no vectors", st);
        }
    }
    return (now_us() - t0) / n;
}

static psa_handle_t open_conn;

static double conn_call(unsigned n)
{
    return time_call16(open_conn, n, "call on an open connection");
}

static double conn_ccc(unsigned n)
{
    double t0 = now_us();
    for (unsigned i = 0; i < n; i++) {
        psa_handle_t h = psa_connect(BENCH_SFN_CONN_SID, BENCH_SFN_CONN_VERSION);
        if (h <= 0) {
            fail("psa_connect", h);
            break;
        }
        call16(h, "connect + call + close");
        psa_close(h);
    }
    return (now_us() - t0) / n;
}

/* ---------------------------------------------------------------- NS threads */

static unsigned job_calls;  /* per released worker */
static unsigned job_parts;  /* partitions the workers spread over */
static unsigned job_next;   /* next worker's partition */

static const psa_handle_t echo_handles[4] = { BENCH_IPC_HANDLE, BENCH_IPC2_HANDLE,
                                              BENCH_IPC3_HANDLE, BENCH_IPC4_HANDLE };

static void ctrl(int32_t type, uint32_t a, uint32_t b)
{
    psa_invec in[2] = { { &a, sizeof a }, { &b, sizeof b } };
    psa_status_t st = psa_call(BENCH_CTRL_HANDLE, type, in, 2, NULL, 0);
    if (st != PSA_SUCCESS) {
        fail("BENCH_CTRL", st);
    }
}

/* Parked until released; then the job of the round, then parked again. Only one simulated
 * thread runs at a time, so the job variables need no lock. */
static int worker(void *arg)
{
    (void)arg;
    for (;;) {
        psa_status_t st = psa_call(BENCH_PARK_HANDLE, 0, NULL, 0, NULL, 0);
        if (st == QUIT) {
            return 0;
        }
        if (st != PSA_SUCCESS) {
            fail("BENCH_PARK", st);
            return 1;
        }
        psa_handle_t h = echo_handles[job_next++ % job_parts];
        for (unsigned i = 0; i < job_calls; i++) {
            call16(h, "NS worker call");
        }
    }
}

/* calls/s for `threads` workers against `parts` partitions, `total` calls in all. */
static double throughput(unsigned threads, unsigned parts, unsigned total)
{
    job_calls = total / threads;
    job_parts = parts;
    job_next = 0;
    double t0 = now_us();
    ctrl(CTRL_RELEASE, threads, PSA_SUCCESS);
    ctrl(CTRL_WAIT, N_WORKERS, 0);
    return (double)(job_calls * threads) / ((now_us() - t0) / 1e6);
}

/* ---------------------------------------------------------------- statistics */

struct row {
    const char *name;
    const char *unit;             /* "us" or "calls/s" */
    double (*fn)(unsigned n);     /* latency rows */
    unsigned n;
    unsigned threads, parts;      /* throughput rows */
    const char *target;           /* printed with the row */
    double v[MAX_ROUNDS];
    double ratio[MAX_ROUNDS];     /* to the floor (us) or to 1 thread (calls/s) */
};

static struct row rows[] = {
    { "semaphore ping-pong (floor)", "us", floor_pingpong, 20000, 0, 0, "", {0}, {0} },
    { "direct function call (16 B copy)", "us", floor_call, 2000000, 0, 0, "", {0}, {0} },
    { "SFN stateless 16 B echo", "us", sfn_16, 20000, 0, 0, "<= 0.5x floor", {0}, {0} },
    { "IPC stateless 16 B echo", "us", ipc_16, 20000, 0, 0, "<= 1.5x floor", {0}, {0} },
    { "IPC call with no vectors", "us", ipc_novec, 20000, 0, 0, "<= 1.2x floor", {0}, {0} },
    { "SFN call on an open connection", "us", conn_call, 20000, 0, 0, "", {0}, {0} },
    { "SFN connect + call + close", "us", conn_ccc, 5000, 0, 0, "", {0}, {0} },
    { "1 NS thread, 1 partition", "calls/s", NULL, 8000, 1, 1, "", {0}, {0} },
    { "2 NS threads, 1 partition", "calls/s", NULL, 8000, 2, 1, "", {0}, {0} },
    { "4 NS threads, 1 partition", "calls/s", NULL, 8000, 4, 1, "", {0}, {0} },
    { "8 NS threads, 1 partition", "calls/s", NULL, 8000, 8, 1, ">= 0.9x 1 thread", {0}, {0} },
    { "1 NS thread, 4 partitions", "calls/s", NULL, 8000, 1, 4, "", {0}, {0} },
    { "2 NS threads, 4 partitions", "calls/s", NULL, 8000, 2, 4, "", {0}, {0} },
    { "4 NS threads, 4 partitions", "calls/s", NULL, 8000, 4, 4, "", {0}, {0} },
    { "8 NS threads, 4 partitions", "calls/s", NULL, 8000, 8, 4, ">= 0.9x 1 thread", {0}, {0} },
};

#define N_ROWS (sizeof rows / sizeof rows[0])
#define ROW_FLOOR 0
#define ROW_SFN 2
#define ROW_CCC 6

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(const double *v, unsigned n)
{
    double s[MAX_ROUNDS];
    memcpy(s, v, n * sizeof s[0]);
    qsort(s, n, sizeof s[0], cmp_double);
    return n % 2 != 0 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
}

static double min_of(const double *v, unsigned n)
{
    double m = v[0];
    for (unsigned i = 1; i < n; i++) {
        m = v[i] < m ? v[i] : m;
    }
    return m;
}

static double max_of(const double *v, unsigned n)
{
    double m = v[0];
    for (unsigned i = 1; i < n; i++) {
        m = v[i] > m ? v[i] : m;
    }
    return m;
}

/* One round: every row once, in table order; ratios against this round's references. */
static void run_round(unsigned r)
{
    for (size_t i = 0; i < N_ROWS; i++) {
        struct row *w = &rows[i];
        w->v[r] = w->fn != NULL ? w->fn(w->n) : throughput(w->threads, w->parts, w->n);
    }
    for (size_t i = 0; i < N_ROWS; i++) {
        struct row *w = &rows[i];
        if (w->fn != NULL) {
            w->ratio[r] = w->v[r] / rows[ROW_FLOOR].v[r];
        } else {
            const struct row *one = w->parts == 1 ? &rows[7] : &rows[11];
            w->ratio[r] = w->v[r] / one->v[r];
        }
    }
}

static void write_csv(const char *path, unsigned rounds)
{
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        printf("bench: cannot write %s\n", path);
        failed = 1;
        return;
    }
    fprintf(f, "round,measurement,unit,value,ratio,ratio_to\n");
    for (unsigned r = 0; r < rounds; r++) {
        for (size_t i = 0; i < N_ROWS; i++) {
            const struct row *w = &rows[i];
            fprintf(f, "%u,%s,%s,%.3f,%.3f,%s\n", r + 1, w->name, w->unit, w->v[r], w->ratio[r],
                    w->fn != NULL ? "floor" : "1 thread");
        }
    }
    fclose(f);
}

static void print_table(unsigned rounds)
{
    printf("| Measurement | median | min | max | ratio | target |\n");
    printf("|---|---:|---:|---:|---:|---|\n");
    for (size_t i = 0; i < N_ROWS; i++) {
        const struct row *w = &rows[i];
        const char *fmt = w->fn != NULL ? "| %s | %.2f us | %.2f | %.2f | %.2fx %s | %s |\n"
                                        : "| %s | %.0f calls/s | %.0f | %.0f | %.2fx %s | %s |\n";
        printf(fmt, w->name, median(w->v, rounds), min_of(w->v, rounds), max_of(w->v, rounds),
               median(w->ratio, rounds), w->fn != NULL ? "floor" : "1 thread", w->target);
    }
}

static void print_targets(unsigned rounds)
{
    struct { const char *what; double got, limit; int at_most; } t[] = {
        { "SFN stateless 16 B round trip / floor", median(rows[ROW_SFN].ratio, rounds), 0.5, 1 },
        { "IPC stateless 16 B round trip / floor", median(rows[3].ratio, rounds), 1.5, 1 },
        { "IPC call with no vectors / floor", median(rows[4].ratio, rounds), 1.2, 1 },
        { "8 NS threads / 1 thread, 1 partition", median(rows[10].ratio, rounds), 0.9, 0 },
        { "8 NS threads / 1 thread, 4 partitions", median(rows[14].ratio, rounds), 0.9, 0 },
        { "SFN connect+call+close / stateless call",
          median(rows[ROW_CCC].v, rounds) / median(rows[ROW_SFN].v, rounds), 2.5, 0 },
    };
    printf("\nTargets (medians over %u rounds; reported, not asserted):\n", rounds);
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        int met = t[i].at_most ? t[i].got <= t[i].limit : t[i].got >= t[i].limit;
        printf("  %-42s %6.2fx  (target %s %.1fx)  %s\n", t[i].what, t[i].got,
               t[i].at_most ? "<=" : ">=", t[i].limit, met ? "met" : "MISSED");
    }
}

int ns_main(void)
{
    const char *env = getenv("FFM_BENCH_ROUNDS");
    unsigned rounds = env != NULL ? (unsigned)strtoul(env, NULL, 10) : 7u;
    rounds = rounds < 3 ? 3 : rounds > MAX_ROUNDS ? MAX_ROUNDS : rounds;
    open_conn = psa_connect(BENCH_SFN_CONN_SID, BENCH_SFN_CONN_VERSION);
    if (open_conn <= 0) {
        fail("psa_connect", open_conn);
        return 1;
    }
    ffm_ns_thread_t workers[N_WORKERS];
    for (int i = 0; i < N_WORKERS; i++) {
        if (ffm_ns_thread_create(&workers[i], -2 - i, worker, NULL) != FFM_NS_OK) {
            fail("ffm_ns_thread_create", i);
            return 1;
        }
    }
    ctrl(CTRL_WAIT, N_WORKERS, 0);
    for (unsigned r = 0; r < rounds && !failed; r++) {
        run_round(r);
    }
    ctrl(CTRL_RELEASE, N_WORKERS, QUIT);
    for (int i = 0; i < N_WORKERS; i++) {
        int ret = 0;
        ffm_ns_thread_join(workers[i], &ret);
    }
    psa_close(open_conn);
    if (failed) {
        return 1;
    }
    print_table(rounds);
    print_targets(rounds);
    const char *csv = getenv("FFM_BENCH_CSV");
    if (csv != NULL) {
        write_csv(csv, rounds);
        printf("\nEvery round: %s\n", csv);
    }
    return failed;
}
