/*
 * its_store.c - the power-fail-safe object store described in its_store.h. Every write to the
 * region goes through nv_program(), the one place where a power loss can be injected.
 */
#include "its_store.h"

#include <string.h>

#include "crc32.h"

#define HDR_MAGIC (0x53544944u) /* "DITS" */
#define HDR_OFF_MAGIC (0u)
#define HDR_OFF_VERSION (4u)
#define HDR_OFF_SLOT_SIZE (6u)
#define HDR_OFF_SLOT_COUNT (8u)
#define HDR_OFF_CRC (28u)

#define REC_MAGIC (0x43455244u) /* "DREC" */
#define REC_OFF_MAGIC (0u)
#define REC_OFF_SEQ (4u)
#define REC_OFF_UID (8u)
#define REC_OFF_OWNER (16u)
#define REC_OFF_FLAGS (20u)
#define REC_OFF_LENGTH (24u)
#define REC_OFF_DATA (28u)
#define REC_OFF_CRC (REC_OFF_DATA + ITS_STORE_MAX_DATA)
#define MAGIC_SIZE (4u)

/* Compile-time layout checks, spelled so that partitions built as C99 accept them too. */
typedef char its_record_fills_slot[(REC_OFF_CRC + 4u == ITS_STORE_SLOT_SIZE) ? 1 : -1];
typedef char its_header_fills_header[(HDR_OFF_CRC + 4u == ITS_STORE_HEADER_SIZE) ? 1 : -1];

enum slot_state {
    SLOT_ERASED,  /* all 0xFF: free */
    SLOT_VALID,   /* whole magic and good CRC */
    SLOT_DAMAGED, /* whole magic, bad CRC or impossible fields: changed after it was written */
    SLOT_GARBAGE, /* anything else: a torn write or erase; free, and erased at mount */
};

struct record {
    uint32_t seq;
    uint64_t uid;
    int32_t owner;
    uint32_t flags;
    uint32_t length;
};

/* A located object: its slot, state and decoded header. */
struct found {
    uint32_t slot;
    enum slot_state state;
    struct record rec;
};

static uint32_t get_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

static uint64_t get_le64(const uint8_t *p)
{
    return (uint64_t)get_le32(p) | ((uint64_t)get_le32(p + 4) << 32);
}

static void put_le16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put_le32(uint8_t *p, uint32_t v)
{
    put_le16(p, v);
    put_le16(p + 2, v >> 16);
}

static void put_le64(uint8_t *p, uint64_t v)
{
    put_le32(p, (uint32_t)v);
    put_le32(p + 4, (uint32_t)(v >> 32));
}

static bool is_erased(const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (p[i] != 0xFFu) {
            return false;
        }
    }
    return true;
}

/* The only writer of the region. Models a power loss: the bytes before the cut are programmed,
 * the rest are not, and nothing is written afterwards. */
static psa_status_t nv_program(struct its_store *s, uint8_t *dst, const uint8_t *src, size_t len)
{
    if (s->power_lost) {
        return PSA_ERROR_STORAGE_FAILURE;
    }
    if (s->flash != NULL) {
        return s->flash->program(s->flash->ctx, (size_t)(dst - s->base), src, len) == 0
                   ? PSA_SUCCESS
                   : PSA_ERROR_STORAGE_FAILURE;
    }
    if (s->power_loss_armed && len > s->bytes_left) {
        memcpy(dst, src, s->bytes_left);
        s->bytes_left = 0;
        s->power_lost = true;
        return PSA_ERROR_STORAGE_FAILURE;
    }
    memcpy(dst, src, len);
    if (s->power_loss_armed) {
        s->bytes_left -= len;
    }
    return PSA_SUCCESS;
}

static uint8_t *slot_ptr(const struct its_store *s, uint32_t slot)
{
    return s->base + ITS_STORE_HEADER_SIZE + (size_t)slot * ITS_STORE_SLOT_SIZE;
}

static void record_decode(const uint8_t *p, struct record *rec)
{
    rec->seq = get_le32(p + REC_OFF_SEQ);
    rec->uid = get_le64(p + REC_OFF_UID);
    rec->owner = (int32_t)get_le32(p + REC_OFF_OWNER);
    rec->flags = get_le32(p + REC_OFF_FLAGS);
    rec->length = get_le32(p + REC_OFF_LENGTH);
}

