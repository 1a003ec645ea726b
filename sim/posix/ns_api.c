/*
 * ns_api.c - more NS threads (include/ffmsim/ns.h, GEN-02). Each is a simulated thread with
 * its own negative client ID; creating, joining and yielding are scheduling points. At most
 * FFM_NS_MAX_THREADS exist at once (created, not joined); a joined thread's record is reused.
 */
#include "engine.h"
#include "ffmsim/ns.h"
#include "ffmsim/platform.h"

static struct sim_thread *ns_self(void)
{
    struct sim_thread *self = sim_self();
    return self != NULL && self->kind == SIM_T_NS && sim_flih_partition() < 0 ? self : NULL;
}

int ffm_ns_thread_create(ffm_ns_thread_t *thread, int32_t client_id, int (*fn)(void *arg),
                         void *arg)
{
    struct sim_thread *self = ns_self();
    if (self == NULL) {
        return FFM_NS_NOT_NS;
    }
    if (client_id >= 0) {
        sim_log(self->sim, FFM_LOG_WARN, "%s: ffm_ns_thread_create: client ID %d refused: NS "
                "client IDs are negative (GEN-02)", self->name, (int)client_id);
        return FFM_NS_BAD_ID;
    }
    if (thread == NULL || fn == NULL) {
        return FFM_NS_BAD_THREAD;
    }
    struct sim_thread *t = NULL;
    int rc = sim_ns_thread_create(self, client_id, fn, arg, &t);
    if (rc == FFM_NS_OK) {
        *thread = sim_ns_handle(t);
    }
    return rc;
}

int ffm_ns_thread_join(ffm_ns_thread_t thread, int *ret)
{
    struct sim_thread *self = ns_self();
    if (self == NULL) {
        return FFM_NS_NOT_NS;
    }
    struct sim_thread *t = sim_ns_thread_from_handle(self->sim, thread);
    if (t == NULL || t == self || t->ns_joined || t->joiner != NULL) {
        return FFM_NS_BAD_THREAD;
    }
    if (t->state != SIM_TS_DONE) {
        t->joiner = self;
        while (t->state != SIM_TS_DONE) {
            sim_block(self, SIM_WAIT_JOIN, FFM_API_COUNT);
        }
    }
    if (ret != NULL) {
        *ret = t->ns_ret;
    }
    sim_ns_thread_reap(t);
    return FFM_NS_OK;
}

void ffm_ns_yield(void)
{
    struct sim_thread *self = sim_self();
    if (self != NULL) {
        sim_yield(self);
    }
}

int32_t ffm_ns_client_id(void)
{
    struct sim_thread *self = ns_self();
    return self != NULL ? self->caller.client_id : 0;
}
