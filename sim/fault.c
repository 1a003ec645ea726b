/*
 * fault.c - catch SIGSEGV/SIGBUS/SIGILL/SIGFPE in the simulated system, attribute the fault to
 * a simulated thread and record it (RESET-10..12). Everything reachable from the handler is
 * async-signal-safe: plain stores, a hand-written string copy, siglongjmp and _exit.
 */
#if defined(__linux__)
#define _GNU_SOURCE 1 /* REG_RIP, REG_EIP in <ucontext.h> */
#endif
#if defined(__APPLE__)
#define _DARWIN_C_SOURCE 1 /* ucontext_t and its machine context from <signal.h> */
#endif
#include "fault.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#if !defined(__APPLE__) /* macOS refuses <ucontext.h> without _XOPEN_SOURCE; <signal.h> has it */
#include <ucontext.h>
#endif
#include <unistd.h>
#if defined(__linux__) && defined(__i386__)
#include <asm/ldt.h> /* struct user_desc */
#include <sys/syscall.h>
#endif

#if defined(__GLIBC__) || defined(__APPLE__)
#include <execinfo.h>
#define FFM_FAULT_HAVE_BACKTRACE 1
#endif

/* The calling thread's identity, as registered by ffm_fault_thread_enter. */
struct sim_thread {
    volatile sig_atomic_t kind;
    int32_t id;
    char name[FFM_FAULT_NAME_MAX];
    volatile sig_atomic_t in_spm;
    sigjmp_buf *volatile recovery;
    void *altstack;
    size_t altstack_size;
};

static _Thread_local struct sim_thread current_thread;

/* Stack guards (ffm_fault_add_stack_guard): written by the simulator before a guard is first
 * armed, read by the handler. Room for an SFN partition's two stacks at the core's maximum of
 * partitions. */
#define FFM_FAULT_GUARDS_MAX 130
struct stack_guard {
    uintptr_t page;
    size_t size;
    volatile sig_atomic_t armed;
    char owner[112];
};
static struct stack_guard guards[FFM_FAULT_GUARDS_MAX];
static volatile sig_atomic_t n_guards;

static const int fault_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE };
#define N_FAULT_SIGNALS (sizeof(fault_signals) / sizeof(fault_signals[0]))

static struct ffm_fault_config installed;
static struct sigaction previous[N_FAULT_SIGNALS];
static bool is_installed;
static struct ffm_fault_isolation isolation; /* set before the simulated threads start */
static volatile sig_atomic_t has_isolation;

void ffm_fault_set_isolation(const struct ffm_fault_isolation *iso)
{
    has_isolation = 0;
    if (iso != NULL) {
        isolation = *iso;
        has_isolation = 1;
    }
}

/* Big enough for the handler and for naming the code at fault there (describe_fault: symbol
 * tables and DWARF, which want far more than a libc frame); SIGSTKSZ may not be a constant any
 * more. Only the pages a handler touches cost memory. */
#define ALTSTACK_MIN (512u * 1024u)

static const char *signal_name(int signo)
{
    switch (signo) {
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGILL: return "SIGILL";
    case SIGFPE: return "SIGFPE";
    default: return "SIG?";
    }
}

/* strncpy is not on every platform's async-signal-safe list; this is. Always terminates. */
static void copy_name(char *dst, size_t size, const char *src)
{
    size_t i = 0;

    while (src != NULL && src[i] != '\0' && i + 1 < size) {
        dst[i] = src[i];
        i++;
    }
    dst[i] = '\0';
}

