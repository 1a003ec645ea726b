/* trunc_sp.c - TRUNC: firmware written for a 32-bit core, which keeps addresses in uint32_t.
 * The client sends the address of a char on its stack as 4 bytes (as a 32-bit client would);
 * the service reads it into a uint32_t, checks the char is 'A' and changes it to 'B'. Before
 * replying it also passes its own stack, global and heap addresses through uint32_t and back. */
#include <psa/service.h>
#include <stdint.h>
#include <stdlib.h>

#include "psa_manifest/trunc_sp.h"

static char global_char = 'g';

/* 1 when the address survives a uint32_t and the memory behind it is usable. */
static int through_u32(char *p, char want)
{
    uint32_t kept = (uint32_t)(uintptr_t)p;
    char *back = (char *)(uintptr_t)kept;
    if (back != p || *back != want) {
        return 0;
    }
    *back = (char)(want + 1);
    return *p == want + 1;
}

static psa_status_t own_addresses(void)
{
    char local = 's';
    char *heap = malloc(16);
    if (heap == NULL) {
        return -2;
    }
    heap[0] = 'h';
    int ok = through_u32(&local, 's') && through_u32(&global_char, 'g') &&
             through_u32(heap, 'h');
    free(heap);
    return ok ? PSA_SUCCESS : -3;
}

static psa_status_t serve(const psa_msg_t *msg)
{
    uint32_t client_addr = 0;
    if (msg->in_size[0] < sizeof client_addr ||
        psa_read(msg->handle, 0, &client_addr, sizeof client_addr) != sizeof client_addr) {
        return PSA_ERROR_PROGRAMMER_ERROR;
    }
    if (*(char *)(uintptr_t)client_addr != 'A') {
        return -1;
    }
    *(char *)(uintptr_t)client_addr = 'B';
    return own_addresses();
}

void trunc_main(void);

void trunc_main(void)
{
    for (;;) {
        psa_msg_t msg;
        if (psa_wait(TRUNC_SIGNAL, PSA_BLOCK) != TRUNC_SIGNAL ||
            psa_get(TRUNC_SIGNAL, &msg) != PSA_SUCCESS) {
            continue;
        }
        psa_reply(msg.handle, msg.type == PSA_IPC_CALL ? serve(&msg) : PSA_SUCCESS);
    }
}
