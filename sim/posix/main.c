/*
 * main.c - the ffm-sim program: run your own partition images and NS application on the
 * simulated SPM (issue 5 item 3; docs/ffm-sim.md).
 *
 * The parent validates everything once (options, platform file, manifests, images, symbols)
 * and reports bad input with one clear line and exit 2. It then hands over to the reset
 * supervisor (sim/supervisor.h), which forks one child per boot; each child runs the engine
 * (run_system below) from a pristine copy of the parent's memory, so a reset re-creates
 * every partition's .data and .bss (RESET-01). Images are checked in the parent by reading
 * their files (image_check.h: symbols, undefined references), never loaded there: each boot
 * loads them, so their constructors run inside the simulated system, attributed to their
 * image, under the fault handlers, the panic policy and --timeout (docs/ffm-sim.md).
 */
#define _GNU_SOURCE /* sched_setaffinity, CPU_SET (Linux) */
#include <errno.h>
#include <sys/mman.h>
#include <stdarg.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "flash_layout.h"
#include "ffmsim/platform.h"
#include "image.h"
#include "image_check.h"
#include "manifest/manifest.h"
#include "isolation.h"
#include "addr32.h"
#include "memmap.h"
#include "platform_file.h"
#include "slreport.h"
#include "supervisor.h"
#include "where.h"

#ifndef FFM_SIM_VERSION
#define FFM_SIM_VERSION "unknown"
#endif

#define MAX_LISTS 64
#define MAX_IMAGES 32
#define MAX_CONFIGS 64

struct cli {
    const char *lists[MAX_LISTS];
    size_t n_lists;
    const char *configs[MAX_CONFIGS]; /* -c, as ffm-manifest's -c */
    size_t n_configs;
    const char *defines[MAX_CONFIGS]; /* -D, as ffm-manifest's -D (override -c) */
    size_t n_defines;
    enum ffm_backend backend;         /* --backend, as ffm-manifest's */
    bool undefined_off;               /* --undefined-off, as ffm-manifest's */
    bool realtime;                    /* --realtime: the simulated clock follows the host's */
    bool trace_sim_clock;             /* --trace-clock sim */
    const char *images[MAX_IMAGES];
    size_t n_images;
    const char *ns_path;
    const char *ns_entry;
    const char *platform_path;
    enum ffm_profile profile;
    enum sim_policy policy;
    const char *nvmem_path;
    unsigned max_resets;
    unsigned reset_loop;          /* --reset-loop: same error on N consecutive boots */
    bool quiet;                   /* --quiet: no summary */
    bool gcov;                    /* --gcov: images write coverage counters at every boot end */
    const char *report_path;      /* --report FILE.json */
    unsigned timeout_s;
    const char *trace_path;
    const char *stateless_report;
    int log_level;
    int cpu; /* CPU_DEFAULT, CPU_ANY or the CPU given with --cpu N */
    int isolation; /* MEM-16: 0..3 */
    bool stack_check; /* --stack-check warn: measure stack use (docs/ffm-sim.md section 12) */
    bool stack_enforce; /* --stack-check enforce: and fault below stack_size (section 12) */
    bool addr32;      /* --addr32: everything simulated below 4 GiB (section 13) */
    unsigned flash_cut_after; /* --flash-cut-after N: program N of the run tears; 0: never */
    const char *flash_layout; /* --flash-layout OUT.h: write it and exit, no run */
};

#define CPU_DEFAULT (-1) /* one CPU: the one ffm-sim started on */
#define CPU_ANY (-2)     /* --cpu any: the OS places every thread */

/* Everything the children share, prepared by the parent. */
struct system {
    struct cli cli;
    struct platform_file *pf;
    struct ffm_manifest_set *set;
    const struct ffm_system_desc *desc;
    struct image_info *infos[MAX_IMAGES]; /* checked in the parent */
    struct image_info *ns_info;
    int32_t owner[MAX_IMAGES];            /* partition owning each image (MEM-03), 0: SPM */
    size_t entry_img[FFM_MAX_PARTITIONS]; /* which image defines each name */
    size_t sfn_img[FFM_MAX_SERVICES];
    size_t flih_img[FFM_MAX_IRQS];
    struct image *images[MAX_IMAGES];     /* loaded by each boot (child only) */
    struct image *ns_image;
    const char *loading;                  /* image whose constructors are running, or NULL */
    int32_t loading_id;
    sim_fn entry[FFM_MAX_PARTITIONS];
    sim_fn sfn[FFM_MAX_SERVICES];
    sim_fn flih[FFM_MAX_IRQS];
    int (*ns_main)(void);
    struct memmap *map;
    const char **irq_sources; /* NULL-terminated */
    uint32_t *irq_period_us;  /* per IRQ source: its period_us, 0: not periodic */
    int32_t nvmem_owner;
    struct ffm_boot_ctx *ctx; /* child only */
    struct ffm_slobs *observer; /* --stateless-report: shared with every boot */
    struct sim_flash_dev flash[FFM_FLASH_MAX_DEVICES]; /* the platform's flash regions */
    unsigned n_flash;
    struct sim_flash_wear *flash_wear; /* shared with every boot (mapped before the first) */
};

static const char usage_text[] =
    "usage: ffm-sim [options] -m LIST [-m LIST]...\n"
    "\n"
    "Run Secure Partitions and a non-secure application, built as shared objects, on the\n"
    "simulated FF-M SPM (one pthread per partition, one running at a time).\n"
    "\n"
    "  -m, --manifest-list LIST  TF-M manifest list (YAML); repeatable, in order\n"
    "  -c CONFIG.h               config header for `conditional` (as ffm-manifest -c)\n"
    "  -D NAME[=VALUE]           define a config value (VALUE defaults to 1); overrides -c\n"
    "  --backend ipc|sfn         model of `model: dual` partitions; overrides\n"
    "                            CONFIG_TFM_SPM_BACKEND (IPC or SFN) from -c/-D\n"
    "  --undefined-off           an undefined `conditional` disables its item (one warning\n"
    "                            names them all) instead of being an error\n"
    "  --image PATH.so           a partition image; repeatable. Entry points, entry_init,\n"
    "                            <service>_sfn and <irq>_flih named by the manifests are\n"
    "                            looked up across all images (each must be defined once)\n"
    "  --ns PATH.so              the non-secure application image (required)\n"
    "  --ns-entry SYMBOL         NS entry, int SYMBOL(void), run as NS client -1\n"
    "                            (default ns_main); its return value is the exit status\n"
    "  --platform FILE.yaml      platform description: regions, IRQ sources, watchdog,\n"
    "                            lifecycle (default: the built-in platform, see the docs)\n"
    "  --profile spec|tfm        checking profile (default spec)\n"
    "  --panic reset|halt|trap   panic policy (default reset): restart the system, stop with\n"
    "                            exit 3, or unwind only the offending partition or NS thread\n"
    "  --nvmem FILE              back the platform's NVMEM region with FILE (persists across\n"
    "                            runs; created and filled with 0xFF if missing)\n"
    "  --max-resets N            consecutive resets allowed before the NS entry is reached\n"
    "                            again (default 8); more -> exit 4\n"
    "  --reset-loop N            stop with RESET_LOOP (exit 4) when the same error at the\n"
    "                            same code location ends N consecutive boots (default 3;\n"
    "                            0 = off)\n"
    "  --realtime                the simulated clock follows the host clock (interactive\n"
    "                            use); default: virtual time, deterministic runs\n"
    ;

