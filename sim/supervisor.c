/*
 * supervisor.c - the supervising parent of ffm-sim: one child process per boot, a shared block
 * that outlives the children, watchdog and timeout enforcement from outside the simulated
 * system, and the decision after each boot (reset, halt, stop). See supervisor.h and
 * docs/reset.md.
 */
#include "supervisor.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run_report.h"

/*
 * The block shared between the supervisor and every child (MAP_SHARED | MAP_ANON, created
 * before the first fork). Parent-written fields are set before each fork and only read by the
 * child; child-written fields are read by the parent only after waitpid, which orders the
 * accesses, except the watchdog, which is atomic.
 */
struct ffm_super_shared {
    /* set by the parent before each boot */
    uint32_t boot;
    int cold;
    int last_reason;
    /* kept across boots */
    atomic_flag pe_lock;              /* guards last_pe; re-initialised before each boot */
    int has_pe;
    struct ffm_pe_record last_pe;
    struct ffm_run_counters counters;
    /* this boot, written by the child */
    _Atomic int request;              /* enum ffm_stop_reason with FFM_CHILD_EXIT_REQUEST */
    _Atomic int ns_entered;
    int ns_result;
    struct ffm_fault_record fault;
    struct ffm_wdog wdog;
    char message[FFM_SUPER_MESSAGE_MAX];
    /* --trace-clock sim: the last trace timestamp, written by parent and child in turn */
    _Atomic unsigned long long trace_vt;
};

/* The parent's state for one ffm_supervise call. */
struct super {
    const struct ffm_super_config *cfg;
    FILE *log;
    struct ffm_super_shared *shared;
    struct ffm_nvmem nvmem;
    struct ffm_trace trace;
    uint64_t run_deadline_ns;    /* 0: no --timeout */
    uint64_t boot_end_ns;        /* when the supervisor saw the last boot end */
    int life_rd;                 /* read end of the boot's life pipe; -1 once at end of file */
    uint32_t consecutive_resets; /* RESET-14 */
    char loop_key[FFM_SUPER_MESSAGE_MAX + 64];
    uint32_t same_error_boots;   /* consecutive boots reset by the error loop_key names */
    bool stopped;                /* the run is over; exit_code is final */
    int exit_code;
    enum ffm_stop_reason last_reset_reason;
    bool has_fault;
    struct ffm_fault_record last_fault;
    char message[FFM_SUPER_MESSAGE_MAX];
};

static volatile sig_atomic_t pending_signal;

void ffm_super_config_init(struct ffm_super_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->policy = FFM_PANIC_RESET;
    cfg->max_resets = FFM_SUPER_DEFAULT_MAX_RESETS;
    cfg->wdog_scale = 1.0;
    cfg->poll_ms = FFM_SUPER_DEFAULT_POLL_MS;
}

/* ================================================================== child side */

static _Noreturn void end_boot(int status)
{
    ffm_fault_before_exit(); /* --gcov: the images write their counters */
    /* ffm-rule: RESET-07 */
    fflush(NULL); /* the logs and the application's output so far are kept (RESET-07) */
    _exit(status);
}

static void lock_pe(struct ffm_super_shared *sh)
{
    while (atomic_flag_test_and_set(&sh->pe_lock)) {
        /* another simulated thread is copying an event: a few hundred bytes */
    }
}

/* Keep `pe` as the run's last event and count it. */
static void keep_event(struct ffm_boot_ctx *ctx, const struct ffm_pe_record *pe)
{
    struct ffm_super_shared *sh = ctx->shared;

    if (pe->programmer_error) {
        ffm_counters_add_pe(&sh->counters, pe->rule);
    }
    lock_pe(sh);
    sh->last_pe = *pe;
    if (sh->last_pe.boot == 0) {
        sh->last_pe.boot = ctx->boot;
    }
    sh->has_pe = 1;
    atomic_flag_clear(&sh->pe_lock);
}

void ffm_boot_ns_entered(struct ffm_boot_ctx *ctx)
{
    atomic_store(&ctx->shared->ns_entered, 1);
}

void ffm_boot_count_call(struct ffm_boot_ctx *ctx)
{
    ffm_counters_add_call(&ctx->shared->counters);
}

void ffm_boot_record_stack(struct ffm_boot_ctx *ctx, unsigned index, const char *name,
                           uint32_t stack_size, uint32_t used)
{
    ffm_counters_stack(&ctx->shared->counters, index, name, stack_size, used);
}

void ffm_boot_record_pe(struct ffm_boot_ctx *ctx, const struct ffm_pe_record *pe)
{
    keep_event(ctx, pe);
    ffm_report_event(ctx->log, "PROGRAMMER ERROR", pe,
                     pe->disposition[0] != '\0' ? pe->disposition : "returned to the caller");
}

static void trace_panic_event(struct ffm_trace *trace, const char *name,
                              const struct ffm_pe_record *pe);

