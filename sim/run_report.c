/*
 * run_report.c - the JSON run summary (run_report.h), written with stdio: one object, keys in
 * a fixed order, strings escaped.
 */
#include "run_report.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

static void put_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)(s != NULL ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\') {
            fprintf(f, "\\%c", *p);
        } else if (*p < 0x20 || *p == 0x7F) {
            fprintf(f, "\\u%04x", (unsigned)*p);
        } else {
            fputc(*p, f);
        }
    }
    fputc('"', f);
}

/* INDENT"key": "value" and the separator that follows it (",\n" or "\n"). */
static void put_field(FILE *f, const char *indent, const char *key, const char *value,
                      const char *after)
{
    fputs(indent, f);
    put_string(f, key);
    fputs(": ", f);
    put_string(f, value);
    fputs(after, f);
}

static void put_counts(FILE *f, const struct ffm_run_counters *c)
{
    struct ffm_run_counters *m = (struct ffm_run_counters *)c; /* atomics are read only */
    unsigned tp = atomic_load(&m->trapped_panics), tf = atomic_load(&m->trapped_faults);

    fprintf(f, "  \"boots\": %lu,\n", (unsigned long)c->boots);
    fprintf(f, "  \"resets\": %lu,\n  \"resets_by_reason\": {", (unsigned long)c->resets);
    const char *sep = "";
    for (int r = 0; r < FFM_STOP_COUNT; r++) {
        if (c->resets_by[r] != 0) {
            fprintf(f, "%s", sep);
            put_string(f, ffm_stop_reason_name((enum ffm_stop_reason)r));
            fprintf(f, ": %lu", (unsigned long)c->resets_by[r]);
            sep = ", ";
        }
    }
    fprintf(f, "},\n  \"panics\": %lu,\n  \"panics_trapped\": %u,\n",
            (unsigned long)(c->panics + tp), tp);
    fprintf(f, "  \"faults\": %lu,\n  \"faults_trapped\": %u,\n",
            (unsigned long)(c->faults + tf), tf);
    fprintf(f, "  \"psa_calls\": %llu,\n", atomic_load(&m->calls));
    fprintf(f, "  \"programmer_errors\": %u,\n  \"programmer_errors_by_rule\": {",
            atomic_load(&m->pe_total));
    sep = "";
    for (unsigned i = 0; i < FFM_RULE_SLOTS && c->pe[i].rule[0] != '\0'; i++) {
        fprintf(f, "%s", sep);
        put_string(f, c->pe[i].rule);
        fprintf(f, ": %lu", (unsigned long)c->pe[i].count);
        sep = ", ";
    }
    fputs("},\n", f);
}

static void put_event(FILE *f, const struct ffm_pe_record *pe)
{
    char brief[FFM_PE_WHERE_MAX];

    if (pe == NULL) {
        fputs("  \"last_event\": null,\n", f);
        return;
    }
    ffm_where_brief(pe->where, brief, sizeof(brief));
    fprintf(f, "  \"last_event\": {\n    \"boot\": %lu,\n", (unsigned long)pe->boot);
    put_field(f, "    ", "rule", pe->rule, ",\n");
    put_field(f, "    ", "api", pe->api, ",\n");
    put_field(f, "    ", "caller", pe->caller_name, ",\n");
    fprintf(f, "    \"caller_id\": %ld,\n", (long)pe->caller_id);
    put_field(f, "    ", "where", pe->where, ",\n");
    put_field(f, "    ", "function", brief, ",\n");
    put_field(f, "    ", "reason", pe->reason, ",\n");
    put_field(f, "    ", "disposition", pe->disposition, "\n  },\n");
}

static void put_end(FILE *f, const struct ffm_run_report *r)
{
    fputs("  \"end\": {\n", f);
    put_field(f, "    ", "reason", ffm_stop_reason_name(r->end_reason), ",\n");
    fprintf(f, "    \"exit_status\": %d,\n", r->exit_status);
    if (r->ns_returned) {
        fprintf(f, "    \"ns_status\": %d,\n", r->ns_status);
    } else {
        fputs("    \"ns_status\": null,\n", f);
    }
    fprintf(f, "    \"same_error_boots\": %u,\n", r->same_error_boots);
    put_field(f, "    ", "message", r->message, "\n  }\n");
}

int ffm_run_report_write(const char *path, const struct ffm_run_report *r, char *err,
                         size_t err_size)
{
    char tmp[4096];

    if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp)) {
        snprintf(err, err_size, "--report %s: path too long", path);
        return -1;
    }
    FILE *f = fopen(tmp, "w");
    if (f == NULL) {
        snprintf(err, err_size, "--report %s: %s", path, strerror(errno));
        return -1;
    }
    fputs("{\n  \"format\": \"ffm-sim-report-1\",\n", f);
    put_counts(f, r->counters);
    put_event(f, r->last_event);
    put_end(f, r);
    fputs("}\n", f);
    bool bad = ferror(f) != 0;
    if (fclose(f) != 0 || bad || rename(tmp, path) != 0) {
        snprintf(err, err_size, "--report %s: %s", path, strerror(errno));
        remove(tmp);
        return -1;
    }
    return 0;
}
