/* ns.c - runs both FLASH_TEST scenarios and prints the results; then tries the secure device
 * from NS (refused, FLASH-02). */
#include <ffmsim/flash.h>
#include <psa/client.h>
#include <stdint.h>
#include <stdio.h>

#include "psa_manifest/sid.h"

int ns_main(void);

int ns_main(void)
{
    int32_t s[8] = { 0 }, n[6] = { 0 };
    psa_outvec os = { s, sizeof s }, on = { n, sizeof n };
    psa_status_t st1 = psa_call(FLASH_TEST_HANDLE, 1, NULL, 0, &os, 1);
    psa_status_t st2 = psa_call(FLASH_TEST_HANDLE, 2, NULL, 0, &on, 1);
    uint8_t byte = 0;
    int ns = ffm_flash_program(0, 0x20, &byte, 1);
    printf("strict: %d sectors of %d, program %d, again %d, misaligned %d, erase %d, "
           "program %d, read 0x%04x\n", (int)s[0], (int)s[1], (int)s[2], (int)s[3], (int)s[4],
           (int)s[5], (int)s[6], (unsigned)s[7]);
    printf("nor: strict %d, program %d, program %d, read 0x%02x, erase %d, read 0x%02x\n",
           (int)n[0], (int)n[1], (int)n[2], (unsigned)n[3], (int)n[4], (unsigned)n[5]);
    printf("ns: program %d\n", ns);
    return st1 == PSA_SUCCESS && st2 == PSA_SUCCESS ? 0 : 1;
}