void ffm_boot_trapped(struct ffm_boot_ctx *ctx, enum ffm_stop_reason reason,
                      const struct ffm_pe_record *pe)
{
    struct ffm_pe_record rec = *pe;
    bool fault = reason == FFM_STOP_FAULT;

    ffm_copy_field(rec.disposition, sizeof(rec.disposition), "panic -> trap");
    keep_event(ctx, &rec);
    atomic_fetch_add(fault ? &ctx->shared->counters.trapped_faults
                           : &ctx->shared->counters.trapped_panics, 1);
    ffm_report_event(ctx->log, fault ? "FAULT" : "PANIC", &rec, "trap");
    if (ctx->trace != NULL) {
        trace_panic_event(ctx->trace, fault ? "fault" : "panic", &rec);
    }
}

void ffm_boot_keep_pe(struct ffm_boot_ctx *ctx, const struct ffm_pe_record *pe)
{
    keep_event(ctx, pe);
}

const struct ffm_pe_record *ffm_boot_last_pe(const struct ffm_boot_ctx *ctx)
{
    return ctx->shared->has_pe ? &ctx->shared->last_pe : NULL;
}

static _Noreturn void request_stop(struct ffm_boot_ctx *ctx, enum ffm_stop_reason reason,
                                   const char *message)
{
    if (message != NULL) {
        ffm_copy_field(ctx->shared->message, sizeof(ctx->shared->message), message);
    }
    atomic_store(&ctx->shared->request, (int)reason);
    end_boot(FFM_CHILD_EXIT_REQUEST);
}

_Noreturn void ffm_boot_panic(struct ffm_boot_ctx *ctx, enum ffm_stop_reason reason,
                              const struct ffm_pe_record *pe)
{
    if (reason != FFM_STOP_PSA_PANIC) {
        reason = FFM_STOP_PANIC;
    }
    keep_event(ctx, pe);
    request_stop(ctx, reason, NULL);
}

_Noreturn void ffm_boot_reset(struct ffm_boot_ctx *ctx, const char *who)
{
    request_stop(ctx, FFM_STOP_PLATFORM, who);
}

_Noreturn void ffm_boot_deadlock(struct ffm_boot_ctx *ctx, const char *report)
{
    request_stop(ctx, FFM_STOP_DEADLOCK, report);
}

_Noreturn void ffm_boot_internal_error(struct ffm_boot_ctx *ctx, const char *what)
{
    ffm_copy_field(ctx->shared->message, sizeof(ctx->shared->message), what);
    end_boot(FFM_CHILD_EXIT_INTERNAL);
}

_Noreturn void ffm_boot_fault(struct ffm_boot_ctx *ctx)
{
    if (!ctx->fault->valid) {
        ffm_boot_internal_error(ctx, "ffm_boot_fault without a fault record");
    }
    end_boot(FFM_CHILD_EXIT_FAULT);
}

/* The child inherits the supervisor's SIGINT/SIGTERM handlers: it must die of those signals
 * instead. SIGPIPE is ignored so that a vanished supervisor shows as a write error. */
static void child_signals(void)
{
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_IGN);
}

static void fill_boot_ctx(struct super *s, struct ffm_boot_ctx *ctx)
{
    struct ffm_super_shared *sh = s->shared;

    memset(ctx, 0, sizeof(*ctx));
    ctx->boot = sh->boot;
    ctx->cold = sh->cold != 0;
    ctx->last_reason = (enum ffm_stop_reason)sh->last_reason;
    ctx->policy = s->cfg->policy;
    ctx->nvmem = s->nvmem.addr;
    ctx->nvmem_size = s->nvmem.size;
    ctx->wdog = &sh->wdog;
    ctx->trace = s->trace.open ? &s->trace : NULL;
    ctx->log = s->log;
    ctx->fault = &sh->fault;
    ctx->shared = sh;
}

static _Noreturn void child_main(struct super *s,
                                 int (*run_system)(struct ffm_boot_ctx *, void *), void *arg)
{
    /* ffm-rule: PANIC-04 */
    struct ffm_fault_config fault_cfg = {
        .record = &s->shared->fault,
        .trap = s->cfg->policy == FFM_PANIC_TRAP,
        .exit_fault = FFM_CHILD_EXIT_FAULT,
        .exit_internal = FFM_CHILD_EXIT_INTERNAL,
        .before_exit = s->cfg->child_exit,
        .before_exit_arg = s->cfg->child_exit_arg,
        .describe = s->cfg->where,
    };
    struct ffm_boot_ctx ctx;

    child_signals();
    /* Nothing printed is lost when a boot ends, whatever ends it (a fault's _exit, a reset's
     * kill): the simulated system's stdout is unbuffered (stderr already is). */
    setvbuf(stdout, NULL, _IONBF, 0);
    ffm_trace_after_fork_child(&s->trace);
    fill_boot_ctx(s, &ctx);
    if (ffm_fault_install(&fault_cfg) != 0) {
        ffm_boot_internal_error(&ctx, "cannot install the fault handlers");
    }
    s->shared->ns_result = run_system(&ctx, arg);
    end_boot(FFM_CHILD_EXIT_DONE);
}

/* ================================================================== parent: setup */

static void on_stop_signal(int signo)
{
    pending_signal = signo;
}

