/* ns_main.c - the NS entry of a tf-m-tests run under ffm-sim (conformance/tf-m-tests/run.sh).
 * TF-M's NS test application starts the NS regression suites from an RTOS thread; here
 * ffm-sim's NS entry does it directly, then prints one marker line so the runner can tell a
 * run that reached the end from one that stopped in the middle. The secure suites run in
 * TF-M's secure test partition at boot, as on the target. Written for ffmsim. */
#include <stdio.h>

#include "non_secure_suites.h"

int ns_main(void);

int ns_main(void)
{
    enum test_suite_err_t err = ns_reg_test_start();
    printf("\nffmsim-tf-m-tests: NS suites ended (%d)\n", (int)err);
    return err == TEST_SUITE_ERR_NO_ERROR ? 0 : 1;
}