static enum slot_state slot_classify(const struct its_store *s, uint32_t slot, struct record *rec)
{
    const uint8_t *p = slot_ptr(s, slot);
    if (is_erased(p, ITS_STORE_SLOT_SIZE)) {
        return SLOT_ERASED;
    }
    if (get_le32(p + REC_OFF_MAGIC) != REC_MAGIC) {
        return SLOT_GARBAGE;
    }
    record_decode(p, rec);
    if (crc32_ieee(p, REC_OFF_CRC) != get_le32(p + REC_OFF_CRC) ||
        rec->length > ITS_STORE_MAX_DATA || rec->uid == 0) {
        return SLOT_DAMAGED;
    }
    return SLOT_VALID;
}

/* Free means erased or garbage, that is: no whole record magic. Cheap, no CRC. */
static bool slot_is_free(const struct its_store *s, uint32_t slot)
{
    return get_le32(slot_ptr(s, slot) + REC_OFF_MAGIC) != REC_MAGIC;
}

/* True when the slot holds a record (intact or damaged) whose header names (owner, uid); only
 * such slots are worth a CRC check while searching. */
static bool slot_claims(const struct its_store *s, uint32_t slot, int32_t owner, uint64_t uid)
{
    const uint8_t *p = slot_ptr(s, slot);
    return !slot_is_free(s, slot) && (int32_t)get_le32(p + REC_OFF_OWNER) == owner &&
           get_le64(p + REC_OFF_UID) == uid;
}

/* Flash: bring [p, p + len) back to 0xFF before it is programmed again (flash cannot program
 * over programmed bits); plain memory is simply overwritten. */
static psa_status_t nv_prepare(struct its_store *s, uint8_t *p, size_t len)
{
    if (s->flash == NULL || is_erased(p, len)) {
        return PSA_SUCCESS;
    }
    return s->flash->erase(s->flash->ctx, (size_t)(p - s->base), len) == 0
               ? PSA_SUCCESS
               : PSA_ERROR_STORAGE_FAILURE;
}

/* Programs a whole record: body first, magic last, so that only a complete write commits. */
static psa_status_t slot_write(struct its_store *s, uint32_t slot,
                               const uint8_t img[ITS_STORE_SLOT_SIZE])
{
    uint8_t *p = slot_ptr(s, slot);
    psa_status_t st = nv_prepare(s, p, ITS_STORE_SLOT_SIZE); /* a garbage slot counts as free */
    if (st != PSA_SUCCESS) {
        return st;
    }
    st = nv_program(s, p + MAGIC_SIZE, img + MAGIC_SIZE, ITS_STORE_SLOT_SIZE - MAGIC_SIZE);
    if (st != PSA_SUCCESS) {
        return st;
    }
    return nv_program(s, p, img, MAGIC_SIZE);
}

/* Erases a slot: magic first, so that a torn erase never leaves a live-looking record. */
static psa_status_t slot_erase(struct its_store *s, uint32_t slot)
{
    uint8_t blank[ITS_STORE_SLOT_SIZE];
    memset(blank, 0xFF, sizeof(blank));
    uint8_t *p = slot_ptr(s, slot);
    if (s->flash != NULL) { /* sector erases, the magic's sector first (its_store_flash) */
        return s->flash->erase(s->flash->ctx, (size_t)(p - s->base), ITS_STORE_SLOT_SIZE) == 0
                   ? PSA_SUCCESS
                   : PSA_ERROR_STORAGE_FAILURE;
    }
    psa_status_t st = nv_program(s, p, blank, MAGIC_SIZE);
    if (st != PSA_SUCCESS) {
        return st;
    }
    return nv_program(s, p + MAGIC_SIZE, blank + MAGIC_SIZE, ITS_STORE_SLOT_SIZE - MAGIC_SIZE);
}

/* Sequence numbers wrap; a is newer than b when it is ahead by less than half the range. */
static bool seq_newer(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) > 0;
}

