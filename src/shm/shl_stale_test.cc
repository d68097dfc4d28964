#include "src/shm/shl_stale.h"

#include <errno.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <mqueue.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <string>
#include <vector>

#include "src/core/shl_name.h"
#include "src/testing/unique.h"

namespace {

struct Found {
    std::vector<struct shl_stale> all;
};

int Collect(const struct shl_stale *obj, void *arg)
{
    static_cast<Found *>(arg)->all.push_back(*obj);
    return 0;
}

// Creates one object per mechanism under names shmlab chooses and keeps them, in this
// process (pid_out = 0) or in a child that then exits, leaving them stale.
std::vector<struct shl_shm> Leave(bool in_child)
{
    int fds[2];
    EXPECT_EQ(0, pipe(fds));
    pid_t pid = in_child ? fork() : 0;
    std::vector<struct shl_shm> made(3);
    if (pid == 0) {
        for (int m = 0; m < 3; m++) {
            struct shl_shm_spec spec = {};
            spec.mech = (enum shl_mech)m;
            spec.size = 4096;
            spec.mode = 0600;
            if (shl_shm_create(&made[m], &spec, NULL) != 0)
                abort();
            shl_shm_keep(&made[m]);
            shl_shm_close(&made[m]);
        }
        if (in_child) {
            (void)!write(fds[1], made.data(), sizeof(struct shl_shm) * 3);
            _exit(0);
        }
    } else {
        for (size_t got = 0; got < sizeof(struct shl_shm) * 3;) {
            ssize_t n = read(fds[0], (char *)made.data() + got, sizeof(struct shl_shm) * 3 - got);
            EXPECT_GT(n, 0);
            if (n <= 0)
                break;
            got += (size_t)n;
        }
        waitpid(pid, nullptr, 0);
    }
    close(fds[0]);
    close(fds[1]);
    return made;
}

enum shl_stale_kind KindOf(enum shl_mech mech)
{
    return mech == SHL_MECH_SYSV    ? SHL_STALE_SYSV
           : mech == SHL_MECH_POSIX ? SHL_STALE_POSIX
                                    : SHL_STALE_FILE;
}

const struct shl_stale *Find(const Found &f, const struct shl_shm &o)
{
    for (const auto &s : f.all)
        if (s.kind == KindOf(o.mech) &&
            (o.mech == SHL_MECH_SYSV ? s.id == o.shmid : std::string(s.name) == o.name))
            return &s;
    return nullptr;
}

TEST(ShlStale, FindsWhatADeadProcessLeftAndSparesTheLiving)
{
    setenv("TMPDIR", getenv("TEST_TMPDIR"), 1);
    std::vector<struct shl_shm> dead = Leave(true);
    std::vector<struct shl_shm> live = Leave(false);
    Found f;
    ASSERT_EQ(0, shl_stale_scan("/dev/shm", shl_tmpdir(), "/nonexistent", Collect, &f, NULL));
    for (int m = 0; m < 3; m++) {
        const struct shl_stale *d = Find(f, dead[m]);
        ASSERT_NE(nullptr, d) << m;
        EXPECT_EQ(1, d->stale) << m;
        EXPECT_NE(getpid(), d->creator);
        const struct shl_stale *l = Find(f, live[m]);
        ASSERT_NE(nullptr, l) << m;
        EXPECT_EQ(0, l->stale) << m;
        EXPECT_EQ(getpid(), l->creator);
        EXPECT_EQ(0, shl_stale_remove(d, NULL));
        EXPECT_EQ(0, shl_shm_destroy(&live[m], NULL));
    }
    Found again;
    ASSERT_EQ(0, shl_stale_scan("/dev/shm", shl_tmpdir(), "/nonexistent", Collect, &again, NULL));
    for (int m = 0; m < 3; m++) {
        EXPECT_EQ(nullptr, Find(again, dead[m]));
        EXPECT_EQ(nullptr, Find(again, live[m]));
    }
}

TEST(ShlStale, IgnoresOtherNamesAndMissingDirsAndStopsEarly)
{
    std::string dir = getenv("TEST_TMPDIR");
    std::string plain = dir + "/not-shmlab-1-2";
    std::string planted = dir + "/shmlab-1-dir";
    FILE *f = fopen(plain.c_str(), "w");
    ASSERT_NE(nullptr, f);
    fclose(f);
    ASSERT_EQ(0, mkdir(planted.c_str(), 0700)); // not a regular file: never touched
    Found found;
    ASSERT_EQ(0,
              shl_stale_scan("/nonexistent", dir.c_str(), "/nonexistent", Collect, &found, NULL));
    for (const auto &s : found.all)
        EXPECT_TRUE(s.kind == SHL_STALE_SYSV || s.kind == SHL_STALE_SYSV_MSG) << s.name;
    rmdir(planted.c_str());
    unlink(plain.c_str());

    struct shl_shm o;
    struct shl_shm_spec spec = {};
    spec.mech = SHL_MECH_SYSV;
    spec.size = 4096;
    spec.mode = 0600;
    ASSERT_EQ(0, shl_shm_create(&o, &spec, NULL));
    int calls = 0;
    auto stop = [](const struct shl_stale *, void *arg) {
        ++*static_cast<int *>(arg);
        return 7;
    };
    EXPECT_EQ(7,
              shl_stale_scan("/nonexistent", "/nonexistent", "/nonexistent", stop, &calls, NULL));
    EXPECT_EQ(1, calls);
    ASSERT_EQ(0, shl_shm_destroy(&o, NULL));
}

struct Empty {
    long mtype;
};

// A queue under a tagged key, made (and, with `stamp`, stamped as the sysv-msg transport
// stamps its queues) in this process or in a child that then exits.
int Queue(bool in_child, bool stamp)
{
    key_t key;
    EXPECT_EQ(0, shl_name_key(&key, NULL));
    auto make = [&] {
        int id = msgget(key, IPC_CREAT | IPC_EXCL | 0600);
        Empty e = {1};
        if (id < 0 || (stamp && (msgsnd(id, &e, 0, IPC_NOWAIT) != 0 ||
                                 msgrcv(id, &e, 0, 0, IPC_NOWAIT) != 0)))
            return -1;
        return id;
    };
    if (!in_child)
        return make();
    pid_t pid = fork();
    if (pid == 0)
        _exit(make() < 0);
    int ws;
    waitpid(pid, &ws, 0);
    EXPECT_TRUE(WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
    return msgget(key, 0);
}

const struct shl_stale *FindQueue(const Found &f, int id)
{
    for (const auto &s : f.all)
        if (s.kind == SHL_STALE_SYSV_MSG && s.id == id)
            return &s;
    return nullptr;
}

TEST(ShlStale, QueuesAreStaleOnlyWhenEveryoneWhoUsedThemIsGone)
{
    int dead = Queue(true, true), live = Queue(false, true), unstamped = Queue(true, false);
    int shared = Queue(true, true); // a dead maker's queue that this process receives from
    ASSERT_GE(dead, 0);
    ASSERT_GE(live, 0);
    ASSERT_GE(unstamped, 0);
    ASSERT_GE(shared, 0);
    Empty e = {1};
    ASSERT_EQ(0, msgsnd(shared, &e, 0, IPC_NOWAIT)); // the sender is this process now
    Found f;
    ASSERT_EQ(0, shl_stale_scan("/nonexistent", "/nonexistent", "/nonexistent", Collect, &f, NULL));
    const struct shl_stale *d = FindQueue(f, dead), *l = FindQueue(f, live);
    const struct shl_stale *u = FindQueue(f, unstamped), *s = FindQueue(f, shared);
    ASSERT_TRUE(d && l && u && s);
    EXPECT_EQ(1, d->stale);
    EXPECT_NE(getpid(), d->creator);
    EXPECT_EQ(d->creator, d->receiver);
    EXPECT_EQ(0, l->stale);
    EXPECT_EQ(getpid(), l->creator);
    EXPECT_EQ(0, u->stale); // names no process: nobody can say its maker is gone
    EXPECT_EQ(0, u->creator);
    EXPECT_EQ(0, s->stale);
    EXPECT_STREQ("sysv-msg", shl_stale_kind_name(d->kind));
    EXPECT_EQ(0, shl_stale_remove(d, NULL));
    EXPECT_EQ(-1, msgget(d->key, 0));
    // A queue removed and its id reused is not removed by its old description.
    EXPECT_NE(0, shl_stale_remove(d, NULL));
    for (int id : {live, unstamped, shared})
        EXPECT_EQ(0, msgctl(id, IPC_RMID, nullptr));
}

// The mqueue file system's magic number (ipc/mqueue.c), which linux/magic.h does not list.
const long kMqueueMagic = 0x19800202;

// Why POSIX message queues cannot be listed here, or "" when the queue folder is mounted.
std::string NoQueueFolder()
{
    struct statfs fs;
    if (statfs(SHL_STALE_MQUEUE_DIR, &fs) != 0)
        return std::string(SHL_STALE_MQUEUE_DIR ": ") + strerror(errno);
    if (fs.f_type != kMqueueMagic)
        return SHL_STALE_MQUEUE_DIR " is not an mqueue file system (as root: mount -t mqueue "
                                    "none " SHL_STALE_MQUEUE_DIR ")";
    return "";
}

// A queue under a name shmlab chooses, kept, in this process or in a child that then exits.
std::string LeaveQueue(bool in_child)
{
    int fds[2];
    EXPECT_EQ(0, pipe(fds));
    pid_t pid = in_child ? fork() : 0;
    char name[SHL_NAME_LEN] = "";
    if (pid == 0) {
        mqd_t q = (mqd_t)-1;
        if (shl_name_posix(name, sizeof name, NULL) == 0)
            q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, NULL);
        if (q == (mqd_t)-1)
            name[0] = '\0';
        else
            mq_close(q);
        (void)!write(fds[1], name, sizeof name);
        if (in_child)
            _exit(0);
    }
    close(fds[1]);
    EXPECT_EQ((ssize_t)sizeof name, read(fds[0], name, sizeof name));
    close(fds[0]);
    if (in_child)
        waitpid(pid, NULL, 0);
    return name;
}

TEST(ShlStale, FindsAQueueADeadProcessLeftAndSparesTheLiving)
{
    std::string why = NoQueueFolder();
    if (!why.empty())
        GTEST_SKIP() << why;
    std::string dead = LeaveQueue(true), live = LeaveQueue(false);
    ASSERT_FALSE(dead.empty() || live.empty()) << "mq_open: " << strerror(errno);
    Found f;
    ASSERT_EQ(
        0, shl_stale_scan("/nonexistent", "/nonexistent", SHL_STALE_MQUEUE_DIR, Collect, &f, NULL));
    const struct shl_stale *d = nullptr, *l = nullptr;
    for (const auto &s : f.all) {
        if (s.kind == SHL_STALE_POSIX_MQ && dead == s.name)
            d = &s;
        if (s.kind == SHL_STALE_POSIX_MQ && live == s.name)
            l = &s;
    }
    ASSERT_TRUE(d != nullptr && l != nullptr) << dead << " " << live;
    EXPECT_EQ(1, d->stale);
    EXPECT_EQ(0, l->stale);
    EXPECT_EQ(getpid(), l->creator);
    EXPECT_STREQ("posix-mq", shl_stale_kind_name(d->kind));
    EXPECT_EQ(0, shl_stale_remove(d, NULL));
    EXPECT_EQ((mqd_t)-1, mq_open(dead.c_str(), O_RDONLY));
    EXPECT_EQ(ENOENT, errno);
    EXPECT_EQ(0, mq_unlink(live.c_str()));
}

// A socket bound in the folder as the zeromq-ipc transport binds it (through the folder's
// descriptor, since a deep TMPDIR does not fit sun_path).
void BindSocket(const std::string &folder)
{
    int dir = open(folder.c_str(), O_PATH | O_DIRECTORY);
    ASSERT_GE(dir, 0);
    struct sockaddr_un addr = {};
    addr.sun_family = AF_UNIX;
    snprintf(addr.sun_path, sizeof addr.sun_path, "/proc/self/fd/%d/" SHL_NAME_SOCKET, dir);
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    ASSERT_GE(s, 0);
    EXPECT_EQ(0, bind(s, (struct sockaddr *)&addr, sizeof addr));
    close(s);
    close(dir);
}

TEST(ShlStale, SocketFoldersOfTheDeadHoldingOnlyTheirSocket)
{
    std::string dir = getenv("TEST_TMPDIR");
    std::string dead = dir + "/shmlab-" + std::to_string(shltest::DeadPid()) + "-abc123";
    std::string empty = dir + "/shmlab-" + std::to_string(shltest::DeadPid()) + "-def456";
    std::string more = dir + "/shmlab-" + std::to_string(shltest::DeadPid()) + "-ghi789";
    std::string open_mode = dir + "/shmlab-" + std::to_string(shltest::DeadPid()) + "-jkl012";
    std::string long_name = dir + "/shmlab-" + std::to_string(shltest::DeadPid()) + "-mno3456";
    for (const std::string &d : {dead, empty, more, open_mode, long_name})
        ASSERT_EQ(0, mkdir(d.c_str(), 0700));
    ASSERT_EQ(0, chmod(open_mode.c_str(), 0755));
    for (const std::string &d : {dead, more, open_mode, long_name})
        BindSocket(d);
    FILE *extra = fopen((more + "/other").c_str(), "w");
    ASSERT_NE(nullptr, extra);
    fclose(extra);
    setenv("TMPDIR", dir.c_str(), 1);
    char live[PATH_MAX];
    ASSERT_EQ(0, shl_name_folder(live, sizeof live, NULL));

    Found f;
    ASSERT_EQ(0, shl_stale_scan("/nonexistent", dir.c_str(), "/nonexistent", Collect, &f, NULL));
    std::map<std::string, int> folders; // path -> stale
    for (const auto &s : f.all)
        if (s.kind == SHL_STALE_FOLDER)
            folders[s.name] = s.stale;
    EXPECT_EQ((std::map<std::string, int>{{dead, 1}, {empty, 1}, {live, 0}}), folders);
    for (const auto &s : f.all) {
        if (s.kind == SHL_STALE_FOLDER && s.stale) {
            EXPECT_EQ(0, shl_stale_remove(&s, NULL)) << s.name;
        }
    }
    struct stat st;
    EXPECT_NE(0, lstat(dead.c_str(), &st));
    EXPECT_NE(0, lstat(empty.c_str(), &st));
    EXPECT_EQ(0, lstat((more + "/" SHL_NAME_SOCKET).c_str(), &st)); // not a socket folder
    for (const std::string &d : {more, open_mode, long_name}) {
        unlink((d + "/" SHL_NAME_SOCKET).c_str());
        unlink((d + "/other").c_str());
        EXPECT_EQ(0, rmdir(d.c_str())) << d;
    }
    EXPECT_EQ(0, rmdir(live));
}

} // namespace
