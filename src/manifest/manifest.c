/*
 * manifest.c - the public API of the manifest library (manifest.h): load a system, expose its
 * load description and diagnostics, and write the generated headers atomically (MAN-32):
 * everything is generated in memory, unchanged files are left alone, changed ones go to temp
 * files that are renamed into place only once all of them were written; a rename that fails
 * midway puts back the files already replaced (each kept as a hard link until the end).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "manifest/mf_model.h"

#define FFM_MANIFEST_VERSION "1.0.0"

const char *ffm_manifest_version(void)
{
    return FFM_MANIFEST_VERSION;
}

static void load_config(struct ffm_manifest_set *set, const struct ffm_manifest_options *opt)
{
    for (size_t i = 0; i < opt->n_config_files; i++) {
        mf_config_read_file(&set->arena, &set->diags, &set->config, opt->config_files[i]);
    }
    for (size_t i = 0; i < opt->n_defines; i++) {
        mf_config_define(&set->arena, &set->config, opt->defines[i]);
    }
}

static enum ffm_manifest_status load_status(const struct ffm_manifest_set *set, bool werror)
{
    if (set->diags.io_failed) {
        return FFM_MANIFEST_IO_ERROR;
    }
    if (set->diags.errors > 0 || set->diags.suppressed > 0 ||
        (werror && set->diags.warnings > 0)) {
        return FFM_MANIFEST_INVALID;
    }
    return FFM_MANIFEST_OK;
}

enum ffm_manifest_status ffm_manifest_load(const struct ffm_manifest_options *opt,
                                           struct ffm_manifest_set **out)
{
    struct ffm_manifest_set *set = calloc(1, sizeof *set);
    *out = set;
    if (set == NULL) {
        return FFM_MANIFEST_IO_ERROR;
    }
    set->diags.arena = &set->arena;
    set->diags.max_errors = opt->max_errors ? opt->max_errors : FFM_LIMIT_ERRORS;
    set->profile = opt->profile;
    set->opt = opt;
    load_config(set, opt);
    /* Lists are read only with every config header read: with one missing, each `conditional`
     * it defines would add a consequential "not defined" error to the one that matters. */
    bool config_ok = set->diags.errors == 0 && !set->diags.io_failed;
    for (size_t i = 0; config_ok && i < opt->n_lists; i++) {
        mf_load_list(set, opt->lists[i]);
    }
    for (size_t i = 0; config_ok && i < opt->n_manifests; i++) {
        mf_load_positional(set, opt->manifests[i]);
    }
    mf_warn_undefined(set);
    /* Cross-partition rules only run on a clean parse: on half-read partitions they would
     * report consequences of the first errors rather than new problems. */
    if (set->diags.errors == 0 && set->diags.suppressed == 0) {
        mf_check_system(set);
    }
    set->opt = NULL;
    enum ffm_manifest_status st = load_status(set, opt->werror);
    set->loaded = st == FFM_MANIFEST_OK;
    return st;
}

const struct ffm_system_desc *ffm_manifest_desc(const struct ffm_manifest_set *set)
{
    return set != NULL && set->loaded ? &set->desc : NULL;
}

size_t ffm_manifest_diag_count(const struct ffm_manifest_set *set)
{
    return set != NULL ? set->diags.n : 0;
}

const struct ffm_manifest_diag *ffm_manifest_diag_at(const struct ffm_manifest_set *set,
                                                     size_t i)
{
    return set != NULL && i < set->diags.n ? &set->diags.items[i] : NULL;
}

unsigned ffm_manifest_error_count(const struct ffm_manifest_set *set)
{
    return set != NULL ? set->diags.errors + set->diags.suppressed : 0;
}

unsigned ffm_manifest_suppressed_count(const struct ffm_manifest_set *set)
{
    return set != NULL ? set->diags.suppressed : 0;
}

