/*
 * threads.c - the simulated threads of one boot: one pthread per Secure Partition (its IPC
 * entry point, or the SFN service loop), the NS entry thread and the NS threads it creates,
 * plus FLIH handlers run in handler mode on whichever thread holds the token (like an
 * exception on the single core being modelled).
 *
 * Every thread starts at thread_main, which keeps a sigsetjmp point: the `trap` policy, a
 * stopping system and (under `trap`) a fault unwind to it, so no simulated code of the thread
 * runs afterwards (GEN-06).
 *
 * Partition stacks are mmap'd here, with a guard page, so their bounds are known and they can
 * be registered as secure memory owned by the partition (MEM-03).
 *
 * Locks: none taken directly here except through sched.c (sim->mu, a leaf) and memmap's own.
 */
#if defined(__linux__)
#define _GNU_SOURCE 1 /* pthread_getattr_np */
#endif
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "engine.h"
#include "fault.h"
#include "ffmsim/ns.h"
#include "ffmsim/platform.h"
#include "memmap.h"
#include "report.h"
#include "stack_switch.h"
#include "trace.h"
#include "where.h"

/*
 * A partition's secure stacks (its body's, and an SFN partition's SFN stack): the floor plus
 * SIM_HOST_STACK_SCALE times its manifest stack_size. The manifest's figure is for a Cortex-M33;
 * host code has 64-bit frames and calls into libc (printf), and under sanitizers frames grow
 * (ASan redzones). Only touched pages cost memory.
 */
#define SIM_HOST_STACK_FLOOR (2u * 1024u * 1024u)
#define SIM_HOST_STACK_SCALE 4u
/* A partition thread's own host stack, where its handoffs sleep (the body runs on the secure
 * stack, so isolation can close that while the thread sleeps). It also holds the static TLS the
 * C library places at the top of a thread's stack: ThreadSanitizer's alone is about 900 KiB
 * with gcc 12 (pthread_create fails with EINVAL below it). */
#define SIM_HOST_THREAD_STACK (2u * 1024u * 1024u)

static _Thread_local struct sim_thread *tls_self;
static _Thread_local int tls_flih_partition = -1;
static _Thread_local sigjmp_buf *tls_flih_jmp;

struct sim_thread *sim_self(void)
{
    return tls_self;
}

void sim_set_self(struct sim_thread *self)
{
    tls_self = self;
}

int sim_flih_partition(void)
{
    return tls_flih_partition;
}

void sim_set_flih_partition(int partition)
{
    tls_flih_partition = partition;
}

_Noreturn void sim_flih_unwind(void)
{
    siglongjmp(*tls_flih_jmp, 1);
}

/* ---------------------------------------------------------------- partition bodies */

static void call_entry_returned(struct sim_thread *self, int32_t status)
{
    sim_spm_enter(self);
    struct ffm_ret r = ffm_spm_entry_returned(&self->sim->spm, &self->caller, status);
    sim_spm_leave(self);
    if (r.next == FFM_NEXT_PANIC) {
        sim_panic(self, FFM_STOP_PANIC, "entry point returned (PANIC-07)");
    }
}

static void run_ipc_partition(struct sim_thread *self, uint16_t p)
{
    sim_fn entry = self->sim->setup->entry[p];
    sim_stack_guard_arm(self);
    entry();
    sim_stack_guard_disarm(self);
    call_entry_returned(self, 0);
}

void sim_run_sfn_message(struct sim_thread *self, const psa_msg_t *msg,
                         const struct ffm_service_desc *svc)
{
    struct sim *sim = self->sim;
    size_t index = (size_t)(svc - sim->setup->desc->services);
    psa_status_t (*sfn)(const psa_msg_t *) = (psa_status_t (*)(const psa_msg_t *))
        sim->setup->sfn[index];
    uint64_t t0 = sim->setup->trace != NULL ? ffm_trace_time(sim->setup->trace) : 0;
    unsigned char here;
    uintptr_t sfn_low = (uintptr_t)self->sfn_stack;
    if (self->sfn_stack != NULL && (uintptr_t)&here >= sfn_low &&
        (uintptr_t)&here < sfn_low + self->sfn_stack_size && self->sfn_entry_sp == 0) {
        self->sfn_entry_sp = (uintptr_t)&here; /* stack use: the SFN's part starts here */
    }
    sim_stack_clean(self); /* the fetch's SPM work is not the partition's */
    sim_stack_guard_arm(self);
    psa_status_t status = sfn(msg);
    sim_stack_guard_disarm(self);
    sim_stack_note(self, &here);
    sim_stack_enter_sim(self, &here);
    if (sim->setup->trace != NULL) { /* the SFN run as a slice on the partition's track */
        struct ffm_trace_arg args[] = {
            FFM_TARG_S("service", svc->name),     FFM_TARG_X("sid", svc->sid),
            FFM_TARG_X("handle", (uint32_t)msg->handle), FFM_TARG_I("type", msg->type),
            FFM_TARG_I("client_id", msg->client_id), FFM_TARG_I("status", status),
        };
        ffm_trace_slice(sim->setup->trace, self->trace_tid, svc->sfn_name, "sfn", t0,
                        ffm_trace_time(sim->setup->trace), args, 6);
    }
    sim_spm_enter(self);
    struct ffm_ret r = ffm_sfn_complete(&sim->spm, &self->caller, msg->handle, status);
    sim_spm_leave(self);
    if (r.next == FFM_NEXT_PANIC) {
        sim_panic(self, FFM_STOP_PANIC, "SFN returned an invalid status (REPLY-10)");
    }
    sim_stack_clean(self);
}

bool sim_sfn_fetch(struct sim_thread *self, psa_msg_t *msg, const struct ffm_service_desc **svc)
{
    struct sim *sim = self->sim;
    self->wake_pending = false;
    sim_spm_enter(self);
    struct ffm_ret r = ffm_sfn_fetch(&sim->spm, &self->caller, msg, svc);
    sim_spm_leave(self);
    if (r.next == FFM_NEXT_PANIC) {
        sim_panic(self, FFM_STOP_PANIC, "SFN fetch");
    }
    return r.value == 1 && *svc != NULL;
}

