/*
 * manifest/manifest.h - the manifest library (ffm-rules.md §7): load TF-M manifest lists and
 * FF-M partition manifests (YAML or JSON), validate them (MAN-*), assign pids, allocate
 * stateless handles and signals, and produce the load description (ffmsim/desc.h, MAN-45) and
 * the generated headers (sid.h, pid.h, per-partition headers, MAN-40..44).
 *
 * Used by the ffm-manifest CLI and by the simulator at run time, so that the generated headers
 * and the run-time tables always come from the same code.
 *
 * Typical use:
 *
 *     struct ffm_manifest_options opt = { .profile = FFM_PROFILE_SPEC, .lists = lists,
 *                                         .n_lists = 1 };
 *     struct ffm_manifest_set *set = NULL;
 *     enum ffm_manifest_status st = ffm_manifest_load(&opt, &set);
 *     ffm_manifest_print_diags(set, stderr);
 *     if (st == FFM_MANIFEST_OK) {
 *         const struct ffm_system_desc *desc = ffm_manifest_desc(set);
 *         st = ffm_manifest_write_headers(set, "out");
 *     }
 *     ffm_manifest_free(set);
 */
#ifndef FFM_MANIFEST_H
#define FFM_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ffm_rules.h"
#include "ffmsim/desc.h"
#include "handle.h"

/* Status values double as the CLI's exit codes. */
enum ffm_manifest_status {
    FFM_MANIFEST_OK = 0,
    FFM_MANIFEST_IO_ERROR = 1, /* a file could not be read or written */
    FFM_MANIFEST_INVALID = 2,  /* an input is invalid (at least one error diagnostic) */
};

enum ffm_manifest_severity { FFM_DIAG_ERROR = 0, FFM_DIAG_WARNING = 1 };

/* The SPM backend that a `model: dual` partition takes (TF-M's CONFIG_TFM_SPM_BACKEND). */
enum ffm_backend {
    FFM_BACKEND_NONE = 0, /* not given: taken from CONFIG_TFM_SPM_BACKEND if defined */
    FFM_BACKEND_IPC,
    FFM_BACKEND_SFN,
};

/* One structured diagnostic. line/column are 1-based; 0 when the file has no position. */
struct ffm_manifest_diag {
    const char *file;
    unsigned line, column;
    enum ffm_manifest_severity severity;
    enum ffm_rule rule;   /* FFM_RULE_MAN_nn, or FFM_RULE_NONE for I/O errors */
    const char *path;     /* attribute path, e.g. "services[1].stateless_handle", or "" */
    const char *message;
};

struct ffm_manifest_options {
    enum ffm_profile profile;
    const char *const *lists;            /* -m: manifest lists, in command-line order */
    size_t n_lists;
    const char *const *manifests;        /* positional partition manifests (after the lists) */
    size_t n_manifests;
    const char *const *config_files;     /* -c: headers with `#define NAME VALUE` lines */
    size_t n_config_files;
    const char *const *defines;          /* -D: "NAME" (= 1) or "NAME=VALUE"; override -c */
    size_t n_defines;
    /* MAN-29: the platform's named MMIO regions, checked only when check_platform_regions
     * is true (the CLI sets it only when --platform-regions is given). */
    const char *const *platform_regions;
    size_t n_platform_regions;
    bool check_platform_regions;         /* true: apply MAN-29 with the list above */
    bool werror;                         /* MAN-33: warnings make the load fail */
    /* --backend: the model of `model: dual` partitions; overrides CONFIG_TFM_SPM_BACKEND. */
    enum ffm_backend backend;
    /* --undefined-off: a `conditional` that is not defined disables its item (one warning
     * names them all) instead of being an error (MAN-04). */
    bool undefined_off;
    unsigned max_errors;                 /* 0: 50 */
};

struct ffm_manifest_set;

/*
 * Load and validate a system. The options and the strings they point to are only read during
 * the call; the set keeps copies of everything it needs. *set is always set (NULL only if memory ran out) and owns
 * everything, diagnostics included; release it with ffm_manifest_free(). Returns OK, INVALID
 * (any error, or any warning with werror) or IO_ERROR (an input could not be read).
 */
enum ffm_manifest_status ffm_manifest_load(const struct ffm_manifest_options *opt,
                                           struct ffm_manifest_set **set);

/* The load description, or NULL unless the load returned FFM_MANIFEST_OK. */
const struct ffm_system_desc *ffm_manifest_desc(const struct ffm_manifest_set *set);

/* Diagnostics in the order found; errors beyond the limit are only counted. */
size_t ffm_manifest_diag_count(const struct ffm_manifest_set *set);
const struct ffm_manifest_diag *ffm_manifest_diag_at(const struct ffm_manifest_set *set,
                                                     size_t i);
unsigned ffm_manifest_error_count(const struct ffm_manifest_set *set);
unsigned ffm_manifest_suppressed_count(const struct ffm_manifest_set *set);

/* "FILE:LINE:COL: error: PATH: MESSAGE [MAN-nn]" (MAN-31); returns snprintf's result. */
int ffm_manifest_format_diag(const struct ffm_manifest_diag *diag, char *buf, size_t size);

/* Print every diagnostic, one per line, then a line for suppressed errors if any. */
void ffm_manifest_print_diags(const struct ffm_manifest_set *set, FILE *out);

/*
 * Write OUTDIR/psa_manifest/sid.h, pid.h and OUTDIR/<output_path>/psa_manifest/<base>.h
 * (MAN-40..44). Every file is produced in memory first; files whose content is unchanged are
 * not touched; the others are written to temp files and renamed into place only when all
 * were written. Returns OK or IO_ERROR (with a diagnostic); refuses a set that did not load.
 */
enum ffm_manifest_status ffm_manifest_write_headers(struct ffm_manifest_set *set,
                                                    const char *outdir);

/* The generated text of one output, for tests and tools: "sid.h", "pid.h", or a partition's
 * header_name. NULL if unknown or the set did not load. Owned by the set. */
const char *ffm_manifest_header_text(struct ffm_manifest_set *set, const char *which);

void ffm_manifest_free(struct ffm_manifest_set *set);

/*
 * Command-line helpers shared by ffm-manifest and ffm-sim, so that -D and --backend mean
 * exactly the same in both tools.
 *
 * ffm_manifest_define_ok: "NAME" or "NAME=VALUE" with NAME a C identifier (a typo such as
 * "-D =1" could never match a `conditional` and would silently disable partitions).
 * ffm_manifest_backend_parse: "ipc" or "sfn" (any case) into *out; false otherwise.
 */
bool ffm_manifest_define_ok(const char *def);
bool ffm_manifest_backend_parse(const char *text, enum ffm_backend *out);

/* The library's version string, e.g. "1.0.0". */
const char *ffm_manifest_version(void);

#endif /* FFM_MANIFEST_H */
