/* ns.c - asks VAULT_SP where its secrets are, then, by ISO_READ: reads its global, its stack
 * or its KEYSTORE region, or PEEK_SP's WINDOW (not page aligned) directly (NS touching secure
 * memory), or has PEEK_SP read the global
 * (a partition touching another's memory). The line printed before the read is not flushed:
 * it must still appear when the read faults. */
#include <psa/client.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "psa_manifest/sid.h"

int ns_main(void);

int ns_main(void)
{
    const char *what = getenv("ISO_READ");
    uintptr_t addrs[3] = { 0, 0, 0 };
    psa_outvec out = { addrs, sizeof addrs };
    if (what == NULL || psa_call(WHERE_HANDLE, 0, NULL, 0, &out, 1) < 0) {
        return 1;
    }
    if (strcmp(what, "panic") == 0) {
        return (int)psa_call(PEEK_HANDLE, 0, NULL, 0, NULL, 0);
    }
    if (strcmp(what, "peek") == 0) {
        psa_invec in = { &addrs[0], sizeof addrs[0] };
        psa_status_t st = psa_call(PEEK_HANDLE, 0, &in, 1, NULL, 0);
        printf("peek: 0x%x\n", (unsigned)st);
        return st == 0xc7e7 ? 0 : 1;
    }
    if (strcmp(what, "window") == 0) { /* PEEK_SP's region, not page aligned (MEM-19) */
        addrs[0] = (uintptr_t)0x20011e40u;
    }
    int i = strcmp(what, "global") == 0 || strcmp(what, "window") == 0 ? 0
            : strcmp(what, "stack") == 0                            ? 1
                                                                    : 2;
    printf("NS reads the %s at 0x%llx", what, (unsigned long long)addrs[i]);
    uint32_t word = *(volatile const uint32_t *)addrs[i];
    printf(": 0x%x\n", (unsigned)word);
    return 0;
}
