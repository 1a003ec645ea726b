/*
 * addr32.c - the 32-bit address space (ffm-sim --addr32; addr32.h, docs/ffm-sim.md section 13).
 *
 * Firmware written for 32-bit Cortex-M may keep an address in a uint32_t. For that to work on a
 * 64-bit host, every address simulated code sees must lie below 4 GiB: its images, its stacks,
 * its heaps, platform regions and NS threads' stacks. Those all come from the host's mmap
 * (dlopen, pthread stacks, the simulator's own arenas), so the whole process is steered rather
 * than each call site: every free gap of the address space between 4 GiB and the top is filled
 * with an inaccessible, unaccounted reservation (PROT_NONE, MAP_NORESERVE), and from then on the
 * kernel has nowhere to put a mapping chosen by the host but below 4 GiB. The dynamic loader,
 * glibc's thread stacks and thread arenas and the simulator's arenas then land low unchanged.
 *
 * Left out of the reservation: the room the main thread's stack may grow into (the kernel
 * keeps no-hint mappings out of it anyway). MAP_32BIT is not used: it covers only 1 GiB and
 * dlopen cannot be asked for it. memmap's ceiling (memmap_set_ceiling) then refuses, by name,
 * anything registered above 4 GiB, so a host that placed something high is caught, not run.
 */
#if defined(__linux__)
#define _GNU_SOURCE 1 /* MAP_NORESERVE, MAP_FIXED_NOREPLACE */
#endif
#include "addr32.h"
#include "errbuf.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#ifndef MAP_ANONYMOUS
#define MAP_ANONYMOUS MAP_ANON
#endif

#define FOUR_GIB ADDR32_CEILING

/* AddressSanitizer and ThreadSanitizer keep their shadow memory and allocator at fixed
 * addresses far above 4 GiB, some of it mapped lazily: a reservation of everything up there
 * takes their room (TSan then stops on an internal CHECK). Such builds refuse the option. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define ADDR32_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define ADDR32_SANITIZER 1
#endif
#endif

#if defined(__linux__) && UINTPTR_MAX > 0xffffffffu

/* The top of the address space the kernel hands out without a hint (x86-64: 47 bits; arm64
 * and others: 48). A gap above the task size fails with ENOMEM and needs no reservation. */
#if defined(__x86_64__)
#define ADDR_TOP (UINT64_C(1) << 47)
#else
#define ADDR_TOP (UINT64_C(1) << 48)
#endif

/* How far below its top the main thread's stack may grow: its limit, at most 1 GiB, plus the
 * kernel's guard gap (1 MiB by default). */
static uint64_t stack_room(void)
{
    struct rlimit rl;
    uint64_t room = UINT64_C(8) << 20;
    if (getrlimit(RLIMIT_STACK, &rl) == 0) {
        room = rl.rlim_cur == RLIM_INFINITY ? UINT64_C(1) << 30 : (uint64_t)rl.rlim_cur;
    }
    if (room > (UINT64_C(1) << 30)) {
        room = UINT64_C(1) << 30;
    }
    return room + (UINT64_C(1) << 20);
}

/* Reserve [start, end), skipping what is beyond the task size. */
static int reserve(uint64_t start, uint64_t end, char *err, size_t err_len)
{
    if (start >= end) {
        return 0;
    }
    int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
#if defined(MAP_FIXED_NOREPLACE)
    flags |= MAP_FIXED_NOREPLACE;
#endif
    void *want = (void *)(uintptr_t)start;
    void *got = mmap(want, (size_t)(end - start), PROT_NONE, flags, -1, 0);
    if (got == want) {
        return 0;
    }
    if (got != MAP_FAILED) {
        munmap(got, (size_t)(end - start)); /* an old kernel took the address as a hint */
        errno = EEXIST;
    }
    if (errno == ENOMEM) {
        return 0; /* beyond this host's address space: nothing can be placed there */
    }
    ffm_errbuf_set(err, err_len, "--addr32: cannot reserve [0x%" PRIx64 ", 0x%" PRIx64 ") to "
                   "keep the address space below 4 GiB: %s", start, end, strerror(errno));
    return -1;
}

