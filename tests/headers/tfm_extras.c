/*
 * tfm_extras.c - TF-M's header extras, compiled by check-headers.sh in several configurations:
 * IOVEC_LEN from <psa/client.h> (and a definition of one's own kept, as TF-M's guard keeps it),
 * <psa/framework_feature.h> with its documented defaults or values the build defines first,
 * and the MM-IOVEC prototypes present only when PSA_FRAMEWORK_HAS_MM_IOVEC is 1: with
 * CALL_MAP_INVEC and the value 0, this file must fail to compile under the documented
 * -Werror=implicit-function-declaration.
 */
#ifdef OWN_IOVEC_LEN
#define IOVEC_LEN(arr) 42u
#endif

#include <psa/client.h>
#include <psa/framework_feature.h>
#include <psa/service.h>

#ifndef WANT_MM_IOVEC
#define WANT_MM_IOVEC 1
#endif
#ifndef WANT_ISOLATION
#define WANT_ISOLATION 1
#endif

#if PSA_FRAMEWORK_HAS_MM_IOVEC != WANT_MM_IOVEC
#error "PSA_FRAMEWORK_HAS_MM_IOVEC has an unexpected value"
#endif
#if PSA_FRAMEWORK_ISOLATION_LEVEL != WANT_ISOLATION
#error "PSA_FRAMEWORK_ISOLATION_LEVEL has an unexpected value"
#endif

extern const psa_invec three[3];

#ifdef OWN_IOVEC_LEN
typedef char iovec_len_is_own[IOVEC_LEN(three) == 42u ? 1 : -1];
#else
typedef char iovec_len_counts[IOVEC_LEN(three) == 3u ? 1 : -1];
typedef char iovec_len_is_u32[sizeof(IOVEC_LEN(three)) == sizeof(uint32_t) ? 1 : -1];
#endif

int tfm_extras_use(psa_handle_t h);

int tfm_extras_use(psa_handle_t h)
{
#ifdef CALL_MAP_INVEC
    return psa_map_invec(h, 0) != NULL;
#else
    return (int)h + (int)sizeof three[0];
#endif
}
