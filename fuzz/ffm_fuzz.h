/*
 * ffm_fuzz.h - what the parts of ffm-fuzz share (ffm_fuzz.c: options, loading, platform API;
 * ffm_fuzz_snap.c: the booted-state snapshot; ffm_fuzz_input.c: inputs and findings).
 */
#ifndef FFM_FUZZ_H
#define FFM_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "syncport.h"

#define FF_MAX_IMAGES 32
#define FF_MAX_ALLOW 32

struct image;
struct ffm_manifest_set;

/* What the system is doing for the input (for reports). */
struct ff_activity {
    unsigned op;           /* 1-based index of the op in the input */
    const char *caller;    /* "NS client -1" or a partition name */
    const char *api;       /* "psa_call", ... */
    const char *service;   /* NULL: nothing running */
    const char *partition;
    bool is_call;
    int32_t type;
};

/* A panic or reset a service performs on purpose for one request type (--allow). */
struct ff_allow {
    char *service;
    int32_t type;
};

struct ff_system {
    /* Options. */
    const char *list;
    const char *platform;
    const char *image_paths[FF_MAX_IMAGES];
    size_t n_images;
    bool as_secure;
    struct ff_allow allow[FF_MAX_ALLOW];
    unsigned n_allow;
    /* The loaded system. */
    struct ffm_manifest_set *set;
    const struct ffm_system_desc *desc;
    struct image *images[FF_MAX_IMAGES];
    struct ffm_sync *h;
    uint8_t *nvmem;
    size_t nvmem_size;
    uint32_t boot_count;
    int32_t reset_by; /* the partition that called ffm_platform_reset, or -1 */
    struct ff_activity now;
};

extern struct ff_system ff;

/* "ffm-fuzz: " and the message (which says "error:"), then exit status 2. */
_Noreturn void ff_die(const char *fmt, ...);
/* Report a finding (with what the system was doing) and abort: libFuzzer keeps the input. */
_Noreturn void ff_finding(const char *kind, const char *fmt, ...);

/* Save the booted system (SPM, the images' .data/.bss, NVMEM); copy it back. */
void ff_snap_take(void);
void ff_snap_restore(void);

/* Run one input's program of client calls and check it. */
void ff_run_input(const uint8_t *data, size_t size);

#endif /* FFM_FUZZ_H */