static void run_sfn_partition(struct sim_thread *self, uint16_t p)
{
    struct sim *sim = self->sim;
    sim_fn init = sim->setup->entry[p];
    if (init != NULL) {
        sim_stack_guard_arm(self);
        psa_status_t status = ((psa_status_t (*)(void))init)();
        sim_stack_guard_disarm(self);
        call_entry_returned(self, status);
    }
    sim_boot_point(self);
    for (;;) {
        sim_stack_clean(self); /* the loop is the SPM's work: not the partition's stack use */
        psa_msg_t msg;
        sim_stack_enter_sim(self, &msg);
        const struct ffm_service_desc *svc = NULL;
        if (sim_sfn_fetch(self, &msg, &svc)) {
            sim_run_sfn_message(self, &msg, svc);
            sim_preempt_point(self);
        } else {
            sim_block(self, SIM_WAIT_SFN_IDLE, FFM_API_WAIT);
        }
        if (self->has_handover) { /* fetched in a caller's context, left to this thread */
            self->has_handover = false;
            msg = self->handover_msg;
            sim_run_sfn_message(self, &msg, self->handover_svc);
            sim_preempt_point(self);
        }
    }
}

/* --log info: the order partitions reached their first psa_wait / ended entry_init. */
static void log_start(const struct sim *sim)
{
    char order[256] = "";
    for (size_t i = 0; i < sim->setup->desc->n_partitions; i++) {
        const char *name = sim->setup->desc->partitions[sim->start_order[i]].name;
        size_t len = strlen(order);
        snprintf(order + len, sizeof order - len, "%s%s", i == 0 ? "" : ", ", name);
    }
    sim_log(sim, FFM_LOG_INFO, "boot %u: partitions started (RESET-02): %s; NS entry starts",
            (unsigned)sim->setup->spm_config.boot, order[0] != '\0' ? order : "none");
}

static void run_ns(struct sim_thread *self)
{
    const struct sim_host *host = self->sim->setup->host;
    if (self == self->sim->ns_main) {
        log_start(self->sim);
        self->sim->outcome.ns_entered = true; /* RESET-14 */
        if (host != NULL && host->ns_entered != NULL) {
            host->ns_entered(host->arg);
        }
    }
    int ret = self->ns_main != NULL ? self->ns_main() : self->ns_fn(self->ns_arg);
    self->ns_ret = ret;
    if (self == self->sim->ns_main) {
        sim_end(self->sim, SIM_END_NS_RETURNED, ret, FFM_STOP_EXITED,
                "the NS entry returned %d", ret);
    }
}

/* ---------------------------------------------------------------- stack use */

/*
 * A partition's stack use is measured the way firmware measures it: the stack is painted
 * with a byte pattern before the partition runs, and at the end of the boot the deepest byte
 * that no longer holds the pattern is its high-water mark. On the thread's stack only the part
 * below the frame the body starts from is the partition's (the simulator's own frames are
 * above it); painting stops SIM_PAINT_GAP below that frame, far below what the painting
 * itself uses. The SFN stack is the partition's alone and painted whole when it is mapped.
 */
#define SIM_PAINT_BYTE 0xA5u
#define SIM_PAINT_WORD 0xA5A5A5A5u
#define SIM_PAINT_GAP 256u /* below the painter's frame: paint() is a leaf with a small frame */
#define SIM_PAINT_MAX (1024u * 1024u) /* deeper than any M-profile partition's stack */
#define SIM_CLEAN_MAX (16u * 1024u)    /* the deepest the simulator's work behind a call goes */
#define SIM_SCAN_EXTRA 4096u

_Static_assert(FFM_STACK_MARKS == FFM_MAX_PARTITIONS, "one stack mark per partition");

/* Painting and scanning touch stack bytes outside any live frame, on purpose: AddressSanitizer
 * must not check them (the redzones of dead frames are still poisoned there). */
#if defined(__GNUC__)
#define SIM_STACK_PROBE __attribute__((no_sanitize_address))
#else
#define SIM_STACK_PROBE
#endif

/* [low, high) with the pattern, word by word: volatile, so that the compiler does not make a
 * memset call of it, whose frame (an interceptor's, under sanitizers) could reach the area. */
SIM_STACK_PROBE static void paint(uintptr_t low, uintptr_t high)
{
    low = (low + 3u) & ~(uintptr_t)3u;
    high &= ~(uintptr_t)3u;
    for (volatile uint32_t *w = (volatile uint32_t *)low; (uintptr_t)w < high; w++) {
        *w = SIM_PAINT_WORD;
    }
}

static void place_guard(struct sim_thread *self, uintptr_t sp);

static void paint_thread_stack(struct sim_thread *self)
{
    unsigned char here;
    uintptr_t low = (uintptr_t)self->stack;
    uintptr_t top = ((uintptr_t)&here - SIM_PAINT_GAP) & ~(uintptr_t)3u;
    if (!self->sim->setup->stack_check || self->stack == NULL || top <= low) {
        return;
    }
    if (top - low > SIM_PAINT_MAX) {
        low = top - SIM_PAINT_MAX;
    }
    self->entry_sp = (uintptr_t)&here;
    place_guard(self, (uintptr_t)&here); /* before painting: its frames are the simulator's */
    paint(low, top);
    self->paint_low = low;
    self->paint_top = top;
}

/* Is `addr` on the thread's own stack (not the SFN stack a caller's host runs it on)? */
static bool on_thread_stack(const struct sim_thread *t, uintptr_t addr)
{
    uintptr_t low = (uintptr_t)t->stack;
    return t->stack != NULL && addr >= low && addr < low + t->stack_size;
}

/* The stack region of `t` that holds `addr`, as [low, high) of its painted part; false if
 * none (an NS thread, or painting is off). */
