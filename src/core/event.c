/*
 * event.c - PROGRAMMER ERROR events and their dispositions (ffm-rules.md §5.0, GEN-01..07,
 * profile differences of §5.5), and the small result constructors every API uses.
 *
 * The event is delivered to the port before the disposition is returned (GEN-06): the port
 * sees the event, then the FFM_NEXT_* telling it what to do with the caller.
 */
#include "core_internal.h"

static const char *const api_names[FFM_API_COUNT] = {
    [FFM_API_FRAMEWORK_VERSION] = "psa_framework_version",
    [FFM_API_VERSION] = "psa_version",
    [FFM_API_CONNECT] = "psa_connect",
    [FFM_API_CALL] = "psa_call",
    [FFM_API_CLOSE] = "psa_close",
    [FFM_API_WAIT] = "psa_wait",
    [FFM_API_GET] = "psa_get",
    [FFM_API_SET_RHANDLE] = "psa_set_rhandle",
    [FFM_API_READ] = "psa_read",
    [FFM_API_SKIP] = "psa_skip",
    [FFM_API_WRITE] = "psa_write",
    [FFM_API_REPLY] = "psa_reply",
    [FFM_API_NOTIFY] = "psa_notify",
    [FFM_API_CLEAR] = "psa_clear",
    [FFM_API_EOI] = "psa_eoi",
    [FFM_API_IRQ_ENABLE] = "psa_irq_enable",
    [FFM_API_IRQ_DISABLE] = "psa_irq_disable",
    [FFM_API_RESET_SIGNAL] = "psa_reset_signal",
    [FFM_API_PANIC] = "psa_panic",
    [FFM_API_ROT_LIFECYCLE_STATE] = "psa_rot_lifecycle_state",
    [FFM_API_MAP_INVEC] = "psa_map_invec",
    [FFM_API_UNMAP_INVEC] = "psa_unmap_invec",
    [FFM_API_MAP_OUTVEC] = "psa_map_outvec",
    [FFM_API_UNMAP_OUTVEC] = "psa_unmap_outvec",
    [FFM_API_SFN_RETURN] = "<service>_sfn return",
    [FFM_API_ENTRY_RETURN] = "entry point return",
    [FFM_API_FLIH_RETURN] = "<irq>_flih return",
};

const char *ffm_api_name(enum ffm_api api)
{
    if ((unsigned)api >= (unsigned)FFM_API_COUNT) {
        return "?";
    }
    return api_names[api];
}

const char *ffm_disposition_name(enum ffm_disposition disposition)
{
    switch (disposition) {
    case FFM_DISP_RETURN_STATUS:
        return "return-status";
    case FFM_DISP_RETURN_VOID:
        return "return";
    case FFM_DISP_PANIC:
        return "panic";
    }
    return "?";
}

struct ffm_ret ffm_ret_value(int64_t value)
{
    return (struct ffm_ret){ .next = FFM_NEXT_RETURN, .value = value, .ptr = NULL };
}

struct ffm_ret ffm_ret_block(void)
{
    return (struct ffm_ret){ .next = FFM_NEXT_BLOCK, .value = 0, .ptr = NULL };
}

struct ffm_ret ffm_ret_panic(void)
{
    return (struct ffm_ret){ .next = FFM_NEXT_PANIC, .value = 0, .ptr = NULL };
}

/* ffm-rule: GEN-05, GEN-06 */
void ffm_event_vemit(struct ffm_spm *spm, const struct ffm_caller *caller, enum ffm_api api,
                     enum ffm_rule rule, enum ffm_disposition disposition, int32_t status,
                     const struct ffm_args *args, const char *fmt, va_list ap)
{
    struct ffm_event ev = {
        .seq = ++spm->event_seq,
        .boot = spm->config.boot,
        .rule = rule,
        .api = api,
        .disposition = disposition,
        .status = status,
    };

    ev.caller.secure = caller->secure;
    ev.caller.id = caller->client_id;
    ev.caller.name = ffm_caller_name(spm, caller);
    ev.caller.partition = caller->secure ? caller->partition : 0u;
    ffm_vfmt(ev.reason, sizeof(ev.reason), fmt, ap);
    if (args != NULL) {
        ev.n_args = args->n;
        for (uint8_t i = 0; i < args->n && i < FFM_EVENT_MAX_ARGS; i++) {
            ev.args[i] = args->v[i];
        }
    }
    ffm_port_event(spm->port_ctx, &ev);
}

void ffm_event_emit(struct ffm_spm *spm, const struct ffm_caller *caller, enum ffm_api api,
                    enum ffm_rule rule, enum ffm_disposition disposition, int32_t status,
                    const struct ffm_args *args, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    ffm_event_vemit(spm, caller, api, rule, disposition, status, args, fmt, ap);
    va_end(ap);
}

/* §5.0 dispositions, with the tfm profile's NS statuses (§5.5 CON-02, CALL-04). */
static enum ffm_disposition disposition_for(const struct ffm_spm *spm,
                                            const struct ffm_caller *caller, enum ffm_api api,
                                            enum ffm_rule rule, int32_t *status)
{
    *status = 0;
    if (caller->secure || caller->handler_mode) {
        return FFM_DISP_PANIC;
    }
    switch (api) {
    case FFM_API_CONNECT:
        *status = (ffm_is_tfm(spm) && rule == FFM_RULE_CON_02) ? PSA_ERROR_PROGRAMMER_ERROR
                                                                : PSA_ERROR_CONNECTION_REFUSED;
        return FFM_DISP_RETURN_STATUS;
    case FFM_API_CALL:
        *status = (ffm_is_tfm(spm) && rule == FFM_RULE_CALL_04) ? PSA_ERROR_CONNECTION_REFUSED
                                                                 : PSA_ERROR_PROGRAMMER_ERROR;
        return FFM_DISP_RETURN_STATUS;
    case FFM_API_CLOSE:
        return FFM_DISP_RETURN_VOID;
    default:
        return FFM_DISP_PANIC; /* GEN-03: NS in a partition API; the NS panic policy applies */
    }
}

