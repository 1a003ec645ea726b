/*
 * demo_storage.c - DEMO_SP_STORAGE (PSA-RoT, SFN model): the only partition that touches the
 * persistent NVMEM region (RESET-05). It serves two stateless services:
 *  - DEMO_ITS, internal trusted storage for any client, NS included;
 *  - DEMO_NV_COUNTER_STORE, monotonic counters for DEMO_SP_PLATFORM (secure-only).
 *
 * NVMEM layout: the first DEMO_COUNTER_AREA_SIZE bytes are one its_store for the counters, the
 * rest another for ITS objects. Two stores, so that a client filling ITS can never stop the
 * platform from incrementing a counter.
 *
 * Flash-backed mode: when the platform declares flash device 0 (a region with `flash:`, e.g.
 * manifests/demo/demo_board_flash.yaml), the same two stores live on it and are changed only
 * through ffm_flash_program / ffm_flash_erase, as on a device whose storage is real flash; its
 * sectors must be small enough to erase one store slot alone (at most 32 bytes).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <ffmsim/flash.h>
#include <ffmsim/platform.h>
#include <psa/client.h>
#include <psa/service.h>

#include "demo_services.h"
#include "its_store.h"
#include "psa_manifest/demo_storage.h"
#include "psa_manifest/sid.h"

/* Fixed forever: moving the boundary would orphan what is stored. Room for 7 counter slots. */
#define DEMO_COUNTER_AREA_SIZE (1024u)

/* Stored uid of counter `id` (uid 0 is not a valid object). */
#define COUNTER_UID(id) ((uint64_t)(id) + 1u)

psa_status_t demo_storage_init(void);

static struct its_store g_its;
static struct its_store g_counters;
/* Outcome of mounting each store; while not PSA_SUCCESS, its service answers with it. */
static psa_status_t g_its_status = PSA_ERROR_STORAGE_FAILURE;
static psa_status_t g_counters_status = PSA_ERROR_STORAGE_FAILURE;

/* One store's part of flash device 0: where it starts, and the device's sector size. */
struct flash_area {
    uint32_t offset;
    uint32_t sector_size;
};

static struct flash_area g_counter_area;
static struct flash_area g_its_area;
static struct its_store_flash g_counter_flash;
static struct its_store_flash g_its_flash;

static int area_program(void *ctx, size_t offset, const void *data, size_t len)
{
    const struct flash_area *a = ctx;
    return ffm_flash_program(0, a->offset + (uint32_t)offset, data, len) == FFM_FLASH_OK ? 0 : -1;
}

/* Whole sectors, in address order (so a slot loses its magic first). */
static int area_erase(void *ctx, size_t offset, size_t len)
{
    const struct flash_area *a = ctx;
    for (size_t done = 0; done < len; done += a->sector_size) {
        if (ffm_flash_erase(0, a->offset + (uint32_t)(offset + done)) != FFM_FLASH_OK) {
            return -1;
        }
    }
    return 0;
}

static psa_status_t mount(struct its_store *store, uint8_t *mem, size_t size,
                          const struct its_store_flash *flash, const char *what)
{
    struct its_store_mount_report r;
    psa_status_t st = flash != NULL ? its_store_open_flash(store, mem, size, flash, &r)
                                    : its_store_open(store, mem, size, &r);
    if (st != PSA_SUCCESS) {
        ffm_platform_log(FFM_LOG_ERROR, "%s store unusable (status %d): requests will fail",
                         what, (int)st);
        return PSA_ERROR_STORAGE_FAILURE;
    }
    ffm_platform_log(FFM_LOG_INFO,
                     "%s store%s: %s, %u object(s), %u damaged, %u slot(s) repaired, capacity %u",
                     what, flash != NULL ? " (flash)" : "",
                     r.formatted ? "formatted blank NVMEM" : "mounted", (unsigned)r.objects,
                     (unsigned)r.damaged, (unsigned)r.slots_erased,
                     (unsigned)its_store_capacity(store));
    return PSA_SUCCESS;
}