static bool painted_region(const struct sim_thread *t, uintptr_t addr, uintptr_t *low,
                           uintptr_t *high)
{
    if (t->paint_low != 0 && addr >= t->paint_low && on_thread_stack(t, addr)) {
        *low = t->paint_low; /* above paint_top: the frames the body started from */
        *high = t->paint_top;
        return true;
    }
    uintptr_t sfn = (uintptr_t)t->sfn_stack;
    if (t->sfn_stack != NULL && t->paint_low != 0 && addr >= sfn &&
        addr < sfn + t->sfn_stack_size) {
        *low = sfn;
        *high = sfn + t->sfn_stack_size;
        return true;
    }
    return false;
}

/*
 * Paint again what the simulator itself used below the current frame (the SPM core behind a
 * PSA call, trace and log formatting): on the target that work runs on the SPM's stack, and
 * the partition's figure should not include it. What lies below the partition's own frames
 * when it calls the API is the partition's; the few hundred bytes of the API's own frames
 * above this point are counted, like the target's API veneer.
 */
static void clean_below(struct sim_thread *self, uintptr_t top)
{
    uintptr_t low, high;
    if (self == NULL || !painted_region(self, top, &low, &high)) {
        return;
    }
    top = top < high ? top : high;
    if (top - low > SIM_CLEAN_MAX) {
        low = top - SIM_CLEAN_MAX;
    }
    paint(low, top);
}

void sim_stack_clean(struct sim_thread *self)
{
    if (self == NULL || self->paint_low == 0) {
        return; /* not measured (--stack-check off, or not a partition) */
    }
    unsigned char here;
    place_guard(self, (uintptr_t)&here); /* before the painting, which hides its frames */
    clean_below(self, (uintptr_t)&here - SIM_PAINT_GAP);
    if (on_thread_stack(self, (uintptr_t)&here)) {
        self->sim_sp = 0; /* back in the partition's code */
    }
}

void sim_stack_enter_sim(struct sim_thread *self, const void *frame)
{
    if (self->paint_low != 0 && on_thread_stack(self, (uintptr_t)frame)) {
        self->sim_sp = (uintptr_t)frame;
    }
}

/*
 * --stack-check enforce (docs/ffm-sim.md section 12): below each stack region the partition's
 * code runs on (its thread's stack, from the frame its body starts from; the SFN stack, from
 * the frame an SFN run starts from: the references stack use is measured from), a guard page
 * is closed while the partition's code runs and opened while the simulator works there, so a
 * use deeper than stack_size faults (sim/fault.c reports it as a stack overflow). The guard
 * is the first whole page below stack_size plus SIM_GUARD_HEADROOM: the frames of the API
 * function the partition called, up to the point where it opens the guard, are on the
 * partition's stack too (the target's API veneers are smaller).
 */
#define SIM_GUARD_HEADROOM 1024u

/* The region holding `sp`: 0 the thread's stack, 1 the SFN stack, -1 neither; its
 * reference frame in *ref and its lowest address in *low. */
static int guard_region(const struct sim_thread *t, uintptr_t sp, uintptr_t *ref,
                        uintptr_t *low)
{
    uintptr_t sfn = (uintptr_t)t->sfn_stack;
    if (on_thread_stack(t, sp)) {
        *ref = t->entry_sp;
        *low = (uintptr_t)t->stack;
        return 0;
    }
    if (t->sfn_stack != NULL && sp >= sfn && sp < sfn + t->sfn_stack_size) {
        *ref = t->sfn_entry_sp;
        *low = sfn;
        return 1;
    }
    return -1;
}

/* The guard of region `r` (registered with sim/fault on first use), or -1: none (enforce is
 * off, the reference is not known yet, or stack_size is not a number). */
static int region_guard(struct sim_thread *self, int r, uintptr_t ref, uintptr_t low)
{
    const struct ffm_partition_desc *pd =
        &self->sim->setup->desc->partitions[self->caller.partition];
    if (self->stack_guard[r] != 0 || ref == 0 || pd->stack_bytes == 0) {
        return self->stack_guard[r] - 1;
    }
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t limit = ref - (uintptr_t)pd->stack_bytes - SIM_GUARD_HEADROOM;
    uintptr_t top = limit & ~(page - 1u);
    if (limit > ref || top < low + 2u * page) {
        return -1; /* the host stack is always larger: not reached */
    }
    char owner[112];
    snprintf(owner, sizeof owner, "%s (%s: stack_size %lu bytes, the guard %lu bytes below "
             "where its code starts)", pd->name, r == 0 ? "stack" : "SFN stack",
             (unsigned long)pd->stack_bytes, (unsigned long)(ref - top));
    self->stack_guard[r] = ffm_fault_add_stack_guard(top - page, page, owner) + 1;
    return self->stack_guard[r] - 1;
}

/* Place the guard of the stack region holding `sp` once its reference frame is known. */
static void place_guard(struct sim_thread *self, uintptr_t sp)
{
    uintptr_t ref, low;
    if (!self->sim->setup->stack_enforce || self->kind != SIM_T_PARTITION) {
        return;
    }
    int r = guard_region(self, sp, &ref, &low);
    if (r >= 0) {
        (void)region_guard(self, r, ref, low);
    }
}

void sim_stack_guard_arm(struct sim_thread *self)
{
    unsigned char here;
    uintptr_t ref, low;
    if (self == NULL || !self->sim->setup->stack_enforce || self->kind != SIM_T_PARTITION ||
        sim_flih_partition() >= 0) {
        return; /* a FLIH runs on the stack of the thread it interrupted */
    }
    /* placed by place_guard already (this frame stays in the unpainted gap: not counted) */
    int r = guard_region(self, (uintptr_t)&here, &ref, &low);
    int id = r < 0 ? 0 : self->stack_guard[r];
    if (id != 0) {
        ffm_fault_arm_stack_guard(id - 1, true);
        self->guard_armed = id;
    }
}

