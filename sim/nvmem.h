/*
 * nvmem.h - the persistent NVMEM region of ffm-sim (RESET-03..05): a MAP_SHARED mapping created
 * by the supervising parent before the first boot, so every re-created simulated system (a new
 * child process) sees the same bytes. Anonymous by default (persists across resets of one run);
 * file-backed with `--nvmem FILE` (persists across runs too).
 *
 * Cold start (RESET-04): the region is filled with 0xFF when it is created without previous
 * content: always for an anonymous mapping, and for a file that did not exist or was empty. An
 * existing file of the right size keeps its content; a file of another size is refused.
 *
 * A backing file is locked (POSIX record lock) from open to close: a second run on the same
 * file is refused with FFM_NVMEM_LOCKED. Locks belong to the process: open a file once per
 * process.
 */
#ifndef FFM_SIM_NVMEM_H
#define FFM_SIM_NVMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How to create the region. */
struct ffm_nvmem_config {
    size_t size;      /* bytes, > 0; rounded up to whole pages in the mapping only */
    uintptr_t base;   /* 0: anywhere; else a page-aligned fixed address (may be below 4 GiB) */
    const char *path; /* NULL: anonymous shared mapping; else the backing file */
};

/* An open region. `addr` stays valid (and at the same address) until ffm_nvmem_close. */
struct ffm_nvmem {
    void *addr;
    size_t size;        /* as configured */
    size_t map_size;    /* size rounded up to pages */
    bool cold;          /* filled with 0xFF by this open (RESET-04) */
    bool file_backed;
    int lock_fd;        /* file_backed: the open backing file, holding its write lock */
};

enum ffm_nvmem_status {
    FFM_NVMEM_OK = 0,
    FFM_NVMEM_BAD_CONFIG,   /* size 0 or unaligned base */
    FFM_NVMEM_FILE_ERROR,   /* cannot open, size or read the file */
    FFM_NVMEM_WRONG_SIZE,   /* the existing file has another size */
    FFM_NVMEM_MAP_ERROR,    /* mmap failed */
    FFM_NVMEM_BASE_TAKEN,   /* the fixed base is not available */
    FFM_NVMEM_LOCKED,       /* the file is locked by another run (another process) */
};

/*
 * Create the region. On failure returns the status, leaves `nv` closed and writes one line
 * naming the file, the sizes or the address into `err` (which may be NULL).
 */
enum ffm_nvmem_status ffm_nvmem_open(struct ffm_nvmem *nv, const struct ffm_nvmem_config *cfg,
                                     char *err, size_t err_size);

/* Write the content back to the file (if any) and unmap. Safe on a closed region. */
void ffm_nvmem_close(struct ffm_nvmem *nv);

#endif /* FFM_SIM_NVMEM_H */