/* Finds (owner, uid): the newest intact version if any, else a damaged record claiming it. */
static bool find(const struct its_store *s, int32_t owner, uint64_t uid, struct found *out)
{
    bool have = false;
    for (uint32_t i = 0; i < s->slot_count; i++) {
        struct record rec;
        if (!slot_claims(s, i, owner, uid)) {
            continue;
        }
        enum slot_state state = slot_classify(s, i, &rec);
        bool better = !have || (state == SLOT_VALID && out->state == SLOT_DAMAGED) ||
                      (state == out->state && seq_newer(rec.seq, out->rec.seq));
        if (better) {
            out->slot = i;
            out->state = state;
            out->rec = rec;
            have = true;
        }
    }
    return have;
}

/* Free slots, and the first of them in *first (when there is one). */
static uint32_t count_free(const struct its_store *s, uint32_t *first)
{
    uint32_t n = 0;
    for (uint32_t i = s->slot_count; i-- > 0;) {
        if (slot_is_free(s, i)) {
            *first = i;
            n++;
        }
    }
    return n;
}

static void header_encode(uint8_t hdr[ITS_STORE_HEADER_SIZE], uint32_t slot_count)
{
    memset(hdr, 0, ITS_STORE_HEADER_SIZE);
    put_le32(hdr + HDR_OFF_MAGIC, HDR_MAGIC);
    put_le16(hdr + HDR_OFF_VERSION, ITS_STORE_FORMAT_VERSION);
    put_le16(hdr + HDR_OFF_SLOT_SIZE, ITS_STORE_SLOT_SIZE);
    put_le32(hdr + HDR_OFF_SLOT_COUNT, slot_count);
    put_le32(hdr + HDR_OFF_CRC, crc32_ieee(hdr, HDR_OFF_CRC));
}

static bool header_valid(const uint8_t *hdr)
{
    return get_le32(hdr + HDR_OFF_MAGIC) == HDR_MAGIC &&
           crc32_ieee(hdr, HDR_OFF_CRC) == get_le32(hdr + HDR_OFF_CRC);
}

/* Writes a fresh, empty store: slots first, header last, so a torn format is redone. */
static psa_status_t format(struct its_store *s)
{
    for (uint32_t i = 0; i < s->slot_count; i++) {
        if (!is_erased(slot_ptr(s, i), ITS_STORE_SLOT_SIZE)) {
            psa_status_t st = slot_erase(s, i);
            if (st != PSA_SUCCESS) {
                return st;
            }
        }
    }
    uint8_t hdr[ITS_STORE_HEADER_SIZE];
    header_encode(hdr, s->slot_count);
    psa_status_t st = nv_prepare(s, s->base, ITS_STORE_HEADER_SIZE); /* a torn header */
    if (st != PSA_SUCCESS) {
        return st;
    }
    return nv_program(s, s->base, hdr, ITS_STORE_HEADER_SIZE);
}

/* Erases a superseded or torn slot found while mounting, and counts it. */
static psa_status_t mount_erase(struct its_store *s, uint32_t slot,
                                struct its_store_mount_report *report)
{
    report->slots_erased++;
    return slot_erase(s, slot);
}

/* Mount-time cleanup of one slot: torn writes go, and so does any record that is not the
 * version find() would return for its key (an older seq, or a damaged copy beside an intact
 * one). */
static psa_status_t mount_slot(struct its_store *s, uint32_t slot,
                               struct its_store_mount_report *report)
{
    struct record rec;
    enum slot_state state = slot_classify(s, slot, &rec);
    if (state == SLOT_ERASED) {
        return PSA_SUCCESS;
    }
    if (state == SLOT_GARBAGE) {
        return mount_erase(s, slot, report);
    }
    struct found best;
    if (find(s, rec.owner, rec.uid, &best) && best.slot != slot) {
        return mount_erase(s, slot, report);
    }
    if (state == SLOT_VALID) {
        report->objects++;
    } else {
        report->damaged++;
    }
    return PSA_SUCCESS;
}

/* True when some slot holds a record (intact or damaged): then a bad header must not lead to
 * a format that would destroy it. */
static bool holds_records(const struct its_store *s)
{
    for (uint32_t i = 0; i < s->slot_count; i++) {
        if (!slot_is_free(s, i)) {
            return true;
        }
    }
    return false;
}

