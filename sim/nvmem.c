/*
 * nvmem.c - the persistent NVMEM region (RESET-03..05): a shared mapping, anonymous or backed
 * by a file, created once by the supervisor so that it outlives every simulated system.
 */
#include "nvmem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errbuf.h"

static size_t round_to_pages(size_t size)
{
    long page = sysconf(_SC_PAGESIZE);
    size_t page_size = page > 0 ? (size_t)page : 4096u;

    return (size + page_size - 1) / page_size * page_size;
}

static bool base_is_aligned(uintptr_t base)
{
    long page = sysconf(_SC_PAGESIZE);

    return page > 0 && base % (uintptr_t)page == 0;
}

/*
 * Map at `base` when one is given. MAP_FIXED_NOREPLACE (Linux >= 4.17) refuses to clobber an
 * existing mapping; elsewhere the base is only a hint, so the result is checked either way
 * (older kernels also treat the unknown flag as a hint). Plain MAP_FIXED is never used: it
 * would silently replace whatever the host process had mapped there.
 */
static void *map_shared(size_t map_size, uintptr_t base, int fd, enum ffm_nvmem_status *status)
{
    int flags = MAP_SHARED | (fd < 0 ? MAP_ANON : 0);
    void *hint = (void *)base;
    void *addr;

#ifdef MAP_FIXED_NOREPLACE
    if (base != 0) {
        flags |= MAP_FIXED_NOREPLACE;
    }
#endif
    addr = mmap(hint, map_size, PROT_READ | PROT_WRITE, flags, fd, 0);
    if (addr == MAP_FAILED) {
        *status = (base != 0 && errno == EEXIST) ? FFM_NVMEM_BASE_TAKEN : FFM_NVMEM_MAP_ERROR;
        return NULL;
    }
    if (base != 0 && addr != hint) {
        munmap(addr, map_size);
        *status = FFM_NVMEM_BASE_TAKEN;
        return NULL;
    }
    *status = FFM_NVMEM_OK;
    return addr;
}

/*
 * Two runs sharing one file would interleave their stores and boot counts silently: the run
 * that opens the file holds a write lock on it until ffm_nvmem_close, and a second run is
 * refused. POSIX record locks (fcntl) rather than flock: they also work on NFS, and macOS has
 * them. They belong to the process, so the supervisor's forked children neither inherit nor
 * release the lock, and only this fd may ever be opened on the file by this process (closing
 * any other fd of the same file would drop the lock). Returns 0, or -1 with the message set.
 */
static int lock_backing_file(int fd, const char *path, enum ffm_nvmem_status *status,
                             char *err, size_t err_size)
{
    struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };

    if (fcntl(fd, F_SETLK, &lk) == 0) {
        return 0;
    }
    if (errno != EACCES && errno != EAGAIN) {
        *status = FFM_NVMEM_FILE_ERROR;
        ffm_errbuf_set(err, err_size, "nvmem file %s: cannot lock: %s", path, strerror(errno));
        return -1;
    }
    struct flock holder = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
    *status = FFM_NVMEM_LOCKED;
    if (fcntl(fd, F_GETLK, &holder) == 0 && holder.l_type != F_UNLCK) {
        ffm_errbuf_set(err, err_size, "nvmem file %s is in use by another run (process %ld)",
                       path, (long)holder.l_pid);
    } else {
        ffm_errbuf_set(err, err_size, "nvmem file %s is in use by another run", path);
    }
    return -1;
}

/*
 * Open or create the backing file, lock it and give it the configured size. An empty file (just
 * created, or made by `touch`/mkstemp) counts as new: cold start. Returns the fd (which holds
 * the lock) or -1.
 */