/* No SA_RESTART: the signal interrupts the supervisor's poll at once. */
static void install_stop_signals(struct sigaction old[2])
{
    struct sigaction sa;

    pending_signal = 0;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old[0]);
    sigaction(SIGTERM, &sa, &old[1]);
}

static void restore_stop_signals(const struct sigaction old[2])
{
    sigaction(SIGINT, &old[0], NULL);
    sigaction(SIGTERM, &old[1], NULL);
}

static int open_resources(struct super *s, const struct ffm_super_config *cfg, char *err,
                          size_t err_size)
{
    s->shared = mmap(NULL, sizeof(*s->shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANON,
                     -1, 0);
    if (s->shared == MAP_FAILED) {
        s->shared = NULL;
        snprintf(err, err_size, "cannot map the supervisor's shared block: %s",
                 strerror(errno));
        return FFM_EXIT_INTERNAL;
    }
    memset(s->shared, 0, sizeof(*s->shared));
    ffm_counters_init(&s->shared->counters);
    atomic_flag_clear(&s->shared->pe_lock);
    if (cfg->nvmem.size != 0 && ffm_nvmem_open(&s->nvmem, &cfg->nvmem, err, err_size) !=
        FFM_NVMEM_OK) {
        return FFM_EXIT_BAD_INPUT;
    }
    if (cfg->trace_path != NULL && ffm_trace_open(&s->trace, cfg->trace_path, err,
                                                  err_size) != 0) {
        return FFM_EXIT_BAD_INPUT;
    }
    if (cfg->trace_path != NULL && cfg->trace_sim_clock) {
        ffm_trace_use_sim_clock(&s->trace, &s->shared->trace_vt);
    }
    return 0;
}

static void close_resources(struct super *s)
{
    ffm_trace_close(&s->trace);
    ffm_nvmem_close(&s->nvmem);
    if (s->shared != NULL) {
        munmap(s->shared, sizeof(*s->shared));
        s->shared = NULL;
    }
}

/* Everything of the previous boot is forgotten except what the block keeps on purpose. */
/* ffm-rule: RESET-01, RESET-13 */
static void prepare_boot(struct super *s)
{
    struct ffm_super_shared *sh = s->shared;

    sh->counters.boots++;
    sh->boot = sh->counters.boots;
    sh->cold = sh->boot == 1;
    sh->last_reason = (int)s->last_reset_reason;
    atomic_store(&sh->request, FFM_STOP_NONE);
    atomic_store(&sh->ns_entered, 0);
    sh->ns_result = 0;
    memset(&sh->fault, 0, sizeof(sh->fault));
    memset(sh->message, 0, sizeof(sh->message));
    ffm_wdog_reset(&sh->wdog, s->cfg->wdog_scale); /* RESET-08: disabled after each reset */
    ffm_counters_unlock(&sh->counters);
    atomic_flag_clear(&sh->pe_lock);
}

/* ================================================================== parent: trace records */

static void trace_boot(struct super *s)
{
    struct ffm_trace_arg args[3] = {
        FFM_TARG_I("boot", (long long)s->shared->boot),
        FFM_TARG_S("start", s->shared->cold ? "cold" : "warm"),
        FFM_TARG_S("after", ffm_stop_reason_name(s->last_reset_reason)),
    };

    ffm_trace_instant(&s->trace, FFM_TRACE_TID_GLOBAL, 'g', "boot", "reset", args, 3);
}

/* The panic or fault that ends a boot, on the system track: the supervisor cannot know the
 * port's track numbering, and a faulting child cannot trace (its handler must stay
 * async-signal-safe). The port traces PEs and panics on its own tracks. */
static void trace_panic_event(struct ffm_trace *trace, const char *name,
                              const struct ffm_pe_record *pe)
{
    struct ffm_trace_arg args[7] = {
        FFM_TARG_S("rule", pe->rule),
        FFM_TARG_S("api", pe->api),
        FFM_TARG_S("caller", pe->caller_name),
        FFM_TARG_I("caller_id", pe->caller_id),
        FFM_TARG_S("reason", pe->reason),
        FFM_TARG_S("disposition", pe->disposition),
        FFM_TARG_S("where", pe->where),
    };

    ffm_trace_instant(trace, FFM_TRACE_TID_GLOBAL, 'g', name, "panic", args,
                      pe->where[0] != '\0' ? 7 : 6);
}

static void trace_panic(struct super *s, const char *name, const struct ffm_pe_record *pe)
{
    trace_panic_event(&s->trace, name, pe);
}

/* The slices the boot left open (a message in flight when it was reset or halted) end when
 * the boot ended, saying why ("reset: PSA_PANIC"): before the reset, halt or end instant. */
static void trace_end_open(struct super *s, const char *outcome, enum ffm_stop_reason reason,
                           enum ffm_stop_reason after)
{
    char ended_by[96];

    if (after != FFM_STOP_NONE) {
        snprintf(ended_by, sizeof(ended_by), "%s: %s after %s", outcome,
                 ffm_stop_reason_name(reason), ffm_stop_reason_name(after));
    } else {
        snprintf(ended_by, sizeof(ended_by), "%s: %s", outcome, ffm_stop_reason_name(reason));
    }
    ffm_trace_end_open_slices(&s->trace, s->boot_end_ns != 0 ? s->boot_end_ns
                                                              : ffm_trace_time(&s->trace),
                              ended_by);
}

static void trace_stop(struct super *s, const char *name, enum ffm_stop_reason reason,
                       const char *detail)
{
    struct ffm_trace_arg args[3] = {
        FFM_TARG_S("reason", ffm_stop_reason_name(reason)),
        FFM_TARG_I("boot", (long long)s->shared->boot),
        FFM_TARG_S("detail", detail),
    };

    ffm_trace_instant(&s->trace, FFM_TRACE_TID_GLOBAL, 'g', name, "reset", args, 3);
}

/* ================================================================== parent: one boot */

static void sleep_us(uint32_t us)
{
    struct timespec ts = { (time_t)(us / 1000000u), (long)(us % 1000000u) * 1000L };

    nanosleep(&ts, NULL);
}

/*
 * The life pipe: the child holds its write end and never writes; it reaches end of file when
 * the child dies, so the supervisor sees the end of a boot at once rather than at the next
 * poll period, without SIGCHLD handling.
 */
static int open_life_pipe(struct super *s, int *write_end)
{
    int fds[2];

    if (pipe(fds) != 0) {
        return -1;
    }
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    s->life_rd = fds[0];
    *write_end = fds[1];
    return 0;
}

static void close_life_pipe(struct super *s)
{
    if (s->life_rd >= 0) {
        close(s->life_rd);
        s->life_rd = -1;
    }
}

/* Wait up to one poll period for the child's death or trace records, copying the records. */
static void wait_a_little(struct super *s)
{
    uint32_t poll_ms = s->cfg->poll_ms != 0 ? s->cfg->poll_ms : FFM_SUPER_DEFAULT_POLL_MS;
    struct pollfd fds[2];
    nfds_t n = 0, i;

    if (s->life_rd >= 0) {
        fds[n++] = (struct pollfd){ .fd = s->life_rd, .events = POLLIN };
    }
    if (s->trace.open && s->trace.pipe_rd >= 0) {
        fds[n++] = (struct pollfd){ .fd = s->trace.pipe_rd, .events = POLLIN };
    }
    if (n == 0) {
        sleep_us(100); /* the child closed its pipes: it is exiting, reap it soon */
        return;
    }
    if (poll(fds, n, (int)poll_ms) <= 0) {
        return;
    }
    for (i = 0; i < n; i++) {
        if (fds[i].revents == 0) {
            continue;
        }
        if (fds[i].fd == s->life_rd) {
            char byte;
            ssize_t r = read(s->life_rd, &byte, 1);

            if (r == 0 || (r < 0 && errno != EINTR)) {
                close_life_pipe(s);
            }
        } else {
            ffm_trace_drain(&s->trace, 0);
        }
    }
}

/* ffm-rule: RESET-08, RESET-09 */
/* The supervisor's own reasons to end a boot: watchdog (RESET-08), timeout (RESET-09). */
static enum ffm_stop_reason check_deadlines(struct super *s, pid_t pid, uint64_t now)
{
    if (ffm_wdog_expired(&s->shared->wdog, now)) {
        kill(pid, SIGKILL);
        return FFM_STOP_WATCHDOG;
    }
    if (s->run_deadline_ns != 0 && now >= s->run_deadline_ns &&
        !ffm_wdog_armed(&s->shared->wdog)) {
        kill(pid, SIGKILL);
        return FFM_STOP_TIMEOUT;
    }
    return FFM_STOP_NONE;
}

/* Forward SIGINT/SIGTERM once, then SIGKILL a child that ignores it for too long. */
static enum ffm_stop_reason check_signals(pid_t pid, uint64_t now, uint64_t *forwarded_at)
{
    if (pending_signal == 0) {
        return FFM_STOP_NONE;
    }
    if (*forwarded_at == 0) {
        kill(pid, (int)pending_signal);
        *forwarded_at = now;
    } else if (now - *forwarded_at > (uint64_t)FFM_SUPER_SIGNAL_GRACE_MS * 1000000u) {
        kill(pid, SIGKILL);
    }
    return FFM_STOP_INTERRUPTED;
}

/* Wait for the child to end; returns why the supervisor killed it, or NONE. */
static enum ffm_stop_reason watch_child(struct super *s, pid_t pid, int *status)
{
    enum ffm_stop_reason killed = FFM_STOP_NONE;
    uint64_t forwarded_at = 0;

    for (;;) {
        pid_t r = waitpid(pid, status, WNOHANG);
        uint64_t now = ffm_monotonic_ns();
        enum ffm_stop_reason why;

        if (r == pid || (r < 0 && errno != EINTR)) {
            /* ffm-rule: RESET-12 */
            return r == pid ? killed : FFM_STOP_INTERNAL;
        }
        why = check_signals(pid, now, &forwarded_at);
        if (why == FFM_STOP_NONE && killed == FFM_STOP_NONE) {
            why = check_deadlines(s, pid, now);
        }
        if (why != FFM_STOP_NONE && killed == FFM_STOP_NONE) {
            killed = why;
        }
        wait_a_little(s);
    }
}

static enum ffm_stop_reason internal(struct super *s, const char *message)
{
    ffm_copy_field(s->message, sizeof(s->message), message);
    return FFM_STOP_INTERNAL;
}

static enum ffm_stop_reason classify_request(struct super *s)
{
    int request = atomic_load(&s->shared->request);

    switch (request) {
    case FFM_STOP_PANIC:
    case FFM_STOP_PSA_PANIC:
    case FFM_STOP_PLATFORM:
    case FFM_STOP_DEADLOCK:
        ffm_copy_field(s->message, sizeof(s->message), s->shared->message);
        return (enum ffm_stop_reason)request;
    default:
        return internal(s, "the simulated system ended with a reset request but no reason");
    }
}

static enum ffm_stop_reason classify_fault(struct super *s, bool internal_exit)
{
    const struct ffm_fault_record *f = &s->shared->fault;

    if (f->valid) {
        s->has_fault = true;
        s->last_fault = *f;
    }
    if (internal_exit && s->shared->message[0] != '\0') {
        return internal(s, s->shared->message);
    }
    if (!f->valid) {
        return internal(s, internal_exit ? "internal failure in the simulated system"
                                         : "fault exit without a fault record");
    }
    if (internal_exit) {
        snprintf(s->message, sizeof(s->message), "%s at address 0x%llx in %s code (thread %s)",
                 f->signame, (unsigned long long)f->addr,
                 f->in_spm ? "SPM" : ffm_thread_kind_name((enum ffm_thread_kind)f->kind),
                 f->thread[0] ? f->thread : "?");
        return FFM_STOP_INTERNAL;
    }
    return FFM_STOP_FAULT;
}

static enum ffm_stop_reason classify_exit(struct super *s, int code)
{
    switch (code) {
    case FFM_CHILD_EXIT_DONE:
        return FFM_STOP_EXITED;
    case FFM_CHILD_EXIT_REQUEST:
        return classify_request(s);
    case FFM_CHILD_EXIT_FAULT:
        return classify_fault(s, false);
    case FFM_CHILD_EXIT_INTERNAL:
        return classify_fault(s, true);
    default:
        snprintf(s->message, sizeof(s->message),
                 "the simulated system exited with status %d, outside the supervisor's "
                 "protocol (exit() called by simulated code?)", code);
        return FFM_STOP_INTERNAL;
    }
}

/* Why did the boot end? The supervisor's kill wins only if the child died of it. */
static enum ffm_stop_reason classify(struct super *s, enum ffm_stop_reason killed, int status)
{
    if (killed == FFM_STOP_INTERNAL) {
        return internal(s, "lost track of the simulated system (waitpid failed)");
    }
    if (WIFEXITED(status)) {
        enum ffm_stop_reason own = classify_exit(s, WEXITSTATUS(status));

        return (killed == FFM_STOP_INTERRUPTED && own != FFM_STOP_EXITED) ? killed : own;
    }
    if (WIFSIGNALED(status) && killed != FFM_STOP_NONE) {
        return killed;
    }
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM && s->shared->fault.valid) {
        return classify_fault(s, false); /* naming the fault hung (fault.c, describe_fault) */
    }
    snprintf(s->message, sizeof(s->message), "the simulated system was killed by signal %d (%s)",
             WIFSIGNALED(status) ? WTERMSIG(status) : 0,
             WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "?");
    return FFM_STOP_INTERNAL;
}

