/* irq_sp.c - counts SLIH deliveries (acknowledged with psa_eoi after lowering the line), FLIH
 * runs and the signals they raise (cleared with psa_reset_signal); IRQ_STATUS writes the three
 * counters. */
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
            psa_write(msg.handle, 0, counts, sizeof counts);
            psa_reply(msg.handle, PSA_SUCCESS);
        }
    }
}
