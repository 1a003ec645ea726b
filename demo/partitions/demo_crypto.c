/*
 * demo_crypto.c - DEMO_SP_CRYPTO (APPLICATION-ROT, SFN model): the stateless DEMO_HASH
 * service, SHA-256 over all input vectors taken as one message. Inputs are streamed through a
 * small buffer with psa_read, so a message may be larger than anything the partition holds.
 */
#include <stddef.h>
#include <stdint.h>

#include <psa/client.h>
#include <psa/service.h>

#include "demo_services.h"
#include "psa_manifest/demo_crypto.h"
#include "psa_manifest/sid.h"
#include "sha256.h"

/* Feeds every byte of every input vector, in order, into the hash. */
static void hash_inputs(const psa_msg_t *msg, struct sha256_ctx *ctx)
{
    uint8_t chunk[SHA256_BLOCK_SIZE];
    for (uint32_t i = 0; i < PSA_MAX_IOVEC; i++) {
        size_t n;
        while (msg->in_size[i] > 0 && (n = psa_read(msg->handle, i, chunk, sizeof(chunk))) > 0) {
            sha256_update(ctx, chunk, n);
        }
    }
}

psa_status_t demo_hash_sfn(const psa_msg_t *msg)
{
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    if (msg->type != DEMO_HASH_TYPE_SHA256) {
        return PSA_ERROR_NOT_SUPPORTED;
    }
    if (msg->out_size[0] < sizeof(digest)) {
        return PSA_ERROR_BUFFER_TOO_SMALL;
    }
    sha256_init(&ctx);
    hash_inputs(msg, &ctx);
    sha256_finish(&ctx, digest);
    psa_write(msg->handle, 0, digest, sizeof(digest));
    return PSA_SUCCESS;
}
