/*
 * mf_tfm.c - checks across partitions for TF-M's extensions: the NS client ID ranges of NS
 * agent partitions (client_id_base .. client_id_limit, TF-M's mailbox agent) must not overlap,
 * as TF-M's manifest tool requires (MAN-10). Each range itself is checked in mf_partition.c.
 */
#include "manifest/mf_model.h"

const char *mf_client_id_text(struct mf_arena *arena, int32_t id)
{
    return mf_printf(arena, "-0x%lx", (unsigned long)-(int64_t)id);
}

void mf_check_client_id_overlap(struct ffm_manifest_set *set)
{
    struct mf_arena *m = &set->arena;
    for (size_t i = 0; i < set->n_parts; i++) {
        const struct mf_part *a = &set->parts[i];
        for (size_t j = 0; a->valid && a->has_client_ids && j < i; j++) {
            const struct mf_part *b = &set->parts[j];
            if (b->valid && b->has_client_ids && a->client_id_base <= b->client_id_limit &&
                a->client_id_limit >= b->client_id_base) {
                mf_err(set, a->file, a->client_ids_n, FFM_RULE_MAN_10, "client_id_base",
                       "client IDs %s..%s of %s overlap those of %s (%s..%s)",
                       mf_client_id_text(m, a->client_id_base),
                       mf_client_id_text(m, a->client_id_limit), a->name, b->name,
                       mf_client_id_text(m, b->client_id_base),
                       mf_client_id_text(m, b->client_id_limit));
            }
        }
    }
}