void sim_stack_guard_disarm(struct sim_thread *self)
{
    if (self != NULL && self->guard_armed != 0) {
        ffm_fault_arm_stack_guard(self->guard_armed - 1, false);
        self->guard_armed = 0;
    }
}

/* The lowest address in [low, high) that lost the paint, or `high`: word by word (the
 * painted ends are word-aligned), then the byte within the word. */
SIM_STACK_PROBE static uintptr_t first_touched(uintptr_t low, uintptr_t high)
{
    const uint32_t *w = (const uint32_t *)((low + 3u) & ~(uintptr_t)3u);
    while ((uintptr_t)(w + 1) <= high && *w == SIM_PAINT_WORD) {
        w++;
    }
    const unsigned char *p = (const unsigned char *)w;
    while ((uintptr_t)p < high && *p == SIM_PAINT_BYTE) {
        p++;
    }
    return (uintptr_t)p;
}

/* Bytes of its own thread's stack the partition used (at least the unpainted gap above
 * paint_top); read when the thread leaves its body, before the simulator's cleanup. */
static size_t thread_stack_use(const struct sim_thread *t)
{
    if (t->paint_low == 0) {
        return 0;
    }
    return t->entry_sp - first_touched(t->paint_low, t->paint_top);
}

/*
 * The partition is about to hand over to the simulator at frame `here` (a PSA API call, or an
 * SFN run returning): what it used below that frame so far, before the simulator's own work
 * there is cleaned away (sim_stack_clean). Only a window below the frame is scanned, twice the
 * manifest's stack_size and 4 KiB, so that the scan stays cheap on every call; a deeper use is
 * counted from the window's bottom (still more than the stack_size: reported).
 */
void sim_stack_note(struct sim_thread *self, const void *frame)
{
    uintptr_t here = (uintptr_t)frame, low, high;
    if (self == NULL || self->paint_low == 0 || self->kind != SIM_T_PARTITION ||
        !painted_region(self, here, &low, &high)) {
        return;
    }
    uintptr_t ref = on_thread_stack(self, here) ? self->entry_sp : self->sfn_entry_sp;
    const struct ffm_partition_desc *pd =
        &self->sim->setup->desc->partitions[self->caller.partition];
    size_t window = (size_t)pd->stack_bytes * 2u + SIM_SCAN_EXTRA;
    uintptr_t top = here < high ? here : high;
    uintptr_t from = top - low > window ? top - window : low;
    size_t used = ref >= top ? ref - first_touched(from, top) : 0;
    if (used > self->stack_peak) {
        self->stack_peak = used;
    }
}

/* Bytes of stack the partition of `t` used in this boot (host-measured). `left`: its thread
 * has left its body (measured then). Otherwise (a reset: the boot ends where it stands) the
 * thread is inside the simulator, whose frames below its own are not the partition's: what
 * its API calls and SFN runs noted on the way in is its use. */
static uint32_t partition_stack_use(const struct sim_thread *t, bool left)
{
    size_t used = t->stack_peak;
    if (left && t->thread_stack_used > used) {
        used = t->thread_stack_used;
    }
    return used > UINT32_MAX ? UINT32_MAX : (uint32_t)used;
}

/* The end of a boot: each partition's stack use to the summary, the trace and the log.
 * `left`: every thread has left its body (sim_threads_stop); false at a reset. */
void sim_record_stack_use(struct sim *sim, bool left)
{
    const struct sim_setup *su = sim->setup;
    for (size_t i = 0; i < sim->n_threads; i++) {
        const struct sim_thread *t = &sim->threads[i];
        if (t->kind != SIM_T_PARTITION || t->paint_low == 0) { /* not measured */
            continue;
        }
        uint16_t p = t->caller.partition;
        const struct ffm_partition_desc *pd = &su->desc->partitions[p];
        struct ffm_stack_mark m = { .stack_size = pd->stack_bytes,
                                    .used = partition_stack_use(t, left) };
        snprintf(m.name, sizeof m.name, "%s", pd->name);
        char line[FFM_PE_NAME_MAX + 96];
        ffm_format_stack_mark(line, sizeof line, &m);
        if (m.stack_size != 0 && m.used > m.stack_size) {
            sim_log(sim, FFM_LOG_WARN, "stack overflow on the target: %s", line);
        }
        if (su->trace != NULL) {
            struct ffm_trace_arg args[] = {
                FFM_TARG_I("used", m.used), FFM_TARG_I("stack_size", m.stack_size),
                FFM_TARG_S("use", line),
            };
            ffm_trace_instant(su->trace, t->trace_tid, 't', "stack use", "stack", args, 3);
        }
        if (su->host != NULL && su->host->record_stack != NULL) {
            su->host->record_stack(su->host->arg, p, pd->name, m.stack_size, m.used);
        } else if (su->counters != NULL) {
            ffm_counters_stack(su->counters, p, pd->name, m.stack_size, m.used);
        }
    }
}

static void run_body(struct sim_thread *self)
{
    if (self->kind == SIM_T_NS) {
        run_ns(self);
        return;
    }
    paint_thread_stack(self);
    uint16_t p = self->caller.partition;
    if (self->sim->setup->desc->partitions[p].model == FFM_MODEL_SFN) {
        run_sfn_partition(self, p);
    } else {
        run_ipc_partition(self, p);
    }
}

/* ---------------------------------------------------------------- unwinding */

/* A fault was caught in this thread under `trap` (fault.c unwound with the signal number):
 * a panic of the partition (RESET-10) or an unwound NS thread (RESET-11). */
