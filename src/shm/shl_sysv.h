/* System V shared memory (the tutorial's section 2): keys, shmget, shmat, shmdt, shmctl. */
#ifndef SHMLAB_SHL_SYSV_H
#define SHMLAB_SHL_SYSV_H

#include <stddef.h>
#include <stdint.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/types.h>

#include "src/core/shl_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ftok(path, proj) into *key; proj must be 1..255 (ftok uses its low 8 bits only, and 0
 * would make every project of a file the same key on some systems). */
int shl_sysv_ftok(const char *path, int proj, key_t *key, struct shl_error *err);

/* shmget(key, size, IPC_CREAT|IPC_EXCL|mode) (without IPC_EXCL under SHL_CREATE_REUSE);
 * key may be IPC_PRIVATE. *created says whether the segment is new (always 1 without
 * REUSE), so that only a segment this call made is ever removed on a failure path. */
int shl_sysv_create(key_t key, size_t size, mode_t mode, unsigned flags, int *shmid, int *created,
                    struct shl_error *err);

/* shmget(key, 0, 0): the existing segment of `key`. */
int shl_sysv_open(key_t key, int *shmid, struct shl_error *err);

/* shmat(shmid, addr, shmflg): shmflg may hold SHM_RND (addr is rounded down to SHMLBA),
 * SHM_RDONLY, SHM_EXEC, SHM_REMAP. */
int shl_sysv_attach(int shmid, const void *addr, int shmflg, void **out, struct shl_error *err);

/* shmdt(addr). */
int shl_sysv_detach(const void *addr, struct shl_error *err);

/* shmctl(IPC_STAT). */
int shl_sysv_stat(int shmid, struct shmid_ds *ds, struct shl_error *err);

/* shmctl(IPC_SET) of owner, group and permission bits (the only fields IPC_SET changes). */
int shl_sysv_set(int shmid, uid_t uid, gid_t gid, mode_t mode, struct shl_error *err);

/* shmctl(IPC_RMID): the segment goes once the last process detaches. */
int shl_sysv_remove(int shmid, struct shl_error *err);

/* Where shmat with SHM_RND attaches for `addr`: addr - addr % SHMLBA. */
uintptr_t shl_sysv_round(uintptr_t addr);

#ifdef __cplusplus
}
#endif

#endif
