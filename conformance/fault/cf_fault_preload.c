/* libshmlab_fault.so: an LD_PRELOAD library that breaks exactly one documented rule of the
 * shared-memory API, chosen by SHMLAB_FAULT=<name> (the names are in cf_faults.c). Without
 * SHMLAB_FAULT every call passes straight through to libc, unchanged. With a name that is
 * not in the table every interposed call fails with ENOSYS, so that a misspelt fault can
 * never look like a conforming run. It prints nothing: the checker reports what broke.
 *
 * Only the calls shmlab's cases make are interposed, and file and shm faults touch only
 * objects whose name starts with "shmlab-", so a preloaded shell or test runner is unharmed;
 * the anonymous-memory, mremap, madvise and msync faults change those calls process-wide. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conformance/fault/cf_faults.h"

static enum cf_fault_id active = CF_FAULT_NONE;

__attribute__((constructor)) static void select_fault(void)
{
    active = cf_fault_lookup(getenv("SHMLAB_FAULT"));
}

/* The next definition of `name` (libc's), looked up once. */
#define REAL(name)                                                 \
    static __typeof__(name) *real_##name;                          \
    if (real_##name == NULL)                                       \
        real_##name = (__typeof__(name) *)dlsym(RTLD_NEXT, #name); \
    if (real_##name == NULL || active == CF_FAULT_UNKNOWN) {       \
        errno = ENOSYS;                                            \
        return FAILED;                                             \
    }

#define SHMLAB_PREFIX "shmlab-"

enum fd_kind { FD_OTHER, FD_SHMLAB_FILE, FD_SHMLAB_SHM, FD_SHMLAB_MEMFD };

/* Whether fd is a file, a POSIX shm object or a memfd that shmlab named (cf_unique_path/_name). */
static enum fd_kind kind_of(int fd)
{
    char link[64], path[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    if (n <= 0)
        return FD_OTHER;
    path[n] = '\0';
    if (strncmp(path, "/memfd:" SHMLAB_PREFIX, strlen("/memfd:" SHMLAB_PREFIX)) == 0)
        return FD_SHMLAB_MEMFD;
    const char *base = strrchr(path, '/');
    if (base == NULL || strncmp(base + 1, SHMLAB_PREFIX, strlen(SHMLAB_PREFIX)) != 0)
        return FD_OTHER;
    return strncmp(path, "/dev/shm/", 9) == 0 ? FD_SHMLAB_SHM : FD_SHMLAB_FILE;
}

static int is_shmlab_name(const char *name)
{
    return name != NULL && strncmp(name, "/" SHMLAB_PREFIX, strlen(SHMLAB_PREFIX) + 1) == 0;
}

static uintptr_t page_size(void)
{
    return (uintptr_t)sysconf(_SC_PAGESIZE);
}

/* ---- file mapping ---- */

#define FAILED MAP_FAILED

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    REAL(mmap);
    if (active == CF_FAULT_NONE)
        return real_mmap(addr, len, prot, flags, fd, off);
    int type = flags & MAP_TYPE;
    int is_file = !(flags & MAP_ANONYMOUS) && kind_of(fd) == FD_SHMLAB_FILE;
    switch (active) {
    case CF_FAULT_MMAP_LEN_ZERO_SUCCEEDS:
        if (len == 0)
            len = page_size();
        break;
    case CF_FAULT_MMAP_CLOSED_FD_EPERM: {
        void *p = real_mmap(addr, len, prot, flags, fd, off);
        if (p == MAP_FAILED && errno == EBADF)
            errno = EPERM;
        return p;
    }
    case CF_FAULT_MMAP_SHARED_AS_PRIVATE:
        if (is_file && type == MAP_SHARED)
            flags = (flags & ~MAP_TYPE) | MAP_PRIVATE;
        break;
    case CF_FAULT_MMAP_PRIVATE_AS_SHARED:
        /* Only where MAP_SHARED would be allowed, so the mapping still succeeds. */
        if (is_file && type == MAP_PRIVATE && (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR)
            flags = (flags & ~MAP_TYPE) | MAP_SHARED;
        break;
    case CF_FAULT_MMAP_RDONLY_FD_SHARED_WRITE:
        if (is_file && type == MAP_SHARED && (prot & PROT_WRITE) &&
            (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDONLY)
            flags = (flags & ~MAP_TYPE) | MAP_PRIVATE;
        break;
    case CF_FAULT_MMAP_POPULATE_IGNORED: flags &= ~MAP_POPULATE; break;
    case CF_FAULT_SHARED_ANON_IS_PRIVATE:
        if ((flags & MAP_ANONYMOUS) && type == MAP_SHARED)
            flags = (flags & ~MAP_TYPE) | MAP_PRIVATE;
        break;
    case CF_FAULT_MMAP_NO_SIGBUS_PAST_EOF: {
        struct stat st;
        void *p = real_mmap(addr, len, prot, flags, fd, off);
        if (p == MAP_FAILED || !is_file || fstat(fd, &st) != 0)
            return p;
        /* Replace the whole pages past end of file with anonymous zero pages. */
        uintptr_t page = page_size();
        uintptr_t file_pages = ((uintptr_t)st.st_size + page - 1) / page * page;
        uintptr_t first_past = file_pages > (uintptr_t)off ? file_pages - (uintptr_t)off : 0;
        if (first_past < len)
            real_mmap((char *)p + first_past, len - first_past, prot,
                      MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        return p;
    }
    default: break;
    }
    return real_mmap(addr, len, prot, flags, fd, off);
}

#undef FAILED
#define FAILED (-1)

int munmap(void *addr, size_t len)
{
    REAL(munmap);
    if (active == CF_FAULT_MUNMAP_UNALIGNED_SUCCEEDS && (uintptr_t)addr % page_size() != 0)
        return 0;
    return real_munmap(addr, len);
}

int msync(void *addr, size_t len, int flags)
{
    REAL(msync);
    if (active == CF_FAULT_MSYNC_ZERO_LEN_FAILS && len == 0) {
        errno = ENOMEM;
        return -1;
    }
    if (active == CF_FAULT_MSYNC_SYNC_ASYNC_ACCEPTED && (flags & MS_SYNC) && (flags & MS_ASYNC))
        return 0;
    return real_msync(addr, len, flags);
}

int madvise(void *addr, size_t len, int advice)
{
    REAL(madvise);
    if ((active == CF_FAULT_MADVISE_DONTNEED_NOOP && advice == MADV_DONTNEED) ||
        (active == CF_FAULT_MADVISE_DONTFORK_IGNORED && advice == MADV_DONTFORK))
        return 0;
    return real_madvise(addr, len, advice);
}

#undef FAILED
#define FAILED MAP_FAILED

/* Replaces `len` bytes at `at` with a private anonymous copy of what they hold now. */
static void copy_to_anonymous(void *at, size_t len)
{
    void *copy = malloc(len);
    if (copy == NULL)
        return;
    memcpy(copy, at, len);
    if (mmap(at, len, PROT_READ | PROT_WRITE, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) !=
        MAP_FAILED)
        memcpy(at, copy, len);
    free(copy);
}

void *mremap(void *old, size_t old_size, size_t new_size, int flags, ...)
{
    REAL(mremap);
    void *new_address = NULL;
    if (flags & MREMAP_FIXED) {
        va_list ap;
        va_start(ap, flags);
        new_address = va_arg(ap, void *);
        va_end(ap);
    }
    void *p = real_mremap(old, old_size, new_size, flags, new_address);
    size_t page = page_size();
    size_t kept = (old_size + page - 1) / page * page;
    switch (active) {
    case CF_FAULT_MREMAP_GROW_IN_PLACE_SUCCEEDS:
        if (p == MAP_FAILED && errno == ENOMEM && !(flags & MREMAP_MAYMOVE))
            return real_mremap(old, old_size, new_size, flags | MREMAP_MAYMOVE);
        break;
    case CF_FAULT_MREMAP_GROWN_PAGES_LOSE_FILE:
        if (p != MAP_FAILED && old_size > 0 && new_size > kept)
            mmap((char *)p + kept, new_size - kept, PROT_READ | PROT_WRITE,
                 MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        break;
    case CF_FAULT_MREMAP_LOSES_FILE_TIE:
        if (p != MAP_FAILED && p != old && old_size > 0)
            copy_to_anonymous(p, page);
        break;
    default: break;
    }
    return p;
}

#undef FAILED
#define FAILED (-1)

/* ---- System V ---- */

/* The ids the shmctl_rmid_destroys_attached fault pretends are gone (IPC_RMID'd). */
#define MAX_REMOVED 64
static int removed_ids[MAX_REMOVED];
static int n_removed;

static int pretends_removed(int shmid)
{
    for (int i = 0; i < n_removed; i++)
        if (removed_ids[i] == shmid)
            return 1;
    return 0;
}

int shmget(key_t key, size_t size, int flags)
{
    REAL(shmget);
    if (active == CF_FAULT_SHMGET_IGNORES_EXCL && key != IPC_PRIVATE)
        flags &= ~IPC_EXCL;
    return real_shmget(key, size, flags);
}

#undef FAILED
#define FAILED ((void *)-1)

void *shmat(int shmid, const void *addr, int flags)
{
    REAL(shmat);
    if (active == CF_FAULT_SHMCTL_RMID_DESTROYS_ATTACHED && pretends_removed(shmid)) {
        errno = EINVAL;
        return FAILED;
    }
    uintptr_t at = (uintptr_t)addr;
    switch (active) {
    case CF_FAULT_SHMAT_RND_ROUNDS_UP:
        if ((flags & SHM_RND) && at % SHMLBA != 0) {
            addr = (const void *)((at / SHMLBA + 1) * SHMLBA);
            flags &= ~SHM_RND;
        }
        break;
    case CF_FAULT_SHMAT_UNALIGNED_ACCEPTED:
        if (at % SHMLBA != 0)
            flags |= SHM_RND;
        break;
    case CF_FAULT_SHMAT_IGNORES_RDONLY: flags &= ~SHM_RDONLY; break;
    default: break;
    }
    return real_shmat(shmid, addr, flags);
}

#undef FAILED
#define FAILED (-1)

int shmdt(const void *addr)
{
    REAL(shmdt);
    int r = real_shmdt(addr);
    if (r != 0 && errno == EINVAL && active == CF_FAULT_SHMDT_NOT_ATTACHED_SUCCEEDS)
        return 0;
    return r;
}

int shmctl(int shmid, int cmd, struct shmid_ds *buf)
{
    REAL(shmctl);
    if (active == CF_FAULT_SHMCTL_RMID_DESTROYS_ATTACHED && cmd != IPC_RMID &&
        pretends_removed(shmid)) {
        errno = EINVAL;
        return -1;
    }
    int r = real_shmctl(shmid, cmd, buf);
    if (r == 0 && cmd == IPC_STAT && active == CF_FAULT_SHMCTL_NATTCH_OFF_BY_ONE)
        buf->shm_nattch++;
    if (r == 0 && cmd == IPC_STAT && active == CF_FAULT_SHM_STAT_WRONG_KEY)
        buf->shm_perm.__key = IPC_PRIVATE;
    if (r >= 0 && cmd == SHM_INFO && active == CF_FAULT_SHM_INFO_USED_IDS_OFF)
        ((struct shm_info *)(void *)buf)->used_ids++;
    if (r == 0 && cmd == IPC_RMID && active == CF_FAULT_SHMCTL_RMID_DESTROYS_ATTACHED &&
        n_removed < MAX_REMOVED)
        removed_ids[n_removed++] = shmid;
    return r;
}

/* ---- POSIX shm ---- */

int shm_open(const char *name, int oflag, mode_t mode)
{
    REAL(shm_open);
    if (!is_shmlab_name(name))
        return real_shm_open(name, oflag, mode);
    switch (active) {
    case CF_FAULT_SHM_OPEN_IGNORES_EXCL: oflag &= ~O_EXCL; break;
    case CF_FAULT_SHM_OPEN_DROPS_TRUNC: oflag &= ~O_TRUNC; break;
    case CF_FAULT_SHM_OPEN_MISSING_EACCES: {
        int fd = real_shm_open(name, oflag, mode);
        if (fd < 0 && errno == ENOENT)
            errno = EACCES;
        return fd;
    }
    case CF_FAULT_SHM_OPEN_IGNORES_UMASK: {
        int fd = real_shm_open(name, oflag, mode);
        if (fd >= 0 && (oflag & O_CREAT))
            fchmod(fd, mode & 07777);
        return fd;
    }
    case CF_FAULT_SHM_OPEN_NO_CLOEXEC: {
        int fd = real_shm_open(name, oflag, mode);
        if (fd >= 0)
            fcntl(fd, F_SETFD, 0);
        return fd;
    }
    default: break;
    }
    return real_shm_open(name, oflag, mode);
}

int shm_unlink(const char *name)
{
    REAL(shm_unlink);
    int r = real_shm_unlink(name);
    if (r != 0 && errno == ENOENT && active == CF_FAULT_SHM_UNLINK_MISSING_SUCCEEDS &&
        is_shmlab_name(name))
        return 0;
    return r;
}

int ftruncate(int fd, off_t len)
{
    REAL(ftruncate);
    if (active == CF_FAULT_SHM_FTRUNCATE_IGNORED && kind_of(fd) == FD_SHMLAB_SHM)
        return 0;
    return real_ftruncate(fd, len);
}

int fstat(int fd, struct stat *st)
{
    REAL(fstat);
    int r = real_fstat(fd, st);
    if (r == 0 && active == CF_FAULT_SHM_FSTAT_SIZE_OFF && kind_of(fd) == FD_SHMLAB_SHM)
        st->st_size += (off_t)page_size();
    return r;
}

/* ---- memfd and file seals ---- */

int memfd_create(const char *name, unsigned flags)
{
    REAL(memfd_create);
    int fd = real_memfd_create(name, flags);
    if (fd >= 0 && active == CF_FAULT_MEMFD_IGNORES_CLOEXEC && name != NULL &&
        strncmp(name, SHMLAB_PREFIX, strlen(SHMLAB_PREFIX)) == 0)
        fcntl(fd, F_SETFD, 0);
    return fd;
}

/* fcntl and fcntl64 (its name under 64-bit off_t on 32-bit ABIs) take the same faults. */
static int faulty_fcntl(int (*real)(int, int, ...), int fd, int cmd, void *arg)
{
    if (cmd == F_ADD_SEALS && active == CF_FAULT_FCNTL_ADD_SEALS_IGNORED &&
        kind_of(fd) == FD_SHMLAB_MEMFD)
        return 0;
    int r = real(fd, cmd, arg);
    if (r > 0 && cmd == F_GET_SEALS && active == CF_FAULT_FCNTL_GET_SEALS_DROPS_SEAL_SEAL &&
        kind_of(fd) == FD_SHMLAB_MEMFD)
        r &= ~F_SEAL_SEAL;
    return r;
}

#define FAULTY_FCNTL(name)                              \
    int name(int fd, int cmd, ...)                      \
    {                                                   \
        va_list ap;                                     \
        va_start(ap, cmd);                              \
        void *arg = va_arg(ap, void *);                 \
        va_end(ap);                                     \
        REAL(name);                                     \
        return faulty_fcntl(real_##name, fd, cmd, arg); \
    }
FAULTY_FCNTL(fcntl)
FAULTY_FCNTL(fcntl64)

int mprotect(void *addr, size_t len, int prot)
{
    REAL(mprotect);
    int r = real_mprotect(addr, len, prot);
    if (r != 0 && errno == EACCES && (prot & PROT_WRITE) &&
        active == CF_FAULT_MPROTECT_EACCES_SUCCEEDS)
        return 0;
    return r;
}
