#include "src/shm/shl_segment.h"

#include <string.h>
#include <sys/mman.h>

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
