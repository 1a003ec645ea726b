/*
 * crc32.h - CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320) used to detect damaged
 * records in the demo's on-flash storage format. Check value: crc32("123456789") = 0xCBF43926.
 */
#ifndef DEMO_CRC32_H
#define DEMO_CRC32_H

#include <stddef.h>
#include <stdint.h>

uint32_t crc32_ieee(const void *data, size_t len);

#endif /* DEMO_CRC32_H */
