/*
 * psa/framework_feature.h - the framework features an FF-M implementation offers (FF-M 1.1;
 * TF-M code includes this header by name).
 *
 * Static, with the values of the simulated SPM: it always implements the MM-IOVEC APIs
 * (ffm-rules.md GEN-04) and runs at isolation level 1. These describe the implementation,
 * not one run's manifests, so the header is the same for every build and needs no generator.
 * Each value is guarded: a build may define it first (e.g. -DPSA_FRAMEWORK_HAS_MM_IOVEC=0 to
 * compile code as a TF-M build without MM-IOVEC would, which hides those prototypes in
 * <psa/service.h>).
 */
#ifndef PSA_FRAMEWORK_FEATURE_H
#define PSA_FRAMEWORK_FEATURE_H

#ifndef PSA_FRAMEWORK_ISOLATION_LEVEL
#define PSA_FRAMEWORK_ISOLATION_LEVEL (1)
#endif

#ifndef PSA_FRAMEWORK_HAS_MM_IOVEC
#define PSA_FRAMEWORK_HAS_MM_IOVEC (1)
#endif

#endif /* PSA_FRAMEWORK_FEATURE_H */
