/*
 * report_check.c - checks that a stateless report (ffm-sim --stateless-report, its JSON) and
 * the trace of the same run agree, for the integration tests:
 *
 *     report_check TRACE.json REPORT.json
 *
 * From the trace alone it recounts, per connection-based service of the report, the
 * connections ("connection opened" records) and the calls each carried ("message queued"
 * records of type >= 0 on that connection, between its "connection opened" and "connection
 * closed"), in the order the connections opened; then compares connections, calls and the
 * list of calls per connection with the report's. Prints one line per service and per
 * mismatch; exit 0 when all agree, 1 otherwise, 2 on bad usage or unreadable files.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SERVICES 128
#define MAX_CONNS 8192
#define MAX_OPEN 256
#define NAME_LEN 64

struct service {
    char name[NAME_LEN];
    unsigned connections, calls;
    unsigned list[MAX_CONNS];
    size_t n_list;
};

struct open_conn {
    unsigned long long handle;
    struct service *svc;
    size_t index; /* into svc->list */
};

static struct service g_trace[MAX_SERVICES];
static size_t g_n_trace;
static struct open_conn g_open[MAX_OPEN];
static size_t g_n_open;

/* The text after `"key":` in line, or NULL. */
static const char *after_key(const char *line, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = strstr(line, pat);
    return p != NULL ? p + strlen(pat) : NULL;
}

static bool string_field(const char *line, const char *key, char *out, size_t size)
{
    const char *p = after_key(line, key);
    if (p == NULL || *p != '"') {
        return false;
    }
    size_t n = strcspn(p + 1, "\"");
    if (n >= size) {
        return false;
    }
    memcpy(out, p + 1, n);
    out[n] = '\0';
    return true;
}

static struct service *service_named(struct service *set, size_t *n, const char *name)
{
    for (size_t i = 0; i < *n; i++) {
        if (strcmp(set[i].name, name) == 0) {
            return &set[i];
        }
    }
    if (*n == MAX_SERVICES) {
        return NULL;
    }
    snprintf(set[*n].name, NAME_LEN, "%s", name);
    return &set[(*n)++];
}

static struct open_conn *find_open(unsigned long long handle)
{
    for (size_t i = 0; i < g_n_open; i++) {
        if (g_open[i].handle == handle) {
            return &g_open[i];
        }
    }
    return NULL;
}

/* One core record of the trace ("connection opened", "message queued", ...). */
static void trace_record(const char *line, const char *kind)
{
    char name[NAME_LEN];
    const char *c = after_key(line, "connection");
    const char *t = after_key(line, "type");
    unsigned long long handle = 0;
    if (!string_field(line, "service", name, sizeof name) || c == NULL ||
        sscanf(c, "\"0x%llx\"", &handle) != 1) {
        return;
    }
    struct open_conn *o = find_open(handle);
    if (strcmp(kind, "connection opened") == 0) {
        struct service *s = service_named(g_trace, &g_n_trace, name);
        if (s == NULL || s->n_list == MAX_CONNS) {
            return;
        }
        if (o == NULL && g_n_open < MAX_OPEN) {
            o = &g_open[g_n_open++];
        }
        if (o != NULL) { /* a handle reused in a later boot replaces the dead connection */
            *o = (struct open_conn){ .handle = handle, .svc = s, .index = s->n_list };
        }
        s->connections++;
        s->list[s->n_list++] = 0;
    } else if (strcmp(kind, "connection closed") == 0 && o != NULL) {
        *o = g_open[--g_n_open];
    } else if (strcmp(kind, "message queued") == 0 && o != NULL && t != NULL && atoi(t) >= 0) {
        o->svc->calls++;
        o->svc->list[o->index]++;
    }
}

static int read_trace(const char *path)
{
    static char line[8192];
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        perror(path);
        return -1;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        static const char *const kinds[] = { "connection opened", "connection closed",
                                             "message queued" };
        char name[NAME_LEN];
        if (strstr(line, "\"cat\":\"spm\"") == NULL ||
            !string_field(line, "name", name, sizeof name)) {
            continue;
        }
        for (size_t k = 0; k < 3; k++) {
            if (strcmp(name, kinds[k]) == 0) {
                trace_record(line, kinds[k]);
            }
        }
    }
    fclose(f);
    return 0;
}

/* One service line of the report's JSON (ffm-sim writes one per line). */
static bool report_service(const char *line, struct service *s)
{
    const char *p;
    memset(s, 0, sizeof(*s));
    if (!string_field(line, "name", s->name, sizeof s->name) ||
        (p = after_key(line, "connections")) == NULL || sscanf(p, "%u", &s->connections) != 1 ||
        (p = after_key(line, "calls")) == NULL || sscanf(p, "%u", &s->calls) != 1 ||
        (p = after_key(line, "list")) == NULL || *p != '[') {
        return false;
    }
    for (p++; *p != ']' && s->n_list < MAX_CONNS;) {
        char *end;
        s->list[s->n_list++] = (unsigned)strtoul(p, &end, 10);
        p = *end == ',' ? end + 1 : end;
        if (end == p && *p != ']') {
            return false;
        }
    }
    return true;
}

static bool same(const struct service *r, const struct service *t)
{
    bool ok = r->connections == t->connections && r->calls == t->calls &&
              r->n_list == t->n_list;
    for (size_t i = 0; ok && i < r->n_list; i++) {
        ok = r->list[i] == t->list[i];
    }
    if (!ok) {
        printf("%s: report: %u connections, %u calls; trace: %u connections, %u calls "
               "(or the calls per connection differ)\n",
               r->name, r->connections, r->calls, t->connections, t->calls);
    }
    return ok;
}

int main(int argc, char **argv)
{
    static char line[1 << 16];
    static struct service r;
    if (argc != 3) {
        fputs("usage: report_check TRACE.json REPORT.json\n", stderr);
        return 2;
    }
    if (read_trace(argv[1]) != 0) {
        return 2;
    }
    FILE *f = fopen(argv[2], "r");
    if (f == NULL) {
        perror(argv[2]);
        return 2;
    }
    unsigned checked = 0, bad = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "  {\"name\":", 10) != 0 || strstr(line, "\"verdict\"") == NULL) {
            continue;
        }
        if (!report_service(line, &r)) {
            printf("unreadable report line: %.80s\n", line);
            bad++;
            continue;
        }
        struct service *t = service_named(g_trace, &g_n_trace, r.name);
        checked++;
        if (t == NULL || !same(&r, t)) {
            bad++;
        } else {
            printf("%s: %u connections, %u calls: report and trace agree\n", r.name,
                   r.connections, r.calls);
        }
    }
    fclose(f);
    if (checked == 0) {
        printf("no service in %s\n", argv[2]);
        return 1;
    }
    return bad == 0 ? 0 : 1;
}
