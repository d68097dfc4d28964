/* What fstat(), fchmod() and fchown() say and do for a shared memory object. */
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_names.h"
#include "conformance/harness/cf_safe.h"

CF_CASE(posix, stat_creator_effective_ids,
        "a new object's st_uid and st_gid are the creator's effective uid and gid, not its "
        "real ones",
        "POSIX.1-2017 shm_open(), DESCRIPTION (O_CREAT: user ID and group ID)")
{
    char name[CF_NAME_MAX];
    cf_unique_name(name);
    cf_track_posix(name);
    pid_t pid = CF_FORK();
    if (pid == 0) {
        cf_privilege_over_other_user();
        /* Effective ids only: the real ones stay the caller's, so using them would show. */
        if (setegid(CF_OTHER_GID) != 0 || seteuid(CF_OTHER_UID) != 0)
            CF_SKIP("cannot switch effective ids to %d:%d (%s)", CF_OTHER_UID, CF_OTHER_GID,
                    cf_errno_name(errno));
        int fd = CF_EXP_FD(shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600));
        struct stat st;
        SAFE_FSTAT(fd, &st);
        CF_EXPECT(st.st_uid == CF_OTHER_UID && st.st_gid == CF_OTHER_GID,
                  "owner %ld:%ld, creator's effective ids %d:%d", (long)st.st_uid, (long)st.st_gid,
                  CF_OTHER_UID, CF_OTHER_GID);
        _exit(0);
    }
    CF_REAP(pid);
}

CF_CASE(posix, stat_fchmod_changes_mode,
        "fchmod() on an object's descriptor changes the permission bits fstat() reports",
        "POSIX.1-2017 fchmod(), DESCRIPTION (shared memory object)")
{
    int fd = SAFE_SHM_NEW(0, NULL);
    CF_EXP_PASS(fchmod(fd, 0640));
    struct stat st;
    SAFE_FSTAT(fd, &st);
    CF_EXPECT((st.st_mode & 0777) == 0640, "mode %03o", (unsigned)(st.st_mode & 0777));
}

CF_CASE(posix, stat_fchown_changes_owner,
        "fchown() on an object's descriptor changes the owner and group fstat() reports",
        "POSIX.1-2017 fchown(), DESCRIPTION (shared memory object)")
{
    int fd = SAFE_SHM_NEW(0, NULL);
    cf_privilege_over_other_user();
    CF_EXP_PASS(fchown(fd, CF_OTHER_UID, CF_OTHER_GID));
    struct stat st;
    SAFE_FSTAT(fd, &st);
    CF_EXPECT(st.st_uid == CF_OTHER_UID && st.st_gid == CF_OTHER_GID, "owner %ld:%ld",
              (long)st.st_uid, (long)st.st_gid);
}

CF_CASE(posix, stat_regular_object_identity,
        "every descriptor of one object reports the same st_dev and st_ino, and different "
        "objects different ones",
        "POSIX.1-2017 fstat(), <sys/stat.h> (st_dev and st_ino identify a file)")
{
    char name[CF_NAME_MAX];
    int a = SAFE_SHM_NEW(0, name);
    int b = SAFE_SHM_OPEN(name, O_RDONLY);
    int other = SAFE_SHM_NEW(0, NULL);
    struct stat sa, sb, so;
    SAFE_FSTAT(a, &sa);
    SAFE_FSTAT(b, &sb);
    SAFE_FSTAT(other, &so);
    CF_EXPECT(sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino, "two identities for one");
    CF_EXPECT(sa.st_dev != so.st_dev || sa.st_ino != so.st_ino, "one identity for two");
}

/* Sleeps long enough for a file system's coarse clock to tick. */
static void let_clock_tick(void)
{
    struct timespec pause = {0, 30 * 1000 * 1000};
    nanosleep(&pause, NULL);
}

static int later(struct timespec a, struct timespec b)
{
    return a.tv_sec > b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec > b.tv_nsec);
}

CF_CASE(posix, stat_ftruncate_marks_times,
        "ftruncate() that changes the size marks st_mtime and st_ctime for update",
        "POSIX.1-2017 ftruncate(), DESCRIPTION (st_ctime and st_mtime)")
{
    int fd = SAFE_SHM_NEW(0, NULL);
    struct stat before, after;
    SAFE_FSTAT(fd, &before);
    let_clock_tick();
    SAFE_FTRUNCATE(fd, cf_page_size());
    SAFE_FSTAT(fd, &after);
    CF_EXPECT(later(after.st_mtim, before.st_mtim), "st_mtime did not move");
    CF_EXPECT(later(after.st_ctim, before.st_ctim), "st_ctime did not move");
}
