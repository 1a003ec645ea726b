/*
 * flash_api.c - the simulated flash devices as partitions see them: the plain C API of
 * include/ffmsim/flash.h and the CMSIS-Driver instances Driver_FLASH0..3 of
 * include/ffmsim/cmsis_driver_flash.h, over the platform regions declared with `flash:`.
 *
 * What real flash catches is caught here: a program over bytes that are not erased is refused
 * in strict mode and reported (FLASH-01: partition, address, call site); misaligned or
 * out-of-range operations return a parameter error. Every accepted program and erase is counted
 * in run-wide memory (wear per sector, the --flash-cut-after count) and traced. The Nth program
 * of the run under --flash-cut-after N is torn (flash.h) and the system resets, as when power
 * fails in the middle of a write.
 *
 * Called by a simulated thread holding the run token, like the platform API: no locking.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "engine.h"
#include "ffmsim/cmsis_driver_flash.h"
#include "ffmsim/flash.h"
#include "ffmsim/platform.h"
#include "trace.h"

/* The call site of the flash call in progress (the return address into the caller's image).
 * Not the thread's call_pc: a flash call inside an SFN runs on its client's thread, whose
 * call_pc must keep naming the client's psa_call. One simulated thread runs at a time. */
static uintptr_t flash_pc;

static struct sim_thread *flash_caller(const char *api, uintptr_t call_pc)
{
    struct sim_thread *self = sim_self();
    if (self == NULL) {
        sim_unregistered(api);
    }
    /* The device work below (checks, reports, trace) is the simulator's, not the partition's
     * stack use: measured up to here, cleaned at flash_return, and outside the stack guard. */
    sim_stack_guard_disarm(self); /* until flash_return (--stack-check enforce) */
    sim_stack_note(self, &self);
    flash_pc = call_pc;
    return self;
}

/* Back to the partition's code (after flash_caller): its stack guard closes again. */
static int flash_return(struct sim_thread *self, int rc)
{
    sim_stack_clean(self);
    sim_stack_guard_arm(self);
    return rc;
}

/* A record of the flash call for a report line: the caller, and the call site as `where`. */
static void flash_record(struct sim_thread *self, struct ffm_pe_record *who, const char *rule,
                         const char *api, char *caller, size_t size)
{
    uintptr_t outer = self->call_pc;
    self->call_pc = flash_pc;
    sim_caller_record(self, who, rule, api, "");
    self->call_pc = outer;
    ffm_report_caller(caller, size, who);
}

/* The calling thread and its device `n`, or NULL (with FFM_FLASH_ERROR logged) when the
 * platform has no such device or the caller may not use it (FLASH-02). */
static const struct sim_flash_dev *flash_device(struct sim_thread *self, unsigned n,
                                                const char *api)
{
    const struct sim_setup *su = self->sim->setup;
    struct ffm_caller c = sim_current_caller(self);
    const char *why = NULL;
    const struct sim_flash_dev *dev = n < su->n_flash ? &su->flash[n] : NULL;
    if (dev == NULL) {
        why = "the platform declares no such flash region";
    } else if (dev->secure && !c.secure) {
        why = "the flash region is secure memory";
    } else if (dev->secure && dev->owner != 0 && dev->owner != c.client_id) {
        why = "the flash region is owned by another partition";
    }
    if (why != NULL) {
        struct ffm_pe_record who;
        char caller[2 * FFM_PE_NAME_MAX];
        flash_record(self, &who, "FLASH-02", api, caller, sizeof caller);
        /* FLASH-02, a simulator rule (docs/rules.md "Simulator rules"), not an FF-M one */
        sim_log(self->sim, FFM_LOG_WARN, "FLASH [FLASH-02] %s by %s%s%s: device %u refused: %s",
                api, caller, who.where[0] != '\0' ? " at " : "", who.where, n, why);
        return NULL;
    }
    return dev;
}


/* One instant per program or erase on the caller's track (cat "flash"): an erase carries the
 * sector and its erase count so far (wear) instead of a length. */
