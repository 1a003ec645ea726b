/*
 * ffm_manifest_main.c - the ffm-manifest command: parse the command line, load and validate
 * the system with the manifest library, print diagnostics and write the generated headers.
 * Exit status: 0 success, 1 I/O failure, 2 invalid input or usage.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manifest/manifest.h"
#include "manifest/migrate.h"

static const char usage_text[] =
    "usage: ffm-manifest [-m LIST]... [-o OUTDIR] [-c CONFIG.h]... [-D NAME[=VALUE]]...\n"
    "                    [--profile spec|tfm] [--backend ipc|sfn] [--undefined-off]\n"
    "                    [--werror] [--platform-regions NAME,...] [MANIFEST]...\n"
    "       ffm-manifest --migrate-stateless SERVICE[,SERVICE...] [--report FILE.json]\n"
    "                    [--force] MANIFEST\n"
    "\n"
    "Validate FF-M partition manifests (YAML or JSON) and TF-M manifest lists, then write\n"
    "OUTDIR/psa_manifest/sid.h, OUTDIR/psa_manifest/pid.h and\n"
    "OUTDIR/<output_path>/psa_manifest/<manifest basename>.h per partition.\n"
    "\n"
    "  -m LIST              a manifest list (TF-M format); repeatable, read in order\n"
    "  -o OUTDIR            output directory (default .)\n"
    "  -c CONFIG.h          config header with #define NAME VALUE lines for `conditional`\n"
    "  -D NAME[=VALUE]      define a config value (VALUE defaults to 1); overrides -c\n"
    "  --profile spec|tfm   checking profile (default spec)\n"
    "  --backend ipc|sfn    model of `model: dual` partitions; overrides\n"
    "                       CONFIG_TFM_SPM_BACKEND (IPC or SFN) from -c/-D\n"
    "  --undefined-off      an undefined `conditional` disables its item (one warning\n"
    "                       names them all) instead of being an error\n"
    "  --werror             treat warnings as errors\n"
    "  --platform-regions L comma-separated platform MMIO region names; enables MAN-29\n"
    "  --help, --version    print this help or the version and exit\n"
    "\n"
    "--migrate-stateless rewrites MANIFEST in place (FF-M 1.1: connection_based: false,\n"
    "stateless_handle: auto) and prints what client code and the service must change;\n"
    "it refuses a service that FILE.json (ffm-sim --stateless-report) says cannot be\n"
    "stateless, unless --force.\n"
    "\n"
    "Exit status: 0 success, 1 I/O failure, 2 invalid input or usage.\n";

struct args {
    struct ffm_manifest_options opt;
    const char *outdir;
    const char **lists, **manifests, **configs, **defines, **regions;
};

static int usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "ffm-manifest: %s%s\nTry 'ffm-manifest --help'.\n", msg, arg ? arg : "");
    return 2;
}

/* Split "A,B,C" into the regions array (the string is modified in place). */
static size_t split_regions(char *text, const char **out)
{
    size_t n = 0;
    for (char *tok = strtok(text, ","); tok != NULL; tok = strtok(NULL, ",")) {
        out[n++] = tok;
    }
    return n;
}

/* An option with a value: "-m X", "-mX", "--profile X" or "--profile=X". */
static const char *option_value(int argc, char **argv, int *i, const char *name)
{
    size_t len = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, len) != 0) {
        return NULL;
    }
    if (a[len] == '\0') {
        return *i + 1 < argc ? argv[++*i] : "";
    }
    if (name[1] != '-') {
        return a + len;
    }
    return a[len] == '=' ? a + len + 1 : NULL;
}

