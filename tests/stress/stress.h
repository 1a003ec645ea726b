/*
 * stress.h - the partitions of the stress systems (stress_parts.c), shared by the stress
 * suites: what a request carries and its echo, the service tags, and the counters the services
 * keep (read by the test program after ffm_sim_run has joined every simulated thread).
 */
#ifndef TESTS_STRESS_STRESS_H
#define TESTS_STRESS_STRESS_H

#include <stdint.h>

#include "psa/service.h"

/* in_vec[0] of a request, and out_vec[0] of its reply (client = msg->client_id there). */
struct stress_probe {
    int32_t client;
    uint32_t seq;
    uint32_t tag;
};

enum { STRESS_SFN_SL = 1, STRESS_SFN_CB, STRESS_IPC_SL, STRESS_IPC_CB, STRESS_N_TAGS };

struct stress_counts {
    unsigned requests[STRESS_N_TAGS];
    unsigned connects[STRESS_N_TAGS];
    unsigned disconnects[STRESS_N_TAGS];
};

extern struct stress_counts stress_counts;
/* Set by the test program from the description before a run. */
extern psa_signal_t stress_sig_ipc_sl, stress_sig_ipc_cb, stress_sig_pq;
extern int32_t stress_panic_pid;
extern unsigned stress_panic_fetched;

/* A request's reply status: never 0, so a reply that skipped the service cannot match. */
static inline psa_status_t stress_status(uint32_t seq)
{
    return (psa_status_t)(seq % 1000u) + 1;
}

/* The load system (load_list.yaml). */
psa_status_t sfn_sl_sfn(const psa_msg_t *msg);
psa_status_t sfn_cb_sfn(const psa_msg_t *msg);
void load_ipc_main(void);
/* The panic system (panic_list.yaml). */
psa_status_t go_sfn(const psa_msg_t *msg);
void panic_main(void);



/* ---- stress_util.c: the test programs' side ---- */
struct ffm_manifest_set;
struct ffm_system_desc;
struct ffm_service_desc;

/* Load a manifest list (spec profile); NULL when it does not load. */
struct ffm_manifest_set *stress_load(const char *list);
/* The service called `name` of `desc` (asserts it exists). */
const struct ffm_service_desc *stress_service(const struct ffm_system_desc *desc,
                                              const char *name);
/* Set stress_sig_*, stress_panic_pid from `desc` (the names it does not have stay 0). */
void stress_bind(const struct ffm_system_desc *desc);

#endif /* TESTS_STRESS_STRESS_H */
