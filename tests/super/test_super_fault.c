/*
 * test_fault.c - fault handling in the simulated system (RESET-10..12, PANIC-04): attribution
 * to the registered simulated thread, the exit statuses, the trap recovery point, and the
 * per-thread alternate stack that catches a stack overflow, and the stack guards of
 * --stack-check enforce.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fault.h"

#define EXIT_FAULT 42
#define EXIT_INTERNAL 43

static struct ffm_fault_record *shared_record(void)
{
    void *p = mmap(NULL, sizeof(struct ffm_fault_record), PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANON, -1, 0);

    assert_true(p != MAP_FAILED);
    memset(p, 0, sizeof(struct ffm_fault_record));
    return p;
}

static volatile char *inaccessible_page(void)
{
    void *p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANON, -1, 0);

    assert_true(p != MAP_FAILED);
    return p;
}

static void install(struct ffm_fault_record *rec, bool trap)
{
    struct ffm_fault_config cfg = { rec, trap, EXIT_FAULT, EXIT_INTERNAL, NULL, NULL, NULL };

    assert_int_equal(ffm_fault_install(&cfg), 0);
}

/* Run body() in a child with the handlers installed; return its exit status (or -signal). */
static int in_child(struct ffm_fault_record *rec, void (*body)(void))
{
    int status;
    pid_t pid = fork();

    if (pid == 0) {
        install(rec, false);
        body();
        _exit(0);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

static volatile char *child_page;

static void partition_touches_page(void)
{
    ffm_fault_thread_enter(FFM_THREAD_PARTITION, 257, "P");
    child_page[0] = 1;
}

/* RESET-10: exit with the fault status; the record names the thread, signal and address. */
static void test_partition_fault_exits_with_record(void **unused)
{
    struct ffm_fault_record *rec = shared_record();

    (void)unused;
    child_page = inaccessible_page();
    assert_int_equal(in_child(rec, partition_touches_page), EXIT_FAULT);
    assert_int_equal(rec->valid, 1);
    assert_int_equal(rec->signo, SIGSEGV);
    assert_string_equal(rec->signame, "SIGSEGV");
    assert_int_equal(rec->addr, (uintptr_t)child_page);
    assert_int_equal(rec->kind, FFM_THREAD_PARTITION);
    assert_int_equal(rec->id, 257);
    assert_string_equal(rec->thread, "P");
    assert_int_equal(rec->in_spm, 0);
}

static void ns_raises_sigbus(void)
{
    ffm_fault_thread_enter(FFM_THREAD_NS, -1, "ns_main");
    raise(SIGBUS);
}

static void ns_raises_sigill(void)
{
    ffm_fault_thread_enter(FFM_THREAD_NS, -3, "worker");
    raise(SIGILL);
}

static void ns_raises_sigfpe(void)
{
    ffm_fault_thread_enter(FFM_THREAD_NS, -4, "fpu");
    raise(SIGFPE);
}

/* RESET-11: every fault signal in NS code is a fault exit, named. */
static void test_all_four_signals_in_ns_code(void **unused)
{
    struct ffm_fault_record *rec = shared_record();

    (void)unused;
    assert_int_equal(in_child(rec, ns_raises_sigbus), EXIT_FAULT);
    assert_string_equal(rec->signame, "SIGBUS");
    assert_int_equal(rec->kind, FFM_THREAD_NS);
    assert_int_equal(rec->id, -1);
    assert_int_equal(in_child(rec, ns_raises_sigill), EXIT_FAULT);
    assert_string_equal(rec->signame, "SIGILL");
    assert_string_equal(rec->thread, "worker");
    assert_int_equal(in_child(rec, ns_raises_sigfpe), EXIT_FAULT);
    assert_string_equal(rec->signame, "SIGFPE");
    assert_int_equal(rec->signo, SIGFPE);
}

static void partition_faults_inside_spm(void)
{
    ffm_fault_thread_enter(FFM_THREAD_PARTITION, 5, "Q");
    ffm_fault_set_in_spm(true);
    child_page[0] = 1;
}

static void spm_thread_faults(void)
{
    ffm_fault_thread_enter(FFM_THREAD_SPM, 0, "spm");
    child_page[0] = 1;
}

static void stranger_faults(void)
{
    child_page[0] = 1;
}

static void thread_that_left_faults(void)
{
    ffm_fault_thread_enter(FFM_THREAD_PARTITION, 5, "gone");
    ffm_fault_thread_leave();
    child_page[0] = 1;
}

/* RESET-12: inside the SPM, on the SPM thread, or on an unregistered thread: internal. */
static void test_spm_and_unregistered_faults_are_internal(void **unused)
{
    struct ffm_fault_record *rec = shared_record();

    (void)unused;
    child_page = inaccessible_page();
    assert_int_equal(in_child(rec, partition_faults_inside_spm), EXIT_INTERNAL);
    assert_int_equal(rec->in_spm, 1);
    assert_string_equal(rec->thread, "Q");
    assert_int_equal(in_child(rec, spm_thread_faults), EXIT_INTERNAL);
    assert_int_equal(rec->kind, FFM_THREAD_SPM);
    assert_int_equal(in_child(rec, stranger_faults), EXIT_INTERNAL);
    assert_int_equal(rec->kind, FFM_THREAD_NONE);
    assert_string_equal(rec->thread, "");
    assert_int_equal(in_child(rec, thread_that_left_faults), EXIT_INTERNAL);
    assert_int_equal(rec->kind, FFM_THREAD_NONE);
}

/* Deep recursion: only an alternate stack lets the handler run after this overflows. The
 * volatile limit is never reached; it only hides the endless recursion from the compiler. */
static volatile int recursion_limit = -1;

static int recurse(int depth)
{
    volatile char frame[1024];

    if (depth == recursion_limit) {
        return 0;
    }
    frame[0] = (char)depth;
    return recurse(depth + 1) + frame[0];
}

static void *overflowing_partition(void *arg)
{
    (void)arg;
    ffm_fault_thread_enter(FFM_THREAD_PARTITION, 300, "deep");
    return (void *)(intptr_t)recurse(0);
}

static void partition_thread_overflows_stack(void)
{
    pthread_attr_t attr;
    pthread_t thread;

    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    pthread_create(&thread, &attr, overflowing_partition, NULL);
    pthread_join(thread, NULL);
}

/* A stack overflow in a partition thread is caught on its alternate stack and attributed. */
static void test_stack_overflow_in_partition_thread_is_caught(void **unused)
{
    struct ffm_fault_record *rec = shared_record();

    (void)unused;
    assert_int_equal(in_child(rec, partition_thread_overflows_stack), EXIT_FAULT);
    assert_string_equal(rec->signame, "SIGSEGV");
    assert_string_equal(rec->thread, "deep");
    assert_int_equal(rec->id, 300);
}

/* PANIC-04: under trap the recovery point is reached, in this very process, which goes on. */
static void test_trap_unwinds_to_recovery_point_once(void **unused)
{
    static sigjmp_buf recovery;
    struct ffm_fault_record *rec = shared_record();
    volatile char *page = inaccessible_page();
    volatile int recovered = 0;

    (void)unused;
    install(rec, true);
    assert_int_equal(ffm_fault_thread_enter(FFM_THREAD_PARTITION, 9, "P"), 0);
    if (sigsetjmp(recovery, 1) == 0) {
        ffm_fault_set_recovery(&recovery);
        page[0] = 1;
        fail_msg("the faulting access returned");
    } else {
        recovered = 1;
    }
    assert_int_equal(recovered, 1);
    assert_int_equal(rec->valid, 1);
    assert_int_equal(rec->addr, (uintptr_t)page);
    assert_string_equal(rec->thread, "P");
    /* The signal mask was restored: a second fault is caught again. */
    memset(rec, 0, sizeof(*rec));
    if (sigsetjmp(recovery, 1) == 0) {
        ffm_fault_set_recovery(&recovery);
        page[1] = 1;
        fail_msg("the second faulting access returned");
    }
    assert_int_equal(rec->valid, 1);
    ffm_fault_thread_leave();
    ffm_fault_uninstall();
}

static volatile char *guard_page;

/* --stack-check enforce's guard: open, the page is writable; armed, a write there is a stack
 * overflow of its owner. */
static void partition_writes_into_its_armed_guard(void)
{
    ffm_fault_thread_enter(FFM_THREAD_PARTITION, 258, "DEEP");
    int id = ffm_fault_add_stack_guard((uintptr_t)guard_page, 4096,
                                       "DEEP (stack: stack_size 1024 bytes)");
    ffm_fault_arm_stack_guard(id, false);
    guard_page[0] = 1; /* open: the simulator's own work may go there */
    ffm_fault_arm_stack_guard(id, true);
    guard_page[8] = 1;
}

static void test_armed_stack_guard_is_a_stack_overflow(void **unused)
{
    struct ffm_fault_record *rec = shared_record();
    char reason[256];

    (void)unused;
    guard_page = inaccessible_page();
    assert_int_equal(in_child(rec, partition_writes_into_its_armed_guard), EXIT_FAULT);
    assert_int_equal(rec->stack_overflow, 1);
    assert_int_equal(rec->addr, (uintptr_t)guard_page + 8);
    assert_string_equal(rec->owner, "DEEP (stack: stack_size 1024 bytes)");
    ffm_fault_reason(rec, reason, sizeof reason);
    char want[256];
    snprintf(want, sizeof want, "stack overflow of DEEP (stack: stack_size 1024 bytes): SIGSEGV "
             "at address 0x%llx", (unsigned long long)(uintptr_t)(guard_page + 8));
    assert_string_equal(reason, want);
}

/* Without a recovery point, trap still ends the process with the fault status. */
static void test_trap_without_recovery_point_exits(void **unused)
{
    struct ffm_fault_record *rec = shared_record();
    int status;
    pid_t pid;

    (void)unused;
    child_page = inaccessible_page();
    pid = fork();
    if (pid == 0) {
        install(rec, true);
        partition_touches_page();
        _exit(0);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), EXIT_FAULT);
}

static void test_install_refuses_missing_record(void **unused)
{
    struct ffm_fault_config cfg = { NULL, false, 1, 2, NULL, NULL, NULL };

    (void)unused;
    assert_int_equal(ffm_fault_install(&cfg), -1);
    assert_int_equal(ffm_fault_install(NULL), -1);
}

static void test_thread_kind_names(void **unused)
{
    (void)unused;
    assert_string_equal(ffm_thread_kind_name(FFM_THREAD_PARTITION), "partition");
    assert_string_equal(ffm_thread_kind_name(FFM_THREAD_NS), "NS");
    assert_string_equal(ffm_thread_kind_name(FFM_THREAD_SPM), "SPM");
    assert_string_equal(ffm_thread_kind_name(FFM_THREAD_NONE), "unregistered");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_partition_fault_exits_with_record),
        cmocka_unit_test(test_all_four_signals_in_ns_code),
        cmocka_unit_test(test_spm_and_unregistered_faults_are_internal),
        cmocka_unit_test(test_stack_overflow_in_partition_thread_is_caught),
        cmocka_unit_test(test_trap_unwinds_to_recovery_point_once),
        cmocka_unit_test(test_trap_without_recovery_point_exits),
        cmocka_unit_test(test_armed_stack_guard_is_a_stack_overflow),
        cmocka_unit_test(test_install_refuses_missing_record),
        cmocka_unit_test(test_thread_kind_names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
