/* peek_sp.c - PEEK reads, directly, the 32-bit word at the address in in_vec[0] and returns
 * its low 16 bits: a partition touching another partition's memory (MEM-15 at level 3).
 * Without an in_vec it prints a line without a newline and panics: the line must survive. */
#include <stdint.h>
#include <stdio.h>

#include <psa/service.h>

#include "psa_manifest/peek_sp.h"

psa_status_t peek_sfn(const psa_msg_t *msg)
{
    uintptr_t addr = 0;
    if (msg->in_size[0] == 0) {
        printf("PEEK_SP: last words before psa_panic");
        psa_panic();
    }
    psa_read(msg->handle, 0, &addr, sizeof addr);
    uint32_t word = *(volatile const uint32_t *)addr;
    return (psa_status_t)(word & 0xffffu);
}
