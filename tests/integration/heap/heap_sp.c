/* heap_sp.c - HEAP: type 0 fills the 1 KiB heap with 64-byte blocks, frees them, takes the
 * whole heap back in one block and checks calloc and realloc, replying what it saw; type 1
 * allocates a block, writes a word in it and sends its address (the block stays allocated). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <psa/service.h>

#include "psa_manifest/heap_sp.h"

static void *blocks[64];

static psa_status_t fill_and_check(const psa_msg_t *msg)
{
    size_t n = 0;
    while (n < 64 && (blocks[n] = malloc(64)) != NULL) {
        memset(blocks[n], 0xa5, 64);
        n++;
    }
    for (size_t i = 0; i < n; i++) {
        free(blocks[i]);
    }
    void *whole = malloc(1024); /* the heap is 1024 bytes, every one usable */
    void *too_big = malloc(1025);
    free(whole);
    unsigned char *z = calloc(4, 16);
    int zeroed = z != NULL && z[0] == 0 && z[63] == 0;
    unsigned char *r = realloc(z, 200);
    int kept = r != NULL && r[10] == 0;
    free(r);
    char line[128];
    int len = snprintf(line, sizeof line, "%zu blocks of 64, whole %s, 1025 %s, calloc %s, "
                       "realloc %s", n, whole != NULL ? "ok" : "null",
                       too_big != NULL ? "ok" : "null", zeroed ? "zeroed" : "dirty",
                       kept ? "kept" : "lost");
    psa_write(msg->handle, 0, line, (size_t)len + 1);
    return 0;
}

psa_status_t heap_sfn(const psa_msg_t *msg)
{
    if (msg->type == 0) {
        return fill_and_check(msg);
    }
    uint32_t *word = malloc(sizeof *word);
    if (word == NULL) {
        return -1;
    }
    *word = 0x4ea9u;
    uintptr_t addr = (uintptr_t)word;
    psa_write(msg->handle, 0, &addr, sizeof addr);
    return 0;
}
