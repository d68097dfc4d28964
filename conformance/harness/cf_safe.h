/* Set-up steps for case bodies, after LTP's SAFE_* macros: each either succeeds or ends the
 * case as BROKEN (set-up failed), so that a failing set-up is never mistaken for a rule
 * violation. Every object they create is registered for cleanup the moment it exists. */
#ifndef SHMLAB_CF_SAFE_H
#define SHMLAB_CF_SAFE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#include "conformance/harness/cf_userns.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CF_NAME_MAX 64
#define CF_PATH_MAX 4096

/* Register objects that a body creates with the call under test itself. Register a name
 * or path before the call that may create it, a System V id right after. */
void cf_track_posix(const char *name);
void cf_track_file(const char *path);
void cf_track_sysv(int shmid);

/* Unique names and keys for this case (shmlab-prefixed, unpredictable). */
void cf_unique_name(char name[CF_NAME_MAX]);
key_t cf_unique_key(void);
/* The folder where cases create files: $TEST_TMPDIR, else $TMPDIR, else /tmp. */
const char *cf_tmp_dir(void);
/* A path for a file that does not exist yet, in the test's temporary folder; registered. */
void cf_unique_path(char path[CF_PATH_MAX]);

long cf_page_size(void);

/* Whether the running kernel's release (uname) is at least major.minor: a skip that a
 * missing kernel feature would explain blames something else (an emulator, an interposer)
 * when the kernel is new enough to have it. */
int cf_kernel_at_least(int major, int minor);
/* uname's release, for messages. */
const char *cf_kernel_release(void);

int cf_safe_tmpfile(size_t size, char *path_out, const char *file, int line);
int cf_safe_open(const char *path, int flags, mode_t mode, const char *file, int line);
void cf_safe_close(int fd, const char *file, int line);
void cf_safe_ftruncate(int fd, off_t len, const char *file, int line);
void cf_safe_pwrite(int fd, const void *buf, size_t len, off_t off, const char *file, int line);
void cf_safe_pread(int fd, void *buf, size_t len, off_t off, const char *file, int line);
void cf_safe_fstat(int fd, struct stat *st, const char *file, int line);
void *cf_safe_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off, const char *file,
                   int line);
void cf_safe_munmap(void *addr, size_t len, const char *file, int line);
int cf_safe_shm_new(size_t size, char *name_out, const char *file, int line);
int cf_safe_shmget(key_t key, size_t size, int flags, const char *file, int line);
void *cf_safe_shmat(int shmid, const void *addr, int flags, const char *file, int line);
void cf_safe_shmdt(const void *addr, const char *file, int line);
void cf_safe_shmctl(int shmid, int cmd, struct shmid_ds *buf, const char *file, int line);

/* A new file of `size` bytes (zeros), opened O_RDWR; path_out may be NULL. */
#define SAFE_TMPFILE(size, path_out) cf_safe_tmpfile(size, path_out, __FILE__, __LINE__)
#define SAFE_OPEN(path, flags, mode) cf_safe_open(path, flags, mode, __FILE__, __LINE__)
#define SAFE_CLOSE(fd) cf_safe_close(fd, __FILE__, __LINE__)
#define SAFE_FTRUNCATE(fd, len) cf_safe_ftruncate(fd, len, __FILE__, __LINE__)
#define SAFE_PWRITE(fd, buf, len, off) cf_safe_pwrite(fd, buf, len, off, __FILE__, __LINE__)
#define SAFE_PREAD(fd, buf, len, off) cf_safe_pread(fd, buf, len, off, __FILE__, __LINE__)
#define SAFE_FSTAT(fd, st) cf_safe_fstat(fd, st, __FILE__, __LINE__)
#define SAFE_MMAP(addr, len, prot, flags, fd, off) \
    cf_safe_mmap(addr, len, prot, flags, fd, off, __FILE__, __LINE__)
#define SAFE_MUNMAP(addr, len) cf_safe_munmap(addr, len, __FILE__, __LINE__)
/* A new POSIX shm object of `size` bytes, O_RDWR, 0600; name_out (CF_NAME_MAX) may be NULL. */
#define SAFE_SHM_NEW(size, name_out) cf_safe_shm_new(size, name_out, __FILE__, __LINE__)
/* memfd_create(label, flags) with a unique "shmlab-" label (label_out, CF_NAME_MAX, may be
 * NULL), then ftruncate to `size`. Nothing to register: a memfd goes with the case's process.
 * Skips the case where the system has no memfd_create (ENOSYS). */
int cf_safe_memfd(unsigned flags, size_t size, char *label_out, const char *file, int line);
#define SAFE_MEMFD(flags, size, label_out) cf_safe_memfd(flags, size, label_out, __FILE__, __LINE__)
/* Ends a case whose feature (`what`, new in Linux major.minor) was refused as unknown: a SKIP
 * where uname reports an older kernel, a FAIL where it reports one that has the feature (an
 * emulator or libc in between does not pass it on). */
void cf_unknown_since_at(int major, int minor, const char *what, const char *file, int line)
    __attribute__((noreturn));
#define CF_UNKNOWN_SINCE(major, minor, what) \
    cf_unknown_since_at(major, minor, what, __FILE__, __LINE__)
