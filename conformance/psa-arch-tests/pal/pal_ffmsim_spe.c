/*
 * pal_ffmsim_spe.c - the secure half of the ffm-sim target for Arm's PSA FF test suite: the
 * PAL functions of the suite's driver partition (UART, watchdog, NVMEM, the test interrupt),
 * on the simulated platform of <ffmsim/platform.h>.
 *
 * The suite hands each function the base address of its device; ffm-sim's devices have no
 * registers, so the bases (pal_config.h) are only checked to be the ones this target gave.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "pal_common.h"
#include "pal_interfaces_s.h"
#include <ffmsim/platform.h>

/* The IRQ line of the driver partition's DRIVER_UART_INTR_SIG (platform.yaml). */
#define TEST_IRQ_SOURCE "FF_TEST_UART_IRQ"

/* val_common keeps each test's status here (PLATFORM_SHARED_REGION_BASE). */
uint8_t test_status_buffer[256] = { 0 };

/* The watchdog as the suite programs it: a timeout first, then enable and disable. */
static struct {
    uint32_t timeout_us;
    bool enabled;
} watchdog;

void pal_uart_init(addr_t uart_base_addr)
{
    (void)uart_base_addr;
}

/* Standard output of the simulated system is unbuffered (docs/ffm-sim.md section 7): what
 * the driver partition printed before a panic is never lost. */
int pal_print(uint8_t c)
{
    return fputc(c, stdout) == EOF ? PAL_STATUS_ERROR : PAL_STATUS_SUCCESS;
}

/* The NVMEM region (RESET-03) holds the suite's state across resets. The range's first byte,
 * or NULL when the range is not inside the region or the base is not this target's. */
static unsigned char *nvmem_range(addr_t base, uint32_t offset, int size)
{
    size_t region_size = 0;
    unsigned char *region = ffm_platform_nvmem(&region_size);

    if (base != PLATFORM_NVM_BASE || region == NULL || size < 0 ||
        offset > region_size || (size_t)size > region_size - offset)
        return NULL;
    return region + offset;
}

/* pal_nvmem_read and pal_nvmem_write return non-zero on success: the driver partition
 * (val_nvmem_read_sf) tests them that way, although the suite's header says 0 is success. */
int pal_nvmem_write(addr_t base, uint32_t offset, void *buffer, int size)
{
    unsigned char *at = nvmem_range(base, offset, size);

    if (at == NULL)
        return 0;
    memcpy(at, buffer, (size_t)size);
    return 1;
}

int pal_nvmem_read(addr_t base, uint32_t offset, void *buffer, int size)
{
    const unsigned char *at = nvmem_range(base, offset, size);

    if (at == NULL)
        return 0;
    memcpy(buffer, at, (size_t)size);
    return 1;
}

/* The suite counts in ticks of timer_tick_us per microsecond; ffm-sim's watchdog counts
 * milliseconds of simulated time. A started millisecond counts. */
int pal_wd_timer_init(addr_t base_addr, uint32_t time_us, uint32_t timer_tick_us)
{
    if (base_addr != PLATFORM_WD_BASE || timer_tick_us == 0)
        return PAL_STATUS_ERROR;
    watchdog.timeout_us = time_us;
    return PAL_STATUS_SUCCESS;
}

int pal_wd_timer_enable(addr_t base_addr)
{
    if (base_addr != PLATFORM_WD_BASE || watchdog.timeout_us == 0)
        return PAL_STATUS_ERROR;
    ffm_platform_wdog_arm((watchdog.timeout_us + 999u) / 1000u);
    watchdog.enabled = true;
    return PAL_STATUS_SUCCESS;
}

int pal_wd_timer_disable(addr_t base_addr)
{
    if (base_addr != PLATFORM_WD_BASE)
        return PAL_STATUS_ERROR;
    ffm_platform_wdog_disarm();
    watchdog.enabled = false;
    return PAL_STATUS_SUCCESS;
}

int pal_wd_timer_is_enabled(addr_t base_addr)
{
    return base_addr == PLATFORM_WD_BASE && watchdog.enabled;
}

/* val_common's peripheral layer, linked into the driver partition, names these; here they
 * reach the devices directly, and return 0 on success (a val_status_t). */
int pal_nvm_read(uint32_t offset, void *buffer, size_t size)
{
    return pal_nvmem_read(PLATFORM_NVM_BASE, offset, buffer, (int)size) ? 0 : PAL_STATUS_ERROR;
}

int pal_nvm_write(uint32_t offset, void *buffer, size_t size)
{
    return pal_nvmem_write(PLATFORM_NVM_BASE, offset, buffer, (int)size) ? 0 : PAL_STATUS_ERROR;
}

int pal_watchdog_enable(void)
{
    return pal_wd_timer_enable(PLATFORM_WD_BASE);
}

int pal_watchdog_disable(void)
{
    return pal_wd_timer_disable(PLATFORM_WD_BASE);
}

/* The test interrupt is a level-sensitive line: raised until the handler lowers it. */
void pal_generate_interrupt(void)
{
    ffm_platform_irq_raise(TEST_IRQ_SOURCE);
}

void pal_disable_interrupt(void)
{
    ffm_platform_irq_lower(TEST_IRQ_SOURCE);
}
