/*
 * stack_switch.c - sim_call_on_stack (stack_switch.h): assembly for x86-64 and aarch64 ELF
 * hosts, ucontext for all.
 *
 * The assembly keeps a frame pointer on the caller's stack and describes it in the unwind
 * tables (CFI), so debuggers and backtraces walk from the new stack back into the caller.
 * x86-64 is built and run by make test, i386 by make test M32=1; aarch64 is written to the same contract but has not
 * been run (no aarch64 host or emulator here), so treat it as untested.
 */
#if defined(__linux__)
#define _GNU_SOURCE 1 /* ucontext */
#else
#define _XOPEN_SOURCE 700 /* ucontext (deprecated but present on macOS) */
#define _DARWIN_C_SOURCE 1
#endif
#include "stack_switch.h"

#include <stdint.h>
#include <ucontext.h>

/* AddressSanitizer keeps its own idea of the current stack (for fake stacks and for the
 * stack-use checks around longjmp); a switch it is not told about looks like a wild jump.
 * With ASan the switch is announced as a fiber switch, the documented way to tell it. */
#if defined(__SANITIZE_ADDRESS__)
#define SIM_STACK_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SIM_STACK_ASAN 1
#endif
#endif
#if defined(SIM_STACK_ASAN)
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

/* ThreadSanitizer keeps a shadow call stack and a list of setjmp points per thread, and drops
 * the points below the stack pointer of each new setjmp: a thread whose stack pointer moves
 * between stacks would lose the points of the other stack. Each stack the thread runs on is
 * therefore announced as a fiber of its own (one per nesting depth, made once per thread and
 * kept), and the scheduler never jumps between stacks (sched.c, call_with_landing). */
#if defined(__SANITIZE_THREAD__)
#define SIM_STACK_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SIM_STACK_TSAN 1
#endif
#endif
#if defined(SIM_STACK_TSAN)
#include <sanitizer/tsan_interface.h>
#endif

#if defined(__APPLE__) && defined(__clang__)
#pragma clang diagnostic ignored "-Wdeprecated-declarations"
#endif

#if defined(__ELF__) && (defined(__x86_64__) || defined(__aarch64__) || defined(__i386__))
#define SIM_STACK_ASM 1
/* sim_stack_enter(arg, fn, top): fn(arg) with the stack pointer at top (16-byte aligned). */
void sim_stack_enter(void *arg, sim_stack_fn fn, void *top);
#endif

#if defined(SIM_STACK_ASM) && defined(__x86_64__)
__asm__(".text\n"
        ".globl sim_stack_enter\n"
        ".hidden sim_stack_enter\n"
        ".type sim_stack_enter, @function\n"
        "sim_stack_enter:\n"
        ".cfi_startproc\n"
        "    pushq %rbp\n"
        ".cfi_def_cfa_offset 16\n"
        ".cfi_offset %rbp, -16\n"
        "    movq %rsp, %rbp\n"
        ".cfi_def_cfa_register %rbp\n"
        "    andq $-16, %rdx\n"
        "    movq %rdx, %rsp\n" /* the new stack; rdi already holds arg */
        "    callq *%rsi\n"
        "    movq %rbp, %rsp\n" /* back on the caller's stack */
        "    popq %rbp\n"
        ".cfi_def_cfa %rsp, 8\n"
        "    retq\n"
        ".cfi_endproc\n"
        ".size sim_stack_enter, .-sim_stack_enter\n");
#elif defined(SIM_STACK_ASM) && defined(__i386__)
/* cdecl: the arguments are on the caller's stack, read through the frame pointer before the
 * switch; the call site is 16-byte aligned, as the i386 System V ABI wants (12 + 4 bytes). */
__asm__(".text\n"
        ".globl sim_stack_enter\n"
        ".hidden sim_stack_enter\n"
        ".type sim_stack_enter, @function\n"
        "sim_stack_enter:\n"
        ".cfi_startproc\n"
        "    pushl %ebp\n"
        ".cfi_def_cfa_offset 8\n"
        ".cfi_offset %ebp, -8\n"
        "    movl %esp, %ebp\n"
        ".cfi_def_cfa_register %ebp\n"
        "    movl 8(%ebp), %eax\n"  /* arg */
        "    movl 12(%ebp), %ecx\n" /* fn */
        "    movl 16(%ebp), %edx\n" /* top */
        "    andl $-16, %edx\n"
        "    movl %edx, %esp\n" /* the new stack */
        "    subl $12, %esp\n"
        "    pushl %eax\n"
        "    calll *%ecx\n"
        "    movl %ebp, %esp\n" /* back on the caller's stack */
        "    popl %ebp\n"
        ".cfi_def_cfa %esp, 4\n"
        "    retl\n"
        ".cfi_endproc\n"
        ".size sim_stack_enter, .-sim_stack_enter\n");
