/* A segment that only the processes mapping it, and their forks, can reach: created with a
 * mechanism of shl_shm.h, mapped read-write and its name removed at once (unlink,
 * shm_unlink, IPC_RMID), so that nothing is left to leak even if every process is killed.
 * What lives in it (a ring, a header) is the caller's business. */
#ifndef SHMLAB_SHL_SEGMENT_H
#define SHMLAB_SHL_SEGMENT_H

#include <stddef.h>

#include "src/core/shl_error.h"
#include "src/shm/shl_shm.h"

#ifdef __cplusplus
extern "C" {
#endif

struct shl_segment {
    enum shl_mech mech; /* how it is unmapped: System V detaches, the others munmap */
    struct shl_map map; /* addr NULL when nothing is mapped */
};

/* Creates, maps and unnames `size` bytes (0600, exclusive), with every page faulted in
 * before return so that neither side pays for it in its first messages. On failure nothing
 * is left behind. */
int shl_segment_create(struct shl_segment *seg, enum shl_mech mech, size_t size,
                       struct shl_error *err);

/* Unmaps it in this process; the memory goes when the last process has. Safe to call twice
 * and on a segment that failed to be created. */
void shl_segment_release(struct shl_segment *seg);

#ifdef __cplusplus
}
#endif

#endif
