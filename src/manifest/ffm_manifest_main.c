/*
 * ffm_manifest_main.c - the ffm-manifest command: parse the command line, load and validate
 * the system with the manifest library, print diagnostics and write the generated headers.
 * Exit status: 0 success, 1 I/O failure, 2 invalid input or usage.
 */
#include <getopt.h>
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
    "       ffm-manifest --upgrade MANIFEST...\n"
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
    "--upgrade rewrites FF-M 1.0 manifests in place as FF-M 1.1 (psa_framework_version,\n"
    "model, connection_based, IRQ signal -> name + handling), keeping comments and layout;\n"
    "nothing is written unless every MANIFEST can be upgraded.\n"
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

enum { OPT_PROFILE = 256, OPT_WERROR, OPT_PLATFORM_REGIONS, OPT_BACKEND, OPT_UNDEFINED_OFF };

/* Options as ffm-sim parses them (getopt_long): "-m X", "-mX", "--profile X", "--profile=X";
 * positional manifests may come anywhere. */
static const struct option long_options[] = {
    { "profile", required_argument, NULL, OPT_PROFILE },
    { "werror", no_argument, NULL, OPT_WERROR },
    { "platform-regions", required_argument, NULL, OPT_PLATFORM_REGIONS },
    { "backend", required_argument, NULL, OPT_BACKEND },
    { "undefined-off", no_argument, NULL, OPT_UNDEFINED_OFF },
    { NULL, 0, NULL, 0 },
};

static int parse_option(struct args *a, int c, const char *v)
{
    struct ffm_manifest_options *o = &a->opt;
    switch (c) {
    case 'm':
        a->lists[o->n_lists++] = v;
        break;
    case 'o':
        a->outdir = v;
        break;
    case 'c':
        a->configs[o->n_config_files++] = v;
        break;
    case 'D':
        if (v[0] != '\0' && !ffm_manifest_define_ok(v)) {
            return usage_error("-D needs NAME[=VALUE] with NAME a C identifier, not ", v);
        }
        a->defines[o->n_defines++] = v;
        break;
    case OPT_PROFILE:
        if (strcmp(v, "spec") != 0 && strcmp(v, "tfm") != 0) {
            return usage_error("--profile must be spec or tfm, not ", v);
        }
        o->profile = strcmp(v, "tfm") == 0 ? FFM_PROFILE_TFM : FFM_PROFILE_SPEC;
        break;
    case OPT_PLATFORM_REGIONS:
        o->check_platform_regions = true;
        o->n_platform_regions += split_regions((char *)v, a->regions + o->n_platform_regions);
        break;
    case OPT_WERROR:
        o->werror = true;
        break;
    case OPT_BACKEND:
        if (!ffm_manifest_backend_parse(v, &o->backend)) {
            return usage_error("--backend must be ipc or sfn, not ", v);
        }
        break;
    case OPT_UNDEFINED_OFF:
        o->undefined_off = true;
        break;
    }
    return 0;
}

static int parse_args(struct args *a, int argc, char **argv)
{
    int c;
    opterr = 0; /* our own messages, in our own format */
    while ((c = getopt_long(argc, argv, ":m:o:c:D:", long_options, NULL)) != -1) {
        const char *opt = argv[optind - 1];
        if (c == ':') {
            return usage_error("missing value for ", opt);
        }
        if (c == '?') {
            return usage_error("unknown option ", opt);
        }
        if (optarg != NULL && optarg[0] == '\0') {
            return usage_error("missing value for ", opt);
        }
        int rc = parse_option(a, c, optarg);
        if (rc != 0) {
            return rc;
        }
    }
    for (int i = optind; i < argc; i++) {
        a->manifests[a->opt.n_manifests++] = argv[i];
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
        if (strcmp(argv[i], "--upgrade") == 0) {
            return ffm_manifest_upgrade_main(argc, argv);
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
