/* noheap_sp.c - NOHEAP replies 1 when malloc, calloc and realloc all return NULL (no
 * heap_size, MEM-18) and free(NULL) is harmless. */
#include <stdlib.h>

#include <psa/service.h>

#include "psa_manifest/noheap_sp.h"

void noheap_main(void);

void noheap_main(void)
{
    for (;;) {
        psa_msg_t msg;
        if (psa_wait(NOHEAP_SIGNAL, PSA_BLOCK) & NOHEAP_SIGNAL) {
            psa_get(NOHEAP_SIGNAL, &msg);
            void *m = malloc(1), *c = calloc(1, 1), *r = realloc(NULL, 1);
            free(NULL);
            psa_reply(msg.handle, m == NULL && c == NULL && r == NULL ? 1 : 0);
        }
    }
}
