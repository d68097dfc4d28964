#include "src/shm/shl_map.h"

#include <errno.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include "src/testing/unique.h"

namespace {

class ShlMap : public ::testing::Test {
  protected:
    void SetUp() override
    {
        path_ = shltest::TempPath();
        fd_ = open(path_.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
        ASSERT_GE(fd_, 0);
        ASSERT_EQ(0, ftruncate(fd_, 2 * (off_t)shl_page_size()));
    }
    void TearDown() override
    {
        close(fd_);
        unlink(path_.c_str());
    }
    std::string path_;
    int fd_ = -1;
};

TEST_F(ShlMap, MapsWritesReachTheFileSyncsAndUnmaps)
{
    struct shl_map m;
    size_t len = 2 * shl_page_size();
    ASSERT_EQ(0, shl_map_fd(fd_, NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, 0, &m, NULL));
    EXPECT_EQ(len, m.len);
    memcpy(m.addr, "hello", 5);
    for (int flags : {MS_SYNC, MS_ASYNC, MS_SYNC | MS_INVALIDATE, MS_ASYNC | MS_INVALIDATE})
        EXPECT_EQ(0, shl_map_sync(&m, flags, NULL)) << flags;
    char buf[5];
    ASSERT_EQ(5, pread(fd_, buf, 5, 0));
    EXPECT_EQ(0, memcmp(buf, "hello", 5));
    ASSERT_EQ(0, shl_map_unmap(&m, NULL));
    EXPECT_EQ(nullptr, m.addr);
    EXPECT_EQ(0u, m.len);
    EXPECT_EQ(0, shl_map_unmap(&m, NULL)); // unmapping nothing succeeds
}

TEST_F(ShlMap, FailuresComeBackAsValues)
{
    struct shl_map m = {NULL, 0};
    struct shl_error err;
    EXPECT_EQ(-1, shl_map_fd(-1, NULL, 4096, PROT_READ, MAP_SHARED, 0, &m, &err));
    EXPECT_STREQ("mmap", err.call);
    EXPECT_EQ(EBADF, err.errnum);
    EXPECT_EQ(nullptr, m.addr);
    EXPECT_EQ(-1, shl_map_fd(fd_, NULL, 0, PROT_READ, MAP_SHARED, 0, &m, &err));
    EXPECT_EQ(EINVAL, err.errnum);
    EXPECT_EQ(-1, shl_map_fd(fd_, NULL, 4096, PROT_READ, MAP_SHARED, 1, &m, &err));
    EXPECT_EQ(EINVAL, err.errnum);

    ASSERT_EQ(0, shl_map_fd(fd_, NULL, 4096, PROT_READ, MAP_SHARED, 0, &m, NULL));
    EXPECT_EQ(-1, shl_map_sync(&m, MS_SYNC | MS_ASYNC, &err));
    EXPECT_STREQ("msync", err.call);
    EXPECT_EQ(EINVAL, err.errnum);
    struct shl_map bad = {(char *)m.addr + 1, 1};
    EXPECT_EQ(-1, shl_map_unmap(&bad, &err));
    EXPECT_STREQ("munmap", err.call);
    EXPECT_EQ(EINVAL, err.errnum);
    ASSERT_EQ(0, shl_map_unmap(&m, NULL));
}

TEST_F(ShlMap, TouchWritesEveryPage)
{
    struct shl_map m;
    size_t page = shl_page_size();
    ASSERT_EQ(0, shl_map_fd(fd_, NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_SHARED, 0, &m, NULL));
    memset(m.addr, 0xff, 2 * page);
    shl_map_touch(&m, 1);
    EXPECT_EQ(0, ((unsigned char *)m.addr)[0]);
    EXPECT_EQ((unsigned char)page, ((unsigned char *)m.addr)[page]);
    shl_map_touch(&m, 0);
    ASSERT_EQ(0, shl_map_unmap(&m, NULL));
    EXPECT_EQ((size_t)sysconf(_SC_PAGESIZE), page);
}

} // namespace
