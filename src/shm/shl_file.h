/* File mappings (the tutorial's section 1): a regular file, sized before it is mapped
 * because a mapping never changes a file's size. */
#ifndef SHMLAB_SHL_FILE_H
#define SHMLAB_SHL_FILE_H

#include <stddef.h>
#include <sys/types.h>

#include "src/core/shl_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Flags for shl_file_create and shl_posix_create (and shl_sysv_create for REUSE). */
#define SHL_CREATE_REUSE 0x1u   /* an existing object is opened instead of refused (EEXIST) */
#define SHL_CREATE_TRUNC 0x2u   /* with REUSE: an existing object's contents are discarded */
#define SHL_CREATE_RESERVE 0x4u /* reserve the blocks now (see shl_fd_reserve) */

/* Creates `path` read-write with `mode` (exclusively unless SHL_CREATE_REUSE) and sets
 * its size to `size` bytes. Refuses anything that is not a regular file. On failure
 * nothing it created is left behind; *created says whether the file is new. */
int shl_file_create(const char *path, size_t size, mode_t mode, unsigned flags, int *fd,
                    int *created, struct shl_error *err);

/* Opens an existing regular file with `oflag` (O_RDONLY or O_RDWR). */
int shl_file_open(const char *path, int oflag, int *fd, struct shl_error *err);

/* unlink(path). */
int shl_file_remove(const char *path, struct shl_error *err);

#ifdef __cplusplus
}
#endif

#endif
