/*
 * demo_platform.c - DEMO_SP_PLATFORM (PSA-RoT, IPC model): runs its own psa_wait / psa_get /
 * psa_reply loop for the stateless DEMO_PLATFORM service. NV counters are kept by
 * DEMO_SP_STORAGE, which owns NVMEM; this partition reaches them through the secure-only
 * DEMO_NV_COUNTER_STORE, listed in its manifest's `dependencies`.
 */
#include <stddef.h>
#include <stdint.h>

#include <ffmsim/platform.h>
#include <psa/client.h>
#include <psa/service.h>

#include "demo_services.h"
#include "psa_manifest/demo_platform.h"
#include "psa_manifest/sid.h"

void demo_platform_main(void);

/* Forwards a counter request to DEMO_NV_COUNTER_STORE and relays the value to the client. */
static psa_status_t counter_request(const psa_msg_t *msg, int32_t store_type)
{
    uint32_t id = 0;
    uint32_t value = 0;
    if (msg->in_size[0] != sizeof(id) || psa_read(msg->handle, 0, &id, sizeof(id)) != sizeof(id)) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    if (store_type == DEMO_NV_COUNTER_STORE_TYPE_READ && msg->out_size[0] < sizeof(value)) {
        return PSA_ERROR_BUFFER_TOO_SMALL;
    }
    psa_invec in = {&id, sizeof(id)};
    psa_outvec out = {&value, sizeof(value)};
    psa_status_t st = psa_call(DEMO_NV_COUNTER_STORE_HANDLE, store_type, &in, 1, &out, 1);
    if (st == PSA_SUCCESS && out.len == sizeof(value) && msg->out_size[0] >= sizeof(value)) {
        psa_write(msg->handle, 0, &value, sizeof(value));
    }
    return st;
}

/* Both requests end the current boot: the client's psa_call never returns (RESET-07). */
PSA_NORETURN static void end_boot(int32_t type)
{
    if (type == DEMO_PLATFORM_TYPE_SYSTEM_RESET) {
        ffm_platform_log(FFM_LOG_INFO, "system reset requested by a client");
        ffm_platform_reset();
    } else {
        ffm_platform_log(FFM_LOG_WARN, "panic self-test requested: calling psa_panic()");
    }
    psa_panic(); /* the self-test; also stops this partition if a reset request ever returned */
}

static psa_status_t dispatch(const psa_msg_t *msg)
{
    switch (msg->type) {
    case DEMO_PLATFORM_TYPE_NV_COUNTER_READ:
        return counter_request(msg, DEMO_NV_COUNTER_STORE_TYPE_READ);
    case DEMO_PLATFORM_TYPE_NV_COUNTER_INCREMENT:
        return counter_request(msg, DEMO_NV_COUNTER_STORE_TYPE_INCREMENT);
    case DEMO_PLATFORM_TYPE_SYSTEM_RESET:
    case DEMO_PLATFORM_TYPE_SELF_TEST_PANIC:
        end_boot(msg->type);
    default:
        return PSA_ERROR_NOT_SUPPORTED;
    }
}

void demo_platform_main(void)
{
    for (;;) {
        psa_signal_t signals = psa_wait(DEMO_PLATFORM_SIGNAL, PSA_BLOCK);
        if ((signals & DEMO_PLATFORM_SIGNAL) != 0) {
            psa_msg_t msg;
            if (psa_get(DEMO_PLATFORM_SIGNAL, &msg) == PSA_SUCCESS) {
                psa_reply(msg.handle, dispatch(&msg));
            }
        }
    }
}
