/*
 * ffm_fuzz.c - ffm-fuzz: fuzz your own partitions through the PSA client API (docs/fuzzing.md).
 *
 *   ffm-fuzz -m LIST --image P.so [--image Q.so ...] [--platform FILE] [--as ns|secure]
 *            [--allow SERVICE:TYPE ...] [libFuzzer flags] [CORPUS_DIR ... | REPRO_FILE]
 *
 * The system is loaded from the manifest list and the images ffm-sim runs, and booted once on
 * the real SPM core through the synchronous port (sim/syncport): SFN services run inline, IPC
 * entry points run until they wait for a signal that is not asserted (see the limits in
 * docs/fuzzing.md). Between inputs the booted state is copied back (ffm_fuzz_snap.c): the SPM,
 * the partitions' .data and .bss, and NVMEM; no process per input.
 *
 * Each input is a short program of client calls (ffm_fuzz_input.c) made as NS client -1 or,
 * with --as secure, as a partition the input picks. Findings (each aborts, so libFuzzer keeps
 * the input as a reproducer under -artifact_prefix):
 *  - crashes and sanitizer reports in partition code (the report names the function and line;
 *    ffm-fuzz adds the partition, service and request being handled);
 *  - a partition's panic or PROGRAMMER ERROR caused by the caller's input (denial of service),
 *    and a system reset requested on such input, unless declared with --allow SERVICE:TYPE;
 *  - hangs: a call that never completes (the service never replies; the port's livelock
 *    watchdog), and code that never returns (libFuzzer's -timeout, 10 s unless given);
 *  - leaked connections: after the input's handles are closed, a pool slot or a message is left.
 *
 * Options given to ffm-fuzz are taken out of argv before libFuzzer parses it
 * (LLVMFuzzerInitialize), and kept in FFM_FUZZ_ARGS for the processes libFuzzer starts itself
 * (-fork, -minimize_crash).
 */
#include "ffm_fuzz.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ffmsim/platform.h>

#include "image.h"
#include "manifest/manifest.h"
#include "platform_file.h"

#if defined(__has_include)
#if __has_include(<sanitizer/common_interface_defs.h>)
#include <sanitizer/common_interface_defs.h>
#define FF_HAVE_SANITIZER_HOOKS 1
#endif
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct ff_system ff;

/* ------------------------------------------------------------------ messages */

_Noreturn void ff_die(const char *fmt, ...)
{
    va_list ap;
    fputs("ffm-fuzz: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(2);
}

/* What the system was doing, for every report. */
static void print_context(void)
{
    const struct ff_activity *a = &ff.now;

    if (a->service == NULL) {
        return;
    }
    fprintf(stderr, "ffm-fuzz: while op %u of the input, %s %s of service %s (partition %s)",
            a->op, a->caller, a->api, a->service, a->partition);
    if (a->is_call) {
        fprintf(stderr, ", type %d", (int)a->type);
    }
    fputc('\n', stderr);
    if (ff.h != NULL && ff.h->current_valid && ff.h->current.secure) {
        fprintf(stderr, "ffm-fuzz: partition code running: %s\n",
                ff.desc->partitions[ff.h->current.partition].name);
    }
}

_Noreturn void ff_finding(const char *kind, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "ffm-fuzz: FINDING: %s: ", kind);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    print_context();
    abort();
}

#ifdef FF_HAVE_SANITIZER_HOOKS
/*
 * The sanitizers call this (a weak hook we replace) with the SUMMARY line of every report:
 * ASan, UBSan, LeakSanitizer. libFuzzer owns the death callback (it writes the reproducer),
 * so the partition and request being handled are added here.
 */
void __sanitizer_report_error_summary(const char *error_summary)
{
    fprintf(stderr, "%s\n", error_summary);
    fprintf(stderr, "ffm-fuzz: FINDING: sanitizer report (see above: function and line)\n");
    print_context();
}

