/*
 * trace_check.c - checks a trace file written by ffm-sim --trace, for the integration tests
 * (tests/integration/integration.sh), without any external tool:
 *
 *     trace_check FILE [REGEX]...
 *
 * FILE must be one well-formed JSON value (tests/super/json_check.c) in the shape Perfetto and
 * chrome://tracing load: {"traceEvents":[ ... ]...}, one event per line, every event with a
 * name, a phase, a pid and a tid, and a timestamp unless it is metadata ("ph":"M"). Each REGEX
 * (POSIX extended) must match at least one event line. Prints one line per problem; exit 0
 * when there is none, 1 otherwise, 2 on bad usage.
 */
#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_check.h"

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    size_t got;
    while (buf != NULL && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *bigger = realloc(buf, 2 * cap + 1);
            if (bigger == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf != NULL) {
        buf[n] = '\0';
        *len = n;
    }
    return buf;
}

/* An event line: "{...}" or ",{...}" (the writer puts one record per line). */
static bool check_event(const char *path, size_t line_no, const char *line)
{
    static const char *const keys[] = { "\"name\":", "\"ph\":", "\"pid\":", "\"tid\":" };
    bool ok = true;
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        if (strstr(line, keys[k]) == NULL) {
            printf("%s:%zu: event without %s\n", path, line_no, keys[k]);
            ok = false;
        }
    }
    if (strstr(line, "\"ph\":\"M\"") == NULL && strstr(line, "\"ts\":") == NULL) {
        printf("%s:%zu: event without \"ts\":\n", path, line_no);
        ok = false;
    }
    return ok;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: trace_check FILE [REGEX]...\n");
        return 2;
    }
    const char *path = argv[1];
    size_t len = 0, error_at = 0;
    char *text = read_file(path, &len);
    if (text == NULL) {
        printf("%s: cannot read the file\n", path);
        return 1;
    }
    int failures = 0;
    if (!json_well_formed(text, len, &error_at)) {
        printf("%s: not well-formed JSON (byte %zu)\n", path, error_at);
        failures++;
    }
    if (strncmp(text, "{\"traceEvents\":[", 16) != 0) {
        printf("%s: does not start with {\"traceEvents\":[\n", path);
        failures++;
    }
    size_t n_patterns = (size_t)argc - 2;
    regex_t *re = calloc(n_patterns + 1, sizeof *re);
    bool *seen = calloc(n_patterns + 1, sizeof *seen);
    if (re == NULL || seen == NULL) {
        printf("out of memory\n");
        return 1;
    }
    for (size_t i = 0; i < n_patterns; i++) {
        if (regcomp(&re[i], argv[2 + i], REG_EXTENDED | REG_NOSUB) != 0) {
            fprintf(stderr, "trace_check: bad regular expression '%s'\n", argv[2 + i]);
            return 2;
        }
    }
    size_t events = 0, line_no = 0;
    for (char *line = text, *next; line != NULL && *line != '\0'; line = next) {
        next = strchr(line, '\n');
        if (next != NULL) {
            *next++ = '\0';
        }
        line_no++;
        if (line[0] != '{' && !(line[0] == ',' && line[1] == '{')) {
            continue; /* the header and the footer */
        }
        if (line_no == 1 && strncmp(line, "{\"traceEvents\":[", 16) == 0 && line[16] == '\0') {
            continue;
        }
        events++;
        if (!check_event(path, line_no, line)) {
            failures++;
        }
        for (size_t i = 0; i < n_patterns; i++) {
            if (!seen[i] && regexec(&re[i], line, 0, NULL, 0) == 0) {
                seen[i] = true;
            }
        }
    }
    if (events == 0) {
        printf("%s: no events\n", path);
        failures++;
    }
    for (size_t i = 0; i < n_patterns; i++) {
        if (!seen[i]) {
            printf("%s: no event matches '%s'\n", path, argv[2 + i]);
            failures++;
        }
        regfree(&re[i]);
    }
    free(re);
    free(seen);
    free(text);
    return failures == 0 ? 0 : 1;
}
