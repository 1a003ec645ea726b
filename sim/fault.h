/*
 * fault.h - hardware faults in simulated code (RESET-10..12). Inside the simulated system,
 * SIGSEGV, SIGBUS, SIGILL and SIGFPE are caught on a per-thread alternate stack (so a stack
 * overflow is caught too), attributed to the simulated thread that faulted, and recorded in a
 * fault record in shared memory with async-signal-safe code only. Then:
 *
 *   - inside the SPM, or on a thread that never registered  -> _exit(exit_internal)  (RESET-12)
 *   - policy trap and a recovery point registered            -> siglongjmp to it      (PANIC-04)
 *   - otherwise                                              -> _exit(exit_fault)     (RESET-10/11)
 *
 * The supervisor reads the record after the child is gone and applies the panic policy.
 *
 * Each simulated thread calls ffm_fault_thread_enter once (it records the thread's identity in
 * thread-local storage and installs its alternate stack) and ffm_fault_thread_leave before it
 * ends. The thread-local record is read from the signal handler: link this module into the
 * executable (it is a static library), where TLS access does not allocate.
 */
#ifndef FFM_SIM_FAULT_H
#define FFM_SIM_FAULT_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ffm_thread_kind {
    FFM_THREAD_NONE = 0,  /* not a registered simulated thread: a fault is internal */
    FFM_THREAD_SPM,       /* SPM / port code: a fault is internal (RESET-12) */
    FFM_THREAD_PARTITION, /* a Secure Partition (RESET-10) */
    FFM_THREAD_NS,        /* a non-secure thread (RESET-11) */
};

#define FFM_FAULT_NAME_MAX 48u
#define FFM_FAULT_WHERE_MAX 320u /* as where.h's FFM_WHERE_MAX */
#define FFM_FAULT_FRAMES 12

/* What the handler records. Plain fields: written once by the faulting thread, read by the
 * supervisor after the child has been reaped (waitpid orders the accesses). */
struct ffm_fault_record {
    int valid;                        /* 1 once a fault was recorded */
    int signo;
    char signame[12];                 /* "SIGSEGV" */
    uintptr_t addr;                   /* si_addr */
    uintptr_t pc;                     /* faulting instruction (ucontext); 0: unknown */
    uintptr_t frames[FFM_FAULT_FRAMES]; /* the faulting thread's stack, innermost first, from
                                         * inside the handler (glibc, macOS); n_frames 0: none */
    int n_frames;
    int kind;                         /* enum ffm_thread_kind of the faulting thread */
    int32_t id;                       /* partition pid or NS client id */
    char thread[FFM_FAULT_NAME_MAX];  /* partition or thread name */
    int in_spm;                       /* the thread was inside the SPM (RESET-12) */
    char where[FFM_FAULT_WHERE_MAX];  /* the code at fault, named by the faulting process while
                                       * its images were mapped (describe); "": not named */
    int isolation;                    /* 1: the address was closed by isolation (MEM-15) */
    char owner[112];                  /* isolation: "owned by P (stack)" (MEM-15); stack
                                       * overflow: the stack's description */
    int stack_overflow;               /* 1: the address is an armed stack guard
                                       * (--stack-check enforce) */
};

/* Direct-access isolation (MEM-15, sim/isolation.h), as the handler sees it. Every function is
 * async-signal-safe. */
struct ffm_fault_isolation {
    bool (*closed_at)(void *arg, uintptr_t addr);  /* closed to the running domain now? */
    bool (*describe)(void *arg, uintptr_t addr, char *buf, size_t size);
    /* a closed range the runner may reach (or, privileged, the SPM: MEM-17) opens on first
     * touch: true when it did (the access is retried) */
    bool (*open_on_fault)(void *arg, uintptr_t addr, bool privileged);
    void *arg;
};

struct ffm_fault_config {
    struct ffm_fault_record *record; /* where the handler writes; required */
    bool trap;                       /* policy trap: use recovery points when registered */
    int exit_fault;                  /* _exit status after a fault in simulated code */
    int exit_internal;               /* _exit status after a fault in the SPM or a stranger */
    /* Called once just before the process _exits after a fault, and by ffm_fault_before_exit:
     * ffm-sim --gcov writes the images' coverage counters there. NULL: nothing. */
    void (*before_exit)(void *arg);
    void *before_exit_arg;
    /* Names the code at fault into rec->where before the process _exits after a fault in
     * simulated code (ffm-sim: where.h's ffm_where_fault). NULL: not named. */
    const char *(*describe)(const struct ffm_fault_record *rec, char *buf, size_t size);
};

/* Run the installed before_exit hook, once per process (a simulated process ending a boot on
 * purpose calls it before its _exit). */
void ffm_fault_before_exit(void);

/* Install the handlers for the whole process (SA_SIGINFO | SA_ONSTACK). 0, or -1 with errno. */
int ffm_fault_install(const struct ffm_fault_config *cfg);

/* Restore the dispositions that were in place before ffm_fault_install (tests). */
void ffm_fault_uninstall(void);

/* Register the calling thread as a simulated thread and give it an alternate signal stack.
 * Calling it again on the same thread only updates the identity. 0, or -1 with errno. */
int ffm_fault_thread_enter(enum ffm_thread_kind kind, int32_t id, const char *name);

/* Forget the calling thread's identity, disable and free its alternate stack. */
void ffm_fault_thread_leave(void);

/* Consult `iso` (copied; NULL: none) for every fault: a fault in closed memory the running
 * code may reach opens it and retries (the SPM reaches all memory, MEM-17); any other fault
 * there is recorded with the owner of the address (MEM-15). */
void ffm_fault_set_isolation(const struct ffm_fault_isolation *iso);

/* Mark the calling thread as running SPM code (around core calls) or not. */
void ffm_fault_set_in_spm(bool inside);

/* Register (or clear with NULL) the calling thread's recovery point for policy trap. The
 * buffer must be filled with sigsetjmp(buf, 1); it is used once, then forgotten, and
 * siglongjmp delivers the signal number as sigsetjmp's return value. */
void ffm_fault_set_recovery(sigjmp_buf *recovery);
/* The calling thread's recovery point (NULL: none). */
sigjmp_buf *ffm_fault_recovery(void);

/*
 * Stack guards (--stack-check enforce): a page placed below a partition's stack_size, closed
 * while the partition's code runs and opened while the simulator works on that stack. A fault
 * in an armed guard is recorded as a stack overflow with `owner` (copied: "DEEP_SP stack:
 * stack_size 1,024 bytes ..."). Returns the guard's id, or -1 when the table is full.
 */
int ffm_fault_add_stack_guard(uintptr_t page, size_t size, const char *owner);

/* Close (armed) or open the guard `id`. Async-signal-safe (one mprotect). */
void ffm_fault_arm_stack_guard(int id, bool armed);

/* The reason text of a fault report: "SIGSEGV at address 0x..."; for a stack overflow
 * "stack overflow of OWNER: SIGSEGV at address 0x..."; for an isolation fault
 * (MEM-15) "SecureFault [MEM-15] at address 0x... owned by P (stack)" from NS code, or
 * "MemManage [MEM-15] ..." from a partition. Not async-signal-safe. */
void ffm_fault_reason(const struct ffm_fault_record *rec, char *buf, size_t size);

/* "partition", "NS", "SPM" or "unregistered". */
const char *ffm_thread_kind_name(enum ffm_thread_kind kind);

#endif /* FFM_SIM_FAULT_H */
