/*
 * flash.h - the flash model's pure logic (docs/sim.md §2.6, docs/ffm-sim.md "Flash"): the
 * geometry a platform-file region declares with `flash:`, the checks a program or erase must
 * pass, and what programming does to the bytes (strict: refused unless erased; AND-merge: NOR
 * semantics, bits only move away from the erased value) and what a power cut leaves behind.
 *
 * No I/O, no allocation, no process state: the platform file reader validates with it, the port
 * (sim/posix/flash_api.c) applies it to the region's memory, and tests/sim/test_sim_flash.c
 * checks it alone.
 */
#ifndef FFM_SIM_FLASH_H
#define FFM_SIM_FLASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Flash devices a platform may declare: Driver_FLASH0 .. Driver_FLASH3. */
#define FFM_FLASH_MAX_DEVICES 4u
/* Sectors per device: bounds the wear counters the supervisor keeps for the run. */
#define FFM_FLASH_MAX_SECTORS 65536u

struct ffm_flash_geometry {
    uint32_t sector_size;  /* a power of two dividing the region size */
    uint32_t program_unit; /* a power of two dividing sector_size: the smallest programmable
                            * block; programs start and end on unit boundaries */
    uint8_t erased_value;  /* 0xFF (NOR: programming clears bits) or 0x00 (sets bits) */
    bool strict;           /* true: programming a byte that is not erased is refused */
};

/*
 * Why `g` cannot describe a region of `region_size` bytes, or NULL when it can. `field` is set
 * to the key at fault ("sector_size", "program_unit", "erased_value") for the error's path.
 */
const char *ffm_flash_geometry_error(const struct ffm_flash_geometry *g, uint64_t region_size,
                                     const char **field);

enum ffm_flash_check {
    FFM_FLASH_CHECK_OK = 0,
    FFM_FLASH_CHECK_RANGE,     /* outside the device */
    FFM_FLASH_CHECK_ALIGNMENT, /* not on program-unit (program) or sector (erase) boundaries */
};

/* Can `len` bytes at device offset `addr` be programmed (len > 0, whole units, inside)? */
enum ffm_flash_check ffm_flash_check_program(const struct ffm_flash_geometry *g,
                                             uint64_t device_size, uint64_t addr, uint64_t len);
/* Is `addr` the start of a sector of the device? */
enum ffm_flash_check ffm_flash_check_erase(const struct ffm_flash_geometry *g,
                                           uint64_t device_size, uint64_t addr);

/* Offset of the first byte of `cur[0..len)` that is not erased, or `len` when all are: what
 * strict mode refuses to program over. */
size_t ffm_flash_first_unerased(const struct ffm_flash_geometry *g, const uint8_t *cur,
                                size_t len);

/* Program `len` bytes of `src` over `dst`: strict copies (the caller checked that dst is
 * erased); AND-merge moves bits only away from the erased value (erased 0xFF: dst &= src;
 * erased 0x00: dst |= src), as NOR flash does. */
void ffm_flash_program_bytes(const struct ffm_flash_geometry *g, uint8_t *dst, const uint8_t *src,
                             size_t len);

/*
 * A power cut during a program of `len` bytes (whole units): the first half of the units are
 * programmed, then the unit after them only half (its first program_unit / 2 bytes; a 1-byte
 * unit gets its low 4 bits), and nothing after it. Returns how many bytes were touched
 * (including the torn one), for the report.
 */
size_t ffm_flash_program_torn(const struct ffm_flash_geometry *g, uint8_t *dst, const uint8_t *src,
                              size_t len);

/* Erase one sector at `dst`. */
void ffm_flash_erase_bytes(const struct ffm_flash_geometry *g, uint8_t *dst);

#endif /* FFM_SIM_FLASH_H */
