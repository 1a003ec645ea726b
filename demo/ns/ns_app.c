/*
 * ns_app.c - the demo's non-secure application. ffm-sim runs ns_main() in the non-secure state
 * at every boot; ffm_platform_boot_count() says which boot this is:
 *   boot 1  exercise every service, show two PROGRAMMER ERRORs returned to NS, record the NV
 *           counter in ITS, then ask DEMO_PLATFORM for a secure panic (the system resets);
 *   boot 2  prove that ITS data and the counter survived the panic, then request a reset
 *           through DEMO_PLATFORM;
 *   boot 3  prove the counter survived that reset too, look the firmware version up a few
 *           times (the calls whose cost `make run-migration` compares), clean up, return 0
 *           (the run's exit status).
 * Every step prints one line; any mismatch prints why and makes ns_main return non-zero.
 * The demo tolerates an NVMEM file kept from an earlier run (ffm-sim --nvmem): counters only
 * grow, so it compares against values it recorded itself, never against constants.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <ffmsim/platform.h>
#include <psa/client.h>

#include "demo_services.h"
#include "psa_manifest/sid.h"

int ns_main(void);

#define UID_GREETING ((demo_its_uid_t)1)
#define UID_DEVICE_ID ((demo_its_uid_t)2)
#define UID_SCRATCH ((demo_its_uid_t)3)
#define UID_BOOT_NOTE ((demo_its_uid_t)4) /* counter value recorded before each reset */
#define DEMO_COUNTER (0u)

#define FORGED_HANDLE ((psa_handle_t)0x1234DEAD)
#define VERSION_LOOKUPS (16u)

static const char k_greeting[] = "Hello, FF-M!";
static const char k_device_id[] = "dev-0042";
static const char *const k_fox_parts[3] = {"The quick brown fox ", "jumps over ", "the lazy dog"};
static const char k_fox_sha256[] =
    "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592";

static uint32_t g_boot;
static unsigned g_failures;

/* One narrative line. Flushed at once: a reset may end this process image at any call. */
static void say(const char *fmt, ...)
{
    va_list ap;
    printf("[ns] boot %" PRIu32 ": ", g_boot);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
}

static const char *status_name(psa_status_t st)
{
    switch (st) {
    case PSA_SUCCESS: return "PSA_SUCCESS";
    case PSA_ERROR_PROGRAMMER_ERROR: return "PSA_ERROR_PROGRAMMER_ERROR";
    case PSA_ERROR_CONNECTION_REFUSED: return "PSA_ERROR_CONNECTION_REFUSED";
    case PSA_ERROR_CONNECTION_BUSY: return "PSA_ERROR_CONNECTION_BUSY";
    case PSA_ERROR_NOT_PERMITTED: return "PSA_ERROR_NOT_PERMITTED";
    case PSA_ERROR_NOT_SUPPORTED: return "PSA_ERROR_NOT_SUPPORTED";
    case PSA_ERROR_INVALID_ARGUMENT: return "PSA_ERROR_INVALID_ARGUMENT";
    case PSA_ERROR_BUFFER_TOO_SMALL: return "PSA_ERROR_BUFFER_TOO_SMALL";
    case PSA_ERROR_DOES_NOT_EXIST: return "PSA_ERROR_DOES_NOT_EXIST";
    case PSA_ERROR_INSUFFICIENT_STORAGE: return "PSA_ERROR_INSUFFICIENT_STORAGE";
    case PSA_ERROR_STORAGE_FAILURE: return "PSA_ERROR_STORAGE_FAILURE";
    case PSA_ERROR_DATA_CORRUPT: return "PSA_ERROR_DATA_CORRUPT";
    default: return "status";
    }
}

static bool check(bool ok, const char *what)
{
    if (!ok) {
        say("FAILED: %s", what);
        g_failures++;
    }
    return ok;
}

static bool check_status(psa_status_t got, psa_status_t want, const char *what)
{
    if (got == want) {
        return true;
    }
    say("FAILED: %s: expected %s (%d), got %s (%d)", what, status_name(want), (int)want,
        status_name(got), (int)got);
    g_failures++;
    return false;
}

/* ------------------------------------------------------------------ service wrappers */

