/*
 * run_report.h - the machine-readable run summary of ffm-sim (--report FILE.json), for CI: the
 * same facts as the summary block (report.h) plus the last event with its code location, and
 * how the run ended: end reason, exit status and, separately, the NS entry's return value, so
 * that a script never has to guess whether an exit status came from ffm-sim or from the NS
 * application. The fields are listed in docs/ffm-sim.md section 3.
 */
#ifndef FFM_SIM_RUN_REPORT_H
#define FFM_SIM_RUN_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "report.h"

struct ffm_run_report {
    const struct ffm_run_counters *counters;
    enum ffm_stop_reason end_reason;
    int exit_status;
    bool ns_returned;                      /* end_reason EXITED: ns_status is meaningful */
    int ns_status;
    unsigned same_error_boots;             /* RESET_LOOP by repetition: how many boots */
    const struct ffm_pe_record *last_event; /* NULL: none */
    const char *message;                   /* halt or internal error details, or "" */
};

/* Write the report to `path` through a temporary file renamed into place, so a reader never
 * sees half a file. 0, or -1 with a one-line reason in err. */
int ffm_run_report_write(const char *path, const struct ffm_run_report *r, char *err,
                         size_t err_size);

#endif /* FFM_SIM_RUN_REPORT_H */
