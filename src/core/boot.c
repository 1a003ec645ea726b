/*
 * boot.c - boot and reset of an SPM instance (RESET-01, HDL-10, HDL-22, IRQEN-03, LC-03) and
 * the read-only accessors ports and tests use to observe it.
 */
#include "core_internal.h"

static const uint32_t lifecycle_states[] = {
    PSA_LIFECYCLE_UNKNOWN,
    PSA_LIFECYCLE_ASSEMBLY_AND_TEST,
    PSA_LIFECYCLE_PSA_ROT_PROVISIONING,
    PSA_LIFECYCLE_SECURED,
    PSA_LIFECYCLE_NON_PSA_ROT_DEBUG,
    PSA_LIFECYCLE_RECOVERABLE_PSA_ROT_DEBUG,
    PSA_LIFECYCLE_DECOMMISSIONED,
};

struct ffm_spm_config ffm_spm_config_default(void)
{
    return (struct ffm_spm_config){
        .profile = FFM_PROFILE_SPEC,
        .max_connections = 0u,
        .lifecycle_state = PSA_LIFECYCLE_SECURED,
        .isolation_level = 1u,
        .boot = 1u,
    };
}

const char *ffm_boot_strerror(int status)
{
    switch (status) {
    case FFM_BOOT_OK:
        return "booted";
    case FFM_BOOT_BAD_LIFECYCLE:
        return "LC-03: lifecycle state byte is not one of the 7 PSA states";
    case FFM_BOOT_BAD_ISOLATION:
        return "isolation level must be 1, 2 or 3";
    case FFM_BOOT_TOO_BIG:
        return "description exceeds the core's compile-time maxima";
    case FFM_BOOT_BAD_DESC:
        return "inconsistent description (index out of range)";
    case FFM_BOOT_BAD_PROFILE:
        return "unknown profile";
    default:
        return "?";
    }
}

/* ffm-rule: LC-03 */
/* LC-03: the PSA state byte (value & 0xff00) must be one of the 7 states. */
static bool lifecycle_valid(uint32_t value)
{
    if (value > 0xFFFFu) {
        return false;
    }
    for (size_t i = 0; i < sizeof(lifecycle_states) / sizeof(lifecycle_states[0]); i++) {
        if ((value & PSA_LIFECYCLE_PSA_STATE_MASK) == lifecycle_states[i]) {
            return true;
        }
    }
    return false;
}

static bool partition_ranges_valid(const struct ffm_system_desc *desc)
{
    for (uint16_t p = 0; p < desc->n_partitions; p++) {
        const struct ffm_partition_desc *pd = &desc->partitions[p];
        if ((uint32_t)pd->first_service + pd->n_services > desc->n_services ||
            (uint32_t)pd->first_irq + pd->n_irqs > desc->n_irqs) {
            return false;
        }
        for (uint16_t d = 0; d < pd->n_deps; d++) {
            if (pd->deps[d] >= desc->n_services) {
                return false;
            }
        }
    }
    for (uint16_t s = 0; s < desc->n_services; s++) {
        if (desc->services[s].partition >= desc->n_partitions) {
            return false;
        }
    }
    for (uint16_t i = 0; i < desc->n_irqs; i++) {
        if (desc->irqs[i].partition >= desc->n_partitions) {
            return false;
        }
    }
    return true;
}

static int validate(const struct ffm_system_desc *desc, const struct ffm_spm_config *config)
{
    if (config->profile != FFM_PROFILE_SPEC && config->profile != FFM_PROFILE_TFM) {
        return FFM_BOOT_BAD_PROFILE;
    }
    if (!lifecycle_valid(config->lifecycle_state)) {
        return FFM_BOOT_BAD_LIFECYCLE;
    }
    if (config->isolation_level < 1u || config->isolation_level > 3u) {
        return FFM_BOOT_BAD_ISOLATION;
    }
    if (desc->n_partitions > FFM_MAX_PARTITIONS || desc->n_services > FFM_MAX_SERVICES ||
        desc->n_irqs > FFM_MAX_IRQS) {
        return FFM_BOOT_TOO_BIG;
    }
    for (unsigned i = 0; i < FFM_SL_SLOTS; i++) {
        if (desc->stateless_slot[i] >= (int)desc->n_services) {
            return FFM_BOOT_BAD_DESC;
        }
    }
    return partition_ranges_valid(desc) ? FFM_BOOT_OK : FFM_BOOT_BAD_DESC;
}

/*
 * ffm-rule: HDL-10
 * HDL-10: 0 means "size from the manifests". Each service can have a connection or a stateless
 * call in flight from each of a few clients; twice the service count, at least the spec's
 * default of 8, is enough for the demo systems and small enough for a Cortex-M33.
 */
