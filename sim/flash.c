/*
 * flash.c - the flash model's pure logic (flash.h): geometry checks, program/erase checks, and
 * the bytes a program, a torn program and an erase leave.
 */
#include "flash.h"

#include <string.h>

static bool power_of_two(uint64_t v)
{
    return v != 0 && (v & (v - 1)) == 0;
}

const char *ffm_flash_geometry_error(const struct ffm_flash_geometry *g, uint64_t region_size,
                                     const char **field)
{
    *field = "sector_size";
    if (!power_of_two(g->sector_size)) {
        return "must be a power of two";
    }
    if (region_size % g->sector_size != 0) {
        return "must divide the region's size";
    }
    if (region_size / g->sector_size > FFM_FLASH_MAX_SECTORS) {
        return "too small: more than 65536 sectors in the region";
    }
    *field = "program_unit";
    if (!power_of_two(g->program_unit)) {
        return "must be a power of two";
    }
    if (g->program_unit > g->sector_size) {
        return "must divide sector_size";
    }
    *field = "erased_value";
    if (g->erased_value != 0xFFu && g->erased_value != 0x00u) {
        return "must be 0xff or 0x00 (flash erases to all ones or all zeros)";
    }
    *field = NULL;
    return NULL;
}

enum ffm_flash_check ffm_flash_check_program(const struct ffm_flash_geometry *g,
                                             uint64_t device_size, uint64_t addr, uint64_t len)
{
    if (len == 0 || addr >= device_size || len > device_size - addr) {
        return FFM_FLASH_CHECK_RANGE;
    }
    if (addr % g->program_unit != 0 || len % g->program_unit != 0) {
        return FFM_FLASH_CHECK_ALIGNMENT;
    }
    return FFM_FLASH_CHECK_OK;
}

enum ffm_flash_check ffm_flash_check_erase(const struct ffm_flash_geometry *g,
                                           uint64_t device_size, uint64_t addr)
{
    if (addr >= device_size) {
        return FFM_FLASH_CHECK_RANGE;
    }
    return addr % g->sector_size == 0 ? FFM_FLASH_CHECK_OK : FFM_FLASH_CHECK_ALIGNMENT;
}

size_t ffm_flash_first_unerased(const struct ffm_flash_geometry *g, const uint8_t *cur,
                                size_t len)
{
    size_t i = 0;
    while (i < len && cur[i] == g->erased_value) {
        i++;
    }
    return i;
}

/* NOR: a program only moves bits away from the erased state. Over erased bytes (all strict
 * mode ever programs) this is a plain copy. */
static uint8_t merge(const struct ffm_flash_geometry *g, uint8_t old, uint8_t data)
{
    return g->erased_value == 0xFFu ? (uint8_t)(old & data) : (uint8_t)(old | data);
}

void ffm_flash_program_bytes(const struct ffm_flash_geometry *g, uint8_t *dst, const uint8_t *src,
                             size_t len)
{
    for (size_t i = 0; i < len; i++) {
        dst[i] = merge(g, dst[i], src[i]);
    }
}

size_t ffm_flash_program_torn(const struct ffm_flash_geometry *g, uint8_t *dst, const uint8_t *src,
                              size_t len)
{
    size_t units = len / g->program_unit;
    size_t whole = units / 2 * g->program_unit;
    ffm_flash_program_bytes(g, dst, src, whole);
    if (whole >= len) {
        return whole;
    }
    if (g->program_unit > 1) {
        ffm_flash_program_bytes(g, dst + whole, src + whole, g->program_unit / 2);
    } else {
        /* a 1-byte unit torn: only its low 4 bits reached the cells */
        uint8_t low = g->erased_value == 0xFFu ? (uint8_t)(src[whole] | 0xF0u)
                                               : (uint8_t)(src[whole] & 0x0Fu);
        dst[whole] = merge(g, dst[whole], low);
    }
    return whole + g->program_unit;
}

void ffm_flash_erase_bytes(const struct ffm_flash_geometry *g, uint8_t *dst)
{
    memset(dst, g->erased_value, g->sector_size);
}