int ffm_manifest_format_diag(const struct ffm_manifest_diag *diag, char *buf, size_t size)
{
    char pos[64] = "";
    if (diag->line > 0) {
        snprintf(pos, sizeof pos, ":%u:%u", diag->line, diag->column);
    }
    char rule[32] = "";
    if (diag->rule != FFM_RULE_NONE) {
        snprintf(rule, sizeof rule, " [%s]", ffm_rule_id(diag->rule));
    }
    return snprintf(buf, size, "%s%s: %s: %s%s%s%s", diag->file, pos,
                    diag->severity == FFM_DIAG_ERROR ? "error" : "warning", diag->path,
                    diag->path[0] != '\0' ? ": " : "", diag->message, rule);
}

void ffm_manifest_print_diags(const struct ffm_manifest_set *set, FILE *out)
{
    for (size_t i = 0; i < ffm_manifest_diag_count(set); i++) {
        char line[2048];
        ffm_manifest_format_diag(&set->diags.items[i], line, sizeof line);
        fprintf(out, "%s\n", line);
    }
    if (ffm_manifest_suppressed_count(set) > 0) {
        fprintf(out, "ffm-manifest: %u more errors not shown\n", set->diags.suppressed);
    }
}

/* ------------------------------------------------------------------ generated text */

static void generate_all(struct ffm_manifest_set *set)
{
    if (set->sid_h != NULL) {
        return;
    }
    set->sid_h = mf_gen_sid_h(set);
    set->pid_h = mf_gen_pid_h(set);
    set->part_h = mf_alloc(&set->arena, (set->n_parts + 1) * sizeof *set->part_h);
    for (size_t i = 0; i < set->n_parts; i++) {
        set->part_h[i] = mf_gen_partition_h(set, i);
    }
}

const char *ffm_manifest_header_text(struct ffm_manifest_set *set, const char *which)
{
    if (set == NULL || !set->loaded) {
        return NULL;
    }
    generate_all(set);
    if (strcmp(which, "sid.h") == 0) {
        return set->sid_h;
    }
    if (strcmp(which, "pid.h") == 0) {
        return set->pid_h;
    }
    for (size_t i = 0; i < set->n_parts; i++) {
        if (strcmp(set->parts[i].header_name, which) == 0) {
            return set->part_h[i];
        }
    }
    return NULL;
}

/* ------------------------------------------------------------------ writing (MAN-32) */

struct output {
    const char *path;
    const char *text;
    char *tmp;    /* temp file awaiting rename, or NULL when the file is unchanged */
    char *backup; /* a second link to the file it replaced, kept until the commit ends */
    bool committed;
};

static bool io_fail(struct ffm_manifest_set *set, const char *path, const char *what)
{
    set->diags.io_failed = true;
    mf_diag(&set->diags, FFM_DIAG_ERROR, path, 0, 0, FFM_RULE_NONE, NULL, "%s: %s", what,
            strerror(errno));
    return false;
}

/* True when `path` already holds exactly `text`. */
static bool same_content(const char *path, const char *text)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return false;
    }
    size_t len = strlen(text);
    char *buf = malloc(len + 1);
    size_t n = buf ? fread(buf, 1, len + 1, f) : 0;
    fclose(f);
    bool same = buf != NULL && n == len && memcmp(buf, text, len) == 0;
    free(buf);
    return same;
}

static bool make_dirs(struct ffm_manifest_set *set, const char *file)
{
    char *dir = mf_strdup(&set->arena, file);
    for (char *p = dir + 1; *p != '\0'; p++) {
        if (*p != '/') {
            continue;
        }
        *p = '\0';
        if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
            return io_fail(set, dir, "cannot create directory");
        }
        *p = '/';
    }
    return true;
}

/* ffm-rule: MAN-32 */
static bool write_temp(struct ffm_manifest_set *set, struct output *o)
{
    if (!make_dirs(set, o->path)) {
        return false;
    }
    char *tmp = mf_printf(&set->arena, "%s.tmp.XXXXXX", o->path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        return io_fail(set, o->path, "cannot create temp file");
    }
    o->tmp = tmp;
    size_t len = strlen(o->text);
    bool ok = fchmod(fd, 0644) == 0 && write(fd, o->text, len) == (ssize_t)len;
    ok = close(fd) == 0 && ok;
    return ok || io_fail(set, o->path, "cannot write");
}