static void trace_op(struct sim_thread *self, const char *name, unsigned n, uint32_t addr,
                     size_t len, int result, bool erase)
{
    struct ffm_trace *trace = self->sim->setup->trace;
    if (trace == NULL) {
        return;
    }
    const struct sim_flash_dev *dev = &self->sim->setup->flash[n];
    uint32_t sector = addr / dev->geometry.sector_size;
    char device[16];
    snprintf(device, sizeof device, "FLASH%u", n);
    struct ffm_trace_arg args[] = {
        FFM_TARG_S("device", device),
        FFM_TARG_S("region", dev->region),
        FFM_TARG_X("addr", addr),
        erase ? FFM_TARG_I("sector", sector) : FFM_TARG_I("len", (long long)len),
        FFM_TARG_I("result", result),
        FFM_TARG_I("sector_erases",
                   erase ? self->sim->setup->flash_wear->sector_erases[dev->first_sector + sector]
                         : 0),
    };
    ffm_trace_instant(trace, self->trace_tid, 't', name, "flash", args, erase ? 6 : 5);
}

/* Strict mode: the first byte that is not erased refuses the whole program (FLASH-01). */
static int refuse_unerased(struct sim_thread *self, const char *api, unsigned n, uint32_t addr,
                           size_t len, size_t bad)
{
    const struct sim_flash_dev *dev = &self->sim->setup->flash[n];
    struct ffm_pe_record who;
    char caller[2 * FFM_PE_NAME_MAX];
    flash_record(self, &who, "FLASH-01", api, caller, sizeof caller);
    self->sim->setup->flash_wear->dev_refused[n]++;
    /* FLASH-01, a simulator rule (docs/rules.md "Simulator rules"), not an FF-M one */
    sim_log(self->sim, FFM_LOG_WARN,
            "FLASH [FLASH-01] %s by %s at %s: Driver_FLASH%u (region %s) 0x%08" PRIx32
            " is not erased (0x%02x, erased value 0x%02x): program of %zu bytes at 0x%08" PRIx32
            " refused -> returns %d", api, caller, who.where, n, dev->region,
            (uint32_t)(addr + bad), dev->mem[addr + bad], dev->geometry.erased_value, len, addr,
            FFM_FLASH_NOT_ERASED);
    trace_op(self, "flash program refused (FLASH-01)", n, (uint32_t)(addr + bad), len,
             FFM_FLASH_NOT_ERASED, false);
    return FFM_FLASH_NOT_ERASED;
}

/* --flash-cut-after: this program tears, and power fails (a platform reset, RESET-06). */
static _Noreturn void cut_power(struct sim_thread *self, const char *api, unsigned n,
                                uint32_t addr, const uint8_t *src, size_t len)
{
    const struct sim_flash_dev *dev = &self->sim->setup->flash[n];
    size_t touched = ffm_flash_program_torn(&dev->geometry, dev->mem + addr, src, len);
    struct ffm_pe_record who;
    char caller[2 * FFM_PE_NAME_MAX];
    flash_record(self, &who, "RESET-06", api, caller, sizeof caller);
    uint64_t nth = self->sim->setup->flash_wear->programs;
    sim_log(self->sim, FFM_LOG_WARN,
            "FLASH CUT program %" PRIu64 " of the run (--flash-cut-after %" PRIu64 ") by %s at "
            "%s: Driver_FLASH%u (region %s) 0x%08" PRIx32 ": %zu of %zu bytes reached, the last "
            "unit half -> power fails", nth, nth, caller, who.where, n, dev->region, addr,
            touched, len);
    trace_op(self, "flash program torn (power cut)", n, addr, touched, FFM_FLASH_OK, false);
    sim_end(self->sim, SIM_END_RESET, 0, FFM_STOP_PLATFORM,
            "flash power cut (--flash-cut-after %" PRIu64 ") in %s by %s", nth, api, caller);
    sim_unwind(self, SIM_UNWIND_STOP);
}

