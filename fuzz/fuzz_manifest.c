/*
 * fuzz_manifest.c - libFuzzer target for the manifest loader and validator (ffm-rules.md §7,
 * src/manifest): arbitrary bytes as a partition manifest and as a manifest list, YAML or JSON.
 *
 * Input: one flags byte, then the text.
 *   bit 0  0: the text is a partition manifest given on its own (ffm-manifest's positional
 *          argument); 1: the text up to the first NUL byte is a manifest list, and what follows
 *          it is a partition manifest the list can name as `p.yaml` (or `p.json`)
 *   bit 1  file names end in .json instead of .yaml
 *   bit 2  the tfm profile instead of spec
 *
 * Oracle (abort on violation), besides "no crash, no leak" (ASan, LeakSanitizer):
 *  - the status agrees with the diagnostics: OK <=> a description and no error;
 *    INVALID <=> at least one error; IO_ERROR only for a file that cannot be read;
 *  - every diagnostic is one line; every diagnostic about one of the input files has a
 *    position (line and column >= 1) inside that file's text, a rule ID of the catalogue
 *    (MAN-nn) and a message;
 *  - an accepted system has partitions and services within the core's maxima;
 *  - bounded memory: the loader refuses alias bombs and deep nesting by itself; the .options
 *    file's malloc_limit_mb / rss_limit_mb make any other blow-up a finding.
 *
 * Built with libFuzzer by `make fuzz`; replayed over fuzz/corpus/manifest by `make test`.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ffm_rules.h"
#include "fuzz_text.h"
#include "manifest/manifest.h"
#include "spm_state.h" /* FFM_MAX_PARTITIONS, FFM_MAX_SERVICES */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One input file: where it was written and what it holds. */
struct text_file {
    const char *path;
    const uint8_t *text;
    size_t len;
};

static void check_diag(const struct ffm_manifest_diag *d, const struct text_file *files,
                       unsigned n_files)
{
    char line[1024];

    (void)ffm_manifest_format_diag(d, line, sizeof line);
    if (d->message == NULL || d->message[0] == '\0') {
        ft_fail("diagnostic without a message", line);
    }
    if (strpbrk(line, "\n\r") != NULL) {
        ft_fail("diagnostic on more than one line", line);
    }
    for (unsigned i = 0; i < n_files; i++) {
        if (d->file == NULL || strcmp(d->file, files[i].path) != 0) {
            continue;
        }
        if (d->rule == FFM_RULE_NONE) {
            return; /* an I/O error about the file as a whole */
        }
        if (strncmp(ffm_rule_id(d->rule), "MAN-", 4) != 0) {
            ft_fail("diagnostic without a MAN rule", line);
        }
        if (!ft_pos_inside(files[i].text, files[i].len, d->line, d->column)) {
            ft_fail("diagnostic position outside the input", line);
        }
    }
}

static void check_set(enum ffm_manifest_status st, struct ffm_manifest_set *set,
                      const struct text_file *files, unsigned n_files)
{
    if (set == NULL) {
        ft_fail("the loader returned no set", NULL);
    }
    size_t n = ffm_manifest_diag_count(set);
    unsigned errors = 0;
    for (size_t i = 0; i < n; i++) {
        const struct ffm_manifest_diag *d = ffm_manifest_diag_at(set, i);
        errors += d->severity == FFM_DIAG_ERROR ? 1u : 0u;
        check_diag(d, files, n_files);
    }
    errors += ffm_manifest_suppressed_count(set);
    const struct ffm_system_desc *desc = ffm_manifest_desc(set);
    switch (st) {
    case FFM_MANIFEST_OK:
        if (desc == NULL || errors != 0) {
            ft_fail("OK without a description, or with errors", NULL);
        }
        if (desc->n_partitions > FFM_MAX_PARTITIONS || desc->n_services > FFM_MAX_SERVICES) {
            ft_fail("accepted a system beyond the core's maxima", NULL);
        }
        break;
    case FFM_MANIFEST_INVALID:
        if (desc != NULL || errors == 0) {
            ft_fail("INVALID with a description, or without an error", NULL);
        }
        break;
    default:
        if (desc != NULL) {
            ft_fail("IO_ERROR with a description", NULL);
        }
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) {
        return 0;
    }
    uint8_t flags = data[0];
    const uint8_t *text = data + 1;
    size_t len = size - 1;
    const char *ext = (flags & 2u) != 0u ? "json" : "yaml";
    char list_name[16], part_name[16];
    struct text_file files[2];
    unsigned n_files = 0;
    struct ffm_manifest_options opt = {
        .profile = (flags & 4u) != 0u ? FFM_PROFILE_TFM : FFM_PROFILE_SPEC,
    };
    const char *list_path, *part_path;

    snprintf(list_name, sizeof list_name, "list.%s", ext);
    snprintf(part_name, sizeof part_name, "p.%s", ext);
    if ((flags & 1u) != 0u) {
        const uint8_t *nul = memchr(text, '\0', len);
        size_t list_len = nul != NULL ? (size_t)(nul - text) : len;
        size_t rest = nul != NULL ? len - list_len - 1u : 0u;
        list_path = ft_write(0, list_name, text, list_len);
        part_path = ft_write(1, part_name, text + list_len + (nul != NULL), rest);
        files[n_files++] = (struct text_file){ list_path, text, list_len };
        files[n_files++] = (struct text_file){ part_path, text + list_len + 1u, rest };
        opt.lists = &list_path;
        opt.n_lists = 1;
    } else {
        part_path = ft_write(1, part_name, text, len);
        files[n_files++] = (struct text_file){ part_path, text, len };
        opt.manifests = &part_path;
        opt.n_manifests = 1;
    }

    struct ffm_manifest_set *set = NULL;
    enum ffm_manifest_status st = ffm_manifest_load(&opt, &set);
    check_set(st, set, files, n_files);
    ffm_manifest_free(set);
    return 0;
}
