/*
 * test_core_mmiovec.c - MM-IOVEC on the synchronous port: psa_map_invec, psa_unmap_invec,
 * psa_map_outvec, psa_unmap_outvec (MAPI-01..09, UNMAPI-01..06, MAPO-01..09, UNMAPO-01..09),
 * their interplay with psa_read / psa_skip / psa_write (READ-04, SKIP-04, WRITE-07) and
 * psa_reply (REPLY-09, UNMAPO-08).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/fixture.h"

static const struct ffm_caller NS = { .client_id = -1, .secure = false };

/* MAPI-09, MAPO-09, UNMAPO-08, UNMAPO-09, REPLY-09, CALL-29: map, use and unmap both ways. */
static void test_map_unmap(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller p0 = ffm_sync_sp(h, FX_P_IPC);
    char in_data[5] = "hello";
    char out_data[8];
    psa_invec in[1] = { { in_data, 5 } };
    psa_outvec out[2] = { { out_data, 8 }, { out_data, 4 } };
    struct ffm_sync_result now;

    int w = ffm_sync_begin_call(h, &NS, FX_H_SL_MM, 0, in, 1, out, 2, &now);
    psa_msg_t m = fx_get(h, FX_P_IPC, FX_SIG_SL_MM);
    struct ffm_ret r = ffm_psa_map_invec(&h->spm, &p0, m.handle, 0);
    assert_int_equal(r.next, FFM_NEXT_RETURN);
    assert_ptr_equal(r.ptr, in_data);
    assert_int_equal(ffm_psa_unmap_invec(&h->spm, &p0, m.handle, 0).next, FFM_NEXT_RETURN);
    r = ffm_psa_map_outvec(&h->spm, &p0, m.handle, 0);
    assert_ptr_equal(r.ptr, out_data);
    memcpy((void *)(uintptr_t)r.ptr, "xyz", 3);
    assert_int_equal(ffm_psa_unmap_outvec(&h->spm, &p0, m.handle, 0, 3).next, FFM_NEXT_RETURN);
    assert_int_equal(ffm_psa_map_outvec(&h->spm, &p0, m.handle, 1).next, FFM_NEXT_RETURN);
    fx_reply(h, FX_P_IPC, m.handle, 9); /* UNMAPO-08: out_vec[1] still mapped */
    assert_int_equal(ffm_sync_poll(h, w).value, 9);
    assert_int_equal(out[0].len, 3);
    assert_int_equal(out[1].len, 0);
    assert_memory_equal(out_data, "xyz", 3);
    assert_int_equal(h->n_events, 0);
    fx_expect_quiescent(h);
}

/* What a case does before the call under test. */
enum prep {
    PREP_NONE = 0,
    PREP_MAP_IN = 1,
    PREP_UNMAP_IN = 2, /* map then unmap */
    PREP_READ = 4,
    PREP_SKIP = 8,
    PREP_MAP_OUT = 16,
    PREP_UNMAP_OUT = 32, /* map then unmap */
    PREP_WRITE = 64,
};

enum op { OP_MAPI, OP_UNMAPI, OP_MAPO, OP_UNMAPO, OP_READ, OP_SKIP, OP_WRITE };

enum target { T_SL_MM, T_SL_PLAIN, T_CB_MM_CONNECT, T_S_CLIENT_PRIVATE, T_S_CLIENT_PRIVATE_OUT };

struct mm_case {
    enum target target;
    unsigned prep;
    enum op op;
    psa_handle_t handle; /* 1: the fetched message's handle */
    uint32_t idx;
    size_t len;
    enum ffm_rule rule;
};

static const enum ffm_api op_api[] = {
    [OP_MAPI] = FFM_API_MAP_INVEC,     [OP_UNMAPI] = FFM_API_UNMAP_INVEC,
    [OP_MAPO] = FFM_API_MAP_OUTVEC,    [OP_UNMAPO] = FFM_API_UNMAP_OUTVEC,
    [OP_READ] = FFM_API_READ,          [OP_SKIP] = FFM_API_SKIP,
    [OP_WRITE] = FFM_API_WRITE,
};

