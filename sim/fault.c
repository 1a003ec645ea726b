/*
 * fault.c - catch SIGSEGV/SIGBUS/SIGILL/SIGFPE in the simulated system, attribute the fault to
 * a simulated thread and record it (RESET-10..12). Everything reachable from the handler is
 * async-signal-safe: plain stores, a hand-written string copy, siglongjmp and _exit.
 */
#include "fault.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* Big enough for the handler plus a libc frame; SIGSTKSZ may not be a constant any more. */
#define ALTSTACK_MIN (64u * 1024u)

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

static void record_fault(struct ffm_fault_record *rec, int signo, const siginfo_t *info)
{
    rec->signo = signo;
    copy_name(rec->signame, sizeof(rec->signame), signal_name(signo));
    rec->addr = (uintptr_t)info->si_addr;
    rec->kind = current_thread.kind;
    rec->id = current_thread.id;
    copy_name(rec->thread, sizeof(rec->thread), current_thread.name);
    rec->in_spm = current_thread.in_spm != 0;
    rec->isolation = 0;
    rec->owner[0] = '\0';
    if (has_isolation && isolation.closed_at(isolation.arg, rec->addr)) {
        rec->isolation = 1;
        isolation.describe(isolation.arg, rec->addr, rec->owner, sizeof(rec->owner));
    }
    rec->valid = 1;
}

static void fault_handler(int signo, siginfo_t *info, void *ucontext)
{
    sigjmp_buf *recovery = current_thread.recovery;

    (void)ucontext;
    if (has_isolation &&
        isolation.open_on_fault(isolation.arg, (uintptr_t)info->si_addr,
                                current_thread.kind == FFM_THREAD_SPM || current_thread.in_spm)) {
        return; /* reachable memory opened on first touch (MEM-15, MEM-17): retried */
    }
    record_fault(installed.record, signo, info);
    if (current_thread.kind == FFM_THREAD_NONE || current_thread.kind == FFM_THREAD_SPM ||
        current_thread.in_spm) {
        _exit(installed.exit_internal); /* RESET-12: never disguised as a reset */
    }
    if (installed.trap && recovery != NULL) {
        current_thread.recovery = NULL; /* one use: a second fault must not loop */
        siglongjmp(*recovery, signo);
    }
    _exit(installed.exit_fault);
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

void ffm_fault_reason(const struct ffm_fault_record *rec, char *buf, size_t size)
{
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
