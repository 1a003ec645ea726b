/*
 * api_irq.c - interrupts: the platform's line levels (SIG-08 SLIH, SIG-09 FLIH) and psa_eoi,
 * psa_reset_signal, psa_irq_enable, psa_irq_disable (EOI-01..05, RST-01..05, IRQEN-01..03,
 * IRQDIS-01..02). Lines are level-sensitive; a FLIH runs on a rising edge of an enabled line (or
 * when a line that is already active gets enabled).
 */
#include "core_internal.h"

static void assert_irq_signal(struct ffm_spm *spm, uint16_t irq)
{
    const struct ffm_irq_desc *d = ffm_irq(spm, irq);
    struct ffm_trace_rec rec = { .kind = FFM_TRACE_IRQ_ASSERTED, .partition = d->partition,
                                 .signal = d->signal };

    spm->partition[d->partition].asserted |= d->signal;
    ffm_port_trace(spm->port_ctx, &rec);
    ffm_wake(spm, d->partition);
}

/* The source of an enabled IRQ is active. */
static void fire(struct ffm_spm *spm, uint16_t irq)
{
    struct ffm_irq_state *st = &spm->irq[irq];

    if (ffm_irq(spm, irq)->handling == FFM_IRQ_FLIH) {
        ffm_port_flih(spm->port_ctx, irq);
    } else if (!st->masked) {
        /* ffm-rule: SIG-08 */
        st->masked = true; /* SIG-08: asserted and masked until psa_eoi */
        assert_irq_signal(spm, irq);
    }
}

void ffm_spm_irq_line(struct ffm_spm *spm, uint16_t irq_index, bool level)
{
    assert(spm->booted && irq_index < spm->desc->n_irqs);
    struct ffm_irq_state *st = &spm->irq[irq_index];
    bool rising = level && !st->line;
    bool flih = ffm_irq(spm, irq_index)->handling == FFM_IRQ_FLIH;

    st->line = level;
    if (!st->enabled || !level || spm->partition[ffm_irq(spm, irq_index)->partition].faulted) {
        return;
    }
    if (!flih || rising) {
        fire(spm, irq_index);
    }
}

struct ffm_ret ffm_spm_flih_done(struct ffm_spm *spm, uint16_t irq_index,
                                 psa_flih_result_t result)
{
    assert(spm->booted && irq_index < spm->desc->n_irqs);
    const struct ffm_irq_desc *d = ffm_irq(spm, irq_index);
    struct ffm_caller caller = ffm_spm_partition_caller(spm, d->partition);
    struct ffm_args args = { .n = 2, .v = { irq_index, result } };

    caller.handler_mode = true;
    if (result == PSA_FLIH_SIGNAL) {
        assert_irq_signal(spm, irq_index); /* SIG-09: until psa_reset_signal */
    } else if (result != PSA_FLIH_NO_SIGNAL) {
        return ffm_panic_event(spm, &caller, FFM_API_FLIH_RETURN, FFM_RULE_SIG_09, &args,
                               "%s_flih returned %u: only PSA_FLIH_SIGNAL (1) or "
                               "PSA_FLIH_NO_SIGNAL (0) are valid",
                               d->name, (unsigned)result);
    }
    return ffm_ret_value(0);
}

/* Rule 01 of each API: exactly one bit, and that bit is one of the caller's IRQ signals. */
static bool irq_vrfy(struct ffm_spm *spm, const struct ffm_caller *caller, enum ffm_api api,
                     enum ffm_rule rule, const struct ffm_args *args, psa_signal_t signal,
                     uint16_t *irq, struct ffm_ret *ret)
{
    if (ffm_gate_partition(spm, caller, api, args, ret)) {
        return false;
    }
    int found = ffm_irq_of_signal(spm, caller->partition, signal);
    if (found < 0) {
        *ret = ffm_pe(spm, caller, api, rule, args,
                      "signal %x is not exactly one IRQ signal of this partition (IRQs %x)",
                      (unsigned)signal, (unsigned)ffm_irq_signals(spm, caller->partition));
        return false;
    }
    *irq = (uint16_t)found;
    return true;
}

/* EOI-02 / RST-02 (wrong handling) then EOI-03 / RST-03 (not asserted). */
static bool irq_state_vrfy(struct ffm_spm *spm, const struct ffm_caller *caller,
                           enum ffm_api api, const struct ffm_args *args, uint16_t irq,
                           uint8_t needed, enum ffm_rule handling_rule,
                           enum ffm_rule asserted_rule, struct ffm_ret *ret)
{
    const struct ffm_irq_desc *d = ffm_irq(spm, irq);