static struct ffm_ret ret_for(enum ffm_disposition disposition, int32_t status)
{
    if (disposition == FFM_DISP_PANIC) {
        return ffm_ret_panic();
    }
    return ffm_ret_value(status);
}

struct ffm_ret ffm_pe(struct ffm_spm *spm, const struct ffm_caller *caller, enum ffm_api api,
                      enum ffm_rule rule, const struct ffm_args *args, const char *fmt, ...)
{
    int32_t status;
    enum ffm_disposition disposition = disposition_for(spm, caller, api, rule, &status);
    va_list ap;

    /* §5.5 tfm: an NS psa_close PE returns silently, without an event. */
    if (ffm_is_tfm(spm) && disposition == FFM_DISP_RETURN_VOID) {
        return ffm_ret_value(0);
    }
    va_start(ap, fmt);
    ffm_event_vemit(spm, caller, api, rule, disposition, status, args, fmt, ap);
    va_end(ap);
    return ret_for(disposition, status);
}

struct ffm_ret ffm_panic_event(struct ffm_spm *spm, const struct ffm_caller *caller,
                               enum ffm_api api, enum ffm_rule rule, const struct ffm_args *args,
                               const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    ffm_event_vemit(spm, caller, api, rule, FFM_DISP_PANIC, 0, args, fmt, ap);
    va_end(ap);
    return ffm_ret_panic();
}

bool ffm_gate_client(struct ffm_spm *spm, const struct ffm_caller *caller, enum ffm_api api,
                     const struct ffm_args *args, struct ffm_ret *ret)
{
    assert(spm->booted);
    if (caller->handler_mode) {
        *ret = ffm_pe(spm, caller, api, FFM_RULE_GEN_01, args,
                      "%s called in handler mode (inside a FLIH)", ffm_api_name(api));
        return true;
    }
    return false;
}

bool ffm_gate_partition(struct ffm_spm *spm, const struct ffm_caller *caller, enum ffm_api api,
                        const struct ffm_args *args, struct ffm_ret *ret)
{
    assert(spm->booted);
    if (!caller->secure) {
        *ret = ffm_pe(spm, caller, api, FFM_RULE_GEN_03, args,
                      "%s is a partition API: NS client %d may not call it", ffm_api_name(api),
                      (int)caller->client_id);
        return true;
    }
    assert(caller->partition < spm->desc->n_partitions);
    return ffm_gate_client(spm, caller, api, args, ret);
}

void ffm_trace_connection(const struct ffm_spm *spm, uint8_t slot, struct ffm_trace_rec *rec)
{
    const struct ffm_slot_state *s = &spm->slot[slot];

    if (s->conn != FFM_CONN_STATELESS) {
        rec->connection = ffm_pool_conn_handle(&spm->pool, slot);
        rec->rhandle = s->rhandle; /* RH-04: a stateless message never carries one */
    }
}

void ffm_trace_lengths(const struct ffm_spm *spm, uint8_t slot, struct ffm_trace_rec *rec)
{
    const struct ffm_msg *msg = &spm->slot[slot].msg;

    rec->in_len = msg->in_len;
    rec->out_len = msg->out_len;
    for (unsigned i = 0; i < msg->in_len && i < PSA_MAX_IOVEC; i++) {
        rec->in_size[i] = msg->in[i].len;
    }
    for (unsigned i = 0; i < msg->out_len && i < PSA_MAX_IOVEC; i++) {
        rec->out_size[i] = msg->out[i].len;
    }
}

/* "[4, 12]" */
static size_t fmt_lengths(char *buf, size_t cap, const size_t *len, unsigned n)
{
    size_t used = ffm_fmt(buf, cap, "[");
    for (unsigned i = 0; i < n; i++) {
        used += ffm_fmt(buf + (used < cap ? used : cap), used < cap ? cap - used : 0u,
                        i == 0 ? "%zu" : ", %zu", len[i]);
    }
    return used + ffm_fmt(buf + (used < cap ? used : cap), used < cap ? cap - used : 0u, "]");
}

size_t ffm_trace_vectors(const struct ffm_trace_rec *rec, char *buf, size_t cap)
{
    size_t used = ffm_fmt(buf, cap, "in ");
    used += fmt_lengths(buf + (used < cap ? used : cap), used < cap ? cap - used : 0u,
                        rec->in_size, rec->in_len);
    used += ffm_fmt(buf + (used < cap ? used : cap), used < cap ? cap - used : 0u, " out ");
    return used + fmt_lengths(buf + (used < cap ? used : cap), used < cap ? cap - used : 0u,
                              rec->out_size, rec->out_len);
}

void ffm_trace(struct ffm_spm *spm, enum ffm_trace_kind kind, uint16_t partition, uint8_t slot)
{
    struct ffm_trace_rec rec = { .kind = kind, .partition = partition };

    if (slot != FFM_SLOT_NONE) {
        const struct ffm_slot_state *s = &spm->slot[slot];
        rec.service = s->service;
        rec.client_id = s->client.caller.client_id;
        rec.handle = s->msg.handle;
        rec.type = s->msg.type;
        ffm_trace_connection(spm, slot, &rec);
        ffm_trace_lengths(spm, slot, &rec);
    }
    ffm_port_trace(spm->port_ctx, &rec);
}