/* ================================================================== parent: decisions */

static void fault_event(const struct super *s, const struct ffm_fault_record *f, uint32_t boot,
                        struct ffm_pe_record *pe)
{
    char reason[FFM_PE_REASON_MAX];
    bool ns = f->kind == FFM_THREAD_NS;

    /* ffm-rule: RESET-10, RESET-11 */
    ffm_fault_reason(f, reason, sizeof(reason));
    ffm_pe_record_init(pe, ns ? "RESET-11" : "RESET-10", "fault", !ns, f->id, f->thread,
                       reason);
    if (!ns) {
        ffm_copy_field(pe->partition, sizeof(pe->partition), f->thread);
    }
    ffm_copy_field(pe->disposition, sizeof(pe->disposition), "panic");
    pe->boot = boot;
    if (f->where[0] != '\0') {
        ffm_copy_field(pe->where, sizeof(pe->where), f->where); /* named by the child */
    } else if (s->cfg->where != NULL) {
        s->cfg->where(f, pe->where, sizeof(pe->where));
    }
}

/* Log the line for a boot that ended with `reason` and what happens next; trace it too. */
static void report_stop(struct super *s, enum ffm_stop_reason reason, const char *outcome)
{
    struct ffm_super_shared *sh = s->shared;

    if (reason == FFM_STOP_PANIC || reason == FFM_STOP_PSA_PANIC || reason == FFM_STOP_FAULT) {
        ffm_report_event(s->log, reason == FFM_STOP_FAULT ? "FAULT" : "PANIC", &sh->last_pe,
                         outcome);
        trace_panic(s, reason == FFM_STOP_FAULT ? "fault" : "panic", &sh->last_pe);
    } else if (reason == FFM_STOP_WATCHDOG) {
        /* The shape of the PANIC line, when the simulated system said who armed it. */
        ffm_report_line(s->log,
                        "WATCHDOG [RESET-08] %s%s%snot fed within %lu ms (scale %g) -> %s",
                        sh->wdog.armed_by[0] ? "ffm_platform_wdog_arm by " : "",
                        sh->wdog.armed_by, sh->wdog.armed_by[0] ? ": " : "",
                        (unsigned long)ffm_wdog_timeout_ms(&sh->wdog), sh->wdog.scale, outcome);
    } else if (reason == FFM_STOP_PLATFORM) {
        /* The shape of the PANIC line: what [rule] API by caller: reason -> outcome. */
        /* ffm-rule: RESET-06 */
        ffm_report_line(s->log, "RESET [RESET-06] ffm_platform_reset%s%s: platform reset "
                        "requested -> %s", s->message[0] ? " by " : "", s->message, outcome);
    }
}

