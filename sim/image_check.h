/*
 * image_check.h - images checked before the first boot without running any of their code
 * (docs/sim.md §4.1).
 *
 * Images are loaded (dlopen) inside the simulated system, at each boot, so that their
 * constructors run there: attributed to their image, under the fault handlers, the panic
 * policy and --timeout. The supervisor must still report loading errors before the first
 * boot, so it reads each image's file instead of loading it: the ELF header (a shared object
 * for this host), the dynamic symbol table (which image defines each name a manifest gives;
 * ambiguous and missing names), and the undefined symbols, each of which must be defined in
 * the simulator's exported API, in a library already loaded, or in one of the image's own
 * DT_NEEDED libraries. A needed library that is not loaded yet is not loaded here (its
 * constructors would run in the supervisor): symbols it could define are left for the
 * dynamic linker at boot, where a failure is an internal error of that boot.
 *
 * Where the host does not use ELF (macOS), the check is only the file checks; symbols are
 * found at boot.
 */
#ifndef FFM_SIM_IMAGE_CHECK_H
#define FFM_SIM_IMAGE_CHECK_H

#include <stdbool.h>
#include <stddef.h>

struct image_info;

/* Check the image at `path`. Returns 0 and *out, or -1 with one line in err ("PATH: error:
 * cannot load image: ..."): missing, not a regular file, not a shared object of this host,
 * no dynamic symbol table, an undefined symbol nothing defines. `others` (n_others) are the
 * images checked so far: the same file twice is refused. */
int image_check(const char *path, struct image_info *const *others, size_t n_others,
                struct image_info **out, char *err, size_t err_len);

void image_info_free(struct image_info *info);

const char *image_info_path(const struct image_info *info);

/* Does the image itself define `name` (a function or object of its own)? Always true where
 * symbols cannot be read before loading (non-ELF hosts). */
bool image_info_defines(const struct image_info *info, const char *name);

/* Which of `n` images defines `name`: 0 and *which, or -1 with err when none does (naming the
 * images searched) or two do (ambiguous; naming both). */
int image_info_resolve(struct image_info *const *infos, size_t n, const char *name,
                       size_t *which, char *err, size_t err_len);

#endif /* FFM_SIM_IMAGE_CHECK_H */
