/* ns.c - sends TRUNC the address of a char on its stack (the low 4 bytes, as a 32-bit client
 * would), and passes its own stack, global and heap addresses through uint32_t and back. */
#include <psa/client.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "psa_manifest/sid.h"

int ns_main(void);

static int global_int = 5;

static int survives(void *p)
{
    uint32_t kept = (uint32_t)(uintptr_t)p;
    return (void *)(uintptr_t)kept == p;
}

int ns_main(void)
{
    char on_stack = 'A';
    char *p = &on_stack;
    psa_invec in = { &p, sizeof p }; /* little-endian: the first 4 bytes are the low half */
    psa_status_t st = psa_call(TRUNC_HANDLE, PSA_IPC_CALL, &in, 1, NULL, 0);
    int *heap = malloc(sizeof *heap);
    int own = survives(&on_stack) && survives(&global_int) && heap != NULL && survives(heap);
    free(heap);
    printf("addr32: call %d, stack char '%c', own stack/global/heap %s\n", (int)st, on_stack,
           own ? "kept" : "LOST");
    return st == PSA_SUCCESS && on_stack == 'B' && own ? 0 : 1;
}