/* The faulting instruction's address from the signal context, 0 where unknown. */
static uintptr_t fault_pc(const void *ucontext)
{
    const ucontext_t *uc = ucontext;
    if (uc == NULL) {
        return 0;
    }
#if defined(__linux__) && defined(__x86_64__)
    return (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
#elif defined(__linux__) && defined(__i386__)
    return (uintptr_t)uc->uc_mcontext.gregs[REG_EIP];
#elif defined(__linux__) && defined(__aarch64__)
    return (uintptr_t)uc->uc_mcontext.pc;
#elif defined(__APPLE__) && defined(__x86_64__)
    return (uintptr_t)uc->uc_mcontext->__ss.__rip;
#elif defined(__APPLE__) && defined(__aarch64__)
    return (uintptr_t)uc->uc_mcontext->__ss.__pc;
#else
    return 0;
#endif
}

/* The stack of the faulting thread, through the signal frame, so that a fault inside a library
 * function called by partition code can name that partition code (where.h). backtrace() is not
 * on the async-signal-safe list; its one unsafe step, loading the unwinder, is done at install
 * (warm_unwinder), so the handler only walks frames. */
static void record_frames(struct ffm_fault_record *rec)
{
    rec->n_frames = 0;
#if defined(FFM_FAULT_HAVE_BACKTRACE)
    void *frames[FFM_FAULT_FRAMES];
    int n = backtrace(frames, FFM_FAULT_FRAMES);
    for (int i = 0; i < n; i++) {
        rec->frames[i] = (uintptr_t)frames[i];
    }
    rec->n_frames = n > 0 ? n : 0;
#else
    (void)rec;
#endif
}

static void warm_unwinder(void)
{
#if defined(FFM_FAULT_HAVE_BACKTRACE)
    void *frame[1];
    (void)backtrace(frame, 1);
#endif
}

/* The armed guard holding `addr`, or NULL. */
static const struct stack_guard *armed_guard_at(uintptr_t addr)
{
    for (sig_atomic_t i = 0; i < n_guards; i++) {
        if (guards[i].armed && addr >= guards[i].page && addr - guards[i].page < guards[i].size) {
            return &guards[i];
        }
    }
    return NULL;
}

/* Isolation opening a stack on first touch opens its guard page with it: close it again. */
static void rearm_guards(void)
{
    for (sig_atomic_t i = 0; i < n_guards; i++) {
        if (guards[i].armed) {
            (void)mprotect((void *)guards[i].page, guards[i].size, PROT_NONE);
        }
    }
}

int ffm_fault_add_stack_guard(uintptr_t page, size_t size, const char *owner)
{
    if (n_guards >= FFM_FAULT_GUARDS_MAX) {
        return -1;
    }
    struct stack_guard *g = &guards[n_guards];
    g->page = page;
    g->size = size;
    g->armed = 0;
    copy_name(g->owner, sizeof(g->owner), owner);
    return (int)n_guards++;
}

void ffm_fault_arm_stack_guard(int id, bool armed)
{
    if (id < 0 || id >= n_guards) {
        return;
    }
    struct stack_guard *g = &guards[id];
    g->armed = armed;
    (void)mprotect((void *)g->page, g->size, armed ? PROT_NONE : PROT_READ | PROT_WRITE);
}

static void record_fault(struct ffm_fault_record *rec, int signo, const siginfo_t *info,
                         const void *ucontext)
{
    /* A signal sent with kill/raise (si_code <= 0) has no faulting instruction: the context
     * would name the libc function that sent it. */
    rec->pc = info->si_code > 0 ? fault_pc(ucontext) : 0;
    record_frames(rec);
    rec->signo = signo;
    copy_name(rec->signame, sizeof(rec->signame), signal_name(signo));
    rec->addr = (uintptr_t)info->si_addr;
    rec->kind = current_thread.kind;
    rec->id = current_thread.id;
    copy_name(rec->thread, sizeof(rec->thread), current_thread.name);
    rec->in_spm = current_thread.in_spm != 0;
    rec->isolation = 0;
    rec->owner[0] = '\0';
    const struct stack_guard *guard = armed_guard_at(rec->addr);
    rec->stack_overflow = guard != NULL;
    if (guard != NULL) {
        copy_name(rec->owner, sizeof(rec->owner), guard->owner);
    } else if (has_isolation && isolation.closed_at(isolation.arg, rec->addr)) {
        rec->isolation = 1;
        isolation.describe(isolation.arg, rec->addr, rec->owner, sizeof(rec->owner));
    }
    rec->valid = 1;
}

/*
 * Name the code at fault while this process still has the images mapped: the supervisor loads
 * none of them (their constructors may run only in the simulated system), so it cannot name
 * their addresses afterwards. Symbol and DWARF lookups are not async-signal-safe: the thread
 * faulted in simulated code (never in the SPM: that path exits unnamed), the process ends or
 * traps the partition, and an alarm bounds a lookup that would wait for a lock the faulting
 * code held (the supervisor then reports the fault unnamed).
 */
static void describe_fault(struct ffm_fault_record *rec)
{
    rec->where[0] = '\0';
    if (installed.describe == NULL) {
        return;
    }
    char buf[FFM_FAULT_WHERE_MAX];
    alarm(2);
    installed.describe(rec, buf, sizeof buf);
    alarm(0);
    copy_name(rec->where, sizeof(rec->where), buf);
}

/*
 * i386 Linux: write this thread's own TLS descriptor back into its GDT slot before a handler
 * returns. Natively that rewrites the value the slot already holds. Under qemu-user (how
 * make test M32=1 runs where the kernel cannot run i386 programs), the GDT is one table shared
 * by every thread, holding the descriptor of the thread created last, and the %gs reload of
 * sigreturn would give the returning thread that thread's TLS: its thread-local variables,
 * errno and pthread_self would all be another thread's. %gs still holds the right base here
 * (delivery does not reload it), and its first word is glibc's and musl's pointer to itself.
 */
static void keep_own_tls_on_return(void)
{
#if defined(__linux__) && defined(__i386__)
    unsigned short gs;
    uintptr_t self;
    __asm__ volatile("movw %%gs, %0" : "=r"(gs));
    if ((gs & 4u) != 0 || gs >> 3 == 0) {
        return; /* not a GDT selector: nothing to keep */
    }
    __asm__ volatile("movl %%gs:0, %0" : "=r"(self));
    struct user_desc desc = {
        .entry_number = gs >> 3u, .base_addr = self, .limit = 0xfffffu, .seg_32bit = 1,
        .limit_in_pages = 1, .useable = 1,
    };
    int saved = errno;
    (void)syscall(SYS_set_thread_area, &desc);
    errno = saved;
#endif
}

/*
 * i386: realign the stack on entry. The i386 ABI wants 16 bytes at a call and compilers
 * (clang especially) keep 16-byte stack slots that SSE instructions access aligned. The
 * kernel aligns a signal frame so; qemu-user 7.2 does not always, and a clang build's handler
 * (the symbol lookups under it) faulted there with a general protection fault.
 */
#if defined(__i386__) && defined(__GNUC__)
#define FFM_HANDLER_ALIGN __attribute__((force_align_arg_pointer))
#else
#define FFM_HANDLER_ALIGN
#endif

static FFM_HANDLER_ALIGN void fault_handler(int signo, siginfo_t *info, void *ucontext)
{
    sigjmp_buf *recovery = current_thread.recovery;

    if (has_isolation && armed_guard_at((uintptr_t)info->si_addr) == NULL &&
        isolation.open_on_fault(isolation.arg, (uintptr_t)info->si_addr,
                                current_thread.kind == FFM_THREAD_SPM || current_thread.in_spm)) {
        rearm_guards();
        keep_own_tls_on_return();
        return; /* reachable memory opened on first touch (MEM-15, MEM-17): retried */
    }
    record_fault(installed.record, signo, info, ucontext);
    if (current_thread.kind == FFM_THREAD_NONE || current_thread.kind == FFM_THREAD_SPM ||
        current_thread.in_spm) {
        ffm_fault_before_exit();
        _exit(installed.exit_internal); /* RESET-12: never disguised as a reset */
    }
    describe_fault(installed.record);
    if (installed.trap && recovery != NULL) {
        current_thread.recovery = NULL; /* one use: a second fault must not loop */
        siglongjmp(*recovery, signo);
    }
    ffm_fault_before_exit(); /* not async-signal-safe: only set for coverage runs (--gcov) */
    _exit(installed.exit_fault);
}

void ffm_fault_before_exit(void)
{
    static atomic_flag done = ATOMIC_FLAG_INIT;
    if (is_installed && installed.before_exit != NULL && !atomic_flag_test_and_set(&done)) {
        installed.before_exit(installed.before_exit_arg);
    }
}

int ffm_fault_install(const struct ffm_fault_config *cfg)
{
    struct sigaction sa;
    size_t i;

    if (cfg == NULL || cfg->record == NULL) {
        errno = EINVAL;
        return -1;
    }
    installed = *cfg;
    warm_unwinder();
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = fault_handler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    for (i = 0; i < N_FAULT_SIGNALS; i++) {
        if (sigaction(fault_signals[i], &sa, is_installed ? NULL : &previous[i]) != 0) {
            return -1;
        }
    }
    is_installed = true;
    return 0;
}

void ffm_fault_uninstall(void)
{
    size_t i;

    if (!is_installed) {
        return;
    }
    for (i = 0; i < N_FAULT_SIGNALS; i++) {
        sigaction(fault_signals[i], &previous[i], NULL);
    }
    is_installed = false;
}

static int install_altstack(void)
{
    stack_t ss;
    size_t size = ALTSTACK_MIN;

    if (current_thread.altstack != NULL) {
        return 0;
    }
    if ((size_t)SIGSTKSZ > size) {
        size = (size_t)SIGSTKSZ;
    }
    ss.ss_sp = malloc(size);
    if (ss.ss_sp == NULL) {
        return -1;
    }
    ss.ss_size = size;
    ss.ss_flags = 0;
    if (sigaltstack(&ss, NULL) != 0) {
        free(ss.ss_sp);
        return -1;
    }
    current_thread.altstack = ss.ss_sp;
    current_thread.altstack_size = size;
    return 0;
}

int ffm_fault_thread_enter(enum ffm_thread_kind kind, int32_t id, const char *name)
{
    if (install_altstack() != 0) {
        return -1;
    }
    current_thread.kind = FFM_THREAD_NONE; /* a fault mid-update is not misattributed */
    current_thread.id = id;
    copy_name(current_thread.name, sizeof(current_thread.name), name);
    current_thread.in_spm = 0;
    current_thread.kind = (sig_atomic_t)kind;
    return 0;
}

void ffm_fault_thread_leave(void)
{
    stack_t ss;

    current_thread.kind = FFM_THREAD_NONE;
    current_thread.recovery = NULL;
    current_thread.name[0] = '\0';
    if (current_thread.altstack == NULL) {
        return;
    }
    memset(&ss, 0, sizeof(ss));
    ss.ss_flags = SS_DISABLE;
    sigaltstack(&ss, NULL);
    free(current_thread.altstack);
    current_thread.altstack = NULL;
    current_thread.altstack_size = 0;
}

void ffm_fault_set_in_spm(bool inside)
{
    current_thread.in_spm = inside ? 1 : 0;
}

void ffm_fault_set_recovery(sigjmp_buf *recovery)
{
    current_thread.recovery = recovery;
}

sigjmp_buf *ffm_fault_recovery(void)
{
    return current_thread.recovery;
}

void ffm_fault_reason(const struct ffm_fault_record *rec, char *buf, size_t size)
{
    if (rec->stack_overflow) {
        snprintf(buf, size, "stack overflow of %s: %s at address 0x%llx", rec->owner,
                 rec->signame, (unsigned long long)rec->addr);
        return;
    }
    if (!rec->isolation) {
        snprintf(buf, size, "%s at address 0x%llx", rec->signame, (unsigned long long)rec->addr);
        return;
    }
    snprintf(buf, size, "%s [MEM-15] (%s) at address 0x%llx %s",
             rec->kind == FFM_THREAD_NS ? "SecureFault" : "MemManage", rec->signame,
             (unsigned long long)rec->addr, rec->owner[0] != '\0' ? rec->owner : "(owner unknown)");
}

const char *ffm_thread_kind_name(enum ffm_thread_kind kind)
{
    switch (kind) {
    case FFM_THREAD_SPM: return "SPM";
    case FFM_THREAD_PARTITION: return "partition";
    case FFM_THREAD_NS: return "NS";
    case FFM_THREAD_NONE: break;
    }
    return "unregistered";
}
