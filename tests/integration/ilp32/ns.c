/*
 * ns.c - the client side of SIZES as an NS image for a 32-bit target writes it: the offset is
 * a 32-bit field and the info struct has three 32-bit fields (12 bytes), whatever the host.
 */
#include <psa/client.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "psa_manifest/sid.h"

int ns_main(void);

struct info32 {
    uint32_t capacity;
    uint32_t size;
    uint32_t flags;
};

int ns_main(void)
{
    struct info32 info = { 0, 0, 0 };
    psa_outvec info_out = { &info, sizeof info };
    psa_status_t st_info = psa_call(SIZES_HANDLE, 1002, NULL, 0, &info_out, 1);

    uint32_t offset = 2;
    char data[8] = { 0 };
    psa_invec in = { &offset, sizeof offset };
    psa_outvec data_out = { data, sizeof data - 1 };
    psa_status_t st_read = psa_call(SIZES_HANDLE, 1001, &in, 1, &data_out, 1);

    printf("ilp32: sizeof(size_t) %zu; get_info %d capacity %u size %u flags %u;"
           " read %d '%s' (%zu bytes)\n",
           sizeof(size_t), (int)st_info, (unsigned)info.capacity, (unsigned)info.size,
           (unsigned)info.flags, (int)st_read, data, data_out.len);
    return st_info == PSA_SUCCESS && st_read == PSA_SUCCESS && strcmp(data, "llo") == 0 ? 0 : 1;
}