static void stop_run(struct super *s, enum ffm_stop_reason reason, int exit_code);

static void halt_after(struct super *s, enum ffm_stop_reason reason)
{
    char outcome[64];

    snprintf(outcome, sizeof(outcome), "halt (exit %d)", FFM_EXIT_HALTED);
    report_stop(s, reason, outcome);
    stop_run(s, reason, FFM_EXIT_HALTED);
}

/* RESET-14: a boot that reached the NS entry restarts the count; the others add one. */
static bool reset_loop(struct super *s)
{
    if (atomic_load(&s->shared->ns_entered)) {
        s->consecutive_resets = 0;
        return false;
    }
    s->consecutive_resets++;
    /* ffm-rule: RESET-14 */
    return s->consecutive_resets > s->cfg->max_resets;
}

/* What identifies the error that ended this boot: the kind of stop, and for panics and faults
 * the rule, API, caller and code location (not the values, which may differ). */
static void error_key(const struct super *s, enum ffm_stop_reason reason, char *key,
                      size_t size)
{
    const struct ffm_pe_record *pe = &s->shared->last_pe;

    if (reason == FFM_STOP_PANIC || reason == FFM_STOP_PSA_PANIC || reason == FFM_STOP_FAULT) {
        snprintf(key, size, "%s|%s|%s|%s|%s", ffm_stop_reason_name(reason), pe->rule, pe->api,
                 pe->caller_name, pe->where);
    } else if (reason == FFM_STOP_WATCHDOG) {
        snprintf(key, size, "WATCHDOG|%s", s->shared->wdog.armed_by);
    } else {
        snprintf(key, size, "%s|%s", ffm_stop_reason_name(reason), s->message);
    }
}