#elif defined(SIM_STACK_ASM) && defined(__aarch64__)
__asm__(".text\n"
        ".globl sim_stack_enter\n"
        ".hidden sim_stack_enter\n"
        ".type sim_stack_enter, %function\n"
        "sim_stack_enter:\n"
        ".cfi_startproc\n"
        "    stp x29, x30, [sp, #-16]!\n"
        ".cfi_def_cfa_offset 16\n"
        ".cfi_offset x29, -16\n"
        ".cfi_offset x30, -8\n"
        "    mov x29, sp\n"
        ".cfi_def_cfa_register x29\n"
        "    and x2, x2, #~15\n"
        "    mov sp, x2\n" /* the new stack; x0 already holds arg */
        "    blr x1\n"
        "    mov sp, x29\n" /* back on the caller's stack */
        "    ldp x29, x30, [sp], #16\n"
        ".cfi_def_cfa sp, 0\n"
        "    ret\n"
        ".cfi_endproc\n"
        ".size sim_stack_enter, .-sim_stack_enter\n");
#endif

bool sim_stack_asm_available(void)
{
#if defined(SIM_STACK_ASM)
    return true;
#else
    return false;
#endif
}

void sim_call_on_stack_asm(sim_stack_fn fn, void *arg, void *stack, size_t size)
{
#if defined(SIM_STACK_ASM)
    sim_stack_enter(arg, fn, (unsigned char *)stack + size);
#else
    sim_call_on_stack_ucontext(fn, arg, stack, size);
#endif
}

/* makecontext passes int arguments only: the call goes through a per-thread slot. */
struct uc_call {
    sim_stack_fn fn;
    void *arg;
};

static _Thread_local struct uc_call *uc_pending;

static void uc_trampoline(void)
{
    struct uc_call *call = uc_pending;
    call->fn(call->arg);
}

void sim_call_on_stack_ucontext(sim_stack_fn fn, void *arg, void *stack, size_t size)
{
    struct uc_call call = { fn, arg };
    ucontext_t back, ctx;
    struct uc_call *outer = uc_pending;
    getcontext(&ctx);
    ctx.uc_stack.ss_sp = stack;
    ctx.uc_stack.ss_size = size;
    ctx.uc_link = &back;
    makecontext(&ctx, uc_trampoline, 0);
    uc_pending = &call;
    swapcontext(&back, &ctx);
    uc_pending = outer;
}

#if defined(SIM_STACK_ASAN)
/* The call as seen from the new stack: it tells ASan it has arrived, runs fn and announces the
 * switch back to the stack it came from (this fiber's fake frames end with the call). */
struct asan_call {
    sim_stack_fn fn;
    void *arg;
    const void *from_bottom;
    size_t from_size;
};

static void asan_trampoline(void *p)
{
    struct asan_call *c = p;
    __sanitizer_finish_switch_fiber(NULL, &c->from_bottom, &c->from_size);
    c->fn(c->arg);
    __sanitizer_start_switch_fiber(NULL, c->from_bottom, c->from_size);
}
#endif

static void call_on_stack_raw(sim_stack_fn fn, void *arg, void *stack, size_t size)
{
#if defined(SIM_STACK_ASM)
    sim_call_on_stack_asm(fn, arg, stack, size);
#else
    sim_call_on_stack_ucontext(fn, arg, stack, size);
#endif
}

#if defined(SIM_STACK_TSAN)
/* The fibers of the calling thread, by nesting depth (a run on a secure stack, a handoff on
 * the host stack below it, an SFN carried there, ...: a handful at most). */
#define SIM_TSAN_DEPTH_MAX 16
static _Thread_local void *tsan_fibers[SIM_TSAN_DEPTH_MAX];
static _Thread_local unsigned tsan_depth;

static void call_as_fiber(sim_stack_fn fn, void *arg, void *stack, size_t size)
{
    unsigned depth = tsan_depth++;
    if (depth >= SIM_TSAN_DEPTH_MAX) { /* not expected: run unannounced rather than fail */
        call_on_stack_raw(fn, arg, stack, size);
        tsan_depth--;
        return;
    }
    if (tsan_fibers[depth] == NULL) {
        tsan_fibers[depth] = __tsan_create_fiber(0);
    }
    void *from = __tsan_get_current_fiber();
    __tsan_switch_to_fiber(tsan_fibers[depth], 0);
    call_on_stack_raw(fn, arg, stack, size);
    __tsan_switch_to_fiber(from, 0);
    tsan_depth--;
}
#endif

void sim_stack_thread_done(void)
{
#if defined(SIM_STACK_TSAN)
    for (unsigned i = 0; i < SIM_TSAN_DEPTH_MAX; i++) {
        if (tsan_fibers[i] != NULL) {
            __tsan_destroy_fiber(tsan_fibers[i]);
            tsan_fibers[i] = NULL;
        }
    }
    tsan_depth = 0;
#endif
}

void sim_call_on_stack(sim_stack_fn fn, void *arg, void *stack, size_t size)
{
#if defined(SIM_STACK_ASAN)
    struct asan_call c = { fn, arg, NULL, 0 };
    void *fake_stack = NULL;
    /* A run always starts at the top of `stack`; frames an earlier run left there (unwound by
     * siglongjmp to another stack: a panic, a trap, a reset) are dead, but their redzones are
     * still poisoned and would be reported inside the new run's frames. */
    __asan_unpoison_memory_region(stack, size);
    __sanitizer_start_switch_fiber(&fake_stack, stack, size);
    call_on_stack_raw(asan_trampoline, &c, stack, size);
    __sanitizer_finish_switch_fiber(fake_stack, NULL, NULL);
#elif defined(SIM_STACK_TSAN)
    call_as_fiber(fn, arg, stack, size);
#else
    call_on_stack_raw(fn, arg, stack, size);
#endif
}
