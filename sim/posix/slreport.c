/*
 * slreport.c - the stateless-readiness report (slreport.h): verdicts from the observer's
 * evidence, the grouping advice per partition and the summary, in Markdown and in JSON.
 */
#include "slreport.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "psa/service.h"

#define STATELESS_SLOTS 32
#define MAX_CONN_LIST FFM_SLOBS_MAX_CONNS

static const char limit_text[] =
    "\"can be stateless\" means \"no evidence against it in this run\": the simulator sees "
    "connections, messages, PSA API calls, psa_set_rhandle and the rhandle each message "
    "carries, but not writes to a partition's own memory (static variables, NVMEM), so state "
    "a service keeps there without rhandle is invisible to it; code paths the run did not "
    "take are not judged";

static const char observed_text[] =
    "a connection is a CONNECT replied PSA_SUCCESS (any other status is a refusal); a call is "
    "a request message delivered on a connection; work on CONNECT or DISCONNECT is any PSA "
    "API call other than psa_reply, or ffmsim platform call acting on the platform (NVMEM, "
    "watchdog, IRQ lines, reset), made by the service's partition between fetching that "
    "message and replying to it; a call depends on an earlier message of its connection when "
    "it is delivered with a non-NULL rhandle (the SPM clears rhandle at connect)";

/* ------------------------------------------------------------------ verdicts */

enum ffm_sl_verdict ffm_sl_verdict_of(const struct ffm_system_desc *d, const struct ffm_slobs *o,
                                      uint16_t service, char *reason, size_t reason_size,
                                      const char **evidence)
{
    const struct ffm_slobs_service *s = &o->service[service];
    (void)d;

    if (s->set_rhandle > 0 || s->rhandle_msgs > 0) {
        *evidence = "rhandle";
        snprintf(reason, reason_size,
                 "uses rhandle to keep per-connection state between messages "
                 "(psa_set_rhandle %u times; %u of %u calls were delivered with it)",
                 (unsigned)s->set_rhandle, (unsigned)s->rhandle_calls, (unsigned)s->calls);
        return FFM_SL_CANNOT;
    }
    if (s->connect_work > 0 || s->disconnect_work > 0) {
        *evidence = s->connect_work > 0 ? "work on CONNECT" : "work on DISCONNECT";
        snprintf(reason, reason_size, "does work on %s (%u API calls, first %s)",
                 s->connect_work > 0 ? "CONNECT" : "DISCONNECT",
                 (unsigned)(s->connect_work > 0 ? s->connect_work : s->disconnect_work),
                 s->connect_work > 0 ? s->connect_work_api : s->disconnect_work_api);
        return FFM_SL_CANNOT;
    }
    if (s->refused > 0) {
        *evidence = "refused connections";
        snprintf(reason, reason_size,
                 "refused %u connections (first with status %d): a stateless service cannot "
                 "refuse at connect time",
                 (unsigned)s->refused, (int)s->first_refusal);
        return FFM_SL_CANNOT;
    }
    if (s->connections == 0) {
        *evidence = "";
        snprintf(reason, reason_size, "no connection seen in this run");
        return FFM_SL_NOT_EXERCISED;
    }
    *evidence = "";
    snprintf(reason, reason_size,
             "no rhandle, nothing done on CONNECT or DISCONNECT, no refusal, no call depended "
             "on an earlier one (no evidence against it in this run)");
    return FFM_SL_CAN;
}

static const char *verdict_name(enum ffm_sl_verdict v)
{
    return v == FFM_SL_CAN ? "can" : v == FFM_SL_CANNOT ? "cannot" : "not exercised";
}

/* ------------------------------------------------------------------ statistics */

struct conn_stats {
    size_t n;          /* connections kept */
    uint32_t min, max;
    double median;
    uint32_t *list;    /* calls per connection, in opening order (n entries) */
};

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Fills st (list allocated, NULL when n is 0). -1 when out of memory. */
static int conn_stats_of(const struct ffm_slobs *o, uint16_t service, struct conn_stats *st)
{
    memset(st, 0, sizeof(*st));
    st->n = ffm_slobs_calls_per_conn(o, service, NULL, 0);
    if (st->n == 0) {
        return 0;
    }
    st->list = malloc(2 * st->n * sizeof(uint32_t));
    if (st->list == NULL) {
        return -1;
    }
    uint32_t *sorted = st->list + st->n;
    ffm_slobs_calls_per_conn(o, service, st->list, st->n);
    memcpy(sorted, st->list, st->n * sizeof(uint32_t));
    qsort(sorted, st->n, sizeof(uint32_t), cmp_u32);
    st->min = sorted[0];
    st->max = sorted[st->n - 1];
    st->median = st->n % 2 == 1 ? sorted[st->n / 2]
                                : (sorted[st->n / 2 - 1] + (double)sorted[st->n / 2]) / 2.0;
    return 0;
}

