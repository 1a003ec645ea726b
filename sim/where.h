/*
 * where.h - name the code at an address: "function+0xOFF (image.so) file.c:LINE", so that every
 * PROGRAMMER ERROR, panic and fault line points at the partition code that made the call or
 * faulted (docs/troubleshooting.md).
 *
 * With libdw (elfutils; built in when pkg-config finds it, FFMSIM_HAVE_LIBDW) the function comes
 * from the full symbol table (static functions too) and file:line from the DWARF line table
 * when the image was built with -g. Without it (macOS, or libdw absent) dladdr gives the nearest
 * exported symbol and the image, and no file:line.
 *
 * Not async-signal-safe. The supervisor loads no image (their constructors run only in the
 * simulated system), so the faulting process names its own fault (fault.c, describe_fault)
 * into the fault record before it ends; the supervisor only names what it has loaded itself.
 */
#ifndef FFM_SIM_WHERE_H
#define FFM_SIM_WHERE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FFM_WHERE_MAX 320u

/*
 * Describe `pc` into buf: "fn+0x1c (img.so) src.c:12", "fn+0x1c (img.so)", "0x7f..(img.so)" or
 * "" when pc is 0 or nothing is known of it. `return_address`: pc is a return address (the call
 * site is the instruction before it), as __builtin_return_address gives. Returns buf.
 */
const char *ffm_where(uintptr_t pc, bool return_address, char *buf, size_t size);

struct ffm_fault_record;

/*
 * Describe a fault: its instruction as ffm_where does and, when that is not in a loaded image
 * (a library function such as memcpy), the innermost frame of the faulting thread that is:
 * "memcpy+0x2a (libc.so.6) called from my_sfn+0x1c (my_sp.so) my_sp.c:12". Returns buf.
 */
const char *ffm_where_fault(const struct ffm_fault_record *rec, char *buf, size_t size);

#endif /* FFM_SIM_WHERE_H */
