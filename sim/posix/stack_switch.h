/*
 * stack_switch.h - run a function on another stack, in the calling thread, without a system
 * call: how an SFN service function runs in its caller's context on the partition's secure
 * stack (sfn_carry.c, docs/ffm-sim.md section 4).
 *
 * Two implementations: a few instructions of assembly where written (x86-64, i386 and aarch64
 * ELF: switch the stack pointer, call, switch back), and ucontext everywhere (portable, but
 * glibc's swapcontext saves and restores the signal mask: a system call each way). Both are
 * built on x86-64 and i386 (make M32=1) and tested (tests/sim/test_sim_stack.c); sim_call_on_stack uses the first available.
 *
 * `fn` may leave by siglongjmp only to a point set on the new stack (inside fn), never to the
 * caller's frames: the switch back is the return from fn.
 */
#ifndef FFM_SIM_POSIX_STACK_SWITCH_H
#define FFM_SIM_POSIX_STACK_SWITCH_H

#include <stdbool.h>
#include <stddef.h>

typedef void (*sim_stack_fn)(void *arg);

/* fn(arg) on [stack, stack + size), with the best implementation available. */
void sim_call_on_stack(sim_stack_fn fn, void *arg, void *stack, size_t size);

/* The calling thread will switch stacks no more: release what the switches kept for it
 * (ThreadSanitizer's fibers). */
void sim_stack_thread_done(void);

/* The assembly version (false when there is none for this host) and the portable one. */
bool sim_stack_asm_available(void);
void sim_call_on_stack_asm(sim_stack_fn fn, void *arg, void *stack, size_t size);
void sim_call_on_stack_ucontext(sim_stack_fn fn, void *arg, void *stack, size_t size);

#endif /* FFM_SIM_POSIX_STACK_SWITCH_H */
