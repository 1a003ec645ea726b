/*
 * bench_core.c - speed of the SPM core on the synchronous port, and the targets it must meet.
 * Run by `make bench`; never part of `make test` (timing belongs here, not in tests).
 *
 * Each measurement runs for a fixed number of iterations and prints operations per second.
 * A measurement with a target exits non-zero when it misses it (issue 4: the synchronous port
 * boots, resets and tears down a system "thousands of times per second").
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <cmocka.h>

#include "core/fixture.h"

static const struct ffm_caller NS = { .client_id = -1, .secure = false };

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int report(const char *what, unsigned ops, double seconds, double target_per_s)
{
    double rate = (double)ops / seconds;
    int missed = target_per_s > 0.0 && rate < target_per_s;

    printf("%-44s %12.0f /s", what, rate);
    if (target_per_s > 0.0) {
        printf("   (target >= %.0f /s: %s)", target_per_s, missed ? "MISSED" : "met");
    }
    printf("\n");
    return missed;
}

static int bench_boot_teardown(void)
{
    const unsigned n = 20000;
    double t0 = now_seconds();
    for (unsigned i = 0; i < n; i++) {
        ffm_sync_destroy(fx_boot(FFM_PROFILE_SPEC));
    }
    return report("create + boot + tear down a system", n, now_seconds() - t0, 1000.0);
}

static int bench_reboot(void)
{
    const unsigned n = 50000;
    struct ffm_sync *h = fx_boot(FFM_PROFILE_SPEC);
    struct ffm_spm_config config = ffm_spm_config_default();
    double t0 = now_seconds();
    for (unsigned i = 0; i < n; i++) {
        (void)fx_reboot(h, &config);
    }
    int missed = report("reset (re-boot) a running system", n, now_seconds() - t0, 1000.0);
    ffm_sync_destroy(h);
    return missed;
}

static int bench_stateless_call(void)
{
    const unsigned n = 500000;
    struct ffm_sync *h = fx_boot(FFM_PROFILE_SPEC);
    double t0 = now_seconds();
    for (unsigned i = 0; i < n; i++) {
        (void)ffm_sync_call(h, &NS, FX_H_SFN_SL, 2, NULL, 0, NULL, 0);
    }
    int missed = report("stateless psa_call to an SFN service", n, now_seconds() - t0, 0.0);
    ffm_sync_destroy(h);
    return missed;
}

static int bench_connection_cycle(void)
{
    const unsigned n = 200000;
    struct ffm_sync *h = fx_boot(FFM_PROFILE_SPEC);
    double t0 = now_seconds();
    for (unsigned i = 0; i < n; i++) {
        struct ffm_sync_result r = ffm_sync_connect(h, &NS, FX_SID_SFN_CB, 1);
        (void)ffm_sync_close(h, &NS, (psa_handle_t)r.value);
    }
    int missed = report("psa_connect + psa_close (SFN service)", n, now_seconds() - t0, 0.0);
    ffm_sync_destroy(h);
    return missed;
}

static int bench_pe(void)
{
    const unsigned n = 500000;
    struct ffm_sync *h = fx_boot(FFM_PROFILE_SPEC);
    double t0 = now_seconds();
    for (unsigned i = 0; i < n; i++) {
        (void)ffm_sync_call(h, &NS, (psa_handle_t)0x1234DEAD, 0, NULL, 0, NULL, 0);
    }
    int missed = report("NS PROGRAMMER ERROR (forged handle, CALL-08)", n,
                        now_seconds() - t0, 0.0);
    ffm_sync_destroy(h);
    return missed;
}

int main(void)
{
    int missed = 0;
    printf("ffmsim core benchmarks (synchronous port)\n");
    missed += bench_boot_teardown();
    missed += bench_reboot();
    missed += bench_stateless_call();
    missed += bench_connection_cycle();
    missed += bench_pe();
    printf("%s\n", missed ? "bench: a target was missed" : "bench: all targets met");
    return missed ? 1 : 0;
}