/* The rest of --help (ISO C limits one string literal to 4095 characters). */
static const char usage_more[] =
    "  --timeout SECONDS         stop the run after SECONDS (RESET-09: a partition spinning\n"
    "                            with no watchdog armed); 0 = no limit (default)\n"
    "  --trace FILE.json         write a Chrome trace-event file (Perfetto, chrome://tracing)\n"
    "  --trace-clock host|sim    trace timestamps: host time (default, for profiling) or\n"
    "                            the simulated clock (two runs write the same file)\n"
    "  --stateless-report FILE.md  after the run, write the stateless-readiness report\n"
    "                            (Markdown) and FILE.json beside it\n"
    "  --report FILE.json        write a JSON run summary: boots, resets and reasons, PEs by\n"
    "                            rule, panics, faults, last event, end reason, exit status\n"
    "  --quiet                   no summary block at the end\n"
    "  --gcov                    images built with --coverage write their counters at the\n"
    "                            end of every boot (reset, panic, fault, halt, exit)\n"
    "  --log error|warn|info|debug  what to log on stderr (default warn)\n"
    "  --isolation 0|1|2|3       direct-access memory isolation (MEM-15, MEM-16): 1 (default)\n"
    "                            NS cannot touch secure memory, 2 App-RoT cannot touch\n"
    "                            PSA-RoT memory either, 3 each partition only its own;\n"
    "                            0 (or off) unchecked, for speed or debugging\n"
    "  --cpu N|any               run every thread on CPU N, or let the OS spread them (any);\n"
    "                            default: the one CPU ffm-sim starts on (Linux; ignored\n"
    "                            elsewhere)\n"
    "  --stack-check off|warn|enforce\n"
    "                            measure each partition's stack use against its manifest's\n"
    "                            stack_size: summary, trace, a warning when over (default\n"
    "                            off: it costs about a microsecond per PSA call); enforce:\n"
    "                            also fault when a partition goes deeper (a guard page)\n"
    "  --addr32                  a 32-bit address space: images, stacks, heaps and regions\n"
    "                            all below 4 GiB, for firmware that keeps addresses in\n"
    "                            uint32_t (Linux)\n"
    "  --flash-cut-after N       power fails during the Nth flash program of the run: the\n"
    "                            write tears (half a unit) and the system resets\n"
    "  --flash-layout OUT.h      write the platform's flash regions as a C header (with\n"
    "                            TF-M's TFM_HAL_ITS_*/TFM_HAL_PS_* names) and exit; needs\n"
    "                            no -m or --ns\n"
    "  -h, --help                this text\n"
    "  --version                 print the version\n"
    "\n"
    "Exit status:\n"
    "  the NS entry's return value when it returns\n"
    "  1  internal failure (e.g. a PSA call from a thread ffm-sim does not know, GEN-02)\n"
    "  2  bad input: options, manifests, platform file, missing image or symbol\n"
    "  3  halted: a panic under --panic halt, a DEADLOCK (RESET-15), the NS entry unwound\n"
    "     under --panic trap, or the --timeout expired (TIMEOUT)\n"
    "  4  reset limit: more than --max-resets consecutive resets (RESET-14), or the same\n"
    "     error ended --reset-loop consecutive boots\n"
    "  (an NS entry may return 1..4 too: --report FILE.json says which it was)\n"
    "\n"
    "Example:\n"
    "  ffm-sim -m manifests/list.yaml --image build/echo.so --ns build/app.so\n";

static _Noreturn void bad_input(const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

static _Noreturn void bad_input(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("ffm-sim: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(FFM_EXIT_BAD_INPUT);
}

/* A message of the image loader ("PATH: error: ...", "error: ..."), as one bad-input line
 * without a second "error: ". */
static _Noreturn void bad_input_msg(const char *msg)
{
    const char *at = strstr(msg, "error: ");
    if (at == NULL) {
        bad_input("%s", msg);
    }
    bad_input("%.*s%s", (int)(at - msg), msg, at + strlen("error: "));
}

/* ---------------------------------------------------------------- options */

static unsigned parse_uint(const char *opt, const char *text, unsigned max)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(text, &end, 10);
    if (errno != 0 || *text == '\0' || *end != '\0' || text[0] == '-' || v > max) {
        bad_input("%s: '%s' is not a number 0..%u", opt, text, max);
    }
    return (unsigned)v;
}

static int parse_choice(const char *opt, const char *text, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(text, names[i]) == 0) {
            return (int)i;
        }
    }
    char list[128] = "";
    for (size_t i = 0; i < n; i++) {
        strncat(list, i == 0 ? "" : "|", sizeof list - strlen(list) - 1);
        strncat(list, names[i], sizeof list - strlen(list) - 1);
    }
    bad_input("%s: '%s' is not one of %s", opt, text, list);
}

enum {
    OPT_IMAGE = 256, OPT_NS, OPT_NS_ENTRY, OPT_PLATFORM, OPT_PROFILE, OPT_PANIC, OPT_NVMEM,
    OPT_MAX_RESETS, OPT_TIMEOUT, OPT_TRACE, OPT_STATELESS_REPORT, OPT_LOG, OPT_CPU, OPT_VERSION,
    OPT_RESET_LOOP, OPT_QUIET, OPT_REPORT, OPT_GCOV, OPT_ISOLATION,
    OPT_BACKEND, OPT_UNDEFINED_OFF, OPT_REALTIME, OPT_TRACE_CLOCK,
    OPT_STACK_CHECK, OPT_ADDR32, OPT_FLASH_CUT_AFTER, OPT_FLASH_LAYOUT,
};

static const struct option long_options[] = {
    { "manifest-list", required_argument, NULL, 'm' },
    { "image", required_argument, NULL, OPT_IMAGE },
    { "ns", required_argument, NULL, OPT_NS },
    { "ns-entry", required_argument, NULL, OPT_NS_ENTRY },
    { "platform", required_argument, NULL, OPT_PLATFORM },
    { "profile", required_argument, NULL, OPT_PROFILE },
    { "panic", required_argument, NULL, OPT_PANIC },
    { "nvmem", required_argument, NULL, OPT_NVMEM },
    { "max-resets", required_argument, NULL, OPT_MAX_RESETS },
    { "timeout", required_argument, NULL, OPT_TIMEOUT },
    { "trace", required_argument, NULL, OPT_TRACE },
    { "stateless-report", required_argument, NULL, OPT_STATELESS_REPORT },
    { "log", required_argument, NULL, OPT_LOG },
    { "cpu", required_argument, NULL, OPT_CPU },
    { "reset-loop", required_argument, NULL, OPT_RESET_LOOP },
    { "quiet", no_argument, NULL, OPT_QUIET },
    { "gcov", no_argument, NULL, OPT_GCOV },
    { "report", required_argument, NULL, OPT_REPORT },
    { "isolation", required_argument, NULL, OPT_ISOLATION },
    { "backend", required_argument, NULL, OPT_BACKEND },
    { "undefined-off", no_argument, NULL, OPT_UNDEFINED_OFF },
    { "realtime", no_argument, NULL, OPT_REALTIME },
    { "trace-clock", required_argument, NULL, OPT_TRACE_CLOCK },
    { "stack-check", required_argument, NULL, OPT_STACK_CHECK },
    { "addr32", no_argument, NULL, OPT_ADDR32 },
    { "flash-cut-after", required_argument, NULL, OPT_FLASH_CUT_AFTER },
    { "flash-layout", required_argument, NULL, OPT_FLASH_LAYOUT },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, OPT_VERSION },
    { NULL, 0, NULL, 0 },
};

static void add_path(const char **list, size_t *n, size_t max, const char *opt, const char *p)
{
    if (*n >= max) {
        bad_input("%s: at most %zu allowed", opt, max);
    }
    list[(*n)++] = p;
}