static int parse_option(struct args *a, int argc, char **argv, int *i)
{
    const char *v;
    struct ffm_manifest_options *o = &a->opt;
    if ((v = option_value(argc, argv, i, "-m")) != NULL) {
        a->lists[o->n_lists++] = v;
    } else if ((v = option_value(argc, argv, i, "-o")) != NULL) {
        a->outdir = v;
    } else if ((v = option_value(argc, argv, i, "-c")) != NULL) {
        a->configs[o->n_config_files++] = v;
    } else if ((v = option_value(argc, argv, i, "-D")) != NULL) {
        if (v[0] != '\0' && !ffm_manifest_define_ok(v)) {
            return usage_error("-D needs NAME[=VALUE] with NAME a C identifier, not ", v);
        }
        a->defines[o->n_defines++] = v;
    } else if ((v = option_value(argc, argv, i, "--profile")) != NULL) {
        if (strcmp(v, "spec") != 0 && strcmp(v, "tfm") != 0) {
            return usage_error("--profile must be spec or tfm, not ", v);
        }
        o->profile = strcmp(v, "tfm") == 0 ? FFM_PROFILE_TFM : FFM_PROFILE_SPEC;
    } else if ((v = option_value(argc, argv, i, "--platform-regions")) != NULL) {
        o->check_platform_regions = true;
        o->n_platform_regions += split_regions((char *)v, a->regions + o->n_platform_regions);
    } else if ((v = option_value(argc, argv, i, "--backend")) != NULL) {
        if (v[0] != '\0' && !ffm_manifest_backend_parse(v, &o->backend)) {
            return usage_error("--backend must be ipc or sfn, not ", v);
        }
    } else if (strcmp(argv[*i], "--werror") == 0) {
        o->werror = true;
    } else if (strcmp(argv[*i], "--undefined-off") == 0) {
        o->undefined_off = true;
    } else {
        return usage_error("unknown option ", argv[*i]);
    }
    if (v != NULL && v[0] == '\0') {
        return usage_error("missing value for ", argv[*i]);
    }
    return 0;
}

static int parse_args(struct args *a, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] != '-' || strcmp(argv[i], "-") == 0) {
            a->manifests[a->opt.n_manifests++] = argv[i];
            continue;
        }
        int rc = parse_option(a, argc, argv, &i);
        if (rc != 0) {
            return rc;
        }
    }
    if (a->opt.n_lists + a->opt.n_manifests == 0) {
        return usage_error("no manifest list or manifest given", NULL);
    }
    return 0;
}

static int run(struct args *a)
{
    a->opt.lists = a->lists;
    a->opt.manifests = a->manifests;
    a->opt.config_files = a->configs;
    a->opt.defines = a->defines;
    a->opt.platform_regions = a->regions;
    struct ffm_manifest_set *set = NULL;
    enum ffm_manifest_status st = ffm_manifest_load(&a->opt, &set);
    if (set == NULL) {
        fputs("ffm-manifest: out of memory\n", stderr);
        return 1;
    }
    if (st == FFM_MANIFEST_OK) {
        st = ffm_manifest_write_headers(set, a->outdir);
    }
    ffm_manifest_print_diags(set, stderr);
    ffm_manifest_free(set);
    return (int)st;
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "--migrate-stateless", 19) == 0) {
            return ffm_manifest_migrate_main(argc, argv); /* its own option set */
        }
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage_text, stdout);
            return 0;
        }
        if (strcmp(argv[i], "--version") == 0) {
            printf("ffm-manifest %s\n", ffm_manifest_version());
            return 0;
        }
    }
    size_t cap = (size_t)argc + 1;
    size_t region_cap = cap; /* a region name takes at least one character and a comma */
    for (int i = 1; i < argc; i++) {
        region_cap += strlen(argv[i]);
    }
    struct args a = {.outdir = "."};
    a.lists = calloc(cap, sizeof *a.lists);
    a.manifests = calloc(cap, sizeof *a.manifests);
    a.configs = calloc(cap, sizeof *a.configs);
    a.defines = calloc(cap, sizeof *a.defines);
    a.regions = calloc(region_cap, sizeof *a.regions);
    int rc = 2;
    if (a.lists && a.manifests && a.configs && a.defines && a.regions) {
        rc = parse_args(&a, argc, argv);
        rc = rc != 0 ? rc : run(&a);
    } else {
        fputs("ffm-manifest: out of memory\n", stderr);
        rc = 1;
    }
    free(a.lists);
    free(a.manifests);
    free(a.configs);
    free(a.defines);
    free(a.regions);
    return rc;
}
