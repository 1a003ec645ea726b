/*
 * platform_file.h - the simulated platform description (issue 5 item 4; docs/sim.md §2):
 * memory regions, IRQ sources, watchdog, lifecycle state and the NVMEM region, read from a
 * YAML file with libyaml or taken from the built-in default.
 *
 * Loading validates everything and reports every error, one per line, as
 *     FILE:LINE:COL: error: PATH: MESSAGE
 * (the manifest tool's format, MAN-31). On any error nothing is returned and nothing leaks.
 * The result is a plain structure owned by the caller; the port reads its fields directly and
 * frees it with platform_file_free(). It does not depend on manifests: partition names
 * (`owner`) and manifests' `mmio_regions`/`irqs.source` are cross-checked by the port, which
 * can use the recorded locations to report in the same format (platform_file_report()).
 */
#ifndef FFM_SIM_PLATFORM_FILE_H
#define FFM_SIM_PLATFORM_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "flash.h"

/* Position of a YAML node: 1-based line and column. */
struct platform_loc {
    unsigned line;
    unsigned column;
};

struct platform_region {
    char *name;              /* C identifier, unique; the name manifests' mmio_regions use */
    bool has_base;           /* true: mapped at exactly `base` (memmap_map_fixed) */
    uint64_t base;           /* page-aligned, >= one page, base + size <= 4 GiB */
    uint64_t size;           /* 1 .. 4 GiB */
    bool secure;             /* security: secure | non-secure */
    char *owner;             /* partition name, or NULL (assigned by the port / CLI) */
    bool read_write;         /* access: read-write; false: read-only */
    bool persistent;         /* survives a simulated reset (RESET-03) */
    bool flash;              /* `flash:` given: programmed and erased through Driver_FLASHn */
    unsigned flash_device;   /* when flash: n of Driver_FLASHn (flash regions in file order) */
    struct ffm_flash_geometry flash_geometry; /* when flash */
    struct platform_loc loc;       /* of the region's entry in `regions` */
    struct platform_loc owner_loc; /* of `owner`, or of the NVMEM owner; 0:0 when unset */
};

struct platform_irq_source {
    char *name;              /* as written: a C identifier or a number ("17", "0x11") */
    bool is_number;
    uint32_t number;         /* when is_number */
    uint32_t period_us;      /* periodic source ({name, period_us}): a tick every period_us
                              * microseconds of simulated time; 0: raised by code only */
    struct platform_loc loc;
};

struct platform_file {
    char *path;              /* the file name, or "<built-in>" */
    char *description;       /* optional, NULL when absent */
    uint32_t lifecycle;      /* psa_rot_lifecycle_state(): a PSA state | implementation byte */
    double watchdog_scale;   /* host monotonic ms per simulated ms (RESET-08), > 0; default 1 */
    uint32_t watchdog_default_timeout_ms; /* used for ffm_platform_wdog_arm(0); 0 = none */
    struct platform_region *regions;
    size_t n_regions;
    struct platform_irq_source *irq_sources;
    size_t n_irq_sources;
    int nvmem_region;        /* index in regions of the NVMEM region (RESET-03), or -1 */
    unsigned n_flash;        /* regions with `flash:` (at most FFM_FLASH_MAX_DEVICES) */
};

/* Load and validate a platform file. Errors go to `diag` (stderr when NULL). Returns 0 and sets
 * *out, or returns -1 with *out = NULL after reporting every error found. */
int platform_file_load(const char *path, FILE *diag, struct platform_file **out);

/* The same, from text in memory; `name` is used as FILE in messages. */
int platform_file_parse(const char *name, const char *text, size_t len, FILE *diag,
                        struct platform_file **out);

/* The built-in default platform (docs/sim.md): one 16 KiB secure, read-write, persistent
 * region NVMEM with no fixed base and no owner, which is the NVMEM region; IRQ sources
 * TIMER0_IRQ and TEST_IRQ; watchdog scale 1.0; lifecycle SECURED. Returns 0, or -1 when out
 * of memory. platform_file_default_text() is its YAML source. */
int platform_file_default(struct platform_file **out);
const char *platform_file_default_text(void);

void platform_file_free(struct platform_file *pf);

/* The region called `name`, or NULL. */
const struct platform_region *platform_file_region(const struct platform_file *pf,
                                                   const char *name);

/* Index of the IRQ source matching a manifest's irqs.source text, or -1. Numbers compare
 * numerically ("17" matches 0x11), names textually. */
int platform_file_irq_source(const struct platform_file *pf, const char *source);

/* Report an error about the platform file at `loc` in the standard format, e.g. for an owner
 * that names no partition. `path` is the attribute path ("regions[2].owner"). */
void platform_file_report(const struct platform_file *pf, FILE *diag, struct platform_loc loc,
                          const char *path, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* "SECURED" for 0x3000..0x30ff, and so on; NULL when the state byte is not one of the 7. */
const char *platform_lifecycle_name(uint32_t value);

#endif /* FFM_SIM_PLATFORM_FILE_H */