/* "3" or "2.5" */
static const char *fmt_median(double m, char *buf, size_t size)
{
    if (m == (double)(uint32_t)m) {
        snprintf(buf, size, "%u", (unsigned)m);
    } else {
        snprintf(buf, size, "%.1f", m);
    }
    return buf;
}

/* "1-4", "1,3", "0-2,7", "none"; "+" when types above 31 were seen. */
static const char *fmt_types(const struct ffm_slobs_service *s, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int t = 0; t < 32 && len < size; t++) {
        if ((s->types_seen & (1u << t)) == 0) {
            continue;
        }
        int end = t;
        while (end + 1 < 32 && (s->types_seen & (1u << (end + 1))) != 0) {
            end++;
        }
        len += (size_t)snprintf(buf + len, size - len, end > t ? "%s%d-%d" : "%s%d",
                                len > 0 ? "," : "", t, end);
        t = end;
    }
    if (s->other_types && len < size) {
        snprintf(buf + len, size - len, "%s>31", len > 0 ? "," : "");
    } else if (len == 0) {
        snprintf(buf, size, "none");
    }
    return buf;
}

/* ------------------------------------------------------------------ grouping */

struct partition_group {
    unsigned stateless;      /* stateless services now */
    unsigned can_move;       /* connection-based services the report says can move */
    unsigned candidates;     /* stateless now + can move */
    const char *differs;     /* NULL, or the attribute the candidates disagree on */
};

static bool is_candidate(const struct ffm_system_desc *d, const struct ffm_slobs *o, uint16_t i)
{
    char reason[8];
    const char *ev;
    return !d->services[i].connection_based ||
           ffm_sl_verdict_of(d, o, i, reason, sizeof reason, &ev) == FFM_SL_CAN;
}

/* Services under one SID share its version, version policy, NS access and mm_iovec. */
static const char *first_difference(const struct ffm_service_desc *a,
                                    const struct ffm_service_desc *b)
{
    if (a->version != b->version) {
        return "version";
    }
    if (a->version_policy != b->version_policy) {
        return "version_policy";
    }
    if (a->non_secure_clients != b->non_secure_clients) {
        return "non_secure_clients";
    }
    return a->mm_iovec != b->mm_iovec ? "mm_iovec" : NULL;
}

static struct partition_group group_of(const struct ffm_system_desc *d, const struct ffm_slobs *o,
                                       uint16_t p)
{
    const struct ffm_partition_desc *pd = &d->partitions[p];
    struct partition_group g = { 0 };
    const struct ffm_service_desc *first = NULL;

    for (uint16_t i = pd->first_service; i < pd->first_service + pd->n_services; i++) {
        if (!is_candidate(d, o, i)) {
            continue;
        }
        g.candidates++;
        if (d->services[i].connection_based) {
            g.can_move++;
        } else {
            g.stateless++;
        }
        if (first == NULL) {
            first = &d->services[i];
        } else if (g.differs == NULL) {
            g.differs = first_difference(first, &d->services[i]);
        }
    }
    return g;
}

/* "yes: ..." lists the types each candidate was called with, so that they can be given
 * consecutive ranges under the one SID. */
static const char *group_advice(const struct ffm_system_desc *d, const struct ffm_slobs *o,
                                uint16_t p, const struct partition_group *g, char *buf,
                                size_t size)
{
    const struct ffm_partition_desc *pd = &d->partitions[p];
    char types[64];
    size_t len;

    if (g->candidates < 2) {
        snprintf(buf, size, "nothing to group");
        return buf;
    }
    if (g->differs != NULL) {
        snprintf(buf, size, "no: their %s differ", g->differs);
        return buf;
    }
    len = (size_t)snprintf(buf, size, "yes: %u services, 1 SID, consecutive type ranges "
                                      "(types seen:", g->candidates);
    for (uint16_t i = pd->first_service; i < pd->first_service + pd->n_services; i++) {
        if (is_candidate(d, o, i) && len < size) {
            len += (size_t)snprintf(buf + len, size - len, " %s %s;", d->services[i].name,
                                    fmt_types(&o->service[i], types, sizeof types));
        }
    }
    if (len < size && len > 0) {
        buf[len - 1] = ')';
    }
    return buf;
}

