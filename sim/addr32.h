/*
 * addr32.h - the 32-bit address space (ffm-sim --addr32): after addr32_reserve(), every mapping
 * the host places by itself - dlopen'ed images, thread stacks, the simulator's arenas, malloc's
 * thread arenas - lies below 4 GiB, so simulated firmware may keep addresses in uint32_t.
 * memmap_set_ceiling() (memmap.h) then refuses anything registered above. docs/ffm-sim.md
 * section 13.
 */
#ifndef FFM_SIM_ADDR32_H
#define FFM_SIM_ADDR32_H

#include <stddef.h>
#include <stdint.h>

/* The first address --addr32 keeps out of the simulated system's reach. */
#define ADDR32_CEILING (UINT64_C(1) << 32)

/* Reserve the address space above 4 GiB so that the host places every later mapping below it.
 * Call once, before any image is loaded or thread created. 0, or -1 with one line in err
 * (not Linux, /proc unreadable, no room left low). A no-op returning 0 in an ILP32 build. */
int addr32_reserve(char *err, size_t err_len);

#endif /* FFM_SIM_ADDR32_H */
