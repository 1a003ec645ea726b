/*
 * fixture.h - the hand-built system the core's unit tests run (no manifest library needed):
 *
 *   P0 IPC_SP   (pid 256, IPC, FF-M 1.1, PSA-RoT)  CB_SVC v2 STRICT, CB_RELAXED v3, CB_S_ONLY
 *               (no NS), SL_SVC v1 STRICT (index 0), SL_RELAXED v3 (index 1), SL_S_ONLY (index
 *               2), SL_MM (mm_iovec, index 3), CB_MM (mm_iovec); IRQs SLIH_IRQ, FLIH_IRQ;
 *               depends on SFN_SL, SFN_CB.
 *   P1 SFN_SP   (pid 257, SFN, FF-M 1.1)  SFN_SL (index 4), SFN_CB.
 *   P2 CLIENT_SP (pid 258, IPC, APP-RoT)  CLIENT_SVC; depends on CB_SVC, CB_S_ONLY, SL_SVC,
 *               SL_S_ONLY, SL_MM, CB_MM, SFN_SL, SFN_CB (not CB_RELAXED nor SL_RELAXED).
 *   P3 LEGACY_SP (pid 259, IPC, FF-M 1.0)  LEGACY_SVC; IRQ LEGACY_IRQ (starts enabled).
 *   P4 WIDE_SP  (pid 260, SFN)  WIDE_STRICT and WIDE_RELAXED, both version 0x1ff (HDL-07),
 *               indices 5 and 6.
 *
 * Plus helpers that drive a partition step by step and check events and invariants.
 */
#ifndef TESTS_CORE_FIXTURE_H
#define TESTS_CORE_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "syncport.h"

enum { FX_P_IPC = 0, FX_P_SFN = 1, FX_P_CLIENT = 2, FX_P_LEGACY = 3, FX_P_WIDE = 4,
       FX_N_PARTITIONS = 5 };
enum {
    FX_S_CB = 0,
    FX_S_CB_RELAXED,
    FX_S_CB_S_ONLY,
    FX_S_SL,
    FX_S_SL_RELAXED,
    FX_S_SL_S_ONLY,
    FX_S_SL_MM,
    FX_S_CB_MM,
    FX_S_SFN_SL,
    FX_S_SFN_CB,
    FX_S_CLIENT,
    FX_S_LEGACY,
    FX_S_WIDE_STRICT,
    FX_S_WIDE_RELAXED,
    FX_N_SERVICES
};
enum { FX_IRQ_SLIH = 0, FX_IRQ_FLIH = 1, FX_IRQ_LEGACY = 2, FX_N_IRQS = 3 };

#define FX_PID_IPC (256)
#define FX_PID_SFN (257)
#define FX_PID_CLIENT (258)
#define FX_PID_LEGACY (259)

#define FX_SID_CB (0x1000u)
#define FX_SID_CB_RELAXED (0x1001u)
#define FX_SID_CB_S_ONLY (0x1002u)
#define FX_SID_SL (0x1003u)
#define FX_SID_SL_RELAXED (0x1004u)
#define FX_SID_SL_S_ONLY (0x1005u)
#define FX_SID_SL_MM (0x1006u)
#define FX_SID_CB_MM (0x1007u)
#define FX_SID_SFN_SL (0x2000u)
#define FX_SID_SFN_CB (0x2001u)
#define FX_SID_UNKNOWN (0x9999u)

/* HDL-02 encodings of the stateless services. */
#define FX_H_SL ((psa_handle_t)0x40000100)
#define FX_H_SL_RELAXED ((psa_handle_t)0x40000301)
#define FX_H_SL_S_ONLY ((psa_handle_t)0x40000102)
#define FX_H_SL_MM ((psa_handle_t)0x40000103)
#define FX_H_SFN_SL ((psa_handle_t)0x40000104)
#define FX_H_WIDE_STRICT ((psa_handle_t)0x4000ff05)
#define FX_H_WIDE_RELAXED ((psa_handle_t)0x4000ff06)

/* IPC signals of P0 (SIG-02, SIG-03). */
#define FX_SIG_CB (0x10u)
#define FX_SIG_CB_RELAXED (0x20u)
#define FX_SIG_CB_S_ONLY (0x40u)
#define FX_SIG_SL (0x80u)
#define FX_SIG_SL_RELAXED (0x100u)
#define FX_SIG_SL_S_ONLY (0x200u)
#define FX_SIG_SL_MM (0x400u)
#define FX_SIG_CB_MM (0x800u)
#define FX_SIG_SLIH (0x80000000u)
#define FX_SIG_FLIH (0x40000000u)

extern const struct ffm_system_desc fx_desc;

/* A harness booted on fx_desc with `profile` (and the SFN functions of P1 registered). */
struct ffm_sync *fx_boot(enum ffm_profile profile);
/* Reboot the same harness with a config. */
int fx_reboot(struct ffm_sync *h, const struct ffm_spm_config *config);

/* CMocka setup/teardown: *state is the harness. */
int fx_setup(void **state);
int fx_setup_tfm(void **state);
int fx_teardown(void **state);

/* P1's SFN functions: SFN_SL echoes in_vec[0] to out_vec[0] and returns type + 1000;
 * SFN_CB accepts CONNECT/DISCONNECT and returns the type for requests. */
psa_status_t fx_sfn_sl(const psa_msg_t *msg);
psa_status_t fx_sfn_cb(const psa_msg_t *msg);

/* An IPC handler for P0 built on the psa_* symbols: accepts connects, echoes in_vec[0] into
 * out_vec[0] and replies `type` to requests (grouping: type selects the operation). */
void fx_echo_handler(void);

/* Step-by-step driving of a partition (asserting that nothing panics). */
psa_signal_t fx_poll(struct ffm_sync *h, uint16_t partition);
psa_msg_t fx_get(struct ffm_sync *h, uint16_t partition, psa_signal_t signal);
void fx_reply(struct ffm_sync *h, uint16_t partition, psa_handle_t msg_handle,
              psa_status_t status);

/* Open a CB connection from `caller`, served by hand by P0 (returns the handle). */
psa_handle_t fx_connect_by_hand(struct ffm_sync *h, const struct ffm_caller *caller,
                                uint32_t sid, uint32_t version, psa_signal_t signal);

/* The last event is exactly this one, and it is the n-th since boot. */
void fx_expect_event(const struct ffm_sync *h, unsigned n, enum ffm_rule rule, enum ffm_api api,
                     const struct ffm_caller *caller, enum ffm_disposition disposition);
/* Nothing is left: pool full, no message in flight, no blocked call, no signal asserted on
 * service bits (SIG-06). */
void fx_expect_quiescent(const struct ffm_sync *h);

#endif /* TESTS_CORE_FIXTURE_H */
