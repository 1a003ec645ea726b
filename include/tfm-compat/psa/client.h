/*
 * tfm-compat/psa/client.h - ffmsim's <psa/client.h> plus rot_size_t and ROT_SIZE_MAX, the
 * 32-bit size type TF-M's own copy of the header adds and TF-M's clients put in their
 * messages, and its largest value. (IOVEC_LEN,
 * the other name TF-M adds there, is in ffmsim's <psa/client.h> already.)
 *
 * Opt-in: a build with -I<ffmsim>/include/tfm-compat before -I<ffmsim>/include finds this file
 * for every #include of psa/client.h, ffmsim's own headers included. docs/tfm-partitions.md.
 */
#ifndef FFMSIM_TFM_COMPAT_PSA_CLIENT_H
#define FFMSIM_TFM_COMPAT_PSA_CLIENT_H

#include "../../psa/client.h" /* ffmsim's, beside this directory (source tree and install) */

#include <stdint.h>

/* A size as a TF-M client sends it: 32 bits on every target. On a 64-bit host it is not
 * size_t: code that compares the two is what an ILP32 build (make M32=1) runs as the target
 * does. */
typedef uint32_t rot_size_t;
#define ROT_SIZE_MAX UINT32_MAX

#endif /* FFMSIM_TFM_COMPAT_PSA_CLIENT_H */
