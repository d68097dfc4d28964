#include "src/shm/shl_segment.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/shm/shl_sysv.h"

int shl_segment_create(struct shl_segment *seg, enum shl_mech mech, size_t size,
                       struct shl_error *err)
{
    memset(seg, 0, sizeof *seg);
    seg->mech = mech;
    struct shl_shm_spec spec = {
        .mech = mech,
        .size = size,
        .mode = 0600,
        /* Reserving the blocks turns a full /dev/shm or disk into ENOSPC here, not a
         * SIGBUS on first touch; System V segments are charged at shmget already. */
        .flags = mech == SHL_MECH_SYSV ? 0 : SHL_CREATE_RESERVE,
    };
    struct shl_shm obj;
    if (shl_shm_create(&obj, &spec, err) != 0)
        return -1;
    int rc = shl_shm_map(&obj, NULL, 0, PROT_READ | PROT_WRITE, 0, &seg->map, err);
    struct shl_error ignored;
    if (shl_shm_destroy(&obj, rc == 0 ? err : &ignored) != 0 && rc == 0)
        rc = -1;
    if (rc != 0) {
        shl_segment_release(seg);
        return -1;
    }
    shl_map_touch(&seg->map, 1);
    return 0;
}

static int map_unnamed(struct shl_segment *seg, size_t size, int fd, struct shl_error *err)
{
    void *addr = mmap(NULL, size, PROT_READ | PROT_WRITE,
                      fd < 0 ? MAP_SHARED | MAP_ANONYMOUS : MAP_SHARED, fd, 0);
    if (addr == MAP_FAILED)
        return shl_fail(err, "mmap", errno, "%zu bytes%s", size,
                        fd < 0 ? ", MAP_ANONYMOUS" : " of a memfd");
    seg->map = (struct shl_map){.addr = addr, .len = size};
    shl_map_touch(&seg->map, 1);
    return 0;
}

int shl_segment_create_anon(struct shl_segment *seg, size_t size, struct shl_error *err)
{
    memset(seg, 0, sizeof *seg);
    seg->mech = (enum shl_mech)SHL_MECH_COUNT;
    return map_unnamed(seg, size, -1, err);
}

int shl_segment_create_memfd(struct shl_segment *seg, size_t size, struct shl_error *err)
{
    memset(seg, 0, sizeof *seg);
    seg->mech = (enum shl_mech)SHL_MECH_COUNT;
    int fd = memfd_create("shmlab-ring", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0)
        return shl_fail(err, "memfd_create", errno, "ring segment");
    int rc = 0;
    const unsigned want = F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL;
    int got;
    if (fchmod(fd, 0600) != 0)
        rc = shl_fail(err, "fchmod", errno, "memfd");
    else if (ftruncate(fd, (off_t)size) != 0)
        rc = shl_fail(err, "ftruncate", errno, "memfd of %zu bytes", size);
    else if (fcntl(fd, F_ADD_SEALS, want) != 0)
        rc = shl_fail(err, "fcntl", errno, "F_ADD_SEALS on the memfd");
    else if ((got = fcntl(fd, F_GET_SEALS)) < 0 || ((unsigned)got & want) != want)
        rc = shl_fail(err, "fcntl", got < 0 ? errno : EPERM, "F_GET_SEALS: %#x, not %#x", got,
                      want);
    else
        seg->seals = (unsigned)got;
    if (rc == 0)
        rc = map_unnamed(seg, size, fd, err);
    close(fd); /* the mapping keeps the memory; fork shares the mapping */
    return rc;
}

const char *shl_segment_seals_text(unsigned seals, char *buf, size_t len)
{
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = {{F_SEAL_SEAL, "F_SEAL_SEAL"},
                 {F_SEAL_SHRINK, "F_SEAL_SHRINK"},
                 {F_SEAL_GROW, "F_SEAL_GROW"},
                 {F_SEAL_WRITE, "F_SEAL_WRITE"},
                 {F_SEAL_FUTURE_WRITE, "F_SEAL_FUTURE_WRITE"}};
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if ((seals & names[i].bit) && used < len)
            used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? "|" : "",
                                     names[i].name);
    return buf;
}

void shl_segment_release(struct shl_segment *seg)
{
    if (seg->map.addr == NULL)
        return;
    if (seg->mech == SHL_MECH_SYSV) {
        if (shl_sysv_detach(seg->map.addr, NULL) == 0)
            memset(&seg->map, 0, sizeof seg->map);
        return;
    }
    shl_map_unmap(&seg->map, NULL);
}
