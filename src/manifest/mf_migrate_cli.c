/*
 * mf_migrate_cli.c - `ffm-manifest --migrate-stateless SERVICE[,SERVICE...] [--report FILE.json]
 * [--force] MANIFEST`: check each service against the stateless report of a run (when given),
 * rewrite the manifest atomically (mf_migrate.c does the text edits), and say what the client
 * code and the service must change. docs/migrating-to-stateless.md.
 *
 * Exit status: 0 done (or nothing to do), 1 I/O failure (the manifest is left as it was),
 * 2 usage, invalid input, or a service the report says cannot move (without --force).
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "manifest/migrate.h"

#define MANIFEST_MAX_BYTES (1024u * 1024u)
#define REPORT_MAX_BYTES (16u * 1024u * 1024u)

struct migrate_args {
    char *list; /* the SERVICE[,SERVICE...] argument, split in place */
    const char *services[FFM_MIGRATE_MAX_SERVICES];
    size_t n;
    const char *report;
    const char *manifest;
    int force;
};

static int migrate_usage(const char *msg, const char *arg)
{
    fprintf(stderr,
            "ffm-manifest: %s%s\nusage: ffm-manifest --migrate-stateless SERVICE[,SERVICE...] "
            "[--report FILE.json] [--force] MANIFEST\n",
            msg, arg != NULL ? arg : "");
    return 2;
}

/* ------------------------------------------------------------------ files */

/* The whole file, NUL-terminated; NULL with one line on stderr. */
static char *slurp(const char *path, size_t max, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "ffm-manifest: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    char *buf = malloc(max + 1);
    size_t n = buf != NULL ? fread(buf, 1, max + 1, f) : 0;
    int bad = buf == NULL || ferror(f) || n > max;
    fclose(f);
    if (bad) {
        fprintf(stderr, "ffm-manifest: %s: %s\n", path,
                buf == NULL ? "out of memory" : n > max ? "file too large" : "read error");
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Replace `path` with `text` at once: a temporary file in the same directory, flushed to disk,
 * given the original's permissions, renamed over it. */
static int replace_file(const char *path, const char *text, size_t len)
{
    struct stat st;
    char tmp[4096];
    if (stat(path, &st) != 0 || snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >= (int)sizeof tmp) {
        fprintf(stderr, "ffm-manifest: %s: %s\n", path, strerror(errno));
        return 1;
    }
    int fd = mkstemp(tmp);
    if (fd < 0) {
        fprintf(stderr, "ffm-manifest: %s: cannot create a temporary file: %s\n", path,
                strerror(errno));
        return 1;
    }
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, text + done, len - done);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            break;
        }
        done += (size_t)w;
    }
    int ok = done == len && fchmod(fd, st.st_mode & 07777) == 0 && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        fprintf(stderr, "ffm-manifest: %s: write failed, left unchanged: %s\n", path,
                strerror(errno));
        unlink(tmp);
        return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------ the report */

/* The value of `key` in mapping node `map`, or NULL. */
static yaml_node_t *map_get(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
    if (map == NULL || map->type != YAML_MAPPING_NODE) {
        return NULL;
    }
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(doc, p->key);
        if (k != NULL && k->type == YAML_SCALAR_NODE &&
            strcmp((const char *)k->data.scalar.value, key) == 0) {
            return yaml_document_get_node(doc, p->value);
        }
    }
    return NULL;
}

static const char *scalar(yaml_node_t *n)
{
    return n != NULL && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* What the report says of each service: 0 when every service may move (or --force), 2 when
 * one may not (the reason printed), 1 when the report cannot be read. */
static int check_report(const struct migrate_args *a)
{
    size_t len;
    char *text = slurp(a->report, REPORT_MAX_BYTES, &len);
    if (text == NULL) {
        return 1;
    }
    yaml_parser_t parser;
    yaml_document_t doc;
    int rc = 2;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &doc)) {
        fprintf(stderr, "ffm-manifest: %s:%zu:%zu: not valid JSON: %s\n", a->report,
                parser.problem_mark.line + 1, parser.problem_mark.column + 1,
                parser.problem != NULL ? parser.problem : "?");
        yaml_parser_delete(&parser);
        free(text);
        return 2;
    }
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    yaml_node_t *list = map_get(&doc, root, "services");
    if (map_get(&doc, root, "ffm_stateless_report") == NULL || list == NULL ||
        list->type != YAML_SEQUENCE_NODE) {
        fprintf(stderr, "ffm-manifest: %s: not a report written by ffm-sim --stateless-report\n",
                a->report);
    } else {
        rc = 0;
        for (size_t i = 0; i < a->n; i++) {
            bool found = false;
            for (yaml_node_item_t *it = list->data.sequence.items.start;
                 it < list->data.sequence.items.top; it++) {
                yaml_node_t *svc = yaml_document_get_node(&doc, *it);
                const char *name = scalar(map_get(&doc, svc, "name"));
                const char *verdict = scalar(map_get(&doc, svc, "verdict"));
                const char *reason = scalar(map_get(&doc, svc, "reason"));
                if (name == NULL || strcmp(name, a->services[i]) != 0 || verdict == NULL) {
                    continue;
                }
                found = true;
                if (strcmp(verdict, "cannot") == 0) {
                    fprintf(stderr, "ffm-manifest: %s: %s: %s says it cannot be stateless: "
                                    "%s\n",
                            name, a->force ? "warning (--force)" : "refused", a->report,
                            reason != NULL ? reason : "?");
                    rc = a->force ? rc : 2;
                } else if (strcmp(verdict, "not exercised") == 0) {
                    fprintf(stderr, "ffm-manifest: note: %s was not exercised in the reported "
                                    "run: no evidence either way\n", name);
                }
            }
            if (!found) {
                fprintf(stderr, "ffm-manifest: note: %s is not a connection-based service of "
                                "the reported run: no evidence either way\n", a->services[i]);
            }
        }
        if (rc == 2) {
            fputs("ffm-manifest: nothing changed; --force migrates anyway\n", stderr);
        }
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    free(text);
    return rc;
}

