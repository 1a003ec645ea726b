/* soak_ns.c - one boot of the reset soak: count this process's open fds (all inherited from
 * the supervisor but the few the boot opens itself, so a leak in the supervisor shows), read
 * the supervisor's RSS (Linux /proc), record them through RECORD, and reset, until boot
 * $SOAK_BOOTS (default 200); then judge the whole history. */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <ffmsim/platform.h>
#include <psa/client.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "psa_manifest/sid.h"
#include "soak.h"

/* The supervisor's RSS may grow this much after boot 10 ($SOAK_RSS_GROWTH_KB overrides). */
#define RSS_GROWTH_MAX_KB 1024u
#define WARM_BOOT 10u

int ns_main(void);

static uint32_t open_fds(void)
{
    uint32_t n = 0;
    for (int fd = 0; fd < 4096; fd++) {
        n += fcntl(fd, F_GETFD) != -1;
    }
    return n;
}

static uint32_t supervisor_rss_kb(void)
{
    char path[64];
    char line[256];
    unsigned long kb = 0;
    snprintf(path, sizeof path, "/proc/%ld/status", (long)getppid());
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        return 0;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        if (sscanf(line, "VmRSS: %lu kB", &kb) == 1) {
            break;
        }
    }
    fclose(f);
    return (uint32_t)kb;
}

static int judge(const struct soak_history *h, uint32_t boots, uint32_t rss_growth_kb)
{
    uint32_t fd_min = h->rec[0].fds, fd_max = h->rec[0].fds, rss_max = 0;
    for (uint32_t k = 0; k < boots; k++) {
        fd_min = h->rec[k].fds < fd_min ? h->rec[k].fds : fd_min;
        fd_max = h->rec[k].fds > fd_max ? h->rec[k].fds : fd_max;
        rss_max = k >= WARM_BOOT && h->rec[k].rss_kb > rss_max ? h->rec[k].rss_kb : rss_max;
    }
    uint32_t rss_warm = h->rec[WARM_BOOT - 1].rss_kb;
    printf("soak: %u boots, NVMEM history intact, fds %u at boot 1, %u at boot %u (min %u, max "
           "%u), supervisor RSS %u KiB at boot 1, %u KiB at boot %u, %u KiB at boot %u (max "
           "%u KiB)\n", boots, h->rec[0].fds, h->rec[boots - 1].fds, boots, fd_min, fd_max,
           h->rec[0].rss_kb, rss_warm, WARM_BOOT, h->rec[boots - 1].rss_kb, boots, rss_max);
    return fd_min == fd_max && rss_max <= rss_warm + rss_growth_kb ? 0 : 1;
}

int ns_main(void)
{
    const char *env = getenv("SOAK_BOOTS");
    uint32_t boots = env != NULL ? (uint32_t)strtoul(env, NULL, 10) : 200u;
    if (boots <= WARM_BOOT || boots > SOAK_MAX_BOOTS) {
        printf("soak: SOAK_BOOTS must be %u..%u\n", WARM_BOOT + 1, SOAK_MAX_BOOTS);
        return 2;
    }
    struct soak_boot me = { ffm_platform_boot_count(), open_fds(), supervisor_rss_kb() };
    static struct soak_history h;
    psa_invec in = { &me, sizeof me };
    psa_outvec out = { &h, sizeof h };
    psa_status_t recorded = psa_call(RECORD_HANDLE, 0, &in, 1, &out, 1);
    if (recorded != (psa_status_t)me.boot) {
        printf("soak: NVMEM history broken at boot %u (RECORD replied %d)\n", me.boot,
               (int)recorded);
        return 1;
    }
    if (me.boot < boots) {
        ffm_platform_reset(); /* RESET-06: never returns */
    }
    const char *growth = getenv("SOAK_RSS_GROWTH_KB");
    return judge(&h, boots, growth != NULL ? (uint32_t)strtoul(growth, NULL, 10)
                                           : RSS_GROWTH_MAX_KB);
}
