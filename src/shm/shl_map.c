#include "src/shm/shl_map.h"

#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

int shl_map_fd(int fd, void *addr, size_t len, int prot, int flags, off_t off, struct shl_map *out,
               struct shl_error *err)
{
    void *p = mmap(addr, len, prot, flags, fd, off);
    if (p == MAP_FAILED)
        return shl_fail(err, "mmap", errno, "%zu bytes", len);
    out->addr = p;
    out->len = len;
    return 0;
}

int shl_map_sync(const struct shl_map *map, int flags, struct shl_error *err)
{
    if (msync(map->addr, map->len, flags) != 0)
        return shl_fail(err, "msync", errno, "%zu bytes", map->len);
    return 0;
}

int shl_map_unmap(struct shl_map *map, struct shl_error *err)
{
    if (map->addr == NULL)
        return 0;
    if (munmap(map->addr, map->len) != 0)
        return shl_fail(err, "munmap", errno, "%zu bytes", map->len);
    map->addr = NULL;
    map->len = 0;
    return 0;
}

unsigned shl_map_touch(const struct shl_map *map, int write)
{
    size_t page = shl_page_size();
    volatile unsigned char *p = map->addr;
    unsigned sum = 0;
    for (size_t off = 0; off < map->len; off += page) {
        if (write)
            p[off] = (unsigned char)off;
        sum += p[off];
    }
    return sum;
}

size_t shl_page_size(void)
{
    long page = sysconf(_SC_PAGESIZE);
    return page > 0 ? (size_t)page : 4096;
}