static int flash_program(struct sim_thread *self, const char *api, unsigned n, uint32_t addr,
                         const void *data, size_t len)
{
    const struct sim_flash_dev *dev = flash_device(self, n, api);
    if (dev == NULL) {
        return FFM_FLASH_ERROR;
    }
    if (data == NULL || ffm_flash_check_program(&dev->geometry, dev->size, addr, len) !=
                            FFM_FLASH_CHECK_OK) {
        trace_op(self, "flash program", n, addr, len, FFM_FLASH_ERROR_PARAMETER, false);
        return FFM_FLASH_ERROR_PARAMETER;
    }
    if (dev->geometry.strict) {
        size_t bad = ffm_flash_first_unerased(&dev->geometry, dev->mem + addr, len);
        if (bad < len) {
            return refuse_unerased(self, api, n, addr, len, bad);
        }
    }
    struct sim_flash_wear *wear = self->sim->setup->flash_wear;
    wear->programs++;
    wear->dev_programs[n]++;
    wear->dev_bytes[n] += len;
    if (wear->cut_after != 0 && wear->programs == wear->cut_after) {
        cut_power(self, api, n, addr, data, len);
    }
    ffm_flash_program_bytes(&dev->geometry, dev->mem + addr, data, len);
    trace_op(self, "flash program", n, addr, len, FFM_FLASH_OK, false);
    return FFM_FLASH_OK;
}

static int flash_erase(struct sim_thread *self, const char *api, unsigned n, uint32_t addr)
{
    const struct sim_flash_dev *dev = flash_device(self, n, api);
    if (dev == NULL) {
        return FFM_FLASH_ERROR;
    }
    if (ffm_flash_check_erase(&dev->geometry, dev->size, addr) != FFM_FLASH_CHECK_OK) {
        return FFM_FLASH_ERROR_PARAMETER; /* no sector to name in a trace record */
    }
    struct sim_flash_wear *wear = self->sim->setup->flash_wear;
    uint32_t *count = &wear->sector_erases[dev->first_sector + addr / dev->geometry.sector_size];
    ffm_flash_erase_bytes(&dev->geometry, dev->mem + addr);
    (*count)++;
    wear->dev_erases[n]++;
    trace_op(self, "flash erase", n, addr, 0, FFM_FLASH_OK, true);
    return FFM_FLASH_OK;
}

static int flash_read(struct sim_thread *self, const char *api, unsigned n, uint32_t addr,
                      void *buf, size_t len)
{
    const struct sim_flash_dev *dev = flash_device(self, n, api);
    if (dev == NULL) {
        return FFM_FLASH_ERROR;
    }
    if (buf == NULL || addr > dev->size || len > dev->size - addr) {
        return FFM_FLASH_ERROR_PARAMETER;
    }
    memcpy(buf, dev->mem + addr, len);
    return FFM_FLASH_OK;
}

/* ---------------------------------------------------------------- plain C API */

static int flash_info_of(struct sim_thread *self, unsigned device, struct ffm_flash_info *info)
{
    const struct sim_setup *su = self->sim->setup;
    struct ffm_caller c = sim_current_caller(self);
    const struct sim_flash_dev *dev = device < su->n_flash ? &su->flash[device] : NULL;
    /* A query: "is there a device I may use?" is answered, not reported (flash_device). */
    if (dev == NULL || (dev->secure && (!c.secure || (dev->owner != 0 &&
                                                      dev->owner != c.client_id)))) {
        return FFM_FLASH_ERROR;
    }
    if (info == NULL) {
        return FFM_FLASH_ERROR_PARAMETER;
    }
    *info = (struct ffm_flash_info){
        .size = dev->size, .sector_size = dev->geometry.sector_size,
        .sector_count = dev->size / dev->geometry.sector_size,
        .program_unit = dev->geometry.program_unit, .erased_value = dev->geometry.erased_value,
        .strict = dev->geometry.strict ? 1u : 0u, .base = dev->mem,
    };
    return FFM_FLASH_OK;
}

int ffm_flash_info(unsigned device, struct ffm_flash_info *info)
{
    struct sim_thread *self =
        flash_caller("ffm_flash_info", (uintptr_t)__builtin_return_address(0));
    return flash_return(self, flash_info_of(self, device, info));
}

int ffm_flash_read(unsigned device, uint32_t addr, void *buf, size_t len)
{
    struct sim_thread *self =
        flash_caller("ffm_flash_read", (uintptr_t)__builtin_return_address(0));
    return flash_return(self, flash_read(self, "ffm_flash_read", device, addr, buf, len));
}

