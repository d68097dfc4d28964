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
    enum shl_mech mech; /* how it is unmapped: System V detaches, the others munmap;
                         * SHL_MECH_COUNT for memory with no name (anon, memfd) */
    struct shl_map map; /* addr NULL when nothing is mapped */
    unsigned seals;     /* a memfd's seals (fcntl F_GET_SEALS), else 0 */
};

/* Creates, maps and unnames `size` bytes (0600, exclusive), with every page faulted in
 * before return so that neither side pays for it in its first messages. On failure nothing
 * is left behind. */
int shl_segment_create(struct shl_segment *seg, enum shl_mech mech, size_t size,
                       struct shl_error *err);

/* Memory with no name anywhere, shared with children by fork alone, so that nothing can be
 * left behind: mmap(MAP_SHARED | MAP_ANONYMOUS), or a memfd (memfd_create, MFD_CLOEXEC |
 * MFD_ALLOW_SEALING, 0600) sized and then sealed against growing, shrinking and further
 * seals (F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL, kept in seg->seals) before it is mapped
 * and its descriptor closed. Faulted in like the others. */
int shl_segment_create_anon(struct shl_segment *seg, size_t size, struct shl_error *err);
int shl_segment_create_memfd(struct shl_segment *seg, size_t size, struct shl_error *err);

/* "F_SEAL_SHRINK|F_SEAL_GROW|F_SEAL_SEAL" for those seals ("" for none) into buf. */
const char *shl_segment_seals_text(unsigned seals, char *buf, size_t len);

/* Unmaps it in this process; the memory goes when the last process has. Safe to call twice
 * and on a segment that failed to be created. */
void shl_segment_release(struct shl_segment *seg);

#ifdef __cplusplus
}
#endif

#endif