void sim_after_fault(struct sim_thread *self, int signo)
{
    struct sim *sim = self->sim;
    const struct ffm_fault_record *rec = sim->setup->fault;
    bool known = rec != NULL && rec->valid && rec->signo == signo;
    char reason[FFM_PE_REASON_MAX];
    if (known) {
        ffm_fault_reason(rec, reason, sizeof reason);
    } else {
        snprintf(reason, sizeof reason, "signal %d", signo);
    }
    /* The supervisor's FAULT line, with the outcome "trap" (RESET-10, RESET-11). */
    struct ffm_pe_record pe;
    sim_caller_record(self, &pe, self->kind == SIM_T_NS ? "RESET-11" : "RESET-10", "fault",
                      reason);
    /* The faulting instruction, not the thread's last API call. */
    if (known) {
        ffm_where_fault(rec, pe.where, sizeof pe.where);
    } else {
        pe.where[0] = '\0';
    }
    ffm_copy_field(pe.disposition, sizeof pe.disposition, "panic");
    const struct sim_host *host = sim->setup->host;
    if (self == sim->ns_main && host != NULL) {
        /* the run ends (below): the host reports this fault once, with the halt */
    } else if (host != NULL && host->record_trapped_fault != NULL) {
        host->record_trapped_fault(host->arg, &pe);
    } else if (sim->setup->log_level >= FFM_LOG_ERROR) {
        ffm_report_event(sim->setup->log != NULL ? sim->setup->log : stderr, "FAULT", &pe,
                         "trap");
    }
    if (self->kind == SIM_T_NS) {
        self->ns_ret = FFM_NS_THREAD_TRAPPED;
        if (sim->setup->on_trap != NULL) {
            sim->setup->on_trap(sim->setup->cb_arg, false, self->caller.client_id, self->name);
        }
        if (self == sim->ns_main) {
            sim_end(sim, SIM_END_HALT, FFM_SIM_HALTED, FFM_STOP_FAULT,
                    "the NS entry thread faulted (signal %d) and was unwound", signo);
        }
        return;
    }
    self->trapped = true;
    ffm_spm_partition_faulted(&sim->spm, self->caller.partition);
    if (sim->setup->on_trap != NULL) {
        sim->setup->on_trap(sim->setup->cb_arg, true, self->caller.client_id, self->name);
    }
    sim_boot_point(self);
}

/*
 * MEM-04: an NS thread's host stack is non-secure read-write memory. Registered for the
 * thread's lifetime, NS vectors on it (the usual case) are judged without asking the host; the
 * range is removed before the thread ends, since the host may then unmap or reuse the stack.
 * Where the host does not say where a thread's stack is, checks fall back to the host's map.
 */
static uintptr_t register_ns_stack(struct sim_thread *self)
{
#if defined(__linux__)
    pthread_attr_t attr;
    void *addr = NULL;
    size_t size = 0;
    if (pthread_getattr_np(pthread_self(), &attr) != 0) {
        return 0;
    }
    int rc = pthread_attr_getstack(&attr, &addr, &size);
    pthread_attr_destroy(&attr);
    char name[SIM_NAME_MAX + 16];
    snprintf(name, sizeof name, "%s stack (NS)", self->name);
    struct memmap_range r = { .base = (uintptr_t)addr, .size = size, .secure = false,
                              .rights = MEMMAP_RW, .name = name };
    char err[160];
    if (rc != 0 || size == 0 || memmap_add(self->sim->setup->map, &r, err, sizeof err) != 0) {
        return 0; /* not registered: judged by the host's map, as before */
    }
    return r.base;
#else
    (void)self;
    return 0;
#endif
}

/* Does `self` still hold the token, in a boot that goes on, with no other live NS thread of
 * its client ID (which would keep the ID's connections, HDL-13)? */
static bool last_of_its_client(struct sim_thread *self)
{
    struct sim *sim = self->sim;
    pthread_mutex_lock(&sim->mu);
    bool last = sim->running == self && !sim->stopping && !sim->ended;
    for (size_t i = 0; last && i < sim->n_threads; i++) {
        const struct sim_thread *t = &sim->threads[i];
        last = t == self || t->kind != SIM_T_NS || t->state == SIM_TS_DONE ||
               t->caller.client_id != self->caller.client_id;
    }
    pthread_mutex_unlock(&sim->mu);
    return last;
}

/* CLOSE-10: an NS thread ends (returned or unwound) while its client ID, which no other thread
 * has, still holds connections: close them, each service gets its DISCONNECT, and say so. */
static void close_ns_leftovers(struct sim_thread *self)
{
    struct sim *sim = self->sim;
    if (self == sim->ns_main || !last_of_its_client(self)) {
        return; /* the NS entry ending ends the boot */
    }
    sim_spm_enter(self);
    uint16_t closed = ffm_spm_ns_client_ended(&sim->spm, self->caller.client_id);
    sim_spm_leave(self);
    if (closed == 0) {
        return;
    }
    sim_log(sim, FFM_LOG_WARN, "%s (NS client %d) ended with %u connection%s open: closed, "
            "each service gets its DISCONNECT (CLOSE-10)", self->name,
            (int)self->caller.client_id, (unsigned)closed, closed == 1 ? "" : "s");
    if (sim->setup->trace != NULL) {
        struct ffm_trace_arg args[] = {
            FFM_TARG_S("rule", "CLOSE-10"), FFM_TARG_I("client_id", self->caller.client_id),
            FFM_TARG_I("connections", closed),
        };
        ffm_trace_instant(sim->setup->trace, self->trace_tid, 't', "connections closed at exit",
                          "ns", args, 3);
    }
}

/* A partition's body runs on its secure stack (MEM-03), not on the host thread's own stack,
 * so that isolation can close it while the host thread sleeps in a handoff (sched.c). */
static void body_on_secure_stack(void *arg)
{
    run_body(arg);
}

static void run_body_secure(struct sim_thread *self)
{
    if (self->stack != NULL) {
        sim_run_on_secure_stack(body_on_secure_stack, self, self->stack, self->stack_size);
    } else {
        run_body(self);
    }
}