/* The gaps of /proc/self/maps in [4 GiB, ADDR_TOP), read in one pass before any is filled
 * (filling changes the file). */
#define MAX_GAPS 512
struct gap {
    uint64_t start, end;
};

static int read_gaps(struct gap *gaps, size_t *n, uint64_t *stack_lo, char *err, size_t err_len)
{
    FILE *f = fopen("/proc/self/maps", "re");
    if (f == NULL) {
        ffm_errbuf_set(err, err_len, "--addr32: cannot read /proc/self/maps: %s", strerror(errno));
        return -1;
    }
    char line[512];
    uint64_t prev_end = FOUR_GIB;
    *n = 0;
    *stack_lo = ADDR_TOP;
    while (fgets(line, sizeof line, f) != NULL) {
        uint64_t s, e;
        if (sscanf(line, "%" SCNx64 "-%" SCNx64, &s, &e) != 2 || s >= ADDR_TOP) {
            continue;
        }
        if (strstr(line, "[stack]") != NULL) {
            *stack_lo = s;
        }
        if (e <= FOUR_GIB) {
            continue;
        }
        if (s > prev_end && *n < MAX_GAPS) {
            gaps[(*n)++] = (struct gap){ prev_end, s };
        }
        prev_end = e > prev_end ? e : prev_end;
    }
    fclose(f);
    if (prev_end < ADDR_TOP && *n < MAX_GAPS) {
        gaps[(*n)++] = (struct gap){ prev_end, ADDR_TOP };
    }
    return 0;
}

/* The host must still place a fresh mapping low: the check that the steering works. */
static int check_low(char *err, size_t err_len)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    void *probe = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (probe == MAP_FAILED) {
        ffm_errbuf_set(err, err_len, "--addr32: no room left below 4 GiB: %s", strerror(errno));
        return -1;
    }
    munmap(probe, page);
    if ((uint64_t)(uintptr_t)probe + page > FOUR_GIB) {
        ffm_errbuf_set(err, err_len, "--addr32: cannot keep mappings below 4 GiB: the host "
                       "still places them above (at 0x%" PRIxPTR "; is the address space "
                       "limited, ulimit -v?)", (uintptr_t)probe);
        return -1;
    }
    return 0;
}

int addr32_reserve(char *err, size_t err_len)
{
#if defined(ADDR32_SANITIZER)
    ffm_errbuf_set(err, err_len, "--addr32: not available in an ASan or TSan build (their shadow "
                   "memory lies above 4 GiB); use a plain or UBSan build");
    return -1;
#endif
    static struct gap gaps[MAX_GAPS];
    size_t n;
    uint64_t stack_lo;
    if (read_gaps(gaps, &n, &stack_lo, err, err_len) != 0) {
        return -1;
    }
    uint64_t room = stack_room();
    uint64_t keep_lo = stack_lo > FOUR_GIB + room ? stack_lo - room : FOUR_GIB;
    for (size_t i = 0; i < n; i++) {
        /* Below the stack's room, and above the stack: [keep_lo, stack_lo) stays free. */
        uint64_t s = gaps[i].start, e = gaps[i].end;
        if (reserve(s, e < keep_lo ? e : keep_lo, err, err_len) != 0 ||
            reserve(s > stack_lo ? s : stack_lo, e, err, err_len) != 0) {
            return -1;
        }
    }
    return check_low(err, err_len);
}

#elif UINTPTR_MAX <= 0xffffffffu

int addr32_reserve(char *err, size_t err_len)
{
    (void)err; /* an ILP32 build (M32=1): every address is below 4 GiB already */
    (void)err_len;
    return 0;
}

#else

int addr32_reserve(char *err, size_t err_len)
{
    ffm_errbuf_set(err, err_len, "--addr32: not supported on this host (Linux only; see "
                   "docs/ffm-sim.md section 13 for macOS)");
    return -1;
}

#endif
