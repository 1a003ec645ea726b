/*
 * tables.c - lookups in the constant load description: partitions, services, IRQs, signals,
 * authorisation (CON-03, CALL-04, VER-02/03/05) and the version policy (§5.1).
 */
#include "core_internal.h"

/* §5.5 GEN-02 (tfm): NS client IDs are translated into the NS agent's range, -1 -> -0x3C000000. */
#define FFM_TFM_NS_ID_BASE (0x3BFFFFFF)

const struct ffm_partition_desc *ffm_part(const struct ffm_spm *spm, uint16_t partition)
{
    assert(partition < spm->desc->n_partitions);
    return &spm->desc->partitions[partition];
}

const struct ffm_service_desc *ffm_svc(const struct ffm_spm *spm, uint16_t service)
{
    assert(service < spm->desc->n_services);
    return &spm->desc->services[service];
}

const struct ffm_irq_desc *ffm_irq(const struct ffm_spm *spm, uint16_t irq)
{
    assert(irq < spm->desc->n_irqs);
    return &spm->desc->irqs[irq];
}

bool ffm_is_tfm(const struct ffm_spm *spm)
{
    return spm->config.profile == FFM_PROFILE_TFM;
}

bool ffm_part_is_sfn(const struct ffm_spm *spm, uint16_t partition)
{
    return ffm_part(spm, partition)->model == FFM_MODEL_SFN;
}

int ffm_find_sid(const struct ffm_spm *spm, uint32_t sid)
{
    for (uint16_t i = 0; i < spm->desc->n_services; i++) {
        if (spm->desc->services[i].sid == sid) {
            return i;
        }
    }
    return -1;
}

int ffm_find_pid(const struct ffm_spm *spm, int32_t pid)
{
    for (uint16_t i = 0; i < spm->desc->n_partitions; i++) {
        if (spm->desc->partitions[i].pid == pid) {
            return i;
        }
    }
    return -1;
}

static bool in_dependencies(const struct ffm_partition_desc *p, uint16_t service)
{
    for (uint16_t i = 0; i < p->n_deps; i++) {
        if (p->deps[i] == service) {
            return true;
        }
    }
    return false;
}

/* ffm-rule: VER-02, VER-03, VER-05 */
const char *ffm_unauthorised_why(const struct ffm_spm *spm, const struct ffm_caller *caller,
                                 uint16_t service)
{
    const struct ffm_service_desc *svc = ffm_svc(spm, service);

    if (!caller->secure) {
        return svc->non_secure_clients ? NULL : "service is not NS-accessible";
    }
    if (svc->partition == caller->partition) {
        return "service belongs to the caller's own partition";
    }
    if (!in_dependencies(ffm_part(spm, caller->partition), service)) {
        return "service is not in the caller's dependencies";
    }
    return NULL;
}

bool ffm_authorised(const struct ffm_spm *spm, const struct ffm_caller *caller,
                    uint16_t service)
{
    return ffm_unauthorised_why(spm, caller, service) == NULL;
}

bool ffm_version_accepted(const struct ffm_spm *spm, uint16_t service, uint32_t requested)
{
    const struct ffm_service_desc *svc = ffm_svc(spm, service);
    bool relaxed = svc->version_policy == FFM_POLICY_RELAXED;

    if (requested == 0u) {
        return relaxed && ffm_is_tfm(spm); /* §5.5: tfm RELAXED accepts version 0 */
    }
    return relaxed ? requested <= svc->version : requested == svc->version;
}

psa_signal_t ffm_service_signals(const struct ffm_spm *spm, uint16_t partition)
{
    const struct ffm_partition_desc *p = ffm_part(spm, partition);
    psa_signal_t mask = 0u;

    if (p->model == FFM_MODEL_SFN) {
        /* ffm-rule: SIG-05 */
        return 0u; /* SIG-05: no visible service signals */
    }
    for (uint16_t i = 0; i < p->n_services; i++) {
        mask |= ffm_svc(spm, (uint16_t)(p->first_service + i))->signal;
    }
    return mask;
}

psa_signal_t ffm_irq_signals(const struct ffm_spm *spm, uint16_t partition)
{
    const struct ffm_partition_desc *p = ffm_part(spm, partition);
    psa_signal_t mask = 0u;

    for (uint16_t i = 0; i < p->n_irqs; i++) {
        mask |= ffm_irq(spm, (uint16_t)(p->first_irq + i))->signal;
    }
    return mask;
}

int ffm_irq_of_signal(const struct ffm_spm *spm, uint16_t partition, psa_signal_t signal)
{
    const struct ffm_partition_desc *p = ffm_part(spm, partition);

    if (!ffm_single_bit(signal)) {
        return -1;
    }
    for (uint16_t i = 0; i < p->n_irqs; i++) {
        uint16_t irq = (uint16_t)(p->first_irq + i);
        if (ffm_irq(spm, irq)->signal == signal) {
            return irq;
        }
    }
    return -1;
}

/* ffm-rule: GEN-02 */
int32_t ffm_delivered_client_id(const struct ffm_spm *spm, const struct ffm_caller *caller)
{
    if (caller->secure || !ffm_is_tfm(spm) || caller->client_id < INT32_MIN + FFM_TFM_NS_ID_BASE) {
        return caller->client_id;
    }
    return caller->client_id - FFM_TFM_NS_ID_BASE;
}

const char *ffm_caller_name(const struct ffm_spm *spm, const struct ffm_caller *caller)
{
    if (!caller->secure) {
        return "NS";
    }
    return ffm_part(spm, caller->partition)->name;
}

bool ffm_single_bit(uint32_t value)
{
    return value != 0u && (value & (value - 1u)) == 0u;
}