int ffm_flash_program(unsigned device, uint32_t addr, const void *data, size_t len)
{
    struct sim_thread *self =
        flash_caller("ffm_flash_program", (uintptr_t)__builtin_return_address(0));
    return flash_return(self, flash_program(self, "ffm_flash_program", device, addr, data, len));
}

int ffm_flash_erase(unsigned device, uint32_t sector_addr)
{
    struct sim_thread *self =
        flash_caller("ffm_flash_erase", (uintptr_t)__builtin_return_address(0));
    return flash_return(self, flash_erase(self, "ffm_flash_erase", device, sector_addr));
}

/* ---------------------------------------------------------------- CMSIS-Driver instances */

/* CMSIS functions carry no device argument: each instance has its own small functions, made
 * by FLASH_DRIVER(n). Data items are bytes, so counts are byte counts. */
static ARM_FLASH_INFO flash_info[FFM_FLASH_MAX_DEVICES];

static ARM_DRIVER_VERSION cmsis_version(void)
{
    return (ARM_DRIVER_VERSION){ ARM_FLASH_API_VERSION, ARM_DRIVER_VERSION_MAJOR_MINOR(1, 0) };
}

static ARM_FLASH_CAPABILITIES cmsis_capabilities(void)
{
    return (ARM_FLASH_CAPABILITIES){ .event_ready = 0, .data_width = 0, .erase_chip = 1 };
}

static int32_t cmsis_ok(void)
{
    return ARM_DRIVER_OK;
}

static int32_t cmsis_initialize(ARM_Flash_SignalEvent_t cb_event)
{
    (void)cb_event; /* every operation completes before it returns: no events */
    return ARM_DRIVER_OK;
}

static int32_t cmsis_power(ARM_POWER_STATE state)
{
    return state == ARM_POWER_FULL || state == ARM_POWER_OFF ? ARM_DRIVER_OK
                                                             : ARM_DRIVER_ERROR_UNSUPPORTED;
}

static ARM_FLASH_STATUS cmsis_status(void)
{
    ARM_FLASH_STATUS st = { 0, 0, 0 };
    return st;
}

static int32_t cmsis_count(int rc, uint32_t cnt)
{
    return rc == FFM_FLASH_OK ? (int32_t)cnt : rc;
}

static ARM_FLASH_INFO *cmsis_info(unsigned n)
{
    struct sim_thread *self = flash_caller("GetInfo", 0);
    const struct sim_flash_dev *dev = flash_device(self, n, "GetInfo");
    if (dev == NULL) {
        return NULL;
    }
    flash_info[n] = (ARM_FLASH_INFO){
        .sector_info = NULL, .sector_count = dev->size / dev->geometry.sector_size,
        .sector_size = dev->geometry.sector_size, .page_size = dev->geometry.program_unit,
        .program_unit = dev->geometry.program_unit, .erased_value = dev->geometry.erased_value,
    };
    return &flash_info[n];
}

static int32_t cmsis_erase_chip(unsigned n, uintptr_t pc)
{
    struct sim_thread *self = flash_caller("EraseChip", pc);
    const struct sim_flash_dev *dev = flash_device(self, n, "EraseChip");
    int rc = dev == NULL ? FFM_FLASH_ERROR : FFM_FLASH_OK;
    for (uint32_t a = 0; rc == FFM_FLASH_OK && a < dev->size; a += dev->geometry.sector_size) {
        rc = flash_erase(self, "EraseChip", n, a);
    }
    return flash_return(self, rc);
}

