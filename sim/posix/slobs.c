/*
 * slobs.c - the stateless-readiness observer (slobs.h): turns the core's trace records and the
 * gateway's API entries into per-service evidence for or against a stateless service.
 */
#include "slobs.h"

#include <string.h>

#include "psa/service.h"

void ffm_slobs_init(struct ffm_slobs *o, uint16_t n_services)
{
    memset(o, 0, sizeof(*o));
    o->n_services = n_services < FFM_SLOBS_MAX_SERVICES ? n_services
                                                         : (uint16_t)FFM_SLOBS_MAX_SERVICES;
}

/* A new boot forgets what the previous one was doing: its connections died with it. */
static void enter_boot(struct ffm_slobs *o, uint32_t boot)
{
    if (boot == o->last_boot) {
        return;
    }
    o->last_boot = boot;
    o->boots++;
    o->n_open = 0;
    memset(o->current, 0, sizeof(o->current));
}

static struct ffm_slobs_open *find_open(struct ffm_slobs *o, uint32_t handle)
{
    for (uint32_t i = 0; i < o->n_open; i++) {
        if (o->open[i].handle == handle) {
            return &o->open[i];
        }
    }
    return NULL;
}

static void connection_opened(struct ffm_slobs *o, uint32_t boot, uint16_t service,
                              uint32_t handle)
{
    struct ffm_slobs_service *s = &o->service[service];

    s->connections++;
    if (o->n_conns == FFM_SLOBS_MAX_CONNS || o->n_open == FFM_SLOBS_MAX_OPEN) {
        s->conns_not_kept++;
        return;
    }
    o->conns[o->n_conns] = (struct ffm_slobs_conn){ .boot = boot, .handle = handle,
                                                    .service = service };
    o->open[o->n_open++] = (struct ffm_slobs_open){ .handle = handle, .conn = o->n_conns++ };
}

static void connection_closed(struct ffm_slobs *o, uint32_t handle)
{
    struct ffm_slobs_open *op = find_open(o, handle);

    if (op != NULL) {
        *op = o->open[--o->n_open];
    }
}

static void message_queued(struct ffm_slobs *o, const struct ffm_trace_rec *rec)
{
    struct ffm_slobs_service *s = &o->service[rec->service];

    if (rec->type < 0) {
        return; /* CONNECT and DISCONNECT are counted when replied */
    }
    if (rec->type < 32) {
        s->types_seen |= 1u << rec->type;
    } else {
        s->other_types = true;
    }
    if (rec->connection == 0) {
        s->stateless_calls++;
        return;
    }
    s->calls++;
    struct ffm_slobs_open *op = find_open(o, (uint32_t)rec->connection);
    if (op != NULL) {
        o->conns[op->conn].calls++;
    }
}

static void message_fetched(struct ffm_slobs *o, const struct ffm_trace_rec *rec)
{
    struct ffm_slobs_service *s = &o->service[rec->service];

    if (rec->partition < FFM_SLOBS_MAX_PARTITIONS) {
        o->current[rec->partition] = (struct ffm_slobs_current){
            .active = true, .service = rec->service, .type = rec->type,
            .msg_handle = (uint32_t)rec->handle };
    }
    if (rec->rhandle != NULL) {
        s->rhandle_msgs++;
        if (rec->type >= 0) {
            s->rhandle_calls++;
        }
    }
}

static void message_replied(struct ffm_slobs *o, const struct ffm_trace_rec *rec)
{
    struct ffm_slobs_service *s = &o->service[rec->service];

    if (rec->partition < FFM_SLOBS_MAX_PARTITIONS &&
        o->current[rec->partition].msg_handle == (uint32_t)rec->handle) {
        o->current[rec->partition].active = false;
    }
    if (rec->type == PSA_IPC_CONNECT && rec->status != PSA_SUCCESS) {
        if (s->refused++ == 0) {
            s->first_refusal = rec->status;
        }
    }
}

void ffm_slobs_record(struct ffm_slobs *o, uint32_t boot, const struct ffm_trace_rec *rec)
{
    if (o == NULL) {
        return;
    }
    enter_boot(o, boot);
    if (rec->kind == FFM_TRACE_PARTITION_FAULTED && rec->partition < FFM_SLOBS_MAX_PARTITIONS) {
        o->current[rec->partition].active = false; /* PANIC-05: its messages were refused */
        return;
    }
    if (rec->service >= o->n_services) {
        return;
    }
    switch (rec->kind) {
    case FFM_TRACE_CONN_OPENED:
        connection_opened(o, boot, rec->service, (uint32_t)rec->connection);
        break;
    case FFM_TRACE_CONN_CLOSED:
        connection_closed(o, (uint32_t)rec->connection);
        break;
    case FFM_TRACE_MSG_QUEUED:
        message_queued(o, rec);
        break;
    case FFM_TRACE_MSG_FETCHED:
        message_fetched(o, rec);
        break;
    case FFM_TRACE_MSG_REPLIED:
        message_replied(o, rec);
        break;
    default:
        break;
    }
}

static void note_work(uint32_t *count, char *api_out, const char *api)
{
    if ((*count)++ == 0) {
        strncpy(api_out, api, FFM_SLOBS_API_MAX - 1);
        api_out[FFM_SLOBS_API_MAX - 1] = '\0';
    }
}

void ffm_slobs_api(struct ffm_slobs *o, uint32_t boot, uint16_t partition, const char *api)
{
    if (o == NULL || partition >= FFM_SLOBS_MAX_PARTITIONS) {
        return;
    }
    enter_boot(o, boot);
    const struct ffm_slobs_current *cur = &o->current[partition];
    if (!cur->active || cur->service >= o->n_services) {
        return;
    }
    struct ffm_slobs_service *s = &o->service[cur->service];
    if (strcmp(api, "psa_set_rhandle") == 0) {
        s->set_rhandle++;
    }
    if (strcmp(api, "psa_reply") == 0) {
        return;
    }
    if (cur->type == PSA_IPC_CONNECT) {
        note_work(&s->connect_work, s->connect_work_api, api);
    } else if (cur->type == PSA_IPC_DISCONNECT) {
        note_work(&s->disconnect_work, s->disconnect_work_api, api);
    }
}

size_t ffm_slobs_calls_per_conn(const struct ffm_slobs *o, uint16_t service, uint32_t *out,
                                size_t max)
{
    size_t n = 0;

    for (uint32_t i = 0; i < o->n_conns; i++) {
        if (o->conns[i].service == service) {
            if (n < max) {
                out[n] = o->conns[i].calls;
            }
            n++;
        }
    }
    return n;
}
