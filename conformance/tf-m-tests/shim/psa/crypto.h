/* psa/crypto.h (ffmsim shim for TF-M's tests) - the SPM test configurations build no crypto
 * partition; TF-M's secure client 2 includes this header but uses it only when
 * TFM_PARTITION_CRYPTO is defined, which is refused here. Written for ffmsim. */
#ifndef FFMSIM_SHIM_PSA_CRYPTO_H
#define FFMSIM_SHIM_PSA_CRYPTO_H
#if defined(TFM_PARTITION_CRYPTO)
#error "the ffmsim shim has no PSA Crypto API: TFM_PARTITION_CRYPTO is not supported"
#endif
#endif
