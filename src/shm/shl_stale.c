#include "src/shm/shl_stale.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/core/shl_name.h"

static const char *const kind_names[] = {
#define SHL_STALE_NAME(id, name) [SHL_STALE_##id] = name,
    SHL_STALE_KINDS(SHL_STALE_NAME)
#undef SHL_STALE_NAME
};

const char *shl_stale_kind_name(enum shl_stale_kind kind)
{
    return (unsigned)kind < sizeof kind_names / sizeof kind_names[0] ? kind_names[kind] : "?";
}

static int gone(pid_t pid)
{
    return pid > 0 && kill(pid, 0) != 0 && errno == ESRCH;
}

/* True when the folder `name` in `dir` holds nothing but a socket named SHL_NAME_SOCKET:
 * what shl_name_folder makes and a socket's transport binds in it, and nothing more. */
static int holds_only_its_socket(int dir, const char *name)
{
    int fd = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    DIR *d = fd < 0 ? NULL : fdopendir(fd);
    if (d == NULL) {
        if (fd >= 0)
            close(fd);
        return 0;
    }
    int only = 1;
    struct dirent *e;
    struct stat st;
    while (only && (e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            only = strcmp(e->d_name, SHL_NAME_SOCKET) == 0 &&
                   fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
                   S_ISSOCK(st.st_mode);
    closedir(d);
    return only;
}

/* What an entry of the shm folder (POSIX), the queue folder (POSIX_MQ) or the file folder
 * (FILE) is, if shmlab made it: an object, and in the file folder also a FIFO of the fifo
 * transport or a socket folder (0700, as mkdtemp makes it). -1 for anything else. */
static int kind_of(int dir, const char *name, const struct stat *st, enum shl_stale_kind folder)
{
    if (S_ISREG(st->st_mode))
        return folder;
    if (folder != SHL_STALE_FILE)
        return -1;
    if (S_ISFIFO(st->st_mode))
        return SHL_STALE_FILE;
    if (S_ISDIR(st->st_mode) && (st->st_mode & 07777) == 0700 && shl_name_is_folder(name) &&
        holds_only_its_socket(dir, name))
        return SHL_STALE_FOLDER;
    return -1;
}

/* Visits the entries of `dir` named like shmlab's own and owned by this user. */
static int scan_dir(const char *dir, enum shl_stale_kind folder,
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
        int kind;
        if (pid < 0 || fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
            st.st_uid != geteuid() || (kind = kind_of(dirfd(d), e->d_name, &st, folder)) < 0)
            continue;
        struct shl_stale obj = {
            .kind = (enum shl_stale_kind)kind, .id = -1, .creator = pid, .stale = gone(pid)};
        int n = kind == SHL_STALE_POSIX || kind == SHL_STALE_POSIX_MQ
                    ? snprintf(obj.name, sizeof obj.name, "/%s", e->d_name)
                    : snprintf(obj.name, sizeof obj.name, "%s/%s", dir, e->d_name);
        if (n > 0 && (size_t)n < sizeof obj.name)
            rc = fn(&obj, arg);
    }
    closedir(d);
    return rc;
}

/* The segment at index i of the kernel's table, if it is shmlab's and this user's: 1 with
 * *obj filled, else 0. */
static int segment_at(int i, struct shl_stale *obj)
{
    struct shmid_ds ds;
    int id = shmctl(i, SHM_STAT, &ds);
    if (id < 0 || !shl_key_is_ours(ds.shm_perm.__key) || ds.shm_perm.uid != geteuid())
        return 0;
    *obj = (struct shl_stale){.kind = SHL_STALE_SYSV,
                              .key = ds.shm_perm.__key,
                              .id = id,
                              .creator = ds.shm_cpid,
                              .stale = gone(ds.shm_cpid) && ds.shm_nattch == 0};
    return 1;
}

/* The same for a message queue. A queue keeps no creator, only who last sent and received:
 * shmlab's maker stamps both (shl_sysv_msg.h). The maker is one side of its channel and the
 * only sender on one queue and receiver on the other, so while it lives it is one of them
 * on each queue; the other side is, once it has used the queue. */
static int queue_at(int i, struct shl_stale *obj)
{
    struct msqid_ds ds;
    int id = msgctl(i, MSG_STAT, &ds);
    if (id < 0 || !shl_key_is_ours(ds.msg_perm.__key) || ds.msg_perm.uid != geteuid())
        return 0;
    *obj = (struct shl_stale){.kind = SHL_STALE_SYSV_MSG,
                              .key = ds.msg_perm.__key,
                              .id = id,
                              .creator = ds.msg_lspid,
                              .receiver = ds.msg_lrpid,
                              .stale = gone(ds.msg_lspid) &&
                                       (ds.msg_lrpid == 0 || gone(ds.msg_lrpid))};
    return 1;
}

/* Every index of a System V table up to `max` (the highest in use, or -1 with errno when
 * `info` failed). */
static int scan_ipc(int max, const char *info, int (*at)(int, struct shl_stale *),
                    int (*fn)(const struct shl_stale *, void *), void *arg, struct shl_error *err)
{
    if (max < 0)
        return shl_fail(err, info, errno, NULL);
    int rc = 0;
    struct shl_stale obj;
    for (int i = 0; rc == 0 && i <= max; i++)
        if (at(i, &obj))
            rc = fn(&obj, arg);
    return rc;
}

int shl_stale_scan(const char *shm_dir, const char *file_dir, const char *mq_dir,
                   int (*fn)(const struct shl_stale *obj, void *arg), void *arg,
                   struct shl_error *err)
{
    int rc = scan_dir(shm_dir, SHL_STALE_POSIX, fn, arg, err);
    if (rc == 0)
        rc = scan_dir(file_dir, SHL_STALE_FILE, fn, arg, err);
    if (rc == 0)
        rc = scan_dir(mq_dir, SHL_STALE_POSIX_MQ, fn, arg, err);
    struct shm_info segments;
    struct msginfo queues;
    if (rc == 0)
        rc = scan_ipc(shmctl(0, SHM_INFO, (struct shmid_ds *)(void *)&segments), "shmctl(SHM_INFO)",
                      segment_at, fn, arg, err);
    if (rc == 0)
        rc = scan_ipc(msgctl(0, MSG_INFO, (struct msqid_ds *)(void *)&queues), "msgctl(MSG_INFO)",
                      queue_at, fn, arg, err);
    return rc;
}

static int remove_msg(const struct shl_stale *obj, struct shl_error *err)
{
    struct msqid_ds ds;
    /* The id may have been reused since the scan: remove only the queue that was found. */
    if (msgctl(obj->id, IPC_STAT, &ds) != 0)
        return shl_fail(err, "msgctl", errno, "IPC_STAT of msqid %d", obj->id);
    if (ds.msg_perm.__key != obj->key)
        return shl_fail(err, "msgctl", EIDRM, "msqid %d has another key now", obj->id);
    if (msgctl(obj->id, IPC_RMID, NULL) != 0)
        return shl_fail(err, "msgctl", errno, "IPC_RMID of msqid %d", obj->id);
    return 0;
}

static int remove_folder(const struct shl_stale *obj, struct shl_error *err)
{
    char socket[PATH_MAX + sizeof SHL_NAME_SOCKET + 1];
    snprintf(socket, sizeof socket, "%s/" SHL_NAME_SOCKET, obj->name);
    if (unlink(socket) != 0 && errno != ENOENT)
        return shl_fail(err, "unlink", errno, "%s", socket);
    if (rmdir(obj->name) != 0)
        return shl_fail(err, "rmdir", errno, "%s", obj->name);
    return 0;
}

int shl_stale_remove(const struct shl_stale *obj, struct shl_error *err)
{
    static const enum shl_mech mechs[] = {[SHL_STALE_POSIX] = SHL_MECH_POSIX,
                                          [SHL_STALE_FILE] = SHL_MECH_FILE,
                                          [SHL_STALE_SYSV] = SHL_MECH_SYSV};
    if (obj->kind == SHL_STALE_SYSV_MSG)
        return remove_msg(obj, err);
    if (obj->kind == SHL_STALE_POSIX_MQ)
        return mq_unlink(obj->name) == 0 ? 0 : shl_fail(err, "mq_unlink", errno, "%s", obj->name);
    if (obj->kind == SHL_STALE_FOLDER)
        return remove_folder(obj, err);
    struct shl_shm o = {
        .mech = mechs[obj->kind], .key = obj->key, .shmid = obj->id, .fd = -1, .cleanup_slot = -1};
    memcpy(o.name, obj->name, sizeof o.name);
    return shl_shm_destroy(&o, err);
}
