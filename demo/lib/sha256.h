/*
 * sha256.h - SHA-256 (FIPS 180-4) with a streaming interface, used by the demo crypto and
 * session partitions. Pure computation: no PSA or platform calls, so it is unit-tested alone.
 */
#ifndef DEMO_SHA256_H
#define DEMO_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE (32u)
#define SHA256_BLOCK_SIZE (64u)

struct sha256_ctx {
    uint32_t state[8];
    uint64_t total_bytes;             /* message length so far, for the final length field */
    uint8_t block[SHA256_BLOCK_SIZE]; /* bytes waiting for a full block */
    size_t block_used;
};

void sha256_init(struct sha256_ctx *ctx);
void sha256_update(struct sha256_ctx *ctx, const void *data, size_t len);
/* Writes the digest and leaves the context re-initialised, ready for a new message. */
void sha256_finish(struct sha256_ctx *ctx, uint8_t digest[SHA256_DIGEST_SIZE]);
/* One-shot convenience: init, update, finish. */
void sha256(const void *data, size_t len, uint8_t digest[SHA256_DIGEST_SIZE]);

#endif /* DEMO_SHA256_H */
