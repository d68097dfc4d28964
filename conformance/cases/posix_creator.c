/* The creator and owner of a POSIX shm object: what the creating descriptor may do whatever
 * the mode, what the owner's own mode bits deny on a later open, and how posix_fallocate
 * sizes the object. */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_names.h"
#include "conformance/harness/cf_safe.h"
#include "conformance/harness/cf_userns.h"

/* shm_open(O_RDWR | O_CREAT | O_EXCL) of a new, registered name with `mode`. */
static int create_with_mode(char name[CF_NAME_MAX], mode_t mode)
{
    cf_unique_name(name);
    cf_track_posix(name);
    return CF_EXP_FD(shm_open(name, O_RDWR | O_CREAT | O_EXCL, mode));
}

CF_CASE(posix, create_mode_zero_fd_read_write,
        "the descriptor that creates an object with mode 0 is still open for reading and "
        "writing: it can be sized, mapped writable and written",
        "POSIX.1-2017 shm_open(), DESCRIPTION (the permission check applies to an existing "
        "object only); open(2) (O_CREAT: the mode applies to future accesses)")
{
    char name[CF_NAME_MAX];
    size_t page = (size_t)cf_page_size();
    CF_AS_UNPRIVILEGED({
        int fd = create_with_mode(name, 0);
        CF_EXPECT_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDWR);
        CF_EXP_PASS(ftruncate(fd, (off_t)page));
        char *p = CF_EXP_PTR(mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
        memcpy(p, "mode 0", 7);
        char buf[7];
        SAFE_PREAD(fd, buf, sizeof buf, 0);
        CF_EXPECT(memcmp(buf, "mode 0", 7) == 0, "the store did not reach the object");
    });
}

CF_CASE(posix, create_mode_zero_reopen_eacces,
        "an unprivileged creator cannot open its own mode-0 object again: EACCES",
        "POSIX.1-2017 shm_open(), ERRORS (EACCES); Open POSIX shm_open/32-1")
{
    char name[CF_NAME_MAX];
    CF_AS_UNPRIVILEGED({
        create_with_mode(name, 0);
        CF_EXP_FAIL(shm_open(name, O_RDWR, 0), EACCES);
        CF_EXP_FAIL(shm_open(name, O_RDONLY, 0), EACCES);
    });
}

CF_CASE(posix, owner_bits_apply_on_reopen,
        "the owner's own mode bits decide its later opens: an unprivileged owner of a 0400 "
        "object may open it O_RDONLY but not O_RDWR (EACCES)",
        "POSIX.1-2017 shm_open(), ERRORS (EACCES); XBD 4.5 File access permissions (owner "
        "class)")
{
    char name[CF_NAME_MAX];
    CF_AS_UNPRIVILEGED({
        create_with_mode(name, 0400);
        CF_EXP_FAIL(shm_open(name, O_RDWR, 0), EACCES);
        int ro = CF_EXP_FD(shm_open(name, O_RDONLY, 0));
        CF_EXPECT_EQ(fcntl(ro, F_GETFL) & O_ACCMODE, O_RDONLY);
    });
}

CF_CASE(posix, fallocate_grows_size,
        "posix_fallocate() past the end of an object grows st_size to offset + len, and the "
        "new bytes read as zeros",
        "POSIX.1-2017 posix_fallocate(), DESCRIPTION (the file size is changed if "
        "offset + len is beyond it)")
{
    size_t page = (size_t)cf_page_size();
    int fd = SAFE_SHM_NEW(page, NULL);
    SAFE_PWRITE(fd, "kept", 4, 0);
    int ret = posix_fallocate(fd, (off_t)page, (off_t)(2 * page));
    CF_ASSERT(ret == 0, "posix_fallocate returned %s", cf_errno_name(ret));
    struct stat st;
    SAFE_FSTAT(fd, &st);
    CF_EXPECT_EQ(st.st_size, (off_t)(3 * page));
    char buf[4];
    SAFE_PREAD(fd, buf, sizeof buf, 0);
    CF_EXPECT(memcmp(buf, "kept", 4) == 0, "posix_fallocate changed the existing bytes");
    char tail = 'x';
    SAFE_PREAD(fd, &tail, 1, (off_t)(3 * page) - 1);
    CF_EXPECT_EQ(tail, 0);
}

CF_CASE(posix, fallocate_never_shrinks_size,
        "posix_fallocate() of a range inside an object leaves st_size and the contents as "
        "they were",
        "POSIX.1-2017 posix_fallocate(), DESCRIPTION (never shrinks the file)")
{
    size_t page = (size_t)cf_page_size();
    int fd = SAFE_SHM_NEW(3 * page, NULL);
    SAFE_PWRITE(fd, "end", 3, (off_t)(3 * page) - 3);
    int ret = posix_fallocate(fd, 0, (off_t)page);
    CF_ASSERT(ret == 0, "posix_fallocate returned %s", cf_errno_name(ret));
    struct stat st;
    SAFE_FSTAT(fd, &st);
    CF_EXPECT_EQ(st.st_size, (off_t)(3 * page));
    char buf[3];
    SAFE_PREAD(fd, buf, sizeof buf, (off_t)(3 * page) - 3);
    CF_EXPECT(memcmp(buf, "end", 3) == 0, "the last bytes changed");
}
