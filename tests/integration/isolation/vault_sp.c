/* vault_sp.c - WHERE writes the addresses of its secrets to out_vec[0]: a global, a local on
 * the stack the service runs on, and its KEYSTORE region (filled with a known word first). */
#include <stdint.h>

#include <psa/service.h>

#include "psa_manifest/vault_sp.h"

#define KEYSTORE_BASE ((uintptr_t)0x20010000u)

static volatile uint32_t vault_secret = 0x5ec7e7u;

psa_status_t where_sfn(const psa_msg_t *msg)
{
    volatile uint32_t local = 0x10ca1u;
    *(volatile uint32_t *)KEYSTORE_BASE = 0x6e75u;
    uintptr_t addrs[3] = { (uintptr_t)&vault_secret, (uintptr_t)&local, KEYSTORE_BASE };
    psa_write(msg->handle, 0, addrs, sizeof addrs);
    return (psa_status_t)(local & 0xffu) + (psa_status_t)(vault_secret & 0u);
}
