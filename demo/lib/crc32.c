/*
 * crc32.c - bitwise CRC-32 (IEEE). Records are 128 bytes and written rarely, so a 1 KiB lookup
 * table would cost more partition memory than the cycles it saves.
 */
#include "crc32.h"

uint32_t crc32_ieee(const void *data, size_t len)
{
    const uint8_t *p = data;
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < len; i++) {
        crc ^= p[i];
        for (unsigned bit = 0; bit < 8; bit++) {
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
        }
    }
    return ~crc;
}
