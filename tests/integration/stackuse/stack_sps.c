/*
 * stack_sps.c - three partitions for the stack-use measurement: DEEP (SFN) and DEEP_IPC (IPC)
 * each fill a 3 KiB local buffer, three times their manifest's stack_size of 1 KiB; SMALL
 * (SFN, 8 KiB) uses a few bytes. A request of type 2 fills a 16 KiB buffer instead: deeper than
 * stack_size plus the headroom and the page of --stack-check enforce (docs/ffm-sim.md
 * section 12), so it faults there whatever the alignment.
 */
#include <psa/service.h>
#include <string.h>

#include "psa_manifest/deep_ipc_sp.h"
#include "psa_manifest/deep_sp.h"
#include "psa_manifest/small_sp.h"

/* A deep frame the compiler cannot remove: the sum depends on every byte. */
static psa_status_t use_3k(unsigned char seed)
{
    volatile unsigned char buf[3072];
    unsigned sum = 0;
    for (size_t i = 0; i < sizeof buf; i++) {
        buf[i] = (unsigned char)(seed + i);
    }
    for (size_t i = 0; i < sizeof buf; i++) {
        sum += buf[i];
    }
    return (psa_status_t)(sum & 0x7fu);
}

static psa_status_t use_16k(unsigned char seed)
{
    volatile unsigned char buf[16384];
    unsigned sum = 0;
    for (size_t i = 0; i < sizeof buf; i++) { /* from the top down, as a stack grows */
        buf[sizeof buf - 1 - i] = (unsigned char)(seed + i);
    }
    for (size_t i = 0; i < sizeof buf; i++) {
        sum += buf[i];
    }
    return (psa_status_t)(sum & 0x7fu);
}

static psa_status_t use_stack(int32_t type)
{
    return type == 2 ? use_16k((unsigned char)type) : use_3k((unsigned char)type);
}

psa_status_t deep_sfn(const psa_msg_t *msg)
{
    return use_stack(msg->type);
}

psa_status_t small_sfn(const psa_msg_t *msg)
{
    return msg->type;
}

void deep_ipc_main(void);
void deep_ipc_main(void)
{
    for (;;) {
        psa_signal_t signals = psa_wait(PSA_WAIT_ANY, PSA_BLOCK);
        if (signals & DEEP_IPC_SIGNAL) {
            psa_msg_t msg;
            psa_get(DEEP_IPC_SIGNAL, &msg);
            psa_reply(msg.handle, use_stack(msg.type));
        }
    }
}
