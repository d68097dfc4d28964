#include "conformance/harness/cf_safe.h"

#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_names.h"
#include "conformance/harness/cf_report.h"
#include "src/core/shl_name.h"

#define BROKEN_ERRNO(file, line, what) \
    cf_broken_at(file, line, "%s: %s", what, cf_errno_name(errno))

void cf_track_posix(const char *name)
{
    cf_record(CF_REC_POSIX, "%s", name);
}

void cf_track_file(const char *path)
{
    cf_record(CF_REC_FILE, "%s", path);
}

void cf_track_sysv(int shmid)
{
    cf_record(CF_REC_SYSV, "%d %ld", shmid, (long)getpid());
}

void cf_unique_name(char name[CF_NAME_MAX])
{
    struct shl_error err;
    if (shl_name_posix(name, CF_NAME_MAX, &err) != 0)
        cf_broken_at(__FILE__, __LINE__, "unique name: %s", cf_errno_name(err.errnum));
}

key_t cf_unique_key(void)
{
    struct shl_error err;
    key_t key;
    if (shl_name_key(&key, &err) != 0)
        cf_broken_at(__FILE__, __LINE__, "unique key: %s", cf_errno_name(err.errnum));
    return key;
}

const char *cf_tmp_dir(void)
{
    /* Bazel gives each test a private folder; elsewhere use the usual one. */
    const char *dir = getenv("TEST_TMPDIR");
    if (dir == NULL || dir[0] == '\0')
        dir = getenv("TMPDIR");
    return dir != NULL && dir[0] != '\0' ? dir : "/tmp";
}

void cf_unique_path(char path[CF_PATH_MAX])
{
    char name[CF_NAME_MAX];
    cf_unique_name(name);
    snprintf(path, CF_PATH_MAX, "%s%s", cf_tmp_dir(), name);
    cf_track_file(path);
}

long cf_page_size(void)
{
    long page = sysconf(_SC_PAGESIZE);
    if (page <= 0)
        cf_broken_at(__FILE__, __LINE__, "sysconf(_SC_PAGESIZE) failed");
    return page;
}

const char *cf_kernel_release(void)
{
    static struct utsname u;
    if (u.release[0] == '\0' && uname(&u) != 0)
        snprintf(u.release, sizeof u.release, "unknown");
    return u.release;
}

int cf_kernel_at_least(int major, int minor)
{
    int have_major = 0, have_minor = 0;
    if (sscanf(cf_kernel_release(), "%d.%d", &have_major, &have_minor) != 2)
        return 0;
    return have_major > major || (have_major == major && have_minor >= minor);
}

int cf_safe_tmpfile(size_t size, char *path_out, const char *file, int line)
{
    char path[CF_PATH_MAX];
    cf_unique_path(path);
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        BROKEN_ERRNO(file, line, "open(new temporary file)");
    if (ftruncate(fd, (off_t)size) != 0)
        BROKEN_ERRNO(file, line, "ftruncate(temporary file)");
    if (path_out != NULL)
        memcpy(path_out, path, strlen(path) + 1);
    return fd;
}

int cf_safe_open(const char *path, int flags, mode_t mode, const char *file, int line)
{
    int fd = open(path, flags, mode);
    if (fd < 0)
        BROKEN_ERRNO(file, line, "open");
    return fd;
}

void cf_safe_close(int fd, const char *file, int line)
{
    if (close(fd) != 0)
        BROKEN_ERRNO(file, line, "close");
}

void cf_safe_ftruncate(int fd, off_t len, const char *file, int line)
{
    if (ftruncate(fd, len) != 0)
        BROKEN_ERRNO(file, line, "ftruncate");
}

void cf_safe_pwrite(int fd, const void *buf, size_t len, off_t off, const char *file, int line)
{
    ssize_t n = pwrite(fd, buf, len, off);
    if (n < 0)
        BROKEN_ERRNO(file, line, "pwrite");
    if ((size_t)n != len)
        cf_broken_at(file, line, "pwrite wrote %zd of %zu bytes", n, len);
}

