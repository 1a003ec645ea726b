/*
 * stress_util.c - what the stress suites share on the test program's side: loading a system's
 * manifests and finding its services, signals and pids by name.
 */
#include <assert.h>
#include <stddef.h>
#include <string.h>

#include "ffmsim/desc.h"
#include "manifest/manifest.h"
#include "stress.h"

struct ffm_manifest_set *stress_load(const char *list)
{
    const char *lists[] = { list };
    struct ffm_manifest_options opt = { .profile = FFM_PROFILE_SPEC, .lists = lists,
                                        .n_lists = 1 };
    struct ffm_manifest_set *set = NULL;
    return ffm_manifest_load(&opt, &set) == FFM_MANIFEST_OK ? set : NULL;
}

static const struct ffm_service_desc *find_service(const struct ffm_system_desc *desc,
                                                   const char *name)
{
    for (uint16_t i = 0; i < desc->n_services; i++) {
        if (strcmp(desc->services[i].name, name) == 0) {
            return &desc->services[i];
        }
    }
    return NULL;
}

const struct ffm_service_desc *stress_service(const struct ffm_system_desc *desc,
                                              const char *name)
{
    const struct ffm_service_desc *svc = find_service(desc, name);
    assert(svc != NULL);
    return svc;
}

void stress_bind(const struct ffm_system_desc *desc)
{
    const struct ffm_service_desc *sl = find_service(desc, "IPC_SL");
    const struct ffm_service_desc *cb = find_service(desc, "IPC_CB");
    const struct ffm_service_desc *pq = find_service(desc, "PQ");
    stress_sig_ipc_sl = sl != NULL ? sl->signal : 0;
    stress_sig_ipc_cb = cb != NULL ? cb->signal : 0;
    stress_sig_pq = pq != NULL ? pq->signal : 0;
    stress_panic_pid = pq != NULL ? desc->partitions[pq->partition].pid : 0;
}