static psa_status_t its_set(demo_its_uid_t uid, const void *data, size_t len, uint32_t flags)
{
    psa_invec in[3] = {{&uid, sizeof(uid)}, {data, len}, {&flags, sizeof(flags)}};
    return psa_call(DEMO_ITS_HANDLE, DEMO_ITS_TYPE_SET, in, 3, NULL, 0);
}

static psa_status_t its_get(demo_its_uid_t uid, uint32_t offset, void *buf, size_t size,
                            size_t *len)
{
    psa_invec in[2] = {{&uid, sizeof(uid)}, {&offset, sizeof(offset)}};
    psa_outvec out[1] = {{buf, size}};
    psa_status_t st = psa_call(DEMO_ITS_HANDLE, DEMO_ITS_TYPE_GET, in, 2, out, 1);
    *len = out[0].len;
    return st;
}

static psa_status_t its_get_info(demo_its_uid_t uid, struct demo_its_info *info)
{
    psa_invec in[1] = {{&uid, sizeof(uid)}};
    psa_outvec out[1] = {{info, sizeof(*info)}};
    return psa_call(DEMO_ITS_HANDLE, DEMO_ITS_TYPE_GET_INFO, in, 1, out, 1);
}

static psa_status_t its_remove(demo_its_uid_t uid)
{
    psa_invec in[1] = {{&uid, sizeof(uid)}};
    return psa_call(DEMO_ITS_HANDLE, DEMO_ITS_TYPE_REMOVE, in, 1, NULL, 0);
}

static psa_status_t counter_call(int32_t type, uint32_t id, uint32_t *value)
{
    psa_invec in[1] = {{&id, sizeof(id)}};
    psa_outvec out[1] = {{value, sizeof(*value)}};
    return psa_call(DEMO_PLATFORM_HANDLE, type, in, 1, out, 1);
}

static psa_status_t platform_request(int32_t type)
{
    return psa_call(DEMO_PLATFORM_HANDLE, type, NULL, 0, NULL, 0);
}

static psa_status_t stream_update(psa_handle_t h, const char *text)
{
    psa_invec in[1] = {{text, strlen(text)}};
    return psa_call(h, DEMO_HASH_STREAM_TYPE_UPDATE, in, 1, NULL, 0);
}

static psa_status_t stream_finish(psa_handle_t h, uint8_t digest[DEMO_HASH_SHA256_SIZE])
{
    psa_outvec out[1] = {{digest, DEMO_HASH_SHA256_SIZE}};
    return psa_call(h, DEMO_HASH_STREAM_TYPE_FINISH, NULL, 0, out, 1);
}

static void to_hex(const uint8_t *bytes, size_t n, char *hex)
{
    for (size_t i = 0; i < n; i++) {
        snprintf(hex + 2 * i, 3, "%02x", bytes[i]);
    }
}

/* Reads a text object; false (after saying why) unless it holds exactly `want`. */
static bool expect_text(demo_its_uid_t uid, const char *name, const char *want)
{
    char buf[DEMO_ITS_MAX_DATA + 1];
    size_t len = 0;
    if (!check_status(its_get(uid, 0, buf, DEMO_ITS_MAX_DATA, &len), PSA_SUCCESS, name)) {
        return false;
    }
    buf[len] = '\0';
    return check(len == strlen(want) && memcmp(buf, want, len) == 0, "stored text differs");
}

static bool read_u32_object(demo_its_uid_t uid, uint32_t *value)
{
    size_t len = 0;
    psa_status_t st = its_get(uid, 0, value, sizeof(*value), &len);
    return check_status(st, PSA_SUCCESS, "read 'boot-note'") &&
           check(len == sizeof(*value), "'boot-note' has the wrong size");
}

/* One DEMO_VERSION request. The service is connection-based as written, and stateless once
 * `ffm-manifest --migrate-stateless DEMO_VERSION` has moved it: the regenerated sid.h then
 * defines DEMO_VERSION_HANDLE, and the connect-call-close sequence becomes one psa_call. */
