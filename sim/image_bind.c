/*
 * image_bind.c - image_rebind (image.h): point an image's own references to a libc function
 * (malloc, free, ...) at another function, the way a partition's allocator calls are bound
 * to its heap (MEM-18). Each image has its own symbol namespace (docs/sim.md section 4), so
 * this changes nothing for the simulator, libc itself or any other image.
 *
 * How: the image is loaded with RTLD_NOW, so every reference to an external function goes
 * through a GOT slot the dynamic linker has already filled (a JUMP_SLOT relocation for calls
 * through the PLT, a GLOB_DAT one for address-taken uses). The slots named by the image's
 * relocation tables are rewritten; a slot in the read-only RELRO part is made writable for the
 * store and read-only again. ELF (Linux, the BSDs) only.
 */
#if defined(__linux__) || defined(__FreeBSD__)
#define _GNU_SOURCE 1
#endif
#include "image.h"

#include <stdio.h>
#include <string.h>

#include "errbuf.h"

#if defined(__ELF__) && (defined(__x86_64__) || defined(__aarch64__) || defined(__i386__))
#include <dlfcn.h>
#include <link.h>
#include <sys/mman.h>
#include <unistd.h>

/* The GOT relocations to rewrite; i386 uses REL tables (the addend sits in the slot), the
 * 64-bit hosts RELA. */
#if defined(__x86_64__)
#define SLOT_JUMP R_X86_64_JUMP_SLOT
#define SLOT_GLOB R_X86_64_GLOB_DAT
#elif defined(__aarch64__)
#define SLOT_JUMP R_AARCH64_JUMP_SLOT
#define SLOT_GLOB R_AARCH64_GLOB_DAT
#else
#define SLOT_JUMP R_386_JMP_SLOT
#define SLOT_GLOB R_386_GLOB_DAT
#endif
#if defined(__i386__)
typedef ElfW(Rel) reloc_t;
#define RELOC_TYPE(info) ELF32_R_TYPE(info)
#define RELOC_SYM(info) ELF32_R_SYM(info)
#define DT_RELOC DT_REL
#define DT_RELOCSZ DT_RELSZ
#else
typedef ElfW(Rela) reloc_t;
#define RELOC_TYPE(info) ELF64_R_TYPE(info)
#define RELOC_SYM(info) ELF64_R_SYM(info)
#define DT_RELOC DT_RELA
#define DT_RELOCSZ DT_RELASZ
#endif

struct dyn_tables {
    const ElfW(Sym) *symtab;
    const char *strtab;
    const reloc_t *rela[2]; /* DT_JMPREL, DT_RELA (DT_REL on i386) */
    size_t n_rela[2];
};

/* glibc stores relocated addresses in the dynamic section, musl the raw offsets. */
static uintptr_t dyn_ptr(const struct link_map *lm, ElfW(Addr) v)
{
    return v < lm->l_addr ? lm->l_addr + v : v;
}

static void read_dynamic(const struct link_map *lm, struct dyn_tables *t)
{
    memset(t, 0, sizeof *t);
    for (const ElfW(Dyn) *d = lm->l_ld; d->d_tag != DT_NULL; d++) {
        switch (d->d_tag) {
        case DT_SYMTAB: t->symtab = (const ElfW(Sym) *)dyn_ptr(lm, d->d_un.d_ptr); break;
        case DT_STRTAB: t->strtab = (const char *)dyn_ptr(lm, d->d_un.d_ptr); break;
        case DT_JMPREL: t->rela[0] = (const reloc_t *)dyn_ptr(lm, d->d_un.d_ptr); break;
        case DT_PLTRELSZ: t->n_rela[0] = d->d_un.d_val / sizeof(reloc_t); break;
        case DT_RELOC: t->rela[1] = (const reloc_t *)dyn_ptr(lm, d->d_un.d_ptr); break;
        case DT_RELOCSZ: t->n_rela[1] = d->d_un.d_val / sizeof(reloc_t); break;
        default: break;
        }
    }
}

/* Store fn in the GOT slot at addr, read-only again afterwards when it was (RELRO). */
static int patch_slot(const struct image *img, void **slot, void *fn)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    void *pg = (void *)((uintptr_t)slot / page * page);
    const struct image_segment *segs;
    size_t n = image_segments(img, &segs);
    int restore = PROT_READ | PROT_WRITE;
    for (size_t i = 0; i < n; i++) {
        if ((uintptr_t)slot >= segs[i].base && (uintptr_t)slot - segs[i].base < segs[i].size &&
            segs[i].rights == MEMMAP_R) {
            restore = PROT_READ;
        }
    }
    if (mprotect(pg, page, PROT_READ | PROT_WRITE) != 0) {
        return -1;
    }
    *slot = fn;
    return restore == (PROT_READ | PROT_WRITE) ? 0 : mprotect(pg, page, restore);
}

int image_rebind(const struct image *img, const char *const *names, void *const *fns, size_t n,
                 char *err, size_t err_len)
{
    struct link_map *lm = NULL;
    if (dlinfo(image_handle(img), RTLD_DI_LINKMAP, &lm) != 0 || lm == NULL) {
        ffm_errbuf_set(err, err_len, "%s: error: cannot read the image's link map",
                       image_path(img));
        return -1;
    }
    struct dyn_tables t;
    read_dynamic(lm, &t);
    for (int k = 0; k < 2 && t.symtab != NULL && t.strtab != NULL; k++) {
        for (size_t i = 0; t.rela[k] != NULL && i < t.n_rela[k]; i++) {
            const reloc_t *r = &t.rela[k][i];
            unsigned long type = RELOC_TYPE(r->r_info);
            const char *sym = t.strtab + t.symtab[RELOC_SYM(r->r_info)].st_name;
            for (size_t j = 0; j < n && (type == SLOT_JUMP || type == SLOT_GLOB); j++) {
                if (strcmp(sym, names[j]) == 0 &&
                    patch_slot(img, (void **)(lm->l_addr + r->r_offset), fns[j]) != 0) {
                    ffm_errbuf_set(err, err_len, "%s: error: cannot bind %s: %s",
                                   image_path(img), names[j], "GOT not writable");
                    return -1;
                }
            }
        }
    }
    return 0;
}
#else
int image_rebind(const struct image *img, const char *const *names, void *const *fns, size_t n,
                 char *err, size_t err_len)
{
    (void)names;
    (void)fns;
    (void)n;
    ffm_errbuf_set(err, err_len, "%s: error: binding an image's allocator to its partition's "
                   "heap needs an ELF host", image_path(img));
    return -1;
}
#endif