/* UBSan reports with the stack, so a finding names the partition function, not only a line. */
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
    return "print_stacktrace=1";
}
#endif

/* ------------------------------------------------------------------ options */

static void usage(void)
{
    fputs("usage: ffm-fuzz -m LIST --image P.so [--image Q.so ...] [--platform FILE]\n"
          "                [--as ns|secure] [--allow SERVICE:TYPE ...] [libFuzzer flags]\n"
          "                [CORPUS_DIR ... | REPRO_FILE]\n",
          stderr);
    exit(2);
}

static void add_allow(const char *spec)
{
    const char *colon = strrchr(spec, ':');
    char *end;

    if (colon == NULL || colon == spec || ff.n_allow >= FF_MAX_ALLOW) {
        ff_die("error: --allow %s: expected SERVICE:TYPE", spec);
    }
    long type = strtol(colon + 1, &end, 0);
    if (*end != '\0' || end == colon + 1) {
        ff_die("error: --allow %s: TYPE is not a number", spec);
    }
    ff.allow[ff.n_allow].service = strndup(spec, (size_t)(colon - spec));
    ff.allow[ff.n_allow].type = (int32_t)type;
    ff.n_allow++;
}

/* Take one of ffm-fuzz's options at argv[i]; returns how many words it used (0: not ours). */
static int take_option(int argc, char **argv, int i)
{
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;

    if (strcmp(a, "-m") != 0 && strcmp(a, "--image") != 0 && strcmp(a, "--platform") != 0 &&
        strcmp(a, "--as") != 0 && strcmp(a, "--allow") != 0) {
        return 0;
    }
    if (v == NULL) {
        usage();
    }
    if (strcmp(a, "-m") == 0) {
        ff.list = v;
    } else if (strcmp(a, "--image") == 0) {
        if (ff.n_images >= FF_MAX_IMAGES) {
            ff_die("error: too many --image options (at most %d)", FF_MAX_IMAGES);
        }
        ff.image_paths[ff.n_images++] = v;
    } else if (strcmp(a, "--platform") == 0) {
        ff.platform = v;
    } else if (strcmp(a, "--as") == 0) {
        if (strcmp(v, "ns") != 0 && strcmp(v, "secure") != 0) {
            ff_die("error: --as %s: expected ns or secure", v);
        }
        ff.as_secure = strcmp(v, "secure") == 0;
    } else {
        add_allow(v);
    }
    return 2;
}

/* Options one per line; relative paths are taken relative to `dir` when it is not NULL. */
static void take_saved_options(const char *text, const char *dir)
{
    char *copy = strdup(text), *words[128];
    int n = 1;

    words[0] = "ffm-fuzz";
    for (char *w = strtok(copy, "\n"); w != NULL && n < 127; w = strtok(NULL, "\n")) {
        bool path = n > 1 && (strcmp(words[n - 1], "-m") == 0 ||
                              strcmp(words[n - 1], "--image") == 0 ||
                              strcmp(words[n - 1], "--platform") == 0);
        if (path && dir != NULL && w[0] != '/') {
            char *full = malloc(strlen(dir) + strlen(w) + 2);
            sprintf(full, "%s/%s", dir, w);
            w = full;
        }
        words[n++] = w;
    }
    for (int i = 1; i < n;) {
        int k = take_option(n, words, i);
        i += k > 0 ? k : 1;
    }
}

/*
 * <binary>.ffm-fuzz: ffm-fuzz's options for a copy of ffm-fuzz installed as an engine's fuzz
 * target (which is run with libFuzzer flags only), one word per line; paths relative to the
 * binary's directory. Lines starting with '#' are comments.
 */