#if defined(DEMO_VERSION_HANDLE)
#define VERSION_ACCESS "psa_call(DEMO_VERSION_HANDLE) (stateless)"
static psa_status_t version_call(int32_t type, void *buf, size_t size, size_t *len)
{
    psa_outvec out[1] = {{buf, size}};
    psa_status_t st = psa_call(DEMO_VERSION_HANDLE, type, NULL, 0, out, 1);
    *len = out[0].len;
    return st;
}
#else
#define VERSION_ACCESS "psa_connect + psa_call + psa_close on DEMO_VERSION_SID (connection-based)"
static psa_status_t version_call(int32_t type, void *buf, size_t size, size_t *len)
{
    psa_outvec out[1] = {{buf, size}};
    psa_handle_t h = psa_connect(DEMO_VERSION_SID, DEMO_VERSION_VERSION);
    if (!PSA_HANDLE_IS_VALID(h)) {
        return PSA_HANDLE_TO_ERROR(h);
    }
    psa_status_t st = psa_call(h, type, NULL, 0, out, 1);
    psa_close(h);
    *len = out[0].len;
    return st;
}
#endif

static bool version_number(uint32_t *number)
{
    size_t len = 0;
    return check_status(version_call(DEMO_VERSION_TYPE_NUMBER, number, sizeof(*number), &len),
                        PSA_SUCCESS, "DEMO_VERSION number") &&
           check(len == sizeof(*number) && *number == DEMO_FIRMWARE_VERSION_NUMBER,
                 "DEMO_VERSION number is wrong");
}

/* ------------------------------------------------------------------ boot 1 steps */

static void version_demo(void)
{
    char text[DEMO_VERSION_TEXT_MAX + 1];
    size_t len = 0;
    uint32_t number = 0;
    if (!check_status(version_call(DEMO_VERSION_TYPE_TEXT, text, DEMO_VERSION_TEXT_MAX, &len),
                      PSA_SUCCESS, "DEMO_VERSION text") ||
        !version_number(&number)) {
        return;
    }
    text[len] = '\0';
    check(strcmp(text, DEMO_FIRMWARE_VERSION_TEXT) == 0, "DEMO_VERSION text is wrong");
    say("DEMO_VERSION: firmware \"%s\" (0x%08" PRIx32 ") through %s", text, number,
        VERSION_ACCESS);
}

static void show_versions(void)
{
    say("PSA framework version 0x%04" PRIx32 "; DEMO_ITS v%" PRIu32 ", DEMO_HASH_STREAM v%" PRIu32
        ", DEMO_NV_COUNTER_STORE v%" PRIu32 " (secure-only: hidden from NS)",
        psa_framework_version(), psa_version(DEMO_ITS_SID), psa_version(DEMO_HASH_STREAM_SID),
        psa_version(DEMO_NV_COUNTER_STORE_SID));
    check(psa_framework_version() == PSA_FRAMEWORK_VERSION, "framework version");
    check(psa_version(DEMO_NV_COUNTER_STORE_SID) == PSA_VERSION_NONE,
          "a secure-only service must report PSA_VERSION_NONE to NS");
}

static void its_basics(void)
{
    size_t len = 0;
    char part[8] = {0};
    struct demo_its_info info = {0, 0, 0};
    if (!check_status(its_set(UID_GREETING, k_greeting, strlen(k_greeting), DEMO_ITS_FLAG_NONE),
                      PSA_SUCCESS, "store 'greeting'")) {
        return;
    }
    say("stored 'greeting' (%zu bytes) in DEMO_ITS (type SET on one stateless handle)",
        strlen(k_greeting));
    if (expect_text(UID_GREETING, "read 'greeting'", k_greeting)) {
        say("read back 'greeting': \"%s\"", k_greeting);
    }
    if (check_status(its_get_info(UID_GREETING, &info), PSA_SUCCESS, "get_info 'greeting'") &&
        check(info.size == strlen(k_greeting) && info.flags == DEMO_ITS_FLAG_NONE, "info")) {
        say("get_info 'greeting': size %" PRIu32 ", flags 0x%" PRIx32, info.size, info.flags);
    }
    if (check_status(its_get(UID_GREETING, 7, part, sizeof(part) - 1, &len), PSA_SUCCESS,
                     "partial read") &&
        check(len == 5 && memcmp(part, "FF-M!", 5) == 0, "partial read content")) {
        say("read 'greeting' from offset 7: \"%s\" (%zu bytes)", part, len);
    }
}

