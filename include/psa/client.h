/*
 * psa/client.h - the PSA client API (FF-M 1.0 + 1.1, ffm-rules.md §2).
 *
 * Types, constants and prototypes are exactly the standard ones: partition and non-secure code
 * written for other FF-M implementations compiles against this header unchanged.
 */
#ifndef PSA_CLIENT_H
#define PSA_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "psa/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Framework version: major in bits 15:8, minor in bits 7:0. */
#define PSA_FRAMEWORK_VERSION (0x0101u)

/* Returned by psa_version() when the caller may not use the RoT Service. */
#define PSA_VERSION_NONE (0u)

#define PSA_NULL_HANDLE ((psa_handle_t)0)
#define PSA_HANDLE_IS_VALID(handle) ((psa_handle_t)(handle) > 0)
#define PSA_HANDLE_TO_ERROR(handle) ((psa_status_t)(handle))

/* Maximum number of input plus output vectors in one psa_call(). */
#define PSA_MAX_IOVEC (4u)

/* TF-M compatibility: the number of elements of an iovec array, as TF-M's client.h defines it
 * (guarded the same way, so code that defines its own keeps it). */
#ifndef IOVEC_LEN
#define IOVEC_LEN(arr) ((uint32_t)(sizeof(arr) / sizeof((arr)[0])))
#endif

/* The default message type of psa_call(). */
#define PSA_IPC_CALL (0)

/* TF-M compatibility: the range of call types its client library accepts. */
#define PSA_CALL_TYPE_MIN (0)
#define PSA_CALL_TYPE_MAX (INT16_MAX)

typedef int32_t psa_handle_t;

typedef struct psa_invec {
    const void *base;
    size_t len;
} psa_invec;

typedef struct psa_outvec {
    void *base;
    size_t len;
} psa_outvec;

uint32_t psa_framework_version(void);
uint32_t psa_version(uint32_t sid);
psa_handle_t psa_connect(uint32_t sid, uint32_t version);
psa_status_t psa_call(psa_handle_t handle, int32_t type, const psa_invec *in_vec, size_t in_len,
                      psa_outvec *out_vec, size_t out_len);
void psa_close(psa_handle_t handle);

#ifdef __cplusplus
}
#endif

#endif /* PSA_CLIENT_H */
