/*
 * result_lines.h - the closing lines of a test program that reports in CMocka's format
 * (scripts/run-tests.sh counts them): fuzz/replay.c and fuzz/check_ci.c.
 */
#ifndef FFM_FUZZ_RESULT_LINES_H
#define FFM_FUZZ_RESULT_LINES_H

#include <stdio.h>

/* Print the summary; returns the exit status (0 only when something passed and nothing
 * failed). */
static inline int result_summary(unsigned ok, unsigned bad)
{
    printf("[==========] %u test(s) run.\n", ok + bad);
    if (ok > 0) {
        printf("[  PASSED  ] %u test(s).\n", ok);
    }
    if (bad > 0) {
        printf("[  FAILED  ] %u test(s)\n", bad);
    }
    return bad == 0 && ok > 0 ? 0 : 1;
}

#endif /* FFM_FUZZ_RESULT_LINES_H */
