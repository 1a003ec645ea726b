/*
 * fuzz_common.h - what the SPM-core fuzz targets (fuzz_client_api.c, fuzz_partition_api.c)
 * share: the core tests' system (fx_desc from tests/core/fixture_desc.c, which needs no
 * CMocka), a fake memory map backed by one real arena, an input reader, the partition code that
 * serves requests, and the event oracle (GEN-05, §5.0).
 *
 * Memory map (one static arena, so every pointer the fuzzer passes is real memory and a range
 * the port accepts can be dereferenced without a false ASan report):
 *
 *   [  0, 256)  NS read-write (unregistered: MEM-04)
 *   [256, 384)  NS read-only
 *   [384, 512)  secure, owned by P0 IPC_SP (PSA-RoT)
 *   [512, 640)  secure, owned by P2 CLIENT_SP (App-RoT)
 *   [640, 768)  secure, SPM
 *   [768,1024)  unmapped guard: a range that starts below it and runs past 768 is refused
 *
 * Pointers are picked below FZ_GUARD, so any length that would leave the arena touches the
 * guard (or wraps, which the core rejects first).
 */
#ifndef FFM_FUZZ_COMMON_H
#define FFM_FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/fixture.h" /* fx_desc: the core tests' system */
#include "syncport.h"

enum { FZ_P_IPC = 0, FZ_P_SFN = 1, FZ_P_CLIENT = 2, FZ_P_LEGACY = 3, FZ_P_WIDE = 4,
       FZ_N_PARTITIONS = 5 };
enum { FZ_IRQ_SLIH = 0, FZ_IRQ_FLIH = 1, FZ_IRQ_LEGACY = 2, FZ_N_IRQS = 3 };
#define FZ_N_SERVICES (14u)

#define FZ_ARENA_SIZE (1024u)
#define FZ_NS (0u)
#define FZ_RO (256u)
#define FZ_SEC_P0 (384u)
#define FZ_SEC_P2 (512u)
#define FZ_SEC_SPM (640u)
#define FZ_GUARD (768u)

/* Requests of this type get PSA_ERROR_PROGRAMMER_ERROR from every service (CALL-23). */
#define FZ_TYPE_BLAME (13)

extern uint8_t fz_arena[FZ_ARENA_SIZE];
/* Static handles of the stateless services (HDL-02), and every SID of the description. */
extern const psa_handle_t fz_static_handles[7];
extern const uint32_t fz_sids[14];

/* The input, consumed front to back; reads past its end give 0. */
struct fz_in {
    const uint8_t *p;
    size_t n;
};
uint8_t fz_u8(struct fz_in *in);
uint16_t fz_u16(struct fz_in *in);
uint32_t fz_u32(struct fz_in *in);

/* Print `what` and abort: the oracle found a violated invariant. */
_Noreturn void fz_fail(const struct ffm_sync *h, const char *what);
#define FZ_REQUIRE(h, cond)                                                                      \
    do {                                                                                         \
        if (!(cond)) {                                                                           \
            fz_fail((h), #cond);                                                                 \
        }                                                                                        \
    } while (0)

/* The status every service replies to a request of `type` (REPLY-08, CALL-28). */
psa_status_t fz_status(int32_t type);

/* IPC handler for any partition: serves every queued message of its service signals. */
void fz_serve_all(void);

/*
 * The harness, created once: SFN code of P1 and P4 and the serving handler of P2 and P3 are
 * registered, and the memory map is added. `serve_p0` registers fz_serve_all for P0 as well (else
 * the test drives P0 itself). Boots with a configuration read from the input (profile,
 * isolation level, pool size) and aborts if the boot fails.
 */
struct ffm_sync *fz_boot(struct fz_in *in, bool serve_p0);

/* Fuzzed values. */
int32_t fz_type(struct fz_in *in);
uint32_t fz_sid(struct fz_in *in);
uint32_t fz_version(struct fz_in *in);
/* A handle: one of `known` (n of them), a static handle, a bit-flipped one, raw, 0. */
psa_handle_t fz_handle(struct fz_in *in, const psa_handle_t *known, unsigned n);
/* A data pointer (NULL, arena regions, guard) and a length (0, small, large, wrapping). */
void *fz_ptr(struct fz_in *in, size_t *len);
/* A pointer aligned for `size` bytes of a struct: a local object, NULL, or the arena. */
void *fz_obj_ptr(struct fz_in *in, void *local, size_t size);

/* psa_call vectors, with their arrays in local storage, the arena, or NULL. */
struct fz_vecs {
    psa_invec in[PSA_MAX_IOVEC];
    psa_outvec out[PSA_MAX_IOVEC];
    const psa_invec *in_arr;
    psa_outvec *out_arr;
    size_t in_len;
    size_t out_len;
};
void fz_vecs(struct fz_in *in, struct fz_vecs *v);

/*
 * The event oracle (GEN-05): every event recorded from index `from` on names a rule the
 * catalogue knows (not "?" nor "NONE"), an API, a caller with a name, a non-empty reason and a
 * §5.0 disposition consistent with its caller and API. Returns the number of events checked.
 */
unsigned fz_check_events(const struct ffm_sync *h, unsigned from);
/* The event at index i (i < FFM_SYNC_MAX_EVENTS). */
const struct ffm_event *fz_event(const struct ffm_sync *h, unsigned i);
/* Drop the recorded events (kept only while checked) so a long input never overflows them. */
void fz_forget_events(struct ffm_sync *h);

/* Nothing is left: pool full, no message in flight, no blocked call, no deadlock. */
void fz_check_quiescent(const struct ffm_sync *h);

#endif /* FFM_FUZZ_COMMON_H */
