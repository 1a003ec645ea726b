/*
 * tfm-compat/psa/client.h - ffmsim's <psa/client.h> plus the two names TF-M's own copy of the
 * header adds and TF-M code relies on: rot_size_t (the 32-bit size TF-M's client side puts in
 * its messages) and IOVEC_LEN (number of entries of a psa_invec/psa_outvec array).
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

#ifndef IOVEC_LEN
#define IOVEC_LEN(arr) ((uint32_t)(sizeof(arr) / sizeof((arr)[0])))
#endif

#endif /* FFMSIM_TFM_COMPAT_PSA_CLIENT_H */
