/*
 * planted.c - FUZZ_SP_PLANTED, a partition with two planted bugs that ffm-fuzz must find
 * (make ffm-fuzz-planted):
 *  1. type 1 stores a record: the client sends a 4-byte header { index, length, magic "RE" }
 *     and a payload; the partition checks the magic but not that index * 16 + length fits its
 *     table, so a header read with psa_read decides where the payload is written: an
 *     out-of-bounds write that depends on psa_read contents;
 *  2. type 9 calls psa_panic(): a client request that takes the partition down.
 */
#include <stdint.h>
#include <string.h>

#include <psa/service.h>

#include "psa_manifest/planted.h"

#define SLOT 16u
#define SLOTS 8u

static uint8_t table[SLOTS * SLOT];

static psa_status_t store(const psa_msg_t *msg)
{
    uint8_t hdr[4];
    uint8_t payload[32];

    if (psa_read(msg->handle, 0, hdr, sizeof hdr) != sizeof hdr || hdr[2] != 'R' ||
        hdr[3] != 'E') {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    size_t n = psa_read(msg->handle, 1, payload, hdr[1] < sizeof payload ? hdr[1] : sizeof payload);
    if (hdr[0] >= 2u * SLOTS) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    memcpy(&table[hdr[0] * SLOT], payload, n); /* BUG: index up to 15 of 8 slots */
    return PSA_SUCCESS;
}

psa_status_t fuzz_records_sfn(const psa_msg_t *msg)
{
    switch (msg->type) {
    case 1:
        return store(msg);
    case 9:
        psa_panic(); /* BUG: any client can take the partition down */
    default:
        return PSA_ERROR_NOT_SUPPORTED;
    }
}