static void parse_option(struct cli *cli, int c, const char *arg)
{
    static const char *const profiles[] = { "spec", "tfm" };
    static const char *const policies[] = { "reset", "halt", "trap" };
    static const char *const levels[] = { "error", "warn", "info", "debug" };
    static const char *const stack_checks[] = { "off", "warn", "enforce" };
    switch (c) {
    case 'm':
        add_path(cli->lists, &cli->n_lists, MAX_LISTS, "-m", arg);
        break;
    case 'c':
        add_path(cli->configs, &cli->n_configs, MAX_CONFIGS, "-c", arg);
        break;
    case 'D':
        if (!ffm_manifest_define_ok(arg)) {
            bad_input("-D needs NAME[=VALUE] with NAME a C identifier, not '%s'", arg);
        }
        add_path(cli->defines, &cli->n_defines, MAX_CONFIGS, "-D", arg);
        break;
    case OPT_BACKEND:
        if (!ffm_manifest_backend_parse(arg, &cli->backend)) {
            bad_input("--backend: '%s' is not one of ipc|sfn", arg);
        }
        break;
    case OPT_UNDEFINED_OFF:
        cli->undefined_off = true;
        break;
    case OPT_REALTIME:
        cli->realtime = true;
        break;
    case OPT_TRACE_CLOCK: {
        static const char *const clocks[] = { "host", "sim" };
        cli->trace_sim_clock = parse_choice("--trace-clock", arg, clocks, 2) == 1;
        break;
    }
    case OPT_IMAGE:
        add_path(cli->images, &cli->n_images, MAX_IMAGES, "--image", arg);
        break;
    case OPT_NS:
        cli->ns_path = arg;
        break;
    case OPT_NS_ENTRY:
        cli->ns_entry = arg;
        break;
    case OPT_PLATFORM:
        cli->platform_path = arg;
        break;
    case OPT_PROFILE:
        cli->profile = (enum ffm_profile)parse_choice("--profile", arg, profiles, 2);
        break;
    case OPT_PANIC:
        cli->policy = (enum sim_policy)parse_choice("--panic", arg, policies, 3);
        break;
    case OPT_NVMEM:
        cli->nvmem_path = arg;
        break;
    case OPT_MAX_RESETS:
        cli->max_resets = parse_uint("--max-resets", arg, 1000000);
        break;
    case OPT_RESET_LOOP:
        cli->reset_loop = parse_uint("--reset-loop", arg, 1000000);
        break;
    case OPT_QUIET:
        cli->quiet = true;
        break;
    case OPT_FLASH_LAYOUT:
        cli->flash_layout = arg;
        break;
    case OPT_FLASH_CUT_AFTER:
        cli->flash_cut_after = parse_uint("--flash-cut-after", arg, 1000000000);
        if (cli->flash_cut_after == 0) {
            bad_input("--flash-cut-after 0: N counts program operations from 1");
        }
        break;
    case OPT_GCOV:
        cli->gcov = true;
        break;
    case OPT_REPORT:
        cli->report_path = arg;
        break;
    case OPT_TIMEOUT:
        cli->timeout_s = parse_uint("--timeout", arg, 86400);
        break;
    case OPT_TRACE:
        cli->trace_path = arg;
        break;
    case OPT_STATELESS_REPORT:
        cli->stateless_report = arg;
        break;
    case OPT_LOG:
        cli->log_level = parse_choice("--log", arg, levels, 4);
        break;
    case OPT_CPU:
        if (strcmp(arg, "any") == 0) {
            cli->cpu = CPU_ANY;
        } else if (arg[0] == '\0' || arg[strspn(arg, "0123456789")] != '\0') {
            bad_input("--cpu: '%s' is neither a CPU number nor 'any'", arg);
        } else {
            cli->cpu = (int)parse_uint("--cpu", arg, 4095);
        }
        break;
    case OPT_ISOLATION:
        cli->isolation = strcmp(arg, "off") == 0 ? 0 : (int)parse_uint("--isolation", arg, 3);
        break;
    case OPT_STACK_CHECK:
        cli->stack_check = parse_choice("--stack-check", arg, stack_checks, 3) >= 1;
        cli->stack_enforce = strcmp(arg, "enforce") == 0;
        break;
    case OPT_ADDR32:
        cli->addr32 = true;
        break;
    case 'h':
        fputs(usage_text, stdout);
        fputs(usage_more, stdout);
        exit(0);
    case OPT_VERSION:
        printf("ffm-sim %s (manifest library %s)\n", FFM_SIM_VERSION, ffm_manifest_version());
        exit(0);
    default:
        bad_input("unknown option or missing argument (see ffm-sim --help)");
    }
}

/* --report FILE: its directory must exist and be writable now, not after a long run. */
static void check_report_path(const char *path)
{
    if (path == NULL) {
        return;
    }
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    if (slash == NULL) {
        snprintf(dir, sizeof dir, ".");
    } else {
        snprintf(dir, sizeof dir, "%.*s", (int)(slash == path ? 1 : slash - path), path);
    }
    if (path[0] == '\0' || (slash != NULL && slash[1] == '\0')) {
        bad_input("--report '%s': not a file name", path);
    }
    if (access(dir, W_OK | X_OK) != 0) {
        bad_input("--report %s: cannot write in %s: %s", path, dir, strerror(errno));
    }
}

static void parse_args(struct cli *cli, int argc, char **argv)
{
    *cli = (struct cli){ .ns_entry = "ns_main", .profile = FFM_PROFILE_SPEC,
                         .policy = SIM_POLICY_RESET, .max_resets = FFM_SUPER_DEFAULT_MAX_RESETS,
                         .reset_loop = 3,
                         .log_level = FFM_LOG_WARN, .cpu = CPU_DEFAULT,
                         .isolation = 1 };
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "m:c:D:h", long_options, NULL)) != -1) {
        if (c == '?') {
            bad_input("unknown option '%s' or missing argument (see ffm-sim --help)",
                      argv[optind - 1]);
        }
        parse_option(cli, c, optarg);
    }
    if (optind < argc) {
        bad_input("unexpected argument '%s' (see ffm-sim --help)", argv[optind]);
    }
    if (cli->flash_layout != NULL) {
        return; /* a header from the platform file alone: no system to run */
    }
    if (cli->n_lists == 0) {
        bad_input("no manifest list: give -m LIST (see ffm-sim --help)");
    }
    if (cli->ns_path == NULL) {
        bad_input("no NS application: give --ns PATH.so (see ffm-sim --help)");
    }
    check_report_path(cli->report_path);
}

/* --addr32: steer every later mapping below 4 GiB, before the first image is opened (the
 * parent checks images with dlopen) or thread created. A host that cannot is refused here. */
static void begin_addr32(const struct cli *cli)
{
    char err[256];
    if (cli->addr32 && addr32_reserve(err, sizeof err) != 0) {
        bad_input("%s", err);
    }
}

/* ---------------------------------------------------------------- loading */

static void load_platform(struct system *sys)
{
    int rc = sys->cli.platform_path != NULL
                 ? platform_file_load(sys->cli.platform_path, stderr, &sys->pf)
                 : platform_file_default(&sys->pf);
    if (rc != 0 && sys->cli.platform_path != NULL) {
        exit(FFM_EXIT_BAD_INPUT); /* the loader printed one "FILE:LINE:COL: error:" per problem */
    }
    if (rc != 0) {
        bad_input("the built-in platform is invalid");
    }
    sys->irq_sources = calloc(sys->pf->n_irq_sources + 1, sizeof *sys->irq_sources);
    sys->irq_period_us = calloc(sys->pf->n_irq_sources + 1, sizeof *sys->irq_period_us);
    if (sys->irq_sources == NULL || sys->irq_period_us == NULL) {
        bad_input("out of memory reading the platform");
    }
    for (size_t i = 0; i < sys->pf->n_irq_sources; i++) {
        sys->irq_sources[i] = sys->pf->irq_sources[i].name;
        sys->irq_period_us[i] = sys->pf->irq_sources[i].period_us;
    }
}

