/*
 * fixture_desc.c - the constant system the core tests, the benchmarks and the fuzz targets boot:
 * five partitions (IPC, SFN, an App-RoT client, an FF-M 1.0 partition, wide versions), their
 * services and IRQs, written by hand as the manifest tool would produce them. No CMocka here,
 * so the fuzzers can link it too; the test helpers are in fixture.c.
 */
#include "core/fixture.h"

#define SVC(nm, sid_, ver, pol, ns, cb, mm, idx, sig, part, sfn)                                 \
    {                                                                                            \
        .name = nm, .sid = sid_, .version = ver, .version_policy = pol,                         \
        .non_secure_clients = ns, .connection_based = cb, .mm_iovec = mm,                       \
        .stateless_index = idx,                                                                  \
        .stateless_handle = (idx) >= 0 ? (psa_handle_t)(0x40000000u | (((ver) & 0xFFu) << 8) | \
                                                        (uint32_t)(idx))                         \
                                       : 0,                                                      \
        .signal = sig, .partition = part, .sfn_name = sfn                                        \
    }

static const struct ffm_service_desc services[FX_N_SERVICES] = {
    SVC("CB_SVC", FX_SID_CB, 2, FFM_POLICY_STRICT, true, true, false, -1, FX_SIG_CB, 0, NULL),
    SVC("CB_RELAXED", FX_SID_CB_RELAXED, 3, FFM_POLICY_RELAXED, true, true, false, -1,
        FX_SIG_CB_RELAXED, 0, NULL),
    SVC("CB_S_ONLY", FX_SID_CB_S_ONLY, 1, FFM_POLICY_STRICT, false, true, false, -1,
        FX_SIG_CB_S_ONLY, 0, NULL),
    SVC("SL_SVC", FX_SID_SL, 1, FFM_POLICY_STRICT, true, false, false, 0, FX_SIG_SL, 0, NULL),
    SVC("SL_RELAXED", FX_SID_SL_RELAXED, 3, FFM_POLICY_RELAXED, true, false, false, 1,
        FX_SIG_SL_RELAXED, 0, NULL),
    SVC("SL_S_ONLY", FX_SID_SL_S_ONLY, 1, FFM_POLICY_STRICT, false, false, false, 2,
        FX_SIG_SL_S_ONLY, 0, NULL),
    SVC("SL_MM", FX_SID_SL_MM, 1, FFM_POLICY_STRICT, true, false, true, 3, FX_SIG_SL_MM, 0, NULL),
    SVC("CB_MM", FX_SID_CB_MM, 1, FFM_POLICY_STRICT, true, true, true, -1, FX_SIG_CB_MM, 0, NULL),
    SVC("SFN_SL", FX_SID_SFN_SL, 1, FFM_POLICY_STRICT, true, false, false, 4, 0x10u, 1,
        "sfn_sl_sfn"),
    SVC("SFN_CB", FX_SID_SFN_CB, 1, FFM_POLICY_STRICT, true, true, false, -1, 0x20u, 1,
        "sfn_cb_sfn"),
    SVC("CLIENT_SVC", 0x3000u, 1, FFM_POLICY_STRICT, false, true, false, -1, 0x10u, 2, NULL),
    SVC("LEGACY_SVC", 0x4000u, 1, FFM_POLICY_STRICT, true, true, false, -1, 0x10u, 3, NULL),
    SVC("WIDE_STRICT", 0x5000u, 0x1ff, FFM_POLICY_STRICT, true, false, false, 5, 0x10u, 4,
        "wide_strict_sfn"),
    SVC("WIDE_RELAXED", 0x5001u, 0x1ff, FFM_POLICY_RELAXED, true, false, false, 6, 0x20u, 4,
        "wide_relaxed_sfn"),
};

static const struct ffm_irq_desc irqs[FX_N_IRQS] = {
    { .name = "SLIH_IRQ", .source = "1", .signal = FX_SIG_SLIH, .handling = FFM_IRQ_SLIH,
      .partition = 0 },
    { .name = "FLIH_IRQ", .source = "2", .signal = FX_SIG_FLIH, .handling = FFM_IRQ_FLIH,
      .flih_name = "flih_irq_flih", .partition = 0 },
    { .name = "LEGACY_IRQ", .source = "3", .signal = 0x80000000u, .handling = FFM_IRQ_SLIH,
      .partition = 3 },
};

static const uint16_t ipc_deps[] = { FX_S_SFN_SL, FX_S_SFN_CB };
static const uint16_t client_deps[] = { FX_S_CB,    FX_S_CB_S_ONLY, FX_S_SL,     FX_S_SL_S_ONLY,
                                        FX_S_SL_MM, FX_S_CB_MM,     FX_S_SFN_SL, FX_S_SFN_CB };

static const struct ffm_partition_desc partitions[FX_N_PARTITIONS] = {
    { .name = "IPC_SP", .pid = FX_PID_IPC, .ff_version = FFM_FF_VERSION_1_1, .type = FFM_PSA_ROT,
      .model = FFM_MODEL_IPC, .entry = "ipc_sp_main", .first_service = 0, .n_services = 8,
      .first_irq = 0, .n_irqs = 2, .deps = ipc_deps, .n_deps = 2 },
    { .name = "SFN_SP", .pid = FX_PID_SFN, .ff_version = FFM_FF_VERSION_1_1, .type = FFM_PSA_ROT,
      .model = FFM_MODEL_SFN, .first_service = 8, .n_services = 2, .first_irq = 2, .n_irqs = 0 },
    { .name = "CLIENT_SP", .pid = FX_PID_CLIENT, .ff_version = FFM_FF_VERSION_1_1,
      .type = FFM_APPLICATION_ROT, .model = FFM_MODEL_IPC, .entry = "client_main",
      .first_service = 10, .n_services = 1, .first_irq = 2, .n_irqs = 0, .deps = client_deps,
      .n_deps = 8 },
    { .name = "LEGACY_SP", .pid = FX_PID_LEGACY, .ff_version = FFM_FF_VERSION_1_0,
      .type = FFM_PSA_ROT, .model = FFM_MODEL_IPC, .entry = "legacy_main", .first_service = 11,
      .n_services = 1, .first_irq = 2, .n_irqs = 1 },
    { .name = "WIDE_SP", .pid = 260, .ff_version = FFM_FF_VERSION_1_1, .type = FFM_PSA_ROT,
      .model = FFM_MODEL_SFN, .first_service = 12, .n_services = 2, .first_irq = 3,
      .n_irqs = 0 },
};

const struct ffm_system_desc fx_desc = {
    .partitions = partitions,
    .n_partitions = FX_N_PARTITIONS,
    .services = services,
    .n_services = FX_N_SERVICES,
    .irqs = irqs,
    .n_irqs = FX_N_IRQS,
    .stateless_slot = { 3, 4, 5, 6, 8, 12, 13, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1 },
};