static void read_options_file(const char *argv0)
{
    char path[4096], text[8192], line[1024];
    size_t used = 0;
    FILE *f;

    snprintf(path, sizeof path, "%s.ffm-fuzz", argv0);
    if ((f = fopen(path, "r")) == NULL) {
        usage();
    }
    text[0] = '\0';
    while (fgets(line, sizeof line, f) != NULL && used + strlen(line) + 1 < sizeof text) {
        if (line[0] != '#') {
            used += (size_t)snprintf(text + used, sizeof text - used, "%s", line);
        }
    }
    fclose(f);
    char *slash = strrchr(path, '/');
    if (slash != NULL) {
        *slash = '\0';
    }
    take_saved_options(text, slash != NULL ? path : ".");
}

/* Our options out of argv (kept in FFM_FUZZ_ARGS for child processes), libFuzzer's left. */
static void parse_options(int *argc, char ***argv)
{
    static char env[8192];
    size_t used = 0;
    int out = 1;

    for (int i = 1; i < *argc;) {
        int n = take_option(*argc, *argv, i);
        if (n == 0) {
            (*argv)[out++] = (*argv)[i++];
            continue;
        }
        for (int k = 0; k < n && used + strlen((*argv)[i + k]) + 2 < sizeof env; k++) {
            used += (size_t)snprintf(env + used, sizeof env - used, "%s%s", used ? "\n" : "",
                                     (*argv)[i + k]);
        }
        i += n;
    }
    (*argv)[out] = NULL;
    *argc = out;
    if (ff.list == NULL) {
        /* A process libFuzzer started (FFM_FUZZ_ARGS), or a binary installed for a fuzzing
         * engine with its options next to it (<binary>.ffm-fuzz). */
        const char *saved = getenv("FFM_FUZZ_ARGS");
        if (saved != NULL) {
            take_saved_options(saved, NULL);
        } else {
            read_options_file((*argv)[0]);
        }
    } else {
        setenv("FFM_FUZZ_ARGS", env, 1);
    }
    if (ff.list == NULL || ff.n_images == 0) {
        usage();
    }
}

/* ------------------------------------------------------------------ loading */

static void load_manifests(void)
{
    const char *lists[] = { ff.list };
    struct ffm_manifest_options opt = { .profile = FFM_PROFILE_SPEC, .lists = lists,
                                        .n_lists = 1 };

    if (ffm_manifest_load(&opt, &ff.set) != FFM_MANIFEST_OK) {
        ffm_manifest_print_diags(ff.set, stderr);
        ff_die("error: %s: the manifests do not load", ff.list);
    }
    ff.desc = ffm_manifest_desc(ff.set);
}

static void *resolve(const char *name)
{
    char err[512];
    void *addr = NULL;

    if (image_set_resolve(ff.images, ff.n_images, name, &addr, NULL, err, sizeof err) != 0) {
        ff_die("%s", err);
    }
    return addr;
}

/* Function pointers from dlsym: converted through uintptr_t (ISO C has no such cast). */
#define FN(type, addr) ((type)(uintptr_t)(addr))

static void register_code(void)
{
    const struct ffm_system_desc *d = ff.desc;

    for (uint16_t p = 0; p < d->n_partitions; p++) {
        const struct ffm_partition_desc *pd = &d->partitions[p];
        if (pd->model == FFM_MODEL_IPC) {
            ffm_sync_set_entry(ff.h, p, FN(ffm_sync_ipc_fn, resolve(pd->entry)));
        } else if (pd->entry != NULL) {
            ffm_sync_set_init(ff.h, p, FN(ffm_sync_init_fn, resolve(pd->entry)));
        }
    }
    for (uint16_t s = 0; s < d->n_services; s++) {
        if (d->services[s].sfn_name != NULL) {
            ffm_sync_set_sfn(ff.h, s, FN(ffm_sync_sfn_fn, resolve(d->services[s].sfn_name)));
        }
    }
    for (uint16_t i = 0; i < d->n_irqs; i++) {
        if (d->irqs[i].flih_name != NULL) {
            ffm_sync_set_flih(ff.h, i, FN(ffm_sync_flih_fn, resolve(d->irqs[i].flih_name)));
        }
    }
}

