/*
 * slobs.h - the stateless-readiness observer behind `ffm-sim --stateless-report`: what every
 * service did during a run, as far as the SPM can see it, kept in one fixed-size block.
 *
 * It is fed from the events the trace is written from (the core's trace records through
 * ffm_port_trace, and every PSA API entry through the secure gateway), so the report and the
 * trace of the same run agree by construction. The block holds no pointers: ffm-sim maps it
 * shared before the supervisor forks the first boot, every boot (a child process) adds to it,
 * and the parent reads it once the run has stopped, so the report covers every boot.
 *
 * Concurrency: within a boot, the hooks run on the holder of the simulator's run token, one at
 * a time; across boots, one child runs at a time and the parent reads only after the last one
 * is reaped. A boot killed in the middle of a hook can leave that one update unfinished.
 *
 * What "observable" means here (docs/migrating-to-stateless.md):
 *  - a connection is a CONNECT the service replied PSA_SUCCESS to; a refused connection is a
 *    CONNECT replied with any other status;
 *  - a call is a request message (type >= 0) delivered to the service on a connection;
 *  - work on CONNECT or DISCONNECT is any PSA API call (psa_reply excepted), or any platform
 *    call that acts on the platform (NVMEM, watchdog, IRQ lines, reset: not the log or the
 *    boot count), made by the service's partition between fetching that message and replying;
 *  - rhandle use is a psa_set_rhandle call while handling one of the service's messages, and
 *    a message delivered with a non-NULL rhandle (the SPM clears it at connect, RH-03, so a
 *    non-NULL value was set while handling an earlier message of the same connection).
 * Writes to the partition's own memory (static variables, NVMEM) are not observable.
 */
#ifndef FFM_SIM_SLOBS_H
#define FFM_SIM_SLOBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ffmsim/desc.h"
#include "port.h"

#define FFM_SLOBS_MAX_SERVICES 128u   /* FFM_MAX_SERVICES */
#define FFM_SLOBS_MAX_PARTITIONS 32u  /* FFM_MAX_PARTITIONS */
#define FFM_SLOBS_MAX_CONNS 8192u     /* connections kept with their call counts */
#define FFM_SLOBS_MAX_OPEN 256u       /* open connections of one boot (the pool's bound) */
#define FFM_SLOBS_API_MAX 32u

/* What one service did, summed over every boot. */
struct ffm_slobs_service {
    uint32_t connections;      /* CONNECT replied PSA_SUCCESS */
    uint32_t refused;          /* CONNECT replied with another status */
    int32_t first_refusal;     /* the status of the first refusal */
    uint32_t calls;            /* request messages delivered on connections */
    uint32_t stateless_calls;  /* request messages delivered through a stateless handle */
    uint32_t set_rhandle;      /* psa_set_rhandle while handling one of its messages */
    uint32_t rhandle_msgs;     /* messages delivered with a non-NULL rhandle */
    uint32_t rhandle_calls;    /* ... of which request messages (they depend on earlier ones) */
    uint32_t connect_work;     /* API calls other than psa_reply while handling a CONNECT */
    uint32_t disconnect_work;  /* ... while handling a DISCONNECT */
    char connect_work_api[FFM_SLOBS_API_MAX];    /* the first such call's API */
    char disconnect_work_api[FFM_SLOBS_API_MAX];
    uint32_t conns_not_kept;   /* connections beyond FFM_SLOBS_MAX_CONNS (counted, no calls) */
    uint32_t types_seen;       /* bit t: a request of type t (0..31) was delivered */
    bool other_types;          /* a request of type > 31 was delivered */
};

/* One connection: its service and how many calls it carried. */
struct ffm_slobs_conn {
    uint32_t boot;
    uint32_t handle;
    uint16_t service;
    uint32_t calls;
};

/* The message a partition is handling (fetched, not yet replied). */
struct ffm_slobs_current {
    bool active;
    uint16_t service;
    int32_t type;
    uint32_t msg_handle;
};

/* An open connection of the current boot: index into conns. */
struct ffm_slobs_open {
    uint32_t handle;
    uint32_t conn;
};

struct ffm_slobs {
    uint32_t boots;            /* boots that fed the observer */
    uint32_t last_boot;
    uint16_t n_services;
    struct ffm_slobs_service service[FFM_SLOBS_MAX_SERVICES];
    uint32_t n_conns;
    struct ffm_slobs_conn conns[FFM_SLOBS_MAX_CONNS];
    /* per boot, reset when a new boot starts */
    struct ffm_slobs_current current[FFM_SLOBS_MAX_PARTITIONS];
    uint32_t n_open;
    struct ffm_slobs_open open[FFM_SLOBS_MAX_OPEN];
};

/* An empty observer for a system of n_services services. */
void ffm_slobs_init(struct ffm_slobs *o, uint16_t n_services);

/* A core trace record of boot `boot` (the port calls this from ffm_port_trace). */
void ffm_slobs_record(struct ffm_slobs *o, uint32_t boot, const struct ffm_trace_rec *rec);

/* A PSA API call of boot `boot` entering the SPM, or a platform call acting on the platform:
 * `api` by partition `partition` (the port calls this for secure callers only). */
void ffm_slobs_api(struct ffm_slobs *o, uint32_t boot, uint16_t partition, const char *api);

/* Calls per connection of service `service`, in the order the connections opened: copies at
 * most `max` counts into out and returns how many connections of that service were kept. */
size_t ffm_slobs_calls_per_conn(const struct ffm_slobs *o, uint16_t service, uint32_t *out,
                                size_t max);

#endif /* FFM_SIM_SLOBS_H */