void cf_safe_pread(int fd, void *buf, size_t len, off_t off, const char *file, int line)
{
    ssize_t n = pread(fd, buf, len, off);
    if (n < 0)
        BROKEN_ERRNO(file, line, "pread");
    if ((size_t)n != len)
        cf_broken_at(file, line, "pread read %zd of %zu bytes", n, len);
}

void cf_safe_fstat(int fd, struct stat *st, const char *file, int line)
{
    if (fstat(fd, st) != 0)
        BROKEN_ERRNO(file, line, "fstat");
}

void *cf_safe_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off, const char *file,
                   int line)
{
    void *p = mmap(addr, len, prot, flags, fd, off);
    if (p == MAP_FAILED)
        BROKEN_ERRNO(file, line, "mmap");
    return p;
}

void cf_safe_munmap(void *addr, size_t len, const char *file, int line)
{
    if (munmap(addr, len) != 0)
        BROKEN_ERRNO(file, line, "munmap");
}

int cf_safe_shm_new(size_t size, char *name_out, const char *file, int line)
{
    char name[CF_NAME_MAX];
    cf_unique_name(name);
    cf_track_posix(name);
    int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
    if (fd < 0)
        BROKEN_ERRNO(file, line, "shm_open(new object)");
    if (ftruncate(fd, (off_t)size) != 0)
        BROKEN_ERRNO(file, line, "ftruncate(shm object)");
    if (name_out != NULL)
        memcpy(name_out, name, strlen(name) + 1);
    return fd;
}

int cf_safe_memfd(unsigned flags, size_t size, char *label_out, const char *file, int line)
{
    char name[CF_NAME_MAX];
    cf_unique_name(name);
    int fd = memfd_create(name + 1, flags);
    if (fd < 0 && errno == ENOSYS)
        cf_skip_at(file, line, "memfd_create: ENOSYS (no memfd_create here)");
    if (fd < 0)
        BROKEN_ERRNO(file, line, "memfd_create");
    if (ftruncate(fd, (off_t)size) != 0)
        BROKEN_ERRNO(file, line, "ftruncate(memfd)");
    if (label_out != NULL)
        memcpy(label_out, name + 1, strlen(name));
    return fd;
}

void cf_unknown_since_at(int major, int minor, const char *what, const char *file, int line)
{
    struct utsname u;
    int have_major = 0, have_minor = 0;
    if (uname(&u) != 0 || sscanf(u.release, "%d.%d", &have_major, &have_minor) != 2)
        cf_skip_at(file, line, "%s is unknown here, and the kernel release cannot be read", what);
    if (have_major < major || (have_major == major && have_minor < minor))
        cf_skip_at(file, line, "%s is unknown to Linux %s (it came in %d.%d)", what, u.release,
                   major, minor);
    cf_fail_at(file, line,
               "%s is refused as unknown, yet the kernel is Linux %s, which has it since "
               "%d.%d: something in between (an emulator, a sandbox, the libc) drops it",
               what, u.release, major, minor);
    cf_end_failed();
}

int cf_safe_shmget(key_t key, size_t size, int flags, const char *file, int line)
{
    int id = shmget(key, size, flags);
    if (id < 0)
        BROKEN_ERRNO(file, line, "shmget");
    if (flags & IPC_CREAT)
        cf_track_sysv(id);
    return id;
}

void *cf_safe_shmat(int shmid, const void *addr, int flags, const char *file, int line)
{
    void *p = shmat(shmid, addr, flags);
    if (p == (void *)-1)
        BROKEN_ERRNO(file, line, "shmat");
    return p;
}

void cf_safe_shmdt(const void *addr, const char *file, int line)
{
    if (shmdt(addr) != 0)
        BROKEN_ERRNO(file, line, "shmdt");
}

void cf_safe_shmctl(int shmid, int cmd, struct shmid_ds *buf, const char *file, int line)
{
    if (shmctl(shmid, cmd, buf) < 0)
        BROKEN_ERRNO(file, line, "shmctl");
}

/* ---- Shared by the System V and POSIX shm cases ---- */