/* --flash-layout OUT.h: written to OUT.h.tmp and renamed, so a reader never sees half of it;
 * then ffm-sim exits (0, or 2 when the file cannot be written). */
static _Noreturn void write_flash_layout(const struct system *sys)
{
    const char *path = sys->cli.flash_layout;
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        bad_input("--flash-layout %s: path too long", path);
    }
    FILE *out = fopen(tmp, "w");
    if (out == NULL) {
        bad_input("--flash-layout %s: %s", path, strerror(errno));
    }
    int rc = platform_flash_layout_write(sys->pf, out);
    if (fclose(out) != 0 || rc != 0 || rename(tmp, path) != 0) {
        int err = errno;
        remove(tmp);
        bad_input("--flash-layout %s: cannot write: %s", path, strerror(err));
    }
    exit(0);
}

/* MAN-29: manifests' mmio_regions must name platform regions. */
static void load_manifests(struct system *sys)
{
    const char **regions = calloc(sys->pf->n_regions + 1, sizeof *regions);
    for (size_t i = 0; regions != NULL && i < sys->pf->n_regions; i++) {
        regions[i] = sys->pf->regions[i].name;
    }
    struct ffm_manifest_options opt = {
        .profile = sys->cli.profile, .lists = sys->cli.lists, .n_lists = sys->cli.n_lists,
        .platform_regions = regions, .n_platform_regions = sys->pf->n_regions,
        .check_platform_regions = true, .config_files = sys->cli.configs,
        .n_config_files = sys->cli.n_configs, .defines = sys->cli.defines,
        .n_defines = sys->cli.n_defines, .backend = sys->cli.backend,
        .undefined_off = sys->cli.undefined_off,
    };
    enum ffm_manifest_status st = ffm_manifest_load(&opt, &sys->set);
    free(regions);
    if (sys->set == NULL) {
        bad_input("out of memory reading the manifests");
    }
    ffm_manifest_print_diags(sys->set, stderr);
    if (st != FFM_MANIFEST_OK && ffm_manifest_error_count(sys->set) > 0) {
        exit(FFM_EXIT_BAD_INPUT); /* one "FILE:LINE:COL: error:" line per problem, above */
    }
    if (st != FFM_MANIFEST_OK) {
        bad_input("the manifests are invalid");
    }
    sys->desc = ffm_manifest_desc(sys->set);
}

static int partition_index(const struct ffm_system_desc *d, const char *name)
{
    for (uint16_t p = 0; name != NULL && p < d->n_partitions; p++) {
        if (strcmp(d->partitions[p].name, name) == 0) {
            return p;
        }
    }
    return -1;
}

/* IRQ sources must exist in the platform; region owners must be partitions. */
static void cross_check(struct system *sys)
{
    const struct ffm_system_desc *d = sys->desc;
    for (uint16_t i = 0; i < d->n_irqs; i++) {
        if (platform_file_irq_source(sys->pf, d->irqs[i].source) < 0) {
            bad_input("%s: irqs: source '%s' of %s is not an IRQ source of the platform (%s)",
                      d->partitions[d->irqs[i].partition].manifest_path, d->irqs[i].source,
                      d->partitions[d->irqs[i].partition].name, sys->pf->path);
        }
    }
    for (size_t r = 0; r < sys->pf->n_regions; r++) {
        const struct platform_region *reg = &sys->pf->regions[r];
        if (reg->owner != NULL && partition_index(d, reg->owner) < 0) {
            bad_input("%s:%u:%u: regions[%zu].owner: '%s' is not a partition of the manifests",
                      sys->pf->path, reg->owner_loc.line, reg->owner_loc.column, r, reg->owner);
        }
    }
}

/* Every image file, checked without running any of its code (image_check.h). */
static void check_images(struct system *sys)
{
    char err[512];
    for (size_t i = 0; i < sys->cli.n_images; i++) {
        if (image_check(sys->cli.images[i], sys->infos, i, &sys->infos[i], err,
                        sizeof err) != 0) {
            bad_input_msg(err);
        }
    }
    if (image_check(sys->cli.ns_path, sys->infos, sys->cli.n_images, &sys->ns_info, err,
                    sizeof err) != 0) {
        bad_input_msg(err);
    }
}

static size_t resolve(struct system *sys, const char *name)
{
    char err[512];
    size_t which = 0;
    if (sys->cli.n_images == 0) {
        bad_input("no partition image defines '%s': give --image PATH.so", name);
    }
    if (image_info_resolve(sys->infos, sys->cli.n_images, name, &which, err, sizeof err) != 0) {
        bad_input_msg(err);
    }
    return which;
}

/* Each name a manifest gives, in the partition images; the NS entry in the NS image. Each
 * image is owned by the first partition found in it (MEM-03). */
static void resolve_symbols(struct system *sys)
{
    const struct ffm_system_desc *d = sys->desc;
    size_t which = 0;
    for (uint16_t p = 0; p < d->n_partitions; p++) {
        const struct ffm_partition_desc *pd = &d->partitions[p];
        bool has_entry = pd->entry != NULL;
        if (has_entry) {
            which = sys->entry_img[p] = resolve(sys, pd->entry);
        }
        for (uint16_t s = pd->first_service; s < pd->first_service + pd->n_services; s++) {
            if (d->services[s].sfn_name != NULL) {
                which = sys->sfn_img[s] = resolve(sys, d->services[s].sfn_name);
                has_entry = true;
            }
        }
        for (uint16_t i = pd->first_irq; i < pd->first_irq + pd->n_irqs; i++) {
            if (d->irqs[i].flih_name != NULL) {
                which = sys->flih_img[i] = resolve(sys, d->irqs[i].flih_name);
                has_entry = true;
            }
        }
        if (has_entry && sys->owner[which] == 0) {
            sys->owner[which] = pd->pid;
        }
    }
    if (!image_info_defines(sys->ns_info, sys->cli.ns_entry)) {
        bad_input("%s: the NS image does not define '%s' (see --ns-entry)",
                  image_info_path(sys->ns_info), sys->cli.ns_entry);
    }
}

static bool is_psa_rot(const struct ffm_system_desc *d, int32_t pid)
{
    for (uint16_t p = 0; p < d->n_partitions; p++) {
        if (d->partitions[p].pid == pid) {
            return d->partitions[p].type == FFM_PSA_ROT;
        }
    }
    return true; /* the SPM */
}

static const char *partition_name(const struct system *sys, int32_t pid)
{
    for (uint16_t p = 0; p < sys->desc->n_partitions; p++) {
        if (sys->desc->partitions[p].pid == pid) {
            return sys->desc->partitions[p].name;
        }
    }
    return "SPM";
}

/* MEM-04: the NS image's segments are non-secure memory with the rights the loader gave them,
 * as the host's own map would say. Registered, they are judged without asking the host (no
 * system call per check on a hot path: NS vectors in the image's data and rodata). Each boot
 * loads the image and registers it anew, so the registration never goes stale. A segment that is
 * already registered (the NS image is also a partition image) keeps its secure registration. */