/* ------------------------------------------------------------------ summary */

struct summary {
    unsigned in_use;     /* stateless services now */
    unsigned can_move;
    unsigned grouped;    /* slots if every groupable partition used one SID */
};

static struct summary summary_of(const struct ffm_system_desc *d, const struct ffm_slobs *o)
{
    struct summary s = { 0 };
    for (uint16_t p = 0; p < d->n_partitions; p++) {
        struct partition_group g = group_of(d, o, p);
        s.in_use += g.stateless;
        s.can_move += g.can_move;
        s.grouped += g.candidates == 0 ? 0 : g.differs == NULL ? 1 : g.candidates;
    }
    return s;
}

/* ------------------------------------------------------------------ Markdown */

static void md_service_row(FILE *f, const struct ffm_system_desc *d, const struct ffm_slobs *o,
                           uint16_t i)
{
    const struct ffm_service_desc *sd = &d->services[i];
    const struct ffm_slobs_service *s = &o->service[i];
    struct conn_stats st;
    char reason[256], med[16], types[64], cpc[64];
    const char *ev;
    enum ffm_sl_verdict v = ffm_sl_verdict_of(d, o, i, reason, sizeof reason, &ev);

    if (conn_stats_of(o, i, &st) == 0 && st.n > 0) {
        snprintf(cpc, sizeof cpc, "%u / %s / %u", (unsigned)st.min,
                 fmt_median(st.median, med, sizeof med), (unsigned)st.max);
    } else {
        snprintf(cpc, sizeof cpc, "-");
    }
    free(st.list);
    fprintf(f, "| %s | 0x%08x | %s | %u | %u | %u | %s | %s | %u | %u | %u / %u | %s%s%s%s | %s |\n",
            sd->name, (unsigned)sd->sid, d->partitions[sd->partition].name,
            (unsigned)s->connections, (unsigned)s->refused, (unsigned)s->calls, cpc,
            fmt_types(s, types, sizeof types), (unsigned)s->set_rhandle,
            (unsigned)s->rhandle_calls, (unsigned)s->connect_work, (unsigned)s->disconnect_work,
            verdict_name(v), ev[0] != '\0' ? " (" : "", ev, ev[0] != '\0' ? ")" : "", reason);
}

static void md_partition_row(FILE *f, const struct ffm_system_desc *d, const struct ffm_slobs *o,
                             uint16_t p)
{
    struct partition_group g = group_of(d, o, p);
    char advice[512];
    fprintf(f, "| %s | %u | %u | %u | %u | %s |\n", d->partitions[p].name,
            (unsigned)d->partitions[p].n_services, g.stateless, g.can_move,
            g.stateless + g.can_move, group_advice(d, o, p, &g, advice, sizeof advice));
}

static void md_can_move_list(FILE *f, const struct ffm_system_desc *d, const struct ffm_slobs *o)
{
    bool any = false;
    for (uint16_t i = 0; i < d->n_services; i++) {
        if (d->services[i].connection_based && is_candidate(d, o, i)) {
            fprintf(f, "%s`%s`", any ? ", " : " (", d->services[i].name);
            any = true;
        }
    }
    fputs(any ? ")" : "", f);
}

static void write_markdown(FILE *f, const struct ffm_system_desc *d, const struct ffm_slobs *o)
{
    struct summary sum = summary_of(d, o);

    fprintf(f, "# Stateless readiness report\n\n"
               "Written by `ffm-sim --stateless-report` from %u boot%s of the run.\n\n",
            (unsigned)o->boots, o->boots == 1 ? "" : "s");
    fprintf(f, "**Limit of the verdict:** %s.\n\n**What is observed:** %s.\n\n", limit_text,
            observed_text);
    fputs("## Connection-based services\n\n"
          "| Service | SID | Partition | Connections | Refused | Calls | Calls per connection "
          "(min / median / max) | Types | psa_set_rhandle | Calls with rhandle | "
          "Work on CONNECT / DISCONNECT | Verdict | Reason |\n"
          "|---|---|---|---:|---:|---:|---|---|---:|---:|---|---|---|\n", f);
    for (uint16_t i = 0; i < d->n_services; i++) {
        if (d->services[i].connection_based) {
            md_service_row(f, d, o, i);
        }
    }
    fputs("\n## Grouping (one row per partition)\n\n"
          "| Partition | Services | Stateless slots used | Could move | Slots if moved | "
          "One SID told apart by `type`? |\n|---|---:|---:|---:|---:|---|\n", f);
    for (uint16_t p = 0; p < d->n_partitions; p++) {
        md_partition_row(f, d, o, p);
    }
    fprintf(f, "\n## Summary\n\n- Stateless slots in use: %u of %d.\n"
               "- Services that could move: %u",
            sum.in_use, STATELESS_SLOTS, sum.can_move);
    md_can_move_list(f, d, o);
    fprintf(f, "; moving them uses %u of %d slots, or %u with one SID per groupable partition.\n",
            sum.in_use + sum.can_move, STATELESS_SLOTS, sum.grouped);
}

