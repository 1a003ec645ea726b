/*
 * test_sim_stack.c - sim_call_on_stack (sim/posix/stack_switch.h), both implementations: the
 * assembly one where the host has it (x86-64 here) and the portable ucontext one. The function
 * runs on the given stack (its locals are there), returns to the caller, nests, and may
 * siglongjmp to a point set on the new stack.
 *
 * The module belongs to the POSIX port's library; its one file is compiled into this test
 * (first, so that its feature-test macros take effect) to keep the test's link line that of
 * the other tests/sim suites.
 */
#include "posix/stack_switch.c"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <sys/mman.h>

#define STACK_SIZE (256u * 1024u)

typedef void (*caller_fn)(sim_stack_fn fn, void *arg, void *stack, size_t size);

struct probe {
    unsigned char *lo, *hi;   /* the stack given */
    uintptr_t local;          /* where fn's local landed */
    int depth;
    int result;
    caller_fn nested;         /* call once more on a second stack */
    unsigned char *stack2;
    sigjmp_buf jb;
    int jumped;
};

static void *new_stack(void)
{
    void *s = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(s != MAP_FAILED);
    return s;
}

static void leaf(void *arg)
{
    struct probe *p = arg;
    volatile int here = 42;
    p->local = (uintptr_t)&here;
    p->result = here;
}

static void nest(void *arg)
{
    struct probe *p = arg;
    struct probe inner = { .lo = p->stack2, .hi = p->stack2 + STACK_SIZE };
    p->nested(leaf, &inner, p->stack2, STACK_SIZE);
    assert_true(inner.local >= (uintptr_t)inner.lo && inner.local < (uintptr_t)inner.hi);
    p->depth = 2;
    leaf(p);
}

static void deep_jump(struct probe *p)
{
    siglongjmp(p->jb, 7);
}

static void jumper(void *arg)
{
    struct probe *p = arg;
    int how = sigsetjmp(p->jb, 0);
    if (how == 0) {
        deep_jump(p);
    }
    p->jumped = how;
}

static void check_runs_on_stack(caller_fn call)
{
    unsigned char *stack = new_stack();
    struct probe p = { .lo = stack, .hi = stack + STACK_SIZE };
    volatile int mine = 0;
    call(leaf, &p, stack, STACK_SIZE);
    assert_int_equal(p.result, 42);
    assert_true(p.local >= (uintptr_t)p.lo && p.local < (uintptr_t)p.hi);
    assert_false((uintptr_t)&mine >= (uintptr_t)p.lo && (uintptr_t)&mine < (uintptr_t)p.hi);
    /* nested: on a second stack from the first */
    p.nested = call;
    p.stack2 = new_stack();
    call(nest, &p, stack, STACK_SIZE);
    assert_int_equal(p.depth, 2);
    /* a siglongjmp inside fn, to a point set on the new stack, then a normal return */
    call(jumper, &p, stack, STACK_SIZE);
    assert_int_equal(p.jumped, 7);
    munmap(p.stack2, STACK_SIZE);
    munmap(stack, STACK_SIZE);
}

static void test_asm(void **state)
{
    (void)state;
#if (defined(__x86_64__) || defined(__i386__)) && defined(__ELF__)
    assert_true(sim_stack_asm_available()); /* x86 must not fall back silently */
#endif
    check_runs_on_stack(sim_call_on_stack_asm);
}

static void test_ucontext(void **state)
{
    (void)state;
    check_runs_on_stack(sim_call_on_stack_ucontext);
}

static void test_stack_switch_default(void **state)
{
    (void)state;
    check_runs_on_stack(sim_call_on_stack);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_asm),
        cmocka_unit_test(test_ucontext),
        cmocka_unit_test(test_stack_switch_default),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
