/* ns.c - one NS entry per scenario (selected with --ns-entry). */
#include <ffmsim/platform.h>
#include <psa/client.h>
#include <psa/service.h>
#include <pthread.h>
#include <stdio.h>

#include "psa_manifest/sid.h"

int ns_boom(void);
int ns_gen03(void);
int ns_reset(void);
int ns_watchdog(void);
int ns_trap(void);
int ns_fault_trap(void);
int ns_deadlock(void);
int ns_rawthread(void);
int ns_platform_reset(void);

static psa_status_t boom(int32_t type)
{
    return psa_call(BOOM_HANDLE, type, NULL, 0, NULL, 0);
}

int ns_boom(void)
{
    psa_status_t st = boom(0);
    printf("exits: survived a panic under halt: %d\n", (int)st);
    return 0;
}

int ns_gen03(void)
{
    psa_wait(PSA_WAIT_ANY, PSA_POLL); /* service.h API from NS: GEN-03 */
    printf("exits: survived GEN-03\n");
    return 0;
}

/* First boot: BOOM `type` ends the boot (panic, watchdog); the second boot returns 20. */
static int reboot_with(int32_t type)
{
    uint32_t boot = ffm_platform_boot_count();
    printf("exits: boot %u\n", (unsigned)boot);
    fflush(stdout);
    if (boot == 1) {
        boom(type);
        printf("exits: survived the first boot\n");
    }
    return (int)boot * 10;
}

int ns_reset(void)
{
    return reboot_with(0);
}

int ns_watchdog(void)
{
    return reboot_with(4);
}

static int trap_check(int32_t type)
{
    psa_status_t first = boom(type);
    psa_status_t again = boom(1);
    psa_status_t ping = psa_call(PING_HANDLE, 0, NULL, 0, NULL, 0);
    printf("exits: trap: first %d again %d ping %d\n", (int)first, (int)again, (int)ping);
    return first == PSA_ERROR_CONNECTION_REFUSED && again == PSA_ERROR_CONNECTION_REFUSED &&
                   ping == 1
               ? 0
               : 1;
}

int ns_trap(void)
{
    return trap_check(0);
}

int ns_fault_trap(void)
{
    return trap_check(3);
}

int ns_deadlock(void)
{
    return psa_call(STALL_HANDLE, 0, NULL, 0, NULL, 0);
}

static void *raw(void *arg)
{
    (void)arg;
    psa_framework_version(); /* a thread ffm-sim does not know: GEN-02 internal error */
    return NULL;
}

int ns_rawthread(void)
{
    pthread_t t;
    if (pthread_create(&t, NULL, raw, NULL) != 0) {
        return 100;
    }
    pthread_join(t, NULL);
    return 0;
}

int ns_platform_reset(void)
{
    if (ffm_platform_boot_count() == 1) {
        ffm_platform_reset();
    }
    return 30;
}
