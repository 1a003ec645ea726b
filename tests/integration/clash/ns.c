/* ns.c - the NS image defines shared_helper too; each call must reach its own image's copy. */
#include <psa/client.h>
#include <stdio.h>

#include "psa_manifest/sid.h"

int shared_counter = 900;
int shared_helper(void);
int ns_main(void);

int shared_helper(void)
{
    return ++shared_counter;
}

int ns_main(void)
{
    int a1 = psa_call(SVC_A_HANDLE, 0, NULL, 0, NULL, 0);
    int b1 = psa_call(SVC_B_HANDLE, 0, NULL, 0, NULL, 0);
    int a2 = psa_call(SVC_A_HANDLE, 0, NULL, 0, NULL, 0);
    int b2 = psa_call(SVC_B_HANDLE, 0, NULL, 0, NULL, 0);
    int n = shared_helper();
    printf("clash: a %d %d b %d %d ns %d\n", a1, a2, b1, b2, n);
    return a1 == 101 && a2 == 102 && b1 == 201 && b2 == 202 && n == 901 ? 0 : 1;
}
