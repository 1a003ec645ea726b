/*
 * migrate.h - `ffm-manifest --migrate-stateless`: make connection-based services of one
 * partition manifest stateless (connection_based: false, stateless_handle: auto), upgrading
 * the manifest from FF-M 1.0 to 1.1 where needed, by editing its text in place so that
 * comments, key order, quoting and layout stay as they were (docs/migrating-to-stateless.md).
 *
 * The edits are placed with libyaml's event marks; block and flow (JSON) mappings are both
 * handled. The upgrade from 1.0 sets psa_framework_version to 1.1, adds `model: IPC` when the
 * model was left to the 1.0 default, `connection_based: true` to the services that stay
 * connection-based, and turns each IRQ's 1.0 `signal: X_SIGNAL` into `name: X` plus
 * `handling: SLIH` (the generated macro stays X_SIGNAL); an IRQ signal not ending in _SIGNAL
 * cannot keep its macro, and the migration is refused.
 */
#ifndef FFM_MANIFEST_MIGRATE_H
#define FFM_MANIFEST_MIGRATE_H

#include <stdbool.h>
#include <stddef.h>

#define FFM_MIGRATE_MAX_SERVICES 64u
#define FFM_MIGRATE_ERR_MAX 512u

enum ffm_migrate_outcome {
    FFM_MIGRATE_MOVED = 0,       /* connection-based before, stateless now */
    FFM_MIGRATE_ALREADY,         /* already stateless: left as it was */
};

struct ffm_migrate_result {
    char *text;                  /* the new manifest text (malloc'd, NUL-terminated) */
    size_t len;
    bool upgraded;               /* psa_framework_version went from 1.0 to 1.1 */
    enum ffm_migrate_outcome outcome[FFM_MIGRATE_MAX_SERVICES]; /* per requested service */
    char err[FFM_MIGRATE_ERR_MAX]; /* "LINE:COL: reason" or "reason" when it fails */
};

/*
 * Migrate `services` (names) in the manifest `text` of `len` bytes. 0 with out->text set, or
 * -1 with out->err (a YAML error, a service the manifest does not declare, an IRQ that cannot
 * be upgraded, out of memory). Release out->text with free().
 */
int ffm_migrate_text(const char *text, size_t len, const char *const *services, size_t n,
                     struct ffm_migrate_result *out);

/* The ffm-manifest command for --migrate-stateless (its own option set; exit status 0, 1 I/O
 * failure, 2 invalid input, usage or refusal). */
int ffm_manifest_migrate_main(int argc, char **argv);

/* The ffm-manifest command for --upgrade MANIFEST...: FF-M 1.0 manifests rewritten in place
 * as 1.1, comments kept; all or nothing (exit 0, 1 I/O failure, 2 invalid input or usage). */
int ffm_manifest_upgrade_main(int argc, char **argv);

#endif /* FFM_MANIFEST_MIGRATE_H */