static void *thread_main(void *arg)
{
    struct sim_thread *self = arg;
    struct sim *sim = self->sim;
    tls_self = self;
    sim_sched_host_enter(self);
    if (sim->setup->catch_faults) {
        ffm_fault_thread_enter(self->kind == SIM_T_NS ? FFM_THREAD_NS : FFM_THREAD_PARTITION,
                               self->caller.client_id, self->name);
    }
    self->ns_stack_registered = self->kind == SIM_T_NS ? register_ns_stack(self) : 0;
    int how = sigsetjmp(self->start, 1);
    sim_host_stack_reset(); /* here, on the host stack, whichever way it came back */
    sim_stack_guard_disarm(self); /* an unwind from the partition's code (a fault) */
    if (how == 0) {
        sim_wait_first_token(self);
        if (sim->setup->catch_faults && sim->setup->policy == SIM_POLICY_TRAP) {
            ffm_fault_set_recovery(&self->start);
        }
        run_body_secure(self);
    }
    /* before anything else runs below this frame (the simulator's own cleanup); an unwind
     * from inside the simulator leaves its frames below where the partition entered it */
    /* as the SPM, which reaches all memory (MEM-17): the thread may be ending a partition
     * whose stack isolation has closed (an SFN trapped while a caller ran it). Only the
     * fault handler's view changes: the next domain switch closes what it opened. */
    bool as_spm = sim->setup->catch_faults;
    if (as_spm) {
        ffm_fault_set_in_spm(true);
    }
    if (how != 0 && self->sim_sp != 0) {
        clean_below(self, self->sim_sp - SIM_PAINT_GAP);
    }
    self->thread_stack_used = thread_stack_use(self);
    if (as_spm) {
        ffm_fault_set_in_spm(false);
    }
    if (how == 0) {
        /* the body returned */
    } else if (how != SIM_UNWIND_STOP && how != SIM_UNWIND_TRAP) {
        sim_after_fault(self, how);
    } else if (how == SIM_UNWIND_TRAP && self->kind == SIM_T_NS) {
        self->ns_ret = FFM_NS_THREAD_TRAPPED;
    } else if (how == SIM_UNWIND_TRAP) {
        sim_boot_point(self); /* a partition trapped before its first psa_wait (RESET-02) */
    }
    if (self->kind == SIM_T_NS && how != SIM_UNWIND_STOP) {
        close_ns_leftovers(self);
    }
    if (sim->setup->catch_faults) {
        ffm_fault_set_recovery(NULL);
        ffm_fault_thread_leave();
    }
    if (self->ns_stack_registered != 0) {
        memmap_remove(sim->setup->map, self->ns_stack_registered);
        self->ns_stack_registered = 0;
    }
    sim_stack_thread_done();
    sim_thread_exit(self);
    tls_self = NULL;
    return NULL;
}

/* ---------------------------------------------------------------- creation */

size_t sim_host_stack_size(uint32_t manifest_stack_bytes, size_t page)
{
    size_t want = SIM_HOST_STACK_FLOOR + (size_t)manifest_stack_bytes * SIM_HOST_STACK_SCALE;
    return (want + page - 1) / page * page;
}

/* A partition stack: mmap'd with a guard page below it (an overflow faults, RESET-10) and
 * registered as secure memory owned by the partition (MEM-03). */
static void *map_secure_stack(struct sim *sim, const struct ffm_partition_desc *pd,
                              const char *what, size_t *size_out, char *err, size_t err_size)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t size = sim_host_stack_size(pd->stack_bytes, page);
    unsigned char *base = sim_map_secure(sim, size + page);
    if (base == MAP_FAILED) {
        snprintf(err, err_size, "cannot map a %s for %s: %s", what, pd->name, strerror(errno));
        return NULL;
    }
    mprotect(base, page, PROT_NONE);
    char name[SIM_NAME_MAX + 16];
    snprintf(name, sizeof name, "%s %s", pd->name, what);
    struct memmap_range range = {
        .base = (uintptr_t)(base + page), .size = size, .secure = true, .owner = pd->pid,
        .owner_psa_rot = pd->type == FFM_PSA_ROT, .rights = MEMMAP_RW, .name = name,
    };
    if (memmap_add(sim->setup->map, &range, err, err_size) != 0) {
        munmap(base, size + page);
        return NULL;
    }
    *size_out = size;
    return base + page;
}

static void unmap_secure_stack(struct sim *sim, void **stack, size_t size)
{
    if (*stack == NULL) {
        return;
    }
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    memmap_remove(sim->setup->map, (uintptr_t)*stack);
    munmap((unsigned char *)*stack - page, size + page);
    *stack = NULL;
}

/* The thread's stack, and for an SFN partition the stack its service functions run on in a
 * caller's context. */
static int alloc_stack(struct sim *sim, struct sim_thread *t, const struct ffm_partition_desc *pd,
                       char *err, size_t err_size)
{
    t->stack = map_secure_stack(sim, pd, "stack", &t->stack_size, err, err_size);
    if (t->stack == NULL) {
        return -1;
    }
    if (pd->model == FFM_MODEL_SFN) {
        t->sfn_stack = map_secure_stack(sim, pd, "SFN stack", &t->sfn_stack_size, err,
                                        err_size);
        if (t->sfn_stack == NULL) {
            return -1;
        }
        if (sim->setup->stack_check) {
            paint((uintptr_t)t->sfn_stack, (uintptr_t)t->sfn_stack + t->sfn_stack_size);
        }
    }
    return 0;
}

static void free_stack(struct sim *sim, struct sim_thread *t)
{
    unmap_secure_stack(sim, &t->stack, t->stack_size);
    unmap_secure_stack(sim, &t->sfn_stack, t->sfn_stack_size);
}

static int spawn(struct sim_thread *t, char *err, size_t err_size)
{
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    if (t->stack != NULL) { /* the host stack: handoffs; the body runs on t->stack */
        pthread_attr_setstacksize(&attr, SIM_HOST_THREAD_STACK);
    }
    int rc = pthread_create(&t->tid, &attr, thread_main, t);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        snprintf(err, err_size, "cannot create thread %s: %s", t->name, strerror(rc));
        return -1;
    }
    t->created = true;
    return 0;
}

