/* Who may open and unlink a shared memory object: the permission bits against another user,
 * and the sticky directory rule. The refused party runs as CF_OTHER_UID in a forked helper,
 * so root's privileges cannot mask a missing check. */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_names.h"
#include "conformance/harness/cf_safe.h"

/* A new object of one page holding "owner", with `mode` regardless of the umask. */
static int object_with_data(char name[CF_NAME_MAX], mode_t mode)
{
    int fd = SAFE_SHM_NEW(cf_page_size(), name);
    SAFE_PWRITE(fd, "owner", 6, 0);
    if (fchmod(fd, mode) != 0)
        CF_BROKEN("fchmod failed (%s)", cf_errno_name(errno));
    return fd;
}

CF_CASE(posix, perm_open_other_user_eacces,
        "shm_open() of another user's 0600 object fails with EACCES, O_RDWR or O_RDONLY",
        "POSIX.1-2017 shm_open(), ERRORS (EACCES)")
{
    char name[CF_NAME_MAX];
    object_with_data(name, 0600);
    CF_AS_OTHER_USER({
        CF_EXP_FAIL(shm_open(name, O_RDWR, 0), EACCES);
        CF_EXP_FAIL(shm_open(name, O_RDONLY, 0), EACCES);
    });
}

CF_CASE(posix, perm_other_read_bit_grants_rdonly_only,
        "with mode 0604 another user may shm_open() O_RDONLY and read, but O_RDWR fails with "
        "EACCES",
        "POSIX.1-2017 shm_open(), DESCRIPTION and ERRORS (EACCES)")
{
    char name[CF_NAME_MAX];
    object_with_data(name, 0604);
    CF_AS_OTHER_USER({
        int ro = CF_EXP_FD(shm_open(name, O_RDONLY, 0));
        const char *p = SAFE_MMAP(NULL, cf_page_size(), PROT_READ, MAP_SHARED, ro, 0);
        CF_EXPECT(memcmp(p, "owner", 6) == 0, "read other bytes");
        CF_EXP_FAIL(shm_open(name, O_RDWR, 0), EACCES);
    });
}

CF_CASE(posix, perm_other_bits_grant_read_write,
        "with mode 0606 another user may shm_open() O_RDWR, and the owner sees its stores",
        "POSIX.1-2017 shm_open(), DESCRIPTION (permission bits)")
{
    char name[CF_NAME_MAX];
    int fd = object_with_data(name, 0606);
    CF_AS_OTHER_USER({
        int rw = CF_EXP_FD(shm_open(name, O_RDWR, 0));
        char *p = SAFE_MMAP(NULL, cf_page_size(), PROT_READ | PROT_WRITE, MAP_SHARED, rw, 0);
        memcpy(p + 100, "other", 6);
    });
    char got[6];
    SAFE_PREAD(fd, got, sizeof got, 100);
    CF_EXPECT(memcmp(got, "other", 6) == 0, "the other user's store is not there");
}

CF_CASE(posix, perm_trunc_other_user_refused,
        "shm_open(O_RDWR|O_TRUNC) of another user's 0644 object fails with EACCES and "
        "leaves its contents",
        "POSIX.1-2017 shm_open(), ERRORS (EACCES: O_TRUNC without write permission)")
{
    char name[CF_NAME_MAX];
    int fd = object_with_data(name, 0644);
    CF_AS_OTHER_USER({ CF_EXP_FAIL(shm_open(name, O_RDWR | O_TRUNC, 0), EACCES); });
    struct stat st;
    SAFE_FSTAT(fd, &st);
    CF_EXPECT_EQ(st.st_size, cf_page_size());
}

CF_CASE(posix, perm_unlink_non_owner_sticky_eacces,
        "shm_unlink() by a user who owns neither the object nor the sticky shm directory "
        "fails with EACCES, and the name stays (musl deviates: EPERM)",
        "POSIX.1-2017 shm_unlink(), ERRORS (EACCES is the only permission error listed)")
{
    struct stat dir;
    if (stat("/dev/shm", &dir) != 0)
        CF_SKIP("/dev/shm does not exist here (%s)", cf_errno_name(errno));
    if (!(dir.st_mode & S_ISVTX))
        CF_SKIP("/dev/shm is not sticky (mode %o): another user's refusal is not defined",
                (unsigned)(dir.st_mode & 07777));
    cf_info("/dev/shm mode %o", (unsigned)(dir.st_mode & 07777));
    char name[CF_NAME_MAX];
    object_with_data(name, 0666);
    CF_AS_OTHER_USER({ CF_EXP_FAIL(shm_unlink(name), EACCES); });
    /* The name is still there after the refused shm_unlink. */
    CF_EXP_PASS(shm_open(name, O_RDONLY, 0));
}

CF_CASE(posix, perm_owner_may_unlink,
        "the owner of an object may shm_unlink() it from the sticky shm directory without "
        "any other privilege",
        "POSIX.1-2017 shm_unlink(); XBD 4.5 (S_ISVTX: the file's owner may remove it)")
{
    char name[CF_NAME_MAX];
    cf_unique_name(name);
    cf_track_posix(name);
    CF_AS_OTHER_USER({
        CF_EXP_FD(shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600));
        CF_EXP_PASS(shm_unlink(name));
        CF_EXP_FAIL(shm_open(name, O_RDONLY, 0), ENOENT);
    });
}
