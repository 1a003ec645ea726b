/*
 * image_check.c - check images before the first boot by reading their files, never running
 * their code (image_check.h; docs/sim.md §4.1). ELF only: the file is mapped read-only and
 * its section headers, dynamic symbol table and DT_NEEDED entries are read with every offset
 * bounds-checked, since the file is input like any other. On macOS the image is opened with
 * dlopen here, as before (documented limit: constructors run in the supervisor there).
 */
#if defined(__linux__) || defined(__FreeBSD__)
#define _GNU_SOURCE 1 /* RTLD_DEFAULT, RTLD_NOLOAD */
#endif
#if defined(__APPLE__)
#define _DARWIN_C_SOURCE 1
#endif
#include "image_check.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#if !defined(__APPLE__)
#include <link.h>
#endif

#include "errbuf.h"

struct image_info {
    char *path;
    dev_t dev;
    ino_t ino;
#if defined(__APPLE__)
    void *handle;
#else
    const unsigned char *file; /* the mapped file */
    size_t size;
    const ElfW(Sym) *syms;     /* .dynsym */
    size_t n_syms;
    const char *strtab;        /* its string table */
    size_t strtab_size;
#endif
};

#define FAIL(...)                                                                              \
    do {                                                                                       \
        ffm_errbuf_set(err, err_len, __VA_ARGS__);                                             \
        return -1;                                                                             \
    } while (0)

#if !defined(__APPLE__)

/* ------------------------------------------------------------------------ ELF reading */

/* `count` entries of `entsize` bytes at `offset` lie inside the file, and entries of
 * structures (entsize > 1) are aligned for them: the file is mapped at a page boundary. */
static bool in_file(const struct image_info *info, uint64_t offset, uint64_t count,
                    uint64_t entsize)
{
    bool aligned = entsize <= 1 || offset % sizeof(ElfW(Addr)) == 0;
    return aligned && offset <= info->size &&
           (entsize == 0 || count <= (info->size - offset) / entsize);
}

static const ElfW(Shdr) *section(const struct image_info *info, size_t i)
{
    const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)info->file;
    return (const ElfW(Shdr) *)(info->file + eh->e_shoff) + i;
}

/* The string at `offset` of a string table, or NULL when it does not end inside it. */
static const char *string_at(const char *table, size_t table_size, uint64_t offset)
{
    if (offset >= table_size || memchr(table + offset, '\0', table_size - offset) == NULL) {
        return NULL;
    }
    return table + offset;
}

/* A shared object of this host's class and byte order, with sane section headers. */
static bool elf_header_ok(const struct image_info *info)
{
    const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)info->file;
    if (info->size < sizeof *eh) {
        return false;
    }
#if defined(__LP64__) || defined(_LP64)
    const unsigned char host_class = ELFCLASS64;
#else
    const unsigned char host_class = ELFCLASS32;
#endif
    const uint16_t probe = 1;
    const unsigned char host_data = *(const unsigned char *)&probe == 1 ? ELFDATA2LSB
                                                                         : ELFDATA2MSB;
    return eh->e_ident[EI_CLASS] == host_class && eh->e_ident[EI_DATA] == host_data &&
           eh->e_type == ET_DYN && eh->e_shentsize == sizeof(ElfW(Shdr)) &&
           in_file(info, eh->e_shoff, eh->e_shnum, sizeof(ElfW(Shdr)));
}

/* Find .dynsym and its string table. */
static bool find_dynsym(struct image_info *info)
{
    const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)info->file;
    for (size_t i = 0; i < eh->e_shnum; i++) {
        const ElfW(Shdr) *sh = section(info, i);
        if (sh->sh_type != SHT_DYNSYM || sh->sh_entsize != sizeof(ElfW(Sym)) ||
            sh->sh_link >= eh->e_shnum ||
            !in_file(info, sh->sh_offset, sh->sh_size / sizeof(ElfW(Sym)), sizeof(ElfW(Sym)))) {
            continue;
        }
        const ElfW(Shdr) *str = section(info, sh->sh_link);
        if (!in_file(info, str->sh_offset, str->sh_size, 1)) {
            continue;
        }
        info->syms = (const ElfW(Sym) *)(info->file + sh->sh_offset);
        info->n_syms = sh->sh_size / sizeof(ElfW(Sym));
        info->strtab = (const char *)info->file + str->sh_offset;
        info->strtab_size = str->sh_size;
        return true;
    }
    return false;
}