static void register_ns_image(struct system *sys)
{
    const struct image_segment *segs;
    size_t n = image_segments(sys->ns_image, &segs);
    char err[512];
    for (size_t i = 0; i < n; i++) {
        char name[300];
        snprintf(name, sizeof name, "%s (NS)", image_path(sys->ns_image));
        struct memmap_range r = { .base = segs[i].base, .size = segs[i].size,
                                  .secure = false, .rights = segs[i].rights, .name = name };
        (void)memmap_add(sys->map, &r, err, sizeof err);
    }
}

/* ffm-rule: MEM-14 */
/* MEM-14: a region declared in a manifest's mmio_regions is owned by that partition. */
static int32_t region_owner(const struct system *sys, const struct platform_region *reg)
{
    int p = partition_index(sys->desc, reg->owner);
    if (p >= 0) {
        return sys->desc->partitions[p].pid;
    }
    for (uint16_t q = 0; q < sys->desc->n_partitions; q++) {
        const struct ffm_partition_desc *pd = &sys->desc->partitions[q];
        for (uint16_t m = 0; m < pd->n_mmio; m++) {
            if (pd->mmio[m].name != NULL && strcmp(pd->mmio[m].name, reg->name) == 0) {
                return pd->pid;
            }
        }
    }
    return MEMMAP_OWNER_SPM;
}

/* ---------------------------------------------------------------- isolation (MEM-15) */

/* The table of secure memory that direct-access isolation closes (sim/isolation.h). Built in
 * the supervisor before the first boot (images, regions) and by each boot (NVMEM, stacks). */
static struct ffm_isolation iso_table;

/* The isolation domain bit of a partition ID (MEMMAP_OWNER_SPM: the SPM's, MEM-17). */
static uint64_t iso_domain(const struct system *sys, int32_t pid)
{
    for (uint16_t p = 0; p < sys->desc->n_partitions; p++) {
        if (sys->desc->partitions[p].pid == pid) {
            return 1ull << p;
        }
    }
    return 1ull << ISO_DOM_SPM;
}

static const char *iso_owner_name(const struct system *sys, int32_t pid)
{
    for (uint16_t p = 0; p < sys->desc->n_partitions; p++) {
        if (sys->desc->partitions[p].pid == pid) {
            return sys->desc->partitions[p].name;
        }
    }
    return "SPM";
}

static void iso_add(struct system *sys, uintptr_t base, size_t size, int32_t pid,
                    unsigned rights, const char *what)
{
    char err[256];
    if (sys->cli.isolation == 0) {
        return;
    }
    int prot = (rights & MEMMAP_W) != 0 ? PROT_READ | PROT_WRITE : PROT_READ;
    if (isolation_add(&iso_table, base, size, iso_domain(sys, pid), prot,
                      iso_owner_name(sys, pid), what, err, sizeof err) != 0) {
        bad_input_msg(err);
    }
}

static bool image_defines(const struct system *sys, const struct image *img, uint16_t p)
{
    const struct ffm_system_desc *d = sys->desc;
    const struct ffm_partition_desc *pd = &d->partitions[p];
    bool in = sys->entry[p] != NULL && image_contains(img, (const void *)(uintptr_t)sys->entry[p]);
    for (uint16_t s = pd->first_service; s < pd->first_service + pd->n_services; s++) {
        in = in || (sys->sfn[s] != NULL && image_contains(img, (const void *)(uintptr_t)sys->sfn[s]));
    }
    for (uint16_t i = pd->first_irq; i < pd->first_irq + pd->n_irqs; i++) {
        in = in || (sys->flih[i] != NULL && image_contains(img, (const void *)(uintptr_t)sys->flih[i]));
    }
    return in;
}

/* MEM-18: a partition image's malloc, calloc, realloc and free serve its partition's heap. */
static void bind_heaps(struct system *sys)
{
    static const char *const names[] = { "malloc", "calloc", "realloc", "free" };
    void *const fns[] = { (void *)(uintptr_t)sim_partition_malloc,
                          (void *)(uintptr_t)sim_partition_calloc,
                          (void *)(uintptr_t)sim_partition_realloc,
                          (void *)(uintptr_t)sim_partition_free };
    for (size_t i = 0; i < sys->cli.n_images; i++) {
        bool partition_code = false;
        for (uint16_t p = 0; p < sys->desc->n_partitions; p++) {
            partition_code = partition_code || image_defines(sys, sys->images[i], p);
        }
        char err[512];
        if (partition_code && sys->images[i] != sys->ns_image &&
            image_rebind(sys->images[i], names, fns, 4, err, sizeof err) != 0) {
            ffm_boot_internal_error(sys->ctx, err); /* found only once the boot loaded it */
        }
    }
}


/* The isolation table, empty, for the run's level: the parent adds the platform regions to it
 * before the first boot; each boot adds its images' writable segments once it has loaded them
 * (load_images), in its own copy. */
static void isolation_begin(struct system *sys)
{
    uint64_t psa_rot = 0;
    for (uint16_t p = 0; p < sys->desc->n_partitions; p++) {
        psa_rot |= sys->desc->partitions[p].type == FFM_PSA_ROT ? 1ull << p : 0;
    }
    isolation_init(&iso_table, sys->cli.isolation, psa_rot);
}

/* MEM-15: the writable segments (data, bss) of each partition image belong to every
 * partition the image defines; code and read-only data stay readable (docs/isolation.md). */
static void isolate_images(struct system *sys)
{
    for (size_t i = 0; i < sys->cli.n_images && sys->cli.isolation > 0; i++) {
        uint64_t domains = 0;
        const char *owner = NULL;
        for (uint16_t p = 0; p < sys->desc->n_partitions; p++) {
            if (image_defines(sys, sys->images[i], p)) {
                domains |= 1ull << p;
                owner = owner != NULL ? owner : sys->desc->partitions[p].name;
            }
        }
        if (domains == 0 || sys->images[i] == sys->ns_image) {
            continue; /* no partition code: not partition memory */
        }
        const char *path = image_path(sys->images[i]);
        const char *slash = strrchr(path, '/');
        char what[ISO_NAME_MAX];
        snprintf(what, sizeof what, "data of %s", slash != NULL ? slash + 1 : path);
        const struct image_segment *segs;
        size_t n = image_segments(sys->images[i], &segs);
        for (size_t k = 0; k < n; k++) {
            char err[256];
            if ((segs[k].rights & MEMMAP_W) != 0 &&
                isolation_add(&iso_table, segs[k].base, segs[k].size, domains,
                              PROT_READ | PROT_WRITE, owner, what, err, sizeof err) != 0) {
                ffm_boot_internal_error(sys->ctx, err); /* found only once the boot loaded it */
            }
        }
    }
}

/* The host pages [*lo, *hi) that hold a fixed region's bytes (MEM-19). */
static void page_span(const struct platform_region *reg, uint64_t *lo, uint64_t *hi)
{
    uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
    *lo = reg->base / page * page;
    *hi = (reg->base + reg->size + page - 1) / page * page;
}

/*
 * MEM-19: map the pages that hold fixed region `r`, except those an earlier region already
 * mapped (regions may share a page: the platform file refuses only a page both secure and
 * non-secure, or both persistent and not). A page is mapped read-write when any region on it
 * is; memmap keeps each region's own rights, exact to the byte, for the API checks.
 */