static char in_data[8] = "abcdefg";
static char out_data[8];
static char private_data[8]; /* secure memory of CLIENT_SP, out of P0's reach at level 3 */

static void prepare(struct ffm_sync *h, psa_handle_t mh, unsigned prep)
{
    struct ffm_caller p0 = ffm_sync_sp(h, FX_P_IPC);
    char buf[2];

    if (prep & (PREP_MAP_IN | PREP_UNMAP_IN)) {
        assert_int_equal(ffm_psa_map_invec(&h->spm, &p0, mh, 0).next, FFM_NEXT_RETURN);
    }
    if (prep & PREP_UNMAP_IN) {
        assert_int_equal(ffm_psa_unmap_invec(&h->spm, &p0, mh, 0).next, FFM_NEXT_RETURN);
    }
    if (prep & PREP_READ) {
        assert_int_equal(ffm_psa_read(&h->spm, &p0, mh, 0, buf, 1).value, 1);
    }
    if (prep & PREP_SKIP) {
        assert_int_equal(ffm_psa_skip(&h->spm, &p0, mh, 0, 0).next, FFM_NEXT_RETURN);
    }
    if (prep & (PREP_MAP_OUT | PREP_UNMAP_OUT)) {
        assert_int_equal(ffm_psa_map_outvec(&h->spm, &p0, mh, 0).next, FFM_NEXT_RETURN);
    }
    if (prep & PREP_UNMAP_OUT) {
        assert_int_equal(ffm_psa_unmap_outvec(&h->spm, &p0, mh, 0, 1).next, FFM_NEXT_RETURN);
    }
    if (prep & PREP_WRITE) {
        assert_int_equal(ffm_psa_write(&h->spm, &p0, mh, 0, "q", 1).next, FFM_NEXT_RETURN);
    }
}

static struct ffm_ret run_op(struct ffm_sync *h, const struct mm_case *c, psa_handle_t mh)
{
    struct ffm_caller p0 = ffm_sync_sp(h, FX_P_IPC);
    char buf[4];

    switch (c->op) {
    case OP_MAPI:
        return ffm_psa_map_invec(&h->spm, &p0, mh, c->idx);
    case OP_UNMAPI:
        return ffm_psa_unmap_invec(&h->spm, &p0, mh, c->idx);
    case OP_MAPO:
        return ffm_psa_map_outvec(&h->spm, &p0, mh, c->idx);
    case OP_UNMAPO:
        return ffm_psa_unmap_outvec(&h->spm, &p0, mh, c->idx, c->len);
    case OP_READ:
        return ffm_psa_read(&h->spm, &p0, mh, c->idx, buf, c->len);
    case OP_SKIP:
        return ffm_psa_skip(&h->spm, &p0, mh, c->idx, c->len);
    case OP_WRITE:
    default:
        return ffm_psa_write(&h->spm, &p0, mh, c->idx, "z", c->len);
    }
}

/* Start the client call of a case and fetch its message as P0; returns the wait id. */
static int start(struct ffm_sync *h, enum target target, psa_msg_t *m)
{
    psa_invec in[2] = { { in_data, 7 }, { NULL, 0 } };
    psa_outvec out[2] = { { out_data, 8 }, { NULL, 0 } };
    psa_invec priv[1] = { { private_data, 4 } };
    psa_outvec priv_out[1] = { { private_data, 4 } };
    struct ffm_caller client = ffm_sync_sp(h, FX_P_CLIENT);
    struct ffm_sync_result now;
    int w;

    switch (target) {
    case T_SL_PLAIN:
        w = ffm_sync_begin_call(h, &NS, FX_H_SL, 0, in, 2, out, 2, &now);
        *m = fx_get(h, FX_P_IPC, FX_SIG_SL);
        break;
    case T_CB_MM_CONNECT:
        w = ffm_sync_begin_connect(h, &NS, FX_SID_CB_MM, 1, &now);
        *m = fx_get(h, FX_P_IPC, FX_SIG_CB_MM);
        break;
    case T_S_CLIENT_PRIVATE:
        w = ffm_sync_begin_call(h, &client, FX_H_SL_MM, 0, priv, 1, NULL, 0, &now);
        *m = fx_get(h, FX_P_IPC, FX_SIG_SL_MM);
        break;
    case T_S_CLIENT_PRIVATE_OUT:
        w = ffm_sync_begin_call(h, &client, FX_H_SL_MM, 0, NULL, 0, priv_out, 1, &now);
        *m = fx_get(h, FX_P_IPC, FX_SIG_SL_MM);
        break;
    case T_SL_MM:
    default:
        w = ffm_sync_begin_call(h, &NS, FX_H_SL_MM, 0, in, 2, out, 2, &now);
        *m = fx_get(h, FX_P_IPC, FX_SIG_SL_MM);
        break;
    }
    assert_true(w >= 0);
    return w;
}