#define FLASH_DRIVER(n)                                                                        \
    static int32_t read_##n(uint32_t addr, void *data, uint32_t cnt)                           \
    {                                                                                          \
        struct sim_thread *self =                                                              \
            flash_caller("ReadData", (uintptr_t)__builtin_return_address(0));                  \
        return cmsis_count(                                                                    \
            flash_return(self, flash_read(self, "Driver_FLASH" #n ".ReadData", n, addr, data, cnt)), \
            cnt);                                                                              \
    }                                                                                          \
    static int32_t program_##n(uint32_t addr, const void *data, uint32_t cnt)                  \
    {                                                                                          \
        struct sim_thread *self =                                                              \
            flash_caller("ProgramData", (uintptr_t)__builtin_return_address(0));               \
        return cmsis_count(flash_return(self, flash_program(self, "Driver_FLASH" #n ".ProgramData", \
                                                            n, addr, data, cnt)),              \
                           cnt);                                                               \
    }                                                                                          \
    static int32_t erase_##n(uint32_t addr)                                                    \
    {                                                                                          \
        struct sim_thread *self =                                                              \
            flash_caller("EraseSector", (uintptr_t)__builtin_return_address(0));               \
        return flash_return(self, flash_erase(self, "Driver_FLASH" #n ".EraseSector", n, addr)); \
    }                                                                                          \
    static int32_t erase_chip_##n(void)                                                        \
    {                                                                                          \
        return cmsis_erase_chip(n, (uintptr_t)__builtin_return_address(0));                   \
    }                                                                                          \
    static ARM_FLASH_INFO *info_##n(void)                                                      \
    {                                                                                          \
        return cmsis_info(n);                                                                  \
    }                                                                                          \
    ARM_DRIVER_FLASH Driver_FLASH##n = {                                                       \
        cmsis_version, cmsis_capabilities, cmsis_initialize, cmsis_ok, cmsis_power, read_##n,  \
        program_##n,   erase_##n,          erase_chip_##n,   cmsis_status, info_##n,           \
    }

FLASH_DRIVER(0);
FLASH_DRIVER(1);
FLASH_DRIVER(2);
FLASH_DRIVER(3);

/* ---------------------------------------------------------------- wear summary */

size_t sim_flash_wear_size(const struct sim_flash_dev *devs, unsigned n)
{
    size_t sectors = 0;
    for (unsigned i = 0; i < n; i++) {
        sectors += devs[i].size / devs[i].geometry.sector_size;
    }
    return sizeof(struct sim_flash_wear) + sectors * sizeof(uint32_t);
}

/* One line per device, then its worn sectors (erase count > 0), most erased first would need
 * sorting: in address order, at most 16, then how many more. */
void sim_flash_summary(FILE *out, const struct sim_flash_dev *devs, unsigned n,
                       const struct sim_flash_wear *wear)
{
    for (unsigned i = 0; i < n; i++) {
        const struct sim_flash_dev *d = &devs[i];
        uint32_t sectors = d->size / d->geometry.sector_size, max = 0, worn = 0;
        for (uint32_t s = 0; s < sectors; s++) {
            uint32_t e = wear->sector_erases[d->first_sector + s];
            max = e > max ? e : max;
            worn += e > 0;
        }
        fprintf(out, "ffm-sim:   flash FLASH%u (region %s, %s, %" PRIu32 " sectors of %" PRIu32
                " bytes): %" PRIu64 " programs (%" PRIu64 " bytes), %" PRIu64 " refused, %" PRIu64
                " erases; most erased sector: %" PRIu32 " erases\n", i, d->region,
                d->geometry.strict ? "strict" : "AND-merge", sectors, d->geometry.sector_size,
                wear->dev_programs[i], wear->dev_bytes[i], wear->dev_refused[i],
                wear->dev_erases[i], max);
        if (worn == 0) {
            continue;
        }
        fprintf(out, "ffm-sim:     erases per sector:");
        uint32_t shown = 0;
        for (uint32_t s = 0; s < sectors && shown < 16; s++) {
            uint32_t e = wear->sector_erases[d->first_sector + s];
            if (e > 0) {
                fprintf(out, " %" PRIu32 ":%" PRIu32, s, e);
                shown++;
            }
        }
        fprintf(out, worn > shown ? " (%" PRIu32 " more sectors erased)\n" : "\n", worn - shown);
    }
    if (wear->cut_after > wear->programs) { /* a sweep past the scenario's last program */
        fprintf(out, "ffm-sim:   --flash-cut-after %" PRIu64 ": not reached (%" PRIu64
                " programs in the run)\n", wear->cut_after, wear->programs);
    }
}