/* ------------------------------------------------------------------ what to change */

static void print_guidance(const struct migrate_args *a, const struct ffm_migrate_result *r)
{
    if (r->upgraded) {
        printf("%s: psa_framework_version 1.0 -> 1.1\n", a->manifest);
    }
    for (size_t i = 0; i < a->n; i++) {
        const char *s = a->services[i];
        if (r->outcome[i] == FFM_MIGRATE_ALREADY) {
            printf("%s: %s is already stateless: unchanged\n", a->manifest, s);
            continue;
        }
        printf("%s: %s is now stateless (connection_based: false, stateless_handle: auto)\n"
               "  Regenerate the headers: psa_manifest/sid.h then defines %s_HANDLE.\n"
               "  Client code must change:\n"
               "    - each psa_connect(%s_SID, v) / psa_call(h, ...) / psa_close(h) sequence "
               "becomes one\n"
               "      psa_call(%s_HANDLE, type, in_vec, in_len, out_vec, out_len);\n"
               "    - psa_connect(%s_SID, ...) is now a PROGRAMMER ERROR (CON-02), and so is "
               "psa_close\n"
               "      on %s_HANDLE (CLOSE-02); the version a client asks for is the one in "
               "the handle.\n"
               "  The service must no longer:\n"
               "    - call psa_set_rhandle (a PROGRAMMER ERROR for a stateless service, RH-02) "
               "or rely on\n"
               "      msg->rhandle, which is always NULL (RH-04): nothing survives from one "
               "call to the next;\n"
               "    - expect PSA_IPC_CONNECT or PSA_IPC_DISCONNECT: it receives neither; "
               "work done there\n"
               "      must happen in each call, and a refusal becomes an error status of "
               "the call.\n",
               a->manifest, s, s, s, s, s, s);
    }
}

/* ------------------------------------------------------------------ the command */

static int parse_migrate_args(struct migrate_args *a, int argc, char **argv)
{
    enum { OPT_MIGRATE = 1000, OPT_REPORT, OPT_FORCE };
    static const struct option opts[] = {
        { "migrate-stateless", required_argument, NULL, OPT_MIGRATE },
        { "report", required_argument, NULL, OPT_REPORT },
        { "force", no_argument, NULL, OPT_FORCE },
        { NULL, 0, NULL, 0 },
    };
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == OPT_MIGRATE) {
            a->list = optarg;
        } else if (c == OPT_REPORT) {
            a->report = optarg;
        } else if (c == OPT_FORCE) {
            a->force = 1;
        } else {
            return migrate_usage("with --migrate-stateless, unknown option or missing value: ",
                                 argv[optind - 1]);
        }
    }
    if (optind != argc - 1) {
        return migrate_usage("--migrate-stateless needs exactly one MANIFEST", NULL);
    }
    a->manifest = argv[optind];
    for (char *tok = strtok(a->list, ","); tok != NULL; tok = strtok(NULL, ",")) {
        if (a->n == FFM_MIGRATE_MAX_SERVICES) {
            return migrate_usage("too many services", NULL);
        }
        a->services[a->n++] = tok;
    }
    return a->n == 0 ? migrate_usage("--migrate-stateless needs SERVICE[,SERVICE...]", NULL) : 0;
}

/* The rewritten text must read back with every service stateless and nothing left to do. */
static int verify(const struct migrate_args *a, const struct ffm_migrate_result *r)
{
    struct ffm_migrate_result again;
    int rc = ffm_migrate_text(r->text, r->len, a->services, a->n, &again);
    for (size_t i = 0; rc == 0 && i < a->n; i++) {
        rc = again.outcome[i] == FFM_MIGRATE_ALREADY && !again.upgraded ? 0 : -1;
    }
    free(again.text);
    if (rc != 0) {
        fprintf(stderr, "ffm-manifest: %s: internal error: the edited manifest does not read "
                        "back as intended; left unchanged\n", a->manifest);
    }
    return rc != 0 ? 1 : 0;
}

