/*
 * fuzz_platform.c - libFuzzer target for the platform file loader (sim/platform_file.c,
 * docs/sim.md §2): arbitrary bytes as a platform file.
 *
 * Oracle (abort on violation), besides "no crash, no leak" (ASan, LeakSanitizer):
 *  - the result agrees with the diagnostics: 0 <=> a platform and no error line; -1 <=> no
 *    platform and at least one error line;
 *  - every error line is "FILE:LINE:COL: error: ..." with the position inside the input;
 *  - an accepted file gives regions of size 1 .. 4 GiB whose fixed bases keep them below
 *    4 GiB and apart (no two regions with a base overlap), unique names, a valid NVMEM index
 *    naming a persistent region, and a watchdog scale > 0;
 *  - bounded memory: the .options file's malloc_limit_mb / rss_limit_mb.
 *
 * Built with libFuzzer by `make fuzz`; replayed over fuzz/corpus/platform by `make test`.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_text.h"
#include "platform_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FOUR_GIB (UINT64_C(1) << 32)
#define NAME "platform.yaml"

/* Each diagnostic line names the file and a position inside the input; returns the count. */
static unsigned check_diag_lines(char *out, const uint8_t *text, size_t len)
{
    unsigned n = 0;

    for (char *line = strtok(out, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        unsigned l = 0, c = 0, more = 0;
        int used = 0;
        /* The reader stops listing after its error limit and says how many it left out: the
         * one line with no position, and only as the last one. */
        if (sscanf(line, NAME ": error: %u more errors not shown%n", &more, &used) == 1 &&
            line[used] == '\0' && more > 0 && strtok(NULL, "\n") == NULL) {
            break;
        }
        used = 0;
        if (strncmp(line, NAME ":", sizeof NAME) != 0 ||
            sscanf(line + sizeof NAME, "%u:%u: error: %n", &l, &c, &used) != 2 || used == 0) {
            ft_fail("diagnostic not in FILE:LINE:COL: error: form", line);
        }
        if (!ft_pos_inside(text, len, l, c)) {
            ft_fail("diagnostic position outside the input", line);
        }
        n++;
    }
    return n;
}

static void check_regions(const struct platform_file *pf)
{
    for (size_t i = 0; i < pf->n_regions; i++) {
        const struct platform_region *r = &pf->regions[i];
        if (r->name == NULL || r->size == 0 || r->size > FOUR_GIB) {
            ft_fail("accepted a region without a name or with a size out of range", r->name);
        }
        if (r->has_base && (r->base == 0 || r->base + r->size > FOUR_GIB)) {
            ft_fail("accepted a region out of range", r->name);
        }
        for (size_t j = 0; j < i; j++) {
            const struct platform_region *o = &pf->regions[j];
            if (strcmp(o->name, r->name) == 0) {
                ft_fail("accepted two regions with one name", r->name);
            }
            if (r->has_base && o->has_base && r->base < o->base + o->size &&
                o->base < r->base + r->size) {
                ft_fail("accepted overlapping regions", r->name);
            }
        }
    }
    if (pf->nvmem_region >= 0 && ((size_t)pf->nvmem_region >= pf->n_regions ||
                                  !pf->regions[pf->nvmem_region].persistent)) {
        ft_fail("accepted an NVMEM region that is not a persistent region", NULL);
    }
    if (!(pf->watchdog_scale > 0)) {
        ft_fail("accepted a watchdog scale <= 0", NULL);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *out = NULL;
    size_t out_len = 0;
    FILE *diag = open_memstream(&out, &out_len);
    struct platform_file *pf = NULL;

    if (diag == NULL) {
        ft_fail("open_memstream", NULL);
    }
    int rc = platform_file_parse(NAME, (const char *)data, size, diag, &pf);
    fclose(diag);
    unsigned lines = check_diag_lines(out, data, size);
    free(out);
    if (rc == 0) {
        if (pf == NULL || lines != 0) {
            ft_fail("accepted without a platform, or with errors", NULL);
        }
        check_regions(pf);
        platform_file_free(pf);
    } else if (pf != NULL || lines == 0) {
        ft_fail("refused with a platform, or without an error line", NULL);
    }
    return 0;
}
