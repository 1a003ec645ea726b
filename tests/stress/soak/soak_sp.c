/* soak_sp.c - RECORD appends the caller's soak_boot to the history in NVMEM, after checking
 * that the history of every earlier boot survived (boot k+1 at index k, none missing, none
 * repeated), and writes the whole history to out_vec[0]. Replies the number of boots recorded,
 * or -1 when the history is broken. */
#include <ffmsim/platform.h>
#include <psa/service.h>

#include "psa_manifest/soak_sp.h"
#include "soak.h"

static int history_intact(const struct soak_history *h)
{
    if (h->boots > SOAK_MAX_BOOTS) {
        return 0;
    }
    for (uint32_t k = 0; k < h->boots; k++) {
        if (h->rec[k].boot != k + 1) {
            return 0;
        }
    }
    return 1;
}

psa_status_t record_sfn(const psa_msg_t *msg)
{
    size_t size = 0;
    struct soak_history *h = ffm_platform_nvmem(&size);
    struct soak_boot in;
    if (h == NULL || size < sizeof *h || psa_read(msg->handle, 0, &in, sizeof in) != sizeof in) {
        return -1;
    }
    if (h->magic != SOAK_MAGIC) { /* erased NVMEM (RESET-04): the first boot of the file */
        h->magic = SOAK_MAGIC;
        h->boots = 0;
    }
    if (!history_intact(h) || in.boot != h->boots + 1 || h->boots == SOAK_MAX_BOOTS) {
        return -1;
    }
    h->rec[h->boots++] = in;
    psa_write(msg->handle, 0, h, sizeof *h);
    return (psa_status_t)h->boots;
}
