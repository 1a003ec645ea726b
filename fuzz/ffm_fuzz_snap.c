/*
 * ffm_fuzz_snap.c - ffm-fuzz's cheap reset: the booted system is saved once and copied back
 * before every input, instead of a process (or a boot) per input.
 *
 * Saved: the harness and SPM state (ffm_sync_save), NVMEM, and each image's writable data:
 * the ELF sections .data, .bss (and .data.* / .bss.* from -fdata-sections) found in the
 * image file's section headers, at the address the image was loaded at. Sections the
 * toolchain owns are left alone: libFuzzer's coverage counters (__sancov_*), relocated
 * read-only data (.data.rel.ro, made read-only after loading), the GOT and the sanitizers'
 * metadata. Not saved: memory a partition allocates from the heap at run time (documented in
 * docs/fuzzing.md). ELF only: ffm-fuzz is built on Linux.
 */
#define _GNU_SOURCE 1 /* dladdr */

#include "ffm_fuzz.h"

#include <dlfcn.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"

#define FF_MAX_RANGES 256

struct range {
    uint8_t *addr;
    size_t size;
    uint8_t *saved;
};

static struct range ranges[FF_MAX_RANGES];
static unsigned n_ranges;
static struct ffm_sync *booted;
static uint8_t *nvmem_booted;

static uint8_t *read_whole(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    long n;

    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) <= 0 ||
        fseek(f, 0, SEEK_SET) != 0 || (buf = malloc((size_t)n)) == NULL ||
        fread(buf, 1, (size_t)n, f) != (size_t)n) {
        ff_die("error: %s: cannot read the image file", path);
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static bool is_partition_data(const char *name)
{
    return strcmp(name, ".data") == 0 || strcmp(name, ".bss") == 0 ||
           (strncmp(name, ".data.", 6) == 0 && strncmp(name, ".data.rel.ro", 12) != 0) ||
           strncmp(name, ".bss.", 5) == 0;
}

static void add_range(uint8_t *addr, size_t size)
{
    if (n_ranges >= FF_MAX_RANGES) {
        ff_die("error: too many data sections in the images (at most %d)", FF_MAX_RANGES);
    }
    ranges[n_ranges] = (struct range){ addr, size, malloc(size) };
    if (ranges[n_ranges].saved == NULL) {
        ff_die("error: out of memory");
    }
    n_ranges++;
}

/* The writable data sections of one loaded image. */
static void find_data(const struct image *img)
{
    const struct image_segment *segs;
    size_t len;
    Dl_info info;

    if (image_segments(img, &segs) == 0 || dladdr((void *)segs[0].base, &info) == 0) {
        ff_die("error: %s: cannot find where the image is loaded", image_path(img));
    }
    uint8_t *file = read_whole(image_path(img), &len);
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)(void *)file;
    if (len < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
        eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_shoff == 0 ||
        eh->e_shoff + (size_t)eh->e_shnum * sizeof(Elf64_Shdr) > len ||
        eh->e_shstrndx >= eh->e_shnum) {
        ff_die("error: %s: not a 64-bit ELF image with section headers",
               image_path(img));
    }
    const Elf64_Shdr *sh = (const Elf64_Shdr *)(void *)(file + eh->e_shoff);
    const char *names = (const char *)file + sh[eh->e_shstrndx].sh_offset;
    for (unsigned i = 0; i < eh->e_shnum; i++) {
        bool rw = (sh[i].sh_flags & (SHF_ALLOC | SHF_WRITE)) == (SHF_ALLOC | SHF_WRITE);
        if (rw && sh[i].sh_size > 0 && sh[i].sh_name < sh[eh->e_shstrndx].sh_size &&
            is_partition_data(names + sh[i].sh_name)) {
            add_range((uint8_t *)info.dli_fbase + sh[i].sh_addr, sh[i].sh_size);
        }
    }
    free(file);
}

/*
 * Copy a data section, redzones included: with ASan the images' globals are separated by
 * poisoned redzones, which an ordinary memcpy would report. The copy is not instrumented, and
 * goes through volatile pointers so that the compiler does not turn it back into memcpy.
 */
#if defined(__clang__) || defined(__GNUC__)
__attribute__((no_sanitize("address")))
#endif
static void copy_raw(uint8_t *to, const uint8_t *from, size_t size)
{
    volatile uint8_t *t = to;
    const volatile uint8_t *f = from;

    for (size_t i = 0; i < size; i++) {
        t[i] = f[i];
    }
}

void ff_snap_take(void)
{
    for (size_t i = 0; i < ff.n_images; i++) {
        find_data(ff.images[i]);
    }
    for (unsigned i = 0; i < n_ranges; i++) {
        copy_raw(ranges[i].saved, ranges[i].addr, ranges[i].size);
    }
    booted = malloc(sizeof(*booted));
    nvmem_booted = ff.nvmem_size > 0 ? malloc(ff.nvmem_size) : NULL;
    if (booted == NULL || (ff.nvmem_size > 0 && nvmem_booted == NULL)) {
        ff_die("error: out of memory");
    }
    ffm_sync_save(ff.h, booted);
    if (ff.nvmem_size > 0) {
        memcpy(nvmem_booted, ff.nvmem, ff.nvmem_size);
    }
}

void ff_snap_restore(void)
{
    for (unsigned i = 0; i < n_ranges; i++) {
        copy_raw(ranges[i].addr, ranges[i].saved, ranges[i].size);
    }
    ffm_sync_restore(ff.h, booted);
    if (ff.nvmem_size > 0) {
        memcpy(ff.nvmem, nvmem_booted, ff.nvmem_size);
    }
}
