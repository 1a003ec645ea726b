/* ns.c - OUTER's nested calls see OUTER's partition ID as their client; then INNER faults
 * inside the nested run and only INNER is trapped. */
#include <psa/client.h>
#include <stdint.h>
#include <stdio.h>

#include "psa_manifest/pid.h"
#include "psa_manifest/sid.h"

int ns_main(void);

int ns_main(void)
{
    int32_t saw[2] = { 0, 0 };
    psa_outvec ov = { saw, sizeof saw };
    psa_status_t st = psa_call(OUTER_HANDLE, 0, NULL, 0, &ov, 1);
    psa_status_t trapped = psa_call(OUTER_HANDLE, 1, NULL, 0, NULL, 0);
    int32_t again[2] = { 0, 0 };
    psa_outvec ov2 = { again, sizeof again };
    psa_status_t st2 = psa_call(OUTER_HANDLE, 0, NULL, 0, &ov2, 1);
    printf("sfnnest: %d inner-saw-outer %d ipcq-saw-outer %d inner-refused %d after %d %d %d\n",
           (int)st, saw[0] == OUTER_SP, saw[1] == OUTER_SP, (int)trapped, (int)st2,
           (int)again[0], again[1] == OUTER_SP);
    return 0;
}
