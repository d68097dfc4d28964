/* Who may use and control a segment: the permission bits against another user, and the
 * owner-or-creator rule for IPC_SET, IPC_RMID and SHM_LOCK. The refused party runs as
 * CF_OTHER_UID in a forked helper, so root's CAP_IPC_OWNER cannot mask a missing check. */
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <unistd.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_names.h"
#include "conformance/harness/cf_safe.h"

/* A new IPC_PRIVATE segment with `mode`, holding "owner" at its start. */
static int segment_with_data(int mode)
{
    int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | mode);
    char *p = SAFE_SHMAT(id, NULL, 0);
    memcpy(p, "owner", 6);
    SAFE_SHMDT(p);
    return id;
}

/* Gives a segment to another owner and group, and a mode, with IPC_SET. */
static void set_owner(int id, uid_t uid, gid_t gid, int mode)
{
    struct shmid_ds ds = SAFE_SHM_STAT(id);
    ds.shm_perm.uid = uid;
    ds.shm_perm.gid = gid;
    ds.shm_perm.mode = (unsigned short)mode;
    SAFE_SHMCTL(id, IPC_SET, &ds);
}

CF_CASE(sysv, perm_shmget_other_user_eacces,
        "shmget() of another user's 0600 segment, asking for read or write, fails with EACCES",
        "POSIX.1-2017 shmget(), ERRORS (EACCES); XBD 4.7 IPC permissions; shmget(2)")
{
    key_t key = cf_unique_key();
    SAFE_SHMGET(key, cf_page_size(), IPC_CREAT | IPC_EXCL | 0600);
    CF_AS_OTHER_USER({
        CF_EXP_FAIL(shmget(key, 0, 0600), EACCES);
        CF_EXP_FAIL(shmget(key, 0, 0400), EACCES);
    });
}

CF_CASE(sysv, perm_shmat_other_user_eacces,
        "shmat() of another user's 0600 segment fails with EACCES, read-only or not",
        "POSIX.1-2017 shmat(), ERRORS (EACCES); XBD 4.7; shmat(2)")
{
    int id = segment_with_data(0600);
    CF_AS_OTHER_USER({
        CF_EXP_MAP_FAIL(shmat(id, NULL, 0), EACCES);
        CF_EXP_MAP_FAIL(shmat(id, NULL, SHM_RDONLY), EACCES);
    });
}

CF_CASE(sysv, perm_other_read_bit_grants_rdonly_only,
        "with mode 0604 another user may attach SHM_RDONLY and read, but not read-write "
        "(EACCES)",
        "POSIX.1-2017 shmat(), DESCRIPTION and ERRORS; XBD 4.7; shmat(2)")
{
    int id = segment_with_data(0604);
    CF_AS_OTHER_USER({
        const char *ro = CF_EXP_PTR(shmat(id, NULL, SHM_RDONLY));
        CF_EXPECT(memcmp(ro, "owner", 6) == 0, "read other bytes");
        CF_EXP_MAP_FAIL(shmat(id, NULL, 0), EACCES);
    });
}

CF_CASE(sysv, perm_other_bits_grant_read_write,
        "with mode 0606 another user may attach read-write, and the owner sees its stores",
        "POSIX.1-2017 shmat(), DESCRIPTION; XBD 4.7 IPC permissions; shmat(2)")
{
    int id = segment_with_data(0606);
    CF_AS_OTHER_USER({
        char *p = CF_EXP_PTR(shmat(id, NULL, 0));
        memcpy(p + 100, "other", 6);
    });
    const char *p = SAFE_SHMAT(id, NULL, SHM_RDONLY);
    CF_EXPECT(memcmp(p + 100, "other", 6) == 0, "the other user's store is not there");
}

CF_CASE(sysv, perm_group_bits_apply_to_group,
        "the group bits decide for a user of the segment's group: mode 0060 lets it attach "
        "read-write, mode 0600 refuses it",
        "XBD 4.7 IPC permissions (group class); shmat(2)")
{
    /* Written while the owner may, then given mode 0060: the owner bits bind the owner. */
    int id = segment_with_data(0600);
    set_owner(id, geteuid(), CF_OTHER_GID, 0060);
    int denied = segment_with_data(0600);
    set_owner(denied, geteuid(), CF_OTHER_GID, 0600);
    CF_AS_OTHER_USER({
        CF_EXP_PASS(shmat(id, NULL, 0));
        CF_EXP_MAP_FAIL(shmat(denied, NULL, 0), EACCES);
    });
}