static void its_write_once(void)
{
    struct demo_its_info info = {0, 0, 0};
    psa_status_t st = its_get_info(UID_DEVICE_ID, &info);
    if (st == PSA_ERROR_DOES_NOT_EXIST) {
        st = its_set(UID_DEVICE_ID, k_device_id, strlen(k_device_id), DEMO_ITS_FLAG_WRITE_ONCE);
        if (check_status(st, PSA_SUCCESS, "store 'device-id'")) {
            say("stored 'device-id' = \"%s\" with the WRITE_ONCE flag", k_device_id);
        }
    } else if (check_status(st, PSA_SUCCESS, "get_info 'device-id'")) {
        say("'device-id' already provisioned (write-once) by an earlier run on this NVMEM");
    }
    st = its_set(UID_DEVICE_ID, "dev-9999", 8, DEMO_ITS_FLAG_NONE);
    if (check_status(st, PSA_ERROR_NOT_PERMITTED, "overwrite 'device-id'")) {
        say("overwrite of write-once 'device-id' refused: %s (%d)", status_name(st), (int)st);
    }
    st = its_remove(UID_DEVICE_ID);
    if (check_status(st, PSA_ERROR_NOT_PERMITTED, "remove 'device-id'")) {
        say("remove of write-once 'device-id' refused: %s (%d)", status_name(st), (int)st);
    }
    expect_text(UID_DEVICE_ID, "read 'device-id'", k_device_id);
}

static void its_remove_demo(void)
{
    char buf[8];
    size_t len = 0;
    if (!check_status(its_set(UID_SCRATCH, "temp", 4, DEMO_ITS_FLAG_NONE), PSA_SUCCESS,
                      "store 'scratch'") ||
        !check_status(its_remove(UID_SCRATCH), PSA_SUCCESS, "remove 'scratch'")) {
        return;
    }
    psa_status_t st = its_get(UID_SCRATCH, 0, buf, sizeof(buf), &len);
    if (check_status(st, PSA_ERROR_DOES_NOT_EXIST, "read removed 'scratch'")) {
        say("stored and removed 'scratch'; reading it now gives %s (%d)", status_name(st),
            (int)st);
    }
}

/* Increments the demo counter; *after is the new value. */
static bool counter_step(uint32_t *after)
{
    uint32_t before = 0;
    uint32_t read_back = 0;
    if (!check_status(counter_call(DEMO_PLATFORM_TYPE_NV_COUNTER_READ, DEMO_COUNTER, &before),
                      PSA_SUCCESS, "read NV counter") ||
        !check_status(counter_call(DEMO_PLATFORM_TYPE_NV_COUNTER_INCREMENT, DEMO_COUNTER, after),
                      PSA_SUCCESS, "increment NV counter") ||
        !check_status(counter_call(DEMO_PLATFORM_TYPE_NV_COUNTER_READ, DEMO_COUNTER, &read_back),
                      PSA_SUCCESS, "read NV counter again")) {
        return false;
    }
    if (!check(*after == before + 1u && read_back == *after, "counter did not go up by one")) {
        return false;
    }
    say("NV counter %u: %" PRIu32 " -> %" PRIu32
        " (DEMO_PLATFORM -> DEMO_NV_COUNTER_STORE, a secure-only dependency)",
        DEMO_COUNTER, before, *after);
    return true;
}

static void hash_demo(void)
{
    uint8_t digest[DEMO_HASH_SHA256_SIZE];
    char hex[2 * DEMO_HASH_SHA256_SIZE + 1];
    psa_invec in[3];
    for (size_t i = 0; i < 3; i++) {
        in[i].base = k_fox_parts[i];
        in[i].len = strlen(k_fox_parts[i]);
    }
    psa_outvec out[1] = {{digest, sizeof(digest)}};
    psa_status_t st = psa_call(DEMO_HASH_HANDLE, DEMO_HASH_TYPE_SHA256, in, 3, out, 1);
    if (check_status(st, PSA_SUCCESS, "DEMO_HASH") &&
        check(out[0].len == sizeof(digest), "digest length")) {
        to_hex(digest, sizeof(digest), hex);
        check(strcmp(hex, k_fox_sha256) == 0, "DEMO_HASH digest differs from the expected one");
        say("DEMO_HASH SHA-256 over 3 vectors \"%s\" + \"%s\" + \"%s\" = %s (%s)",
            k_fox_parts[0], k_fox_parts[1], k_fox_parts[2], hex,
            strcmp(hex, k_fox_sha256) == 0 ? "matches" : "WRONG");
    }
    out[0].len = 16;
    st = psa_call(DEMO_HASH_HANDLE, DEMO_HASH_TYPE_SHA256, in, 3, out, 1);
    if (check_status(st, PSA_ERROR_BUFFER_TOO_SMALL, "DEMO_HASH into 16 bytes")) {
        say("DEMO_HASH into a 16-byte buffer: %s (%d)", status_name(st), (int)st);
    }
}

