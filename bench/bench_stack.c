/*
 * bench_stack.c - the cost of running a function on another stack (sim/posix/stack_switch.h),
 * the step an SFN run in its caller's context adds to a direct call: the assembly version and
 * the portable ucontext one (glibc's swapcontext saves and restores the signal mask, a system
 * call each way), interleaved over 7 rounds, medians. Run by `make bench`.
 *
 * The module's one file is compiled in (first, for its feature-test macros).
 */
#include "posix/stack_switch.c"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#define ROUNDS 7
#define STACK_SIZE (256u * 1024u)

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static void bump(void *arg)
{
    (*(volatile unsigned *)arg)++;
}

static void direct(sim_stack_fn fn, void *arg, void *stack, size_t size)
{
    (void)stack;
    (void)size;
    fn(arg);
}

static void (*volatile callers[])(sim_stack_fn, void *, void *, size_t) = {
    direct, sim_call_on_stack_asm, sim_call_on_stack_ucontext,
};
static const char *const names[] = { "direct call", "stack switch (assembly)",
                                     "stack switch (ucontext)" };
static const unsigned counts[] = { 1000000, 1000000, 20000 };
#define N_WAYS (sizeof names / sizeof names[0])

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(void)
{
    void *stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                       -1, 0);
    if (stack == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    double ns[N_WAYS][ROUNDS];
    volatile unsigned hits = 0;
    for (unsigned r = 0; r < ROUNDS; r++) {
        for (size_t w = 0; w < N_WAYS; w++) {
            double t0 = now_ns();
            for (unsigned i = 0; i < counts[w]; i++) {
                callers[w](bump, (void *)&hits, stack, STACK_SIZE);
            }
            ns[w][r] = (now_ns() - t0) / counts[w];
        }
    }
    printf("\nffm-sim stack switch (an SFN run in its caller's context), medians of %d rounds%s\n",
           ROUNDS, sim_stack_asm_available() ? "" : " (no assembly here: ucontext twice)");
    for (size_t w = 0; w < N_WAYS; w++) {
        qsort(ns[w], ROUNDS, sizeof ns[w][0], cmp_double);
        printf("%-44s %10.1f ns (min %.1f, max %.1f)\n", names[w], ns[w][ROUNDS / 2], ns[w][0],
               ns[w][ROUNDS - 1]);
    }
    munmap(stack, STACK_SIZE);
    return 0;
}
