/*
 * psa/service.h - the PSA Secure Partition API (FF-M 1.0 + 1.1, ffm-rules.md §2).
 *
 * Types, constants and prototypes are exactly the standard ones: partition code written for other
 * FF-M implementations compiles against this header unchanged.
 */
#ifndef PSA_SERVICE_H
#define PSA_SERVICE_H

#include <stddef.h>
#include <stdint.h>

#include "psa/client.h"
#include "psa/framework_feature.h"

#ifdef __cplusplus
extern "C" {
#endif

/* psa_panic() never returns. */
#if defined(__cplusplus) && __cplusplus >= 201103L
#define PSA_NORETURN [[noreturn]]
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#define PSA_NORETURN _Noreturn
#elif defined(__GNUC__) || defined(__clang__)
#define PSA_NORETURN __attribute__((noreturn))
#else
#define PSA_NORETURN
#endif

/* PSA_FRAMEWORK_ISOLATION_LEVEL and PSA_FRAMEWORK_HAS_MM_IOVEC: <psa/framework_feature.h>
 * (both 1 unless the build defines them first). */

/* psa_wait() timeouts and masks. */
#define PSA_POLL (0x00000000u)
#define PSA_BLOCK (0x80000000u)
#define PSA_WAIT_ANY (0xFFFFFFFFu)

/* The doorbell signal (bit 3). */
#define PSA_DOORBELL (0x00000008u)

/* Message types other than requests. */
#define PSA_IPC_CONNECT (-1)
#define PSA_IPC_DISCONNECT (-2)

typedef uint32_t psa_signal_t;
typedef uint32_t psa_irq_status_t;
typedef uint32_t psa_flih_result_t;

/* Return values of a FLIH function. */
#define PSA_FLIH_NO_SIGNAL ((psa_flih_result_t)0)
#define PSA_FLIH_SIGNAL ((psa_flih_result_t)1)

typedef struct psa_msg_t {
    int32_t type;
    psa_handle_t handle;
    int32_t client_id;
    void *rhandle;
    size_t in_size[PSA_MAX_IOVEC];
    size_t out_size[PSA_MAX_IOVEC];
} psa_msg_t;

psa_signal_t psa_wait(psa_signal_t signal_mask, uint32_t timeout);
psa_status_t psa_get(psa_signal_t signal, psa_msg_t *msg);
void psa_set_rhandle(psa_handle_t msg_handle, void *rhandle);
size_t psa_read(psa_handle_t msg_handle, uint32_t invec_idx, void *buffer, size_t num_bytes);
size_t psa_skip(psa_handle_t msg_handle, uint32_t invec_idx, size_t num_bytes);
void psa_write(psa_handle_t msg_handle, uint32_t outvec_idx, const void *buffer,
               size_t num_bytes);
void psa_reply(psa_handle_t msg_handle, psa_status_t status);
void psa_notify(int32_t partition_id);
void psa_clear(void);
void psa_eoi(psa_signal_t irq_signal);
PSA_NORETURN void psa_panic(void);
void psa_irq_enable(psa_signal_t irq_signal);
psa_irq_status_t psa_irq_disable(psa_signal_t irq_signal);
void psa_reset_signal(psa_signal_t irq_signal);
#if PSA_FRAMEWORK_HAS_MM_IOVEC
const void *psa_map_invec(psa_handle_t msg_handle, uint32_t invec_idx);
void psa_unmap_invec(psa_handle_t msg_handle, uint32_t invec_idx);
void *psa_map_outvec(psa_handle_t msg_handle, uint32_t outvec_idx);
void psa_unmap_outvec(psa_handle_t msg_handle, uint32_t outvec_idx, size_t len);
#endif

#ifdef __cplusplus
}
#endif

#endif /* PSA_SERVICE_H */
