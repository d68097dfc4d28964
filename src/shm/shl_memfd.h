/* memfd_create(2) shared memory, the fourth mechanism: an anonymous file in RAM that can be
 * sealed against change (fcntl(2), "File seals").
 *
 * A memfd has no name in any namespace. The name given to memfd_create is only a label that
 * /proc shows ("/memfd:LABEL (deleted)"), so two objects may share it and nothing can look
 * it up. Another process reaches the object in one of two ways:
 *   - it inherits the descriptor across fork (or receives it over a Unix socket): the way
 *     shmlab's own peers use, because it needs neither /proc nor permission to trace;
 *   - it opens /proc/PID/fd/N (shl_memfd_path), which needs /proc and the right to ptrace
 *     the owner (same user, ptrace_scope permitting), and gives a new open file of the same
 *     object, with the same seals.
 * Nothing outlives the last descriptor and mapping, so a memfd needs no cleanup registry:
 * a crash leaves nothing behind. */
#ifndef SHMLAB_SHL_MEMFD_H
#define SHMLAB_SHL_MEMFD_H

#include <stddef.h>
#include <sys/types.h>

#include "src/core/shl_error.h"
#include "src/shm/shl_file.h" /* SHL_CREATE_RESERVE */

#ifdef __cplusplus
extern "C" {
#endif

/* The longest label memfd_create takes, NUL excluded (memfd_create(2), ERRORS). */
#define SHL_MEMFD_LABEL_MAX 249

/* memfd_create(label, MFD_CLOEXEC | MFD_ALLOW_SEALING), fchmod to `mode` (a memfd starts
 * as 0777, and the mode decides who may open it through /proc/PID/fd/N), then ftruncate to
 * `size` (and posix_fallocate under SHL_CREATE_RESERVE). Closed again on failure. */
int shl_memfd_create(const char *label, size_t size, mode_t mode, unsigned flags, int *fd,
                     struct shl_error *err);

/* "/proc/PID/fd/N" for this process's descriptor fd, the path another process may open
 * with shl_memfd_open. buf needs at least 64 bytes. */
int shl_memfd_path(int fd, char *buf, size_t len, struct shl_error *err);

/* Opens a memfd by its /proc/PID/fd/N path; `oflag` is O_RDONLY or O_RDWR. Anything that
 * is not a memfd is refused with EINVAL, so a reused descriptor number cannot hand out an
 * unrelated file. */
int shl_memfd_open(const char *path, int oflag, int *fd, struct shl_error *err);

/* fcntl(F_ADD_SEALS) of F_SEAL_* bits; EPERM once F_SEAL_SEAL is set (or the memfd was made
 * without MFD_ALLOW_SEALING), EBUSY for F_SEAL_WRITE while a writable shared mapping
 * exists. */
int shl_memfd_add_seals(int fd, unsigned seals, struct shl_error *err);

/* fcntl(F_GET_SEALS) into *seals. */
int shl_memfd_get_seals(int fd, unsigned *seals, struct shl_error *err);

#ifdef __cplusplus
}
#endif

#endif
