/* tfm_hal_multi_core.h (ffmsim shim for TF-M's tests) - included by the IPC test service;
 * nothing of it is used in a single-core build. Written for ffmsim; not TF-M's header. */
#ifndef FFMSIM_SHIM_TFM_HAL_MULTI_CORE_H
#define FFMSIM_SHIM_TFM_HAL_MULTI_CORE_H
#endif
