/*
 * report.c - panic/reset log lines and the end-of-run summary (issue 6 item 5), and the
 * counters behind the summary.
 */
#include "report.h"

#include <stdarg.h>
#include <string.h>

static const char *const stop_reason_names[FFM_STOP_COUNT] = {
    [FFM_STOP_NONE] = "NONE",
    [FFM_STOP_PANIC] = "PANIC",
    [FFM_STOP_PSA_PANIC] = "PSA_PANIC",
    [FFM_STOP_FAULT] = "FAULT",
    [FFM_STOP_WATCHDOG] = "WATCHDOG",
    [FFM_STOP_PLATFORM] = "PLATFORM",
    [FFM_STOP_RESET_LOOP] = "RESET_LOOP",
    [FFM_STOP_DEADLOCK] = "DEADLOCK",
    [FFM_STOP_TIMEOUT] = "TIMEOUT",
    [FFM_STOP_INTERNAL] = "INTERNAL",
    [FFM_STOP_INTERRUPTED] = "INTERRUPTED",
    [FFM_STOP_EXITED] = "EXITED",
};

const char *ffm_stop_reason_name(enum ffm_stop_reason reason)
{
    if ((unsigned)reason >= FFM_STOP_COUNT) {
        return "?";
    }
    return stop_reason_names[reason];
}

void ffm_copy_field(char *dst, size_t size, const char *src)
{
    size_t n;

    if (size == 0) {
        return;
    }
    n = src != NULL ? strlen(src) : 0;
    if (n >= size) {
        n = size - 1;
    }
    if (n > 0) {
        memcpy(dst, src, n);
    }
    dst[n] = '\0';
}

void ffm_pe_record_init(struct ffm_pe_record *pe, const char *rule, const char *api,
                        bool caller_secure, int32_t caller_id, const char *caller_name,
                        const char *reason)
{
    memset(pe, 0, sizeof(*pe));
    ffm_copy_field(pe->rule, sizeof(pe->rule), rule);
    ffm_copy_field(pe->api, sizeof(pe->api), api);
    pe->caller_secure = caller_secure;
    pe->caller_id = caller_id;
    ffm_copy_field(pe->caller_name, sizeof(pe->caller_name), caller_name);
    ffm_copy_field(pe->reason, sizeof(pe->reason), reason);
}

/* ------------------------------------------------------------------ counters */

void ffm_counters_init(struct ffm_run_counters *c)
{
    memset(c, 0, sizeof(*c));
    atomic_flag_clear(&c->rules_lock);
    atomic_init(&c->calls, 0);
    atomic_init(&c->pe_total, 0);
    atomic_init(&c->trapped_panics, 0);
    atomic_init(&c->trapped_faults, 0);
}

void ffm_counters_unlock(struct ffm_run_counters *c)
{
    atomic_flag_clear(&c->rules_lock);
}

void ffm_counters_add_call(struct ffm_run_counters *c)
{
    atomic_fetch_add(&c->calls, 1);
}

/* Slot of `rule`, or the first free slot, or NULL when the table is full. */
static struct ffm_rule_count *rule_slot(struct ffm_run_counters *c, const char *rule)
{
    size_t i;

    for (i = 0; i < FFM_RULE_SLOTS; i++) {
        if (c->pe[i].rule[0] == '\0' || strcmp(c->pe[i].rule, rule) == 0) {
            return &c->pe[i];
        }
    }
    return NULL;
}

void ffm_counters_add_pe(struct ffm_run_counters *c, const char *rule)
{
    struct ffm_rule_count *slot;

    atomic_fetch_add(&c->pe_total, 1);
    while (atomic_flag_test_and_set(&c->rules_lock)) {
        /* held for a few instructions by another simulated thread */
    }
    slot = rule_slot(c, rule != NULL && rule[0] != '\0' ? rule : "?");
    if (slot == NULL) {
        c->pe_untracked++;
    } else {
        if (slot->rule[0] == '\0') {
            ffm_copy_field(slot->rule, sizeof(slot->rule), rule != NULL && rule[0] ? rule : "?");
        }
        slot->count++;
    }
    atomic_flag_clear(&c->rules_lock);
}

