/*
 * image.c - loading partition images and the NS application (image.h; docs/sim.md §4).
 *
 * dlopen(RTLD_NOW | RTLD_LOCAL) keeps each image's definitions out of every other image's
 * resolution scope; the loading program's export list keeps its internals out of all of them.
 * Segments come from dl_iterate_phdr (ELF) or the Mach-O load commands (macOS), matched to the
 * dlopen handle through its link map (glibc, musl, BSD: dlinfo) or dyld's image list.
 */
#if defined(__linux__) || defined(__FreeBSD__)
#define _GNU_SOURCE 1
#endif
#if defined(__APPLE__)
#define _DARWIN_C_SOURCE 1
#endif
#include "image.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__APPLE__)
#include <mach-o/dyld.h>
#include <mach-o/loader.h>
#else
#include <link.h>
#endif

#include "errbuf.h"

struct image {
    char *path;             /* as given, for messages */
    void *handle;
    struct image_segment segs[IMAGE_MAX_SEGMENTS];
    size_t n_segs;
    struct image *next;     /* in the list of loaded images */
};

/* Every loaded image, to refuse loading one file twice (dlopen would return the same handle,
 * so the two "images" would share one namespace). */
static pthread_mutex_t loaded_lock = PTHREAD_MUTEX_INITIALIZER;
static struct image *loaded;

/* ------------------------------------------------------------------------ segments */

static int by_base(const void *a, const void *b)
{
    const struct image_segment *x = a, *y = b;
    return x->base < y->base ? -1 : x->base > y->base;
}

static void add_segment(struct image *img, uintptr_t base, size_t size, unsigned rights)
{
    if (size > 0 && img->n_segs < IMAGE_MAX_SEGMENTS) {
        img->segs[img->n_segs++] = (struct image_segment){base, size, rights};
    }
}

/* A writable segment minus its RELRO part, which is read-only after relocation. */
static void add_split(struct image *img, uintptr_t base, size_t size, unsigned rights,
                      uintptr_t relro, size_t relro_size)
{
    uintptr_t end = base + size, r_end = relro + relro_size;
    if ((rights & MEMMAP_W) == 0 || relro_size == 0 || r_end <= base || relro >= end) {
        add_segment(img, base, size, rights);
        return;
    }
    uintptr_t lo = relro > base ? relro : base;
    uintptr_t hi = r_end < end ? r_end : end;
    add_segment(img, base, lo - base, rights);
    add_segment(img, lo, hi - lo, MEMMAP_R);
    add_segment(img, hi, end - hi, rights);
}

#if !defined(__APPLE__)
struct phdr_search {
    const struct link_map *lm;
    struct image *img;
    bool found;
};

static unsigned rights_of(ElfW(Word) flags)
{
    return MEMMAP_R | ((flags & PF_W) != 0 ? MEMMAP_W : 0u) | ((flags & PF_X) != 0 ? MEMMAP_X : 0u);
}

static int phdr_callback(struct dl_phdr_info *info, size_t size, void *data)
{
    struct phdr_search *s = data;
    (void)size;
    if (info->dlpi_addr != s->lm->l_addr || info->dlpi_name == NULL ||
        strcmp(info->dlpi_name, s->lm->l_name) != 0) {
        return 0;
    }
    uintptr_t relro = 0;
    size_t relro_size = 0;
    for (ElfW(Half) i = 0; i < info->dlpi_phnum; i++) {
        if (info->dlpi_phdr[i].p_type == PT_GNU_RELRO) {
            relro = info->dlpi_addr + info->dlpi_phdr[i].p_vaddr;
            relro_size = info->dlpi_phdr[i].p_memsz;
        }
    }
    for (ElfW(Half) i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_LOAD) {
            add_split(s->img, info->dlpi_addr + ph->p_vaddr, ph->p_memsz, rights_of(ph->p_flags),
                      relro, relro_size);
        }
    }
    s->found = true;
    return 1;
}

static bool find_segments(struct image *img)
{
    struct link_map *lm = NULL;
    if (dlinfo(img->handle, RTLD_DI_LINKMAP, &lm) != 0 || lm == NULL) {
        return false;
    }
    struct phdr_search s = {lm, img, false};
    dl_iterate_phdr(phdr_callback, &s);
    return s.found;
}
#else
/* macOS: find the dyld image whose handle is ours, then walk its LC_SEGMENT_64 commands.
 * (Untested here; see docs/sim.md §4.) */
