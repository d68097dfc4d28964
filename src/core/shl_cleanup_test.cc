#include "src/core/shl_cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "src/core/shl_name.h"
#include "src/testing/run.h"

namespace {

std::string TempPath()
{
    const char *dir = getenv("TEST_TMPDIR");
    char name[SHL_NAME_LEN];
    EXPECT_EQ(0, shl_name_posix(name, sizeof name, NULL));
    return std::string(dir != nullptr ? dir : "/tmp") + name;
}

bool Exists(const std::string &path)
{
    struct stat st;
    return stat(path.c_str(), &st) == 0;
}

TEST(ShlCleanup, RunRemovesEveryKindAndForgetKeeps)
{
    std::string file = TempPath();
    int fd = open(file.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
    ASSERT_GE(fd, 0);
    close(fd);
    char name[SHL_NAME_LEN];
    ASSERT_EQ(0, shl_name_posix(name, sizeof name, NULL));
    fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
    ASSERT_GE(fd, 0);
    close(fd);
    int shmid = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
    ASSERT_GE(shmid, 0);
    std::string kept = TempPath();
    fd = open(kept.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
    ASSERT_GE(fd, 0);
    close(fd);

    ASSERT_GE(shl_cleanup_add(SHL_CLEANUP_FILE, file.c_str(), -1, NULL), 0);
    ASSERT_GE(shl_cleanup_add(SHL_CLEANUP_POSIX, name, -1, NULL), 0);
    ASSERT_GE(shl_cleanup_add(SHL_CLEANUP_SYSV, NULL, shmid, NULL), 0);
    int slot = shl_cleanup_add(SHL_CLEANUP_FILE, kept.c_str(), -1, NULL);
    ASSERT_GE(slot, 0);
    shl_cleanup_forget(slot);
    shl_cleanup_forget(-1);

    EXPECT_EQ(0, shl_cleanup_run());
    EXPECT_FALSE(Exists(file));
    EXPECT_FALSE(Exists(std::string("/dev/shm") + name));
    struct shmid_ds ds;
    EXPECT_EQ(-1, shmctl(shmid, IPC_STAT, &ds));
    EXPECT_TRUE(Exists(kept));
    EXPECT_EQ(0, shl_cleanup_run()); // nothing left to do
    unlink(kept.c_str());
}

TEST(ShlCleanup, CountsFailedRemovals)
{
    ASSERT_GE(shl_cleanup_add(SHL_CLEANUP_FILE, "/nonexistent/shmlab-test", -1, NULL), 0);
    EXPECT_EQ(1, shl_cleanup_run());
}

TEST(ShlCleanup, RefusesWhenFullOrTooLong)
{
    struct shl_error err;
    std::string long_path(SHL_CLEANUP_PATH_MAX, 'x');
    EXPECT_EQ(-1, shl_cleanup_add(SHL_CLEANUP_FILE, long_path.c_str(), -1, &err));
    EXPECT_EQ(ENAMETOOLONG, err.errnum);
    int slots[SHL_CLEANUP_SLOTS];
    for (int &s : slots) {
        s = shl_cleanup_add(SHL_CLEANUP_FILE, "/nonexistent/x", -1, NULL);
        ASSERT_GE(s, 0);
    }
    EXPECT_EQ(-1, shl_cleanup_add(SHL_CLEANUP_FILE, "/nonexistent/y", -1, &err));
    EXPECT_EQ(ENOSPC, err.errnum);
    for (int s : slots)
        shl_cleanup_forget(s);
}

// A child registers an object, then is sent SIGTERM: the object must be gone and the child
// must still have died of SIGTERM, as its parent would expect.
TEST(ShlCleanup, SignalRemovesAndStillKills)
{
    for (int sig : {SIGINT, SIGTERM}) {
        char name[SHL_NAME_LEN];
        ASSERT_EQ(0, shl_name_posix(name, sizeof name, NULL));
        pid_t pid = shltest::ForkReady([&] {
            int fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
            return fd >= 0 && shl_cleanup_add(SHL_CLEANUP_POSIX, name, -1, NULL) >= 0 &&
                   shl_cleanup_on_signals(NULL) == 0;
        });
        ASSERT_GT(pid, 0);
        kill(pid, sig);
        int ws;
        ASSERT_EQ(pid, waitpid(pid, &ws, 0));
        EXPECT_TRUE(WIFSIGNALED(ws));
        EXPECT_EQ(sig, WTERMSIG(ws));
        EXPECT_FALSE(Exists(std::string("/dev/shm") + name));
        shm_unlink(name); // in case the test failed
    }
}

} // namespace
