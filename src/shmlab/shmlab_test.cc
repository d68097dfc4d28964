// The shmlab command as a person runs it: the real binary in separate processes, writer
// and reader apart, under names and keys unique to each test.
#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "src/testing/run.h"
#include "src/testing/unique.h"

namespace {

using shltest::Exec;
using shltest::Result;

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

Result Shm(std::vector<std::string> args)
{
    args.insert(args.begin(), Shmlab());
    return Exec(args);
}

// No object whose name carries the pid of `r`'s process, and no segment it created.
void ExpectNothingLeftBy(const Result &r)
{
    std::string tag = "shmlab-" + std::to_string(r.pid) + "-";
    for (const char *dir : {"/dev/shm", (const char *)getenv("TEST_TMPDIR")}) {
        DIR *d = opendir(dir);
        ASSERT_NE(nullptr, d) << dir;
        while (struct dirent *e = readdir(d))
            EXPECT_NE(0, strncmp(e->d_name, tag.c_str(), tag.size())) << dir << "/" << e->d_name;
        closedir(d);
    }
    struct shm_info info;
    int max = shmctl(0, SHM_INFO, (struct shmid_ds *)&info);
    for (int i = 0; i <= max; i++) {
        struct shmid_ds ds;
        if (shmctl(i, SHM_STAT, &ds) >= 0) {
            EXPECT_NE(r.pid, ds.shm_cpid) << "segment of key " << KeyArg(ds.shm_perm.__key);
        }
    }
}

// One identity per mechanism: the object argument(s) shmlab takes and how to test for it.
struct Object {
    std::string mech;
    std::vector<std::string> args;
    std::function<bool()> exists;
};

Object Make(const std::string &mech)
{
    if (mech == "mmap") {
        std::string path = shltest::TempPath();
        return {mech, {path}, [path] { return shltest::FileExists(path); }};
    }
    if (mech == "sysv") {
        key_t key = shltest::UniqueKey();
        return {mech, {"--key", KeyArg(key)}, [key] { return shltest::SysvExists(key); }};
    }
    std::string name = shltest::UniqueName();
    return {mech, {"--name", name}, [name] { return shltest::PosixExists(name); }};
}

std::vector<std::string> Cmd(const std::string &cmd, const Object &o,
                             std::vector<std::string> extra = {})
{
    std::vector<std::string> v = {cmd, o.mech};
    v.insert(v.end(), o.args.begin(), o.args.end());
    v.insert(v.end(), extra.begin(), extra.end());
    return v;
}

class Worker : public ::testing::TestWithParam<std::string> {};

TEST_P(Worker, WriteThenReadInAnotherProcessThenRemove)
{
    Object o = Make(GetParam());
    auto w = Shm(Cmd("write", o));
    ASSERT_EQ(0, w.status) << w.err;
    EXPECT_EQ(1, shltest::Lines(w.out));
    EXPECT_TRUE(o.exists());
    auto r = Shm(Cmd("read", o));
    ASSERT_EQ(0, r.status) << r.err;
    const char *want = GetParam() == "mmap"   ? "name = a, age = 20\nname = b, age = 21\n"
                                                "name = c, age = 22\nname = d, age = 23\n"
                                                "name = e, age = 24\n"
                       : GetParam() == "sysv" ? "name:barr, age:20\n"
                                              : "name:test, age:29\n";
    EXPECT_EQ(want, r.out);
    EXPECT_EQ("", r.err);
    EXPECT_TRUE(o.exists()); // reading does not remove
    if (GetParam() == "mmap") {
        unlink(o.args[0].c_str());
    } else {
        auto rm = Shm(Cmd("read", o, {GetParam() == "sysv" ? "--remove" : "--unlink"}));
        ASSERT_EQ(0, rm.status) << rm.err;
    }
    EXPECT_FALSE(o.exists());
}

TEST_P(Worker, ModeDefaultsTo0600AndCanBeChosen)
{
    for (const char *mode : {"", "0640"}) {
        Object o = Make(GetParam());
        std::vector<std::string> extra;
        if (*mode != '\0')
            extra = {"--mode", mode, "--size", "64K"};
        auto w = Shm(Cmd("write", o, extra));
        ASSERT_EQ(0, w.status) << w.err;
        auto info = Shm(Cmd("info", o));
        ASSERT_EQ(0, info.status) << info.err;
        std::string want_mode = *mode != '\0' ? mode : "0600";
        EXPECT_NE(std::string::npos, info.out.find("mode     " + want_mode + "\n")) << info.out;
        EXPECT_NE(std::string::npos, w.out.find("mode " + want_mode)) << w.out;
        if (*mode != '\0') {
            EXPECT_NE(std::string::npos, info.out.find("size     65536\n")) << info.out;
        }
        if (GetParam() == "mmap")
            unlink(o.args[0].c_str());
        else
            ASSERT_EQ(0, Shm(Cmd("remove", o)).status);
        EXPECT_FALSE(o.exists());
    }
}

TEST_P(Worker, AnExistingObjectIsRefusedUnlessReused)
{
    Object o = Make(GetParam());
    ASSERT_EQ(0, Shm(Cmd("write", o)).status);
    auto again = Shm(Cmd("write", o));
    EXPECT_EQ(1, again.status);
    EXPECT_EQ(1, shltest::Lines(again.err));
    EXPECT_NE(std::string::npos, again.err.find("already exists (pass --reuse"));
    EXPECT_TRUE(o.exists()); // refusing does not remove someone's object
    EXPECT_EQ(0, Shm(Cmd("write", o, {"--reuse"})).status);
    if (GetParam() == "mmap")
        unlink(o.args[0].c_str());
    else
        ASSERT_EQ(0, Shm(Cmd("remove", o)).status);
}

// --hold keeps the object until a signal, then removes it and dies of that signal.
TEST_P(Worker, HoldRemovesTheObjectOnSignal)
{
    for (int sig : {SIGINT, SIGTERM}) {
        Object o = Make(GetParam());
        std::vector<std::string> args = Cmd("write", o, {"--hold"});
        args.insert(args.begin(), Shmlab());
        pid_t pid = shltest::StartUntilOutput(args); // "wrote ..." once the object exists
        ASSERT_GT(pid, 0);
        EXPECT_TRUE(o.exists());
        kill(pid, sig);
        int ws;
        ASSERT_EQ(pid, waitpid(pid, &ws, 0));
        EXPECT_TRUE(WIFSIGNALED(ws) && WTERMSIG(ws) == sig);
        EXPECT_FALSE(o.exists());
    }
}

TEST_P(Worker, LifecycleLeavesNothing)
{
    for (const char *size : {"1", "4096", "1M"}) {
        auto r = Shm({"lifecycle", GetParam(), "--size", size});
        EXPECT_EQ(0, r.status) << r.err;
        EXPECT_EQ("", r.out);
        EXPECT_EQ("", r.err);
        ExpectNothingLeftBy(r);
    }
}

// Objects too small for the records are refused before mapping, never read into SIGBUS.
TEST_P(Worker, ReadingATooSmallObjectFailsCleanly)
{
    Object o = Make(GetParam());
    if (GetParam() == "mmap") {
        int fd = open(o.args[0].c_str(), O_CREAT | O_EXCL | O_WRONLY, 0600);
        ASSERT_GE(fd, 0);
        ASSERT_EQ(10, write(fd, "0123456789", 10));
        close(fd);
    } else if (GetParam() == "sysv") {
        ASSERT_GE(
            shmget((key_t)strtoul(o.args[1].c_str(), nullptr, 0), 4, IPC_CREAT | IPC_EXCL | 0600),
            0);
    } else {
        int fd = shm_open(o.args[1].c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
        ASSERT_GE(fd, 0);
        close(fd); // size 0
    }
    auto r = Shm(Cmd("read", o));
    EXPECT_EQ(1, r.status);
    EXPECT_EQ(0, r.signal);
    EXPECT_EQ(1, shltest::Lines(r.err)) << r.err;
    EXPECT_NE(std::string::npos, r.err.find("needed")) << r.err;
    EXPECT_TRUE(o.exists());
    if (GetParam() == "mmap")
        unlink(o.args[0].c_str());
    else
        ASSERT_EQ(0, Shm(Cmd("remove", o)).status);
}

TEST_P(Worker, MissingObjectIsARuntimeError)
{
    Object o = Make(GetParam());
    for (const char *cmd : {"read", "info", "remove"}) {
        if (GetParam() == "mmap" && std::string(cmd) == "remove")
            continue;
        auto r = Shm(Cmd(cmd, o));
        EXPECT_EQ(1, r.status) << cmd;
        EXPECT_EQ(1, shltest::Lines(r.err)) << r.err;
        EXPECT_NE(std::string::npos, r.err.find("No such file or directory")) << r.err;
    }
}

INSTANTIATE_TEST_SUITE_P(AllMechanisms, Worker, ::testing::Values("mmap", "sysv", "posix"),
                         [](const ::testing::TestParamInfo<std::string> &info) {
                             return info.param;
                         });

// The minor page faults of one `shmlab lifecycle` run, from the children's resource usage.
long LifecycleFaults(const std::string &memory, const std::string &size)
{
    struct rusage before, after;
    getrusage(RUSAGE_CHILDREN, &before);
    auto r = Shm({"lifecycle", memory, "--size", size});
    getrusage(RUSAGE_CHILDREN, &after);
    EXPECT_EQ(0, r.status) << r.err;
    EXPECT_EQ("", r.out);
    EXPECT_EQ("", r.err);
    ExpectNothingLeftBy(r);
    return after.ru_minflt - before.ru_minflt;
}

// memfd (a mechanism no other process can open by name) and anon (the anon ring's memory,
// no mechanism at all) have a lifecycle too: each really maps and writes every page of the
// size asked for, seen as one write fault per page over what a one-page run costs (less a
// tenth: the start-up of two runs differs by a few faults).
TEST(Lifecycle, MemoryWithNoNameWritesEveryPage)
{
    FILE *thp = fopen("/sys/kernel/mm/transparent_hugepage/shmem_enabled", "r");
    char policy[128] = "";
    if (thp != nullptr) {
        (void)!fgets(policy, sizeof policy, thp);
        fclose(thp);
    }
    if (strstr(policy, "[never]") == nullptr && strstr(policy, "[deny]") == nullptr &&
        strstr(policy, "[advise]") == nullptr && thp != nullptr)
        GTEST_SKIP() << "shared memory may get huge pages here (" << policy
                     << "), so faults do not count pages";
    const long pages = (4 << 20) / sysconf(_SC_PAGESIZE);
    for (const char *memory : {"anon", "memfd"}) {
        long one = LifecycleFaults(memory, "1");
        long many = LifecycleFaults(memory, "4M");
        EXPECT_GE(many - one, pages * 9 / 10)
            << memory << ": " << one << " and " << many << " faults";
    }
}

// Every bad invocation ends with status 2 (usage) or 1 (run time), one line on stderr,
// no signal, no hang, and no object left behind.
TEST(BadInput, OneLineAndTheRightStatus)
{
    std::string dir = getenv("TEST_TMPDIR");
    std::string file = shltest::TempPath();
    std::string name = shltest::UniqueName();
    std::string key = KeyArg(shltest::UniqueKey());
    struct Case {
        std::vector<std::string> args;
        int status;
    };
    const std::vector<Case> cases = {
        {{}, 2},
        {{"bogus"}, 2},
        {{"write"}, 2},
        {{"write", "shm"}, 2},
        {{"write", "mmap"}, 2},
        {{"write", "mmap", ""}, 2},
        {{"write", "mmap", file, "extra"}, 2},
        {{"write", "sysv", "extra"}, 2},
        {{"write", "sysv", "--key"}, 2},
        {{"write", "sysv", "--key", "abc"}, 2},
        {{"write", "sysv", "--key", "0"}, 2},
        {{"read", "sysv", "--key", "0x0"}, 2},
        {{"write", "sysv", "--key", "0x100000000"}, 2},
        {{"write", "sysv", "--key", key, "--ftok", "/"}, 2},
        {{"write", "sysv", "--proj", "3"}, 2},
        {{"write", "sysv", "--ftok", "/", "--proj", "0"}, 2},
        {{"write", "sysv", "--name", name}, 2},
        {{"write", "posix", "--key", key}, 2},
        {{"write", "posix", "--name", "xyz"}, 2},
        {{"write", "posix", "--name", "/a/b"}, 2},
        {{"write", "posix", "--name", "/" + std::string(300, 'a')}, 2},
        {{"write", "posix", "--name", name, "--mode", "0999"}, 2},
        {{"write", "posix", "--name", name, "--mode", "rw"}, 2},
        {{"write", "posix", "--name", name, "--size", "10"}, 2},
        {{"write", "posix", "--name", name, "--size", "1x"}, 2},
        {{"write", "posix", "--name", name, "--size", "-5"}, 2},
        {{"write", "posix", "--name", name, "--size", "99999999999999999999"}, 2},
        {{"write", "posix", "--name", name, "--bogus"}, 2},
        {{"write", "mmap", file, "--remove"}, 2},
        {{"read", "sysv", "--key", key, "--hold"}, 2},
        {{"read", "sysv", "--key", key, "--size", "8"}, 2},
        {{"remove", "mmap", file}, 2},
        {{"lifecycle", "posix"}, 2},
        {{"lifecycle", "posix", "--size", "0"}, 2},
        {{"lifecycle", "mmap", file, "--size", "4096"}, 2},
        {{"lifecycle", "sysv", "--key", key, "--size", "4096"}, 2},
        {{"lifecycle", "anon", "--size", "4096", "--mode", "0644"}, 2},
        {{"lifecycle", "anon", file, "--size", "4096"}, 2},
        {{"lifecycle", "anon", "--size", "0"}, 2},
        {{"lifecycle", "memfd"}, 2},
        {{"read", "anon"}, 2},
        {{"write", "memfd"}, 2},
        {{"write", "mmap", dir}, 1},
        {{"write", "mmap", dir, "--reuse"}, 1},
        {{"write", "mmap", "/nonexistent-dir/f"}, 1},
        {{"read", "mmap", dir}, 1},
        {{"read", "mmap", file}, 1},
        {{"read", "sysv", "--key", key}, 1},
        {{"read", "posix", "--name", name}, 1},
        {{"read", "sysv", "--ftok", "/nonexistent-path"}, 1},
        {{"info", "sysv", "--key", key}, 1},
        {{"remove", "posix", "--name", name}, 1},
        {{"write", "sysv", "--key", key, "--size", "1T"}, 1},
        {{"write", "posix", "--name", name, "--size", "1T"}, 1},
        {{"write", "mmap", file, "--size", "1T"}, 1},
        {{"lifecycle", "sysv", "--size", "1T"}, 1},
        {{"lifecycle", "posix", "--size", "1T"}, 1},
    };
    for (const auto &c : cases) {
        std::string line;
        for (const auto &a : c.args)
            line += " " + a;
        Result r = Shm(c.args);
        EXPECT_FALSE(r.timed_out) << line;
        EXPECT_EQ(0, r.signal) << line;
        EXPECT_EQ(c.status, r.status) << line << "\n" << r.err;
        EXPECT_EQ(1, shltest::Lines(r.err)) << line << "\n" << r.err;
        EXPECT_EQ(0u, r.err.find("shmlab")) << line << "\n" << r.err;
        EXPECT_EQ("", r.out) << line;
        ExpectNothingLeftBy(r);
    }
    EXPECT_FALSE(shltest::FileExists(file));
    EXPECT_FALSE(shltest::PosixExists(name));
    EXPECT_FALSE(shltest::SysvExists((key_t)strtoul(key.c_str(), nullptr, 0)));
}

// Another user is refused what shmlab created with its default mode 0600, and let in when
// the mode says so. The binary is copied where that user can run it (the runfiles tree is
// under root's home), and dropped to with setpriv.
class OtherUser : public ::testing::TestWithParam<std::string> {
  protected:
    void SetUp() override
    {
        char dir[] = "/tmp/shmlab-test-XXXXXX";
        ASSERT_NE(nullptr, mkdtemp(dir));
        dir_ = dir;
        ASSERT_EQ(0, chmod(dir_.c_str(), 0755));
        copy_ = dir_ + "/shmlab";
        std::string cmd = "cp " + Shmlab() + " " + copy_;
        ASSERT_EQ(0, system(cmd.c_str()));
        auto probe = Exec({"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                           copy_, "--help"});
        if (probe.status != 0)
            GTEST_SKIP() << "cannot run as uid 65534 here: " << probe.err;
    }
    void TearDown() override
    {
        unlink(copy_.c_str());
        rmdir(dir_.c_str());
    }
    Result AsNobody(const std::vector<std::string> &args)
    {
        std::vector<std::string> v = {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
                                      "--clear-groups", copy_};
        v.insert(v.end(), args.begin(), args.end());
        return Exec(v);
    }
    std::string dir_, copy_;
};

TEST_P(OtherUser, RefusedByDefaultAdmittedByMode)
{
    Object o = Make(GetParam());
    ASSERT_EQ(0, Shm(Cmd("write", o)).status);
    auto r = AsNobody(Cmd("read", o));
    EXPECT_EQ(1, r.status);
    EXPECT_NE(std::string::npos, r.err.find("Permission denied")) << r.err;
    EXPECT_EQ("", r.out);
    ASSERT_EQ(0, Shm(Cmd("remove", o)).status);

    ASSERT_EQ(0, Shm(Cmd("write", o, {"--mode", "0644"})).status);
    r = AsNobody(Cmd("read", o));
    EXPECT_EQ(0, r.status) << r.err;
    EXPECT_EQ(1, shltest::Lines(r.out));
    r = AsNobody(Cmd("remove", o)); // reading is allowed, removing is not
    EXPECT_EQ(1, r.status);
    EXPECT_TRUE(o.exists());
    ASSERT_EQ(0, Shm(Cmd("remove", o)).status);
}

// Files are left out: whether another user reaches one depends on every directory above
// it, which the test does not control; the conformance cases cover file permissions.
INSTANTIATE_TEST_SUITE_P(SharedMemory, OtherUser, ::testing::Values("sysv", "posix"),
                         [](const ::testing::TestParamInfo<std::string> &info) {
                             return info.param;
                         });

TEST(Help, EveryCommandExplainsItself)
{
    auto top = Shm({"--help"});
    EXPECT_EQ(0, top.status);
    for (const char *cmd : {"write", "read", "info", "remove", "lifecycle"}) {
        EXPECT_NE(std::string::npos, top.out.find(std::string("shmlab ") + cmd)) << cmd;
        auto r = Shm({cmd, "--help"});
        EXPECT_EQ(0, r.status) << cmd;
        EXPECT_EQ(0u, r.out.find(std::string("usage: shmlab ") + cmd)) << r.out;
    }
}

} // namespace