/* Checks an intact header against this build's format; adopts its slot count. */
static psa_status_t header_check(struct its_store *s, uint32_t slots_that_fit)
{
    const uint8_t *hdr = s->base;
    uint32_t version = (uint32_t)hdr[HDR_OFF_VERSION] | ((uint32_t)hdr[HDR_OFF_VERSION + 1] << 8);
    uint32_t slot_size =
        (uint32_t)hdr[HDR_OFF_SLOT_SIZE] | ((uint32_t)hdr[HDR_OFF_SLOT_SIZE + 1] << 8);
    uint32_t slot_count = get_le32(hdr + HDR_OFF_SLOT_COUNT);
    if (version != ITS_STORE_FORMAT_VERSION || slot_size != ITS_STORE_SLOT_SIZE) {
        return PSA_ERROR_NOT_SUPPORTED;
    }
    if (slot_count < 2u || slot_count > slots_that_fit) {
        return PSA_ERROR_DATA_CORRUPT;
    }
    s->slot_count = slot_count;
    return PSA_SUCCESS;
}

/* Mounts the store; `power_loss_after` (tests) cuts power after that many programmed bytes. */
static psa_status_t store_open(struct its_store *store, void *mem, size_t size,
                               const struct its_store_flash *flash,
                               struct its_store_mount_report *report,
                               const size_t *power_loss_after)
{
    struct its_store_mount_report scratch;
    report = report != NULL ? report : &scratch;
    memset(report, 0, sizeof(*report));
    memset(store, 0, sizeof(*store));
    if (power_loss_after != NULL) {
        its_store_inject_power_loss(store, *power_loss_after);
    }
    if (mem == NULL || size < ITS_STORE_MIN_SIZE) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    store->base = mem;
    store->flash = flash;
    uint32_t fit = (uint32_t)((size - ITS_STORE_HEADER_SIZE) / ITS_STORE_SLOT_SIZE);
    store->slot_count = fit;
    psa_status_t st;
    if (header_valid(store->base)) {
        st = header_check(store, fit);
    } else if (holds_records(store)) {
        st = PSA_ERROR_DATA_CORRUPT;
    } else {
        report->formatted = true;
        st = format(store);
    }
    for (uint32_t i = 0; st == PSA_SUCCESS && i < store->slot_count; i++) {
        st = mount_slot(store, i, report);
    }
    store->open = st == PSA_SUCCESS;
    return st;
}

psa_status_t its_store_open(struct its_store *store, void *mem, size_t size,
                            struct its_store_mount_report *report)
{
    return store_open(store, mem, size, NULL, report, NULL);
}

psa_status_t its_store_open_flash(struct its_store *store, const void *mem, size_t size,
                                  const struct its_store_flash *flash,
                                  struct its_store_mount_report *report)
{
    /* The store never writes through `base` when it has a medium (nv_program, slot_erase). */
    return store_open(store, (void *)(uintptr_t)mem, size, flash, report, NULL);
}

psa_status_t its_store_open_power_loss(struct its_store *store, void *mem, size_t size,
                                       struct its_store_mount_report *report, size_t after_bytes)
{
    return store_open(store, mem, size, NULL, report, &after_bytes);
}

static psa_status_t check_open(const struct its_store *s)
{
    if (s->power_lost) {
        return PSA_ERROR_STORAGE_FAILURE;
    }
    return s->open ? PSA_SUCCESS : PSA_ERROR_BAD_STATE;
}

static void record_encode(uint8_t img[ITS_STORE_SLOT_SIZE], const struct record *rec,
                          const void *data)
{
    memset(img, 0, ITS_STORE_SLOT_SIZE);
    put_le32(img + REC_OFF_MAGIC, REC_MAGIC);
    put_le32(img + REC_OFF_SEQ, rec->seq);
    put_le64(img + REC_OFF_UID, rec->uid);
    put_le32(img + REC_OFF_OWNER, (uint32_t)rec->owner);
    put_le32(img + REC_OFF_FLAGS, rec->flags);
    put_le32(img + REC_OFF_LENGTH, rec->length);
    if (rec->length > 0) {
        memcpy(img + REC_OFF_DATA, data, rec->length);
    }
    put_le32(img + REC_OFF_CRC, crc32_ieee(img, REC_OFF_CRC));
}

