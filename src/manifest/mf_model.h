/*
 * mf_model.h - the validated, still positioned form of a system between parsing and the load
 * description: one mf_part per enabled partition in collection order (MAN-05), with the YAML
 * nodes kept so that cross-partition errors (MAN-17, -18, -21, -26..28) can name locations.
 */
#ifndef FFM_MF_MODEL_H
#define FFM_MF_MODEL_H

#include "manifest/mf_internal.h"

struct mf_svc {
    const struct mf_node *node, *name_n, *sid_n, *version_n, *sl_n;
    const char *name;
    const char *sid_text; /* as written, for the tfm profile's raw-text compare (MAN-18) */
    uint32_t sid;
    uint32_t version;
    uint8_t policy;
    bool ns, cb, mm;
    int sl_explicit; /* 0..31 for an explicit stateless_handle, else -1 (auto) */
    int sl_index;    /* allocated index, or -1 */
};

struct mf_irq {
    const struct mf_node *node, *name_n, *source_n;
    const char *name;   /* 1.1 name, 1.0 signal */
    const char *source; /* as written */
    bool source_numeric;
    int64_t source_value;
    uint8_t handling;
    int32_t client_id_base, client_id_limit; /* NS agent IRQs (TF-M), when has_client_ids */
    bool has_client_ids;
};

struct mf_mmio {
    const struct mf_node *name_n;
    struct ffm_mmio_desc desc;
};

struct mf_part {
    const char *file;       /* manifest path as resolved */
    const char *list_file;  /* NULL for a positional manifest */
    const char *item_path;  /* "manifest_list[i]" in the list, for pid errors */
    const struct mf_node *item_n; /* that list item, or NULL for a positional manifest */
    const char *output_path;
    const char *header_name;
    const struct mf_node *pid_n; /* explicit pid, or NULL */
    int64_t pid;
    const char *const *non_ffm;
    size_t n_non_ffm;
    bool valid; /* parsed without errors, so the fields below are meaningful */
    const struct mf_node *root, *name_n;
    const char *name;
    uint16_t ff;
    uint8_t type, model, priority;
    const char *entry;
    const char *stack_size, *heap_size;
    uint32_t stack_bytes, heap_bytes;
    bool stack_numeric, heap_numeric;
    struct mf_svc *svcs;
    size_t n_svcs;
    struct mf_irq *irqs;
    size_t n_irqs;
    struct mf_mmio *mmio;
    size_t n_mmio;
    const struct mf_node *deps, *weak_deps; /* sequences, or NULL */
    /* TF-M NS agent partitions (ns_agent: true): the NS client IDs they speak for. */
    bool ns_agent, has_client_ids;
    int32_t client_id_base, client_id_limit;
    const struct mf_node *client_ids_n; /* client_id_base, for messages */
};

struct ffm_manifest_set {
    struct mf_arena arena;
    struct mf_diags diags;
    struct mf_config config;
    enum ffm_profile profile;
    const struct ffm_manifest_options *opt; /* valid during ffm_manifest_load only */
    struct mf_part *parts;
    size_t n_parts, cap_parts;
    bool loaded;
    /* --undefined-off: the distinct undefined conditionals met, in order, and where the first
     * was, for the one warning that names them all (MAN-04). */
    const char **undefined;
    size_t n_undefined, cap_undefined;
    const char *undefined_file;
    const struct mf_node *undefined_at;
    struct ffm_system_desc desc;
    const char *sid_h, *pid_h;
    const char **part_h; /* per partition, generated on demand */
};

/* Position-aware error and warning helpers used by all validators. */
void mf_err(struct ffm_manifest_set *set, const char *file, const struct mf_node *at,
            enum ffm_rule rule, const char *path, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;
void mf_warn(struct ffm_manifest_set *set, const char *file, const struct mf_node *at,
             enum ffm_rule rule, const char *path, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/* MAN-01..04: read one manifest list, appending its enabled items' partitions. */
void mf_load_list(struct ffm_manifest_set *set, const char *list_file);
/* MAN-04 with --undefined-off: the one warning naming every undefined conditional, if any. */
void mf_warn_undefined(struct ffm_manifest_set *set);
/* A positional manifest: as if listed without conditional, pid or output_path. */
void mf_load_positional(struct ffm_manifest_set *set, const char *manifest_file);
/* MAN-10..16, -19..21, -25, -28, -30: parse and check one partition manifest. */
void mf_parse_partition(struct ffm_manifest_set *set, struct mf_part *part);
/* MAN-06/07, -17, -18, -21..24, -26..29, -42, SIG-02/03/05: whole-system checks and desc. */
void mf_check_system(struct ffm_manifest_set *set);
/* MAN-10: TF-M NS agents' client ID ranges do not overlap (mf_tfm.c). */
void mf_check_client_id_overlap(struct ffm_manifest_set *set);
/* A negative client ID as TF-M manifests write it: "-0x400ffff". */
const char *mf_client_id_text(struct mf_arena *arena, int32_t id);
/* MAN-40..43: the generated headers, as text in the arena. */
const char *mf_gen_sid_h(struct ffm_manifest_set *set);
const char *mf_gen_pid_h(struct ffm_manifest_set *set);
const char *mf_gen_partition_h(struct ffm_manifest_set *set, size_t partition);

#endif /* FFM_MF_MODEL_H */