/* Fill the record `t` for a new thread, its gate included (the caller destroyed any old one). */
static struct sim_thread *init_record(struct sim *sim, struct sim_thread *t,
                                      enum sim_thread_kind kind, const char *name)
{
    memset(t, 0, sizeof *t);
    if (sim_gate_init(&t->gate) != 0) {
        return NULL;
    }
    t->sim = sim;
    t->wake = &t->gate;
    t->sfn_target = -1;
    t->kind = kind;
    snprintf(t->name, sizeof t->name, "%s", name);
    t->state = SIM_TS_NEW;
    return t;
}

static struct sim_thread *new_record(struct sim *sim, enum sim_thread_kind kind, const char *name)
{
    if (sim->n_threads >= SIM_MAX_THREADS) {
        return NULL;
    }
    struct sim_thread *t = init_record(sim, &sim->threads[sim->n_threads], kind, name);
    if (t != NULL) {
        sim->n_threads++;
    }
    return t;
}

/* The record of a joined NS thread, made new for the next one: its host thread is gone, and
 * its generation changes so that the old thread's handle is no longer valid. NULL: none. */
static struct sim_thread *reuse_ns_record(struct sim *sim, const char *name)
{
    for (size_t i = 0; i < sim->n_threads; i++) {
        struct sim_thread *t = &sim->threads[i];
        if (t->kind == SIM_T_NS && t->ns_joined && !t->created) {
            uint32_t generation = t->generation + 1u;
            sim_gate_destroy(&t->gate);
            if (init_record(sim, t, SIM_T_NS, name) == NULL) {
                return NULL;
            }
            t->generation = generation;
            return t;
        }
    }
    return NULL;
}

/* RESET-02: dependencies first, then priority, then manifest order. */
static void compute_start_order(struct sim *sim)
{
    const struct ffm_system_desc *d = sim->setup->desc;
    bool placed[FFM_MAX_PARTITIONS] = { false };
    for (size_t n = 0; n < d->n_partitions; n++) {
        int best = -1;
        bool best_ready = false;
        for (uint16_t p = 0; p < d->n_partitions; p++) {
            if (placed[p]) {
                continue;
            }
            bool ready = true;
            for (uint16_t k = 0; k < d->partitions[p].n_deps; k++) {
                uint16_t owner = d->services[d->partitions[p].deps[k]].partition;
                ready = ready && (owner == p || placed[owner]);
            }
            if (best < 0 || (ready && !best_ready) ||
                (ready == best_ready &&
                 d->partitions[p].priority < d->partitions[best].priority)) {
                best = p;
                best_ready = ready;
            }
        }
        placed[best] = true;
        sim->start_order[n] = (uint16_t)best;
    }
}

static int create_partition(struct sim *sim, uint16_t p, char *err, size_t err_size)
{
    const struct ffm_partition_desc *pd = &sim->setup->desc->partitions[p];
    struct sim_thread *t = new_record(sim, SIM_T_PARTITION, pd->name);
    if (t == NULL) {
        snprintf(err, err_size, "too many threads");
        return -1;
    }
    t->caller = ffm_spm_partition_caller(&sim->spm, p);
    t->caller.token = (uintptr_t)t;
    t->rank = pd->priority;
    t->trace_tid = 1 + p;
    sim->part_thread[p] = t;
    return alloc_stack(sim, t, pd, err, err_size);
}

static struct sim_thread *new_ns_record(struct sim *sim, int32_t client_id, const char *name)
{
    struct sim_thread *t = reuse_ns_record(sim, name);
    if (t == NULL) {
        t = new_record(sim, SIM_T_NS, name);
    }
    if (t == NULL) {
        return NULL;
    }
    t->caller = (struct ffm_caller){ .client_id = client_id, .secure = false,
                                     .token = (uintptr_t)t };
    t->rank = SIM_RANK_NS;
    t->booted = true;
    t->trace_tid = 100 + sim->next_ns_tid++;
    return t;
}

int sim_threads_start(struct sim *sim, char *err, size_t err_size)
{
    const struct ffm_system_desc *d = sim->setup->desc;
    compute_start_order(sim);
    for (uint16_t p = 0; p < d->n_partitions; p++) {
        if (create_partition(sim, p, err, err_size) != 0) {
            return -1;
        }
    }
    sim->ns_main = new_ns_record(sim, -1, "NS");
    if (sim->ns_main == NULL) {
        snprintf(err, err_size, "too many threads");
        return -1;
    }
    sim->ns_main->ns_main = sim->setup->ns_main;
    if (sim_heaps_boot(sim, err, err_size) != 0 || sim_isolation_boot(sim, err, err_size) != 0) {
        return -1;
    }
    for (size_t i = 0; i < sim->n_threads; i++) {
        if (spawn(&sim->threads[i], err, err_size) != 0) {
            return -1;
        }
    }
    if (d->n_partitions > 0) {
        sim->n_started = 1;
        sim_make_ready(sim->part_thread[sim->start_order[0]]);
    } else {
        sim_make_ready(sim->ns_main);
    }
    sim_sched_kick(sim);
    return 0;
}

void sim_threads_stop(struct sim *sim)
{
    sim_sched_stop(sim);
    for (size_t i = 0; i < sim->n_threads; i++) {
        struct sim_thread *t = &sim->threads[i];
        if (t->created) {
            pthread_join(t->tid, NULL);
            t->created = false;
        }
    }
    sim_isolation_end(sim);
    sim_record_stack_use(sim, true); /* every stack open again: isolation ended */
    sim_heaps_end(sim);
    for (size_t i = 0; i < sim->n_threads; i++) {
        free_stack(sim, &sim->threads[i]);
        sim_gate_destroy(&sim->threads[i].gate);
    }
    sim->n_threads = 0;
}

