/* ns.c - waits (through TICK_TEST) for the 10th timer tick, then sleeps 2.5 ms of simulated
 * time; prints the simulated times, which are the same in every run. */
#include <stdint.h>
#include <stdio.h>

#include <ffmsim/platform.h>
#include <psa/client.h>

#include "psa_manifest/sid.h"

int ns_main(void);
int ns_realtime(void);

/* The run; true when its times are the simulated ones exactly (`exact`), or at least them. */
static int run(int exact)
{
    uint64_t start = ffm_platform_time_us();
    uint64_t when = 0;
    psa_outvec out = { &when, sizeof when };
    psa_status_t ticks = psa_call(TICK_TEST_HANDLE, PSA_IPC_CALL, NULL, 0, &out, 1);
    uint64_t before = ffm_platform_time_us();
    ffm_platform_sleep_us(2500);
    uint64_t after = ffm_platform_time_us();
    printf("clock: start %llu, tick %d signalled at %llu us, sleep %llu -> %llu us\n",
           (unsigned long long)start, (int)ticks, (unsigned long long)when,
           (unsigned long long)before, (unsigned long long)after);
    if (exact) {
        return ticks == 10 && when == 10000 && after - before == 2500 ? 0 : 1;
    }
    return ticks == 10 && when >= 10000 && after - before >= 2500 ? 0 : 1;
}

int ns_main(void)
{
    return run(1);
}

/* --realtime: the clock follows the host's, so the times are only bounded below. */
int ns_realtime(void)
{
    return run(0);
}

int ns_wdog(void);

/* Arms the watchdog for 10 minutes and sleeps 20 minutes of simulated time: with nothing else
 * to run, the clock jumps to the watchdog's deadline and the system resets (RESET-08) at once;
 * the second boot returns 7. */
int ns_wdog(void)
{
    if (ffm_platform_boot_count() > 1) {
        return 7;
    }
    ffm_platform_wdog_arm(600000);
    ffm_platform_sleep_us(1200000000u);
    return 1;
}

int ns_stuck(void);

/* TICK_TEST type 1: the partition waits for a timer it never enabled. */
int ns_stuck(void)
{
    return (int)psa_call(TICK_TEST_HANDLE, 1, NULL, 0, NULL, 0);
}
