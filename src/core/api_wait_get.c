/*
 * api_wait_get.c - psa_wait (WAIT-01..04) and psa_get (GET-01..08, §5.5 GET-05 in tfm). A
 * partition's allowed signals are its IPC service signals, its IRQ signals and the doorbell; an
 * SFN partition has only the IRQ signals and the doorbell (SIG-05).
 */
#include "core_internal.h"

static psa_signal_t allowed_signals(const struct ffm_spm *spm, uint16_t partition)
{
    /* ffm-rule: SIG-01, SIG-11 */
    return ffm_service_signals(spm, partition) | ffm_irq_signals(spm, partition) | PSA_DOORBELL;
}

struct ffm_ret ffm_psa_wait(struct ffm_spm *spm, const struct ffm_caller *caller,
                            psa_signal_t signal_mask, uint32_t timeout)
{
    struct ffm_args args = { .n = 2, .v = { signal_mask, timeout } };
    struct ffm_ret ret;

    if (ffm_gate_partition(spm, caller, FFM_API_WAIT, &args, &ret)) {
        return ret;
    }
    psa_signal_t allowed = allowed_signals(spm, caller->partition);
    if ((signal_mask & allowed) == 0u) {
        return ffm_pe(spm, caller, FFM_API_WAIT, FFM_RULE_WAIT_01, &args,
                      "mask %x has no signal of this partition (allowed %x)",
                      (unsigned)signal_mask, (unsigned)allowed);
    }
    /* ffm-rule: WAIT-02, WAIT-04 */
    /* WAIT-02: other mask bits are ignored; WAIT-04: signals outside the mask are untouched. */
    psa_signal_t ready = ffm_spm_asserted(spm, caller->partition) & signal_mask & allowed;
    if (ready == 0u && (timeout & PSA_BLOCK) != 0u) {
        /* ffm-rule: WAIT-03 */
        return ffm_ret_block(); /* WAIT-03: only bit 31 of timeout counts */
    }
    return ffm_ret_value(ready);
}

/* ffm-rule: GET-05 */
/* tfm GET-05: an asserted doorbell or IRQ signal is not a PE but DOES_NOT_EXIST. */
static bool tfm_get_does_not_exist(const struct ffm_spm *spm, const struct ffm_caller *caller,
                                   psa_signal_t signal)
{
    psa_signal_t other = ffm_irq_signals(spm, caller->partition) | PSA_DOORBELL;

    return ffm_is_tfm(spm) && (signal & other) != 0u &&
           (ffm_spm_asserted(spm, caller->partition) & signal) != 0u;
}

static int service_of_signal(const struct ffm_spm *spm, uint16_t partition, psa_signal_t signal)
{
    const struct ffm_partition_desc *p = ffm_part(spm, partition);

    for (uint16_t i = 0; i < p->n_services; i++) {
        uint16_t svc = (uint16_t)(p->first_service + i);
        if (ffm_svc(spm, svc)->signal == signal) {
            return svc;
        }
    }
    return -1;
}

struct ffm_ret ffm_psa_get(struct ffm_spm *spm, const struct ffm_caller *caller,
                           psa_signal_t signal, psa_msg_t *msg)
{
    struct ffm_args args = { .n = 2, .v = { signal, (int64_t)(uintptr_t)msg } };
    struct ffm_ret ret;

    if (ffm_gate_partition(spm, caller, FFM_API_GET, &args, &ret)) {
        return ret;
    }
    if (ffm_part_is_sfn(spm, caller->partition)) {
        return ffm_pe(spm, caller, FFM_API_GET, FFM_RULE_GET_06, &args,
                      "psa_get in an SFN partition (IPC model only)");
    }
    if (!ffm_single_bit(signal)) {
        return ffm_pe(spm, caller, FFM_API_GET, FFM_RULE_GET_01, &args,
                      "signal %x must have exactly one bit set", (unsigned)signal);
    }
    int service = service_of_signal(spm, caller->partition, signal);
    if (service < 0) {
        if (tfm_get_does_not_exist(spm, caller, signal)) {
            return ffm_ret_value(PSA_ERROR_DOES_NOT_EXIST);
        }
        return ffm_pe(spm, caller, FFM_API_GET, FFM_RULE_GET_07, &args,
                      "signal %x is not a service signal of this partition", (unsigned)signal);
    }
    uint8_t head = ffm_queue_head(spm, (uint16_t)service);
    if (head == FFM_SLOT_NONE) {
        return ffm_pe(spm, caller, FFM_API_GET, FFM_RULE_GET_04, &args,
                      "signal %x is not asserted: no message is queued", (unsigned)signal);
    }
    if (msg == NULL ||
        ffm_mem_range(spm, caller, msg, sizeof(*msg), FFM_MEM_READ_WRITE) != FFM_MEM_OK) {
        return ffm_pe(spm, caller, FFM_API_GET, FFM_RULE_GET_02, &args,
                      "msg %p is not writable for %zu bytes", (void *)msg, sizeof(*msg));
    }
    /* ffm-rule: GET-08 */
    ffm_msg_fetch(spm, head, msg); /* GET-08 */
    return ffm_ret_value(PSA_SUCCESS);
}
