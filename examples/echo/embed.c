/* embed.c - the same system run inside one program through libffmsim: the manifest list is
 * read at run time (ffmsim/manifest.h), the partition and the NS application are linked in
 * statically and handed to the engine by name (ffmsim/sim.h).
 *
 *     embed LIST.yaml     exit status: ns_main's value, or ffm_sim_run's statuses */
#include <ffmsim/manifest.h>
#include <ffmsim/sim.h>
#include <psa/service.h>
#include <stdio.h>

psa_status_t echo_sfn(const psa_msg_t *msg);
int ns_main(void);

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s LIST.yaml\n", argv[0]);
        return 2;
    }
    const char *lists[] = { argv[1] };
    struct ffm_manifest_options opt = { .profile = FFM_PROFILE_SPEC, .lists = lists,
                                        .n_lists = 1 };
    struct ffm_manifest_set *set = NULL;
    enum ffm_manifest_status st = ffm_manifest_load(&opt, &set);
    ffm_manifest_print_diags(set, stderr);
    if (st != FFM_MANIFEST_OK) {
        ffm_manifest_free(set);
        return 2;
    }
    static const struct ffm_sim_symbol syms[] = {
        FFM_SIM_SYMBOL(echo_sfn), FFM_SIM_SYMBOL(ns_main),
    };
    struct ffm_sim_config cfg = ffm_sim_config_default();
    cfg.desc = ffm_manifest_desc(set);
    cfg.symbols = syms;
    cfg.n_symbols = sizeof syms / sizeof syms[0];
    cfg.ns_entry = "ns_main";
    char err[256] = "";
    int status = ffm_sim_run(&cfg, err, sizeof err);
    if (err[0] != '\0') {
        fprintf(stderr, "embed: %s\n", err);
    }
    printf("embed: ns_main returned %d\n", status);
    ffm_manifest_free(set);
    return status;
}
