/* soak.h - what the soak's NS application records at each boot, and the NVMEM history
 * SOAK_SP keeps of it. */
#ifndef SOAK_H
#define SOAK_H

#include <stdint.h>

#define SOAK_MAX_BOOTS 1000u
#define SOAK_MAGIC 0x534f414bu /* "SOAK" */

struct soak_boot {
    uint32_t boot;   /* ffm_platform_boot_count() */
    uint32_t fds;    /* open file descriptors in the boot's process (inherited ones included) */
    uint32_t rss_kb; /* the supervisor's resident set, or 0 where it cannot be read */
};

struct soak_history {
    uint32_t magic;
    uint32_t boots;
    struct soak_boot rec[SOAK_MAX_BOOTS];
};

#endif
