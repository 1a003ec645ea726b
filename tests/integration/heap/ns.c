/* ns.c - by HEAP_TEST: "fill" prints what HEAP_SP saw filling its heap and whether
 * NOHEAP_SP's malloc is NULL; "read" reads a HEAP_SP heap block directly (a SecureFault at
 * level 1, MEM-15) after passing it to a call (a PE, MEM-06: the heap is secure). */
#include <psa/client.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "psa_manifest/sid.h"

int ns_main(void);

int ns_main(void)
{
    const char *what = getenv("HEAP_TEST");
    if (what != NULL && strcmp(what, "fill") == 0) {
        char line[128] = "";
        psa_outvec out = { line, sizeof line };
        psa_status_t st = psa_call(HEAP_HANDLE, 0, NULL, 0, &out, 1);
        psa_status_t none = psa_call(NOHEAP_HANDLE, 0, NULL, 0, NULL, 0);
        printf("heap: %d %s; no heap_size: %s\n", (int)st, line, none == 1 ? "NULL" : "not NULL");
        return 0;
    }
    uintptr_t addr = 0;
    psa_outvec out = { &addr, sizeof addr };
    psa_status_t st = psa_call(HEAP_HANDLE, 1, NULL, 0, &out, 1);
    psa_invec in = { (const void *)addr, 4 };
    psa_status_t pe = psa_call(HEAP_HANDLE, 1, &in, 1, &out, 1);
    printf("heap block at 0x%llx (%d), passed back: %d; NS reads it", (unsigned long long)addr,
           (int)st, (int)pe);
    printf(": 0x%x\n", (unsigned)*(volatile const uint32_t *)addr);
    return 0;
}
