/*
 * std_prototypes.c - compile-only check that the PSA headers carry exactly the standard
 * prototypes: every API is assigned to a pointer of its standard type. Built by `make test` as
 * C99 (-std=c99 -Wall -Werror -pedantic) and, when a C++ compiler exists, as C++.
 */
#include <psa/client.h>
#include <psa/service.h>
#include <psa/lifecycle.h>

typedef uint32_t (*framework_version_fn)(void);
typedef uint32_t (*version_fn)(uint32_t sid);
typedef psa_handle_t (*connect_fn)(uint32_t sid, uint32_t version);
typedef psa_status_t (*call_fn)(psa_handle_t handle, int32_t type, const psa_invec *in_vec,
                                size_t in_len, psa_outvec *out_vec, size_t out_len);
typedef void (*close_fn)(psa_handle_t handle);
typedef psa_signal_t (*wait_fn)(psa_signal_t signal_mask, uint32_t timeout);
typedef psa_status_t (*get_fn)(psa_signal_t signal, psa_msg_t *msg);
typedef void (*set_rhandle_fn)(psa_handle_t msg_handle, void *rhandle);
typedef size_t (*read_fn)(psa_handle_t msg_handle, uint32_t invec_idx, void *buffer,
                          size_t num_bytes);
typedef size_t (*skip_fn)(psa_handle_t msg_handle, uint32_t invec_idx, size_t num_bytes);
typedef void (*write_fn)(psa_handle_t msg_handle, uint32_t outvec_idx, const void *buffer,
                         size_t num_bytes);
typedef void (*reply_fn)(psa_handle_t msg_handle, psa_status_t status);
typedef void (*notify_fn)(int32_t partition_id);
typedef void (*void_fn)(void);
typedef void (*signal_fn)(psa_signal_t irq_signal);
typedef psa_irq_status_t (*irq_disable_fn)(psa_signal_t irq_signal);
typedef uint32_t (*lifecycle_fn)(void);
typedef const void *(*map_invec_fn)(psa_handle_t msg_handle, uint32_t invec_idx);
typedef void (*unmap_invec_fn)(psa_handle_t msg_handle, uint32_t invec_idx);
typedef void *(*map_outvec_fn)(psa_handle_t msg_handle, uint32_t outvec_idx);
typedef void (*unmap_outvec_fn)(psa_handle_t msg_handle, uint32_t outvec_idx, size_t len);

struct api_table {
    framework_version_fn framework_version;
    version_fn version;
    connect_fn connect;
    call_fn call;
    close_fn close;
    wait_fn wait;
    get_fn get;
    set_rhandle_fn set_rhandle;
    read_fn read;
    skip_fn skip;
    write_fn write;
    reply_fn reply;
    notify_fn notify;
    void_fn clear;
    signal_fn eoi;
    void_fn panic;
    signal_fn irq_enable;
    irq_disable_fn irq_disable;
    signal_fn reset_signal;
    lifecycle_fn rot_lifecycle_state;
    map_invec_fn map_invec;
    unmap_invec_fn unmap_invec;
    map_outvec_fn map_outvec;
    unmap_outvec_fn unmap_outvec;
};

const struct api_table *std_prototypes_table(void);

const struct api_table *std_prototypes_table(void)
{
    static const struct api_table table = {
        psa_framework_version, psa_version, psa_connect, psa_call, psa_close,
        psa_wait, psa_get, psa_set_rhandle, psa_read, psa_skip, psa_write, psa_reply,
        psa_notify, psa_clear, psa_eoi, psa_panic, psa_irq_enable, psa_irq_disable,
        psa_reset_signal, psa_rot_lifecycle_state, psa_map_invec, psa_unmap_invec,
        psa_map_outvec, psa_unmap_outvec,
    };
    return &table;
}