static int map_fixed_pages(struct system *sys, size_t r, char *err, size_t err_size)
{
    const struct platform_region *reg = &sys->pf->regions[r];
    uint64_t lo, hi, page = (uint64_t)sysconf(_SC_PAGESIZE);
    page_span(reg, &lo, &hi);
    uint64_t run = lo; /* start of the pages still to map, all with rights run_rw */
    bool run_rw = reg->read_write;
    for (uint64_t at = lo; at <= hi; at += page) {
        bool taken = false, rw = reg->read_write;
        for (size_t q = 0; q < sys->pf->n_regions && at < hi; q++) {
            const struct platform_region *o = &sys->pf->regions[q];
            uint64_t olo, ohi;
            if (q == r || !o->has_base || (int)q == sys->pf->nvmem_region) {
                continue;
            }
            page_span(o, &olo, &ohi);
            if (at >= olo && at < ohi) {
                taken = taken || q < r;
                rw = rw || o->read_write;
            }
        }
        if (at == hi || taken || rw != run_rw) { /* the run ends before this page */
            if (at > run && memmap_map_fixed(run, at - run, run_rw ? MEMMAP_RW : MEMMAP_R,
                                             reg->persistent, -1, err, err_size) != 0) {
                return -1;
            }
            run = taken ? at + page : at;
            run_rw = rw;
        }
    }
    return 0;
}

/* Platform regions other than NVMEM (the supervisor maps that one): mapped once here, shared
 * when persistent (RESET-03), private otherwise so each boot starts from a fresh copy. */
static void map_regions(struct system *sys)
{
    char err[512];
    for (size_t r = 0; r < sys->pf->n_regions; r++) {
        const struct platform_region *reg = &sys->pf->regions[r];
        if ((int)r == sys->pf->nvmem_region) {
            continue;
        }
        unsigned rights = reg->read_write ? MEMMAP_RW : MEMMAP_R;
        void *addr = (void *)(uintptr_t)reg->base;
        if (reg->has_base) {
            if (map_fixed_pages(sys, r, err, sizeof err) != 0) {
                bad_input("%s: regions[%zu] %s: %s", sys->pf->path, r, reg->name, err);
            }
        } else if ((addr = memmap_map_anywhere(reg->size, rights, reg->persistent, -1, err,
                                               sizeof err)) == NULL) {
            bad_input("%s: regions[%zu] %s: %s", sys->pf->path, r, reg->name, err);
        }
        int32_t pid = region_owner(sys, reg);
        struct memmap_range range = {
            .base = (uintptr_t)addr, .size = (size_t)reg->size, .secure = reg->secure,
            .owner = pid, .owner_psa_rot = is_psa_rot(sys->desc, pid), .rights = rights,
            .name = reg->name,
        };
        if (memmap_add(sys->map, &range, err, sizeof err) != 0) {
            bad_input("%s: regions[%zu] %s: %s", sys->pf->path, r, reg->name, err);
        }
        if (reg->flash) { /* mapped zero-filled: a new flash device is erased */
            sys->flash[reg->flash_device].mem = addr;
            memset(addr, reg->flash_geometry.erased_value, (size_t)reg->size);
        }
        if (reg->secure) {
            char what[ISO_NAME_MAX];
            snprintf(what, sizeof what, "region %s", reg->name);
            iso_add(sys, (uintptr_t)addr, (size_t)reg->size, pid, rights, what);
        }
    }
    if (sys->pf->nvmem_region >= 0) {
        sys->nvmem_owner = region_owner(sys, &sys->pf->regions[sys->pf->nvmem_region]);
    }
}

/*
 * The flash devices (platform regions with `flash:`), in device order, and their run-wide
 * counters: mapped shared before the first boot, so wear and the --flash-cut-after count go on
 * across resets, and the parent prints the summary at the end. The NVMEM region's bytes are
 * the supervisor's mapping, known in each boot (run_system); the others were mapped above.
 */
static void setup_flash(struct system *sys)
{
    size_t first = 0;
    for (size_t r = 0; r < sys->pf->n_regions; r++) {
        const struct platform_region *reg = &sys->pf->regions[r];
        if (!reg->flash) {
            continue;
        }
        struct sim_flash_dev *d = &sys->flash[reg->flash_device];
        d->region = reg->name;
        d->size = (uint32_t)reg->size;
        d->geometry = reg->flash_geometry;
        d->secure = reg->secure;
        d->owner = region_owner(sys, reg);
        d->first_sector = first;
        first += d->size / d->geometry.sector_size;
        sys->n_flash++;
    }
    if (sys->cli.flash_cut_after != 0 && sys->n_flash == 0) {
        bad_input("--flash-cut-after %u: the platform (%s) declares no flash region",
                  sys->cli.flash_cut_after, sys->pf->path);
    }
    if (sys->n_flash == 0) {
        return;
    }
    size_t size = sim_flash_wear_size(sys->flash, sys->n_flash);
    void *wear = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (wear == MAP_FAILED) {
        fprintf(stderr, "ffm-sim: out of memory for the flash counters\n");
        exit(FFM_EXIT_INTERNAL);
    }
    sys->flash_wear = wear; /* zero-filled by mmap */
    sys->flash_wear->cut_after = sys->cli.flash_cut_after;
}

/* ---------------------------------------------------------------- the child: one boot */

static void host_count_call(void *arg)
{
    struct system *sys = arg;
    ffm_boot_count_call(sys->ctx);
}

static void host_record_stack(void *arg, unsigned index, const char *name, uint32_t stack_size,
                              uint32_t used)
{
    struct system *sys = arg;
    ffm_boot_record_stack(sys->ctx, index, name, stack_size, used);
}

/* Events returned to NS are logged and counted now. A panic is handed to the supervisor with
 * the end of the boot (host_end), except under `trap`, where the boot goes on: the supervisor
 * records it as a trapped panic (one PANIC line, counted in the summary's panics). */
static void host_record_pe(void *arg, const struct ffm_pe_record *pe, bool panics)
{
    struct system *sys = arg;
    struct sim_thread *self = sim_self();
    /* The NS entry thread unwound under trap ends the run: host_end reports it, once. */
    bool ends_run = self != NULL && self == self->sim->ns_main && sim_flih_partition() < 0;
    if (panics && sys->cli.policy == SIM_POLICY_TRAP && !ends_run) {
        bool psa_panic = !pe->programmer_error && strcmp(pe->rule, "PANIC-01") == 0;
        ffm_boot_trapped(sys->ctx, psa_panic ? FFM_STOP_PSA_PANIC : FFM_STOP_PANIC, pe);
    } else if (!panics && sys->cli.log_level >= FFM_LOG_WARN) {
        ffm_boot_record_pe(sys->ctx, pe);
    } else if (!panics) {
        ffm_boot_keep_pe(sys->ctx, pe); /* --log error: no line, but the summary counts it */
    }
}

/* Policy trap: a partition or NS thread faulted and was unwound (RESET-10, RESET-11). */
static void host_record_trapped_fault(void *arg, const struct ffm_pe_record *pe)
{
    struct system *sys = arg;
    ffm_boot_trapped(sys->ctx, FFM_STOP_FAULT, pe);
}

static void host_ns_entered(void *arg)
{
    struct system *sys = arg;
    ffm_boot_ns_entered(sys->ctx);
}