/* --reset-loop: the same error ended the last cfg->reset_loop boots. */
static bool same_error_loop(struct super *s, enum ffm_stop_reason reason)
{
    char key[sizeof(s->loop_key)];

    if (reason == FFM_STOP_PLATFORM) {
        s->same_error_boots = 0; /* a reset the system asked for is no error (RESET-06) */
        return false;
    }
    error_key(s, reason, key, sizeof(key));
    if (s->same_error_boots > 0 && strcmp(key, s->loop_key) == 0) {
        s->same_error_boots++;
    } else {
        ffm_copy_field(s->loop_key, sizeof(s->loop_key), key);
        s->same_error_boots = 1;
    }
    return s->cfg->reset_loop != 0 && s->same_error_boots >= s->cfg->reset_loop;
}

/* The RESET_LOOP report of a repeated error: what, where, how often, and what to do. */
static void report_same_error(struct super *s, enum ffm_stop_reason reason)
{
    const struct ffm_pe_record *pe = &s->shared->last_pe;
    bool event = reason == FFM_STOP_PANIC || reason == FFM_STOP_PSA_PANIC ||
                 reason == FFM_STOP_FAULT;
    char what[FFM_PE_RULE_MAX + FFM_PE_WHERE_MAX + 64];
    char brief[FFM_PE_WHERE_MAX];

    if (event) {
        ffm_where_brief(pe->where, brief, sizeof(brief));
        snprintf(what, sizeof(what), "%s [%s] %s%s", reason == FFM_STOP_FAULT ? "FAULT" : "PANIC",
                 pe->rule, brief[0] ? "at " : "in ", brief[0] ? brief : pe->caller_name);
    } else {
        snprintf(what, sizeof(what), "%s", ffm_stop_reason_name(reason));
    }
    ffm_report_line(s->log, "HALT RESET_LOOP: the same %s ended %lu consecutive boots "
                    "(--reset-loop %u) -> halt (exit %d)", what,
                    (unsigned long)s->same_error_boots, s->cfg->reset_loop, FFM_EXIT_RESET_LOOP);
    ffm_report_line(s->log, "  run with --panic halt to stop at the first one (a test runner "
                    "wants halt: one failure, exit 3), or --panic trap to stop only the "
                    "offending partition; --reset-loop 0 turns this check off");
}

