/*
 * ffmsim/platform.h - the simulated platform, as seen by partition code and the non-secure
 * application: persistent storage (NVMEM), the watchdog, interrupt lines, simulated time, reset
 * and logging.
 *
 * Partitions call these by plain symbol names, exactly like the PSA API. In ffm-sim they are
 * provided by the simulator; in an embedded test program, by the port it links with.
 */
#ifndef FFMSIM_PLATFORM_H
#define FFMSIM_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* NVMEM: the persistent region (RESET-03..05). It survives every simulated reset byte for
 * byte and is 0xFF-filled only at cold start. Only the owning partition may use it. */
void *ffm_platform_nvmem(size_t *size);

/* Watchdog (RESET-08): arm with a timeout in milliseconds (scaled by the simulator's
 * configuration), feed before it expires, or disarm. An expiry resets the system. */
void ffm_platform_wdog_arm(uint32_t timeout_ms);
void ffm_platform_wdog_feed(void);
void ffm_platform_wdog_disarm(void);

/* Interrupt lines are level-sensitive; `source` is the name used by a manifest's irqs.source. */
int ffm_platform_irq_raise(const char *source);
int ffm_platform_irq_lower(const char *source);

/* Simulated time (docs/ffm-sim.md "Simulated time"): microseconds since this boot started,
 * monotonic. Time stands still while simulated code runs and jumps to the next timer event
 * (a sleeper, a periodic IRQ source's tick, the watchdog) when every simulated thread is
 * blocked, so runs are deterministic; ffm-sim --realtime makes it follow the host clock. */
uint64_t ffm_platform_time_us(void);
/* Block the calling thread for `us` microseconds of simulated time (other threads run). A FLIH
 * cannot sleep: there the call returns at once, with a warning. */
void ffm_platform_sleep_us(uint32_t us);

/* Request a system reset (RESET-06, reason PLATFORM). Never returns. */
void ffm_platform_reset(void);

/* Boot information (RESET-13): the boot count since cold start (1 at cold start). */
uint32_t ffm_platform_boot_count(void);

/* Log a line, attributed to the calling thread, at the given level. */
enum ffm_log_level { FFM_LOG_ERROR = 0, FFM_LOG_WARN = 1, FFM_LOG_INFO = 2, FFM_LOG_DEBUG = 3 };
void ffm_platform_log(int level, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#ifdef __cplusplus
}
#endif

#endif /* FFMSIM_PLATFORM_H */
