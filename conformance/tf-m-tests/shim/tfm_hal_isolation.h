/* tfm_hal_isolation.h (ffmsim shim for TF-M's tests) - the HAL's memory-check names. The SPM
 * tests call tfm_hal_memory_check only in isolation-level-2/3 variants, which TF-M's default
 * configurations do not build; those variants are refused here rather than half-built.
 * Written for ffmsim; not TF-M's header. */
#ifndef FFMSIM_SHIM_TFM_HAL_ISOLATION_H
#define FFMSIM_SHIM_TFM_HAL_ISOLATION_H

#if defined(TFM_IPC_ISOLATION_2_TEST_READ_ONLY_MEM) || defined(TFM_IPC_ISOLATION_2_MEM_CHECK) || \
    defined(TFM_IPC_ISOLATION_2_APP_ACCESS_PSA_MEM) || defined(TFM_IPC_ISOLATION_3_RETRIEVE_APP_MEM)
#error "the ffmsim shim does not provide tfm_hal_memory_check (isolation-level 2/3 test variants)"
#endif

#endif
