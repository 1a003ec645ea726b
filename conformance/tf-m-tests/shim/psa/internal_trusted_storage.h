/* psa/internal_trusted_storage.h (ffmsim shim for TF-M's tests) - the SPM test
 * configurations build no ITS partition; TF-M's secure client 2 includes this header but uses
 * it only when TFM_PARTITION_INTERNAL_TRUSTED_STORAGE is defined, which is refused here.
 * Written for ffmsim. */
#ifndef FFMSIM_SHIM_PSA_ITS_H
#define FFMSIM_SHIM_PSA_ITS_H
#if defined(TFM_PARTITION_INTERNAL_TRUSTED_STORAGE)
#error "the ffmsim shim has no PSA ITS API: TFM_PARTITION_INTERNAL_TRUSTED_STORAGE is not supported"
#endif
#endif
