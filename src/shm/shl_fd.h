/* What a file and a POSIX shared-memory object have in common once open: a descriptor
 * whose size is set with ftruncate and read with fstat. */
#ifndef SHMLAB_SHL_FD_H
#define SHMLAB_SHL_FD_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "src/core/shl_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ftruncate(fd, size); `what` names the object in the error. */
int shl_fd_resize(int fd, size_t size, const char *what, struct shl_error *err);

/* Reserves the blocks of the first `size` bytes (posix_fallocate), so that a full
 * filesystem or a small /dev/shm fails here with ENOSPC instead of killing the first
 * process that touches an unbacked page with SIGBUS. */
int shl_fd_reserve(int fd, size_t size, const char *what, struct shl_error *err);

/* fstat(fd) into *st. */
int shl_fd_stat(int fd, struct stat *st, const char *what, struct shl_error *err);

/* Fails unless fd is a regular file (or shm object) of at least `min` bytes; stores its
 * size. Call it before mapping, so that a short object is an error and not a SIGBUS. */
int shl_fd_require(int fd, size_t min, size_t *size, const char *what, struct shl_error *err);

/* close(fd) if fd >= 0. EINTR is not retried (the descriptor is gone on Linux). */
void shl_fd_close(int fd);

#ifdef __cplusplus
}
#endif

#endif
