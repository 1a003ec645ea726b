/*
 * check_ci.c - `make test`'s check of the CI files that cannot run here (the GitHub Actions
 * workflows in .github/workflows and .clusterfuzzlite/project.yaml): each must parse as one
 * YAML document (libyaml) and have the shape its engine documents:
 *
 *   workflow      a mapping with name, on and jobs; every job has runs-on and a non-empty
 *                 steps sequence; every step has `uses` or `run`; a ClusterFuzzLite
 *                 build_fuzzers step gives `language` (the project.yaml language) and
 *                 `sanitizer`; a run_fuzzers step gives github-token, a numeric fuzz-seconds and
 *                 a `mode` of code-change, batch, prune or coverage
 *   project.yaml  a mapping with a `language` ClusterFuzzLite knows
 *
 *   check-ci PROJECT_YAML WORKFLOW...
 *
 * One result line per file in CMocka's format (scripts/run-tests.sh counts them), each failure
 * with the reason; exit status 1 when any file fails.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "result_lines.h"

#include <yaml.h>

struct doc {
    yaml_document_t d;
    const char *file;
    char why[256];
};

static yaml_node_t *node(struct doc *doc, yaml_node_item_t i)
{
    return yaml_document_get_node(&doc->d, i);
}

static const char *scalar(const yaml_node_t *n)
{
    return n != NULL && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* The value of `key` in mapping `map`, or NULL. */
static yaml_node_t *get(struct doc *doc, const yaml_node_t *map, const char *key)
{
    if (map == NULL || map->type != YAML_MAPPING_NODE) {
        return NULL;
    }
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        const char *k = scalar(node(doc, p->key));
        if (k != NULL && strcmp(k, key) == 0) {
            return node(doc, p->value);
        }
    }
    return NULL;
}

static bool fail(struct doc *doc, const char *fmt, const char *what)
{
    snprintf(doc->why, sizeof doc->why, fmt, what);
    return false;
}

static bool one_of(const char *v, const char *const *set)
{
    for (; v != NULL && *set != NULL; set++) {
        if (strcmp(v, *set) == 0) {
            return true;
        }
    }
    return false;
}

static char project_language[32];

static bool check_cflite_step(struct doc *doc, const char *uses, yaml_node_t *with)
{
    static const char *const modes[] = { "code-change", "batch", "prune", "coverage", NULL };

    if (strstr(uses, "google/clusterfuzzlite/actions/build_fuzzers@") == uses) {
        const char *lang = scalar(get(doc, with, "language"));
        if (lang == NULL || strcmp(lang, project_language) != 0) {
            return fail(doc, "build_fuzzers: language is not the project's (%s)",
                        project_language);
        }
        if (scalar(get(doc, with, "sanitizer")) == NULL) {
            return fail(doc, "build_fuzzers: no %s", "sanitizer");
        }
    } else if (strstr(uses, "google/clusterfuzzlite/actions/run_fuzzers@") == uses) {
        const char *secs = scalar(get(doc, with, "fuzz-seconds"));
        if (secs == NULL || strspn(secs, "0123456789") != strlen(secs) || secs[0] == '\0') {
            return fail(doc, "run_fuzzers: fuzz-seconds is not a number (%s)", secs ? secs : "");
        }
        if (!one_of(scalar(get(doc, with, "mode")), modes)) {
            return fail(doc, "run_fuzzers: unknown %s", "mode");
        }
        if (scalar(get(doc, with, "github-token")) == NULL) {
            return fail(doc, "run_fuzzers: no %s", "github-token");
        }
    }
    return true;
}

static bool check_job(struct doc *doc, const char *name, yaml_node_t *job)
{
    yaml_node_t *steps = get(doc, job, "steps");

    if (get(doc, job, "runs-on") == NULL) {
        return fail(doc, "job %s has no runs-on", name);
    }
    if (steps == NULL || steps->type != YAML_SEQUENCE_NODE ||
        steps->data.sequence.items.start == steps->data.sequence.items.top) {
        return fail(doc, "job %s has no steps", name);
    }
    for (yaml_node_item_t *i = steps->data.sequence.items.start;
         i < steps->data.sequence.items.top; i++) {
        yaml_node_t *step = node(doc, *i);
        const char *uses = scalar(get(doc, step, "uses"));
        if (uses == NULL && scalar(get(doc, step, "run")) == NULL) {
            return fail(doc, "a step of job %s has neither uses nor run", name);
        }
        if (uses != NULL && !check_cflite_step(doc, uses, get(doc, step, "with"))) {
            return false;
        }
    }
    return true;
}

static bool check_workflow(struct doc *doc, yaml_node_t *root)
{
    yaml_node_t *jobs = get(doc, root, "jobs");

    if (scalar(get(doc, root, "name")) == NULL || get(doc, root, "on") == NULL) {
        return fail(doc, "a workflow needs %s", "name and on");
    }
    if (jobs == NULL || jobs->type != YAML_MAPPING_NODE ||
        jobs->data.mapping.pairs.start == jobs->data.mapping.pairs.top) {
        return fail(doc, "a workflow needs %s", "jobs");
    }
    for (yaml_node_pair_t *p = jobs->data.mapping.pairs.start; p < jobs->data.mapping.pairs.top;
         p++) {
        const char *name = scalar(node(doc, p->key));
        if (!check_job(doc, name != NULL ? name : "?", node(doc, p->value))) {
            return false;
        }
    }
    return true;
}

static bool check_project(struct doc *doc, yaml_node_t *root)
{
    static const char *const languages[] = { "c", "c++", "go", "rust", "python", "jvm",
                                             "swift", NULL };
    const char *lang = scalar(get(doc, root, "language"));

    if (!one_of(lang, languages)) {
        return fail(doc, "project.yaml: no known %s", "language");
    }
    snprintf(project_language, sizeof project_language, "%s", lang);
    return true;
}

/* Parse `file` as exactly one YAML document whose root is a mapping, and check it. */
static bool check_file(const char *file, bool project)
{
    struct doc doc = { .file = file };
    yaml_parser_t parser;
    FILE *f = fopen(file, "rb");
    bool ok = false;

    if (f == NULL) {
        fprintf(stderr, "%s: cannot open\n", file);
        return false;
    }
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_file(&parser, f);
    if (!yaml_parser_load(&parser, &doc.d)) {
        fprintf(stderr, "%s:%zu:%zu: YAML syntax error: %s\n", file,
                parser.problem_mark.line + 1, parser.problem_mark.column + 1,
                parser.problem != NULL ? parser.problem : "?");
    } else {
        yaml_node_t *root = yaml_document_get_root_node(&doc.d);
        if (root == NULL || root->type != YAML_MAPPING_NODE) {
            snprintf(doc.why, sizeof doc.why, "the document is not a mapping");
        } else {
            ok = project ? check_project(&doc, root) : check_workflow(&doc, root);
        }
        if (!ok) {
            fprintf(stderr, "%s: %s\n", file, doc.why);
        }
        yaml_document_delete(&doc.d);
    }
    yaml_parser_delete(&parser);
    fclose(f);
    return ok;
}

int main(int argc, char **argv)
{
    unsigned ok = 0, bad = 0;

    printf("[==========] Checking CI files.\n");
    for (int i = 1; i < argc; i++) {
        bool good = check_file(argv[i], i == 1);
        printf("[%s] %s\n", good ? "       OK " : "  FAILED  ", argv[i]);
        ok += good;
        bad += !good;
    }
    return result_summary(ok, bad);
}