void cf_safe_shm_limits(struct shminfo *limits, const char *file, int line)
{
    if (shmctl(0, IPC_INFO, (struct shmid_ds *)(void *)limits) < 0)
        BROKEN_ERRNO(file, line, "shmctl(IPC_INFO)");
    cf_info("SHMMIN=%lu SHMMAX=%lu SHMMNI=%lu SHMALL=%lu", (unsigned long)limits->shmmin,
            (unsigned long)limits->shmmax, (unsigned long)limits->shmmni,
            (unsigned long)limits->shmall);
}

struct shmid_ds cf_safe_shm_stat(int shmid, const char *file, int line)
{
    struct shmid_ds ds;
    cf_safe_shmctl(shmid, IPC_STAT, &ds, file, line);
    return ds;
}

int cf_safe_shm_open(const char *name, int flags, const char *file, int line)
{
    int fd = shm_open(name, flags, 0);
    if (fd < 0)
        BROKEN_ERRNO(file, line, "shm_open(existing object)");
    return fd;
}

/* ---- File-mapping support (mmap cases) ---- */

#include <signal.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <time.h>

unsigned char cf_pattern_byte(off_t off)
{
    return (unsigned char)(1 + (off * 7 + off / 4096 * 13) % 251);
}

long cf_pattern_mismatch(const volatile unsigned char *buf, size_t len, off_t off)
{
    for (size_t i = 0; i < len; i++)
        if (buf[i] != cf_pattern_byte(off + (off_t)i))
            return (long)(off + (off_t)i);
    return -1;
}

long cf_first_nonzero(const volatile unsigned char *p, long from, long to)
{
    for (long i = from; i < to; i++)
        if (p[i] != 0)
            return i;
    return -1;
}

int cf_safe_pattern_file(size_t size, char *path_out, const char *file, int line)
{
    int fd = cf_safe_tmpfile(0, path_out, file, line);
    unsigned char chunk[4096];
    for (size_t done = 0; done < size;) {
        size_t n = size - done < sizeof chunk ? size - done : sizeof chunk;
        for (size_t i = 0; i < n; i++)
            chunk[i] = cf_pattern_byte((off_t)(done + i));
        cf_safe_pwrite(fd, chunk, n, (off_t)done, file, line);
        done += n;
    }
    return fd;
}

uint32_t cf_info_filesystem(int fd)
{
    static const struct {
        uint32_t magic;
        const char *name;
    } known[] = {
        {0xEF53, "ext2/3/4"}, {0x01021994, "tmpfs"}, {0x858458f6, "ramfs"},
        {0x58465342, "xfs"},  {0x9123683E, "btrfs"}, {0x794c7630, "overlayfs"},
        {0x6969, "nfs"},      {0x65735546, "fuse"},  {0xF2F52010, "f2fs"},
        {0x2fc12fc1, "zfs"},
    };
    struct statfs sfs;
    if (fstatfs(fd, &sfs) != 0)
        cf_broken_at(__FILE__, __LINE__, "fstatfs: %s", cf_errno_name(errno));
    /* Magic numbers are 32 bits; f_type is a signed word, 32 bits on a 32-bit ABI, where a
     * magic such as ramfs's 0x858458f6 reads as negative. */
    uint32_t type = (uint32_t)sfs.f_type;
    const char *name = "unknown";
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (type == known[i].magic)
            name = known[i].name;
    cf_info("filesystem %s (f_type 0x%08" PRIx32 ")", name, type);
    return type;
}

int cf_safe_reopen(const char *path, int fd, int flags, const char *file, int line)
{
    cf_safe_close(fd, file, line);
    return cf_safe_open(path, flags, 0, file, line);
}

void cf_safe_pipe(int fds[2], const char *file, int line)
{
    if (pipe(fds) != 0)
        BROKEN_ERRNO(file, line, "pipe");
}

void cf_safe_msync(void *addr, size_t len, int flags, const char *file, int line)
{
    if (msync(addr, len, flags) != 0)
        BROKEN_ERRNO(file, line, "msync");
}

char *cf_free_range(size_t len)
{
    char *p = cf_safe_mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0, __FILE__,
                           __LINE__);
    cf_safe_munmap(p, len, __FILE__, __LINE__);
    return p;
}