#define SAFE_SHMGET(key, size, flags) cf_safe_shmget(key, size, flags, __FILE__, __LINE__)
#define SAFE_SHMAT(id, addr, flags) cf_safe_shmat(id, addr, flags, __FILE__, __LINE__)
#define SAFE_SHMDT(addr) cf_safe_shmdt(addr, __FILE__, __LINE__)
#define SAFE_SHMCTL(id, cmd, buf) cf_safe_shmctl(id, cmd, buf, __FILE__, __LINE__)

/* ---- File-mapping support (mmap cases) ---- */

/* The byte a pattern file holds at offset `off`: never 0, so a zero-filled byte shows, and
 * different on neighbouring pages, so a page mapped from the wrong offset shows. */
unsigned char cf_pattern_byte(off_t off);
/* The first offset in [off, off + len) whose byte in buf differs from the pattern, or -1. */
long cf_pattern_mismatch(const volatile unsigned char *buf, size_t len, off_t off);
/* The first offset i in [from, to) with p[i] != 0, or -1. */
long cf_first_nonzero(const volatile unsigned char *p, long from, long to);
int cf_safe_pattern_file(size_t size, char *path_out, const char *file, int line);
/* Reports the filesystem that holds fd (statfs f_type) as a platform fact; returns f_type,
 * the 32-bit magic number whatever the word size. */
uint32_t cf_info_filesystem(int fd);
int cf_safe_reopen(const char *path, int fd, int flags, const char *file, int line);
void cf_safe_pipe(int fds[2], const char *file, int line);
void cf_safe_msync(void *addr, size_t len, int flags, const char *file, int line);
/* The sum of the /proc/self/smaps fields named in `fields` (NULL-terminated) for the
 * mapping that starts at `start`, in kB, or -1 if it is not listed or smaps is unreadable. */
long cf_smaps_kb(const void *start, const char *const *fields);
/* mlock()s [p, p + len) and confirms in smaps that it is locked, or skips the case saying
 * why (RLIMIT_MEMLOCK, no smaps, an mlock that does nothing). */
void cf_lock_or_skip(void *p, size_t len);
/* `len` bytes of address space that nothing occupies (reserved, then released). */
char *cf_free_range(size_t len);

/* Waits without a system call (the clock is read through the vDSO where there is one)
 * until *at == want; 0 if it did within `seconds`, -1 otherwise. */
int cf_spin_until(volatile char *at, char want, int seconds);

/* How a function run by cf_catch_fault ended: signo 0 if it returned, else the fault's
 * signal number, si_code and si_addr. */
struct cf_fault {
    int signo;
    int code;
    void *addr;
};
/* Runs fn(arg) in a child process that reports a SIGSEGV or SIGBUS with its siginfo. */
struct cf_fault cf_catch_fault_at(void (*fn)(void *), void *arg, const char *file, int line);

/* A new file of `size` bytes holding cf_pattern_byte(i) at offset i, opened O_RDWR. */
#define SAFE_PATTERN_FILE(size, path_out) cf_safe_pattern_file(size, path_out, __FILE__, __LINE__)
/* Closes fd, the new file at path, and opens it again with `flags` (O_RDONLY, O_WRONLY). */
#define SAFE_REOPEN(path, fd, flags) cf_safe_reopen(path, fd, flags, __FILE__, __LINE__)
/* `len` bytes of read-write anonymous memory; `type` is MAP_SHARED or MAP_PRIVATE. */
#define SAFE_ANON(len, type) \
    SAFE_MMAP(NULL, len, PROT_READ | PROT_WRITE, (type) | MAP_ANONYMOUS, -1, 0)
#define SAFE_PIPE(fds) cf_safe_pipe(fds, __FILE__, __LINE__)
#define SAFE_MSYNC(addr, len, flags) cf_safe_msync(addr, len, flags, __FILE__, __LINE__)
#define CF_CATCH_FAULT(fn, arg) cf_catch_fault_at(fn, arg, __FILE__, __LINE__)

/* The wall-clock second as the kernel stamps IPC times (shm_atime, shm_ctime...): it uses
 * the coarse clock, and time() in some libcs (musl) reads a finer one that can already be a
 * second ahead, which would make a correct stamp look like it came from the past. */
time_t cf_kernel_seconds(void);

/* ---- Shared by the System V and POSIX shm cases ---- */

/* The System V limits from shmctl(IPC_INFO), also reported with cf_info(). */
void cf_safe_shm_limits(struct shminfo *limits, const char *file, int line);
#define SAFE_SHM_LIMITS(limits) cf_safe_shm_limits(limits, __FILE__, __LINE__)

/* shmctl(IPC_STAT) as a set-up step: the segment's current state. */
struct shmid_ds cf_safe_shm_stat(int shmid, const char *file, int line);
#define SAFE_SHM_STAT(id) cf_safe_shm_stat(id, __FILE__, __LINE__)

/* shm_open() of an existing object as a set-up step. */
int cf_safe_shm_open(const char *name, int flags, const char *file, int line);
#define SAFE_SHM_OPEN(name, flags) cf_safe_shm_open(name, flags, __FILE__, __LINE__)

#ifdef __cplusplus
}
#endif

#endif