/* The pool holds DEMO_HASH_STREAM_MAX_SESSIONS sessions: one more connect is refused as busy. */
static void stream_pool_demo(void)
{
    psa_handle_t second = psa_connect(DEMO_HASH_STREAM_SID, 1);
    if (!check(PSA_HANDLE_IS_VALID(second), "second session")) {
        return;
    }
    psa_handle_t third = psa_connect(DEMO_HASH_STREAM_SID, 1);
    if (check_status(PSA_HANDLE_TO_ERROR(third), PSA_ERROR_CONNECTION_BUSY, "third session")) {
        say("DEMO_HASH_STREAM: a 3rd session while 2 are open: %s (%d), the service's pool is "
            "full", status_name(third), (int)third);
    }
    psa_close(second);
}

static void stream_demo(void)
{
    uint8_t digest[DEMO_HASH_SHA256_SIZE];
    char hex[2 * DEMO_HASH_SHA256_SIZE + 1];
    psa_handle_t h = psa_connect(DEMO_HASH_STREAM_SID, 1);
    if (!check(PSA_HANDLE_IS_VALID(h), "connect to DEMO_HASH_STREAM")) {
        say("psa_connect(DEMO_HASH_STREAM_SID, 1) returned %d", (int)h);
        return;
    }
    say("DEMO_HASH_STREAM: connected, handle 0x%08" PRIx32
        " (the service bound a SHA-256 context to it with psa_set_rhandle)", (uint32_t)h);
    check_status(stream_update(h, "The quick brown fox "), PSA_SUCCESS, "update 1");
    stream_pool_demo();
    check_status(stream_update(h, "jumps over the lazy dog"), PSA_SUCCESS, "update 2");
    if (check_status(stream_finish(h, digest), PSA_SUCCESS, "finish")) {
        to_hex(digest, sizeof(digest), hex);
        check(strcmp(hex, k_fox_sha256) == 0, "streamed digest differs");
        say("DEMO_HASH_STREAM: update, update, finish = %s (%s)", hex,
            strcmp(hex, k_fox_sha256) == 0 ? "same digest as DEMO_HASH" : "WRONG");
    }
    psa_close(h);
    say("DEMO_HASH_STREAM: closed; the service freed the session on DISCONNECT");
}

/* Two PROGRAMMER ERRORs made by NS code: the SPM records each and returns an error to NS
 * instead of panicking (ffm-rules.md §5.0). */
static void programmer_errors(void)
{
    psa_handle_t h = psa_connect(DEMO_ITS_SID, 1);
    if (check_status(PSA_HANDLE_TO_ERROR(h), PSA_ERROR_CONNECTION_REFUSED,
                     "psa_connect on a stateless SID")) {
        say("PROGRAMMER ERROR 1: psa_connect(DEMO_ITS_SID, 1) on a stateless service -> %s "
            "(%d) [CON-02]", status_name(h), (int)h);
    }
    uint8_t digest[DEMO_HASH_SHA256_SIZE];
    psa_outvec out[1] = {{digest, sizeof(digest)}};
    psa_status_t st = psa_call(FORGED_HANDLE, DEMO_HASH_TYPE_SHA256, NULL, 0, out, 1);
    if (check_status(st, PSA_ERROR_PROGRAMMER_ERROR, "psa_call with a forged handle")) {
        say("PROGRAMMER ERROR 2: psa_call(0x%08" PRIx32 ", ...) with a forged handle -> %s (%d) "
            "[CALL-08]", (uint32_t)FORGED_HANDLE, status_name(st), (int)st);
    }
}

