/* shmctl(IPC_SET): what it may change, and what it must leave alone. */
#include <sys/ipc.h>
#include <sys/shm.h>
#include <time.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_safe.h"

/* Waits for the next second, so that a time stamp of "now" differs from one taken before. */
static time_t next_second(void)
{
    time_t start = cf_kernel_seconds();
    while (cf_kernel_seconds() == start) {
        struct timespec pause = {0, 10 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    return cf_kernel_seconds();
}

CF_CASE(sysv, set_mode_changes_mode_and_ctime,
        "IPC_SET changes the low nine bits of shm_perm.mode and sets shm_ctime to now",
        "POSIX.1-2017 shmctl(), DESCRIPTION (IPC_SET); shmctl(2)")
{
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600);
    struct shmid_ds ds = SAFE_SHM_STAT(id);
    time_t before = next_second();
    ds.shm_perm.mode = 0640;
    SAFE_SHMCTL(id, IPC_SET, &ds);
    time_t after = cf_kernel_seconds();
    struct shmid_ds now = SAFE_SHM_STAT(id);
    CF_EXPECT((now.shm_perm.mode & 0777) == 0640, "mode %03o after IPC_SET 0640",
              (unsigned)(now.shm_perm.mode & 0777));
    int ctime_now = now.shm_ctime >= before && now.shm_ctime <= after;
    CF_EXPECT(ctime_now, "shm_ctime %lld, IPC_SET happened within [%lld, %lld]",
              (long long)now.shm_ctime, (long long)before, (long long)after);
}

CF_CASE(sysv, set_owner_changes_uid_gid_not_creator,
        "IPC_SET changes shm_perm.uid and gid but leaves cuid and cgid",
        "POSIX.1-2017 shmctl(), DESCRIPTION (IPC_SET); shmctl(2)")
{
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600);
    struct shmid_ds ds = SAFE_SHM_STAT(id);
    uid_t cuid = ds.shm_perm.cuid;
    gid_t cgid = ds.shm_perm.cgid;
    ds.shm_perm.uid = CF_OTHER_UID;
    ds.shm_perm.gid = CF_OTHER_GID;
    SAFE_SHMCTL(id, IPC_SET, &ds);
    struct shmid_ds now = SAFE_SHM_STAT(id);
    CF_EXPECT(now.shm_perm.uid == CF_OTHER_UID && now.shm_perm.gid == CF_OTHER_GID,
              "uid %ld gid %ld after IPC_SET", (long)now.shm_perm.uid, (long)now.shm_perm.gid);
    CF_EXPECT(now.shm_perm.cuid == cuid && now.shm_perm.cgid == cgid,
              "cuid %ld cgid %ld changed from %ld %ld", (long)now.shm_perm.cuid,
              (long)now.shm_perm.cgid, (long)cuid, (long)cgid);
}

CF_CASE(sysv, set_mode_keeps_status_bits,
        "IPC_SET copies only the nine permission bits: SHM_DEST and SHM_LOCKED in the "
        "given mode are ignored",
        "shmctl(2), DESCRIPTION (IPC_SET: least significant 9 bits of shm_perm.mode)")
{
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600);
    struct shmid_ds ds = SAFE_SHM_STAT(id);
    ds.shm_perm.mode = 0604 | SHM_DEST | SHM_LOCKED;
    SAFE_SHMCTL(id, IPC_SET, &ds);
    unsigned mode = SAFE_SHM_STAT(id).shm_perm.mode;
    CF_EXPECT((mode & 0777) == 0604, "permission bits %03o", mode & 0777);
    CF_EXPECT((mode & (SHM_DEST | SHM_LOCKED)) == 0, "mode %#o has status bits set", mode);
}
