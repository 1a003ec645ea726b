/*
 * ffmsim/ns.h - more non-secure threads for the NS application (GEN-02).
 *
 * The NS entry (`ns_main`) runs as NS client -1. An NS application that wants several
 * concurrent clients creates more NS threads here, each with its own negative client ID (two
 * threads may share an ID: they then share its connection handles, HDL-13). Like every
 * simulated thread, an NS thread runs only while it holds the simulator's run token: it hands
 * the token over at PSA API calls and in ffm_ns_thread_join / ffm_ns_yield, never in between,
 * so an NS thread must not block on host primitives (mutexes, sleep) while others wait for it.
 *
 * Only an NS thread may create or join NS threads. In ffm-sim these functions are exported by
 * the simulator; an embedding program gets them from the library it links with.
 */
#ifndef FFMSIM_NS_H
#define FFMSIM_NS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ffm_ns_thread *ffm_ns_thread_t;

/*
 * At most this many NS threads exist at once: created with ffm_ns_thread_create and not yet
 * joined (the NS entry thread is not counted). Joining a thread frees its place, so a boot may
 * create any number of threads one after another. One more is refused with
 * FFM_NS_NO_RESOURCES.
 */
#define FFM_NS_MAX_THREADS (32)

/* Results of the functions below. */
#define FFM_NS_OK (0)
#define FFM_NS_BAD_ID (-1)      /* client_id >= 0: registration refused (GEN-02) */
#define FFM_NS_NOT_NS (-2)      /* the caller is not an NS thread */
#define FFM_NS_NO_RESOURCES (-3)/* FFM_NS_MAX_THREADS not joined yet, or the host refused */
#define FFM_NS_BAD_THREAD (-4)  /* join: not a thread's handle, already joined, or the caller */

/* What ffm_ns_thread_join reports for a thread unwound under the `trap` policy (GEN-03). */
#define FFM_NS_THREAD_TRAPPED (-1000)

/*
 * Create an NS thread running fn(arg) as NS client `client_id` (< 0). The new thread is ready
 * at once and runs when the scheduler hands it the token (NS threads: first come, first
 * served). Returns FFM_NS_OK and *thread, or one of the errors above.
 */
int ffm_ns_thread_create(ffm_ns_thread_t *thread, int32_t client_id, int (*fn)(void *arg),
                         void *arg);

/* Wait (handing the token over) until `thread` has ended; *ret gets fn's return value, or
 * FFM_NS_THREAD_TRAPPED. A thread is joined once. */
int ffm_ns_thread_join(ffm_ns_thread_t thread, int *ret);

/* Let the other ready threads of the same rank run first (NS threads never preempt each
 * other otherwise). */
void ffm_ns_yield(void);

/* The calling thread's NS client ID, or 0 when it is not an NS thread. */
int32_t ffm_ns_client_id(void);

#ifdef __cplusplus
}
#endif

#endif /* FFMSIM_NS_H */