static int boot_one(void)
{
    uint32_t counter = 0;
    show_versions();
    its_basics();
    its_write_once();
    its_remove_demo();
    bool counted = counter_step(&counter);
    hash_demo();
    stream_demo();
    version_demo();
    programmer_errors();
    if (g_failures > 0 || !counted) {
        say("%u check(s) failed; not triggering the panic", g_failures);
        return 1;
    }
    if (!check_status(its_set(UID_BOOT_NOTE, &counter, sizeof(counter), DEMO_ITS_FLAG_NONE),
                      PSA_SUCCESS, "store 'boot-note'")) {
        return 1;
    }
    say("recorded NV counter value %" PRIu32 " in 'boot-note'", counter);
    say("asking DEMO_PLATFORM for its panic self-test: psa_panic() in DEMO_SP_PLATFORM...");
    psa_status_t st = platform_request(DEMO_PLATFORM_TYPE_SELF_TEST_PANIC);
    say("FAILED: the panic self-test returned %s (%d): the system was not reset "
        "(is ffm-sim running with --panic reset?)", status_name(st), (int)st);
    return 1;
}

/* ------------------------------------------------------------------ after a reset */

/* The counter equals the value recorded before the last reset; then it moves on by one and
 * the new value is recorded for the next boot. */
static bool counter_survived(void)
{
    uint32_t noted = 0;
    uint32_t now = 0;
    if (!read_u32_object(UID_BOOT_NOTE, &noted) ||
        !check_status(counter_call(DEMO_PLATFORM_TYPE_NV_COUNTER_READ, DEMO_COUNTER, &now),
                      PSA_SUCCESS, "read NV counter")) {
        return false;
    }
    if (!check(now == noted, "the NV counter does not match the value recorded before reset")) {
        say("NV counter %u is %" PRIu32 ", recorded %" PRIu32, DEMO_COUNTER, now, noted);
        return false;
    }
    say("NV counter %u survived: %" PRIu32 " (as recorded before the reset)", DEMO_COUNTER, now);
    return true;
}

static int boot_two(void)
{
    uint32_t counter = 0;
    say("the system was reset after the secure panic; checking what survived in NVMEM");
    if (expect_text(UID_GREETING, "read 'greeting' after reset", k_greeting)) {
        say("'greeting' survived: \"%s\"", k_greeting);
    }
    if (expect_text(UID_DEVICE_ID, "read 'device-id' after reset", k_device_id)) {
        say("'device-id' survived: \"%s\" (still write-once)", k_device_id);
    }
    if (!counter_survived() || !counter_step(&counter) ||
        !check_status(its_set(UID_BOOT_NOTE, &counter, sizeof(counter), DEMO_ITS_FLAG_NONE),
                      PSA_SUCCESS, "store 'boot-note'") ||
        g_failures > 0) {
        say("%u check(s) failed", g_failures);
        return 1;
    }
    say("recorded NV counter value %" PRIu32 "; requesting SYSTEM_RESET from DEMO_PLATFORM...",
        counter);
    psa_status_t st = platform_request(DEMO_PLATFORM_TYPE_SYSTEM_RESET);
    say("FAILED: SYSTEM_RESET returned %s (%d)", status_name(st), (int)st);
    return 1;
}

static int boot_three(void)
{
    say("the system was reset on request; checking the counter again");
    if (!counter_survived()) {
        return 1;
    }
    uint32_t number = 0;
    unsigned looked_up = 0;
    while (looked_up < VERSION_LOOKUPS && version_number(&number)) {
        looked_up++;
    }
    say("DEMO_VERSION: %u lookups, each %s", looked_up, VERSION_ACCESS);
    check_status(its_remove(UID_GREETING), PSA_SUCCESS, "remove 'greeting'");
    check_status(its_remove(UID_BOOT_NOTE), PSA_SUCCESS, "remove 'boot-note'");
    if (g_failures > 0) {
        say("%u check(s) failed", g_failures);
        return 1;
    }
    say("removed 'greeting' and 'boot-note' ('device-id' is write-once and stays)");
    say("demo complete: all checks passed");
    return 0;
}

int ns_main(void)
{
    g_boot = ffm_platform_boot_count();
    g_failures = 0;
    switch (g_boot) {
    case 1:
        return boot_one();
    case 2:
        return boot_two();
    case 3:
        return boot_three();
    default:
        say("FAILED: unexpected boot: the demo resets the system exactly twice");
        return 1;
    }
}