int ffm_manifest_migrate_main(int argc, char **argv)
{
    struct migrate_args a = { 0 };
    int rc = parse_migrate_args(&a, argc, argv);
    if (rc != 0 || (a.report != NULL && (rc = check_report(&a)) != 0)) {
        return rc;
    }
    size_t len;
    char *text = slurp(a.manifest, MANIFEST_MAX_BYTES, &len);
    if (text == NULL) {
        return 1;
    }
    struct ffm_migrate_result r;
    if (ffm_migrate_text(text, len, a.services, a.n, &r) != 0) {
        fprintf(stderr, "ffm-manifest: %s:%s%s\n", a.manifest, isdigit((unsigned char)r.err[0])
                                                                   ? "" : " ", r.err);
        free(text);
        return 2;
    }
    rc = verify(&a, &r);
    if (rc == 0 && (r.len != len || memcmp(r.text, text, len) != 0)) {
        rc = replace_file(a.manifest, r.text, r.len);
    }
    if (rc == 0) {
        print_guidance(&a, &r);
    }
    free(r.text);
    free(text);
    return rc;
}

/* ------------------------------------------------------------------ --upgrade */

/*
 * `ffm-manifest --upgrade MANIFEST...`: rewrite FF-M 1.0 partition manifests as FF-M 1.1 with
 * the same text edits as --migrate-stateless and no service made stateless (migrate.h): the
 * version, `model: IPC` where 1.0 left it to the default, `connection_based: true` on every
 * service, each IRQ's `signal: X_SIGNAL` as `name: X` + `handling: SLIH`. Comments, key order,
 * quoting and layout stay. Every file is read and upgraded in memory first; nothing is written
 * unless all of them can be (exit 2 with one line per refusal); a 1.1 manifest is left alone.
 */
struct upgraded {
    const char *path;
    char *old, *text;
    size_t old_len, len;
    bool changed;
};

static int upgrade_one(struct upgraded *u)
{
    u->old = slurp(u->path, MANIFEST_MAX_BYTES, &u->old_len);
    if (u->old == NULL) {
        return 1;
    }
    struct ffm_migrate_result r, again;
    if (ffm_migrate_text(u->old, u->old_len, NULL, 0, &r) != 0) {
        fprintf(stderr, "ffm-manifest: %s:%s%s\n", u->path,
                isdigit((unsigned char)r.err[0]) ? "" : " ", r.err);
        return 2;
    }
    u->text = r.text;
    u->len = r.len;
    u->changed = r.upgraded;
    /* the result must read back as FF-M 1.1 with nothing left to upgrade */
    int rc = ffm_migrate_text(r.text, r.len, NULL, 0, &again);
    bool stable = rc == 0 && !again.upgraded && again.len == r.len &&
                  memcmp(again.text, r.text, r.len) == 0;
    free(again.text);
    if (!stable) {
        fprintf(stderr, "ffm-manifest: %s: internal error: the upgraded manifest does not read "
                        "back as FF-M 1.1; left unchanged\n", u->path);
        return 1;
    }
    return 0;
}

int ffm_manifest_upgrade_main(int argc, char **argv)
{
    struct upgraded files[64];
    size_t n = 0;
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--upgrade") == 0) {
            continue;
        }
        if (argv[i][0] == '-' || n == sizeof files / sizeof files[0]) {
            fprintf(stderr, "ffm-manifest: %s: %s\nusage: ffm-manifest --upgrade MANIFEST...\n",
                    argv[i], argv[i][0] == '-' ? "not an option of --upgrade"
                                               : "too many manifests (at most 64)");
            return 2;
        }
        files[n++] = (struct upgraded){ .path = argv[i] };
    }
    if (n == 0) {
        fputs("ffm-manifest: --upgrade needs a MANIFEST\nusage: ffm-manifest --upgrade "
              "MANIFEST...\n", stderr);
        return 2;
    }
    for (size_t i = 0; i < n; i++) {
        int one = upgrade_one(&files[i]);
        rc = one > rc ? one : rc;
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (files[i].changed) {
            rc = replace_file(files[i].path, files[i].text, files[i].len);
        }
        printf("ffm-manifest: %s: %s\n", files[i].path,
               !files[i].changed ? "already FF-M 1.1, left unchanged"
               : rc == 0         ? "upgraded from FF-M 1.0 to 1.1"
                                 : "not written");
    }
    for (size_t i = 0; i < n; i++) {
        free(files[i].old);
        free(files[i].text);
    }
    return rc;
}