    if (d->handling != needed) {
        *ret = ffm_pe(spm, caller, api, handling_rule, args, "IRQ %s uses %s handling",
                      d->name, d->handling == FFM_IRQ_FLIH ? "FLIH" : "SLIH");
        return false;
    }
    if ((spm->partition[caller->partition].asserted & d->signal) == 0u) {
        *ret = ffm_pe(spm, caller, api, asserted_rule, args,
                      "signal %x of IRQ %s is not asserted", (unsigned)d->signal, d->name);
        return false;
    }
    return true;
}

struct ffm_ret ffm_psa_eoi(struct ffm_spm *spm, const struct ffm_caller *caller,
                           psa_signal_t irq_signal)
{
    struct ffm_args args = { .n = 1, .v = { irq_signal } };
    struct ffm_ret ret;
    uint16_t irq;

    if (!irq_vrfy(spm, caller, FFM_API_EOI, FFM_RULE_EOI_01, &args, irq_signal, &irq, &ret) ||
        !irq_state_vrfy(spm, caller, FFM_API_EOI, &args, irq, FFM_IRQ_SLIH, FFM_RULE_EOI_02,
                        FFM_RULE_EOI_03, &ret)) {
        return ret;
    }
    struct ffm_irq_state *st = &spm->irq[irq];
    /* ffm-rule: EOI-05 */
    spm->partition[caller->partition].asserted &= ~irq_signal; /* EOI-05 */
    st->masked = false;
    if (st->line && st->enabled) {
        fire(spm, irq); /* still active: asserted again */
    }
    return ffm_ret_value(0);
}

struct ffm_ret ffm_psa_reset_signal(struct ffm_spm *spm, const struct ffm_caller *caller,
                                    psa_signal_t irq_signal)
{
    struct ffm_args args = { .n = 1, .v = { irq_signal } };
    struct ffm_ret ret;
    uint16_t irq;

    if (!irq_vrfy(spm, caller, FFM_API_RESET_SIGNAL, FFM_RULE_RST_01, &args, irq_signal, &irq,
                  &ret) ||
        !irq_state_vrfy(spm, caller, FFM_API_RESET_SIGNAL, &args, irq, FFM_IRQ_FLIH,
                        FFM_RULE_RST_02, FFM_RULE_RST_03, &ret)) {
        return ret;
    }
    /* ffm-rule: RST-05 */
    spm->partition[caller->partition].asserted &= ~irq_signal; /* RST-05 */
    return ffm_ret_value(0);
}

struct ffm_ret ffm_psa_irq_enable(struct ffm_spm *spm, const struct ffm_caller *caller,
                                  psa_signal_t irq_signal)
{
    struct ffm_args args = { .n = 1, .v = { irq_signal } };
    struct ffm_ret ret;
    uint16_t irq;

    if (!irq_vrfy(spm, caller, FFM_API_IRQ_ENABLE, FFM_RULE_IRQEN_01, &args, irq_signal, &irq,
                  &ret)) {
        return ret;
    }
    struct ffm_irq_state *st = &spm->irq[irq];
    /* ffm-rule: IRQEN-02 */
    if (!st->enabled) { /* IRQEN-02: no effect when already enabled */
        st->enabled = true;
        if (st->line) {
            fire(spm, irq); /* a pending line asserts the SLIH signal or runs the FLIH */
        }
    }
    return ffm_ret_value(0);
}

struct ffm_ret ffm_psa_irq_disable(struct ffm_spm *spm, const struct ffm_caller *caller,
                                   psa_signal_t irq_signal)
{
    struct ffm_args args = { .n = 1, .v = { irq_signal } };
    struct ffm_ret ret;
    uint16_t irq;

    if (!irq_vrfy(spm, caller, FFM_API_IRQ_DISABLE, FFM_RULE_IRQDIS_01, &args, irq_signal, &irq,
                  &ret)) {
        return ret;
    }
    bool was_enabled = spm->irq[irq].enabled;
    /* ffm-rule: IRQDIS-02 */
    spm->irq[irq].enabled = false; /* IRQDIS-02: an asserted signal stays asserted */
    return ffm_ret_value(ffm_is_tfm(spm) ? 1 : (was_enabled ? 1 : 0)); /* §5.5 tfm: always 1 */
}
