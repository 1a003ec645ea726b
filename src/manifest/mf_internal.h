/*
 * mf_internal.h - the manifest library's internal pieces: an arena that owns every allocation
 * of a set, the diagnostics sink, and the positioned YAML tree that the validators walk. The
 * YAML layer (mf_yaml_load/mf_yaml_parse, with the limits of ffm_limits.h) is also the one
 * the simulator's platform file reader uses (sim/platform_file.c): one reader, one set of
 * limits. Nothing here is part of the public API (manifest.h).
 */
#ifndef FFM_MF_INTERNAL_H
#define FFM_MF_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ffm_limits.h"
#include "ffm_rules.h"
#include "handle.h"
#include "manifest/manifest.h"

/* ------------------------------------------------------------------ arena */

/* Every block a set allocates hangs off one arena, so one free releases all of it. */
struct mf_arena {
    struct mf_block *blocks;
};

void *mf_alloc(struct mf_arena *arena, size_t size); /* zeroed; aborts on exhaustion */
char *mf_strdup(struct mf_arena *arena, const char *text);
char *mf_strndup(struct mf_arena *arena, const char *text, size_t len);
char *mf_printf(struct mf_arena *arena, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void mf_arena_release(struct mf_arena *arena);

/* ------------------------------------------------------------------ diagnostics */

struct mf_diags {
    struct mf_arena *arena;
    struct ffm_manifest_diag *items;
    size_t n, cap;
    unsigned max_errors;
    unsigned errors, warnings, suppressed;
    bool io_failed; /* an input or output file could not be read or written (exit 1) */
};

/* Record one diagnostic; path may be NULL or "" for none. Errors beyond max_errors are counted
 * in `suppressed` only, so a broken input cannot make the report unbounded. */
void mf_diag(struct mf_diags *d, enum ffm_manifest_severity sev, const char *file,
             unsigned line, unsigned column, enum ffm_rule rule, const char *path,
             const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 8, 9)))
#endif
    ;

/* ------------------------------------------------------------------ YAML tree */

enum mf_kind { MF_SCALAR, MF_SEQ, MF_MAP };

/*
 * One YAML node with its position (1-based line and column). A mapping stores keys and values
 * alternately in items[]. Aliases share their anchor's node, so the tree is a DAG owned by the
 * arena; `weight` is the node count with aliases expanded, which bounds alias bombs.
 */
struct mf_node {
    enum mf_kind kind;
    unsigned line, col;
    bool plain;          /* plain, untagged scalar: may be a bool or a number */
    const char *text;    /* scalar text, NUL-terminated */
    size_t len;
    struct mf_node **items;
    size_t n, cap;
    uint64_t weight;
};

/* Limits that keep hostile input in bounded memory and time (one definition: ffm_limits.h). */
#define MF_MAX_FILE_BYTES FFM_LIMIT_INPUT_BYTES
#define MF_MAX_DEPTH FFM_LIMIT_YAML_DEPTH
#define MF_MAX_NODES FFM_LIMIT_YAML_NODES
#define MF_MAX_EXPANDED FFM_LIMIT_YAML_EXPANDED
#define MF_MAX_MAP_ENTRIES FFM_LIMIT_YAML_MAP_ENTRIES

/* Read a whole input file (at most MF_MAX_FILE_BYTES; NUL-terminated in the arena). NULL after
 * recording why: cannot open or read (io_failed), or too large (`rule`). */
unsigned char *mf_read_input(struct mf_arena *arena, struct mf_diags *d, const char *file,
                             enum ffm_rule rule, size_t *len);

/*
 * Parse `file` into a tree. On failure returns NULL after recording the reason (I/O errors set
 * io_failed; syntax errors carry libyaml's position and `rule`).
 */
struct mf_node *mf_yaml_load(struct mf_arena *arena, struct mf_diags *d, const char *file,
                             enum ffm_rule rule);
/* The same from `len` bytes in memory; `file` names it in messages. */
struct mf_node *mf_yaml_parse(struct mf_arena *arena, struct mf_diags *d, const char *file,
                              const unsigned char *buf, size_t len, enum ffm_rule rule);

/* Value of `key` in a mapping, or NULL; *key_node receives the key when not NULL. */
const struct mf_node *mf_map_get(const struct mf_node *map, const char *key,
                                 const struct mf_node **key_node);

/* Scalar classification (§7: only true/false are booleans; ints are decimal or 0x hex). */
bool mf_is_bool(const struct mf_node *n, bool *value);
bool mf_parse_int(const char *text, int64_t *value); /* decimal or 0x hex, optional '-' */
bool mf_is_int(const struct mf_node *n, int64_t *value);
bool mf_is_c_ident(const char *text);

/* ------------------------------------------------------------------ configuration */

struct mf_define {
    const char *name;
    const char *value;
};

struct mf_config {
    struct mf_define *defs; /* value NULL: #undef'd */
    size_t n, cap;
    uint32_t *slots;        /* hash index of defs: 1 + index, 0 empty; at most half full */
    size_t n_slots;
};

/* FNV-1a hash of a string, for the hash indexes (duplicate keys, config names). */
uint32_t mf_hash(const char *text);

/* Read a config header: the preprocessor subset of docs/manifest.md ("Config headers");
 * anything else is an error at FILE:LINE:COL. False on I/O failure (recorded). */
bool mf_config_read_file(struct mf_arena *arena, struct mf_diags *d, struct mf_config *cfg,
                         const char *path);
/* Add "NAME" (value "1") or "NAME=VALUE"; a later definition replaces an earlier one. */
void mf_config_define(struct mf_arena *arena, struct mf_config *cfg, const char *def);
const char *mf_config_lookup(const struct mf_config *cfg, const char *name);

#endif /* FFM_MF_INTERNAL_H */
