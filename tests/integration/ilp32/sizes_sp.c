/*
 * sizes_sp.c - SIZES, a storage-like service written as firmware is: its fields are size_t and
 * it checks the vector lengths against sizeof, as TF-M's Internal Trusted Storage does.
 *   type 1001 (read):     in_vec[0] the offset (size_t), out_vec[0] the bytes of "hello" from it
 *   type 1002 (get_info): out_vec[0] a struct info (size_t, size_t, uint32_t)
 * A length that is not the size of the service's own type is the client's mistake:
 * PSA_ERROR_PROGRAMMER_ERROR.
 */
#include <psa/service.h>
#include <stdint.h>

#include "psa_manifest/sizes_sp.h"

#define SIZES_READ 1001
#define SIZES_GET_INFO 1002

struct info {
    size_t capacity;
    size_t size;
    uint32_t flags;
};

static const char object[] = "hello";

static psa_status_t read_object(const psa_msg_t *msg)
{
    size_t offset;
    if (msg->in_size[0] != sizeof offset) {
        return PSA_ERROR_PROGRAMMER_ERROR;
    }
    psa_read(msg->handle, 0, &offset, sizeof offset);
    if (offset > sizeof object - 1) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    size_t n = sizeof object - 1 - offset;
    psa_write(msg->handle, 0, object + offset, n < msg->out_size[0] ? n : msg->out_size[0]);
    return PSA_SUCCESS;
}

static psa_status_t get_info(const psa_msg_t *msg)
{
    struct info info = { .capacity = 64, .size = sizeof object - 1, .flags = 1 };
    if (msg->out_size[0] != sizeof info) {
        return PSA_ERROR_PROGRAMMER_ERROR;
    }
    psa_write(msg->handle, 0, &info, sizeof info);
    return PSA_SUCCESS;
}

psa_status_t sizes_sfn(const psa_msg_t *msg)
{
    switch (msg->type) {
    case SIZES_READ:
        return read_object(msg);
    case SIZES_GET_INFO:
        return get_info(msg);
    default:
        return PSA_ERROR_NOT_SUPPORTED;
    }
}
