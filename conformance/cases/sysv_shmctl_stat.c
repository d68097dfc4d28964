/* shmctl(IPC_STAT): every field of struct shmid_ds that POSIX defines, and when it changes. */
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <time.h>
#include <unistd.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_safe.h"

/* Time stamps have a resolution of one second: a new one must lie in [before, after]. */
#define EXPECT_TIME_WITHIN(t, before, after, what)                                          \
    do {                                                                                    \
        time_t t_ = (t);                                                                    \
        int within_ = t_ >= (before) && t_ <= (after);                                      \
        CF_EXPECT(within_, "%s is %lld, expected within [%lld, %lld]", what, (long long)t_, \
                  (long long)(before), (long long)(after));                                 \
    } while (0)

CF_CASE(sysv, stat_nattch_follows_attach_detach,
        "shm_nattch counts attachments: 0 when created, +1 per shmat(), -1 per shmdt()",
        "POSIX.1-2017 <sys/shm.h>, shmat(), shmdt(); shmctl(2)")
{
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600);
    unsigned long seen[5];
    seen[0] = SAFE_SHM_STAT(id).shm_nattch;
    void *a = SAFE_SHMAT(id, NULL, 0);
    seen[1] = SAFE_SHM_STAT(id).shm_nattch;
    void *b = SAFE_SHMAT(id, NULL, SHM_RDONLY);
    seen[2] = SAFE_SHM_STAT(id).shm_nattch;
    SAFE_SHMDT(a);
    seen[3] = SAFE_SHM_STAT(id).shm_nattch;
    SAFE_SHMDT(b);
    seen[4] = SAFE_SHM_STAT(id).shm_nattch;
    CF_EXPECT(seen[0] == 0 && seen[1] == 1 && seen[2] == 2 && seen[3] == 1 && seen[4] == 0,
              "shm_nattch went %lu, %lu, %lu, %lu, %lu; expected 0, 1, 2, 1, 0", seen[0], seen[1],
              seen[2], seen[3], seen[4]);
}

CF_CASE(sysv, stat_nattch_follows_fork_and_exit,
        "a forked child's inherited attachment raises shm_nattch, and its exit lowers it",
        "POSIX.1-2017 fork() and _exit() (attached segments); shmctl(2)")
{
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600);
    SAFE_SHMAT(id, NULL, 0);
    int ready[2], done[2];
    if (pipe(ready) != 0 || pipe(done) != 0)
        CF_BROKEN("pipe failed");
    pid_t pid = CF_FORK();
    if (pid == 0) {
        char c;
        if (write(ready[1], "r", 1) != 1 || read(done[0], &c, 1) != 1)
            CF_BROKEN("pipe to parent failed");
        _exit(0);
    }
    char c;
    if (read(ready[0], &c, 1) != 1)
        CF_BROKEN("child did not report");
    unsigned long with_child = SAFE_SHM_STAT(id).shm_nattch;
    if (write(done[1], "d", 1) != 1)
        CF_BROKEN("pipe to child failed");
    CF_REAP(pid);
    unsigned long after_exit = SAFE_SHM_STAT(id).shm_nattch;
    CF_EXPECT_EQ(with_child, 2);
    CF_EXPECT_EQ(after_exit, 1);
}

CF_CASE(sysv, stat_segsz_and_cpid,
        "shm_segsz is the size asked for and shm_cpid the process that created the segment",
        "POSIX.1-2017 <sys/shm.h>, shmget(), DESCRIPTION; shmctl(2)")
{
    int report[2];
    if (pipe(report) != 0)
        CF_BROKEN("pipe failed");
    /* A helper creates it, so the parent's own pid cannot pass by accident. */
    pid_t pid = CF_FORK();
    if (pid == 0) {
        int id = SAFE_SHMGET(IPC_PRIVATE, 5000, IPC_CREAT | 0600);
        if (write(report[1], &id, sizeof id) != sizeof id)
            CF_BROKEN("pipe to parent failed");
        _exit(0);
    }
    int id;
    if (read(report[0], &id, sizeof id) != sizeof id)
        CF_BROKEN("helper did not report");
    CF_REAP(pid);
    struct shmid_ds ds = SAFE_SHM_STAT(id);
    SAFE_SHMCTL(id, IPC_RMID, NULL);
    CF_EXPECT_EQ(ds.shm_segsz, 5000);
    CF_EXPECT_EQ(ds.shm_cpid, pid);
}

