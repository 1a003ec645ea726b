/*
 * demo_services.h - the client-visible protocol of the demo RoT services: call types, flags,
 * wire formats and limits. Included by the non-secure application and by the partitions; the
 * SIDs, versions and stateless handles come from the generated "psa_manifest/sid.h".
 *
 * Each stateless service groups related operations under one SID and tells them apart by the
 * psa_call() `type`, with consecutive values (the seed's "Grouping Services"). Types start at 1
 * so that a client calling with the default PSA_IPC_CALL (0) gets PSA_ERROR_NOT_SUPPORTED
 * instead of silently running the first operation. Integers on the wire are in the host's
 * byte order (client and service run on the same core).
 */
#ifndef DEMO_SERVICES_H
#define DEMO_SERVICES_H

#include <stdint.h>

/* ---- DEMO_ITS: internal trusted storage (stateless, NS-accessible, DEMO_SP_STORAGE) ----
 * Objects are per client: the service keys them by (client ID, uid).
 *   SET      in[0] uid (uint64_t), in[1] data (0..DEMO_ITS_MAX_DATA bytes), in[2] flags
 *            (uint32_t)
 *   GET      in[0] uid, in[1] offset (uint32_t, optional: 0 if absent); out[0] receives
 *            min(out_size, size - offset) bytes, its length is returned in out_vec[0].len
 *   GET_INFO in[0] uid; out[0] struct demo_its_info
 *   REMOVE   in[0] uid
 * Statuses: PSA_SUCCESS, DOES_NOT_EXIST, NOT_PERMITTED (write-once), NOT_SUPPORTED (flags,
 * type), INVALID_ARGUMENT (uid 0, sizes, offset), INSUFFICIENT_STORAGE, DATA_CORRUPT,
 * BUFFER_TOO_SMALL (GET_INFO output), STORAGE_FAILURE (NVMEM unusable). */
#define DEMO_ITS_TYPE_SET (1)
#define DEMO_ITS_TYPE_GET (2)
#define DEMO_ITS_TYPE_GET_INFO (3)
#define DEMO_ITS_TYPE_REMOVE (4)

#define DEMO_ITS_FLAG_NONE (0u)
#define DEMO_ITS_FLAG_WRITE_ONCE (1u << 0) /* PSA_STORAGE_FLAG_WRITE_ONCE */

#define DEMO_ITS_MAX_DATA (96u)

typedef uint64_t demo_its_uid_t;

struct demo_its_info {
    uint32_t capacity; /* bytes allocated for the object (= size in this store) */
    uint32_t size;
    uint32_t flags;
};

/* ---- DEMO_NV_COUNTER_STORE: monotonic counters in NVMEM (stateless, secure-only) ----
 * Used by DEMO_SP_PLATFORM through `dependencies`. Counters are per client and only go up.
 *   READ       in[0] counter id (uint32_t); out[0] value (uint32_t). Never written: 0.
 *   INCREMENT  in[0] counter id; out[0] (optional) the new value.
 * Statuses: INVALID_ARGUMENT (id, sizes), BUFFER_TOO_SMALL, NOT_PERMITTED (at UINT32_MAX),
 * STORAGE_FAILURE. */
#define DEMO_NV_COUNTER_STORE_TYPE_READ (1)
#define DEMO_NV_COUNTER_STORE_TYPE_INCREMENT (2)

#define DEMO_NV_COUNTER_COUNT (3u)

/* ---- DEMO_PLATFORM: platform services (stateless, NS-accessible, DEMO_SP_PLATFORM) ----
 *   NV_COUNTER_READ       as DEMO_NV_COUNTER_STORE READ, for the caller-visible counters
 *   NV_COUNTER_INCREMENT  as DEMO_NV_COUNTER_STORE INCREMENT
 *   SYSTEM_RESET          resets the system; the call never returns
 *   SELF_TEST_PANIC       the platform partition calls psa_panic() (demo only: shows what a
 *                         secure panic does to the system); the call never returns */
#define DEMO_PLATFORM_TYPE_NV_COUNTER_READ (1)
#define DEMO_PLATFORM_TYPE_NV_COUNTER_INCREMENT (2)
#define DEMO_PLATFORM_TYPE_SYSTEM_RESET (3)
#define DEMO_PLATFORM_TYPE_SELF_TEST_PANIC (4)

/* ---- DEMO_HASH: one-shot SHA-256 (stateless, NS-accessible, DEMO_SP_CRYPTO) ----
 *   SHA256  in[0..n) message parts, hashed as one concatenated message (n = 0..3);
 *           out[0] the 32-byte digest (BUFFER_TOO_SMALL if shorter). */
#define DEMO_HASH_TYPE_SHA256 (1)
#define DEMO_HASH_SHA256_SIZE (32u)

/* ---- DEMO_HASH_STREAM: streaming SHA-256 sessions (connection-based, DEMO_SP_SESSION) ----
 * psa_connect() opens a session (PSA_ERROR_CONNECTION_BUSY when all are in use); the service
 * keeps the running hash per connection (rhandle); psa_close() ends it.
 *   UPDATE  in[0..n) more message bytes
 *   FINISH  out[0] the 32-byte digest of everything since connect or the last FINISH; the
 *           session then starts a new message. */
#define DEMO_HASH_STREAM_TYPE_UPDATE (1)
#define DEMO_HASH_STREAM_TYPE_FINISH (2)

#define DEMO_HASH_STREAM_MAX_SESSIONS (2u)

/* ---- DEMO_VERSION: firmware version (DEMO_SP_VERSION; connection-based until migrated) ----
 * Keeps nothing between calls: the example `make run-migration` moves to a stateless handle.
 *   TEXT    out[0] the version as text, without a terminating NUL; >= DEMO_VERSION_TEXT_MAX
 *   NUMBER  out[0] the version as a uint32_t, 0x00MMmmpp (major, minor, patch) */
#define DEMO_VERSION_TYPE_TEXT (1)
#define DEMO_VERSION_TYPE_NUMBER (2)

#define DEMO_VERSION_TEXT_MAX (32u)
#define DEMO_FIRMWARE_VERSION_TEXT "demo-fw 1.4.2"
#define DEMO_FIRMWARE_VERSION_NUMBER (0x00010402u)

#endif /* DEMO_SERVICES_H */