/* ------------------------------------------------------------------ JSON */

/* Names are C identifiers and reasons our own text: only '"' and '\\' need escaping. */
static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s != '\0'; s++) {
        if (*s == '"' || *s == '\\') {
            fputc('\\', f);
        }
        fputc(*s, f);
    }
    fputc('"', f);
}

static void json_conn_list(FILE *f, const struct conn_stats *st)
{
    char med[16];
    fprintf(f, ",\"calls_per_connection\":{\"min\":%u,\"median\":%s,\"max\":%u,\"list\":[",
            (unsigned)st->min, fmt_median(st->median, med, sizeof med), (unsigned)st->max);
    for (size_t k = 0; k < st->n; k++) {
        fprintf(f, "%s%u", k > 0 ? "," : "", (unsigned)st->list[k]);
    }
    fputs("]}", f);
}

static int json_service(FILE *f, const struct ffm_system_desc *d, const struct ffm_slobs *o,
                        uint16_t i, bool first)
{
    const struct ffm_service_desc *sd = &d->services[i];
    const struct ffm_slobs_service *s = &o->service[i];
    struct conn_stats st;
    char reason[256];
    const char *ev;
    enum ffm_sl_verdict v = ffm_sl_verdict_of(d, o, i, reason, sizeof reason, &ev);

    if (conn_stats_of(o, i, &st) != 0) {
        return -1;
    }
    fprintf(f, "%s\n  {\"name\":", first ? "" : ",");
    json_string(f, sd->name);
    fprintf(f, ",\"sid\":\"0x%08x\",\"partition\":", (unsigned)sd->sid);
    json_string(f, d->partitions[sd->partition].name);
    fprintf(f, ",\"connections\":%u,\"connections_not_kept\":%u,\"refused\":%u,\"calls\":%u",
            (unsigned)s->connections, (unsigned)s->conns_not_kept, (unsigned)s->refused,
            (unsigned)s->calls);
    json_conn_list(f, &st);
    fprintf(f, ",\"types_seen_mask\":%u,\"set_rhandle\":%u,\"rhandle_messages\":%u,"
               "\"calls_with_rhandle\":%u,\"connect_work\":%u,\"disconnect_work\":%u,"
               "\"verdict\":\"%s\",\"evidence\":",
            (unsigned)s->types_seen, (unsigned)s->set_rhandle, (unsigned)s->rhandle_msgs,
            (unsigned)s->rhandle_calls, (unsigned)s->connect_work, (unsigned)s->disconnect_work,
            verdict_name(v));
    json_string(f, ev);
    fputs(",\"reason\":", f);
    json_string(f, reason);
    fputs("}", f);
    free(st.list);
    return 0;
}

static void json_partitions(FILE *f, const struct ffm_system_desc *d, const struct ffm_slobs *o)
{
    char advice[512];
    fputs("\n],\"partitions\":[", f);
    for (uint16_t p = 0; p < d->n_partitions; p++) {
        struct partition_group g = group_of(d, o, p);
        fprintf(f, "%s\n  {\"name\":", p > 0 ? "," : "");
        json_string(f, d->partitions[p].name);
        fprintf(f, ",\"services\":%u,\"stateless_slots\":%u,\"could_move\":%u,\"one_sid\":",
                (unsigned)d->partitions[p].n_services, g.stateless, g.can_move);
        json_string(f, group_advice(d, o, p, &g, advice, sizeof advice));
        fputs("}", f);
    }
}