/* Stop the run as a reset loop after a boot that ended with `reason`. */
static void stop_reset_loop(struct super *s, enum ffm_stop_reason reason, bool same_error)
{
    char outcome[64];

    snprintf(outcome, sizeof(outcome), "halt: RESET_LOOP (exit %d)", FFM_EXIT_RESET_LOOP);
    report_stop(s, reason, outcome);
    if (same_error) {
        report_same_error(s, reason);
    } else {
        ffm_report_line(s->log, "HALT [RESET-14] RESET_LOOP: %lu consecutive resets without "
                        "reaching the NS entry (limit %u)",
                        (unsigned long)s->consecutive_resets, s->cfg->max_resets);
        /* A test runner that fails at boot loops here under the default policy: say which
         * policy it wants (docs/reset.md, "Test runners"). */
        ffm_report_line(s->log, "hint: the system resets into the same failure; a test runner "
                        "wants --panic trap (unwind the failing partition, go on, report) or "
                        "--panic halt (stop at the first panic, exit 3)");
    }
    trace_end_open(s, "halt", FFM_STOP_RESET_LOOP, reason);
    trace_stop(s, "halt", FFM_STOP_RESET_LOOP, ffm_stop_reason_name(reason));
    stop_run(s, FFM_STOP_RESET_LOOP, FFM_EXIT_RESET_LOOP);
}

/* Reset into the next boot, unless that makes a reset loop. */
static void reset_or_stop(struct super *s, enum ffm_stop_reason reason)
{
    char outcome[64];
    bool no_ns = reset_loop(s);
    bool same = same_error_loop(s, reason);

    if (no_ns || same) {
        stop_reset_loop(s, reason, !no_ns);
        return;
    }
    snprintf(outcome, sizeof(outcome), "reset (boot %lu)", (unsigned long)s->shared->boot + 1);
    report_stop(s, reason, outcome);
    trace_end_open(s, "reset", reason, FFM_STOP_NONE);
    trace_stop(s, "reset", reason, s->message);
    s->shared->counters.resets++;
    s->shared->counters.resets_by[reason]++;
    s->last_reset_reason = reason;
}

/* ffm-rule: PANIC-02, PANIC-03 */
static void after_panic(struct super *s, enum ffm_stop_reason reason)
{
    if (reason == FFM_STOP_FAULT) {
        fault_event(s, &s->last_fault, s->shared->boot, &s->shared->last_pe);
        s->shared->has_pe = 1;
        s->shared->counters.faults++;
    } else {
        s->shared->counters.panics++;
    }
    if (s->cfg->policy != FFM_PANIC_RESET) {
        halt_after(s, reason); /* halt, or trap that the port did not handle */
        return;
    }
    reset_or_stop(s, reason);
}

static void after_halt(struct super *s, enum ffm_stop_reason reason)
{
    if (reason == FFM_STOP_INTERNAL) {
        ffm_report_line(s->log, "INTERNAL ERROR [RESET-12] %s -> halt (exit %d)", s->message,
                        FFM_EXIT_INTERNAL);
        stop_run(s, reason, FFM_EXIT_INTERNAL);
        return;
    }
    if (reason == FFM_STOP_DEADLOCK) {
        /* ffm-rule: RESET-15 */
        ffm_report_line(s->log, "DEADLOCK [RESET-15] every simulated thread is blocked -> halt "
                        "(exit %d)", FFM_EXIT_HALTED);
        if (s->message[0] != '\0') {
            fprintf(s->log, "%s\n", s->message);
        }
    } else {
        ffm_report_line(s->log, "TIMEOUT [RESET-09] no watchdog armed and the run exceeded "
                        "%lu ms -> halt (exit %d)", (unsigned long)s->cfg->timeout_ms,
                        FFM_EXIT_HALTED);
    }
    stop_run(s, reason, FFM_EXIT_HALTED);
}

/* Boot again (reset) or stop the run, after a boot that ended with `reason`. */
static void after_boot(struct super *s, enum ffm_stop_reason reason)
{
    switch (reason) {
    case FFM_STOP_EXITED:
        stop_run(s, reason, s->shared->ns_result);
        break;
    case FFM_STOP_INTERRUPTED:
        ffm_report_line(s->log, "INTERRUPTED by signal %d", (int)pending_signal);
        stop_run(s, reason, 128 + (int)pending_signal);
        break;
    case FFM_STOP_PANIC:
    case FFM_STOP_PSA_PANIC:
    case FFM_STOP_FAULT:
        after_panic(s, reason);
        break;
    case FFM_STOP_WATCHDOG:
    case FFM_STOP_PLATFORM:
        reset_or_stop(s, reason); /* hardware resets: not subject to the panic policy */
        break;
    default:
        after_halt(s, reason);
        break;
    }
}

static void fill_state(struct super *s, enum ffm_stop_reason reason, int exit_code)
{
    struct ffm_super_state *st = s->cfg->state_out;

    if (st == NULL) {
        return;
    }
    memset(st, 0, sizeof(*st));
    st->boot = s->shared->boot;
    st->cold = s->shared->cold != 0;
    st->last_reset_reason = s->last_reset_reason;
    st->final_reason = reason;
    st->exit_code = exit_code;
    st->consecutive_resets = s->consecutive_resets;
    st->has_pe = s->shared->has_pe != 0;
    st->last_pe = s->shared->last_pe;
    st->has_fault = s->has_fault;
    st->last_fault = s->last_fault;
    memcpy(&st->counters, &s->shared->counters, sizeof(st->counters));
    ffm_copy_field(st->message, sizeof(st->message), s->message);
}

