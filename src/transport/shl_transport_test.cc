// Cross-process tests of every transport and notification strategy through the channel
// interface: the parent is side A, a forked child side B, and every byte is checked.
#include <gtest/gtest.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <string>
#include <vector>

#include <sys/msg.h>

#include "src/core/shl_name.h"
#include "src/testing/pattern.h"
#include "src/transport/shl_transport.h"

namespace {

struct Config {
    const struct shl_transport *transport;
    shl_notify_kind notify; // SHL_NOTIFY_NONE for kernel transports
};

void PrintTo(const Config &c, std::ostream *os)
{
    *os << c.transport->name;
    if (c.notify != SHL_NOTIFY_NONE)
        *os << "/" << shl_notify_name(c.notify);
}

std::string ConfigName(const ::testing::TestParamInfo<Config> &info)
{
    std::string name = info.param.transport->name;
    if (info.param.notify != SHL_NOTIFY_NONE)
        name += std::string("_") + shl_notify_name(info.param.notify);
    for (char &c : name)
        if (c == '-')
            c = '_';
    return name;
}

std::vector<Config> AllConfigs()
{
    std::vector<Config> configs;
    for (size_t i = 0; shl_transports[i] != nullptr; i++) {
        const struct shl_transport *t = shl_transports[i];
        if (t->kind != SHL_TRANSPORT_RING) {
            configs.push_back({t, SHL_NOTIFY_NONE});
            continue;
        }
        for (int k = SHL_NOTIFY_FIRST; k < SHL_NOTIFY_COUNT; k++)
            configs.push_back({t, static_cast<shl_notify_kind>(k)});
    }
    return configs;
}

std::string ErrorText(const struct shl_error &err)
{
    char buf[256];
    return shl_error_text(&err, buf, sizeof buf);
}

double NowMs()
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

void Fill(std::vector<unsigned char> &buf, size_t len, uint32_t seq, int direction)
{
    shltest::FillMessage(buf.data(), len, seq, direction);
}

long Check(const std::vector<unsigned char> &buf, size_t len, uint32_t seq, int direction)
{
    return shltest::CheckMessage(buf.data(), len, seq, direction);
}

const size_t kSizes[] = {1, 8, 64, 4096, 65536, 1u << 20, 3, 1000, 4097, 65537, 100003};
const size_t kMaxMsg = 1u << 20;

// Counts what a channel could leave behind: POSIX shm objects and message queues named for
// this pid, System V segments this pid created, System V message queues with shmlab's keys
// (a queue does not record its creator, so this test runs alone), and files in the private
// TMPDIR.
struct Leftovers {
    int shm_objects = 0;
    int sysv_segments = 0;
    int sysv_queues = 0;
    int tmp_entries = 0;
    bool operator==(const Leftovers &o) const
    {
        return shm_objects == o.shm_objects && sysv_segments == o.sysv_segments &&
               sysv_queues == o.sysv_queues && tmp_entries == o.tmp_entries;
    }
};

int CountDir(const char *path, const std::string &prefix)
{
    int n = 0;
    DIR *d = opendir(path);
    if (d == nullptr)
        return 0;
    while (struct dirent *e = readdir(d))
        if (strncmp(e->d_name, prefix.c_str(), prefix.size()) == 0)
            n++;
    closedir(d);
    return n;
}

Leftovers CountLeftovers()
{
    Leftovers l;
    std::string mine = "shmlab-" + std::to_string(getpid()) + "-";
    l.shm_objects = CountDir("/dev/shm", mine) + CountDir("/dev/mqueue", mine);
    struct msginfo minfo;
    int max_queue = msgctl(0, MSG_INFO, (struct msqid_ds *)&minfo);
    for (int i = 0; i <= max_queue; i++) {
        struct msqid_ds ds;
        if (msgctl(i, MSG_STAT, &ds) >= 0 && shl_key_is_ours(ds.msg_perm.__key))
            l.sysv_queues++;
    }
    struct shm_info info;
    int max = shmctl(0, SHM_INFO, (struct shmid_ds *)&info);
    for (int i = 0; i <= max; i++) {
        struct shmid_ds ds;
        if (shmctl(i, SHM_STAT, &ds) >= 0 && ds.shm_cpid == getpid())
            l.sysv_segments++;
    }
    l.tmp_entries = CountDir(getenv("TMPDIR"), "");
    l.tmp_entries -= 2; // "." and ".."
    return l;
}

::testing::AssertionResult NothingLeft(const Leftovers &before)
{
    Leftovers after = CountLeftovers();
    if (after == before)
        return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << "left behind: shm objects " << before.shm_objects << " -> " << after.shm_objects
           << ", System V segments " << before.sysv_segments << " -> " << after.sysv_segments
           << ", System V queues " << before.sysv_queues << " -> " << after.sysv_queues
           << ", temp entries " << before.tmp_entries << " -> " << after.tmp_entries;
}

// Runs body(ch) as side B in a child; the child's exit status is 0 when body returned 0.
// A failure in the child is printed to stderr, which the test log keeps.
pid_t ForkPeer(struct shl_channel *ch, enum shl_side side, int (*body)(struct shl_channel *))
{
    fflush(nullptr);
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    struct shl_error err = {};
    int rc = shl_channel_join(ch, side, &err);
    if (rc != 0)
        fprintf(stderr, "child join: %s\n", ErrorText(err).c_str());
    else
        rc = body(ch);
    shl_channel_close(ch);
    _exit(rc == 0 ? 0 : 1);
}

::testing::AssertionResult PeerSucceeded(pid_t pid)
{
    int status = 0;
    if (waitpid(pid, &status, 0) != pid)
        return ::testing::AssertionFailure() << "waitpid: " << strerror(errno);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return ::testing::AssertionSuccess();
    if (WIFSIGNALED(status))
        return ::testing::AssertionFailure() << "peer killed by signal " << WTERMSIG(status);
    return ::testing::AssertionFailure() << "peer exited with " << WEXITSTATUS(status);
}

class TransportTest : public ::testing::TestWithParam<Config> {
  protected:
    struct shl_channel_spec Spec(size_t max_msg, size_t depth, int timeout_ms) const
    {
        struct shl_channel_spec spec = {};
        spec.max_msg = max_msg;
        spec.depth = depth;
        spec.notify = GetParam().notify;
        spec.timeout_ms = timeout_ms;
        return spec;
    }

