/*
 * pal_ffmsim_ns.c - the non-secure half of the ffm-sim target for Arm's PSA FF test suite:
 * the PAL functions the suite's NS val layer calls, and the NS image's entry.
 *
 * Printing goes straight to the simulated system's standard output, which ffm-sim keeps
 * unbuffered like a UART, so every character the suite printed before a reset is in the run's
 * output. The watchdog and the NVMEM are secure devices: as on a board, NS reaches them
 * through the driver partition's RoT services (DRIVER_WATCHDOG, DRIVER_NVMEM), whose PAL
 * (pal_ffmsim_spe.c) drives <ffmsim/platform.h>. Those services are connection-based or
 * stateless as the list being run wants (STATELESS_ROT), so both PSA call forms are here.
 */
#include <stdio.h>

#include "pal_common.h"
#include "pal_interfaces_ns.h"
#include <ffmsim/platform.h>

/* val_common keeps each test's status here (PLATFORM_SHARED_REGION_BASE). */
uint8_t test_status_buffer[256] = { 0 };

int32_t val_entry(void);

/* The NS image's entry: ffm-sim runs it on every boot, and the suite finds in NVMEM where
 * the previous boot stopped. */
int ns_main(void)
{
    return (int)val_entry();
}

/* One request to a driver service: through its stateless handle for the stateless list, or
 * connect / call / close for the connection-based one. */
static int driver_call(uint32_t sid, psa_handle_t stateless_handle, const psa_invec *in,
                       size_t in_len, psa_outvec *out, size_t out_len)
{
    psa_status_t status;
#if STATELESS_ROT == 1
    (void)sid;
    status = psa_call(stateless_handle, PSA_IPC_CALL, in, in_len, out, out_len);
#else
    psa_handle_t handle = psa_connect(sid, 1);

    (void)stateless_handle;
    if (!PSA_HANDLE_IS_VALID(handle))
        return PAL_STATUS_ERROR;
    status = psa_call(handle, PSA_IPC_CALL, in, in_len, out, out_len);
    psa_close(handle);
#endif
    return status == PSA_SUCCESS ? PAL_STATUS_SUCCESS : PAL_STATUS_ERROR;
}

#if STATELESS_ROT == 1
#define DRIVER_CALL(svc, in, in_len, out, out_len) \
    driver_call(svc##_SID, svc##_HANDLE, in, in_len, out, out_len)
#else
#define DRIVER_CALL(svc, in, in_len, out, out_len) \
    driver_call(svc##_SID, PSA_NULL_HANDLE, in, in_len, out, out_len)
#endif

/* The driver partition prints the secure side's messages itself, once told to start. */
int pal_uart_init_ns(void)
{
    uart_fn_type_t fn = UART_INIT;
    addr_t base = PLATFORM_UART_BASE;
    int32_t unused = 0;
    psa_invec in[3] = { { &fn, sizeof fn }, { &base, sizeof base }, { &unused, sizeof unused } };

    return DRIVER_CALL(DRIVER_UART, in, 3, NULL, 0);
}

/* val_common's formatter prints one character at a time through this. */
int pal_print(uint8_t c)
{
    return fputc(c, stdout) == EOF ? PAL_STATUS_ERROR : PAL_STATUS_SUCCESS;
}

static int watchdog_request(wd_fn_type_t fn, uint32_t time_us, uint32_t tick_us)
{
    wd_param_t param = { fn, PLATFORM_WD_BASE, time_us, tick_us };
    psa_invec in[1] = { { &param, sizeof param } };

    return DRIVER_CALL(DRIVER_WATCHDOG, in, 1, NULL, 0);
}

int pal_wd_timer_init_ns(uint32_t time_us, uint32_t timer_tick_us)
{
    return watchdog_request(WD_INIT_SEQ, time_us, timer_tick_us);
}

int pal_watchdog_enable(void)
{
    return watchdog_request(WD_ENABLE_SEQ, 0, 0);
}

int pal_watchdog_disable(void)
{
    return watchdog_request(WD_DISABLE_SEQ, 0, 0);
}

int pal_nvm_read(uint32_t offset, void *buffer, size_t size)
{
    nvmem_param_t param = { NVMEM_READ, PLATFORM_NVM_BASE, offset, (int)size };
    psa_invec in[1] = { { &param, sizeof param } };
    psa_outvec out[1] = { { buffer, size } };

    return DRIVER_CALL(DRIVER_NVMEM, in, 1, out, 1);
}

int pal_nvm_write(uint32_t offset, void *buffer, size_t size)
{
    nvmem_param_t param = { NVMEM_WRITE, PLATFORM_NVM_BASE, offset, (int)size };
    psa_invec in[2] = { { &param, sizeof param }, { buffer, size } };

    return DRIVER_CALL(DRIVER_NVMEM, in, 2, NULL, 0);
}

/* The suite is done: the NS entry returns and ffm-sim ends the run (a board would wait for
 * an interrupt for ever). */
void pal_terminate_simulation(void)
{
    fflush(stdout);
}

int pal_system_reset(void)
{
    ffm_platform_reset();
    return PAL_STATUS_ERROR;
}

/* The platform hooks a target may provide: nothing to initialise, every test enabled. */
unsigned int pal_platform_init(void)
{
    return PAL_STATUS_SUCCESS;
}

void pal_set_custom_test_list(char *custom_test_list)
{
    (void)custom_test_list;
}

bool_t pal_is_test_enabled(test_id_t test_id)
{
    (void)test_id;
    return 1;
}

/* The developer-API suites (crypto, storage, attestation) are not part of the FF suite; the
 * val layer links their dispatchers, which report "not supported" here. */
int32_t pal_crypto_function(int type, va_list valist)
{
    (void)type;
    (void)valist;
    return PAL_STATUS_UNSUPPORTED_FUNC;
}

uint32_t pal_its_function(int type, va_list valist)
{
    (void)type;
    (void)valist;
    return PAL_STATUS_UNSUPPORTED_FUNC;
}

uint32_t pal_ps_function(int type, va_list valist)
{
    (void)type;
    (void)valist;
    return PAL_STATUS_UNSUPPORTED_FUNC;
}

int32_t pal_attestation_function(int type, va_list valist)
{
    (void)type;
    (void)valist;
    return PAL_STATUS_UNSUPPORTED_FUNC;
}
