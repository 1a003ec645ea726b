/* tick_sp.c - TICK_TEST enables the timer's FLIH, waits in psa_wait until the FLIH has seen 10
 * ticks (it signals only the 10th, as TF-M's FLIH test does), and replies with the tick count;
 * out_vec[0] gets the simulated time (us) when the signal came. Type 1 first waits for the
 * timer with its IRQ disabled, which nothing can end. */
#include <stdint.h>

#include <ffmsim/platform.h>
#include <psa/service.h>

#include "psa_manifest/tick_sp.h"

static volatile uint32_t ticks;

psa_flih_result_t timer0_flih(void)
{
    ticks++;
    if (ticks == 1) {
        ffm_platform_sleep_us(1000000); /* refused: a FLIH cannot block */
    }
    return ticks == 10 ? PSA_FLIH_SIGNAL : PSA_FLIH_NO_SIGNAL;
}

static psa_status_t wait_for_tenth_tick(uint64_t *when_us)
{
    ticks = 0;
    psa_irq_enable(TIMER0_SIGNAL);
    (void)psa_wait(TIMER0_SIGNAL, PSA_BLOCK);
    *when_us = ffm_platform_time_us();
    psa_reset_signal(TIMER0_SIGNAL);
    (void)psa_irq_disable(TIMER0_SIGNAL);
    return (psa_status_t)ticks;
}

void tick_main(void);

void tick_main(void)
{
    for (;;) {
        psa_signal_t signals = psa_wait(TICK_TEST_SIGNAL, PSA_BLOCK);
        psa_msg_t msg;
        if ((signals & TICK_TEST_SIGNAL) == 0 || psa_get(TICK_TEST_SIGNAL, &msg) != PSA_SUCCESS) {
            continue;
        }
        uint64_t when_us = 0;
        if (msg.type == 1) { /* waits for the timer without enabling it: never comes */
            (void)psa_wait(TIMER0_SIGNAL, PSA_BLOCK);
        }
        psa_status_t st = wait_for_tenth_tick(&when_us);
        psa_write(msg.handle, 0, &when_us, sizeof when_us);
        psa_reply(msg.handle, st);
    }
}
