/*
 * demo_version.c - DEMO_SP_VERSION (APPLICATION-ROT, IPC model): the DEMO_VERSION service,
 * written connection-based on purpose. It accepts every CONNECT and DISCONNECT without doing
 * anything and answers each call from constants, so nothing ties one call to another: the
 * stateless report says it can move, and the same code serves it unchanged once it is
 * stateless (a stateless service simply never receives CONNECT or DISCONNECT).
 */
#include <stddef.h>
#include <stdint.h>

#include <psa/client.h>
#include <psa/service.h>

#include "demo_services.h"
#include "psa_manifest/demo_version.h"
#include "psa_manifest/sid.h"

void demo_version_main(void);

static psa_status_t version_request(const psa_msg_t *msg)
{
    static const char text[] = DEMO_FIRMWARE_VERSION_TEXT;
    const uint32_t number = DEMO_FIRMWARE_VERSION_NUMBER;

    switch (msg->type) {
    case DEMO_VERSION_TYPE_TEXT:
        if (msg->out_size[0] < sizeof(text) - 1) {
            return PSA_ERROR_BUFFER_TOO_SMALL;
        }
        psa_write(msg->handle, 0, text, sizeof(text) - 1);
        return PSA_SUCCESS;
    case DEMO_VERSION_TYPE_NUMBER:
        if (msg->out_size[0] < sizeof(number)) {
            return PSA_ERROR_BUFFER_TOO_SMALL;
        }
        psa_write(msg->handle, 0, &number, sizeof(number));
        return PSA_SUCCESS;
    default:
        return PSA_ERROR_NOT_SUPPORTED;
    }
}

static psa_status_t dispatch(const psa_msg_t *msg)
{
    if (msg->type == PSA_IPC_CONNECT || msg->type == PSA_IPC_DISCONNECT) {
        return PSA_SUCCESS; /* no session to open or close */
    }
    return version_request(msg);
}

void demo_version_main(void)
{
    for (;;) {
        psa_signal_t signals = psa_wait(DEMO_VERSION_SIGNAL, PSA_BLOCK);
        if ((signals & DEMO_VERSION_SIGNAL) != 0) {
            psa_msg_t msg;
            if (psa_get(DEMO_VERSION_SIGNAL, &msg) == PSA_SUCCESS) {
                psa_reply(msg.handle, dispatch(&msg));
            }
        }
    }
}