static psa_status_t set_check_args(uint64_t uid, const void *data, size_t length, uint32_t flags)
{
    if (uid == 0 || (data == NULL && length > 0) || length > ITS_STORE_MAX_DATA) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    if ((flags & ~ITS_STORE_FLAG_WRITE_ONCE) != 0) {
        return PSA_ERROR_NOT_SUPPORTED;
    }
    return PSA_SUCCESS;
}

psa_status_t its_store_set(struct its_store *store, int32_t owner, uint64_t uid,
                           const void *data, size_t length, uint32_t flags)
{
    psa_status_t st = check_open(store);
    if (st == PSA_SUCCESS) {
        st = set_check_args(uid, data, length, flags);
    }
    if (st != PSA_SUCCESS) {
        return st;
    }
    struct found old;
    bool exists = find(store, owner, uid, &old);
    if (exists && old.state == SLOT_DAMAGED) {
        return PSA_ERROR_DATA_CORRUPT;
    }
    if (exists && (old.rec.flags & ITS_STORE_FLAG_WRITE_ONCE) != 0) {
        return PSA_ERROR_NOT_PERMITTED;
    }
    uint32_t free_slot = 0;
    /* A new object must leave the reserve slot free; an update may use it. */
    if (count_free(store, &free_slot) < (exists ? 1u : 2u)) {
        return PSA_ERROR_INSUFFICIENT_STORAGE;
    }
    struct record rec = {exists ? old.rec.seq + 1u : 1u, uid, owner, flags, (uint32_t)length};
    uint8_t img[ITS_STORE_SLOT_SIZE];
    record_encode(img, &rec, data);
    st = slot_write(store, free_slot, img);
    if (st == PSA_SUCCESS && exists) {
        st = slot_erase(store, old.slot);
    }
    return st;
}

/* Looks up an intact object for reading. */
static psa_status_t find_intact(const struct its_store *s, int32_t owner, uint64_t uid,
                                struct found *f)
{
    psa_status_t st = check_open(s);
    if (st != PSA_SUCCESS) {
        return st;
    }
    if (!find(s, owner, uid, f)) {
        return PSA_ERROR_DOES_NOT_EXIST;
    }
    return f->state == SLOT_VALID ? PSA_SUCCESS : PSA_ERROR_DATA_CORRUPT;
}

psa_status_t its_store_get(const struct its_store *store, int32_t owner, uint64_t uid,
                           size_t offset, void *buf, size_t buf_size, size_t *copied)
{
    *copied = 0;
    struct found f;
    psa_status_t st = find_intact(store, owner, uid, &f);
    if (st != PSA_SUCCESS) {
        return st;
    }
    if (offset > f.rec.length || (buf == NULL && buf_size > 0)) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    size_t n = f.rec.length - offset;
    if (n > buf_size) {
        n = buf_size;
    }
    if (n > 0) {
        memcpy(buf, slot_ptr(store, f.slot) + REC_OFF_DATA + offset, n);
    }
    *copied = n;
    return PSA_SUCCESS;
}

psa_status_t its_store_get_info(const struct its_store *store, int32_t owner, uint64_t uid,
                                struct its_store_info *info)
{
    struct found f;
    psa_status_t st = find_intact(store, owner, uid, &f);
    if (st == PSA_SUCCESS) {
        info->size = f.rec.length;
        info->flags = f.rec.flags;
    }
    return st;
}

psa_status_t its_store_remove(struct its_store *store, int32_t owner, uint64_t uid)
{
    psa_status_t st = check_open(store);
    if (st != PSA_SUCCESS) {
        return st;
    }
    struct found f;
    if (!find(store, owner, uid, &f)) {
        return PSA_ERROR_DOES_NOT_EXIST;
    }
    if (f.state == SLOT_VALID && (f.rec.flags & ITS_STORE_FLAG_WRITE_ONCE) != 0) {
        return PSA_ERROR_NOT_PERMITTED;
    }
    return slot_erase(store, f.slot);
}

uint32_t its_store_capacity(const struct its_store *store)
{
    return store->slot_count - 1u;
}

void its_store_inject_power_loss(struct its_store *store, size_t after_bytes)
{
    store->power_loss_armed = true;
    store->bytes_left = after_bytes;
}