static bool find_segments(struct image *img)
{
    for (uint32_t i = 0; i < _dyld_image_count(); i++) {
        const char *name = _dyld_get_image_name(i);
        void *h = name != NULL ? dlopen(name, RTLD_NOLOAD | RTLD_LAZY) : NULL;
        if (h == NULL) {
            continue;
        }
        dlclose(h);
        if (h != img->handle) {
            continue;
        }
        const struct mach_header_64 *mh = (const struct mach_header_64 *)_dyld_get_image_header(i);
        intptr_t slide = _dyld_get_image_vmaddr_slide(i);
        const struct load_command *lc = (const struct load_command *)(mh + 1);
        for (uint32_t c = 0; c < mh->ncmds; c++) {
            if (lc->cmd == LC_SEGMENT_64) {
                const struct segment_command_64 *seg = (const struct segment_command_64 *)lc;
                unsigned rights = ((seg->initprot & VM_PROT_READ) ? MEMMAP_R : 0u) |
                                  ((seg->initprot & VM_PROT_WRITE) ? MEMMAP_W : 0u) |
                                  ((seg->initprot & VM_PROT_EXECUTE) ? MEMMAP_X : 0u);
                if (rights != 0) { /* __PAGEZERO and __LINKEDIT-like segments without access */
                    add_segment(img, (uintptr_t)(seg->vmaddr + slide), (size_t)seg->vmsize,
                                rights | MEMMAP_R);
                }
            }
            lc = (const struct load_command *)((const char *)lc + lc->cmdsize);
        }
        return true;
    }
    return false;
}
#endif

void *image_handle(const struct image *img)
{
    return img->handle;
}

/* ------------------------------------------------------------------------ loading */

/* An image is loaded fully linked: only psa_*, ffm_platform_*, ffm_ns_*, ffm_flash_* and Driver_FLASH*
 * come from the program. The usual cause of anything else undefined is a static archive whose objects the
 * linker left out (docs/ffm-sim.md section 1, "Images from static archives"). */
#define UNDEFINED_HINT \
    " (an image must be fully linked: only psa_*, ffm_platform_*, ffm_ns_*, ffm_flash_* and " \
    "Driver_FLASH* come from ffm-sim; to take a symbol from a static archive, link the whole archive into the image: " \
    "-Wl,--whole-archive LIB.a -Wl,--no-whole-archive)"

/* dlerror() text without a leading "PATH: " that repeats the image path. */
static const char *dl_reason(const char *dl_path)
{
    const char *e = dlerror();
    if (e == NULL) {
        return "unknown dynamic linker error";
    }
    size_t n = strlen(dl_path);
    if (strncmp(e, dl_path, n) == 0 && e[n] == ':' && e[n + 1] == ' ') {
        return e + n + 2;
    }
    return e;
}

/* Is the file an object the dynamic linker could load at all? */
static bool looks_loadable(const char *path)
{
    unsigned char magic[4] = {0};
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        return true; /* let dlopen say why */
    }
    ssize_t got = read(fd, magic, sizeof magic);
    close(fd);
    if (got != (ssize_t)sizeof magic) {
        return false;
    }
    static const unsigned char elf[4] = {0x7f, 'E', 'L', 'F'};
    uint32_t m = (uint32_t)magic[0] | (uint32_t)magic[1] << 8 | (uint32_t)magic[2] << 16 |
                 (uint32_t)magic[3] << 24;
    return memcmp(magic, elf, 4) == 0 || m == 0xfeedfacfu || m == 0xfeedfaceu ||
           m == 0xcafebabeu || m == 0xbebafecau;
}

int image_load(const char *path, struct image **out, char *err, size_t err_len)
{
    *out = NULL;
    struct stat st;
    if (stat(path, &st) != 0) {
        ffm_errbuf_set(err, err_len, "%s: error: cannot load image: %s", path, strerror(errno));
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        ffm_errbuf_set(err, err_len, "%s: error: cannot load image: not a regular file", path);
        return -1;
    }
    if (!looks_loadable(path)) {
        ffm_errbuf_set(err, err_len, "%s: error: cannot load image: not a shared object", path);
        return -1;
    }
    struct image *img = calloc(1, sizeof *img);
    size_t dl_size = strlen(path) + 3;
    char *dl_path = malloc(dl_size);
    if (img == NULL || dl_path == NULL) {
        free(img);
        free(dl_path);
        ffm_errbuf_set(err, err_len, "%s: error: cannot load image: out of memory", path);
        return -1;
    }
    /* A name without '/' would be searched for in the library path: make it relative. */
    /* (memcpy, not sprintf: gcc -fsanitize=undefined warns of a null %s argument here) */
    size_t prefix = strchr(path, '/') == NULL ? 2 : 0;
    memcpy(dl_path, "./", prefix);
    memcpy(dl_path + prefix, path, dl_size - 2);
    img->path = strdup(path);
    dlerror();
    img->handle = img->path != NULL ? dlopen(dl_path, RTLD_NOW | RTLD_LOCAL) : NULL;
    if (img->handle == NULL) {
        const char *reason = img->path != NULL ? dl_reason(dl_path) : "out of memory";
        ffm_errbuf_set(err, err_len, "%s: error: cannot load image: %s%s", path, reason,
                strstr(reason, "undefined symbol") != NULL ? UNDEFINED_HINT : "");
        free(dl_path);
        free(img->path);
        free(img);
        return -1;
    }
    free(dl_path);

    pthread_mutex_lock(&loaded_lock);
    const struct image *twin = loaded;
    while (twin != NULL && twin->handle != img->handle) {
        twin = twin->next;
    }
    if (twin == NULL) {
        img->next = loaded;
        loaded = img;
    } else {
        ffm_errbuf_set(err, err_len, "%s: error: cannot load image: same object as image %s", path,
                twin->path);
    }
    pthread_mutex_unlock(&loaded_lock);
    if (twin != NULL) {
        dlclose(img->handle);
        free(img->path);
        free(img);
        return -1;
    }
    if (!find_segments(img)) {
        ffm_errbuf_set(err, err_len, "%s: error: cannot load image: its segments are not found", path);
        image_unload(img);
        return -1;
    }
    qsort(img->segs, img->n_segs, sizeof img->segs[0], by_base);
    *out = img;
    return 0;
}

