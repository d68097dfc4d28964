#include "src/shm/shl_fd.h"

#include <errno.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "src/testing/unique.h"

namespace {

TEST(ShlFd, ResizeReserveStatRequire)
{
    std::string path = shltest::TempPath();
    int fd = open(path.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
    ASSERT_GE(fd, 0);
    struct shl_error err;
    size_t size = 0;
    EXPECT_EQ(-1, shl_fd_require(fd, 1, &size, "f", &err));
    EXPECT_EQ(EINVAL, err.errnum);
    ASSERT_EQ(0, shl_fd_resize(fd, 100, "f", NULL));
    ASSERT_EQ(0, shl_fd_reserve(fd, 100, "f", NULL));
    ASSERT_EQ(0, shl_fd_reserve(fd, 0, "f", NULL));
    struct stat st;
    ASSERT_EQ(0, shl_fd_stat(fd, &st, "f", NULL));
    EXPECT_EQ(100, st.st_size);
    EXPECT_EQ(0, shl_fd_require(fd, 100, &size, "f", NULL));
    EXPECT_EQ(100u, size);
    EXPECT_EQ(-1, shl_fd_require(fd, 101, &size, "f", &err));
    EXPECT_STREQ("fstat", err.call);
    EXPECT_NE(nullptr, strstr(err.detail, "100 bytes, 101 needed"));
    shl_fd_close(fd);
    shl_fd_close(-1);
    unlink(path.c_str());
}

TEST(ShlFd, FailuresOnBadDescriptorsAndDirectories)
{
    struct shl_error err;
    struct stat st;
    size_t size;
    EXPECT_EQ(-1, shl_fd_resize(-1, 1, "x", &err));
    EXPECT_STREQ("ftruncate", err.call);
    EXPECT_EQ(EBADF, err.errnum);
    EXPECT_EQ(-1, shl_fd_reserve(-1, 1, "x", &err));
    EXPECT_STREQ("posix_fallocate", err.call);
    EXPECT_EQ(EBADF, err.errnum);
    EXPECT_EQ(-1, shl_fd_stat(-1, &st, "x", &err));
    EXPECT_EQ(EBADF, err.errnum);
    EXPECT_EQ(-1, shl_fd_resize(0, SIZE_MAX, "x", &err));
    EXPECT_EQ(EFBIG, err.errnum);
    int dir = open("/", O_RDONLY);
    ASSERT_GE(dir, 0);
    EXPECT_EQ(-1, shl_fd_require(dir, 0, &size, "/", &err));
    EXPECT_NE(nullptr, strstr(err.detail, "not a regular file"));
    close(dir);
}

} // namespace
