#include "src/shm/shl_file.h"

#include <errno.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/testing/run.h"
#include "src/testing/unique.h"

namespace {

off_t SizeOf(int fd)
{
    struct stat st;
    return fstat(fd, &st) == 0 ? st.st_size : -1;
}

TEST(ShlFile, CreatesExclusivelyWithModeAndSize)
{
    std::string path = shltest::TempPath();
    int fd, created;
    ASSERT_EQ(0, shl_file_create(path.c_str(), 40, 0600, SHL_CREATE_RESERVE, &fd, &created, NULL));
    EXPECT_EQ(1, created);
    struct stat st;
    ASSERT_EQ(0, fstat(fd, &st));
    EXPECT_EQ(40, st.st_size);
    EXPECT_EQ(0600u, st.st_mode & 07777);
    EXPECT_NE(0, fcntl(fd, F_GETFD) & FD_CLOEXEC);
    close(fd);

    struct shl_error err;
    EXPECT_EQ(-1, shl_file_create(path.c_str(), 40, 0600, 0, &fd, &created, &err));
    EXPECT_EQ(EEXIST, err.errnum);
    EXPECT_EQ(0, created);
    EXPECT_TRUE(shltest::FileExists(path)); // a refused create leaves the file alone
    ASSERT_EQ(0, shl_file_remove(path.c_str(), NULL));
    EXPECT_EQ(-1, shl_file_remove(path.c_str(), &err));
    EXPECT_EQ(ENOENT, err.errnum);
}

TEST(ShlFile, ReuseKeepsOrTruncatesAndResizes)
{
    std::string path = shltest::TempPath();
    int fd, created;
    ASSERT_EQ(0, shl_file_create(path.c_str(), 8, 0600, 0, &fd, &created, NULL));
    ASSERT_EQ(1, pwrite(fd, "x", 1, 0));
    close(fd);
    ASSERT_EQ(0, shl_file_create(path.c_str(), 16, 0644, SHL_CREATE_REUSE, &fd, &created, NULL));
    EXPECT_EQ(0, created);
    EXPECT_EQ(16, SizeOf(fd));
    char c = 0;
    ASSERT_EQ(1, pread(fd, &c, 1, 0));
    EXPECT_EQ('x', c);
    close(fd);
    ASSERT_EQ(0, shl_file_create(path.c_str(), 16, 0600, SHL_CREATE_REUSE | SHL_CREATE_TRUNC, &fd,
                                 &created, NULL));
    ASSERT_EQ(1, pread(fd, &c, 1, 0));
    EXPECT_EQ(0, c);
    close(fd);
    unlink(path.c_str());
    // REUSE of a name that does not exist creates it.
    ASSERT_EQ(0, shl_file_create(path.c_str(), 16, 0600, SHL_CREATE_REUSE, &fd, &created, NULL));
    EXPECT_EQ(1, created);
    close(fd);
    unlink(path.c_str());
}

TEST(ShlFile, RefusesDirectoriesAndCleansUpAfterFailure)
{
    int fd, created;
    struct shl_error err;
    const char *dir = getenv("TEST_TMPDIR");
    ASSERT_NE(nullptr, dir);
    EXPECT_EQ(-1, shl_file_create(dir, 8, 0600, SHL_CREATE_REUSE, &fd, &created, &err));
    EXPECT_EQ(EISDIR, err.errnum);
    EXPECT_EQ(-1, shl_file_open(dir, O_RDONLY, &fd, &err));
    EXPECT_NE(nullptr, strstr(err.detail, "not a regular file"));
    // A size the file system cannot hold: the new file must not stay behind.
    std::string path = shltest::TempPath();
    // Under a 1 MiB RLIMIT_FSIZE, so that no file system ever allocates it.
    EXPECT_TRUE(shltest::WithFileSizeLimit(1 << 20, [&] {
        return shl_file_create(path.c_str(), (size_t)1 << 62, 0600, SHL_CREATE_RESERVE, &fd,
                               &created, &err) == -1 &&
               created == 0;
    }));
    EXPECT_FALSE(shltest::FileExists(path));
    EXPECT_EQ(-1, shl_file_create("/nonexistent-dir/f", 8, 0600, 0, &fd, &created, &err));
    EXPECT_EQ(ENOENT, err.errnum);
}

TEST(ShlFile, OpensExistingRegularFilesOnly)
{
    std::string path = shltest::TempPath();
    int fd, created;
    struct shl_error err;
    EXPECT_EQ(-1, shl_file_open(path.c_str(), O_RDONLY, &fd, &err));
    EXPECT_EQ(ENOENT, err.errnum);
    EXPECT_STREQ("open", err.call);
    ASSERT_EQ(0, shl_file_create(path.c_str(), 8, 0600, 0, &fd, &created, NULL));
    close(fd);
    ASSERT_EQ(0, shl_file_open(path.c_str(), O_RDONLY, &fd, NULL));
    EXPECT_EQ(O_RDONLY, fcntl(fd, F_GETFL) & O_ACCMODE);
    close(fd);
    unlink(path.c_str());
    ASSERT_EQ(0, mkfifo(path.c_str(), 0600));
    EXPECT_EQ(-1, shl_file_open(path.c_str(), O_RDONLY, &fd, &err)); // never blocks on a FIFO
    unlink(path.c_str());
}

} // namespace