static void load_platform(void)
{
    struct platform_file *pf = NULL;
    int rc = ff.platform != NULL ? platform_file_load(ff.platform, stderr, &pf)
                                 : platform_file_default(&pf);

    if (rc != 0) {
        ff_die("error: %s: the platform file does not load",
               ff.platform != NULL ? ff.platform : "built-in");
    }
    ff.nvmem_size = 0;
    if (pf->nvmem_region >= 0) {
        ff.nvmem_size = (size_t)pf->regions[pf->nvmem_region].size;
    }
    ff.nvmem = ff.nvmem_size > 0 ? calloc(1, ff.nvmem_size) : NULL;
    platform_file_free(pf);
}

static void boot_system(void)
{
    char err[512];

    load_manifests();
    load_platform();
    for (size_t i = 0; i < ff.n_images; i++) {
        if (image_load(ff.image_paths[i], &ff.images[i], err, sizeof err) != 0) {
            ff_die("%s", err);
        }
    }
    ff.h = ffm_sync_create();
    if (ff.h == NULL) {
        ff_die("error: out of memory");
    }
    register_code();
    ff.boot_count = 1;
    if (ffm_sync_boot(ff.h, ff.desc, NULL) != FFM_BOOT_OK || ff.h->n_events != 0 ||
        ff.h->reset_requested) {
        ff_die("error: the system does not boot cleanly (a partition's start-up code "
               "failed)");
    }
    ff_snap_take();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    parse_options(argc, argv);
    /* A partition that never returns is a hang: libFuzzer's -timeout, 10 s unless given. */
    bool has_timeout = false;
    for (int i = 1; i < *argc; i++) {
        has_timeout |= strncmp((*argv)[i], "-timeout=", 9) == 0;
    }
    if (!has_timeout) {
        static char *args[256];
        static char timeout[] = "-timeout=10";
        int n = *argc < 254 ? *argc : 254;
        memcpy(args, *argv, (size_t)n * sizeof(char *));
        args[n] = timeout;
        args[n + 1] = NULL;
        *argc = n + 1;
        *argv = args;
    }
    boot_system();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ff_snap_restore();
    ff.reset_by = -1;
    ff_run_input(data, size);
    memset(&ff.now, 0, sizeof(ff.now));
    return 0;
}

/* ------------------------------------------------------------------ platform API */

void *ffm_platform_nvmem(size_t *size)
{
    *size = ff.nvmem_size;
    return ff.nvmem;
}

void ffm_platform_wdog_arm(uint32_t timeout_ms)
{
    (void)timeout_ms; /* hangs are caught by libFuzzer's -timeout */
}

void ffm_platform_wdog_feed(void)
{
}

void ffm_platform_wdog_disarm(void)
{
}

static int irq_line(const char *source, bool level)
{
    for (uint16_t i = 0; source != NULL && i < ff.desc->n_irqs; i++) {
        if (strcmp(ff.desc->irqs[i].source, source) == 0) {
            ffm_spm_irq_line(&ff.h->spm, i, level);
            return 0;
        }
    }
    return -1;
}

int ffm_platform_irq_raise(const char *source)
{
    return irq_line(source, true);
}

int ffm_platform_irq_lower(const char *source)
{
    return irq_line(source, false);
}

void ffm_platform_reset(void)
{
    ff.reset_by = ff.h->current_valid && ff.h->current.secure ? ff.h->current.partition : -1;
    ffm_sync_reset(ff.h); /* stops the system: ff_run_input reports it unless --allow'ed */
}

uint32_t ffm_platform_boot_count(void)
{
    return ff.boot_count;
}

void ffm_platform_log(int level, const char *fmt, ...)
{
    static int verbose = -1;
    va_list ap;

    if (verbose < 0) {
        const char *e = getenv("FFM_FUZZ_LOG");
        verbose = e != NULL && e[0] == '1';
    }
    if (verbose) {
        fprintf(stderr, "[log %d] ", level);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
    }
}
