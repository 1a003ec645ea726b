/*
 * ffm_limits.h - every size limit of ffmsim, defined once: the SPM core's compile-time maxima
 * and the bounds on what the tools read (manifests, manifest lists, platform files, config
 * headers, NVMEM files). The core, ffm-manifest and ffm-sim all include this header, so the
 * manifest tool refuses exactly what the simulator would refuse, with the same numbers
 * (docs/hostile-inputs.md lists the messages).
 *
 * Plain integer constants only: the core builds freestanding (make cross) with it.
 */
#ifndef FFM_LIMITS_H
#define FFM_LIMITS_H

/* ---------------------------------------------------------------- the SPM core (ffm_spm_boot) */

/* Compile-time maxima of a description the core accepts (ffm_spm_boot: FFM_BOOT_TOO_BIG).
 * ffm-manifest and ffm-sim check them where the manifests are read. */
#define FFM_MAX_PARTITIONS (32u)
#define FFM_MAX_SERVICES (128u)
#define FFM_MAX_IRQS (64u)

/* ---------------------------------------------------------------- input files */

/* Largest manifest, manifest list, platform file or config header read (bytes). */
#define FFM_LIMIT_INPUT_BYTES (1u << 20)
/* YAML documents (manifests, lists, platform files): nesting depth, nodes, nodes with aliases
 * expanded (alias bombs), entries of one mapping. */
#define FFM_LIMIT_YAML_DEPTH (64u)
#define FFM_LIMIT_YAML_NODES (20000u)
#define FFM_LIMIT_YAML_EXPANDED (20000u)
#define FFM_LIMIT_YAML_MAP_ENTRIES (1024u)
/* Error lines reported for one run before the rest are only counted. */
#define FFM_LIMIT_ERRORS (50u)

/* ---------------------------------------------------------------- platform memory (ffm-sim) */

/* One platform region, and all regions together, must fit in memory the simulator can map
 * and copy at each boot; the NVMEM region is filled (0xFF) when its file is created. */
#define FFM_LIMIT_REGION_BYTES (256ull << 20)
#define FFM_LIMIT_REGIONS_TOTAL_BYTES (1024ull << 20)
#define FFM_LIMIT_NVMEM_BYTES (64ull << 20)
/* Entries of a platform file's lists (each is checked against the others). */
#define FFM_LIMIT_PLATFORM_REGIONS (256u)
#define FFM_LIMIT_IRQ_SOURCES (1024u)

#endif /* FFM_LIMITS_H */