/* Runs at every boot. A medium that cannot be mounted is reported by every request rather
 * than by failing here: failing entry_init is a panic (PANIC-07), the panic a reset, and a reset
 * does not repair NVMEM, so the system would only loop. */
/* Flash device 0, when the platform has one this partition may use: its bytes (read directly)
 * and size; NULL when there is none or its geometry cannot hold the stores. */
static uint8_t *flash_medium(size_t *size)
{
    struct ffm_flash_info fi;
    if (ffm_flash_info(0, &fi) != FFM_FLASH_OK) {
        return NULL;
    }
    if (fi.sector_size > ITS_STORE_HEADER_SIZE || ITS_STORE_HEADER_SIZE % fi.sector_size != 0 ||
        4u % fi.program_unit != 0 || fi.erased_value != 0xFFu) {
        ffm_platform_log(FFM_LOG_ERROR, "flash device 0 unusable: sectors of %u bytes, program "
                         "unit %u, erased value 0x%02x (need sectors of at most %u bytes, units "
                         "of at most 4, erased 0xff)", (unsigned)fi.sector_size,
                         (unsigned)fi.program_unit, (unsigned)fi.erased_value,
                         (unsigned)ITS_STORE_HEADER_SIZE);
        return NULL;
    }
    g_counter_area = (struct flash_area){ 0, fi.sector_size };
    g_its_area = (struct flash_area){ DEMO_COUNTER_AREA_SIZE, fi.sector_size };
    g_counter_flash = (struct its_store_flash){ &g_counter_area, area_program, area_erase };
    g_its_flash = (struct its_store_flash){ &g_its_area, area_program, area_erase };
    *size = fi.size;
    return (uint8_t *)(uintptr_t)fi.base; /* read only: writes go through the driver */
}

psa_status_t demo_storage_init(void)
{
    size_t size = 0;
    uint8_t *nv = flash_medium(&size);
    bool flash = nv != NULL;
    if (!flash) {
        nv = ffm_platform_nvmem(&size);
    }
    if (nv == NULL || size < DEMO_COUNTER_AREA_SIZE + ITS_STORE_MIN_SIZE) {
        ffm_platform_log(FFM_LOG_ERROR, "NVMEM missing or too small (%zu bytes, need %u)", size,
                         (unsigned)(DEMO_COUNTER_AREA_SIZE + ITS_STORE_MIN_SIZE));
        return PSA_SUCCESS;
    }
    g_counters_status = mount(&g_counters, nv, DEMO_COUNTER_AREA_SIZE,
                              flash ? &g_counter_flash : NULL, "counter");
    g_its_status = mount(&g_its, nv + DEMO_COUNTER_AREA_SIZE, size - DEMO_COUNTER_AREA_SIZE,
                         flash ? &g_its_flash : NULL, "ITS");
    return PSA_SUCCESS;
}

/* Reads input vector `idx` when it holds exactly `size` bytes. */
static psa_status_t read_exact(const psa_msg_t *msg, uint32_t idx, void *buf, size_t size)
{
    if (msg->in_size[idx] != size || psa_read(msg->handle, idx, buf, size) != size) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    return PSA_SUCCESS;
}

static psa_status_t its_set(const psa_msg_t *msg, demo_its_uid_t uid)
{
    uint8_t data[DEMO_ITS_MAX_DATA];
    uint32_t flags = 0;
    size_t len = msg->in_size[1];
    if (len > sizeof(data) || read_exact(msg, 2, &flags, sizeof(flags)) != PSA_SUCCESS) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    if (psa_read(msg->handle, 1, data, len) != len) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    return its_store_set(&g_its, msg->client_id, uid, data, len, flags);
}

static psa_status_t its_get(const psa_msg_t *msg, demo_its_uid_t uid)
{
    uint8_t data[DEMO_ITS_MAX_DATA];
    uint32_t offset = 0;
    if (msg->in_size[1] != 0 && read_exact(msg, 1, &offset, sizeof(offset)) != PSA_SUCCESS) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    size_t want = msg->out_size[0] < sizeof(data) ? msg->out_size[0] : sizeof(data);
    size_t got = 0;
    psa_status_t st = its_store_get(&g_its, msg->client_id, uid, offset, data, want, &got);
    if (st == PSA_SUCCESS) {
        psa_write(msg->handle, 0, data, got);
    }
    return st;
}

