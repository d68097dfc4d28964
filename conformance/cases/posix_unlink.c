/* shm_unlink(): the name goes at once, the object when its last user lets go. */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_names.h"
#include "conformance/harness/cf_safe.h"

CF_CASE(posix, unlink_name_gone_with_open_fd,
        "after shm_unlink() the name is gone at once (shm_open without O_CREAT fails with "
        "ENOENT) even while descriptors are open",
        "POSIX.1-2017 shm_unlink(), DESCRIPTION")
{
    char name[CF_NAME_MAX];
    SAFE_SHM_NEW(cf_page_size(), name);
    CF_EXP_PASS(shm_unlink(name));
    CF_EXP_FAIL(shm_open(name, O_RDWR, 0), ENOENT);
}

CF_CASE(posix, unlink_contents_live_until_close,
        "after shm_unlink() an open descriptor and a mapping still reach the contents, and "
        "stores through one are seen through the other",
        "POSIX.1-2017 shm_unlink(), DESCRIPTION (removal postponed until all references "
        "are gone)")
{
    char name[CF_NAME_MAX];
    long page = cf_page_size();
    int fd = SAFE_SHM_NEW(page, name);
    char *p = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    memcpy(p, "alive", 6);
    CF_EXP_PASS(shm_unlink(name));
    char got[6];
    SAFE_PREAD(fd, got, sizeof got, 0);
    CF_EXPECT(memcmp(got, "alive", 6) == 0, "the descriptor reads other bytes");
    SAFE_PWRITE(fd, "still", 6, 100);
    CF_EXPECT(memcmp(p + 100, "still", 6) == 0, "the mapping does not see the write");
}

CF_CASE(posix, unlink_mapping_outlives_close,
        "a mapping of an unlinked object keeps its contents after the last descriptor is "
        "closed, and is shared with a forked child",
        "POSIX.1-2017 shm_unlink() (references include mappings); mmap()")
{
    char name[CF_NAME_MAX];
    long page = cf_page_size();
    int fd = SAFE_SHM_NEW(page, name);
    volatile char *p = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    memcpy((char *)p, "mapped", 7);
    CF_EXP_PASS(shm_unlink(name));
    SAFE_CLOSE(fd);
    CF_EXPECT(p[0] == 'm' && p[5] == 'd', "the contents are gone");
    pid_t pid = CF_FORK();
    if (pid == 0) {
        p[10] = 'c';
        _exit(0);
    }
    CF_REAP(pid);
    CF_EXPECT(p[10] == 'c', "the child's store through the inherited mapping is not seen");
}

CF_CASE(posix, unlink_name_reuse_new_object,
        "shm_open(O_CREAT|O_EXCL) of an unlinked name creates a new, empty object while the "
        "old one lives on for its holders",
        "POSIX.1-2017 shm_unlink(), DESCRIPTION; shm_open() (O_CREAT)")
{
    char name[CF_NAME_MAX];
    long page = cf_page_size();
    int old = SAFE_SHM_NEW(page, name);
    SAFE_PWRITE(old, "old", 4, 0);
    CF_EXP_PASS(shm_unlink(name));
    int fresh = CF_EXP_FD(shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600));
    struct stat a, b;
    SAFE_FSTAT(old, &a);
    SAFE_FSTAT(fresh, &b);
    CF_EXPECT(a.st_ino != b.st_ino || a.st_dev != b.st_dev, "the same object came back");
    CF_EXPECT_EQ(b.st_size, 0);
    SAFE_FTRUNCATE(fresh, page);
    SAFE_PWRITE(fresh, "new", 4, 0);
    char got[4];
    SAFE_PREAD(old, got, sizeof got, 0);
    CF_EXPECT(memcmp(got, "old", 4) == 0, "the old object changed with the new one");
}

CF_CASE(posix, unlink_missing_enoent,
        "shm_unlink() of a name that does not exist fails with ENOENT",
        "POSIX.1-2017 shm_unlink(), ERRORS (ENOENT)")
{
    char name[CF_NAME_MAX];
    cf_unique_name(name);
    CF_EXP_FAIL(shm_unlink(name), ENOENT);
}

CF_CASE(posix, unlink_twice_enoent, "a second shm_unlink() of the same name fails with ENOENT",
        "POSIX.1-2017 shm_unlink(), ERRORS (ENOENT)")
{
    char name[CF_NAME_MAX];
    SAFE_SHM_NEW(0, name);
    CF_EXP_PASS(shm_unlink(name));
    CF_EXP_FAIL(shm_unlink(name), ENOENT);
}
