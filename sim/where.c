/*
 * where.c - addresses to "function+offset (image) file:line" (where.h): libdw when available,
 * dladdr otherwise.
 */
#if defined(__linux__) || defined(__FreeBSD__)
#define _GNU_SOURCE 1 /* dladdr */
#endif
#if defined(__APPLE__)
#define _DARWIN_C_SOURCE 1
#endif
#include "where.h"

#include "fault.h"
#include "image.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#if defined(FFMSIM_HAVE_LIBDW)
#include <elfutils/libdwfl.h>
#endif

/* What is known of one address. */
struct where_info {
    const char *function; /* NULL: unknown */
    uintptr_t offset;     /* from the function's start */
    const char *image;    /* path of the object, NULL: unknown */
    const char *file;     /* source file, NULL: no debug info */
    int line;
};

static const char *base_name(const char *path)
{
    const char *slash = path != NULL ? strrchr(path, '/') : NULL;
    return slash != NULL ? slash + 1 : path;
}

#if defined(FFMSIM_HAVE_LIBDW)
/* One session per process, made on first use. A forked child inherits its parent's, which
 * describes the same mappings: images are loaded before the first fork. */
static Dwfl *session;

static Dwfl *dwfl_session(void)
{
    static const Dwfl_Callbacks callbacks = {
        .find_elf = dwfl_linux_proc_find_elf,
        .find_debuginfo = dwfl_standard_find_debuginfo,
    };
    if (session != NULL) {
        return session;
    }
    session = dwfl_begin(&callbacks);
    if (session == NULL) {
        return NULL;
    }
    if (dwfl_linux_proc_report(session, getpid()) != 0 ||
        dwfl_report_end(session, NULL, NULL) != 0) {
        dwfl_end(session);
        session = NULL;
    }
    return session;
}

static bool lookup_dw(uintptr_t addr, struct where_info *w)
{
    Dwfl *dwfl = dwfl_session();
    Dwfl_Module *mod = dwfl != NULL ? dwfl_addrmodule(dwfl, (Dwarf_Addr)addr) : NULL;
    if (mod == NULL) {
        return false;
    }
    const char *main_file = NULL;
    w->image = dwfl_module_info(mod, NULL, NULL, NULL, NULL, NULL, &main_file, NULL);
    if (main_file != NULL) {
        w->image = main_file;
    }
    GElf_Off off = 0;
    GElf_Sym sym;
    w->function = dwfl_module_addrinfo(mod, (GElf_Addr)addr, &off, &sym, NULL, NULL, NULL);
    w->offset = (uintptr_t)off;
    Dwfl_Line *line = dwfl_module_getsrc(mod, (Dwarf_Addr)addr);
    if (line != NULL) {
        w->file = dwfl_lineinfo(line, NULL, &w->line, NULL, NULL, NULL);
    }
    return true;
}
#endif

static void lookup(uintptr_t addr, struct where_info *w)
{
    memset(w, 0, sizeof(*w));
#if defined(FFMSIM_HAVE_LIBDW)
    if (lookup_dw(addr, w)) {
        return;
    }
#endif
    Dl_info info;
    if (dladdr((void *)addr, &info) != 0) {
        w->image = info.dli_fname;
        if (info.dli_sname != NULL && info.dli_saddr != NULL) {
            w->function = info.dli_sname;
            w->offset = addr - (uintptr_t)info.dli_saddr;
        }
    }
}

const char *ffm_where(uintptr_t pc, bool return_address, char *buf, size_t size)
{
    struct where_info w;
    int n = 0;

    if (size == 0) {
        return buf;
    }
    buf[0] = '\0';
    if (pc == 0) {
        return buf;
    }
    /* A return address is past the call: look up the call instruction, report the offset of
     * the return address as debuggers do. */
    lookup(return_address ? pc - 1 : pc, &w);
    if (w.function != NULL) {
        n = snprintf(buf, size, "%s+0x%lx", w.function,
                     (unsigned long)(w.offset + (return_address ? 1u : 0u)));
    } else {
        n = snprintf(buf, size, "0x%lx", (unsigned long)pc);
    }
    if (n > 0 && (size_t)n < size && w.image != NULL && w.image[0] != '\0') {
        n += snprintf(buf + n, size - (size_t)n, " (%s)", base_name(w.image));
    }
    if (n > 0 && (size_t)n < size && w.file != NULL) {
        snprintf(buf + n, size - (size_t)n, " %s:%d", base_name(w.file), w.line);
    }
    return buf;
}

const char *ffm_where_fault(const struct ffm_fault_record *rec, char *buf, size_t size)
{
    ffm_where(rec->pc, false, buf, size);
    if (rec->pc == 0 || image_any_contains((const void *)rec->pc)) {
        return buf;
    }
    /* The frames start inside the handler; the first one in an image is the caller. */
    for (int i = 0; i < rec->n_frames && i < FFM_FAULT_FRAMES; i++) {
        if (rec->frames[i] != rec->pc && image_any_contains((const void *)rec->frames[i])) {
            size_t n = strlen(buf);
            char caller[FFM_WHERE_MAX];
            ffm_where(rec->frames[i], true, caller, sizeof(caller));
            snprintf(buf + n, size - n, " called from %s", caller);
            break;
        }
    }
    return buf;
}