static unsigned sym_bind(const ElfW(Sym) *s)
{
    return s->st_info >> 4;
}

static unsigned sym_type(const ElfW(Sym) *s)
{
    return s->st_info & 0xfu;
}

/* ------------------------------------------------------------------------ undefined symbols */

/* Could the dynamic linker bind `name` when the image loads? In the simulator's global scope
 * (its exported API and the libraries it has loaded), or in one of the image's DT_NEEDED
 * libraries already loaded. *deferred is set when a needed library is not loaded: it may
 * define the name, and only loading it (running its code) would tell. */
static bool resolvable(const struct image_info *info, const char *name, bool *deferred)
{
    if (dlsym(RTLD_DEFAULT, name) != NULL) {
        return true;
    }
    const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)info->file;
    for (size_t i = 0; i < eh->e_shnum; i++) {
        const ElfW(Shdr) *sh = section(info, i);
        if (sh->sh_type != SHT_DYNAMIC || sh->sh_link >= eh->e_shnum ||
            !in_file(info, sh->sh_offset, sh->sh_size / sizeof(ElfW(Dyn)), sizeof(ElfW(Dyn)))) {
            continue;
        }
        const ElfW(Shdr) *str = section(info, sh->sh_link);
        if (!in_file(info, str->sh_offset, str->sh_size, 1)) {
            continue;
        }
        const ElfW(Dyn) *dyn = (const ElfW(Dyn) *)(info->file + sh->sh_offset);
        for (size_t d = 0; d < sh->sh_size / sizeof(ElfW(Dyn)) && dyn[d].d_tag != DT_NULL; d++) {
            const char *lib = dyn[d].d_tag == DT_NEEDED
                ? string_at((const char *)info->file + str->sh_offset, str->sh_size,
                            dyn[d].d_un.d_val)
                : NULL;
            void *h = lib != NULL ? dlopen(lib, RTLD_LAZY | RTLD_NOLOAD) : NULL;
            if (lib != NULL && h == NULL) {
                *deferred = true;
                continue;
            }
            bool found = h != NULL && dlsym(h, name) != NULL;
            if (h != NULL) {
                dlclose(h);
            }
            if (found) {
                return true;
            }
        }
    }
    return false;
}

/* Every strong undefined symbol must be resolvable (see resolvable()). */
static int check_undefined(const struct image_info *info, char *err, size_t err_len)
{
    for (size_t i = 1; i < info->n_syms; i++) {
        const ElfW(Sym) *s = &info->syms[i];
        if (s->st_shndx != SHN_UNDEF || sym_bind(s) != STB_GLOBAL) {
            continue;
        }
        const char *name = string_at(info->strtab, info->strtab_size, s->st_name);
        if (name == NULL) {
            FAIL("%s: error: cannot load image: corrupt dynamic symbol table", info->path);
        }
        bool deferred = false;
        if (name[0] != '\0' && !resolvable(info, name, &deferred) && !deferred) {
            FAIL("%s: error: cannot load image: undefined symbol: %s", info->path, name);
        }
    }
    return 0;
}

bool image_info_defines(const struct image_info *info, const char *name)
{
    for (size_t i = 1; i < info->n_syms; i++) {
        const ElfW(Sym) *s = &info->syms[i];
        unsigned bind = sym_bind(s), type = sym_type(s);
        if (s->st_shndx == SHN_UNDEF || type == STT_SECTION || type == STT_FILE ||
            (bind != STB_GLOBAL && bind != STB_WEAK && bind != STB_GNU_UNIQUE)) {
            continue;
        }
        const char *sym_name = string_at(info->strtab, info->strtab_size, s->st_name);
        if (sym_name != NULL && strcmp(sym_name, name) == 0) {
            return true;
        }
    }
    return false;
}

