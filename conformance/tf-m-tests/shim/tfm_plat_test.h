/* tfm_plat_test.h (ffmsim shim for TF-M's tests) - the platform's test timer, as TF-M's IRQ
 * test partitions drive it. The timer is the platform file's periodic IRQ source
 * TFM_TIMER0_IRQ (conformance/tf-m-tests/platform.yaml): the simulated clock pulses the line
 * every period while the line is enabled, so starting and stopping the timer have nothing
 * left to do (the partition enables and disables its IRQ itself, as on the target), and
 * clearing the interrupt is a no-op because each tick is a pulse, not a level.
 * Written for ffmsim; not TF-M's header. */
#ifndef FFMSIM_SHIM_TFM_PLAT_TEST_H
#define FFMSIM_SHIM_TFM_PLAT_TEST_H

static inline void tfm_plat_test_secure_timer_start(void)
{
}

static inline void tfm_plat_test_secure_timer_stop(void)
{
}

static inline void tfm_plat_test_secure_timer_clear_intr(void)
{
}

#endif
