/*
 * ns.c - the power-fail scenario. Boot 1 stores uid 7 = OLD, replaces it with NEW, then stores
 * uid 8; every later boot (after a power cut reset the system) reads uid 7 back and prints
 * what it finds: absent (the cut came before OLD was committed), old, new, or garbage (any
 * other status or content), which must never happen.
 */
#include <ffmsim/platform.h>
#include <psa/client.h>
#include <stdio.h>
#include <string.h>

#include "demo_services.h"
#include "psa_manifest/sid.h"

int ns_main(void);

static const char old_value[] = "old value: committed first, 48 bytes of data...";
static const char new_value[] = "NEW VALUE: replaces the old one, also 48 bytes..";

static psa_status_t set(demo_its_uid_t uid, const char *text)
{
    uint32_t flags = DEMO_ITS_FLAG_NONE;
    psa_invec in[3] = { { &uid, sizeof uid }, { text, strlen(text) }, { &flags, sizeof flags } };
    return psa_call(DEMO_ITS_HANDLE, DEMO_ITS_TYPE_SET, in, 3, NULL, 0);
}

static const char *read_back(void)
{
    static char verdict[160];
    char buf[DEMO_ITS_MAX_DATA + 1] = { 0 };
    demo_its_uid_t uid = 7;
    psa_invec in[1] = { { &uid, sizeof uid } };
    psa_outvec out[1] = { { buf, DEMO_ITS_MAX_DATA } };
    psa_status_t st = psa_call(DEMO_ITS_HANDLE, DEMO_ITS_TYPE_GET, in, 1, out, 1);
    if (st == PSA_ERROR_DOES_NOT_EXIST) {
        return "absent";
    }
    if (st == PSA_SUCCESS && out[0].len == strlen(old_value) && strcmp(buf, old_value) == 0) {
        return "old";
    }
    if (st == PSA_SUCCESS && out[0].len == strlen(new_value) && strcmp(buf, new_value) == 0) {
        return "new";
    }
    snprintf(verdict, sizeof verdict, "garbage (status %d, %zu bytes)", (int)st, out[0].len);
    return verdict;
}

int ns_main(void)
{
    uint32_t boot = ffm_platform_boot_count();
    if (boot == 1) {
        psa_status_t a = set(7, old_value);
        psa_status_t b = set(7, new_value);
        psa_status_t c = set(8, "another object");
        printf("flashcut: boot 1: set old %d, set new %d, set other %d, uid 7 %s\n", (int)a,
               (int)b, (int)c, read_back());
        return 0;
    }
    printf("flashcut: boot %u: uid 7 %s\n", (unsigned)boot, read_back());
    return 0;
}