static psa_status_t its_get_info(const psa_msg_t *msg, demo_its_uid_t uid)
{
    struct its_store_info info;
    if (msg->out_size[0] < sizeof(struct demo_its_info)) {
        return PSA_ERROR_BUFFER_TOO_SMALL;
    }
    psa_status_t st = its_store_get_info(&g_its, msg->client_id, uid, &info);
    if (st == PSA_SUCCESS) {
        struct demo_its_info out = {info.size, info.size, info.flags};
        psa_write(msg->handle, 0, &out, sizeof(out));
    }
    return st;
}

/* DEMO_ITS: objects belong to the calling client (msg->client_id), as in PSA ITS. */
psa_status_t demo_its_sfn(const psa_msg_t *msg)
{
    demo_its_uid_t uid = 0;
    if (g_its_status != PSA_SUCCESS) {
        return g_its_status;
    }
    if (msg->type < DEMO_ITS_TYPE_SET || msg->type > DEMO_ITS_TYPE_REMOVE) {
        return PSA_ERROR_NOT_SUPPORTED;
    }
    if (read_exact(msg, 0, &uid, sizeof(uid)) != PSA_SUCCESS) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    switch (msg->type) {
    case DEMO_ITS_TYPE_SET:
        return its_set(msg, uid);
    case DEMO_ITS_TYPE_GET:
        return its_get(msg, uid);
    case DEMO_ITS_TYPE_GET_INFO:
        return its_get_info(msg, uid);
    default:
        return its_store_remove(&g_its, msg->client_id, uid);
    }
}

/* A counter that was never incremented reads 0. */
static psa_status_t counter_load(int32_t owner, uint32_t id, uint32_t *value)
{
    size_t got = 0;
    *value = 0;
    psa_status_t st = its_store_get(&g_counters, owner, COUNTER_UID(id), 0, value,
                                    sizeof(*value), &got);
    if (st == PSA_ERROR_DOES_NOT_EXIST) {
        return PSA_SUCCESS;
    }
    if (st == PSA_SUCCESS && got != sizeof(*value)) {
        return PSA_ERROR_DATA_CORRUPT;
    }
    return st;
}

/* Counters only go up; at UINT32_MAX they stop rather than wrap back to a used value. */
static psa_status_t counter_increment(int32_t owner, uint32_t id, uint32_t *value)
{
    psa_status_t st = counter_load(owner, id, value);
    if (st != PSA_SUCCESS) {
        return st;
    }
    if (*value == UINT32_MAX) {
        return PSA_ERROR_NOT_PERMITTED;
    }
    *value += 1u;
    return its_store_set(&g_counters, owner, COUNTER_UID(id), value, sizeof(*value),
                         ITS_STORE_FLAG_NONE);
}

/* DEMO_NV_COUNTER_STORE: counters belong to the calling partition (msg->client_id). */
psa_status_t demo_nv_counter_store_sfn(const psa_msg_t *msg)
{
    uint32_t id = 0;
    uint32_t value = 0;
    psa_status_t st = g_counters_status;
    if (st != PSA_SUCCESS) {
        return st;
    }
    if (read_exact(msg, 0, &id, sizeof(id)) != PSA_SUCCESS || id >= DEMO_NV_COUNTER_COUNT) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    if (msg->type == DEMO_NV_COUNTER_STORE_TYPE_READ) {
        if (msg->out_size[0] < sizeof(value)) {
            return PSA_ERROR_BUFFER_TOO_SMALL;
        }
        st = counter_load(msg->client_id, id, &value);
    } else if (msg->type == DEMO_NV_COUNTER_STORE_TYPE_INCREMENT) {
        st = counter_increment(msg->client_id, id, &value);
    } else {
        return PSA_ERROR_NOT_SUPPORTED;
    }
    if (st == PSA_SUCCESS && msg->out_size[0] >= sizeof(value)) {
        psa_write(msg->handle, 0, &value, sizeof(value));
    }
    return st;
}
