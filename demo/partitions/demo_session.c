/*
 * demo_session.c - DEMO_SP_SESSION (APPLICATION-ROT, IPC model): the connection-based
 * DEMO_HASH_STREAM service. Where the stateless services forget everything between calls,
 * each connection here owns a running SHA-256 from a small static pool: CONNECT binds one to
 * the connection with psa_set_rhandle, every later message brings it back in msg.rhandle, and
 * DISCONNECT returns it to the pool.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ffmsim/platform.h>
#include <psa/client.h>
#include <psa/service.h>

#include "demo_services.h"
#include "psa_manifest/demo_session.h"
#include "psa_manifest/sid.h"
#include "sha256.h"

void demo_session_main(void);

struct session {
    bool in_use;
    struct sha256_ctx ctx;
};

static struct session g_sessions[DEMO_HASH_STREAM_MAX_SESSIONS];

/* CONNECT: a full pool is a transient condition, so CONNECTION_BUSY (try again later). */
static psa_status_t session_open(const psa_msg_t *msg)
{
    for (size_t i = 0; i < DEMO_HASH_STREAM_MAX_SESSIONS; i++) {
        struct session *s = &g_sessions[i];
        if (!s->in_use) {
            s->in_use = true;
            sha256_init(&s->ctx);
            psa_set_rhandle(msg->handle, s);
            return PSA_SUCCESS;
        }
    }
    return PSA_ERROR_CONNECTION_BUSY;
}

/* The rhandle of a request must be a session this partition opened. Anything else means the
 * framework handed back a pointer it was never given: stop rather than hash into it. */
static struct session *session_of(const psa_msg_t *msg)
{
    for (size_t i = 0; i < DEMO_HASH_STREAM_MAX_SESSIONS; i++) {
        if (msg->rhandle == &g_sessions[i] && g_sessions[i].in_use) {
            return &g_sessions[i];
        }
    }
    ffm_platform_log(FFM_LOG_ERROR, "request with unknown rhandle %p", msg->rhandle);
    psa_panic();
}

static void session_update(const psa_msg_t *msg, struct session *s)
{
    uint8_t chunk[SHA256_BLOCK_SIZE];
    for (uint32_t i = 0; i < PSA_MAX_IOVEC; i++) {
        size_t n;
        while (msg->in_size[i] > 0 && (n = psa_read(msg->handle, i, chunk, sizeof(chunk))) > 0) {
            sha256_update(&s->ctx, chunk, n);
        }
    }
}

static psa_status_t session_request(const psa_msg_t *msg)
{
    struct session *s = session_of(msg);
    uint8_t digest[SHA256_DIGEST_SIZE];
    switch (msg->type) {
    case DEMO_HASH_STREAM_TYPE_UPDATE:
        session_update(msg, s);
        return PSA_SUCCESS;
    case DEMO_HASH_STREAM_TYPE_FINISH:
        if (msg->out_size[0] < sizeof(digest)) {
            return PSA_ERROR_BUFFER_TOO_SMALL;
        }
        sha256_finish(&s->ctx, digest);
        psa_write(msg->handle, 0, digest, sizeof(digest));
        return PSA_SUCCESS;
    default:
        return PSA_ERROR_NOT_SUPPORTED;
    }
}

/* DISCONNECT carries the rhandle of the connection; its status is ignored (REPLY-07). */
static void session_close(const psa_msg_t *msg)
{
    struct session *s = msg->rhandle;
    if (s != NULL) {
        s->in_use = false;
    }
}

static psa_status_t dispatch(const psa_msg_t *msg)
{
    switch (msg->type) {
    case PSA_IPC_CONNECT:
        return session_open(msg);
    case PSA_IPC_DISCONNECT:
        session_close(msg);
        return PSA_SUCCESS;
    default:
        return session_request(msg);
    }
}

void demo_session_main(void)
{
    for (;;) {
        psa_signal_t signals = psa_wait(DEMO_HASH_STREAM_SIGNAL, PSA_BLOCK);
        if ((signals & DEMO_HASH_STREAM_SIGNAL) != 0) {
            psa_msg_t msg;
            if (psa_get(DEMO_HASH_STREAM_SIGNAL, &msg) == PSA_SUCCESS) {
                psa_reply(msg.handle, dispatch(&msg));
            }
        }
    }
}
