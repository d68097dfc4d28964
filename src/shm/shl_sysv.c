#include "src/shm/shl_sysv.h"

#include <errno.h>
#include <stdio.h>
#include <sys/shm.h>
#include <unistd.h>

#include "src/core/shl_limits.h"
#include "src/shm/shl_file.h" /* SHL_CREATE_REUSE */

int shl_sysv_ftok(const char *path, int proj, key_t *key, struct shl_error *err)
{
    if (proj < 1 || proj > 255)
        return shl_fail(err, "ftok", EINVAL, "project id %d is not 1..255", proj);
    key_t k = ftok(path, proj);
    if (k == (key_t)-1)
        return shl_fail(err, "ftok", errno, "%s", path);
    *key = k;
    return 0;
}

/* A limit under /proc/sys/kernel, or 0 when it cannot be read. */
static unsigned long long kernel_limit(const char *name)
{
    char path[64];
    unsigned long long value;
    snprintf(path, sizeof path, "/proc/sys/kernel/%s", name);
    return shl_limit_read(path, &value, NULL) == 0 ? value : 0;
}

/* Which limit a failed shmget(IPC_CREAT) of `size` bytes ran into, when it can be told:
 * EINVAL from a size above shmmax, ENOSPC from shmmni segments or shmall pages in use. */
static void limit_hit(size_t size, int errnum, char *buf, size_t len)
{
    buf[0] = '\0';
    if (errnum == EINVAL) {
        unsigned long long shmmax = kernel_limit("shmmax");
        if (shmmax > 0 && size > shmmax)
            snprintf(buf, len, " exceeds shmmax (%llu)", shmmax);
        return;
    }
    struct shm_info info;
    if (errnum != ENOSPC || shmctl(0, SHM_INFO, (struct shmid_ds *)(void *)&info) < 0)
        return;
    unsigned long long shmmni = kernel_limit("shmmni"), shmall = kernel_limit("shmall");
    unsigned long long page = (unsigned long long)sysconf(_SC_PAGESIZE);
    unsigned long long pages = (size + page - 1) / page;
    if (shmmni > 0 && (unsigned long long)info.used_ids >= shmmni)
        snprintf(buf, len, ": shmmni (%llu) reached, %d segments exist", shmmni, info.used_ids);
    else if (shmall > 0 && info.shm_tot + pages > shmall)
        snprintf(buf, len, " would exceed shmall (%llu pages, %llu in use)", shmall,
                 (unsigned long long)info.shm_tot);
}

int shl_sysv_create(key_t key, size_t size, mode_t mode, unsigned flags, int *shmid, int *created,
                    struct shl_error *err)
{
    int perms = (int)(mode & 0777);
    *created = 0;
    if ((flags & SHL_CREATE_REUSE) && key != IPC_PRIVATE) {
        /* shmget(IPC_CREAT) without IPC_EXCL cannot say whether it made the segment, and
         * only a segment this call made may be removed on a failure path. */
        int id = shmget(key, size, 0);
        if (id >= 0) {
            *shmid = id;
            return 0;
        }
        if (errno != ENOENT)
            return shl_fail(err, "shmget", errno, "key 0x%08x", (unsigned)key);
    }
    int id = shmget(key, size, IPC_CREAT | IPC_EXCL | perms);
    if (id < 0) {
        int saved = errno;
        char limit[96];
        limit_hit(size, saved, limit, sizeof limit);
        return shl_fail(err, "shmget", saved, "key 0x%08x, %zu bytes%s", (unsigned)key, size,
                        limit);
    }
    *shmid = id;
    *created = 1;
    return 0;
}

int shl_sysv_open(key_t key, int *shmid, struct shl_error *err)
{
    int id = shmget(key, 0, 0);
    if (id < 0)
        return shl_fail(err, "shmget", errno, "key 0x%08x", (unsigned)key);
    *shmid = id;
    return 0;
}

int shl_sysv_attach(int shmid, const void *addr, int shmflg, void **out, struct shl_error *err)
{
    void *p = shmat(shmid, addr, shmflg);
    if (p == (void *)-1)
        return shl_fail(err, "shmat", errno, "shmid %d", shmid);
    *out = p;
    return 0;
}

int shl_sysv_detach(const void *addr, struct shl_error *err)
{
    if (shmdt(addr) != 0)
        return shl_fail(err, "shmdt", errno, "%p", addr);
    return 0;
}

int shl_sysv_stat(int shmid, struct shmid_ds *ds, struct shl_error *err)
{
    if (shmctl(shmid, IPC_STAT, ds) != 0)
        return shl_fail(err, "shmctl", errno, "IPC_STAT of shmid %d", shmid);
    return 0;
}

int shl_sysv_set(int shmid, uid_t uid, gid_t gid, mode_t mode, struct shl_error *err)
{
    struct shmid_ds ds;
    if (shl_sysv_stat(shmid, &ds, err) != 0)
        return -1;
    ds.shm_perm.uid = uid;
    ds.shm_perm.gid = gid;
    ds.shm_perm.mode = (unsigned short)(mode & 0777);
    if (shmctl(shmid, IPC_SET, &ds) != 0)
        return shl_fail(err, "shmctl", errno, "IPC_SET of shmid %d", shmid);
    return 0;
}

int shl_sysv_remove(int shmid, struct shl_error *err)
{
    if (shmctl(shmid, IPC_RMID, NULL) != 0)
        return shl_fail(err, "shmctl", errno, "IPC_RMID of shmid %d", shmid);
    return 0;
}

uintptr_t shl_sysv_round(uintptr_t addr)
{
    return addr - addr % (uintptr_t)SHMLBA;
}
