/*
 * image.h - partition images and the non-secure application as shared objects, each with a
 * private symbol namespace (issue 5 item 2; docs/sim.md §4).
 *
 * An image is built with `cc -shared -fPIC` and loaded with dlopen(RTLD_NOW | RTLD_LOCAL).
 * The program that loads images exports only the PSA API (psa_*) and the platform API
 * (ffm_platform_*) to them, through a linker export list (sim/ffm-sim.dynlist on GNU-style
 * linkers, sim/ffm-sim.exports on macOS; SIM_EXPORT_LDFLAGS in sim/sim.mk). So:
 *   - two images may define the same global names: each image's references bind to its own
 *     definitions (or fail to load), never to another image's or to the simulator's internals;
 *   - an image that uses a simulator symbol outside the exported API fails to load with the
 *     dynamic linker's "undefined symbol" message.
 *
 * Symbols named in manifests (entry_point, entry_init, <svc>_sfn, <irq>_flih, ns_main) are
 * looked up with image_symbol() in the image that defines them; which image that is, and
 * whether a name is ambiguous or missing, is decided before loading (image_check.h).
 *
 * All errors are one line, "PATH: error: ...", written to the caller's buffer.
 */
#ifndef FFM_SIM_IMAGE_H
#define FFM_SIM_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memmap.h"

struct image;

/* A loaded segment (ELF PT_LOAD, with a PT_GNU_RELRO part reported separately as R). */
struct image_segment {
    uintptr_t base;
    size_t size;
    unsigned rights;   /* MEMMAP_RX (code), MEMMAP_R (rodata, relro), MEMMAP_RW (data, bss) */
};

#define IMAGE_MAX_SEGMENTS 16

/* Load the shared object at `path` (a path without '/' is taken relative to the current
 * directory, never searched for in the library path). Returns 0 and *out, or -1 with a one-line
 * message in err: missing file, not a shared object, unresolved symbol (the dynamic linker's
 * text), and so on. */
int image_load(const char *path, struct image **out, char *err, size_t err_len);

/* dlclose and free. Addresses from the image are invalid afterwards. */
void image_unload(struct image *img);

/* Run the image's destructors (dlclose) and nothing else: for a simulated process about to
 * _exit, so that an image built with --coverage writes its gcov counters (its destructors
 * call __gcov_exit). The image is unusable afterwards; its record is not freed (no lock, no
 * free: the caller may be a fault handler). */
void image_finalize(struct image *img);

/* Whether addr lies in a segment of any loaded image (partition or NS code). */
bool image_any_contains(const void *addr);

const char *image_path(const struct image *img);

/* Address of `name` when this image itself defines it (not one of its dependencies, not the
 * simulator), else NULL. */
void *image_symbol(const struct image *img, const char *name);

/* The image's loaded segments, in address order. */
size_t image_segments(const struct image *img, const struct image_segment **segs);

/* Does `addr` lie in one of the image's segments? */
bool image_contains(const struct image *img, const void *addr);

/* The dlopen handle (image_bind.c). */
void *image_handle(const struct image *img);

/* Point the image's own references to each names[i] (GOT slots, the image's calls and address
 * uses) at fns[i]; nothing else in the process changes (MEM-18 binds malloc & co. to a
 * partition's heap). ELF hosts only. 0, or -1 with err. */
int image_rebind(const struct image *img, const char *const *names, void *const *fns, size_t n,
                 char *err, size_t err_len);

/* Register every segment as secure memory owned by partition `pid` (MEM-03): code RX, rodata
 * and relro R, data and bss RW. 0, or -1 with err. */
int image_register(const struct image *img, struct memmap *map, int32_t pid, bool psa_rot,
                   char *err, size_t err_len);

/* ---------------------------------------------------------------- sets of images */

/* Find `name` across `n` loaded images (ffm-fuzz, which loads images in its own process).
 * Returns 0 with *addr and *which (the index of the one image that defines it; either may be
 * NULL); -1 with err when no image defines it (the message names the symbol and the images
 * searched) or when two do (ambiguous: names both). */
int image_set_resolve(struct image *const *images, size_t n, const char *name, void **addr,
                      size_t *which, char *err, size_t err_len);

#endif /* FFM_SIM_IMAGE_H */
