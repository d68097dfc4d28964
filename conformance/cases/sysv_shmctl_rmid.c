/* shmctl(IPC_RMID): a segment marked for removal lives on until its last detach, and its key
 * is free at once. */
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <unistd.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_names.h"
#include "conformance/harness/cf_safe.h"

CF_CASE(sysv, rmid_usable_until_last_detach,
        "a segment removed with IPC_RMID while attached keeps its data and stays usable "
        "until the last detach, and is gone after it",
        "POSIX.1-2017 shmctl(), DESCRIPTION (IPC_RMID); shmctl(2)")
{
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600);
    char *a = SAFE_SHMAT(id, NULL, 0);
    char *b = SAFE_SHMAT(id, NULL, 0);
    memcpy(a, "before", 7);
    SAFE_SHMCTL(id, IPC_RMID, NULL);
    CF_EXPECT(memcmp(b, "before", 7) == 0, "the data changed at IPC_RMID");
    memcpy(a + 100, "after", 6);
    CF_EXPECT(memcmp(b + 100, "after", 6) == 0, "the attachments no longer share memory");
    SAFE_SHMDT(a);
    struct shmid_ds ds;
    CF_EXP_PASS(shmctl(id, IPC_STAT, &ds));
    SAFE_SHMDT(b);
    CF_EXP_FAIL(shmctl(id, IPC_STAT, &ds), EINVAL);
}

CF_CASE(sysv, rmid_unattached_gone_at_once,
        "IPC_RMID of a segment that nobody has attached destroys it at once",
        "POSIX.1-2017 shmctl(), DESCRIPTION (IPC_RMID); shmctl(2)")
{
    key_t key = cf_unique_key();
    int id = SAFE_SHMGET(key, cf_page_size(), IPC_CREAT | IPC_EXCL | 0600);
    SAFE_SHMCTL(id, IPC_RMID, NULL);
    struct shmid_ds ds;
    CF_EXP_FAIL(shmctl(id, IPC_STAT, &ds), EINVAL);
    CF_EXP_FAIL(shmget(key, 0, 0600), ENOENT);
}

CF_CASE(sysv, rmid_sets_shm_dest, "IPC_RMID of an attached segment sets SHM_DEST in shm_perm.mode",
        "shmctl(2), DESCRIPTION (IPC_RMID, SHM_DEST)")
{
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600);
    SAFE_SHMAT(id, NULL, 0);
    int before = (SAFE_SHM_STAT(id).shm_perm.mode & SHM_DEST) != 0;
    SAFE_SHMCTL(id, IPC_RMID, NULL);
    int after = (SAFE_SHM_STAT(id).shm_perm.mode & SHM_DEST) != 0;
    CF_EXPECT(!before, "SHM_DEST set before IPC_RMID");
    CF_EXPECT(after, "SHM_DEST not set after IPC_RMID");
}

CF_CASE(sysv, rmid_releases_key,
        "after IPC_RMID of an attached segment its key reads IPC_PRIVATE, and shmget() of "
        "that key with IPC_CREAT|IPC_EXCL creates a new, zeroed segment",
        "shmctl(2), DESCRIPTION (IPC_RMID); POSIX.1-2017 shmget()")
{
    key_t key = cf_unique_key();
    int old = SAFE_SHMGET(key, cf_page_size(), IPC_CREAT | IPC_EXCL | 0600);
    char *p = SAFE_SHMAT(old, NULL, 0);
    memset(p, 'o', (size_t)cf_page_size());
    SAFE_SHMCTL(old, IPC_RMID, NULL);
    key_t old_key = SAFE_SHM_STAT(old).shm_perm.__key;
    CF_EXPECT(old_key == IPC_PRIVATE, "the removed segment still has key %#x", (unsigned)old_key);
    int fresh = CF_EXP_FD(shmget(key, cf_page_size(), IPC_CREAT | IPC_EXCL | 0600));
    cf_track_sysv(fresh);
    CF_EXPECT(fresh != old, "got the removed segment's id %d back", old);
    const char *q = SAFE_SHMAT(fresh, NULL, SHM_RDONLY);
    CF_EXPECT(q[0] == 0, "the new segment holds the old one's data");
}

CF_CASE(sysv, rmid_reattach_while_attached,
        "on Linux an IPC_RMID'd segment that is still attached can be attached again by id",
        "shmctl(2), NOTES (Linux permits shmat() of a segment marked for deletion)")
{
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600);
    char *p = SAFE_SHMAT(id, NULL, 0);
    memcpy(p, "dest", 5);
    SAFE_SHMCTL(id, IPC_RMID, NULL);
    char *again = CF_EXP_PTR(shmat(id, NULL, 0));
    CF_EXPECT(memcmp(again, "dest", 5) == 0, "the new attachment sees other data");
    CF_EXPECT(SAFE_SHM_STAT(id).shm_nattch == 2, "shm_nattch is not 2");
}

CF_CASE(sysv, rmid_destroyed_at_last_exit,
        "a segment marked with IPC_RMID is destroyed when its last attached process exits",
        "POSIX.1-2017 shmctl() (IPC_RMID) and _exit() (detach); shmctl(2)")
{
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600);
    pid_t pid = CF_FORK();
    if (pid == 0) {
        SAFE_SHMAT(id, NULL, 0);
        SAFE_SHMCTL(id, IPC_RMID, NULL);
        _exit(0);
    }
    CF_REAP(pid);
    struct shmid_ds ds;
    CF_EXP_FAIL(shmctl(id, IPC_STAT, &ds), EINVAL);
}