/* --report: the JSON summary. A report that cannot be written fails the run (exit 2): a CI
 * job reading it must not get a stale one. Returns the exit status to use. */
static int write_run_report(struct super *s, enum ffm_stop_reason reason, int exit_code)
{
    char err[512];
    struct ffm_run_report r = {
        .counters = &s->shared->counters, .end_reason = reason, .exit_status = exit_code,
        .ns_returned = reason == FFM_STOP_EXITED, .ns_status = s->shared->ns_result,
        .same_error_boots = reason == FFM_STOP_RESET_LOOP ? s->same_error_boots : 0,
        .last_event = s->shared->has_pe ? &s->shared->last_pe : NULL, .message = s->message,
    };

    if (s->cfg->report_path == NULL) {
        return exit_code;
    }
    if (ffm_run_report_write(s->cfg->report_path, &r, err, sizeof(err)) != 0) {
        ffm_report_line(s->log, "error: %s", err);
        return FFM_EXIT_BAD_INPUT;
    }
    return exit_code;
}

/* The end of the run, however it ends: trace record, summary, harness state. */
static void stop_run(struct super *s, enum ffm_stop_reason reason, int exit_code)
{
    struct ffm_run_outcome outcome = { reason, exit_code };
    struct ffm_trace_arg args[2] = {
        FFM_TARG_S("reason", ffm_stop_reason_name(reason)),
        FFM_TARG_I("exit", exit_code),
    };

    trace_end_open(s, reason == FFM_STOP_EXITED ? "end" : "halt", reason, FFM_STOP_NONE);
    ffm_trace_instant(&s->trace, FFM_TRACE_TID_GLOBAL, 'g',
                      reason == FFM_STOP_EXITED ? "end" : "halt", "reset", args, 2);
    if (!s->cfg->quiet) {
        ffm_report_summary(s->log, &s->shared->counters, &outcome);
    }
    exit_code = write_run_report(s, reason, exit_code);
    fill_state(s, reason, exit_code);
    s->stopped = true;
    s->exit_code = exit_code;
}

/* One boot: fork, watch, decide (reset into the next boot, or stop the run). */
static void run_one_boot(struct super *s, int (*run_system)(struct ffm_boot_ctx *, void *),
                         void *arg)
{
    enum ffm_stop_reason killed;
    int status = 0, life_wr = -1;
    pid_t pid;

    s->message[0] = '\0';
    s->boot_end_ns = 0;
    prepare_boot(s);
    if (open_life_pipe(s, &life_wr) != 0 || ffm_trace_boot_begin(&s->trace) != 0) {
        if (life_wr >= 0) {
            close(life_wr);
        }
        close_life_pipe(s);
        after_boot(s, internal(s, "cannot create the supervisor's pipes"));
        return;
    }
    trace_boot(s);
    fflush(NULL); /* or the child would flush the parent's buffered output a second time */
    pid = fork();
    if (pid == 0) {
        close(s->life_rd);
        child_main(s, run_system, arg);
    }
    close(life_wr);
    ffm_trace_after_fork_parent(&s->trace);
    if (pid < 0) {
        close_life_pipe(s);
        ffm_trace_boot_end(&s->trace);
        after_boot(s, internal(s, "cannot fork the simulated system"));
        return;
    }
    killed = watch_child(s, pid, &status);
    s->boot_end_ns = ffm_trace_time(&s->trace);
    close_life_pipe(s);
    ffm_trace_boot_end(&s->trace);
    after_boot(s, classify(s, killed, status));
}

int ffm_supervise(const struct ffm_super_config *cfg,
                  int (*run_system)(struct ffm_boot_ctx *ctx, void *arg), void *arg)
{
    struct sigaction old[2];
    struct super s;
    char err[512] = "";
    int code;

    memset(&s, 0, sizeof(s));
    s.life_rd = -1;
    s.cfg = cfg;
    s.log = cfg->log != NULL ? cfg->log : stderr;
    code = open_resources(&s, cfg, err, sizeof(err));
    if (code != 0) {
        /* bad input (NVMEM file, trace file) reads like the CLI's: "ffm-sim: error: ..." */
        ffm_report_line(s.log, "error: %s", err);
        close_resources(&s);
        return code;
    }
    if (cfg->timeout_ms != 0) {
        s.run_deadline_ns = ffm_monotonic_ns() + (uint64_t)cfg->timeout_ms * 1000000u;
    }
    install_stop_signals(old);
    while (!s.stopped) {
        if (pending_signal != 0) {
            after_boot(&s, FFM_STOP_INTERRUPTED);
        } else {
            run_one_boot(&s, run_system, arg);
        }
    }
    restore_stop_signals(old);
    close_resources(&s);
    return s.exit_code;
}