static void host_end(void *arg, const struct sim_outcome *o, const struct ffm_pe_record *pe)
{
    struct system *sys = arg;
    struct ffm_pe_record fallback;
    switch (o->stop_reason) {
    case FFM_STOP_FAULT: /* the NS entry thread faulted under trap: as if not recovered */
        if (sys->ctx->fault != NULL && sys->ctx->fault->valid) {
            ffm_boot_fault(sys->ctx);
        }
        break;
    case FFM_STOP_PLATFORM:
        ffm_boot_reset(sys->ctx, o->what);
    case FFM_STOP_DEADLOCK:
        ffm_boot_deadlock(sys->ctx, o->what);
    case FFM_STOP_INTERNAL:
        ffm_boot_internal_error(sys->ctx, o->what);
    default:
        break;
    }
    if (pe == NULL || o->stop_reason == FFM_STOP_FAULT) {
        ffm_pe_record_init(&fallback, o->stop_reason == FFM_STOP_FAULT ? "RESET-11" : "PANIC-04",
                           "-", false, -1, "NS", o->what);
        pe = &fallback;
    }
    ffm_boot_panic(sys->ctx, (enum ffm_stop_reason)o->stop_reason, pe);
}

static void name_tracks(struct system *sys, struct ffm_trace *trace)
{
    for (uint16_t p = 0; trace != NULL && p < sys->desc->n_partitions; p++) {
        ffm_trace_name_track(trace, 1 + p, sys->desc->partitions[p].name);
    }
    ffm_trace_name_track(trace, 100, "NS");
}

static int register_nvmem(struct system *sys, struct ffm_boot_ctx *ctx)
{
    if (ctx->nvmem == NULL) {
        return 0;
    }
    char err[256];
    struct memmap_range r = {
        .base = (uintptr_t)ctx->nvmem, .size = ctx->nvmem_size, .secure = true,
        .owner = sys->nvmem_owner, .owner_psa_rot = is_psa_rot(sys->desc, sys->nvmem_owner),
        .rights = MEMMAP_RW, .name = "NVMEM",
    };
    if (memmap_add(sys->map, &r, err, sizeof err) != 0) {
        ffm_boot_internal_error(ctx, err);
    }
    iso_add(sys, r.base, r.size, sys->nvmem_owner, MEMMAP_RW, "region NVMEM");
    return 0;
}

/* ---------------------------------------------------------------- the child: loading images */

/* The system whose image is loading, for exit_during_load: atexit handlers take no argument.
 * Set only in the child, once per boot; the parent never loads an image. */
static struct system *exit_watch;

/* exit() called by image code while its image loads (a constructor): the image ended the
 * simulated system, which partition code never may. A panic of that image (PANIC-07, as for an
 * entry point that returns), so the panic policy decides; never a run that "succeeded". */
static void exit_during_load(void)
{
    struct system *sys = exit_watch;
    if (sys == NULL || sys->loading == NULL) {
        return;
    }
    char reason[200];
    snprintf(reason, sizeof reason, "exit() called by a constructor of image %s", sys->loading);
    struct ffm_pe_record pe;
    bool ns = sys->loading_id < 0;
    ffm_pe_record_init(&pe, "PANIC-07", "constructor", !ns, sys->loading_id,
                       ns ? "NS" : partition_name(sys, sys->loading_id), reason);
    ffm_boot_panic(sys->ctx, FFM_STOP_PANIC, &pe);
}

/* dlopen one image with its constructors attributed to it: a fault there is a fault of the
 * owning partition (or of NS) named after the image (RESET-10, RESET-11); exit() is a panic. */
static struct image *load_image(struct system *sys, const char *path, int32_t id)
{
    char name[FFM_FAULT_NAME_MAX], err[512];
    const char *base = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
    snprintf(name, sizeof name, "%s constructor", base);
    ffm_fault_thread_enter(id < 0 ? FFM_THREAD_NS : FFM_THREAD_PARTITION, id, name);
    sys->loading = path;
    sys->loading_id = id;
    struct image *img = NULL;
    int rc = image_load(path, &img, err, sizeof err);
    sys->loading = NULL;
    ffm_fault_thread_leave();
    if (rc != 0) {
        /* The parent's check passed, so the dynamic linker found what it could not see
         * before loading (a symbol of a needed library not loaded in the parent). */
        ffm_boot_internal_error(sys->ctx, err);
    }
    return img;
}

static sim_fn symbol(struct system *sys, size_t which, const char *name)
{
    void *addr = image_symbol(sys->images[which], name);
    if (addr == NULL) {
        char err[300];
        snprintf(err, sizeof err, "%s: '%s' not found after loading", image_path(sys->images[which]),
                 name);
        ffm_boot_internal_error(sys->ctx, err);
    }
    return sim_fn_from_ptr(addr);
}

/* Load every image (partition images first, in command-line order, then NS), register their
 * segments as owned memory (MEM-03) and take the addresses of the names the parent resolved. */
static void load_images(struct system *sys)
{
    char err[512];
    exit_watch = sys;
    atexit(exit_during_load);
    for (size_t i = 0; i < sys->cli.n_images; i++) {
        int32_t pid = sys->owner[i] != 0 ? sys->owner[i] : MEMMAP_OWNER_SPM;
        sys->images[i] = load_image(sys, sys->cli.images[i], sys->owner[i]);
        if (image_register(sys->images[i], sys->map, pid, is_psa_rot(sys->desc, pid), err,
                           sizeof err) != 0) {
            ffm_boot_internal_error(sys->ctx, err);
        }
    }
    sys->ns_image = load_image(sys, sys->cli.ns_path, -1);
    register_ns_image(sys);
    const struct ffm_system_desc *d = sys->desc;
    for (uint16_t p = 0; p < d->n_partitions; p++) {
        if (d->partitions[p].entry != NULL) {
            sys->entry[p] = symbol(sys, sys->entry_img[p], d->partitions[p].entry);
        }
    }
    for (uint16_t s = 0; s < d->n_services; s++) {
        if (d->services[s].sfn_name != NULL) {
            sys->sfn[s] = symbol(sys, sys->sfn_img[s], d->services[s].sfn_name);
        }
    }
    for (uint16_t i = 0; i < d->n_irqs; i++) {
        if (d->irqs[i].flih_name != NULL) {
            sys->flih[i] = symbol(sys, sys->flih_img[i], d->irqs[i].flih_name);
        }
    }
    void *ns = image_symbol(sys->ns_image, sys->cli.ns_entry);
    if (ns == NULL) {
        ffm_boot_internal_error(sys->ctx, "the NS entry is not found after loading");
    }
    sys->ns_main = (int (*)(void))sim_fn_from_ptr(ns);
    isolate_images(sys);
    bind_heaps(sys);
}

static int run_system(struct ffm_boot_ctx *ctx, void *arg)
{
    struct system *sys = arg;
    sys->ctx = ctx;
    register_nvmem(sys, ctx);
    load_images(sys);
    static struct sim_host host;
    host = (struct sim_host){ .arg = sys, .count_call = host_count_call,
                              .record_stack = host_record_stack,
                              .record_pe = host_record_pe,
                              .record_trapped_fault = host_record_trapped_fault,
                              .ns_entered = host_ns_entered,
                              .end = host_end };
    for (unsigned f = 0; f < sys->n_flash; f++) {
        const struct platform_region *nv = sys->pf->nvmem_region >= 0
                                               ? &sys->pf->regions[sys->pf->nvmem_region]
                                               : NULL;
        if (nv != NULL && nv->flash && nv->flash_device == f) {
            sys->flash[f].mem = ctx->nvmem;
        }
    }
    struct sim_setup su = {
        .desc = sys->desc, .spm_config = ffm_spm_config_default(), .policy = sys->cli.policy,
        .log_level = sys->cli.log_level, .log = ctx->log, .entry = sys->entry, .sfn = sys->sfn,
        .flih = sys->flih, .ns_main = sys->ns_main, .map = sys->map,
        .irq_sources = sys->irq_sources, .irq_period_us = sys->irq_period_us,
        .realtime = sys->cli.realtime, .nvmem = ctx->nvmem, .nvmem_size = ctx->nvmem_size,
        .nvmem_owner = sys->nvmem_owner, .wdog = ctx->wdog, .wdog_supervised = true,
        .trace = ctx->trace, .observer = sys->observer, .catch_faults = true, .fault = ctx->fault, .host = &host,
        .iso = sys->cli.isolation > 0 ? &iso_table : NULL,
        .stack_check = sys->cli.stack_check,
        .flash = sys->flash, .n_flash = sys->n_flash, .flash_wear = sys->flash_wear,
        .stack_enforce = sys->cli.stack_enforce,
    };
    su.spm_config.isolation_level = (uint8_t)(sys->cli.isolation > 0 ? sys->cli.isolation : 1);
    su.spm_config.profile = sys->cli.profile;
    su.spm_config.lifecycle_state = sys->pf->lifecycle;
    su.spm_config.boot = ctx->boot;
    name_tracks(sys, ctx->trace);
    struct sim_outcome out;
    char err[512];
    if (sim_run_boot(&su, &out, err, sizeof err) != 0) {
        ffm_boot_internal_error(ctx, err);
    }
    return out.status;
}

