#include "src/shm/shl_posix.h"

#include <errno.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "src/testing/run.h"
#include "src/testing/unique.h"

namespace {

TEST(ShlPosix, NameRule)
{
    EXPECT_EQ(0, shl_posix_name_check("/xyz", NULL));
    EXPECT_EQ(0, shl_posix_name_check("/.x", NULL));
    std::string longest = "/" + std::string(NAME_MAX, 'a');
    EXPECT_EQ(0, shl_posix_name_check(longest.c_str(), NULL));
    struct shl_error err;
    for (const char *bad : {"", "xyz", "/", "/a/b", "//a", "/.", "/..", "xyz/"}) {
        EXPECT_EQ(-1, shl_posix_name_check(bad, &err)) << bad;
        EXPECT_EQ(EINVAL, err.errnum) << bad;
    }
    EXPECT_EQ(-1, shl_posix_name_check(NULL, &err));
    std::string too_long = longest + "a";
    EXPECT_EQ(-1, shl_posix_name_check(too_long.c_str(), &err));
    EXPECT_EQ(ENAMETOOLONG, err.errnum);
}

TEST(ShlPosix, CreateOpenUnlink)
{
    std::string name = shltest::UniqueName();
    int fd, created;
    ASSERT_EQ(0, shl_posix_create(name.c_str(), 36, 0600, SHL_CREATE_RESERVE, &fd, &created, NULL));
    EXPECT_EQ(1, created);
    struct stat st;
    ASSERT_EQ(0, fstat(fd, &st));
    EXPECT_EQ(36, st.st_size);
    EXPECT_EQ(0600u, st.st_mode & 07777);
    close(fd);

    struct shl_error err;
    EXPECT_EQ(-1, shl_posix_create(name.c_str(), 36, 0600, 0, &fd, &created, &err));
    EXPECT_EQ(EEXIST, err.errnum);
    EXPECT_STREQ("shm_open", err.call);

    ASSERT_EQ(0, shl_posix_open(name.c_str(), O_RDONLY, &fd, NULL));
    EXPECT_EQ(O_RDONLY, fcntl(fd, F_GETFL) & O_ACCMODE);
    close(fd);
    ASSERT_EQ(0, shl_posix_open(name.c_str(), O_RDWR | O_TRUNC, &fd, NULL));
    ASSERT_EQ(0, fstat(fd, &st));
    EXPECT_EQ(0, st.st_size);
    close(fd);

    ASSERT_EQ(0, shl_posix_create(name.c_str(), 64, 0600, SHL_CREATE_REUSE, &fd, &created, NULL));
    EXPECT_EQ(0, created);
    ASSERT_EQ(0, fstat(fd, &st));
    EXPECT_EQ(64, st.st_size);
    close(fd);

    ASSERT_EQ(0, shl_posix_unlink(name.c_str(), NULL));
    EXPECT_FALSE(shltest::PosixExists(name));
    EXPECT_EQ(-1, shl_posix_unlink(name.c_str(), &err));
    EXPECT_EQ(ENOENT, err.errnum);
    EXPECT_EQ(-1, shl_posix_open(name.c_str(), O_RDONLY, &fd, &err));
    EXPECT_EQ(ENOENT, err.errnum);
}

TEST(ShlPosix, BadNamesAndFailedSizingLeaveNothing)
{
    int fd, created;
    struct shl_error err;
    EXPECT_EQ(-1, shl_posix_create("noslash", 8, 0600, 0, &fd, &created, &err));
    EXPECT_EQ(EINVAL, err.errnum);
    EXPECT_EQ(-1, shl_posix_open("/a/b", O_RDONLY, &fd, &err));
    EXPECT_EQ(EINVAL, err.errnum);
    std::string name = shltest::UniqueName();
    // Under a 1 MiB RLIMIT_FSIZE, so that an unbounded /dev/shm is never filled.
    EXPECT_TRUE(shltest::WithFileSizeLimit(1 << 20, [&] {
        return shl_posix_create(name.c_str(), (size_t)1 << 62, 0600, SHL_CREATE_RESERVE, &fd,
                                &created, &err) == -1 &&
               created == 0;
    }));
    EXPECT_FALSE(shltest::PosixExists(name));
}

} // namespace