    void SetUp() override
    {
        if (GetParam().transport->needs_roudi)
            GTEST_SKIP() << GetParam().transport->name
                         << " needs a RouDi and a host process: iceoryx_test covers it";
        before_ = CountLeftovers();
    }
    void TearDown() override
    {
        shl_channel_close(&ch_);
    }

    // Creates ch_, forks a child that joins as peer_side and runs body, and joins the other
    // side: the child's pid, or -1.
    pid_t StartPeer(const struct shl_channel_spec &spec, int (*body)(struct shl_channel *),
                    enum shl_side peer_side = SHL_SIDE_B)
    {
        struct shl_error err = {};
        if (shl_channel_create(&ch_, GetParam().transport, &spec, &err) != 0) {
            ADD_FAILURE() << "create: " << ErrorText(err);
            return -1;
        }
        pid_t pid = ForkPeer(&ch_, peer_side, body);
        if (pid < 0) {
            ADD_FAILURE() << "fork: " << strerror(errno);
            return -1;
        }
        enum shl_side mine = peer_side == SHL_SIDE_A ? SHL_SIDE_B : SHL_SIDE_A;
        if (shl_channel_join(&ch_, mine, &err) != 0) {
            ADD_FAILURE() << "join: " << ErrorText(err);
            kill(pid, SIGKILL);
            waitpid(pid, nullptr, 0);
            return -1;
        }
        return pid;
    }

    void KillPeerAndExpectFailure(enum shl_side peer_side);

