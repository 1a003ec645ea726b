/* cmsis_compiler.h (ffmsim shim for TF-M's tests) - the one CMSIS intrinsic the SPM tests use.
 * __WFI() waits for an interrupt: on the host, the calling partition sleeps a little simulated
 * time (ffm_platform_sleep_us), so the simulated clock can advance to the next timer tick
 * while every thread is blocked; a busy loop would hold the clock still for ever. The step is
 * short against the test timer's period, so the wake-up lags a tick by at most that much.
 * Written for ffmsim; not CMSIS's header. */
#ifndef FFMSIM_SHIM_CMSIS_COMPILER_H
#define FFMSIM_SHIM_CMSIS_COMPILER_H

#include <ffmsim/platform.h>

#define FFMSIM_SHIM_WFI_US 100u

#define __WFI() ffm_platform_sleep_us(FFMSIM_SHIM_WFI_US)

#endif