/* ffm-rule: MAN-44 */
static struct output *plan_outputs(struct ffm_manifest_set *set, const char *outdir,
                                   size_t *n)
{
    generate_all(set);
    struct output *outs = mf_alloc(&set->arena, (set->n_parts + 2) * sizeof *outs);
    outs[0] = (struct output){.path = mf_printf(&set->arena, "%s/psa_manifest/sid.h", outdir),
                              .text = set->sid_h};
    outs[1] = (struct output){.path = mf_printf(&set->arena, "%s/psa_manifest/pid.h", outdir),
                              .text = set->pid_h};
    for (size_t i = 0; i < set->n_parts; i++) {
        const struct mf_part *p = &set->parts[i];
        const char *sep = p->output_path[0] != '\0' ? "/" : "";
        outs[i + 2] = (struct output){
            .path = mf_printf(&set->arena, "%s%s%s/psa_manifest/%s", outdir, sep, p->output_path,
                              p->header_name),
            .text = set->part_h[i]};
    }
    *n = set->n_parts + 2;
    return outs;
}

/* Keep the file `o` is about to replace reachable under a second name (a hard link: same
 * inode, no copy), so that a failed commit can put it back. No old file: nothing to keep. */
static bool keep_old(struct ffm_manifest_set *set, struct output *o)
{
    char *backup = mf_printf(&set->arena, "%s.old.XXXXXX", o->path);
    int fd = mkstemp(backup);
    if (fd < 0) {
        return io_fail(set, o->path, "cannot create backup name");
    }
    close(fd);
    unlink(backup);
    if (link(o->path, backup) == 0) {
        o->backup = backup;
        return true;
    }
    /* A directory in the way cannot be linked; the rename below fails on it and says so. */
    struct stat st;
    bool in_the_way = stat(o->path, &st) == 0 && S_ISDIR(st.st_mode);
    return errno == ENOENT || in_the_way || io_fail(set, o->path, "cannot keep the previous file");
}

/* Undo the renames done so far: each replaced file gets its old inode back, a new file is
 * removed. Best effort: the error that caused the rollback is the one reported. */
static void roll_back(struct output *outs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (outs[i].committed && outs[i].backup != NULL) {
            rename(outs[i].backup, outs[i].path);
            outs[i].backup = NULL;
        } else if (outs[i].committed) {
            unlink(outs[i].path);
        }
    }
}

/* Rename every temp file into place, or none: on a failure midway the files already replaced
 * are restored (MAN-32). */
static bool commit_outputs(struct ffm_manifest_set *set, struct output *outs, size_t n)
{
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++) {
        if (outs[i].tmp == NULL) {
            continue;
        }
        ok = keep_old(set, &outs[i]);
        if (ok && rename(outs[i].tmp, outs[i].path) != 0) {
            ok = io_fail(set, outs[i].path, "cannot rename into place");
        }
        outs[i].committed = ok;
    }
    if (!ok) {
        roll_back(outs, n);
    }
    for (size_t i = 0; i < n; i++) {
        if (outs[i].tmp != NULL && !outs[i].committed) {
            unlink(outs[i].tmp);
        }
        if (outs[i].backup != NULL) {
            unlink(outs[i].backup);
        }
    }
    return ok;
}

enum ffm_manifest_status ffm_manifest_write_headers(struct ffm_manifest_set *set,
                                                    const char *outdir)
{
    if (set == NULL || !set->loaded) {
        return FFM_MANIFEST_INVALID;
    }
    size_t n = 0;
    struct output *outs = plan_outputs(set, outdir, &n);
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++) {
        if (!same_content(outs[i].path, outs[i].text)) {
            ok = write_temp(set, &outs[i]);
        }
    }
    if (!ok) {
        for (size_t i = 0; i < n; i++) {
            if (outs[i].tmp != NULL) {
                unlink(outs[i].tmp);
            }
        }
        return FFM_MANIFEST_IO_ERROR;
    }
    return commit_outputs(set, outs, n) ? FFM_MANIFEST_OK : FFM_MANIFEST_IO_ERROR;
}

void ffm_manifest_free(struct ffm_manifest_set *set)
{
    if (set == NULL) {
        return;
    }
    mf_arena_release(&set->arena);
    free(set);
}