/* --gcov: the simulated process is about to _exit; the images' destructors (gcov's among
 * them) would never run, so run them now. Nothing of the images is used afterwards. */
static void finalize_images(void *arg)
{
    struct system *sys = arg;
    /* The destructors are the toolchain's (gcov writing its counters), not partition code: they
     * get the host's allocator back (a partition without a heap would hand them NULL, MEM-18)
     * and every image's memory open (no isolation domain runs them). */
    static const char *const names[] = { "malloc", "calloc", "realloc", "free" };
    void *const fns[] = { (void *)(uintptr_t)malloc, (void *)(uintptr_t)calloc,
                          (void *)(uintptr_t)realloc, (void *)(uintptr_t)free };
    char err[256];
    (void)isolation_apply(&iso_table, ~(uint64_t)0, ~(uint64_t)0);
    for (size_t i = 0; i < sys->cli.n_images; i++) {
        if (sys->images[i] != NULL) {
            (void)image_rebind(sys->images[i], names, fns, 4, err, sizeof err);
        }
        image_finalize(sys->images[i]);
    }
    image_finalize(sys->ns_image);
}

/* ---------------------------------------------------------------- main */

/*
 * One simulated thread runs at a time, so every thread (the supervisor, which only sleeps and
 * watches, and each boot's process, which inherits the mask across fork) is kept on one CPU: a
 * token handoff then costs a same-core wake-up, not a cross-core migration. By default that is
 * the CPU ffm-sim starts on, so parallel runs spread over the machine; --cpu N names it and
 * --cpu any leaves placement to the OS. --log info says which.
 *
 * On one CPU the threads also run under SCHED_BATCH (no privilege needed): a thread woken by a
 * handoff then does not preempt the thread handing over before that one has gone to sleep,
 * so every handoff is one context switch, however many threads take turns (measured: with
 * several NS threads, wake-up preemption added about 50 % more switches per call).
 */
static void batch_policy(void)
{
#if defined(SCHED_BATCH)
    struct sched_param param = { .sched_priority = 0 };
    (void)sched_setscheduler(0, SCHED_BATCH, &param); /* a refusal only costs speed */
#endif
}

static void pin_cpu(const struct cli *cli)
{
#if defined(__linux__)
    int cpu = cli->cpu;
    if (cpu == CPU_ANY) {
        if (cli->log_level >= FFM_LOG_INFO) {
            fprintf(stderr, "ffm-sim: CPU: any (--cpu any: the OS places every thread)\n");
        }
        return;
    }
    if (cpu == CPU_DEFAULT) {
        cpu = sched_getcpu();
        if (cpu < 0) {
            return; /* the host does not say: leave placement to the OS */
        }
    }
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) {
        if (cli->cpu != CPU_DEFAULT) {
            bad_input("--cpu %d: %s", cpu, strerror(errno));
        }
        return;
    }
    batch_policy();
    if (cli->log_level >= FFM_LOG_INFO) {
        fprintf(stderr, "ffm-sim: CPU: %d (%s; every thread of the run)\n", cpu,
                cli->cpu == CPU_DEFAULT ? "the CPU ffm-sim started on" : "--cpu");
    }
#else
    (void)cli; /* documented no-op: macOS has no CPU affinity API */
#endif
}

int main(int argc, char **argv)
{
    static struct system sys;
    parse_args(&sys.cli, argc, argv);
    begin_addr32(&sys.cli);
    load_platform(&sys);
    if (sys.cli.flash_layout != NULL) {
        write_flash_layout(&sys);
    }
    load_manifests(&sys);
    cross_check(&sys);
    if (sys.cli.nvmem_path != NULL && sys.pf->nvmem_region < 0) {
        bad_input("--nvmem %s: the platform (%s) has no NVMEM region", sys.cli.nvmem_path,
                  sys.pf->path);
    }
    check_images(&sys);
    resolve_symbols(&sys);
    sys.map = memmap_create();
    if (sys.map == NULL) {
        fprintf(stderr, "ffm-sim: out of memory\n");
        return FFM_EXIT_INTERNAL;
    }
    if (sys.cli.addr32) {
        memmap_set_ceiling(sys.map, ADDR32_CEILING);
    }
    isolation_begin(&sys);
    map_regions(&sys);
    setup_flash(&sys);
    pin_cpu(&sys.cli);
    struct ffm_super_config cfg;
    ffm_super_config_init(&cfg);
    cfg.policy = sys.cli.policy == SIM_POLICY_HALT   ? FFM_PANIC_HALT
                 : sys.cli.policy == SIM_POLICY_TRAP ? FFM_PANIC_TRAP
                                                     : FFM_PANIC_RESET;
    cfg.max_resets = sys.cli.max_resets;
    cfg.timeout_ms = (uint32_t)sys.cli.timeout_s * 1000u;
    if (sys.pf->nvmem_region >= 0) {
        const struct platform_region *nv = &sys.pf->regions[sys.pf->nvmem_region];
        cfg.nvmem = (struct ffm_nvmem_config){ .size = (size_t)nv->size,
                                               .base = nv->has_base ? (uintptr_t)nv->base : 0,
                                               .path = sys.cli.nvmem_path };
    }
    cfg.wdog_scale = sys.pf->watchdog_scale;
    cfg.trace_path = sys.cli.trace_path;
    cfg.trace_sim_clock = sys.cli.trace_sim_clock;
    if (sys.cli.stateless_report != NULL) {
        char err[512];
        sys.observer = ffm_sl_report_begin(sys.cli.stateless_report, sys.desc->n_services, err,
                                           sizeof err);
        if (sys.observer == NULL) {
            bad_input("%s", err);
        }
    }
    cfg.reset_loop = sys.cli.reset_loop;
    cfg.quiet = sys.cli.quiet;
    cfg.report_path = sys.cli.report_path;
    cfg.where = ffm_where_fault;
    if (sys.cli.gcov) {
        cfg.child_exit = finalize_images;
        cfg.child_exit_arg = &sys;
    }
    int rc = ffm_supervise(&cfg, run_system, &sys);
    if (sys.n_flash > 0 && !sys.cli.quiet) {
        fprintf(stderr, "ffm-sim: flash (wear over the run):\n");
        sim_flash_summary(stderr, sys.flash, sys.n_flash, sys.flash_wear);
    }
    if (sys.observer != NULL &&
        ffm_sl_report_end(sys.observer, sys.desc, sys.cli.stateless_report, stderr) != 0) {
        return rc != 0 ? rc : FFM_EXIT_INTERNAL;
    }
    return rc;
}