void image_unload(struct image *img)
{
    if (img == NULL) {
        return;
    }
    pthread_mutex_lock(&loaded_lock);
    for (struct image **p = &loaded; *p != NULL; p = &(*p)->next) {
        if (*p == img) {
            *p = img->next;
            break;
        }
    }
    pthread_mutex_unlock(&loaded_lock);
    dlclose(img->handle);
    free(img->path);
    free(img);
}

const char *image_path(const struct image *img)
{
    return img->path;
}

size_t image_segments(const struct image *img, const struct image_segment **segs)
{
    *segs = img->segs;
    return img->n_segs;
}

bool image_contains(const struct image *img, const void *addr)
{
    uintptr_t a = (uintptr_t)addr;
    for (size_t i = 0; i < img->n_segs; i++) {
        if (a - img->segs[i].base < img->segs[i].size) {
            return true;
        }
    }
    return false;
}

void *image_symbol(const struct image *img, const char *name)
{
    dlerror();
    void *addr = dlsym(img->handle, name);
    /* dlsym also searches the image's dependencies: keep only the image's own definitions. */
    if (addr == NULL || !image_contains(img, addr)) {
        return NULL;
    }
    return addr;
}

static const char *segment_kind(unsigned rights)
{
    if ((rights & MEMMAP_X) != 0) {
        return "code";
    }
    return (rights & MEMMAP_W) != 0 ? "data" : "rodata";
}

/* ffm-rule: MEM-03 */
int image_register(const struct image *img, struct memmap *map, int32_t pid, bool psa_rot,
                   char *err, size_t err_len)
{
    for (size_t i = 0; i < img->n_segs; i++) {
        char name[256];
        snprintf(name, sizeof name, "%s %s", img->path, segment_kind(img->segs[i].rights));
        struct memmap_range r = {
            .base = img->segs[i].base,
            .size = img->segs[i].size,
            .secure = true,
            .owner = pid,
            .owner_psa_rot = psa_rot,
            .rights = img->segs[i].rights,
            .name = name,
        };
        if (memmap_add(map, &r, err, err_len) != 0) {
            while (i-- > 0) {
                memmap_remove(map, img->segs[i].base); /* nothing half-registered */
            }
            return -1;
        }
    }
    return 0;
}

int image_set_resolve(struct image *const *images, size_t n, const char *name, void **addr,
                      size_t *which, char *err, size_t err_len)
{
    size_t found = n;
    void *found_addr = NULL;
    for (size_t i = 0; i < n; i++) {
        void *a = image_symbol(images[i], name);
        if (a == NULL) {
            continue;
        }
        if (found < n) {
            ffm_errbuf_set(err, err_len, "error: symbol '%s' is ambiguous: defined in images %s and %s",
                    name, images[found]->path, images[i]->path);
            return -1;
        }
        found = i;
        found_addr = a;
    }
    if (found == n) {
        char searched[512] = "";
        for (size_t i = 0; i < n; i++) {
            strncat(searched, i == 0 ? "" : ", ", sizeof searched - strlen(searched) - 1);
            strncat(searched, images[i]->path, sizeof searched - strlen(searched) - 1);
        }
        ffm_errbuf_set(err, err_len, "error: symbol '%s' is not defined in any image (searched: %s)",
                name, n == 0 ? "no images loaded" : searched);
        return -1;
    }
    if (addr != NULL) {
        *addr = found_addr;
    }
    if (which != NULL) {
        *which = found;
    }
    return 0;
}

void image_finalize(struct image *img)
{
    if (img != NULL && img->handle != NULL) {
        void *h = img->handle;
        img->handle = NULL;
        dlclose(h);
    }
}

bool image_any_contains(const void *addr)
{
    bool found = false;
    pthread_mutex_lock(&loaded_lock);
    for (const struct image *img = loaded; img != NULL && !found; img = img->next) {
        found = image_contains(img, addr);
    }
    pthread_mutex_unlock(&loaded_lock);
    return found;
}
