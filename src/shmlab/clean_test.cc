// Tests that need a private IPC namespace and /dev/shm, so that no other test's object can
// be involved: `shmlab clean` after a worker was killed with SIGKILL (the stale objects go,
// live ones and everybody else's stay), and a /dev/shm too small for an object.
#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <random>
#include <string>
#include <vector>

#include "src/testing/private_ipc.h"
#include "src/testing/run.h"
#include "src/testing/unique.h"

namespace {

using shltest::Exec;

std::string Shmlab()
{
    return shltest::Runfile("src/shmlab");
}

std::string KeyArg(key_t key)
{
    char buf[16];
    snprintf(buf, sizeof buf, "0x%08x", (unsigned)key);
    return buf;
}

// A message queue under `key` made by a process that is gone, stamped as the sysv-msg
// transport stamps its queues (an empty message sent and received by its maker).
void LeaveQueue(key_t key)
{
    pid_t pid = fork();
    if (pid == 0) {
        struct {
            long mtype;
        } empty = {1};
        int id = msgget(key, IPC_CREAT | IPC_EXCL | 0600);
        _exit(id < 0 || msgsnd(id, &empty, 0, IPC_NOWAIT) != 0 ||
              msgrcv(id, &empty, 0, 0, IPC_NOWAIT) != 0);
    }
    int ws;
    ASSERT_EQ(pid, waitpid(pid, &ws, 0));
    ASSERT_TRUE(WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
}

// A writer that is killed with SIGKILL while it holds its segment.
void KillWhileHolding(key_t key)
{
    pid_t pid = shltest::StartUntilOutput(
        {Shmlab(), "write", "sysv", "--key", KeyArg(key), "--hold"});
    ASSERT_GT(pid, 0);
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
}

TEST(Clean, RemovesOnlyWhatDeadShmlabProcessesLeft)
{
    SHLTEST_REQUIRE_PRIVATE_IPC();
    std::string dir = getenv("TEST_TMPDIR");
    std::vector<std::string> env = {"TMPDIR=" + dir};
    char suffix[] = "-0123456789abcdef";
    std::string dead_name = "/shmlab-" + std::to_string(shltest::DeadPid()) + suffix;
    std::string live_name = "/shmlab-" + std::to_string(getpid()) + suffix;
    std::string dead_file = dir + "/shmlab-" + std::to_string(shltest::DeadPid()) + suffix;
    key_t dead_key = shltest::UniqueKey();
    key_t foreign_key = 0x11112222;
    key_t dead_queue = shltest::UniqueKey();
    std::string dead_folder = dir + "/shmlab-" + std::to_string(shltest::DeadPid()) + "-a1b2c3";
    std::string live_folder = dir + "/shmlab-" + std::to_string(getpid()) + "-d4e5f6";

    ASSERT_EQ(0, Exec({Shmlab(), "write", "posix", "--name", dead_name}).status);
    ASSERT_EQ(0, Exec({Shmlab(), "write", "posix", "--name", live_name}).status);
    ASSERT_EQ(0, Exec({Shmlab(), "write", "posix", "--name", "/other"}).status);
    ASSERT_EQ(0, Exec({Shmlab(), "write", "mmap", dead_file}).status);
    ASSERT_EQ(0, Exec({Shmlab(), "write", "sysv", "--key", KeyArg(foreign_key)}).status);
    KillWhileHolding(dead_key);
    ASSERT_TRUE(shltest::SysvExists(dead_key)); // SIGKILL left it behind
    LeaveQueue(dead_queue);
    ASSERT_EQ(0, mkdir(dead_folder.c_str(), 0700)); // killed before its socket was bound
    ASSERT_EQ(0, mkdir(live_folder.c_str(), 0700));

    auto dry = Exec({Shmlab(), "clean", "--dry-run"}, env);
    ASSERT_EQ(0, dry.status) << dry.err;
    EXPECT_NE(std::string::npos, dry.out.find("5 stale objects found, 2 in use left alone"))
        << dry.out;
    EXPECT_TRUE(shltest::PosixExists(dead_name));

    auto clean = Exec({Shmlab(), "clean"}, env);
    ASSERT_EQ(0, clean.status) << clean.err;
    EXPECT_NE(std::string::npos, clean.out.find("removed posix " + dead_name)) << clean.out;
    EXPECT_NE(std::string::npos, clean.out.find("removed mmap " + dead_file)) << clean.out;
    EXPECT_NE(std::string::npos, clean.out.find("removed sysv key " + KeyArg(dead_key)))
        << clean.out;
    EXPECT_NE(std::string::npos, clean.out.find("removed sysv-msg key " + KeyArg(dead_queue)))
        << clean.out;
    EXPECT_NE(std::string::npos, clean.out.find("removed zeromq-ipc " + dead_folder)) << clean.out;
    EXPECT_EQ(-1, msgget(dead_queue, 0));
    EXPECT_FALSE(shltest::FileExists(dead_folder));
    EXPECT_TRUE(shltest::FileExists(live_folder));
    EXPECT_FALSE(shltest::PosixExists(dead_name));
    EXPECT_FALSE(shltest::FileExists(dead_file));
    EXPECT_FALSE(shltest::SysvExists(dead_key));
    EXPECT_TRUE(shltest::PosixExists(live_name));
    EXPECT_TRUE(shltest::PosixExists("/other"));
    EXPECT_TRUE(shltest::SysvExists(foreign_key));

    auto again = Exec({Shmlab(), "clean"}, env);
    EXPECT_NE(std::string::npos, again.out.find("0 stale objects removed")) << again.out;
    shm_unlink(live_name.c_str());
    shm_unlink("/other");
    rmdir(live_folder.c_str());
    shmctl(shmget(foreign_key, 0, 0), IPC_RMID, nullptr);
}

// The private /dev/shm is a 1 MiB tmpfs: an object that does not fit must be an error
// at creation (posix_fallocate), not a SIGBUS at the first touch past the quota.
TEST(SmallDevShm, ObjectsThatDoNotFitAreErrorsNotSignals)
{
    SHLTEST_REQUIRE_PRIVATE_IPC();
    std::string name = shltest::UniqueName();
    for (auto args : std::vector<std::vector<std::string>>{
             {Shmlab(), "lifecycle", "posix", "--size", "4M"},
             {Shmlab(), "write", "posix", "--name", name, "--size", "4M"}}) {
        auto r = Exec(args);
        EXPECT_EQ(0, r.signal);
        EXPECT_EQ(1, r.status);
        EXPECT_NE(std::string::npos, r.err.find("No space left on device")) << r.err;
        EXPECT_EQ(1, shltest::Lines(r.err));
    }
    EXPECT_FALSE(shltest::PosixExists(name));
    auto fits = Exec({Shmlab(), "lifecycle", "posix", "--size", "512K"});
    EXPECT_EQ(0, fits.status) << fits.err;
    auto clean = Exec({Shmlab(), "clean", "--dry-run"});
    EXPECT_NE(std::string::npos, clean.out.find("0 stale objects found")) << clean.out;
}

// What is in the private namespace: /dev/shm entries, files in `dir`, System V segments.
int Leftovers(const std::string &dir)
{
    int n = 0;
    for (const std::string &d : {std::string("/dev/shm"), dir}) {
        DIR *dp = opendir(d.c_str());
        if (dp == nullptr)
            continue;
        while (struct dirent *e = readdir(dp))
            n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
        closedir(dp);
    }
    struct shm_info info;
    int max = shmctl(0, SHM_INFO, (struct shmid_ds *)(void *)&info);
    for (int i = 0; i <= max; i++) {
        struct shmid_ds ds;
        n += shmctl(i, SHM_STAT, &ds) >= 0;
    }
    return n;
}

// Workers killed at random points, many times: SIGINT and SIGTERM must leave nothing at
// all; after SIGKILL (no chance to clean up) `shmlab clean` must leave nothing.
TEST(Kill, AtRandomPointsNothingIsLeft)
{
    SHLTEST_REQUIRE_PRIVATE_IPC();
    std::string dir = std::string(getenv("TEST_TMPDIR")) + "/kill";
    ASSERT_EQ(0, mkdir(dir.c_str(), 0700));
    setenv("TMPDIR", dir.c_str(), 1);
    ASSERT_EQ(0, Leftovers(dir));
    unsigned seed = (unsigned)time(nullptr);
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937 rng(seed);
    const char *mechs[] = {"mmap", "sysv", "posix"};
    const int sigs[] = {SIGINT, SIGTERM, SIGKILL};
    int killed = 0;
    for (int i = 0; i < 90; i++) {
        const char *mech = mechs[i % 3];
        int sig = sigs[rng() % 3];
        std::string s = Shmlab();
        const char *argv[] = {s.c_str(), "lifecycle", mech, "--size", "512K", nullptr};
        pid_t pid;
        ASSERT_EQ(0,
                  posix_spawn(&pid, argv[0], nullptr, nullptr, const_cast<char **>(argv), environ));
        usleep(rng() % 1500);
        kill(pid, sig);
        int ws;
        ASSERT_EQ(pid, waitpid(pid, &ws, 0));
        EXPECT_TRUE(WIFSIGNALED(ws) ? WTERMSIG(ws) == sig : WEXITSTATUS(ws) == 0)
            << mech << " " << strsignal(sig);
        killed += WIFSIGNALED(ws);
        if (sig == SIGKILL) {
            auto clean = Exec({Shmlab(), "clean"});
            EXPECT_EQ(0, clean.status) << clean.err;
        }
        ASSERT_EQ(0, Leftovers(dir)) << mech << " killed by " << strsignal(sig);
    }
    rmdir(dir.c_str());
    // Most runs must really be interrupted, or the test proves little.
    EXPECT_GT(killed, 30);
    printf("%d of 90 workers were killed mid-run\n", killed);
}

TEST(Clean, RejectsArguments)
{
    auto r = Exec({Shmlab(), "clean", "posix"});
    EXPECT_EQ(2, r.status);
    r = Exec({Shmlab(), "clean", "--key", "1"});
    EXPECT_EQ(2, r.status);
}

} // namespace
