/* ns.c - one NS entry per scenario (selected with --ns-entry). */
#include <ffmsim/ns.h>
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
int ns_fault_reset(void);
int ns_sigfpe(void);
int ns_trap_clients(void);
int ns_fresh_after_reset(void);
int ns_spin(void);
int ns_fault(void);

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

int ns_fault_reset(void)
{
    return reboot_with(3);
}

int ns_sigfpe(void)
{
    return reboot_with(5);
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

static int call_stall(void *arg)
{
    (void)arg;
    return psa_call(STALL_HANDLE, 0, NULL, 0, NULL, 0);
}

/* Under trap: NS thread -2's message is fetched by STALL, -3's is queued behind it, then STALL
 * panics (PING rings its doorbell). Neither client waits for ever (PANIC-05: -130 both), and
 * the other partitions keep serving. */
int ns_trap_clients(void)
{
    ffm_ns_thread_t a, b;
    int ra = 0, rb = 0;
    if (ffm_ns_thread_create(&a, -2, call_stall, NULL) != FFM_NS_OK ||
        ffm_ns_thread_create(&b, -3, call_stall, NULL) != FFM_NS_OK) {
        return 100;
    }
    ffm_ns_yield(); /* -2 calls (STALL fetches, then waits), -3 calls (queued) */
    psa_status_t ring = psa_call(PING_HANDLE, 7, NULL, 0, NULL, 0);
    int ja = ffm_ns_thread_join(a, &ra);
    int jb = ffm_ns_thread_join(b, &rb);
    psa_status_t again = psa_call(STALL_HANDLE, 0, NULL, 0, NULL, 0);
    psa_status_t ping = psa_call(PING_HANDLE, 0, NULL, 0, NULL, 0);
    psa_status_t boom = psa_call(BOOM_HANDLE, 1, NULL, 0, NULL, 0);
    printf("exits: trap clients: ring %d, -2 got %d, -3 got %d, again %d, ping %d, boom %d\n",
           (int)ring, ra, rb, (int)again, (int)ping, (int)boom);
    return ja == FFM_NS_OK && jb == FFM_NS_OK && ring == 1 &&
                   ra == PSA_ERROR_CONNECTION_REFUSED && rb == PSA_ERROR_CONNECTION_REFUSED &&
                   again == PSA_ERROR_CONNECTION_REFUSED && ping == 1 && boom == 1
               ? 0
               : 1;
}

/* RESET-01: a reset restarts partitions and NS from scratch: PING's counter and this image's
 * static start again at every boot. */
static int ns_static_calls;

int ns_fresh_after_reset(void)
{
    uint32_t boot = ffm_platform_boot_count();
    int first = psa_call(PING_HANDLE, 8, NULL, 0, NULL, 0);
    int second = psa_call(PING_HANDLE, 8, NULL, 0, NULL, 0);
    ns_static_calls++;
    printf("exits: boot %u: ping count %d %d, NS static %d\n", (unsigned)boot, first, second,
           ns_static_calls);
    fflush(stdout);
    if (boot == 1) {
        boom(0);
    }
    return first == 1 && second == 2 && ns_static_calls == 1 ? (int)boot * 10 : 1;
}

int ns_spin(void)
{
    return boom(6);
}

static volatile int *volatile ns_nowhere;

int ns_fault(void)
{
    return ns_nowhere[32]; /* address 0x80 in NS code (RESET-11) */
}