static uint16_t pool_size(const struct ffm_system_desc *desc, uint16_t requested)
{
    uint32_t size = requested;

    if (size == 0u) {
        size = 2u * (uint32_t)desc->n_services;
        if (size < FFM_POOL_DEFAULT) {
            size = FFM_POOL_DEFAULT;
        }
    }
    return (uint16_t)(size > FFM_POOL_MAX ? FFM_POOL_MAX : size);
}

static void clear_state(struct ffm_spm *spm)
{
    for (unsigned i = 0; i < FFM_POOL_MAX; i++) {
        spm->slot[i] = (struct ffm_slot_state){ .msg = { .next = FFM_SLOT_NONE } };
    }
    for (unsigned i = 0; i < FFM_MAX_SERVICES; i++) {
        spm->service[i] = (struct ffm_service_state){ FFM_SLOT_NONE, FFM_SLOT_NONE };
    }
    for (unsigned i = 0; i < FFM_MAX_PARTITIONS; i++) {
        spm->partition[i] = (struct ffm_partition_state){ .sfn_current = FFM_SLOT_NONE };
    }
    for (unsigned i = 0; i < FFM_MAX_IRQS; i++) {
        spm->irq[i] = (struct ffm_irq_state){ .enabled = false };
    }
}

/* ffm-rule: IRQEN-03 */
/* IRQEN-03: FF-M 1.1 IRQs start disabled, FF-M 1.0 IRQs enabled. */
static void init_irq_enables(struct ffm_spm *spm)
{
    for (uint16_t i = 0; i < spm->desc->n_irqs; i++) {
        const struct ffm_partition_desc *p = ffm_part(spm, ffm_irq(spm, i)->partition);
        spm->irq[i].enabled = (p->ff_version == FFM_FF_VERSION_1_0);
    }
}

int ffm_spm_boot(struct ffm_spm *spm, const struct ffm_system_desc *desc,
                 const struct ffm_spm_config *config, void *port_ctx)
{
    int status = validate(desc, config);

    spm->booted = false;
    if (status != FFM_BOOT_OK) {
        return status;
    }
    spm->desc = desc;
    spm->port_ctx = port_ctx;
    spm->config = *config;
    spm->config.max_connections = pool_size(desc, config->max_connections);
    spm->event_seq = 0u;
    spm->accept_seq = 0u;
    /* ffm-rule: HDL-22, RESET-01 */
    ffm_pool_init(&spm->pool, spm->config.max_connections); /* HDL-22: counters restart */
    clear_state(spm);
    init_irq_enables(spm);
    spm->booted = true;
    return FFM_BOOT_OK;
}

uint16_t ffm_spm_pool_capacity(const struct ffm_spm *spm)
{
    return spm->pool.capacity;
}

uint16_t ffm_spm_pool_free(const struct ffm_spm *spm)
{
    return ffm_pool_free_count(&spm->pool);
}

uint16_t ffm_spm_messages_in_flight(const struct ffm_spm *spm)
{
    uint16_t n = 0u;

    for (uint16_t i = 0; i < spm->pool.capacity; i++) {
        n = (uint16_t)(n + (spm->slot[i].msg.state != FFM_MSG_NONE ? 1u : 0u));
    }
    return n;
}

psa_signal_t ffm_spm_asserted(const struct ffm_spm *spm, uint16_t partition)
{
    const struct ffm_partition_desc *p = ffm_part(spm, partition);
    psa_signal_t asserted = spm->partition[partition].asserted;

    if (p->model == FFM_MODEL_SFN) {
        return asserted;
    }
    for (uint16_t i = 0; i < p->n_services; i++) {
        uint16_t svc = (uint16_t)(p->first_service + i);
        if (ffm_queue_head(spm, svc) != FFM_SLOT_NONE) {
            /* ffm-rule: SIG-06, SIG-11 */
            asserted |= ffm_svc(spm, svc)->signal; /* SIG-06 */
        }
    }
    return asserted;
}

bool ffm_spm_irq_enabled(const struct ffm_spm *spm, uint16_t irq_index)
{
    return spm->irq[irq_index].enabled;
}

bool ffm_spm_partition_is_faulted(const struct ffm_spm *spm, uint16_t partition)
{
    return spm->partition[partition].faulted;
}

const struct ffm_spm_config *ffm_spm_config(const struct ffm_spm *spm)
{
    return &spm->config;
}

const struct ffm_system_desc *ffm_spm_desc(const struct ffm_spm *spm)
{
    return spm->desc;
}

struct ffm_caller ffm_spm_partition_caller(const struct ffm_spm *spm, uint16_t partition)
{
    return (struct ffm_caller){
        .client_id = ffm_part(spm, partition)->pid,
        .partition = partition,
        .secure = true,
    };
}
