/*
 * psa_api.c - the standard psa_* symbols for code running under the synchronous port: each one
 * calls the core as the harness's current caller (the partition or NS code being run by
 * ffm_sync_run_as or by the dispatcher) and applies the result: return a value, run services
 * until a blocked client is released, or unwind the caller (panic, yield).
 */
#include <stdio.h>
#include <stdlib.h>

#include "psa/client.h"
#include "psa/lifecycle.h"
#include "psa/service.h"

#include "syncport.h"

static struct ffm_sync *harness(void)
{
    struct ffm_sync *h = ffm_sync_active();

    if (h == NULL || !h->current_valid) {
        fprintf(stderr, "syncport: a PSA API was called outside the harness (GEN-02)\n");
        abort();
    }
    return h;
}

/* Non-blocking APIs: PANIC unwinds, psa_wait's BLOCK yields. */
static struct ffm_ret now(struct ffm_sync *h, struct ffm_ret ret)
{
    return ffm_sync_finish_now(h, ret);
}

static struct ffm_caller client_caller(struct ffm_sync *h, int *wait_id)
{
    struct ffm_caller c = h->current;

    *wait_id = ffm_sync_wait_alloc(h, &c);
    if (*wait_id < 0) {
        fprintf(stderr, "syncport: too many nested blocked calls\n");
        abort();
    }
    return c;
}

uint32_t psa_framework_version(void)
{
    struct ffm_sync *h = harness();

    return (uint32_t)now(h, ffm_psa_framework_version(&h->spm, &h->current)).value;
}

uint32_t psa_version(uint32_t sid)
{
    struct ffm_sync *h = harness();

    return (uint32_t)now(h, ffm_psa_version(&h->spm, &h->current, sid)).value;
}

psa_handle_t psa_connect(uint32_t sid, uint32_t version)
{
    struct ffm_sync *h = harness();
    int w;
    struct ffm_caller c = client_caller(h, &w);

    return (psa_handle_t)ffm_sync_client_finish(h, &c, w,
                                                ffm_psa_connect(&h->spm, &c, sid, version));
}

psa_status_t psa_call(psa_handle_t handle, int32_t type, const psa_invec *in_vec, size_t in_len,
                      psa_outvec *out_vec, size_t out_len)
{
    struct ffm_sync *h = harness();
    int w;
    struct ffm_caller c = client_caller(h, &w);
    struct ffm_ret r = ffm_psa_call(&h->spm, &c, handle, type, in_vec, in_len, out_vec, out_len);

    return (psa_status_t)ffm_sync_client_finish(h, &c, w, r);
}

void psa_close(psa_handle_t handle)
{
    struct ffm_sync *h = harness();
    int w;
    struct ffm_caller c = client_caller(h, &w);

    (void)ffm_sync_client_finish(h, &c, w, ffm_psa_close(&h->spm, &c, handle));
}

psa_signal_t psa_wait(psa_signal_t signal_mask, uint32_t timeout)
{
    struct ffm_sync *h = harness();

    return (psa_signal_t)now(h, ffm_psa_wait(&h->spm, &h->current, signal_mask, timeout)).value;
}

psa_status_t psa_get(psa_signal_t signal, psa_msg_t *msg)
{
    struct ffm_sync *h = harness();

    return (psa_status_t)now(h, ffm_psa_get(&h->spm, &h->current, signal, msg)).value;
}

void psa_set_rhandle(psa_handle_t msg_handle, void *rhandle)
{
    struct ffm_sync *h = harness();

    (void)now(h, ffm_psa_set_rhandle(&h->spm, &h->current, msg_handle, rhandle));
}

size_t psa_read(psa_handle_t msg_handle, uint32_t invec_idx, void *buffer, size_t num_bytes)
{
    struct ffm_sync *h = harness();
    struct ffm_ret r = ffm_psa_read(&h->spm, &h->current, msg_handle, invec_idx, buffer,
                                    num_bytes);

    return (size_t)now(h, r).value;
}

size_t psa_skip(psa_handle_t msg_handle, uint32_t invec_idx, size_t num_bytes)
{
    struct ffm_sync *h = harness();

    return (size_t)now(h, ffm_psa_skip(&h->spm, &h->current, msg_handle, invec_idx, num_bytes))
        .value;
}

void psa_write(psa_handle_t msg_handle, uint32_t outvec_idx, const void *buffer,
               size_t num_bytes)
{
    struct ffm_sync *h = harness();

    (void)now(h, ffm_psa_write(&h->spm, &h->current, msg_handle, outvec_idx, buffer, num_bytes));
}

void psa_reply(psa_handle_t msg_handle, psa_status_t status)
{
    struct ffm_sync *h = harness();

    (void)now(h, ffm_psa_reply(&h->spm, &h->current, msg_handle, status));
}

void psa_notify(int32_t partition_id)
{
    struct ffm_sync *h = harness();

    (void)now(h, ffm_psa_notify(&h->spm, &h->current, partition_id));
}

void psa_clear(void)
{
    struct ffm_sync *h = harness();

    (void)now(h, ffm_psa_clear(&h->spm, &h->current));
}

void psa_eoi(psa_signal_t irq_signal)
{
    struct ffm_sync *h = harness();

    (void)now(h, ffm_psa_eoi(&h->spm, &h->current, irq_signal));
}

void psa_panic(void)
{
    struct ffm_sync *h = harness();

    (void)now(h, ffm_psa_panic(&h->spm, &h->current));
    fprintf(stderr, "syncport: psa_panic returned from the core\n");
    abort(); /* the core always answers PANIC, which unwinds above */
}

void psa_irq_enable(psa_signal_t irq_signal)
{
    struct ffm_sync *h = harness();

    (void)now(h, ffm_psa_irq_enable(&h->spm, &h->current, irq_signal));
}

psa_irq_status_t psa_irq_disable(psa_signal_t irq_signal)
{
    struct ffm_sync *h = harness();

    return (psa_irq_status_t)now(h, ffm_psa_irq_disable(&h->spm, &h->current, irq_signal)).value;
}

void psa_reset_signal(psa_signal_t irq_signal)
{
    struct ffm_sync *h = harness();

    (void)now(h, ffm_psa_reset_signal(&h->spm, &h->current, irq_signal));
}

uint32_t psa_rot_lifecycle_state(void)
{
    struct ffm_sync *h = harness();

    return (uint32_t)now(h, ffm_psa_rot_lifecycle_state(&h->spm, &h->current)).value;
}

const void *psa_map_invec(psa_handle_t msg_handle, uint32_t invec_idx)
{
    struct ffm_sync *h = harness();

    return now(h, ffm_psa_map_invec(&h->spm, &h->current, msg_handle, invec_idx)).ptr;
}

void psa_unmap_invec(psa_handle_t msg_handle, uint32_t invec_idx)
{
    struct ffm_sync *h = harness();

    (void)now(h, ffm_psa_unmap_invec(&h->spm, &h->current, msg_handle, invec_idx));
}

void *psa_map_outvec(psa_handle_t msg_handle, uint32_t outvec_idx)
{
    struct ffm_sync *h = harness();

    /* The core hands back the client's own out_vec base: writable by contract (MAPO-08). */
    return (void *)(uintptr_t)now(h, ffm_psa_map_outvec(&h->spm, &h->current, msg_handle,
                                                       outvec_idx))
        .ptr;
}

void psa_unmap_outvec(psa_handle_t msg_handle, uint32_t outvec_idx, size_t len)
{
    struct ffm_sync *h = harness();

    (void)now(h, ffm_psa_unmap_outvec(&h->spm, &h->current, msg_handle, outvec_idx, len));
}