CF_CASE(sysv, perm_owner_bits_bind_owner,
        "the owner bits bind the owner too: the creator of a 0400 segment may attach it only "
        "SHM_RDONLY (EACCES otherwise)",
        "XBD 4.7 IPC permissions (owner class); shmat(2)")
{
    CF_AS_OTHER_USER({
        int id = SAFE_SHMGET(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0400);
        CF_EXP_MAP_FAIL(shmat(id, NULL, 0), EACCES);
        CF_EXP_PASS(shmat(id, NULL, SHM_RDONLY));
    });
}

CF_CASE(sysv, perm_stat_without_read_eacces,
        "shmctl(IPC_STAT) by a user without read permission fails with EACCES",
        "POSIX.1-2017 shmctl(), ERRORS (EACCES); shmctl(2)")
{
    int id = segment_with_data(0600);
    CF_AS_OTHER_USER({
        struct shmid_ds ds;
        CF_EXP_FAIL(shmctl(id, IPC_STAT, &ds), EACCES);
    });
}

CF_CASE(sysv, perm_set_non_owner_eperm,
        "IPC_SET by a user who is neither owner nor creator fails with EPERM and changes "
        "nothing, even with mode 0666",
        "POSIX.1-2017 shmctl(), ERRORS (EPERM); shmctl(2)")
{
    int id = segment_with_data(0666);
    CF_AS_OTHER_USER({
        struct shmid_ds ds = SAFE_SHM_STAT(id);
        ds.shm_perm.mode = 0777;
        ds.shm_perm.uid = CF_OTHER_UID;
        CF_EXP_FAIL(shmctl(id, IPC_SET, &ds), EPERM);
    });
    struct shmid_ds now = SAFE_SHM_STAT(id);
    CF_EXPECT((now.shm_perm.mode & 0777) == 0666 && now.shm_perm.uid == geteuid(),
              "mode %03o uid %ld after the refused IPC_SET", (unsigned)(now.shm_perm.mode & 0777),
              (long)now.shm_perm.uid);
}

CF_CASE(sysv, perm_rmid_non_owner_eperm,
        "IPC_RMID by a user who is neither owner nor creator fails with EPERM and the segment "
        "survives, even with mode 0666",
        "POSIX.1-2017 shmctl(), ERRORS (EPERM); shmctl(2)")
{
    int id = segment_with_data(0666);
    CF_AS_OTHER_USER({ CF_EXP_FAIL(shmctl(id, IPC_RMID, NULL), EPERM); });
    struct shmid_ds ds = SAFE_SHM_STAT(id);
    CF_EXPECT((ds.shm_perm.mode & SHM_DEST) == 0, "the segment is marked for removal");
}

CF_CASE(sysv, perm_lock_non_owner_eperm,
        "SHM_LOCK by an unprivileged user who is not the owner fails with EPERM",
        "shmctl(2), ERRORS (EPERM: SHM_LOCK without CAP_IPC_LOCK)")
{
    int id = segment_with_data(0666);
    CF_AS_OTHER_USER({ CF_EXP_FAIL(shmctl(id, SHM_LOCK, NULL), EPERM); });
    CF_EXPECT((SAFE_SHM_STAT(id).shm_perm.mode & SHM_LOCKED) == 0, "the segment got locked");
}

CF_CASE(sysv, perm_new_owner_may_control,
        "after IPC_SET gives a segment to another user, that user (owner, not creator) may "
        "IPC_SET and IPC_RMID it",
        "POSIX.1-2017 shmctl(), DESCRIPTION (IPC_SET, IPC_RMID: owner or creator)")
{
    int id = segment_with_data(0600);
    set_owner(id, CF_OTHER_UID, getegid(), 0600);
    CF_AS_OTHER_USER({
        struct shmid_ds mine;
        CF_EXP_PASS(shmctl(id, IPC_STAT, &mine));
        mine.shm_perm.mode = 0640;
        CF_EXP_PASS(shmctl(id, IPC_SET, &mine));
        CF_EXP_PASS(shmctl(id, IPC_RMID, NULL));
    });
    struct shmid_ds gone;
    CF_EXP_FAIL(shmctl(id, IPC_STAT, &gone), EINVAL);
}