CF_CASE(sysv, stat_lpid_last_attach_or_detach,
        "shm_lpid is 0 when created, then the process that last attached or detached",
        "POSIX.1-2017 shmat() and shmdt(), DESCRIPTION (shm_lpid); shmctl(2)")
{
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600);
    pid_t initial = SAFE_SHM_STAT(id).shm_lpid;
    pid_t pid = CF_FORK();
    if (pid == 0) {
        SAFE_SHMAT(id, NULL, 0);
        _exit(0);
    }
    CF_REAP(pid);
    /* The child's exit detached it: the last operation was the child's. */
    pid_t after_child = SAFE_SHM_STAT(id).shm_lpid;
    void *p = SAFE_SHMAT(id, NULL, 0);
    pid_t after_attach = SAFE_SHM_STAT(id).shm_lpid;
    SAFE_SHMDT(p);
    CF_EXPECT_EQ(initial, 0);
    CF_EXPECT_EQ(after_child, pid);
    CF_EXPECT_EQ(after_attach, getpid());
}

CF_CASE(sysv, stat_atime_set_by_attach,
        "shm_atime is 0 when created and the time of the last shmat() afterwards",
        "POSIX.1-2017 shmget() and shmat(), DESCRIPTION (shm_atime); shmctl(2)")
{
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600);
    time_t initial = SAFE_SHM_STAT(id).shm_atime;
    time_t before = cf_kernel_seconds();
    SAFE_SHMAT(id, NULL, 0);
    time_t after = cf_kernel_seconds();
    struct shmid_ds ds = SAFE_SHM_STAT(id);
    CF_EXPECT_EQ(initial, 0);
    EXPECT_TIME_WITHIN(ds.shm_atime, before, after, "shm_atime");
    CF_EXPECT_EQ(ds.shm_dtime, 0);
}

CF_CASE(sysv, stat_dtime_set_by_detach, "shm_dtime is the time of the last shmdt()",
        "POSIX.1-2017 shmdt(), DESCRIPTION (shm_dtime); shmctl(2)")
{
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600);
    void *p = SAFE_SHMAT(id, NULL, 0);
    time_t before = cf_kernel_seconds();
    SAFE_SHMDT(p);
    time_t after = cf_kernel_seconds();
    EXPECT_TIME_WITHIN(SAFE_SHM_STAT(id).shm_dtime, before, after, "shm_dtime");
}

CF_CASE(sysv, stat_ctime_set_by_create, "shm_ctime is the creation time of the segment",
        "POSIX.1-2017 shmget(), DESCRIPTION (shm_ctime); shmctl(2)")
{
    time_t before = cf_kernel_seconds();
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600);
    time_t after = cf_kernel_seconds();
    EXPECT_TIME_WITHIN(SAFE_SHM_STAT(id).shm_ctime, before, after, "shm_ctime");
}

CF_CASE(sysv, stat_perm_creator_ids_and_mode,
        "shm_perm uid/cuid are the creator's effective uid, gid/cgid its effective gid, and "
        "mode the low nine bits of shmflg",
        "POSIX.1-2017 shmget(), DESCRIPTION (shm_perm); shmctl(2)")
{
    /* Created under ids other than 0, so that zeroed fields cannot pass. */
    CF_AS_OTHER_USER({
        int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0640);
        struct shmid_ds ds = SAFE_SHM_STAT(id);
        CF_EXPECT(ds.shm_perm.uid == CF_OTHER_UID && ds.shm_perm.cuid == CF_OTHER_UID,
                  "uid %ld cuid %ld, creator %d", (long)ds.shm_perm.uid, (long)ds.shm_perm.cuid,
                  CF_OTHER_UID);
        CF_EXPECT(ds.shm_perm.gid == CF_OTHER_GID && ds.shm_perm.cgid == CF_OTHER_GID,
                  "gid %ld cgid %ld, creator %d", (long)ds.shm_perm.gid, (long)ds.shm_perm.cgid,
                  CF_OTHER_GID);
        CF_EXPECT((ds.shm_perm.mode & 0777) == 0640, "mode %03o",
                  (unsigned)(ds.shm_perm.mode & 0777));
        SAFE_SHMCTL(id, IPC_RMID, NULL);
    });
}

CF_CASE(sysv, stat_bad_buffer_efault,
        "shmctl(IPC_STAT) into an inaccessible buffer fails with EFAULT",
        "shmctl(2), ERRORS (EFAULT)")
{
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600);
    CF_EXP_FAIL(shmctl(id, IPC_STAT, NULL), EFAULT);
}
