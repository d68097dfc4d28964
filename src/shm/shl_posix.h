/* POSIX shared memory (the tutorial's section 3): shm_open, ftruncate, fstat, mmap,
 * shm_unlink. */
#ifndef SHMLAB_SHL_POSIX_H
#define SHMLAB_SHL_POSIX_H

#include <stddef.h>
#include <sys/types.h>

#include "src/core/shl_error.h"
#include "src/shm/shl_file.h" /* SHL_CREATE_* */

#ifdef __cplusplus
extern "C" {
#endif

/* Checks the portable name rule: one leading '/', no other '/', 1..NAME_MAX characters
 * after it, and not "/." or "/..". EINVAL or ENAMETOOLONG in err otherwise. */
int shl_posix_name_check(const char *name, struct shl_error *err);

/* shm_open(name, O_CREAT|O_EXCL|O_RDWR, mode) (without O_EXCL under SHL_CREATE_REUSE, with
 * O_TRUNC under SHL_CREATE_TRUNC), then ftruncate to `size`. On failure an object it
 * created is unlinked again; *created says whether the object is new. */
int shl_posix_create(const char *name, size_t size, mode_t mode, unsigned flags, int *fd,
                     int *created, struct shl_error *err);

/* shm_open of an existing object; `oflag` is O_RDONLY or O_RDWR, optionally | O_TRUNC. */
int shl_posix_open(const char *name, int oflag, int *fd, struct shl_error *err);

/* shm_unlink(name). */
int shl_posix_unlink(const char *name, struct shl_error *err);

#ifdef __cplusplus
}
#endif

#endif