int cf_spin_until(volatile char *at, char want, int seconds)
{
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (unsigned long i = 1;; i++) {
        if (*at == want)
            return 0;
        if (i % 4096 == 0) {
            clock_gettime(CLOCK_MONOTONIC, &now);
            if (now.tv_sec - start.tv_sec > seconds)
                return -1;
        }
    }
}

static int fault_report_fd = -1;

static void report_fault(int sig, siginfo_t *info, void *context)
{
    (void)context;
    struct cf_fault f = {sig, info->si_code, info->si_addr};
    ssize_t ignored = write(fault_report_fd, &f, sizeof f);
    (void)ignored;
    _exit(0);
}

struct cf_fault cf_catch_fault_at(void (*fn)(void *), void *arg, const char *file, int line)
{
    int fds[2];
    cf_safe_pipe(fds, file, line);
    pid_t pid = cf_fork_at(file, line);
    if (pid == 0) {
        close(fds[0]);
        fault_report_fd = fds[1];
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = report_fault;
        sa.sa_flags = SA_SIGINFO;
        sigemptyset(&sa.sa_mask);
        if (sigaction(SIGSEGV, &sa, NULL) != 0 || sigaction(SIGBUS, &sa, NULL) != 0)
            BROKEN_ERRNO(file, line, "sigaction");
        fn(arg);
        struct cf_fault none = {0, 0, NULL};
        ssize_t ignored = write(fds[1], &none, sizeof none);
        (void)ignored;
        _exit(0);
    }
    close(fds[1]);
    struct cf_fault f = {-1, 0, NULL};
    ssize_t n = read(fds[0], &f, sizeof f);
    close(fds[0]);
    cf_reap_at(pid, file, line);
    if (n != (ssize_t)sizeof f) {
        cf_fail_at(file, line, "the function neither returned nor faulted with a report");
        f.signo = -1;
    }
    return f;
}

time_t cf_kernel_seconds(void)
{
    struct timespec now;
    if (clock_gettime(CLOCK_REALTIME_COARSE, &now) != 0)
        cf_broken_at(__FILE__, __LINE__, "clock_gettime(CLOCK_REALTIME_COARSE): %s",
                     cf_errno_name(errno));
    return now.tv_sec;
}

long cf_smaps_kb(const void *start, const char *const *fields)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    if (f == NULL)
        return -1;
    char line[512];
    long total = -1;
    int inside = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        unsigned long from, to;
        if (sscanf(line, "%lx-%lx ", &from, &to) == 2) {
            /* A mapping's header line: "start-end perms offset dev inode path". */
            if (inside)
                break;
            inside = from == (unsigned long)start;
            if (inside)
                total = 0;
            continue;
        }
        char name[64];
        long kb;
        if (!inside || sscanf(line, "%63[^:]: %ld kB", name, &kb) != 2)
            continue;
        for (const char *const *field = fields; *field != NULL; field++)
            if (strcmp(name, *field) == 0)
                total += kb;
    }
    fclose(f);
    return total;
}

void cf_lock_or_skip(void *p, size_t len)
{
    if (mlock(p, len) != 0) {
        int err = errno;
        struct rlimit rl;
        getrlimit(RLIMIT_MEMLOCK, &rl);
        cf_skip_at(__FILE__, __LINE__, "mlock of %zu bytes failed (%s; RLIMIT_MEMLOCK %llu bytes)",
                   len, cf_errno_name(err), (unsigned long long)rl.rlim_cur);
    }
    static const char *const locked[] = {"Locked", NULL};
    long locked_kb = cf_smaps_kb(p, locked);
    if (locked_kb < 0)
        cf_skip_at(__FILE__, __LINE__,
                   "/proc/self/smaps is missing or lists no mapping at %p "
                   "(under an emulator it describes the emulator, not the program), so the "
                   "lock cannot be confirmed",
                   p);
    if (locked_kb == 0)
        cf_skip_at(__FILE__, __LINE__,
                   "mlock() returned 0 but /proc/self/smaps shows 0 kB "
                   "locked (an interposer such as AddressSanitizer makes mlock a no-op)");
}