static int write_json(FILE *f, const struct ffm_system_desc *d, const struct ffm_slobs *o)
{
    struct summary sum = summary_of(d, o);
    bool first = true;

    fputs("{\"ffm_stateless_report\":1,\"limit\":", f);
    json_string(f, limit_text);
    fputs(",\"observed\":", f);
    json_string(f, observed_text);
    fprintf(f, ",\"boots\":%u,\"services\":[", (unsigned)o->boots);
    for (uint16_t i = 0; i < d->n_services; i++) {
        if (d->services[i].connection_based) {
            if (json_service(f, d, o, i, first) != 0) {
                return -1;
            }
            first = false;
        }
    }
    json_partitions(f, d, o);
    fprintf(f, "\n],\"summary\":{\"stateless_slots_in_use\":%u,\"stateless_slots\":%d,"
               "\"could_move\":%u,\"slots_if_moved\":%u,\"slots_if_grouped\":%u}}\n",
            sum.in_use, STATELESS_SLOTS, sum.can_move, sum.in_use + sum.can_move, sum.grouped);
    return 0;
}

/* ------------------------------------------------------------------ files */

void ffm_sl_json_path(const char *md, char *out, size_t size)
{
    size_t n = strlen(md);
    if (n > 3 && strcmp(md + n - 3, ".md") == 0) {
        snprintf(out, size, "%.*s.json", (int)(n - 3), md);
    } else {
        snprintf(out, size, "%s.json", md);
    }
}

typedef int (*writer_fn)(FILE *f, const struct ffm_system_desc *d, const struct ffm_slobs *o);

static int markdown_writer(FILE *f, const struct ffm_system_desc *d, const struct ffm_slobs *o)
{
    write_markdown(f, d, o);
    return 0;
}

/* Write path.tmp, then rename it over path: a reader never sees half a report. */
static int write_atomically(const char *path, writer_fn fn, const struct ffm_system_desc *d,
                            const struct ffm_slobs *o, char *err, size_t err_size)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (f == NULL) {
        snprintf(err, err_size, "stateless report %s: %s", tmp, strerror(errno));
        return -1;
    }
    int rc = fn(f, d, o);
    if (ferror(f) || rc != 0) {
        rc = -1;
    }
    if (fclose(f) != 0 || rc != 0 || rename(tmp, path) != 0) {
        snprintf(err, err_size, "stateless report %s: write failed: %s", path,
                 rc != 0 ? "out of memory or write error" : strerror(errno));
        remove(tmp);
        return -1;
    }
    return 0;
}

int ffm_sl_report_write(const struct ffm_system_desc *d, const struct ffm_slobs *o,
                        const char *md_path, char *err, size_t err_size)
{
    char json[4096];
    ffm_sl_json_path(md_path, json, sizeof json);
    if (write_atomically(md_path, markdown_writer, d, o, err, err_size) != 0) {
        return -1;
    }
    return write_atomically(json, write_json, d, o, err, err_size);
}

/* ------------------------------------------------------------------ ffm-sim's use */

struct ffm_slobs *ffm_sl_report_begin(const char *md_path, uint16_t n_services, char *err,
                                      size_t err_size)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", md_path);
    FILE *f = fopen(tmp, "w"); /* fail now, as bad input, rather than after the run */
    if (f == NULL) {
        snprintf(err, err_size, "--stateless-report %s: %s", md_path, strerror(errno));
        return NULL;
    }
    fclose(f);
    remove(tmp);
    /* Shared with every boot's child process: the parent reads what they all observed. */
    void *p = mmap(NULL, sizeof(struct ffm_slobs), PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANON, -1, 0);
    if (p == MAP_FAILED) {
        snprintf(err, err_size, "--stateless-report: cannot map the observer: %s",
                 strerror(errno));
        return NULL;
    }
    ffm_slobs_init(p, n_services);
    return p;
}

int ffm_sl_report_end(struct ffm_slobs *o, const struct ffm_system_desc *d, const char *md_path,
                      FILE *log)
{
    char err[512];
    int rc = ffm_sl_report_write(d, o, md_path, err, sizeof err);
    if (rc != 0) {
        fprintf(log, "ffm-sim: error: %s\n", err);
    } else {
        char json[4096];
        ffm_sl_json_path(md_path, json, sizeof json);
        fprintf(log, "ffm-sim: stateless report written to %s and %s\n", md_path, json);
    }
    munmap(o, sizeof(*o));
    return rc;
}
