/*
 * its_store.h - a small, power-fail-safe object store laid over a caller-given memory region
 * (the demo's NVMEM). Objects are keyed by (owner, uid): the owner is the client ID of the
 * caller, so clients never see each other's objects, as in PSA Internal Trusted Storage.
 *
 * On-flash format (all integers little-endian):
 *
 *   offset 0            32                 32+128               ...
 *          [ header    ][ slot 0 (record) ][ slot 1 (record) ]...
 *
 *   header: magic "DITS" u32 | format version u16 | slot size u16 | slot count u32 |
 *           16 reserved bytes (0) | CRC-32 of bytes 0..27 u32
 *   record: magic "DREC" u32 | seq u32 | uid u64 | owner i32 | flags u32 | length u32 |
 *           data[96] (unused bytes 0) | CRC-32 of bytes 0..123 u32
 *
 * A slot of all 0xFF bytes is erased (free): NVMEM is 0xFF-filled at cold start, so a blank
 * region is an empty store. Power-fail safety comes from write ordering, not from a journal:
 *  - a record is programmed body first and magic last, so a torn write never carries a whole
 *    magic: such a slot is garbage and is erased when the store is next opened;
 *  - an update writes the new version (seq + 1) into a free slot before erasing the old one; if
 *    power fails in between, opening keeps the higher seq;
 *  - erasing destroys the magic first, so a torn erase or remove leaves garbage, not the object.
 * A slot with a whole magic but a bad CRC was damaged after it was written (not torn): it is
 * reported as PSA_ERROR_DATA_CORRUPT and can only be removed.
 *
 * One free slot is always kept in reserve so that updating an object never needs more space
 * than it already holds: the store holds at most slot_count - 1 objects.
 */
#ifndef DEMO_ITS_STORE_H
#define DEMO_ITS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "psa/error.h"

#define ITS_STORE_HEADER_SIZE (32u)
#define ITS_STORE_SLOT_SIZE (128u)
#define ITS_STORE_MAX_DATA (96u)
#define ITS_STORE_FORMAT_VERSION (1u)

/* Creation flags (values of PSA_STORAGE_FLAG_*). Only WRITE_ONCE is supported. */
#define ITS_STORE_FLAG_NONE (0u)
#define ITS_STORE_FLAG_WRITE_ONCE (1u << 0)

/* Smallest region that can hold one object plus the reserve slot. */
#define ITS_STORE_MIN_SIZE (ITS_STORE_HEADER_SIZE + 2u * ITS_STORE_SLOT_SIZE)

/*
 * A flash medium (its_store_open_flash): the store reads the region directly (memory-mapped
 * flash) and changes it only through these, as a flash driver allows: program bytes that are
 * erased (0xFF), erase whole sectors. Offsets are from the region's start. `erase` covers
 * [offset, offset + len) and erases its sectors in address order, so a slot loses its magic
 * first; the header (32 bytes) and every slot (128 bytes) must be whole sectors, which takes
 * sectors of at most 32 bytes. Both return 0 on success.
 */
struct its_store_flash {
    void *ctx;
    int (*program)(void *ctx, size_t offset, const void *data, size_t len);
    int (*erase)(void *ctx, size_t offset, size_t len);
};

struct its_store {
    uint8_t *base;
    const struct its_store_flash *flash; /* NULL: plain memory, written directly */
    uint32_t slot_count;
    bool open;
    /* Power-loss injection (tests): when armed, programming stops after `bytes_left` bytes,
     * as if power failed mid-write, and every later operation fails. */
    bool power_loss_armed;
    bool power_lost;
    size_t bytes_left;
};

/* What its_store_open() found and repaired. */
struct its_store_mount_report {
    bool formatted;        /* the region was blank (or held no object) and was formatted */
    uint32_t objects;      /* intact objects */
    uint32_t damaged;      /* objects whose record fails its CRC */
    uint32_t slots_erased; /* torn writes and superseded versions cleaned up */
};

struct its_store_info {
    uint32_t size;
    uint32_t flags;
};

/* Mounts the store in [mem, mem + size): formats a blank region, repairs torn writes.
 * PSA_ERROR_INVALID_ARGUMENT: region smaller than ITS_STORE_MIN_SIZE.
 * PSA_ERROR_NOT_SUPPORTED: a valid header of another format version or slot size.
 * PSA_ERROR_DATA_CORRUPT: the header is damaged but objects exist (nothing is erased). */
psa_status_t its_store_open(struct its_store *store, void *mem, size_t size,
                            struct its_store_mount_report *report);
/* The same over flash: `mem` is read directly, written only through `flash` (kept, not
 * copied). Slots and the header are erased before they are programmed again. */
psa_status_t its_store_open_flash(struct its_store *store, const void *mem, size_t size,
                                  const struct its_store_flash *flash,
                                  struct its_store_mount_report *report);

/* Creates or replaces an object.
 * INVALID_ARGUMENT: uid 0, NULL data with length > 0, length > ITS_STORE_MAX_DATA.
 * NOT_SUPPORTED: unknown flags. NOT_PERMITTED: the object exists and is write-once.
 * DATA_CORRUPT: the existing object is damaged. INSUFFICIENT_STORAGE: no room. */
psa_status_t its_store_set(struct its_store *store, int32_t owner, uint64_t uid,
                           const void *data, size_t length, uint32_t flags);

/* Copies min(buf_size, size - offset) bytes from `offset` into buf; *copied says how many.
 * DOES_NOT_EXIST, DATA_CORRUPT, INVALID_ARGUMENT (offset > size, NULL buf with buf_size > 0). */
psa_status_t its_store_get(const struct its_store *store, int32_t owner, uint64_t uid,
                           size_t offset, void *buf, size_t buf_size, size_t *copied);

/* DOES_NOT_EXIST, DATA_CORRUPT. */
psa_status_t its_store_get_info(const struct its_store *store, int32_t owner, uint64_t uid,
                                struct its_store_info *info);

/* DOES_NOT_EXIST; NOT_PERMITTED for a write-once object. A damaged object can be removed. */
psa_status_t its_store_remove(struct its_store *store, int32_t owner, uint64_t uid);

/* How many objects the store can hold (slot count minus the reserve slot). */
uint32_t its_store_capacity(const struct its_store *store);

/* Tests: simulate a power failure after `after_bytes` more bytes have been programmed, in
 * later operations or (second form) in the repairs and formatting done by open itself. */
void its_store_inject_power_loss(struct its_store *store, size_t after_bytes);
psa_status_t its_store_open_power_loss(struct its_store *store, void *mem, size_t size,
                                       struct its_store_mount_report *report, size_t after_bytes);

#endif /* DEMO_ITS_STORE_H */