static int open_backing_file(const struct ffm_nvmem_config *cfg, bool *cold,
                             enum ffm_nvmem_status *status, char *err, size_t err_size)
{
    struct stat st;
    int fd = open(cfg->path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

    if (fd < 0 || fstat(fd, &st) != 0) {
        *status = FFM_NVMEM_FILE_ERROR;
        ffm_errbuf_set(err, err_size, "nvmem file %s: %s", cfg->path, strerror(errno));
        goto fail;
    }
    if (S_ISREG(st.st_mode) && lock_backing_file(fd, cfg->path, status, err, err_size) != 0) {
        goto fail;
    }
    if (fstat(fd, &st) != 0) { /* the size may have changed until the lock was ours */
        *status = FFM_NVMEM_FILE_ERROR;
        ffm_errbuf_set(err, err_size, "nvmem file %s: %s", cfg->path, strerror(errno));
        goto fail;
    }
    if (!S_ISREG(st.st_mode)) {
        *status = FFM_NVMEM_FILE_ERROR;
        ffm_errbuf_set(err, err_size, "nvmem file %s: not a regular file", cfg->path);
        goto fail;
    }
    *cold = st.st_size == 0;
    if (!*cold && (unsigned long long)st.st_size != (unsigned long long)cfg->size) {
        *status = FFM_NVMEM_WRONG_SIZE;
        ffm_errbuf_set(err, err_size, "nvmem file %s has %lld bytes, expected %zu", cfg->path,
                  (long long)st.st_size, cfg->size);
        goto fail;
    }
    if (*cold && ftruncate(fd, (off_t)cfg->size) != 0) {
        *status = FFM_NVMEM_FILE_ERROR;
        ffm_errbuf_set(err, err_size, "nvmem file %s: cannot size to %zu bytes: %s", cfg->path,
                  cfg->size, strerror(errno));
        goto fail;
    }
    *status = FFM_NVMEM_OK;
    return fd;
fail:
    if (fd >= 0) {
        close(fd);
    }
    return -1;
}

enum ffm_nvmem_status ffm_nvmem_open(struct ffm_nvmem *nv, const struct ffm_nvmem_config *cfg,
                                     char *err, size_t err_size)
{
    enum ffm_nvmem_status status = FFM_NVMEM_OK;
    bool cold = true;
    int fd = -1;

    memset(nv, 0, sizeof(*nv));
    if (cfg->size == 0 || (cfg->base != 0 && !base_is_aligned(cfg->base))) {
        ffm_errbuf_set(err, err_size, "nvmem: size %zu and base 0x%llx: need size > 0 and a "
                  "page-aligned base", cfg->size, (unsigned long long)cfg->base);
        return FFM_NVMEM_BAD_CONFIG;
    }
    if (cfg->path != NULL) {
        fd = open_backing_file(cfg, &cold, &status, err, err_size);
        if (fd < 0) {
            return status;
        }
    }
    nv->map_size = round_to_pages(cfg->size);
    nv->addr = map_shared(nv->map_size, cfg->base, fd, &status);
    if (nv->addr == NULL) {
        if (fd >= 0) {
            close(fd);
        }
        ffm_errbuf_set(err, err_size, "nvmem: cannot map %zu bytes%s%s at 0x%llx: %s", cfg->size,
                  cfg->path ? " of " : "", cfg->path ? cfg->path : "",
                  (unsigned long long)cfg->base,
                  status == FFM_NVMEM_BASE_TAKEN ? "address already in use" : strerror(errno));
        memset(nv, 0, sizeof(*nv));
        return status;
    }
    nv->size = cfg->size;
    nv->cold = cold;
    nv->file_backed = cfg->path != NULL;
    nv->lock_fd = fd; /* kept open: it holds the lock until ffm_nvmem_close */
    if (cold) {
        /* ffm-rule: RESET-04 */
        memset(nv->addr, 0xFF, nv->size); /* RESET-04: erased flash */
    }
    return FFM_NVMEM_OK;
}

void ffm_nvmem_close(struct ffm_nvmem *nv)
{
    if (nv->addr == NULL) {
        return;
    }
    if (nv->file_backed) {
        msync(nv->addr, nv->map_size, MS_SYNC);
    }
    munmap(nv->addr, nv->map_size);
    if (nv->file_backed) {
        close(nv->lock_fd); /* releases the lock, after the last store reached the file */
    }
    memset(nv, 0, sizeof(*nv));
}