/* Map the file and read what the checks need. */
static int open_image(struct image_info *info, int fd, char *err, size_t err_len)
{
    struct stat st;
    if (fstat(fd, &st) != 0) {
        FAIL("%s: error: cannot load image: %s", info->path, strerror(errno));
    }
    info->size = (size_t)st.st_size;
    void *map = info->size > 0 ? mmap(NULL, info->size, PROT_READ, MAP_PRIVATE, fd, 0)
                               : MAP_FAILED;
    if (map == MAP_FAILED) {
        FAIL("%s: error: cannot load image: not a shared object", info->path);
    }
    info->file = map;
    static const unsigned char magic[4] = {0x7f, 'E', 'L', 'F'};
    if (info->size < 4 || memcmp(info->file, magic, 4) != 0) {
        FAIL("%s: error: cannot load image: not a shared object", info->path);
    }
    if (!elf_header_ok(info)) {
        FAIL("%s: error: cannot load image: not a shared object for this host", info->path);
    }
    if (!find_dynsym(info)) {
        FAIL("%s: error: cannot load image: no dynamic symbol table (section headers "
             "stripped?)", info->path);
    }
    return check_undefined(info, err, err_len);
}

void image_info_free(struct image_info *info)
{
    if (info == NULL) {
        return;
    }
    if (info->file != NULL) {
        munmap((void *)info->file, info->size);
    }
    free(info->path);
    free(info);
}

#else /* __APPLE__ */

bool image_info_defines(const struct image_info *info, const char *name)
{
    return dlsym(info->handle, name) != NULL;
}

static int open_image(struct image_info *info, int fd, char *err, size_t err_len)
{
    (void)fd;
    info->handle = dlopen(info->path, RTLD_LAZY | RTLD_LOCAL);
    if (info->handle == NULL) {
        FAIL("%s: error: cannot load image: %s", info->path, dlerror());
    }
    return 0;
}

void image_info_free(struct image_info *info)
{
    if (info == NULL) {
        return;
    }
    if (info->handle != NULL) {
        dlclose(info->handle);
    }
    free(info->path);
    free(info);
}

#endif

/* ------------------------------------------------------------------------ entry points */

static int check_file(const char *path, struct image_info *const *others, size_t n_others,
                      struct image_info *info, char *err, size_t err_len)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        FAIL("%s: error: cannot load image: %s", path, strerror(errno));
    }
    if (!S_ISREG(st.st_mode)) {
        FAIL("%s: error: cannot load image: not a regular file", path);
    }
    for (size_t i = 0; i < n_others; i++) {
        if (others[i]->dev == st.st_dev && others[i]->ino == st.st_ino) {
            FAIL("%s: error: cannot load image: same object as image %s", path,
                 others[i]->path);
        }
    }
    info->dev = st.st_dev;
    info->ino = st.st_ino;
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        FAIL("%s: error: cannot load image: %s", path, strerror(errno));
    }
    int rc = open_image(info, fd, err, err_len);
    close(fd);
    return rc;
}

int image_check(const char *path, struct image_info *const *others, size_t n_others,
                struct image_info **out, char *err, size_t err_len)
{
    *out = NULL;
    struct image_info *info = calloc(1, sizeof *info);
    if (info == NULL || (info->path = strdup(path)) == NULL) {
        free(info);
        FAIL("%s: error: cannot load image: out of memory", path);
    }
    if (check_file(path, others, n_others, info, err, err_len) != 0) {
        image_info_free(info);
        return -1;
    }
    *out = info;
    return 0;
}

const char *image_info_path(const struct image_info *info)
{
    return info->path;
}

int image_info_resolve(struct image_info *const *infos, size_t n, const char *name,
                       size_t *which, char *err, size_t err_len)
{
    size_t found = n;
    for (size_t i = 0; i < n; i++) {
        if (!image_info_defines(infos[i], name)) {
            continue;
        }
        if (found < n) {
            FAIL("error: symbol '%s' is ambiguous: defined in images %s and %s", name,
                 infos[found]->path, infos[i]->path);
        }
        found = i;
    }
    if (found == n) {
        char searched[512] = "";
        for (size_t i = 0; i < n; i++) {
            strncat(searched, i == 0 ? "" : ", ", sizeof searched - strlen(searched) - 1);
            strncat(searched, infos[i]->path, sizeof searched - strlen(searched) - 1);
        }
        FAIL("error: symbol '%s' is not defined in any image (searched: %s)", name,
             n == 0 ? "no images loaded" : searched);
    }
    *which = found;
    return 0;
}
