/* mmap, msync and munmap with their real failure conventions (MAP_FAILED, not NULL), shared
 * by the file and POSIX mechanisms. */
#ifndef SHMLAB_SHL_MAP_H
#define SHMLAB_SHL_MAP_H

#include <stddef.h>
#include <sys/types.h>

#include "src/core/shl_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One mapping or attachment: where it starts and how many bytes it covers. */
struct shl_map {
    void *addr; /* NULL when nothing is mapped */
    size_t len;
};

/* mmap(addr, len, prot, flags, fd, off) into *out. `flags` are mmap's own (MAP_SHARED or
 * MAP_PRIVATE, plus e.g. MAP_FIXED_NOREPLACE). */
int shl_map_fd(int fd, void *addr, size_t len, int prot, int flags, off_t off, struct shl_map *out,
               struct shl_error *err);

/* msync of the whole mapping; flags MS_SYNC or MS_ASYNC, optionally | MS_INVALIDATE. */
int shl_map_sync(const struct shl_map *map, int flags, struct shl_error *err);

/* munmap of the whole mapping; clears *map on success. Unmapping nothing succeeds. */
int shl_map_unmap(struct shl_map *map, struct shl_error *err);

/* Writes one byte into every page (or only reads it when `write` is 0), so that the cost
 * of faulting the pages in is paid now; returns a value derived from what it read so that
 * the compiler cannot drop the reads. */
unsigned shl_map_touch(const struct shl_map *map, int write);

/* The system's page size (sysconf), read at run time. */
size_t shl_page_size(void);

#ifdef __cplusplus
}
#endif

#endif