    struct shl_channel ch_ = {};
    Leftovers before_;
};

// Side B of the ping-pong: receives each size, checks it, answers with its own pattern.
int EchoEverySize(struct shl_channel *ch)
{
    std::vector<unsigned char> buf(kMaxMsg);
    uint32_t seq = 0;
    for (size_t len : kSizes) {
        struct shl_error err = {};
        if (shl_channel_recv(ch, buf.data(), len, &err) != 0) {
            fprintf(stderr, "child recv %zu: %s\n", len, ErrorText(err).c_str());
            return 1;
        }
        long bad = Check(buf, len, seq, 0);
        if (bad >= 0) {
            fprintf(stderr, "child: message %u of %zu bytes wrong at byte %ld\n", seq, len, bad);
            return 1;
        }
        Fill(buf, len, seq, 1);
        if (shl_channel_send(ch, buf.data(), len, &err) != 0) {
            fprintf(stderr, "child send %zu: %s\n", len, ErrorText(err).c_str());
            return 1;
        }
        seq++;
    }
    return 0;
}

TEST_P(TransportTest, EverySizeArrivesIntactBothWays)
{
    struct shl_channel &ch = ch_;
    struct shl_error err = {};
    pid_t pid = StartPeer(Spec(kMaxMsg, 1, 10000), EchoEverySize);
    ASSERT_GT(pid, 0);
    std::vector<unsigned char> buf(kMaxMsg);
    uint32_t seq = 0;
    for (size_t len : kSizes) {
        Fill(buf, len, seq, 0);
        ASSERT_EQ(0, shl_channel_send(&ch, buf.data(), len, &err)) << len << ": " << ErrorText(err);
        memset(buf.data(), 0, len);
        ASSERT_EQ(0, shl_channel_recv(&ch, buf.data(), len, &err)) << len << ": " << ErrorText(err);
        EXPECT_EQ(-1, Check(buf, len, seq, 1)) << "reply " << seq << " of " << len << " bytes";
        seq++;
    }
    EXPECT_TRUE(PeerSucceeded(pid));
    shl_channel_close(&ch);
    shl_channel_close(&ch); // twice is allowed
    EXPECT_TRUE(NothingLeft(before_));
}

// The zero-copy path: each message written into a loaned slot and checked in place.
int EchoEverySizeInPlace(struct shl_channel *ch)
{
    uint32_t seq = 0;
    for (size_t len : kSizes) {
        struct shl_error err = {};
        const void *msg;
        if (shl_channel_peek(ch, len, &msg, &err) != 0) {
            fprintf(stderr, "child peek %zu: %s\n", len, ErrorText(err).c_str());
            return 1;
        }
        long bad = shltest::CheckMessage(static_cast<const unsigned char *>(msg), len, seq, 0);
        void *slot;
        int rc = shl_channel_loan(ch, len, &slot, &err);
        if (rc == 0) {
            shltest::FillMessage(static_cast<unsigned char *>(slot), len, seq, 1);
            shl_channel_commit(ch, len);
        }
        shl_channel_release(ch);
        if (bad >= 0 || rc != 0) {
            fprintf(stderr, "child: in-place message %u of %zu bytes: bad at %ld, %s\n", seq, len,
                    bad, ErrorText(err).c_str());
            return 1;
        }
        seq++;
    }
    return 0;
}

TEST_P(TransportTest, EverySizeArrivesIntactInPlace)
{
    if (GetParam().transport->loan == nullptr)
        GTEST_SKIP() << GetParam().transport->name << " has no zero-copy path";
    struct shl_error err = {};
    pid_t pid = StartPeer(Spec(kMaxMsg, 1, 10000), EchoEverySizeInPlace);
    ASSERT_GT(pid, 0);
    uint32_t seq = 0;
    for (size_t len : kSizes) {
        void *slot;
        ASSERT_EQ(0, shl_channel_loan(&ch_, len, &slot, &err)) << len << ": " << ErrorText(err);
        shltest::FillMessage(static_cast<unsigned char *>(slot), len, seq, 0);
        shl_channel_commit(&ch_, len);
        const void *msg;
        ASSERT_EQ(0, shl_channel_peek(&ch_, len, &msg, &err)) << len << ": " << ErrorText(err);
        EXPECT_EQ(-1, shltest::CheckMessage(static_cast<const unsigned char *>(msg), len, seq, 1))
            << "in-place reply " << seq << " of " << len << " bytes";
        shl_channel_release(&ch_);
        seq++;
    }
    EXPECT_TRUE(PeerSucceeded(pid));
    shl_channel_close(&ch_);
    EXPECT_TRUE(NothingLeft(before_));
}

TEST_P(TransportTest, KernelTransportsHaveNoZeroCopyPath)
{
    if (GetParam().transport->loan != nullptr)
        GTEST_SKIP() << GetParam().transport->name << " has a zero-copy path";
    struct shl_channel ch;
    struct shl_error err = {};
    struct shl_channel_spec spec = Spec(64, 1, 1000);
    ASSERT_EQ(0, shl_channel_create(&ch, GetParam().transport, &spec, &err)) << ErrorText(err);
    void *slot;
    EXPECT_EQ(-1, shl_channel_loan(&ch, 64, &slot, &err));
    EXPECT_EQ(EOPNOTSUPP, err.errnum);
    shl_channel_close(&ch);
    EXPECT_TRUE(NothingLeft(before_));
}

// What a streaming test sends: set before fork, so the child streams the same plan.
struct StreamPlan {
    size_t max_msg;
    size_t depth;
    uint32_t count;
    uint32_t ack_every; // side B answers every ack_every messages with their last seq; 0: never
    bool AckAfter(uint32_t seq) const
    {
        return ack_every != 0 && (seq + 1) % ack_every == 0;
    }
    size_t Length(uint32_t seq) const
    {
        return max_msg - seq % 64;
    }
};
StreamPlan g_plan;

int ConsumeStream(struct shl_channel *ch)
{
    std::vector<unsigned char> buf(g_plan.max_msg);
    for (uint32_t seq = 0; seq < g_plan.count; seq++) {
        struct shl_error err = {};
        size_t len = g_plan.Length(seq);
        if (shl_channel_recv(ch, buf.data(), len, &err) != 0) {
            fprintf(stderr, "child recv %u: %s\n", seq, ErrorText(err).c_str());
            return 1;
        }
        if (Check(buf, len, seq, 0) >= 0) {
            fprintf(stderr, "child: stream message %u corrupt\n", seq);
            return 1;
        }
        uint64_t ack = seq;
        if (g_plan.AckAfter(seq) && shl_channel_send(ch, &ack, sizeof ack, &err) != 0) {
            fprintf(stderr, "child ack %u: %s\n", seq, ErrorText(err).c_str());
            return 1;
        }
    }
    struct shl_error err = {};
    unsigned char done = 'D';
    return shl_channel_send(ch, &done, 1, &err);
}

class StreamTest : public TransportTest {
  protected:
    void Stream(const StreamPlan &plan)
    {
        g_plan = plan;
        struct shl_error err = {};
        pid_t pid = StartPeer(Spec(plan.max_msg, plan.depth, 10000), ConsumeStream);
        ASSERT_GT(pid, 0);
        std::vector<unsigned char> buf(plan.max_msg);
        for (uint32_t seq = 0; seq < plan.count; seq++) {
            size_t len = plan.Length(seq);
            Fill(buf, len, seq, 0);
            ASSERT_EQ(0, shl_channel_send(&ch_, buf.data(), len, &err))
                << seq << ": " << ErrorText(err);
            if (plan.AckAfter(seq)) {
                uint64_t ack = UINT64_MAX;
                ASSERT_EQ(0, shl_channel_recv(&ch_, &ack, sizeof ack, &err))
                    << "ack after " << seq << ": " << ErrorText(err);
                EXPECT_EQ(seq, ack);
            }
        }
        unsigned char done = 0;
        ASSERT_EQ(0, shl_channel_recv(&ch_, &done, 1, &err)) << ErrorText(err);
        EXPECT_EQ('D', done);
        EXPECT_TRUE(PeerSucceeded(pid));
        shl_channel_close(&ch_);
        EXPECT_TRUE(NothingLeft(before_));
    }
};

TEST_P(StreamTest, ManySmallMessagesArriveInOrder)
{
    Stream({4096 + 17, 8, 2000, 0});
}

// Large messages fill rings, pipes and socket buffers: the sender keeps waiting for room.
TEST_P(StreamTest, LargeMessagesArriveInOrder)
{
    Stream({1u << 20, 3, 24, 0});
}

// With 64-byte messages (128-byte slots behind a 512-byte header) at these depths, slot 28
// of each ring starts on a 4 KiB page boundary, and with an ack every 2 messages each
// reader waits on it before its writer fills it: so a ring whose initial sequence words
// are disturbed at page starts (as once by the prefault, run after them) fails with EPROTO.
TEST_P(StreamTest, AcksInTheReverseRingReachAPageStartAtDepth64)
{
    Stream({64, 64, 128, 2});
}

TEST_P(StreamTest, AcksInTheReverseRingReachAPageStartAtDepth1024)
{
    Stream({64, 1024, 128, 2});
}

int SayReadyThenHang(struct shl_channel *ch)
{
    struct shl_error err = {};
    unsigned char ready = 'R';
    if (shl_channel_send(ch, &ready, 1, &err) != 0)
        return 1;
    for (;;)
        pause();
}

// The peer is SIGKILLed and not yet reaped (a zombie, as a crashed benchmark worker would
// be): the survivor's recv must fail with EPIPE or ETIMEDOUT, within the timeout.
void TransportTest::KillPeerAndExpectFailure(enum shl_side peer_side)
{
    const int timeout_ms = 1500;
    struct shl_channel &ch = ch_;
    struct shl_error err = {};
    pid_t pid = StartPeer(Spec(4096, 2, timeout_ms), SayReadyThenHang, peer_side);
    ASSERT_GT(pid, 0);
    unsigned char buf[64] = {0};
    ASSERT_EQ(0, shl_channel_recv(&ch, buf, 1, &err)) << ErrorText(err);
    ASSERT_EQ('R', buf[0]);
    ASSERT_EQ(0, kill(pid, SIGKILL));
    double start = NowMs();
    EXPECT_EQ(-1, shl_channel_recv(&ch, buf, sizeof buf, &err));
    double took = NowMs() - start;
    // A datagram socket has no EOF, so only there a timeout is the best to be had; every
    // other transport must tell a dead peer from a slow one.
    if (strcmp(GetParam().transport->name, "unix-dgram") == 0)
        EXPECT_TRUE(err.errnum == EPIPE || err.errnum == ETIMEDOUT) << ErrorText(err);
    else
        EXPECT_EQ(EPIPE, err.errnum) << ErrorText(err);
    EXPECT_LT(took, timeout_ms + 500.0) << ErrorText(err);
    // Sending to the dead peer must fail too (once any buffer it had is full), not hang.
    start = NowMs();
    int rc = 0;
    for (int i = 0; i < 100000 && rc == 0; i++)
        rc = shl_channel_send(&ch, buf, sizeof buf, &err);
    EXPECT_EQ(-1, rc);
    EXPECT_TRUE(err.errnum == EPIPE || err.errnum == ETIMEDOUT) << ErrorText(err);
    EXPECT_LT(NowMs() - start, timeout_ms + 500.0) << ErrorText(err);
    int status = 0;
    EXPECT_EQ(pid, waitpid(pid, &status, 0));
    shl_channel_close(&ch);
    EXPECT_TRUE(NothingLeft(before_));
}

TEST_P(TransportTest, KilledPeerFailsRecvWithinTimeout)
{
    KillPeerAndExpectFailure(SHL_SIDE_B);
}

// The same when the process that dies holds side A (the creator's side) and the survivor
// side B: liveness is symmetric, and side A's early removal of names left nothing to leak.
TEST_P(TransportTest, KilledSideAFailsRecvWithinTimeout)
{
    KillPeerAndExpectFailure(SHL_SIDE_A);
}

int JoinThenStaySilent(struct shl_channel *ch)
{
    (void)ch;
    sleep(5);
    return 0;
}

TEST_P(TransportTest, SilentPeerTimesOut)
{
    const int timeout_ms = 300;
    struct shl_channel &ch = ch_;
    struct shl_error err = {};
    pid_t pid = StartPeer(Spec(64, 1, timeout_ms), JoinThenStaySilent);
    ASSERT_GT(pid, 0);
    unsigned char buf[64];
    double start = NowMs();
    EXPECT_EQ(-1, shl_channel_recv(&ch, buf, sizeof buf, &err));
    double took = NowMs() - start;
    EXPECT_EQ(ETIMEDOUT, err.errnum) << ErrorText(err);
    EXPECT_GE(took, timeout_ms * 0.9);
    EXPECT_LT(took, timeout_ms + 500.0);
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    shl_channel_close(&ch);
    EXPECT_TRUE(NothingLeft(before_));
}

TEST_P(TransportTest, RejectsBadMessagesAndSpecs)
{
    struct shl_channel ch;
    struct shl_error err = {};
    struct shl_channel_spec spec = Spec(64, 1, 1000);
    spec.depth = 0;
    EXPECT_EQ(-1, shl_channel_create(&ch, GetParam().transport, &spec, &err));
    EXPECT_EQ(EINVAL, err.errnum);
    spec = Spec(64, 1, 1000);
    spec.notify = static_cast<shl_notify_kind>(SHL_NOTIFY_COUNT); // no such strategy
    EXPECT_EQ(-1, shl_channel_create(&ch, GetParam().transport, &spec, &err));
    EXPECT_EQ(EINVAL, err.errnum);
    shl_channel_close(&ch); // a failed create leaves a channel that close accepts
    spec = Spec(64, 1, 1000);
    ASSERT_EQ(0, shl_channel_create(&ch, GetParam().transport, &spec, &err)) << ErrorText(err);
    unsigned char big[65] = {0};
    EXPECT_EQ(-1, shl_channel_send(&ch, big, sizeof big, &err));
    EXPECT_EQ(EMSGSIZE, err.errnum);
    EXPECT_EQ(-1, shl_channel_recv(&ch, big, 0, &err));
    EXPECT_EQ(EMSGSIZE, err.errnum);
    shl_channel_close(&ch); // never joined: removes everything
    EXPECT_EQ(-1, shl_channel_send(&ch, big, 1, &err));
    EXPECT_EQ(EBADF, err.errnum);
    EXPECT_TRUE(NothingLeft(before_));
}

// Once both sides hold the channel no name is left that a crash could leak: FIFOs, shm
// names and files are gone and a System V segment is already marked for removal.
TEST_P(TransportTest, NamesAreGoneOnceJoined)
{
    struct shl_channel &ch = ch_;
    struct shl_error err = {};
    pid_t pid = StartPeer(Spec(4096, 4, 5000), SayReadyThenHang);
    ASSERT_GT(pid, 0);
    unsigned char ready = 0;
    ASSERT_EQ(0, shl_channel_recv(&ch, &ready, 1, &err)) << ErrorText(err);
    Leftovers now = CountLeftovers();
    EXPECT_EQ(before_.shm_objects, now.shm_objects);
    EXPECT_EQ(before_.tmp_entries, now.tmp_entries);
    struct shm_info info;
    int max = shmctl(0, SHM_INFO, (struct shmid_ds *)&info);
    for (int i = 0; i <= max; i++) {
        struct shmid_ds ds;
        if (shmctl(i, SHM_STAT, &ds) >= 0 && ds.shm_cpid == getpid()) {
            EXPECT_TRUE(ds.shm_perm.mode & SHM_DEST) << "segment " << i << " not removed";
        }
    }
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    shl_channel_close(&ch);
    EXPECT_TRUE(NothingLeft(before_));
}

INSTANTIATE_TEST_SUITE_P(All, TransportTest, ::testing::ValuesIn(AllConfigs()), ConfigName);
INSTANTIATE_TEST_SUITE_P(All, StreamTest, ::testing::ValuesIn(AllConfigs()), ConfigName);

TEST(Registry, FindsEveryTransportByName)
{
    const char *names[] = {"pipe",       "fifo",       "unix-stream", "unix-dgram",      "tcp",
                           "mmap",       "sysv",       "posix",       "posix-mq",        "sysv-msg",
                           "zeromq-ipc", "zeromq-tcp", "iceoryx",     "iceoryx-waitset", "anon",
                           "memfd"};
    for (const char *name : names) {
        const struct shl_transport *t = shl_transport_find(name);
        ASSERT_NE(nullptr, t) << name;
        EXPECT_STREQ(name, t->name);
    }
    EXPECT_EQ(nullptr, shl_transport_find("carrier-pigeon"));
    EXPECT_EQ(nullptr, shl_transport_find(nullptr));
}

::testing::AssertionResult CreateFails(const char *transport, size_t max_msg, size_t depth,
                                       int expected_errno)
{
    const struct shl_transport *t = shl_transport_find(transport);
    if (t == nullptr)
        return ::testing::AssertionFailure() << "no transport " << transport;
    Leftovers before = CountLeftovers();
    struct shl_channel ch;
    struct shl_error err = {};
    struct shl_channel_spec spec = {};
    spec.max_msg = max_msg;
    spec.depth = depth;
    spec.timeout_ms = 1000;
    if (shl_channel_create(&ch, t, &spec, &err) == 0) {
        shl_channel_close(&ch);
        return ::testing::AssertionFailure() << transport << ": create succeeded";
    }
    if (expected_errno != 0 && err.errnum != expected_errno)
        return ::testing::AssertionFailure() << transport << ": " << ErrorText(err);
    shl_channel_close(&ch); // must be harmless after a failed create
    return NothingLeft(before) << " after " << transport << " failed: " << ErrorText(err);
}

// A segment larger than the machine can give (1 TiB): shmget, or reserving the blocks of
// the shm object, fails half-way, and whatever was made before is removed again.
TEST(CreationFailure, OversizedSegmentLeavesNothing)
{
    EXPECT_TRUE(CreateFails("sysv", 1u << 20, 1u << 19, 0));
    EXPECT_TRUE(CreateFails("posix", 1u << 20, 1u << 19, 0));
}

TEST(CreationFailure, DepthBeyondTheIndexRangeIsRefused)
{
    for (const char *name : {"mmap", "sysv", "posix"})
        EXPECT_TRUE(CreateFails(name, 64, (1u << 30) + 1, EINVAL));
}

// Neither the FIFOs nor the mmap file can be made under a TMPDIR that is gone.
TEST(CreationFailure, MissingTmpdirLeavesNothing)
{
    std::string saved = getenv("TMPDIR");
    std::string missing = saved + "/no-such-dir";
    setenv("TMPDIR", missing.c_str(), 1);
    EXPECT_TRUE(CreateFails("fifo", 64, 1, ENOENT));
    EXPECT_TRUE(CreateFails("mmap", 64, 1, ENOENT));
    setenv("TMPDIR", saved.c_str(), 1);
}

// Every FIFO goes into a private TMPDIR, so leftovers are this test's alone.
class PrivateTmpdir : public ::testing::Environment {
  public:
    void SetUp() override
    {
        const char *base = getenv("TEST_TMPDIR");
        std::string tmpl = std::string(base != nullptr ? base : "/tmp") + "/transport-test-XXXXXX";
        dir_.assign(tmpl.begin(), tmpl.end());
        dir_.push_back('\0');
        ASSERT_NE(nullptr, mkdtemp(dir_.data())) << strerror(errno);
        setenv("TMPDIR", dir_.data(), 1);
    }
    void TearDown() override
    {
        rmdir(dir_.data());
    }

  private:
    std::vector<char> dir_;
};

const ::testing::Environment *const kTmpdir = ::testing::AddGlobalTestEnvironment(
    new PrivateTmpdir);

} // namespace
