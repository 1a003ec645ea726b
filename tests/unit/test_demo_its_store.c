/*
 * test_demo_its_store.c - the demo storage format (demo/lib/its_store.c) over a plain memory
 * buffer: PSA ITS semantics (set/get/get_info/remove, write-once, full store), persistence
 * across "reboots" (re-opening the same buffer), a 0xFF cold image, damaged records, and
 * recovery from a power loss injected after every possible number of programmed bytes; and over
 * a strict flash medium (32-byte sectors), which must never be asked to program a byte that is
 * not erased.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../demo/lib/crc32.h"
#include "../../demo/lib/its_store.h"

#define OWNER_NS (-1)
#define OWNER_SP (257)
#define SLOTS (5u)
#define REGION_SIZE (ITS_STORE_HEADER_SIZE + SLOTS * ITS_STORE_SLOT_SIZE)
#define RECORD_WRITE_BYTES ITS_STORE_SLOT_SIZE
#define UPDATE_WRITE_BYTES (2u * ITS_STORE_SLOT_SIZE) /* new version, then erase the old */

static uint8_t region[REGION_SIZE];

static void cold_image(void)
{
    memset(region, 0xFF, sizeof(region));
}

static void open_ok(struct its_store *s, struct its_store_mount_report *report)
{
    assert_int_equal(its_store_open(s, region, sizeof(region), report), PSA_SUCCESS);
}

static void set_str(struct its_store *s, int32_t owner, uint64_t uid, const char *text)
{
    assert_int_equal(its_store_set(s, owner, uid, text, strlen(text), 0), PSA_SUCCESS);
}

static void assert_object(const struct its_store *s, int32_t owner, uint64_t uid,
                          const char *text)
{
    char buf[ITS_STORE_MAX_DATA + 1];
    size_t n = 99;
    assert_int_equal(its_store_get(s, owner, uid, 0, buf, sizeof(buf), &n), PSA_SUCCESS);
    assert_int_equal(n, strlen(text));
    buf[n] = '\0';
    assert_string_equal(buf, text);
}

static void assert_absent(const struct its_store *s, int32_t owner, uint64_t uid)
{
    struct its_store_info info;
    assert_int_equal(its_store_get_info(s, owner, uid, &info), PSA_ERROR_DOES_NOT_EXIST);
}

/* CRC-32 check value from the CRC catalogue. */
static void test_crc32_check_value(void **state)
{
    (void)state;
    assert_int_equal(crc32_ieee("123456789", 9), 0xCBF43926u);
    assert_int_equal(crc32_ieee("", 0), 0);
}

/* A 0xFF region is an empty store: opening formats it (header "DITS", v1) and finds nothing. */
static void test_cold_image_formats(void **state)
{
    (void)state;
    cold_image();
    struct its_store s;
    struct its_store_mount_report report;
    open_ok(&s, &report);
    assert_true(report.formatted);
    assert_int_equal(report.objects, 0);
    assert_int_equal(report.slots_erased, 0);
    assert_memory_equal(region, "DITS\x01\x00\x80\x00\x05\x00\x00\x00", 12);
    assert_int_equal(its_store_capacity(&s), SLOTS - 1u);
    assert_absent(&s, OWNER_NS, 1);
    /* Re-opening the formatted region does not format again. */
    open_ok(&s, &report);
    assert_false(report.formatted);
}