uint32_t ffm_counters_pe_count(const struct ffm_run_counters *c, const char *rule)
{
    size_t i;

    for (i = 0; i < FFM_RULE_SLOTS && c->pe[i].rule[0] != '\0'; i++) {
        if (strcmp(c->pe[i].rule, rule) == 0) {
            return c->pe[i].count;
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ lines */

void ffm_report_line(FILE *out, const char *fmt, ...)
{
    va_list ap;

    /* Not only defensive: without it, gcc -fsanitize=undefined (which instruments the fputs
     * below) warns "null format string" on the vfprintf (-Wformat-overflow). */
    if (fmt == NULL) {
        return;
    }
    fputs("ffm-sim: ", out);
    va_start(ap, fmt);
    vfprintf(out, fmt, ap);
    va_end(ap);
    fputc('\n', out);
    fflush(out);
}

void ffm_report_caller(char *buf, size_t size, const struct ffm_pe_record *pe)
{
    if (pe->caller_secure) {
        snprintf(buf, size, "partition %s (pid %ld)", pe->caller_name, (long)pe->caller_id);
    } else if (pe->caller_name[0] != '\0' && strcmp(pe->caller_name, "NS") != 0) {
        snprintf(buf, size, "NS thread %s (client %ld)", pe->caller_name, (long)pe->caller_id);
    } else {
        snprintf(buf, size, "NS client %ld", (long)pe->caller_id);
    }
}

int ffm_report_format_event(char *buf, size_t size, const char *what,
                            const struct ffm_pe_record *pe, const char *outcome)
{
    char caller[2 * FFM_PE_NAME_MAX];
    char other[FFM_PE_NAME_MAX + 16] = "";

    ffm_report_caller(caller, sizeof(caller), pe);
    if (pe->partition[0] != '\0' && strcmp(pe->partition, pe->caller_name) != 0) {
        snprintf(other, sizeof(other), ", partition %s", pe->partition);
    }
    return snprintf(buf, size, "ffm-sim: %s [%s] %s by %s%s%s%s: %s -> %s", what,
                    pe->rule[0] ? pe->rule : "?", pe->api[0] ? pe->api : "-", caller, other,
                    pe->where[0] ? " at " : "", pe->where, pe->reason, outcome);
}

void ffm_report_event(FILE *out, const char *what, const struct ffm_pe_record *pe,
                      const char *outcome)
{
    char line[768];

    ffm_report_format_event(line, sizeof(line), what, pe, outcome);
    fputs(line, out);
    fputc('\n', out);
    fflush(out);
}

/* ------------------------------------------------------------------ summary */

static void print_resets(FILE *out, const struct ffm_run_counters *c)
{
    const char *sep = " (";
    size_t r;

    fprintf(out, "ffm-sim:   resets:            %lu", (unsigned long)c->resets);
    for (r = 0; r < FFM_STOP_COUNT; r++) {
        if (c->resets_by[r] != 0) {
            fprintf(out, "%s%s %lu", sep, ffm_stop_reason_name((enum ffm_stop_reason)r),
                    (unsigned long)c->resets_by[r]);
            sep = ", ";
        }
    }
    fputs(c->resets != 0 ? ")\n" : "\n", out);
}

static void print_pes(FILE *out, const struct ffm_run_counters *c)
{
    const char *sep = " (";
    size_t i;

    fprintf(out, "ffm-sim:   PROGRAMMER ERRORs: %u",
            atomic_load(&((struct ffm_run_counters *)c)->pe_total));
    for (i = 0; i < FFM_RULE_SLOTS && c->pe[i].rule[0] != '\0'; i++) {
        fprintf(out, "%s%s %lu", sep, c->pe[i].rule, (unsigned long)c->pe[i].count);
        sep = ", ";
    }
    if (c->pe_untracked != 0) {
        fprintf(out, "%sother rules %lu", sep, (unsigned long)c->pe_untracked);
        sep = ", ";
    }
    fputs(sep[0] == ',' ? ")\n" : "\n", out);
}

/* "panics: 3" or, when some were trapped (policy trap), "panics: 3 (trapped 2)". */
static void print_count(FILE *out, const char *label, uint32_t stopped, unsigned trapped)
{
    fprintf(out, "ffm-sim:   %s%lu", label, (unsigned long)stopped + trapped);
    if (trapped != 0) {
        fprintf(out, " (trapped %u)", trapped);
    }
    fputc('\n', out);
}

static void print_end(FILE *out, const struct ffm_run_outcome *o)
{
    switch (o->reason) {
    case FFM_STOP_EXITED:
        fprintf(out, "ffm-sim:   end:               NS entry returned %d\n", o->exit_code);
        break;
    case FFM_STOP_INTERRUPTED:
        fprintf(out, "ffm-sim:   end:               interrupted (exit %d)\n", o->exit_code);
        break;
    default:
        fprintf(out, "ffm-sim:   end:               halted, reason %s (exit %d)\n",
                ffm_stop_reason_name(o->reason), o->exit_code);
        break;
    }
}

void ffm_counters_stack(struct ffm_run_counters *c, unsigned index, const char *name,
                        uint32_t stack_size, uint32_t used)
{
    if (index >= FFM_STACK_MARKS) {
        return;
    }
    struct ffm_stack_mark *m = &c->stack[index];
    ffm_copy_field(m->name, sizeof m->name, name);
    m->stack_size = stack_size;
    if (used > m->used) {
        m->used = used;
    }
}

/* 1504 -> "1,504" */
static void group_thousands(char *buf, size_t size, uint32_t v)
{
    char digits[16];
    int n = snprintf(digits, sizeof digits, "%lu", (unsigned long)v);
    size_t o = 0;
    for (int i = 0; i < n && o + 1 < size; i++) {
        if (i > 0 && (n - i) % 3 == 0 && o + 2 < size) {
            buf[o++] = ',';
        }
        buf[o++] = digits[i];
    }
    buf[o < size ? o : size - 1] = '\0';
}

void ffm_format_stack_mark(char *buf, size_t size, const struct ffm_stack_mark *m)
{
    char used[16], total[16];
    group_thousands(used, sizeof used, m->used);
    if (m->stack_size == 0) {
        snprintf(buf, size, "%s: %s bytes, of a stack_size that is not a number, host-measured",
                 m->name, used);
        return;
    }
    group_thousands(total, sizeof total, m->stack_size);
    snprintf(buf, size, "%s: %s of %s bytes (%lu %%), host-measured%s", m->name, used, total,
             (unsigned long)((uint64_t)m->used * 100u / m->stack_size),
             m->used > m->stack_size ? ": MORE THAN ITS stack_size" : "");
}

static void print_stacks(FILE *out, const struct ffm_run_counters *c)
{
    bool any = false;
    for (unsigned i = 0; i < FFM_STACK_MARKS; i++) {
        if (c->stack[i].name[0] == '\0') {
            continue;
        }
        if (!any) {
            fputs("ffm-sim:   stack use (deepest, against the manifest's stack_size):\n", out);
            any = true;
        }
        char line[FFM_PE_NAME_MAX + 96];
        ffm_format_stack_mark(line, sizeof line, &c->stack[i]);
        fprintf(out, "ffm-sim:     %s\n", line);
    }
}

void ffm_report_summary(FILE *out, const struct ffm_run_counters *c,
                        const struct ffm_run_outcome *outcome)
{
    fputs("ffm-sim: summary\n", out);
    fprintf(out, "ffm-sim:   boots:             %lu (%u cold, %lu warm)\n",
            (unsigned long)c->boots, c->boots > 0 ? 1u : 0u,
            (unsigned long)(c->boots > 0 ? c->boots - 1 : 0));
    print_resets(out, c);
    print_count(out, "panics:            ", c->panics,
                atomic_load(&((struct ffm_run_counters *)c)->trapped_panics));
    print_count(out, "faults:            ", c->faults,
                atomic_load(&((struct ffm_run_counters *)c)->trapped_faults));
    fprintf(out, "ffm-sim:   PSA API calls:     %llu\n",
            atomic_load(&((struct ffm_run_counters *)c)->calls));
    print_pes(out, c);
    print_stacks(out, c);
    print_end(out, outcome);
    fflush(out);
}

void ffm_where_brief(const char *where, char *buf, size_t size)
{
    const char *caller = strstr(where, " called from ");
    if (caller != NULL) {
        where = caller + strlen(" called from "); /* the partition code, not the library's */
    }
    const char *plus = strchr(where, '+');
    const char *open = strchr(where, '(');
    const char *close = open != NULL ? strchr(open, ')') : NULL;
    if (size == 0) {
        return;
    }
    if (plus == NULL || open == NULL || close == NULL || plus > open) {
        snprintf(buf, size, "%s", where); /* a bare address, or nothing */
        return;
    }
    int fn_len = (int)(plus - where);
    if (close[1] == ' ' && close[2] != '\0') {
        snprintf(buf, size, "%.*s (%s)", fn_len, where, close + 2); /* file:line */
    } else {
        snprintf(buf, size, "%.*s %.*s", fn_len, where, (int)(close - open + 1), open);
    }
}
