/* shmctl() and the segment's owner: what the creating key and repeated removals leave, what
 * an owner may still do to a segment whose mode denies it everything, and bad buffers. */
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_names.h"
#include "conformance/harness/cf_safe.h"
#include "conformance/harness/cf_userns.h"

CF_CASE(sysv, stat_perm_key_is_creating_key,
        "IPC_STAT reports in shm_perm.__key the key the segment was created with",
        "shmctl(2), DESCRIPTION (struct ipc_perm __key); gVisor shm.cc")
{
    key_t key = cf_unique_key();
    int id = SAFE_SHMGET(key, cf_page_size(), IPC_CREAT | IPC_EXCL | 0600);
    key_t created = SAFE_SHM_STAT(id).shm_perm.__key;
    CF_EXPECT_EQ(created, key);
    int priv = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600);
    key_t private_key = SAFE_SHM_STAT(priv).shm_perm.__key;
    CF_EXPECT_EQ(private_key, IPC_PRIVATE);
}

CF_CASE(sysv, rmid_repeated_keeps_attached_segment,
        "several IPC_RMIDs of an attached segment all succeed and none destroys it early: its "
        "data and IPC_STAT stay until the last detach",
        "shmctl(2), DESCRIPTION (IPC_RMID: destroyed only after the last process detaches); "
        "gVisor shm.cc")
{
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600);
    char *p = SAFE_SHMAT(id, NULL, 0);
    memcpy(p, "alive", 6);
    for (int i = 0; i < 3; i++)
        CF_EXP_PASS(shmctl(id, IPC_RMID, NULL));
    struct shmid_ds ds;
    CF_EXP_PASS(shmctl(id, IPC_STAT, &ds));
    CF_EXPECT_EQ(ds.shm_nattch, 1);
    const char *again = CF_EXP_PTR(shmat(id, NULL, SHM_RDONLY));
    CF_EXPECT(memcmp(again, "alive", 6) == 0, "the data is gone after repeated IPC_RMID");
    SAFE_SHMDT(again);
    SAFE_SHMDT(p);
    CF_EXP_FAIL(shmctl(id, IPC_STAT, &ds), EINVAL);
}

CF_CASE(sysv, perm_mode0_owner_refused_attach_and_stat,
        "the unprivileged owner of a mode-0 segment may neither attach it (read-only or not) "
        "nor IPC_STAT it: EACCES",
        "shmctl(2), ERRORS (EACCES); shmat(2), ERRORS (EACCES); XBD 4.7 IPC permissions")
{
    CF_AS_UNPRIVILEGED({
        int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0);
        struct shmid_ds ds;
        CF_EXP_MAP_FAIL(shmat(id, NULL, SHM_RDONLY), EACCES);
        CF_EXP_MAP_FAIL(shmat(id, NULL, 0), EACCES);
        CF_EXP_FAIL(shmctl(id, IPC_STAT, &ds), EACCES);
    });
}

CF_CASE(sysv, perm_mode0_owner_may_set_and_rmid,
        "the unprivileged owner of a mode-0 segment may still IPC_SET it (and so give itself "
        "access back) and IPC_RMID it",
        "shmctl(2), DESCRIPTION (IPC_SET, IPC_RMID: the caller must be the owner or creator); "
        "XBD 4.7 IPC permissions")
{
    CF_AS_UNPRIVILEGED({
        int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0);
        struct shmid_ds ds;
        memset(&ds, 0, sizeof ds);
        ds.shm_perm.uid = geteuid();
        ds.shm_perm.gid = getegid();
        ds.shm_perm.mode = 0400;
        CF_EXP_PASS(shmctl(id, IPC_SET, &ds));
        CF_EXP_PASS(shmctl(id, IPC_STAT, &ds));
        CF_EXPECT_EQ(ds.shm_perm.mode & 0777, 0400);
        CF_EXP_PASS(shmctl(id, IPC_RMID, NULL));
        CF_EXP_FAIL(shmctl(id, IPC_STAT, &ds), EINVAL);
    });
}

/* shmctl(id, cmd, buf) in a helper; expects EFAULT. A libc that copies the buffer itself (a
 * 32-bit time64 conversion) faults before the kernel can answer: skipped, saying so. */
static void expect_shmctl_efault(int id, int cmd, const char *cmd_name)
{
    struct shmid_ds *nowhere = (struct shmid_ds *)(void *)cf_free_range((size_t)cf_page_size());
    pid_t pid = CF_FORK();
    if (pid == 0) {
        errno = 0;
        int r = shmctl(id, cmd, nowhere);
        _exit(r == -1 && errno == EFAULT ? 0 : r == -1 ? 100 + (errno & 0x7f) : 1);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid)
        CF_BROKEN("waitpid failed");
    if (WIFSIGNALED(status))
        CF_SKIP("shmctl(%s) with an unmapped buffer died of %s inside the libc, which copies "
                "the structure itself; the kernel's EFAULT cannot be seen",
                cmd_name, cf_signal_name(WTERMSIG(status)));
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    CF_EXPECT(code == 0, "shmctl(%s) with an unmapped buffer: %s, expected EFAULT", cmd_name,
              code == 1     ? "succeeded"
              : code >= 100 ? cf_errno_name(code - 100)
                            : "no answer");
}

CF_CASE(sysv, set_bad_buffer_efault, "shmctl(IPC_SET) from an unmapped buffer fails with EFAULT",
        "shmctl(2), ERRORS (EFAULT); LTP shmctl02")
{
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600);
    expect_shmctl_efault(id, IPC_SET, "IPC_SET");
}

CF_CASE(sysv, info_bad_buffer_efault, "shmctl(IPC_INFO) into an unmapped buffer fails with EFAULT",
        "shmctl(2), ERRORS (EFAULT); LTP shmctl02")
{
    expect_shmctl_efault(0, IPC_INFO, "IPC_INFO");
}

CF_CASE(sysv, shm_info_bad_buffer_efault,
        "shmctl(SHM_INFO) into an unmapped buffer fails with EFAULT",
        "shmctl(2), ERRORS (EFAULT); LTP shmctl02")
{
    expect_shmctl_efault(0, SHM_INFO, "SHM_INFO");
}