/* set, get (whole, partial, at the end, past the end), get_info, remove. */
static void test_set_get_info_remove(void **state)
{
    (void)state;
    cold_image();
    struct its_store s;
    open_ok(&s, NULL);
    set_str(&s, OWNER_NS, 7, "Hello, FF-M!");
    assert_object(&s, OWNER_NS, 7, "Hello, FF-M!");

    char buf[16] = {0};
    size_t n = 0;
    assert_int_equal(its_store_get(&s, OWNER_NS, 7, 7, buf, 3, &n), PSA_SUCCESS);
    assert_int_equal(n, 3);
    assert_memory_equal(buf, "FF-", 3);
    assert_int_equal(its_store_get(&s, OWNER_NS, 7, 12, buf, sizeof(buf), &n), PSA_SUCCESS);
    assert_int_equal(n, 0);
    assert_int_equal(its_store_get(&s, OWNER_NS, 7, 13, buf, sizeof(buf), &n),
                     PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(n, 0);

    struct its_store_info info;
    assert_int_equal(its_store_get_info(&s, OWNER_NS, 7, &info), PSA_SUCCESS);
    assert_int_equal(info.size, 12);
    assert_int_equal(info.flags, ITS_STORE_FLAG_NONE);

    set_str(&s, OWNER_NS, 7, "replaced");
    assert_object(&s, OWNER_NS, 7, "replaced");
    assert_int_equal(its_store_remove(&s, OWNER_NS, 7), PSA_SUCCESS);
    assert_absent(&s, OWNER_NS, 7);
    assert_int_equal(its_store_get(&s, OWNER_NS, 7, 0, buf, sizeof(buf), &n),
                     PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(its_store_remove(&s, OWNER_NS, 7), PSA_ERROR_DOES_NOT_EXIST);
}

/* Zero-length objects exist, and the largest object is ITS_STORE_MAX_DATA bytes. */
static void test_sizes(void **state)
{
    (void)state;
    cold_image();
    struct its_store s;
    open_ok(&s, NULL);
    assert_int_equal(its_store_set(&s, OWNER_NS, 1, NULL, 0, 0), PSA_SUCCESS);
    struct its_store_info info;
    assert_int_equal(its_store_get_info(&s, OWNER_NS, 1, &info), PSA_SUCCESS);
    assert_int_equal(info.size, 0);

    uint8_t big[ITS_STORE_MAX_DATA + 1];
    for (size_t i = 0; i < sizeof(big); i++) {
        big[i] = (uint8_t)(0xA0u ^ i);
    }
    assert_int_equal(its_store_set(&s, OWNER_NS, 2, big, ITS_STORE_MAX_DATA, 0), PSA_SUCCESS);
    uint8_t back[ITS_STORE_MAX_DATA];
    size_t n = 0;
    assert_int_equal(its_store_get(&s, OWNER_NS, 2, 0, back, sizeof(back), &n), PSA_SUCCESS);
    assert_int_equal(n, ITS_STORE_MAX_DATA);
    assert_memory_equal(back, big, ITS_STORE_MAX_DATA);
    assert_int_equal(its_store_set(&s, OWNER_NS, 3, big, sizeof(big), 0),
                     PSA_ERROR_INVALID_ARGUMENT);
}

/* Argument errors leave the store untouched. */
static void test_argument_errors(void **state)
{
    (void)state;
    cold_image();
    struct its_store s;
    open_ok(&s, NULL);
    uint8_t before[REGION_SIZE];
    memcpy(before, region, sizeof(region));
    assert_int_equal(its_store_set(&s, OWNER_NS, 0, "x", 1, 0), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(its_store_set(&s, OWNER_NS, 1, NULL, 1, 0), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(its_store_set(&s, OWNER_NS, 1, "x", 1, 1u << 1), PSA_ERROR_NOT_SUPPORTED);
    assert_int_equal(its_store_set(&s, OWNER_NS, 1, "x", 1, 0x80000000u),
                     PSA_ERROR_NOT_SUPPORTED);
    assert_memory_equal(region, before, sizeof(region));
    size_t n = 5;
    set_str(&s, OWNER_NS, 1, "abc");
    assert_int_equal(its_store_get(&s, OWNER_NS, 1, 0, NULL, 1, &n), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(its_store_get(&s, OWNER_NS, 1, 0, NULL, 0, &n), PSA_SUCCESS);
    assert_int_equal(n, 0);
    struct its_store closed;
    assert_int_equal(its_store_open(&closed, region, ITS_STORE_MIN_SIZE - 1, NULL),
                     PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(its_store_set(&closed, OWNER_NS, 1, "x", 1, 0), PSA_ERROR_BAD_STATE);
}

/* Objects are per owner: the same uid under two client IDs is two objects. */
static void test_owners_are_separate(void **state)
{
    (void)state;
    cold_image();
    struct its_store s;
    open_ok(&s, NULL);
    set_str(&s, OWNER_NS, 5, "ns data");
    assert_absent(&s, OWNER_SP, 5);
    set_str(&s, OWNER_SP, 5, "sp data");
    assert_object(&s, OWNER_NS, 5, "ns data");
    assert_object(&s, OWNER_SP, 5, "sp data");
    assert_int_equal(its_store_remove(&s, OWNER_SP, 5), PSA_SUCCESS);
    assert_object(&s, OWNER_NS, 5, "ns data");
}

/* Write-once: neither overwritten nor removed, before or after a reboot. */
static void test_write_once(void **state)
{
    (void)state;
    cold_image();
    struct its_store s;
    open_ok(&s, NULL);
    assert_int_equal(its_store_set(&s, OWNER_NS, 9, "dev-0042", 8, ITS_STORE_FLAG_WRITE_ONCE),
                     PSA_SUCCESS);
    for (int boot = 0; boot < 2; boot++) {
        assert_int_equal(its_store_set(&s, OWNER_NS, 9, "dev-9999", 8, 0),
                         PSA_ERROR_NOT_PERMITTED);
        assert_int_equal(its_store_set(&s, OWNER_NS, 9, "dev-9999", 8, ITS_STORE_FLAG_WRITE_ONCE),
                         PSA_ERROR_NOT_PERMITTED);
        assert_int_equal(its_store_remove(&s, OWNER_NS, 9), PSA_ERROR_NOT_PERMITTED);
        assert_object(&s, OWNER_NS, 9, "dev-0042");
        struct its_store_info info;
        assert_int_equal(its_store_get_info(&s, OWNER_NS, 9, &info), PSA_SUCCESS);
        assert_int_equal(info.flags, ITS_STORE_FLAG_WRITE_ONCE);
        open_ok(&s, NULL);
    }
}

/* A full store refuses new objects but still updates existing ones (the reserve slot), and
 * frees space on remove. */
static void test_full_store(void **state)
{
    (void)state;
    cold_image();
    struct its_store s;
    open_ok(&s, NULL);
    for (uint64_t uid = 1; uid <= SLOTS - 1u; uid++) {
        assert_int_equal(its_store_set(&s, OWNER_NS, uid, &uid, sizeof(uid), 0), PSA_SUCCESS);
    }
    assert_int_equal(its_store_set(&s, OWNER_NS, 100, "x", 1, 0),
                     PSA_ERROR_INSUFFICIENT_STORAGE);
    for (int i = 0; i < 10; i++) {
        set_str(&s, OWNER_NS, 2, i % 2 ? "odd" : "even");
    }
    assert_object(&s, OWNER_NS, 2, "odd");
    assert_int_equal(its_store_set(&s, OWNER_NS, 100, "x", 1, 0),
                     PSA_ERROR_INSUFFICIENT_STORAGE);
    assert_int_equal(its_store_remove(&s, OWNER_NS, 3), PSA_SUCCESS);
    set_str(&s, OWNER_NS, 100, "x");
    struct its_store_mount_report report;
    open_ok(&s, &report);
    assert_int_equal(report.objects, SLOTS - 1u);
    assert_int_equal(report.slots_erased, 0);
}

/* Data survives "reboots": re-opening the same buffer, many times, after many updates. */
static void test_persistence_across_reboots(void **state)
{
    (void)state;
    cold_image();
    struct its_store s;
    open_ok(&s, NULL);
    set_str(&s, OWNER_NS, 1, "greeting");
    set_str(&s, OWNER_SP, 1, "counter");
    for (unsigned boot = 1; boot <= 20; boot++) {
        struct its_store_mount_report report;
        open_ok(&s, &report);
        assert_false(report.formatted);
        assert_int_equal(report.objects, 2);
        assert_int_equal(report.slots_erased, 0);
        assert_object(&s, OWNER_NS, 1, "greeting");
        uint32_t value = 0;
        size_t n = 0;
        if (boot > 1) {
            assert_int_equal(its_store_get(&s, OWNER_SP, 1, 0, &value, sizeof(value), &n),
                             PSA_SUCCESS);
            assert_int_equal(n, sizeof(value));
            assert_int_equal(value, boot - 1);
        }
        value = boot;
        assert_int_equal(its_store_set(&s, OWNER_SP, 1, &value, sizeof(value), 0), PSA_SUCCESS);
    }
}

/* Power lost while creating an object, after every byte count 0..128: the object exists only
 * once its record is whole (magic written last), and the store stays fully usable. */
static void test_torn_create(void **state)
{
    (void)state;
    cold_image();
    struct its_store s;
    open_ok(&s, NULL);
    set_str(&s, OWNER_NS, 1, "keep me");
    uint8_t base_image[REGION_SIZE];
    memcpy(base_image, region, sizeof(region));
    for (size_t cut = 0; cut < RECORD_WRITE_BYTES; cut++) {
        memcpy(region, base_image, sizeof(region));
        open_ok(&s, NULL);
        its_store_inject_power_loss(&s, cut);
        assert_int_equal(its_store_set(&s, OWNER_NS, 2, "new object", 10, 0),
                         PSA_ERROR_STORAGE_FAILURE);
        assert_int_equal(its_store_get_info(&s, OWNER_NS, 1, &(struct its_store_info){0, 0}),
                         PSA_ERROR_STORAGE_FAILURE);
        struct its_store_mount_report report;
        open_ok(&s, &report);
        assert_int_equal(report.objects, 1);
        assert_int_equal(report.slots_erased, cut > 0 ? 1u : 0u);
        assert_absent(&s, OWNER_NS, 2);
        assert_object(&s, OWNER_NS, 1, "keep me");
        set_str(&s, OWNER_NS, 2, "retry");
        assert_object(&s, OWNER_NS, 2, "retry");
    }
}

/* Power lost while updating, after every byte count 0..255: the old value until the new record
 * is whole, the new value after; never both, never neither, never a damaged record. */
static void test_torn_update(void **state)
{
    (void)state;
    cold_image();
    struct its_store s;
    open_ok(&s, NULL);
    set_str(&s, OWNER_NS, 1, "old value");
    set_str(&s, OWNER_NS, 2, "bystander");
    uint8_t base_image[REGION_SIZE];
    memcpy(base_image, region, sizeof(region));
    for (size_t cut = 0; cut < UPDATE_WRITE_BYTES; cut++) {
        memcpy(region, base_image, sizeof(region));
        open_ok(&s, NULL);
        its_store_inject_power_loss(&s, cut);
        assert_int_equal(its_store_set(&s, OWNER_NS, 1, "new value!", 10, 0),
                         PSA_ERROR_STORAGE_FAILURE);
        struct its_store_mount_report report;
        open_ok(&s, &report);
        assert_int_equal(report.objects, 2);
        assert_int_equal(report.damaged, 0);
        assert_int_equal(report.slots_erased, cut > 0 ? 1u : 0u);
        assert_object(&s, OWNER_NS, 1, cut < RECORD_WRITE_BYTES ? "old value" : "new value!");
        assert_object(&s, OWNER_NS, 2, "bystander");
        /* The repaired store has all its free space back. */
        for (uint64_t uid = 3; uid <= SLOTS - 1u; uid++) {
            set_str(&s, OWNER_NS, uid, "fill");
        }
        assert_int_equal(its_store_set(&s, OWNER_NS, 99, "x", 1, 0),
                         PSA_ERROR_INSUFFICIENT_STORAGE);
    }
    /* The full update writes exactly two slots' worth of bytes. */
    memcpy(region, base_image, sizeof(region));
    open_ok(&s, NULL);
    its_store_inject_power_loss(&s, UPDATE_WRITE_BYTES);
    set_str(&s, OWNER_NS, 1, "new value!");
    assert_int_equal(its_store_set(&s, OWNER_NS, 2, "x", 1, 0), PSA_ERROR_STORAGE_FAILURE);
}

/* Power lost while removing: removal takes effect with the first erased byte. */
static void test_torn_remove(void **state)
{
    (void)state;
    for (size_t cut = 0; cut < RECORD_WRITE_BYTES; cut++) {
        cold_image();
        struct its_store s;
        open_ok(&s, NULL);
        set_str(&s, OWNER_NS, 1, "doomed");
        its_store_inject_power_loss(&s, cut);
        assert_int_equal(its_store_remove(&s, OWNER_NS, 1), PSA_ERROR_STORAGE_FAILURE);
        open_ok(&s, NULL);
        if (cut == 0) {
            assert_object(&s, OWNER_NS, 1, "doomed");
        } else {
            assert_absent(&s, OWNER_NS, 1);
        }
    }
}

/* Power lost while formatting a region that is not blank (every slot must be erased, then the
 * header written), after every byte count: the next open formats again and the store works. */
static void test_torn_format(void **state)
{
    (void)state;
    const size_t format_bytes = SLOTS * ITS_STORE_SLOT_SIZE + ITS_STORE_HEADER_SIZE;
    for (size_t cut = 0; cut <= format_bytes; cut++) {
        memset(region, 0x00, sizeof(region)); /* garbage, but no record: treated as blank */
        struct its_store s;
        struct its_store_mount_report report;
        assert_int_equal(its_store_open_power_loss(&s, region, sizeof(region), &report, cut),
                         cut < format_bytes ? PSA_ERROR_STORAGE_FAILURE : PSA_SUCCESS);
        assert_true(report.formatted);
        open_ok(&s, &report);
        assert_int_equal(report.formatted, cut < format_bytes);
        set_str(&s, OWNER_NS, 1, "ok");
        assert_object(&s, OWNER_NS, 1, "ok");
    }
}

/* A record changed after it was written (bit flip in its data) is DATA_CORRUPT, at once and
 * after a reboot; it can only be removed. */
static void test_damaged_record(void **state)
{
    (void)state;
    cold_image();
    struct its_store s;
    open_ok(&s, NULL);
    set_str(&s, OWNER_NS, 1, "fragile");
    set_str(&s, OWNER_NS, 2, "fine");
    uint8_t *first_slot = region + ITS_STORE_HEADER_SIZE;
    first_slot[30] ^= 0x04u; /* inside the data of uid 1 */
    for (int boot = 0; boot < 2; boot++) {
        char buf[16];
        size_t n = 0;
        struct its_store_info info;
        assert_int_equal(its_store_get(&s, OWNER_NS, 1, 0, buf, sizeof(buf), &n),
                         PSA_ERROR_DATA_CORRUPT);
        assert_int_equal(its_store_get_info(&s, OWNER_NS, 1, &info), PSA_ERROR_DATA_CORRUPT);
        assert_int_equal(its_store_set(&s, OWNER_NS, 1, "again", 5, 0), PSA_ERROR_DATA_CORRUPT);
        assert_object(&s, OWNER_NS, 2, "fine");
        struct its_store_mount_report report;
        open_ok(&s, &report);
        assert_int_equal(report.objects, 1);
        assert_int_equal(report.damaged, 1);
        assert_int_equal(report.slots_erased, 0);
    }
    assert_int_equal(its_store_remove(&s, OWNER_NS, 1), PSA_SUCCESS);
    assert_absent(&s, OWNER_NS, 1);
    set_str(&s, OWNER_NS, 1, "again");
    assert_object(&s, OWNER_NS, 1, "again");
}

/* A damaged header never causes a format that would destroy objects; a header of another
 * format version is refused; both leave the region byte for byte as it was. */
static void test_bad_headers(void **state)
{
    (void)state;
    cold_image();
    struct its_store s;
    open_ok(&s, NULL);
    set_str(&s, OWNER_NS, 1, "precious");
    uint8_t image[REGION_SIZE];

    region[9] ^= 0x01u; /* slot count, now failing the header CRC */
    memcpy(image, region, sizeof(region));
    assert_int_equal(its_store_open(&s, region, sizeof(region), NULL), PSA_ERROR_DATA_CORRUPT);
    assert_memory_equal(region, image, sizeof(region));
    assert_int_equal(its_store_set(&s, OWNER_NS, 2, "x", 1, 0), PSA_ERROR_BAD_STATE);
    region[9] ^= 0x01u;

    region[4] = 2; /* format version 2, with a correct CRC */
    uint32_t crc = crc32_ieee(region, 28);
    memcpy(region + 28, (uint8_t[4]){(uint8_t)crc, (uint8_t)(crc >> 8), (uint8_t)(crc >> 16),
                                     (uint8_t)(crc >> 24)}, 4);
    memcpy(image, region, sizeof(region));
    assert_int_equal(its_store_open(&s, region, sizeof(region), NULL), PSA_ERROR_NOT_SUPPORTED);
    assert_memory_equal(region, image, sizeof(region));

    /* A header claiming more slots than the region holds is corrupt. */
    cold_image();
    open_ok(&s, NULL);
    assert_int_equal(its_store_open(&s, region, sizeof(region) - ITS_STORE_SLOT_SIZE, NULL),
                     PSA_ERROR_DATA_CORRUPT);

    /* A damaged header over an empty store is simply reformatted. */
    cold_image();
    open_ok(&s, NULL);
    region[0] = 'X';
    struct its_store_mount_report report;
    open_ok(&s, &report);
    assert_true(report.formatted);
}

/* A larger region than the header says (the region grew) keeps the recorded slot count. */
static void test_region_grew(void **state)
{
    (void)state;
    static uint8_t big[ITS_STORE_HEADER_SIZE + 8u * ITS_STORE_SLOT_SIZE];
    memset(big, 0xFF, sizeof(big));
    struct its_store s;
    assert_int_equal(its_store_open(&s, big, ITS_STORE_MIN_SIZE, NULL), PSA_SUCCESS);
    assert_int_equal(its_store_capacity(&s), 1);
    assert_int_equal(its_store_set(&s, OWNER_NS, 1, "a", 1, 0), PSA_SUCCESS);
    assert_int_equal(its_store_open(&s, big, sizeof(big), NULL), PSA_SUCCESS);
    assert_int_equal(its_store_capacity(&s), 1);
    char c = 0;
    size_t n = 0;
    assert_int_equal(its_store_get(&s, OWNER_NS, 1, 0, &c, 1, &n), PSA_SUCCESS);
    assert_int_equal(c, 'a');
}

/* ---- over a flash medium: a strict fake that counts what it is asked to do */

#define FLASH_SECTOR (32u)

struct fake_flash {
    unsigned programs, erases, refused;
};

static int fake_program(void *ctx, size_t offset, const void *data, size_t len)
{
    struct fake_flash *f = ctx;
    for (size_t i = 0; i < len; i++) {
        if (region[offset + i] != 0xFF) {
            f->refused++; /* what strict flash (FLASH-01) refuses */
            return -1;
        }
    }
    memcpy(region + offset, data, len);
    f->programs++;
    return 0;
}

static int fake_erase(void *ctx, size_t offset, size_t len)
{
    struct fake_flash *f = ctx;
    assert_int_equal(offset % FLASH_SECTOR, 0);
    assert_int_equal(len % FLASH_SECTOR, 0);
    memset(region + offset, 0xFF, len);
    f->erases += (unsigned)(len / FLASH_SECTOR);
    return 0;
}

static void test_flash_medium(void **state)
{
    (void)state;
    struct fake_flash f = { 0, 0, 0 };
    const struct its_store_flash medium = { &f, fake_program, fake_erase };
    struct its_store s;
    struct its_store_mount_report r;
    cold_image();
    assert_int_equal(its_store_open_flash(&s, region, sizeof(region), &medium, &r), PSA_SUCCESS);
    assert_true(r.formatted);
    set_str(&s, OWNER_NS, 1, "first");
    set_str(&s, OWNER_NS, 1, "second"); /* new slot, then the old one erased */
    assert_object(&s, OWNER_NS, 1, "second");
    assert_int_equal(its_store_remove(&s, OWNER_NS, 1), PSA_SUCCESS);
    set_str(&s, OWNER_NS, 2, "third"); /* reuses an erased slot */
    assert_int_equal(f.refused, 0);
    assert_int_equal(f.programs, 1u + 3u * 2u);
    assert_int_equal(f.erases, 2u * ITS_STORE_SLOT_SIZE / FLASH_SECTOR);
    /* a torn record body (no magic) is erased by the next mount, through the medium */
    memset(region + ITS_STORE_HEADER_SIZE + 3 * ITS_STORE_SLOT_SIZE + 8, 0x00, 8);
    assert_int_equal(its_store_open_flash(&s, region, sizeof(region), &medium, &r), PSA_SUCCESS);
    assert_int_equal(r.slots_erased, 1);
    assert_int_equal(f.erases, 3u * ITS_STORE_SLOT_SIZE / FLASH_SECTOR);
    assert_object(&s, OWNER_NS, 2, "third");
    /* a torn header beside a record: refused, nothing formatted over it */
    memset(region, 0x00, 8);
    assert_int_equal(its_store_open_flash(&s, region, sizeof(region), &medium, &r),
                     PSA_ERROR_DATA_CORRUPT);
    cold_image();
    memset(region, 0x00, 8); /* torn header, no record: formatted again */
    assert_int_equal(its_store_open_flash(&s, region, sizeof(region), &medium, &r), PSA_SUCCESS);
    assert_true(r.formatted);
    set_str(&s, OWNER_NS, 3, "fourth");
    assert_object(&s, OWNER_NS, 3, "fourth");
    assert_int_equal(f.refused, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc32_check_value),
        cmocka_unit_test(test_cold_image_formats),
        cmocka_unit_test(test_set_get_info_remove),
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_argument_errors),
        cmocka_unit_test(test_owners_are_separate),
        cmocka_unit_test(test_write_once),
        cmocka_unit_test(test_full_store),
        cmocka_unit_test(test_persistence_across_reboots),
        cmocka_unit_test(test_torn_create),
        cmocka_unit_test(test_torn_update),
        cmocka_unit_test(test_torn_remove),
        cmocka_unit_test(test_torn_format),
        cmocka_unit_test(test_damaged_record),
        cmocka_unit_test(test_bad_headers),
        cmocka_unit_test(test_region_grew),
        cmocka_unit_test(test_flash_medium),
    };
    return cmocka_run_group_tests_name("demo_its_store", tests, NULL, NULL);
}
