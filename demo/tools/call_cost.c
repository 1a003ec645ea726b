/*
 * call_cost.c - what one use of a service costs the NS application, read from an ffm-sim
 * trace (`make run-migration` prints it before and after the migration):
 *
 *     call_cost TRACE.json SID [STATELESS_HANDLE]
 *
 * A use is either a psa_connect(SID) + the psa_calls on its handle + its psa_close (every NS
 * API slice of the sequence, summed), or one psa_call on STATELESS_HANDLE. The slices are the
 * time each call spent behind the secure gateway on the NS track (tid >= 100), host time.
 * Prints one line: uses, mean and median microseconds per use, API calls per use. Exit 0, 1 if
 * the trace cannot be read or shows no use, 2 on bad usage.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_USES 65536u
#define MAX_OPEN 64u
#define NS_TID_FIRST 100

struct open_conn {
    unsigned long long handle;
    double cost_us;
    unsigned calls;
};

struct tally {
    double cost_us[MAX_USES];
    size_t n;
    unsigned long long api_calls;
    struct open_conn open[MAX_OPEN];
    size_t n_open;
};

/* The text after `"key":` in line, or NULL. */
static const char *field(const char *line, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = strstr(line, pat);
    return p != NULL ? p + strlen(pat) : NULL;
}

static bool num_field(const char *line, const char *key, double *v)
{
    const char *p = field(line, key);
    return p != NULL && sscanf(p, "%lf", v) == 1;
}

/* "0x..." string fields (handles, SIDs), or plain integers (results). */
static bool hex_field(const char *line, const char *key, unsigned long long *v)
{
    const char *p = field(line, key);
    return p != NULL && sscanf(p, "\"0x%llx\"", v) == 1;
}

static void add_use(struct tally *t, double cost_us, unsigned calls)
{
    if (t->n < MAX_USES) {
        t->cost_us[t->n++] = cost_us;
        t->api_calls += calls;
    }
}

static struct open_conn *find_open(struct tally *t, unsigned long long handle)
{
    for (size_t i = 0; i < t->n_open; i++) {
        if (t->open[i].handle == handle) {
            return &t->open[i];
        }
    }
    return NULL;
}

/* One NS psa_* slice of the trace. */
static void account(struct tally *t, const char *line, unsigned long long sid,
                    unsigned long long sl_handle, double dur)
{
    unsigned long long v = 0;
    double result = 0;
    bool connect = strstr(line, "{\"name\":\"psa_connect\"") != NULL;
    bool call = strstr(line, "{\"name\":\"psa_call\"") != NULL;
    bool close = strstr(line, "{\"name\":\"psa_close\"") != NULL;

    if (connect && hex_field(line, "sid", &v) && v == sid && num_field(line, "result", &result) &&
        result > 0 && t->n_open < MAX_OPEN) {
        t->open[t->n_open++] = (struct open_conn){ .handle = (unsigned long long)result,
                                                   .cost_us = dur, .calls = 1 };
        return;
    }
    if (!(call || close) || !hex_field(line, "handle", &v)) {
        return;
    }
    if (call && sl_handle != 0 && v == sl_handle) {
        add_use(t, dur, 1);
        return;
    }
    struct open_conn *c = find_open(t, v);
    if (c == NULL) {
        return;
    }
    c->cost_us += dur;
    c->calls++;
    if (close) {
        add_use(t, c->cost_us, c->calls);
        *c = t->open[--t->n_open];
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    static struct tally t;
    static char line[8192];
    if (argc < 3 || argc > 4) {
        fputs("usage: call_cost TRACE.json SID [STATELESS_HANDLE]\n", stderr);
        return 2;
    }
    unsigned long long sid = strtoull(argv[2], NULL, 0);
    unsigned long long sl = argc == 4 ? strtoull(argv[3], NULL, 0) : 0;
    FILE *f = fopen(argv[1], "r");
    if (f == NULL) {
        perror(argv[1]);
        return 1;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        double tid = 0, dur = 0;
        if (strstr(line, "\"cat\":\"psa\",\"ph\":\"X\"") != NULL &&
            num_field(line, "tid", &tid) && tid >= NS_TID_FIRST && num_field(line, "dur", &dur)) {
            account(&t, line, sid, sl, dur);
        }
    }
    fclose(f);
    if (t.n == 0) {
        fprintf(stderr, "call_cost: %s: no use of SID 0x%llx on the NS track\n", argv[1], sid);
        return 1;
    }
    double sum = 0;
    for (size_t i = 0; i < t.n; i++) {
        sum += t.cost_us[i];
    }
    qsort(t.cost_us, t.n, sizeof(double), cmp_double);
    printf("%zu uses, %.1f us per use (mean), %.1f us (median), %.1f API calls per use\n", t.n,
           sum / (double)t.n, t.cost_us[t.n / 2], (double)t.api_calls / (double)t.n);
    return 0;
}
