/* irq_sp.c - counts SLIH deliveries (acknowledged with psa_eoi after lowering the line), FLIH
 * runs and the signals they raise (cleared with psa_reset_signal); IRQ_STATUS type 0 writes the
 * three counters. Type 1 disables TEST_LINE and writes what psa_irq_disable returned, twice
 * (IRQDIS-02); type 2 polls TEST_LINE (PSA_POLL: never blocks), enables it (IRQEN-02: a pending
 * line asserts the signal) and polls again. */
#include <ffmsim/platform.h>
#include <psa/service.h>

#include "psa_manifest/irq_sp.h"

void irq_main(void);

static int counts[3]; /* SLIH, FLIH runs, FLIH signals */

psa_flih_result_t tick_flih(void)
{
    counts[1]++;
    return PSA_FLIH_SIGNAL;
}

void irq_main(void)
{
    psa_irq_enable(TEST_LINE_SIGNAL);
    psa_irq_enable(TICK_SIGNAL);
    for (;;) {
        psa_signal_t signals = psa_wait(PSA_WAIT_ANY, PSA_BLOCK);
        if (signals & TEST_LINE_SIGNAL) {
            counts[0]++;
            ffm_platform_irq_lower("TEST_IRQ");
            psa_eoi(TEST_LINE_SIGNAL);
        }
        if (signals & TICK_SIGNAL) {
            counts[2]++;
            psa_reset_signal(TICK_SIGNAL);
        }
        psa_msg_t msg;
        if ((signals & IRQ_STATUS_SIGNAL) && psa_get(IRQ_STATUS_SIGNAL, &msg) == PSA_SUCCESS) {
            int out[3] = { counts[0], counts[1], counts[2] };
            if (msg.type == 1) {
                out[0] = (int)psa_irq_disable(TEST_LINE_SIGNAL);
                out[1] = (int)psa_irq_disable(TEST_LINE_SIGNAL);
                out[2] = 0;
            } else if (msg.type == 2) {
                out[0] = psa_wait(TEST_LINE_SIGNAL, PSA_POLL) != 0;
                psa_irq_enable(TEST_LINE_SIGNAL);
                out[1] = psa_wait(TEST_LINE_SIGNAL, PSA_POLL) != 0;
                out[2] = 0;
            }
            psa_write(msg.handle, 0, out, sizeof out);
            psa_reply(msg.handle, PSA_SUCCESS);
        }
    }
}
