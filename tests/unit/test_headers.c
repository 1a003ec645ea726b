/*
 * test_headers.c - the values, types and layouts of the standard PSA headers (ffm-rules.md §2).
 * The prototypes themselves are checked at compile time by tests/headers/std_prototypes.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <psa/client.h>
#include <psa/service.h>
#include <psa/lifecycle.h>

#define SAME_TYPE(a, b) _Generic((a), b: 1, default: 0)

static void test_types(void **state)
{
    (void)state;
    psa_status_t status = 0;
    psa_handle_t handle = 0;
    psa_signal_t signal = 0;
    psa_irq_status_t irq = 0;
    psa_flih_result_t flih = 0;
    assert_true(SAME_TYPE(status, int32_t));
    assert_true(SAME_TYPE(handle, int32_t));
    assert_true(SAME_TYPE(signal, uint32_t));
    assert_true(SAME_TYPE(irq, uint32_t));
    assert_true(SAME_TYPE(flih, uint32_t));
    assert_int_equal(sizeof(psa_invec), 2 * sizeof(void *));
    assert_int_equal(offsetof(psa_outvec, len), sizeof(void *));
}

static void test_client_constants(void **state)
{
    (void)state;
    assert_int_equal(PSA_FRAMEWORK_VERSION, 0x0101u);
    assert_int_equal(PSA_VERSION_NONE, 0u);
    assert_int_equal(PSA_NULL_HANDLE, 0);
    assert_true(PSA_HANDLE_IS_VALID(1));
    assert_false(PSA_HANDLE_IS_VALID(0));
    assert_false(PSA_HANDLE_IS_VALID(-130));
    assert_int_equal(PSA_HANDLE_TO_ERROR(-130), PSA_ERROR_CONNECTION_REFUSED);
    assert_int_equal(PSA_MAX_IOVEC, 4u);
    assert_int_equal(PSA_IPC_CALL, 0);
    assert_int_equal(PSA_CALL_TYPE_MIN, 0);
    assert_int_equal(PSA_CALL_TYPE_MAX, INT16_MAX);
    psa_outvec five[5];
    assert_int_equal(IOVEC_LEN(five), 5); /* TF-M compatibility */
    assert_int_equal(sizeof(IOVEC_LEN(five)), sizeof(uint32_t));
}

static void test_service_constants(void **state)
{
    (void)state;
    assert_int_equal(PSA_POLL, 0x00000000u);
    assert_int_equal(PSA_BLOCK, 0x80000000u);
    assert_int_equal(PSA_WAIT_ANY, 0xFFFFFFFFu);
    assert_int_equal(PSA_DOORBELL, 0x00000008u);
    assert_int_equal(PSA_IPC_CONNECT, -1);
    assert_int_equal(PSA_IPC_DISCONNECT, -2);
    assert_int_equal(PSA_FLIH_NO_SIGNAL, 0);
    assert_int_equal(PSA_FLIH_SIGNAL, 1);
    assert_int_equal(PSA_FRAMEWORK_HAS_MM_IOVEC, 1);
    assert_int_equal(PSA_FRAMEWORK_ISOLATION_LEVEL, 1);
}

static void test_error_codes(void **state)
{
    (void)state;
    const struct { psa_status_t value; int32_t expected; } codes[] = {
        { PSA_SUCCESS, 0 },
        { PSA_ERROR_PROGRAMMER_ERROR, -129 }, { PSA_ERROR_CONNECTION_REFUSED, -130 },
        { PSA_ERROR_CONNECTION_BUSY, -131 }, { PSA_ERROR_GENERIC_ERROR, -132 },
        { PSA_ERROR_NOT_PERMITTED, -133 }, { PSA_ERROR_NOT_SUPPORTED, -134 },
        { PSA_ERROR_INVALID_ARGUMENT, -135 }, { PSA_ERROR_INVALID_HANDLE, -136 },
        { PSA_ERROR_BAD_STATE, -137 }, { PSA_ERROR_BUFFER_TOO_SMALL, -138 },
        { PSA_ERROR_ALREADY_EXISTS, -139 }, { PSA_ERROR_DOES_NOT_EXIST, -140 },
        { PSA_ERROR_INSUFFICIENT_MEMORY, -141 }, { PSA_ERROR_INSUFFICIENT_STORAGE, -142 },
        { PSA_ERROR_INSUFFICIENT_DATA, -143 }, { PSA_ERROR_SERVICE_FAILURE, -144 },
        { PSA_ERROR_COMMUNICATION_FAILURE, -145 }, { PSA_ERROR_STORAGE_FAILURE, -146 },
        { PSA_ERROR_HARDWARE_FAILURE, -147 }, { PSA_ERROR_INVALID_SIGNATURE, -149 },
        { PSA_ERROR_CORRUPTION_DETECTED, -151 }, { PSA_ERROR_DATA_CORRUPT, -152 },
        { PSA_ERROR_DATA_INVALID, -153 }, { PSA_OPERATION_INCOMPLETE, -248 },
    };
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        assert_int_equal(codes[i].value, codes[i].expected);
    }
}

static void test_lifecycle_constants(void **state)
{
    (void)state;
    assert_int_equal(PSA_LIFECYCLE_PSA_STATE_MASK, 0xff00u);
    assert_int_equal(PSA_LIFECYCLE_IMP_STATE_MASK, 0x00ffu);
    assert_int_equal(PSA_LIFECYCLE_UNKNOWN, 0x0000u);
    assert_int_equal(PSA_LIFECYCLE_ASSEMBLY_AND_TEST, 0x1000u);
    assert_int_equal(PSA_LIFECYCLE_PSA_ROT_PROVISIONING, 0x2000u);
    assert_int_equal(PSA_LIFECYCLE_SECURED, 0x3000u);
    assert_int_equal(PSA_LIFECYCLE_NON_PSA_ROT_DEBUG, 0x4000u);
    assert_int_equal(PSA_LIFECYCLE_RECOVERABLE_PSA_ROT_DEBUG, 0x5000u);
    assert_int_equal(PSA_LIFECYCLE_DECOMMISSIONED, 0x6000u);
}

/* ffm-rules.md §2: psa_msg_t field order and offsets (ILP32 / LP64). */
static void test_msg_layout(void **state)
{
    (void)state;
    const int lp64 = sizeof(void *) == 8;
    assert_int_equal(offsetof(psa_msg_t, type), 0);
    assert_int_equal(offsetof(psa_msg_t, handle), 4);
    assert_int_equal(offsetof(psa_msg_t, client_id), 8);
    assert_int_equal(offsetof(psa_msg_t, rhandle), lp64 ? 16 : 12);
    assert_int_equal(offsetof(psa_msg_t, in_size), lp64 ? 24 : 16);
    assert_int_equal(offsetof(psa_msg_t, out_size), lp64 ? 56 : 32);
    assert_int_equal(sizeof(psa_msg_t), lp64 ? 88 : 48);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_types),
        cmocka_unit_test(test_client_constants),
        cmocka_unit_test(test_service_constants),
        cmocka_unit_test(test_error_codes),
        cmocka_unit_test(test_lifecycle_constants),
        cmocka_unit_test(test_msg_layout),
    };
    return cmocka_run_group_tests_name("headers", tests, NULL, NULL);
}
