/*
 * test_demo_sha256.c - the demo's SHA-256 (demo/lib/sha256.c) against the NIST FIPS 180-4
 * example vectors, the padding boundaries, and multi-part updates split at every point.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "../../demo/lib/sha256.h"

/* Lower-case hex of a digest, for readable failure messages. */
static void to_hex(const uint8_t digest[SHA256_DIGEST_SIZE], char hex[2 * SHA256_DIGEST_SIZE + 1])
{
    for (unsigned i = 0; i < SHA256_DIGEST_SIZE; i++) {
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    }
}

static void assert_digest(const uint8_t digest[SHA256_DIGEST_SIZE], const char *expected_hex)
{
    char hex[2 * SHA256_DIGEST_SIZE + 1];
    to_hex(digest, hex);
    assert_string_equal(hex, expected_hex);
}

static void assert_sha256_of(const char *msg, const char *expected_hex)
{
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256(msg, strlen(msg), digest);
    assert_digest(digest, expected_hex);
}

/* NIST examples: empty message and "abc" (one block). */
static void test_nist_short(void **state)
{
    (void)state;
    assert_sha256_of("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_sha256_of("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

/* NIST examples: the 448-bit message (padding spills into a second block) and the 896-bit one. */
static void test_nist_two_block(void **state)
{
    (void)state;
    assert_sha256_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    assert_sha256_of("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                     "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
                     "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

/* NIST example: one million 'a', fed in uneven 997-byte pieces. */
static void test_nist_million_a(void **state)
{
    (void)state;
    char chunk[997];
    memset(chunk, 'a', sizeof(chunk));
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    size_t left = 1000000;
    while (left > 0) {
        size_t n = left < sizeof(chunk) ? left : sizeof(chunk);
        sha256_update(&ctx, chunk, n);
        left -= n;
    }
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_finish(&ctx, digest);
    assert_digest(digest, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* Lengths around the padding boundaries (55/56 bytes: length field fits or not; 63/64/119). */
static void test_padding_boundaries(void **state)
{
    (void)state;
    static const struct {
        size_t len;
        const char *hex;
    } cases[] = {
        {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
        {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
        {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
        {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
        {119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"},
    };
    char msg[119];
    memset(msg, 'a', sizeof(msg));
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint8_t digest[SHA256_DIGEST_SIZE];
        sha256(msg, cases[i].len, digest);
        assert_digest(digest, cases[i].hex);
    }
}

#define SPLIT_MSG_LEN 200u
static const char k_split_hex[] = "44cae5223d431caed4a9e32271d6abf17c3f2f4abac45fcdb48a99fcc6072a09";

static void fill_split_msg(uint8_t msg[SPLIT_MSG_LEN])
{
    for (unsigned i = 0; i < SPLIT_MSG_LEN; i++) {
        msg[i] = (uint8_t)(i * 31u + 7u);
    }
}

/* A 200-byte message hashed in two parts split at every point 0..200, and in three parts split
 * at every pair of points: the digest never depends on how the message was cut. */
static void test_every_split_point(void **state)
{
    (void)state;
    uint8_t msg[SPLIT_MSG_LEN];
    fill_split_msg(msg);
    uint8_t digest[SHA256_DIGEST_SIZE];
    struct sha256_ctx ctx;
    for (size_t cut = 0; cut <= SPLIT_MSG_LEN; cut++) {
        sha256_init(&ctx);
        sha256_update(&ctx, msg, cut);
        sha256_update(&ctx, msg + cut, SPLIT_MSG_LEN - cut);
        sha256_finish(&ctx, digest);
        assert_digest(digest, k_split_hex);
    }
    for (size_t a = 0; a <= SPLIT_MSG_LEN; a += 7) {
        for (size_t b = a; b <= SPLIT_MSG_LEN; b += 5) {
            sha256_init(&ctx);
            sha256_update(&ctx, msg, a);
            sha256_update(&ctx, msg + a, b - a);
            sha256_update(&ctx, msg + b, SPLIT_MSG_LEN - b);
            sha256_finish(&ctx, digest);
            assert_digest(digest, k_split_hex);
        }
    }
}

/* Byte-at-a-time updates, and finish re-initialises the context for the next message (the
 * session service relies on this to reuse one context per connection). */
static void test_bytewise_and_reuse(void **state)
{
    (void)state;
    uint8_t msg[SPLIT_MSG_LEN];
    fill_split_msg(msg);
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    for (size_t i = 0; i < SPLIT_MSG_LEN; i++) {
        sha256_update(&ctx, msg + i, 1);
    }
    sha256_finish(&ctx, digest);
    assert_digest(digest, k_split_hex);
    sha256_update(&ctx, "abc", 3);
    sha256_finish(&ctx, digest);
    assert_digest(digest, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    sha256_finish(&ctx, digest);
    assert_digest(digest, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nist_short),
        cmocka_unit_test(test_nist_two_block),
        cmocka_unit_test(test_nist_million_a),
        cmocka_unit_test(test_padding_boundaries),
        cmocka_unit_test(test_every_split_point),
        cmocka_unit_test(test_bytewise_and_reuse),
    };
    return cmocka_run_group_tests_name("demo_sha256", tests, NULL, NULL);
}
