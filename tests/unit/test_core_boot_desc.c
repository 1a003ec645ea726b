/*
 * test_core_boot_desc.c - the core's boundary check of a load description: every index that
 * could make the core read outside its tables is refused at boot (FFM_BOOT_BAD_DESC), every
 * table beyond the compile-time maxima too (FFM_BOOT_TOO_BIG), and a refused boot leaves the
 * instance unbooted. Each case breaks one field of the core tests' system (fx_desc), so the
 * check that refuses it is the only one that can.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/fixture.h"
#include "spm.h"
#include "spm_state.h"

/* One instance for every case: struct ffm_spm is large, and boot needs no port to refuse. */
static struct ffm_spm spm;
static struct ffm_partition_desc parts[FFM_MAX_PARTITIONS];

static int boot_with(const struct ffm_system_desc *desc)
{
    struct ffm_spm_config config = ffm_spm_config_default();

    memset(&spm, 0, sizeof(spm));
    return ffm_spm_boot(&spm, desc, &config, NULL);
}

/* A copy of fx_desc whose partition table can be changed. */
static struct ffm_system_desc editable_desc(void)
{
    struct ffm_system_desc d = fx_desc;

    memcpy(parts, fx_desc.partitions, fx_desc.n_partitions * sizeof(parts[0]));
    d.partitions = parts;
    return d;
}

static void test_boot_desc_unchanged_boots(void **state)
{
    (void)state;
    struct ffm_system_desc d = editable_desc();
    assert_int_equal(boot_with(&d), FFM_BOOT_OK);
    assert_true(spm.booted);
}

/* Each table over its maximum on its own. */
static void test_boot_desc_tables_too_big(void **state)
{
    (void)state;
    struct ffm_system_desc d = editable_desc();
    d.n_services = FFM_MAX_SERVICES + 1;
    assert_int_equal(boot_with(&d), FFM_BOOT_TOO_BIG);
    assert_false(spm.booted);
    d = editable_desc();
    d.n_irqs = FFM_MAX_IRQS + 1;
    assert_int_equal(boot_with(&d), FFM_BOOT_TOO_BIG);
    assert_false(spm.booted);
}

/* A partition's service range, IRQ range or dependency beyond the tables. */
static void test_boot_desc_partition_indices(void **state)
{
    (void)state;
    static const uint16_t bad_dep[] = {0, 0xFFFF};
    struct ffm_system_desc d = editable_desc();
    parts[0].first_service = (uint16_t)(d.n_services - parts[0].n_services + 1u);
    assert_int_equal(boot_with(&d), FFM_BOOT_BAD_DESC);
    d = editable_desc();
    parts[d.n_partitions - 1u].first_irq = d.n_irqs;
    parts[d.n_partitions - 1u].n_irqs = 1;
    assert_int_equal(boot_with(&d), FFM_BOOT_BAD_DESC);
    d = editable_desc();
    parts[0].deps = bad_dep;
    parts[0].n_deps = 2;
    assert_int_equal(boot_with(&d), FFM_BOOT_BAD_DESC);
    assert_false(spm.booted);
}

/* A service or an IRQ owned by a partition that does not exist; a stateless slot naming a
 * service beyond the table. */
static void test_boot_desc_owner_indices(void **state)
{
    (void)state;
    struct ffm_service_desc services[FFM_MAX_SERVICES];
    struct ffm_irq_desc irqs[FFM_MAX_IRQS];
    struct ffm_system_desc d = editable_desc();

    memcpy(services, fx_desc.services, fx_desc.n_services * sizeof(services[0]));
    services[fx_desc.n_services - 1u].partition = fx_desc.n_partitions;
    d.services = services;
    assert_int_equal(boot_with(&d), FFM_BOOT_BAD_DESC);
    d = editable_desc();
    memcpy(irqs, fx_desc.irqs, fx_desc.n_irqs * sizeof(irqs[0]));
    irqs[0].partition = fx_desc.n_partitions;
    d.irqs = irqs;
    assert_int_equal(boot_with(&d), FFM_BOOT_BAD_DESC);
    d = editable_desc();
    d.stateless_slot[31] = (int16_t)d.n_services;
    assert_int_equal(boot_with(&d), FFM_BOOT_BAD_DESC);
    assert_false(spm.booted);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boot_desc_unchanged_boots),
        cmocka_unit_test(test_boot_desc_tables_too_big),
        cmocka_unit_test(test_boot_desc_partition_indices),
        cmocka_unit_test(test_boot_desc_owner_indices),
    };
    return cmocka_run_group_tests_name("core_boot_desc", tests, NULL, NULL);
}