#define MSG ((psa_handle_t)1)

static const struct mm_case cases[] = {
    /* Ord 1-4, the same shape for all four APIs. */
    { T_SL_MM, PREP_NONE, OP_MAPI, PSA_NULL_HANDLE, 0, 0, FFM_RULE_MAPI_01 },
    { T_SL_PLAIN, PREP_NONE, OP_MAPI, MSG, 0, 0, FFM_RULE_MAPI_02 },
    { T_CB_MM_CONNECT, PREP_NONE, OP_MAPI, MSG, 9, 0, FFM_RULE_MAPI_03 },
    { T_SL_MM, PREP_NONE, OP_MAPI, MSG, 4, 0, FFM_RULE_MAPI_04 },
    { T_SL_MM, PREP_NONE, OP_UNMAPI, (psa_handle_t)0x3D0000FF, 0, 0, FFM_RULE_UNMAPI_01 },
    { T_SL_PLAIN, PREP_NONE, OP_UNMAPI, MSG, 9, 0, FFM_RULE_UNMAPI_02 },
    { T_CB_MM_CONNECT, PREP_NONE, OP_UNMAPI, MSG, 0, 0, FFM_RULE_UNMAPI_03 },
    { T_SL_MM, PREP_NONE, OP_UNMAPI, MSG, 4, 0, FFM_RULE_UNMAPI_04 },
    { T_SL_MM, PREP_NONE, OP_MAPO, -1, 0, 0, FFM_RULE_MAPO_01 },
    { T_SL_PLAIN, PREP_NONE, OP_MAPO, MSG, 0, 0, FFM_RULE_MAPO_02 },
    { T_CB_MM_CONNECT, PREP_NONE, OP_MAPO, MSG, 0, 0, FFM_RULE_MAPO_03 },
    { T_SL_MM, PREP_NONE, OP_MAPO, MSG, 7, 0, FFM_RULE_MAPO_04 },
    { T_SL_MM, PREP_NONE, OP_UNMAPO, FX_H_SL_MM, 0, 0, FFM_RULE_UNMAPO_01 },
    { T_SL_PLAIN, PREP_NONE, OP_UNMAPO, MSG, 0, 0, FFM_RULE_UNMAPO_02 },
    { T_CB_MM_CONNECT, PREP_NONE, OP_UNMAPO, MSG, 0, 0, FFM_RULE_UNMAPO_03 },
    { T_SL_MM, PREP_NONE, OP_UNMAPO, MSG, 4, 0, FFM_RULE_UNMAPO_04 },
    /* Ord 5-8. */
    { T_SL_MM, PREP_NONE, OP_MAPI, MSG, 1, 0, FFM_RULE_MAPI_05 },
    { T_SL_MM, PREP_NONE, OP_MAPI, MSG, 3, 0, FFM_RULE_MAPI_05 },
    { T_SL_MM, PREP_MAP_IN, OP_MAPI, MSG, 0, 0, FFM_RULE_MAPI_06 },
    { T_SL_MM, PREP_UNMAP_IN, OP_MAPI, MSG, 0, 0, FFM_RULE_MAPI_06 },
    { T_SL_MM, PREP_READ, OP_MAPI, MSG, 0, 0, FFM_RULE_MAPI_07 },
    { T_SL_MM, PREP_SKIP, OP_MAPI, MSG, 0, 0, FFM_RULE_MAPI_07 },
    { T_S_CLIENT_PRIVATE, PREP_NONE, OP_MAPI, MSG, 0, 0, FFM_RULE_MAPI_08 },
    { T_SL_MM, PREP_NONE, OP_UNMAPI, MSG, 0, 0, FFM_RULE_UNMAPI_05 },
    { T_SL_MM, PREP_UNMAP_IN, OP_UNMAPI, MSG, 0, 0, FFM_RULE_UNMAPI_06 },
    { T_SL_MM, PREP_NONE, OP_MAPO, MSG, 1, 0, FFM_RULE_MAPO_05 },
    { T_SL_MM, PREP_MAP_OUT, OP_MAPO, MSG, 0, 0, FFM_RULE_MAPO_06 },
    { T_SL_MM, PREP_UNMAP_OUT, OP_MAPO, MSG, 0, 0, FFM_RULE_MAPO_06 },
    { T_SL_MM, PREP_WRITE, OP_MAPO, MSG, 0, 0, FFM_RULE_MAPO_07 },
    { T_S_CLIENT_PRIVATE_OUT, PREP_NONE, OP_MAPO, MSG, 0, 0, FFM_RULE_MAPO_08 },
    { T_SL_MM, PREP_MAP_OUT, OP_UNMAPO, MSG, 0, 9, FFM_RULE_UNMAPO_05 },
    { T_SL_MM, PREP_NONE, OP_UNMAPO, MSG, 1, 1, FFM_RULE_UNMAPO_05 }, /* before UNMAPO-06 */
    { T_SL_MM, PREP_NONE, OP_UNMAPO, MSG, 0, 8, FFM_RULE_UNMAPO_06 },
    { T_SL_MM, PREP_UNMAP_OUT, OP_UNMAPO, MSG, 0, 1, FFM_RULE_UNMAPO_07 },
    /* Mapped vectors cannot be read, skipped or written. */
    { T_SL_MM, PREP_MAP_IN, OP_READ, MSG, 0, 1, FFM_RULE_READ_04 },
    { T_SL_MM, PREP_UNMAP_IN, OP_READ, MSG, 0, 0, FFM_RULE_READ_04 },
    { T_SL_MM, PREP_MAP_IN, OP_SKIP, MSG, 0, 1, FFM_RULE_SKIP_04 },
    { T_SL_MM, PREP_MAP_OUT, OP_WRITE, MSG, 0, 1, FFM_RULE_WRITE_07 },
    { T_SL_MM, PREP_UNMAP_OUT, OP_WRITE, MSG, 0, 1, FFM_RULE_WRITE_07 },
};

