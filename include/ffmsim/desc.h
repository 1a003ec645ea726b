/*
 * ffmsim/desc.h - the load description (ffm-rules.md MAN-45): what the manifest library hands
 * to the SPM core and to the simulator's loader after validating a system's manifests.
 *
 * It is the single description of a system: the same structure generates sid.h, pid.h and the
 * per-partition headers, and builds the SPM's run-time tables, so the two can never disagree.
 * Plain C types only: the SPM core reads it on a Cortex-M33 too. The core treats it as constant
 * after boot; its run-time state lives elsewhere.
 *
 * Indices: services[] and irqs[] are grouped by partition in collection order (MAN-05):
 * partition p owns services [first_service, first_service + n_services) and likewise IRQs.
 */
#ifndef FFMSIM_DESC_H
#define FFMSIM_DESC_H

#include <stdbool.h>
#include <stdint.h>

#include "psa/service.h"

#define FFM_FF_VERSION_1_0 (0x0100u)
#define FFM_FF_VERSION_1_1 (0x0101u)
#define FFM_NO_STATELESS_INDEX (-1)

enum ffm_partition_type { FFM_PSA_ROT = 0, FFM_APPLICATION_ROT = 1 };
enum ffm_model { FFM_MODEL_IPC = 0, FFM_MODEL_SFN = 1 };
enum ffm_priority { FFM_PRIORITY_HIGH = 0, FFM_PRIORITY_NORMAL = 1, FFM_PRIORITY_LOW = 2 };
enum ffm_version_policy { FFM_POLICY_STRICT = 0, FFM_POLICY_RELAXED = 1 };
enum ffm_irq_handling { FFM_IRQ_SLIH = 0, FFM_IRQ_FLIH = 1 };

struct ffm_service_desc {
    const char *name;        /* C identifier, unique system-wide (MAN-17) */
    uint32_t sid;
    uint32_t version;        /* >= 1 (MAN-19) */
    uint8_t version_policy;  /* enum ffm_version_policy */
    bool non_secure_clients;
    bool connection_based;   /* false: stateless (FF-M 1.1 only) */
    bool mm_iovec;           /* mm_iovec: enable (MAN-25) */
    int8_t stateless_index;  /* 0..31 for a stateless service, else FFM_NO_STATELESS_INDEX */
    psa_handle_t stateless_handle; /* HDL-02 encoding, 0 for connection-based services */
    psa_signal_t signal;     /* SIG-02 (IPC) or internal SIG-05 numbering (SFN) */
    uint16_t partition;      /* index in ffm_system_desc.partitions */
    const char *sfn_name;    /* "<service lower>_sfn" in SFN partitions, else NULL */
};

struct ffm_irq_desc {
    const char *name;        /* 1.1: `name`; 1.0: the `signal` macro name */
    const char *source;      /* `source` as written: a number or a C identifier */
    psa_signal_t signal;     /* SIG-03 */
    uint8_t handling;        /* enum ffm_irq_handling; always SLIH in FF-M 1.0 */
    const char *flih_name;   /* "<name lower>_flih" for FLIH IRQs, else NULL */
    uint16_t partition;
};

struct ffm_mmio_desc {
    const char *name;        /* named region (MAN-12), or NULL when numbered */
    uint64_t base;           /* numbered regions only */
    uint64_t size;           /* numbered regions only */
    bool read_write;         /* READ-WRITE, else READ-ONLY */
};

struct ffm_partition_desc {
    const char *name;        /* C identifier; the pid.h macro */
    int32_t pid;
    uint16_t ff_version;     /* FFM_FF_VERSION_1_0 or FFM_FF_VERSION_1_1 */
    uint8_t type;            /* enum ffm_partition_type */
    uint8_t model;           /* enum ffm_model */
    uint8_t priority;        /* enum ffm_priority */
    const char *entry;       /* IPC: entry_point; SFN: entry_init or NULL */
    const char *stack_size;  /* as written: "0x400", "1024" or a macro name (MAN-30) */
    uint32_t stack_bytes;    /* numeric value, or 0 when stack_size is a macro name */
    const char *heap_size;   /* as stack_size; "0" by default */
    uint32_t heap_bytes;
    uint16_t first_service, n_services;
    uint16_t first_irq, n_irqs;
    const uint16_t *deps;    /* service indices this partition may call (MAN-26) */
    uint16_t n_deps;
    const struct ffm_mmio_desc *mmio;
    uint16_t n_mmio;
    const char *manifest_path; /* as resolved, for messages */
    const char *header_name;   /* "<manifest basename>.h" (MAN-42) */
    const char *output_path;   /* the list item's output_path, "" by default */
};

struct ffm_system_desc {
    const struct ffm_partition_desc *partitions;
    uint16_t n_partitions;
    const struct ffm_service_desc *services;
    uint16_t n_services;
    const struct ffm_irq_desc *irqs;
    uint16_t n_irqs;
    int16_t stateless_slot[32]; /* service index per stateless index, or -1 (MAN-23) */
};

#endif /* FFMSIM_DESC_H */
