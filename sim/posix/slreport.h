/*
 * slreport.h - `ffm-sim --stateless-report FILE`: the stateless-readiness report of a run,
 * written from the observer's block (slobs.h) once the run has stopped. FILE gets Markdown,
 * and a JSON copy goes beside it (FILE with .md replaced by .json, or FILE.json), which
 * `ffm-manifest --migrate-stateless --report` reads. docs/migrating-to-stateless.md explains
 * every column and the limit of the verdict.
 */
#ifndef FFM_SIM_SLREPORT_H
#define FFM_SIM_SLREPORT_H

#include <stddef.h>
#include <stdio.h>

#include "ffmsim/desc.h"
#include "slobs.h"

enum ffm_sl_verdict {
    FFM_SL_CAN = 0,        /* no evidence against it in this run */
    FFM_SL_CANNOT,         /* evidence named in the reason */
    FFM_SL_NOT_EXERCISED,  /* no connection seen */
};

/* The verdict on connection-based service `service`, with its reason (one sentence) and the
 * short name of the main evidence ("rhandle", "connect work", ...; "" when none). */
enum ffm_sl_verdict ffm_sl_verdict_of(const struct ffm_system_desc *d, const struct ffm_slobs *o,
                                      uint16_t service, char *reason, size_t reason_size,
                                      const char **evidence);

/* The JSON path that goes with Markdown path `md` (".md" -> ".json", else md + ".json"). */
void ffm_sl_json_path(const char *md, char *out, size_t size);

/* Write both files, each atomically (a temporary file renamed into place). 0, or -1 with one
 * line in err. */
int ffm_sl_report_write(const struct ffm_system_desc *d, const struct ffm_slobs *o,
                        const char *md_path, char *err, size_t err_size);

/* ffm-sim, before the run: check that md_path can be written (one line in err if not) and map
 * an empty observer shared with the boots to come. NULL on failure. */
struct ffm_slobs *ffm_sl_report_begin(const char *md_path, uint16_t n_services, char *err,
                                      size_t err_size);

/* ffm-sim, once the run has stopped: write the report, say where on `log` (or the error),
 * release the observer. 0, or -1 if a file could not be written. */
int ffm_sl_report_end(struct ffm_slobs *o, const struct ffm_system_desc *d, const char *md_path,
                      FILE *log);

#endif /* FFM_SIM_SLREPORT_H */