int sim_ns_thread_create(struct sim_thread *self, int32_t client_id, int (*fn)(void *),
                         void *arg, struct sim_thread **out)
{
    struct sim *sim = self->sim;
    char name[SIM_NAME_MAX];
    snprintf(name, sizeof name, "NS thread %d", sim->next_ns_tid);
    pthread_mutex_lock(&sim->mu);
    struct sim_thread *t = NULL;
    if (sim->n_ns_live < SIM_MAX_NS_THREADS) {
        t = new_ns_record(sim, client_id, name);
    }
    if (t != NULL) {
        sim->n_ns_live++;
    }
    pthread_mutex_unlock(&sim->mu);
    if (t == NULL) {
        sim_log(sim, FFM_LOG_WARN, "%s: ffm_ns_thread_create: refused: %d NS threads are not "
                "joined yet (at most FFM_NS_MAX_THREADS = %d)", self->name,
                (int)SIM_MAX_NS_THREADS, FFM_NS_MAX_THREADS);
        return FFM_NS_NO_RESOURCES;
    }
    t->ns_fn = fn;
    t->ns_arg = arg;
    if (sim->setup->trace != NULL) {
        char track[SIM_NAME_MAX + 16];
        snprintf(track, sizeof track, "%s (client %d)", t->name, (int)client_id);
        ffm_trace_name_track(sim->setup->trace, t->trace_tid, track);
    }
    char err[128];
    if (spawn(t, err, sizeof err) != 0) {
        sim_log(sim, FFM_LOG_ERROR, "%s", err);
        pthread_mutex_lock(&sim->mu);
        t->state = SIM_TS_DONE;
        t->ns_joined = true; /* never ran: its record is free again */
        sim->n_ns_live--;
        pthread_mutex_unlock(&sim->mu);
        return FFM_NS_NO_RESOURCES;
    }
    sim_make_ready(t);
    *out = t;
    return FFM_NS_OK;
}

/* A handle is the record's index + 1 in the low 8 bits and its generation above: never NULL,
 * and never equal to the handle of an earlier thread in the same record. */
_Static_assert(SIM_MAX_THREADS < 255u, "NS thread handles keep the record index in 8 bits");

ffm_ns_thread_t sim_ns_handle(const struct sim_thread *t)
{
    uintptr_t index = (uintptr_t)(t - t->sim->threads);
    return (ffm_ns_thread_t)(void *)(((uintptr_t)t->generation << 8) | (index + 1u));
}

struct sim_thread *sim_ns_thread_from_handle(struct sim *sim, ffm_ns_thread_t handle)
{
    uintptr_t value = (uintptr_t)(void *)handle;
    size_t index = (size_t)(value & 0xFFu);
    if (index == 0 || index > sim->n_threads) {
        return NULL;
    }
    struct sim_thread *t = &sim->threads[index - 1];
    if (t->kind != SIM_T_NS || t == sim->ns_main || sim_ns_handle(t) != handle) {
        return NULL;
    }
    return t;
}

void sim_ns_thread_reap(struct sim_thread *t)
{
    struct sim *sim = t->sim;
    if (t->created) {
        pthread_join(t->tid, NULL); /* it is past sim_thread_exit: this does not wait long */
        t->created = false;
    }
    pthread_mutex_lock(&sim->mu);
    t->ns_joined = true;
    sim->n_ns_live--;
    pthread_mutex_unlock(&sim->mu);
}

/* ---------------------------------------------------------------- FLIH (SIG-09) */

static void run_one_flih(struct sim_thread *self, uint16_t irq)
{
    struct sim *sim = self->sim;
    const struct ffm_irq_desc *id = &sim->setup->desc->irqs[irq];
    int saved_partition = tls_flih_partition;
    sigjmp_buf *saved_jmp = tls_flih_jmp;
    sigjmp_buf jb;
    tls_flih_jmp = &jb;
    tls_flih_partition = id->partition;
    int interrupted = sim->domain;
    sim_domain_switch_flih(sim, id->partition, interrupted); /* handler mode */
    if (sigsetjmp(jb, 0) == 0) {
        psa_flih_result_t (*flih)(void) = (psa_flih_result_t (*)(void))sim->setup->flih[irq];
        uint64_t t0 = sim->setup->trace != NULL ? ffm_trace_time(sim->setup->trace) : 0;
        psa_flih_result_t result = flih();
        if (sim->setup->trace != NULL) { /* on the track of the thread it interrupted */
            struct ffm_trace_arg args[] = {
                FFM_TARG_S("source", id->source), FFM_TARG_X("signal", id->signal),
                FFM_TARG_S("partition", sim->setup->desc->partitions[id->partition].name),
                FFM_TARG_I("result", (long long)result),
            };
            ffm_trace_slice(sim->setup->trace, self->trace_tid, id->flih_name, "flih", t0,
                            ffm_trace_time(sim->setup->trace), args, 4);
        }
        sim_spm_enter(self);
        struct ffm_ret r = ffm_spm_flih_done(&sim->spm, irq, result);
        sim_spm_leave(self);
        if (r.next == FFM_NEXT_PANIC) {
            sim_panic(self, FFM_STOP_PANIC, "FLIH returned an invalid result (SIG-09)");
        }
    }
    sim_domain_switch(sim, interrupted);
    tls_flih_partition = saved_partition;
    tls_flih_jmp = saved_jmp;
}

void sim_run_pending_flihs(struct sim_thread *self)
{
    struct sim *sim = self->sim;
    while (sim->n_flih_pending > 0) {
        uint16_t irq = sim->flih_pending[0];
        sim->n_flih_pending--;
        memmove(&sim->flih_pending[0], &sim->flih_pending[1],
                sim->n_flih_pending * sizeof sim->flih_pending[0]);
        uint16_t p = sim->setup->desc->irqs[irq].partition;
        if (!ffm_spm_partition_is_faulted(&sim->spm, p) && sim->setup->flih[irq] != NULL) {
            run_one_flih(self, irq);
        }
    }
    if (self->trapped && tls_flih_partition < 0) {
        /* the FLIH that just panicked under `trap` belonged to this thread's own partition */
        sim_boot_point(self);
        sim_unwind(self, SIM_UNWIND_TRAP);
    }
}
