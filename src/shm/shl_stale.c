#include "src/shm/shl_stale.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/core/shl_name.h"

static int gone(pid_t pid)
{
    return pid > 0 && kill(pid, 0) != 0 && errno == ESRCH;
}

/* Visits the entries of `dir` named like shmlab's own and owned by this user: objects, and
 * in the file folder also the FIFOs of the fifo transport. */
static int scan_dir(const char *dir, enum shl_mech mech,
                    int (*fn)(const struct shl_stale *, void *), void *arg, struct shl_error *err)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return errno == ENOENT ? 0 : shl_fail(err, "opendir", errno, "%s", dir);
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        pid_t pid = shl_name_pid(e->d_name);
        struct stat st;
        if (pid < 0 || fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
            !(S_ISREG(st.st_mode) || (mech == SHL_MECH_FILE && S_ISFIFO(st.st_mode))) ||
            st.st_uid != geteuid())
            continue;
        struct shl_stale obj = {.mech = mech, .shmid = -1, .creator = pid, .stale = gone(pid)};
        int n = mech == SHL_MECH_POSIX
                    ? snprintf(obj.name, sizeof obj.name, "/%s", e->d_name)
                    : snprintf(obj.name, sizeof obj.name, "%s/%s", dir, e->d_name);
        if (n > 0 && (size_t)n < sizeof obj.name)
            rc = fn(&obj, arg);
    }
    closedir(d);
    return rc;
}

static int scan_sysv(int (*fn)(const struct shl_stale *, void *), void *arg, struct shl_error *err)
{
    struct shm_info info;
    int max = shmctl(0, SHM_INFO, (struct shmid_ds *)(void *)&info);
    if (max < 0)
        return shl_fail(err, "shmctl", errno, "SHM_INFO");
    int rc = 0;
    for (int i = 0; rc == 0 && i <= max; i++) {
        struct shmid_ds ds;
        int id = shmctl(i, SHM_STAT, &ds);
        if (id < 0 || !shl_key_is_ours(ds.shm_perm.__key) || ds.shm_perm.uid != geteuid())
            continue;
        struct shl_stale obj = {.mech = SHL_MECH_SYSV,
                                .key = ds.shm_perm.__key,
                                .shmid = id,
                                .creator = ds.shm_cpid,
                                .stale = gone(ds.shm_cpid) && ds.shm_nattch == 0};
        rc = fn(&obj, arg);
    }
    return rc;
}

int shl_stale_scan(const char *shm_dir, const char *file_dir,
                   int (*fn)(const struct shl_stale *obj, void *arg), void *arg,
                   struct shl_error *err)
{
    int rc = scan_dir(shm_dir, SHL_MECH_POSIX, fn, arg, err);
    if (rc == 0)
        rc = scan_dir(file_dir, SHL_MECH_FILE, fn, arg, err);
    if (rc == 0)
        rc = scan_sysv(fn, arg, err);
    return rc;
}

int shl_stale_remove(const struct shl_stale *obj, struct shl_error *err)
{
    struct shl_shm o = {
        .mech = obj->mech, .key = obj->key, .shmid = obj->shmid, .fd = -1, .cleanup_slot = -1};
    memcpy(o.name, obj->name, sizeof o.name);
    return shl_shm_destroy(&o, err);
}
