/* ns.c - a buffer the NS application hands to a service, then unmaps (munmap) or frees (a
 * large malloc block, which the C library returns to the host), is refused on the next call
 * with -129 (MEM-09): the first, accepted call filled the simulator's cache of the host's
 * mappings, and that cache must not outlive the mapping. */
#define _DEFAULT_SOURCE 1  /* MAP_ANONYMOUS (glibc) */
#define _DARWIN_C_SOURCE 1 /* MAP_ANONYMOUS (macOS) */
#include <psa/client.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "psa_manifest/sid.h"

int ns_main(void);

/* Above any malloc mmap threshold, so freeing unmaps it: glibc raises its threshold as large
 * blocks are freed (up to 32 MiB on 64-bit hosts), so 4 MiB may come from the heap. */
#define BIG (64u << 20)

/* The buffer as an address, so that naming it after free() is not a use of freed memory. */
static psa_status_t send(uintptr_t buf)
{
    psa_invec in = { (const void *)buf, 4 };
    return psa_call(ECHO_HANDLE, 0, &in, 1, NULL, 0);
}

int ns_main(void)
{
    char *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *big = malloc(BIG);
    if (page == MAP_FAILED || big == NULL) {
        printf("nsfree: cannot allocate\n");
        return 1;
    }
    memcpy(page, "page", 4);
    memcpy(big + BIG / 2, "heap", 4);
    uintptr_t page_at = (uintptr_t)page, big_at = (uintptr_t)(big + BIG / 2);
    psa_status_t page_mapped = send(page_at);
    psa_status_t big_live = send(big_at);
    munmap(page, 4096);
    free(big);
    psa_status_t page_unmapped = send(page_at);
    psa_status_t big_freed = send(big_at);
    printf("nsfree: mapped %d unmapped %d malloc %d freed %d\n", (int)page_mapped,
           (int)page_unmapped, (int)big_live, (int)big_freed);
    return page_mapped == 4 && big_live == 4 && page_unmapped == PSA_ERROR_PROGRAMMER_ERROR &&
                   big_freed == PSA_ERROR_PROGRAMMER_ERROR
               ? 0
               : 1;
}