/* Every MM-IOVEC PE in its documented order, each from a fresh boot. */
static void test_mm_errors(void **state)
{
    struct ffm_sync *h = *state;
    struct ffm_caller p0 = ffm_sync_sp(h, FX_P_IPC);
    struct ffm_spm_config config = ffm_spm_config_default();
    struct ffm_sync_region priv = { .base = (uintptr_t)private_data, .size = sizeof(private_data),
                                    .secure = true, .owner = FX_P_CLIENT, .readable = true,
                                    .writable = true };

    config.isolation_level = 3;
    assert_true(ffm_sync_add_region(h, &priv));
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct mm_case *c = &cases[i];
        psa_msg_t m;
        assert_int_equal(fx_reboot(h, &config), FFM_BOOT_OK);
        int w = start(h, c->target, &m);
        prepare(h, m.handle, c->prep);
        psa_handle_t handle = c->handle == MSG ? m.handle : c->handle;
        struct ffm_sync_result r = ffm_sync_settle(h, &p0, run_op(h, c, handle));
        assert_true(r.panicked);
        fx_expect_event(h, 1, c->rule, op_api[c->op], &p0, FFM_DISP_PANIC);
        assert_int_equal(ffm_sync_poll(h, w).value, PSA_ERROR_CONNECTION_REFUSED);
        fx_expect_quiescent(h);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_map_unmap, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_mm_errors, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
