// RouDi owned by shmlab, and iceoryx behind the channel interface: this process makes
// the ports and plays side A, a forked child side B. Skipped, with the reason, without iox-roudi or when a RouDi runs that
// this test did not start.
#include <gtest/gtest.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <functional>
#include <string>
#include <vector>

#include "src/testing/pattern.h"

#include "src/core/shl_cleanup.h"
#include "src/transport/shl_iceoryx.h"
#include "src/transport/shl_roudi.h"
#include "src/transport/shl_transport.h"

namespace {

std::string ErrorText(const struct shl_error &err)
{
    char buf[512];
    return shl_error_text(&err, buf, sizeof buf);
}

double NowMs()
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

// Why RouDi cannot be had here, or "" when it can.
std::string RoudiUnavailable()
{
    char path[256];
    struct shl_error err = {};
    if (shl_roudi_find(path, sizeof path, &err) != 0)
        return ErrorText(err);
    pid_t other = shl_roudi_running();
    if (other != 0)
        return "an iox-roudi (pid " + std::to_string(other) + ") runs that this test did not start";
    return "";
}

::testing::AssertionResult NothingOfRoudiLeft()
{
    char path[256];
    if (shl_roudi_object_left(path, sizeof path))
        return ::testing::AssertionFailure() << "RouDi left " << path;
    if (shl_roudi_running() != 0)
        return ::testing::AssertionFailure() << "an iox-roudi still runs";
    return ::testing::AssertionSuccess();
}

// True when pid has exited: no such process, or a zombie its new parent has not reaped.
bool Gone(pid_t pid)
{
    char path[64], state = 0;
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "re");
    if (f == nullptr)
        return true;
    if (fscanf(f, "%*d (%*[^)]) %c", &state) != 1)
        state = 0;
    fclose(f);
    return state == 'Z';
}

TEST(Roudi, StartsRefusesASecondAndLeavesNothing)
{
    std::string why = RoudiUnavailable();
    if (!why.empty())
        GTEST_SKIP() << why;
    struct shl_roudi roudi;
    struct shl_error err = {};
    ASSERT_EQ(0, shl_roudi_start(&roudi, 10000, &err)) << ErrorText(err);
    EXPECT_EQ(roudi.daemon_pid, shl_roudi_running());
    char path[256];
    EXPECT_TRUE(shl_roudi_object_left(path, sizeof path)) << "a ready RouDi has its objects";

    struct shl_roudi second;
    EXPECT_EQ(-1, shl_roudi_start(&second, 10000, &err));
    EXPECT_EQ(EBUSY, err.errnum) << ErrorText(err);
    EXPECT_NE(nullptr, strstr(err.detail, "did not start")) << ErrorText(err);

    ASSERT_EQ(0, shl_roudi_stop(&roudi, &err)) << ErrorText(err);
    EXPECT_EQ(0, shl_roudi_stop(&roudi, &err)) << "twice is allowed";
    EXPECT_TRUE(NothingOfRoudiLeft());
}

// The starter is killed: SIGINT and SIGTERM run its cleanup registry, which stops RouDi;
// SIGKILL gives it no chance, and RouDi's death signal must do it.
class RoudiStarterKilled : public ::testing::TestWithParam<int> {};

TEST_P(RoudiStarterKilled, LeavesNothing)
{
    std::string why = RoudiUnavailable();
    if (!why.empty())
        GTEST_SKIP() << why;
    int ready[2];
    ASSERT_EQ(0, pipe(ready));
    fflush(nullptr);
    pid_t starter = fork();
    ASSERT_GE(starter, 0);
    if (starter == 0) {
        struct shl_roudi roudi;
        struct shl_error err = {};
        char ok = shl_cleanup_on_signals(&err) == 0 && shl_roudi_start(&roudi, 10000, &err) == 0
                      ? 'R'
                      : 'F';
        // On SIGKILL, a registered iceoryx process that dies with the starter: the case that
        // makes a RouDi stopped too early abort and leave its objects. (On SIGINT and SIGTERM
        // a starter stops its iceoryx processes before RouDi, as the benchmark does.)
        int registered[2];
        if (ok == 'R' && GetParam() == SIGKILL && pipe(registered) == 0) {
            fflush(nullptr);
            pid_t app = fork();
            if (app == 0) {
                prctl(PR_SET_PDEATHSIG, SIGKILL);
                struct shl_channel ch;
                struct shl_channel_spec spec = {};
                spec.max_msg = 64;
                spec.depth = 1;
                spec.timeout_ms = 5000;
                char made = shl_channel_create(&ch, &shl_transport_iceoryx, &spec, &err) == 0 ? 'C'
                                                                                              : 'F';
                (void)!write(registered[1], &made, 1);
                for (;;)
                    pause();
            }
            char made = 0;
            if (read(registered[0], &made, 1) != 1 || made != 'C')
                ok = 'F';
        }
        if (ok != 'R')
            fprintf(stderr, "starter: %s\n", ErrorText(err).c_str());
        struct {
            char ok;
            pid_t keeper;
        } word = {ok, ok == 'R' ? roudi.pid : 0};
        (void)!write(ready[1], &word, sizeof word);
        for (;;)
            pause();
    }
    close(ready[1]);
    struct {
        char ok;
        pid_t keeper;
    } word = {};
    ASSERT_EQ((ssize_t)sizeof word, read(ready[0], &word, sizeof word));
    close(ready[0]);
    ASSERT_EQ('R', word.ok);
    ASSERT_NE(0, shl_roudi_running());
    kill(starter, GetParam());
    int status = 0;
    waitpid(starter, &status, 0);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == GetParam()) << status;
    // The keeper outlives the starter to stop RouDi; it is done when it has exited too.
    double start = NowMs();
    while ((!NothingOfRoudiLeft() || !Gone(word.keeper)) && NowMs() - start < 10000)
        usleep(10000);
    EXPECT_TRUE(NothingOfRoudiLeft()) << "after " << NowMs() - start << " ms";
    EXPECT_TRUE(Gone(word.keeper)) << "RouDi's keeper, pid " << word.keeper << ", still runs";
}

INSTANTIATE_TEST_SUITE_P(Signals, RoudiStarterKilled, ::testing::Values(SIGINT, SIGTERM, SIGKILL),
                         [](const ::testing::TestParamInfo<int> &info) {
                             return std::string(sigabbrev_np(info.param));
                         });

// One RouDi for the channel tests, stopped (and checked gone) after the last.
class IceoryxTest : public ::testing::TestWithParam<const struct shl_transport *> {
  protected:
    static void SetUpTestSuite()
    {
        unavailable_ = RoudiUnavailable();
        if (!unavailable_.empty())
            return;
        struct shl_error err = {};
        if (shl_roudi_start(&roudi_, 10000, &err) != 0)
            unavailable_ = "RouDi did not start: " + ErrorText(err);
    }
    static void TearDownTestSuite()
    {
        if (!unavailable_.empty())
            return;
        struct shl_error err = {};
        static char log[8192];
        shl_roudi_log_tail(&roudi_, log, sizeof log);
        EXPECT_EQ(0, shl_roudi_stop(&roudi_, &err)) << ErrorText(err) << "\nRouDi's log:\n" << log;
        EXPECT_TRUE(NothingOfRoudiLeft());
    }
    void SetUp() override
    {
        if (!unavailable_.empty())
            GTEST_SKIP() << unavailable_;
    }

    struct shl_channel_spec Spec(size_t max_msg, size_t depth, int timeout_ms) const
    {
        struct shl_channel_spec spec = {};
        spec.max_msg = max_msg;
        spec.depth = depth;
        spec.timeout_ms = timeout_ms;
        return spec;
    }

    // In a host process forked for the case (so that this process never registers with
    // RouDi, which would SIGTERM it on stopping): creates a channel, whose ports the host
    // makes, forks side B and plays side A. Returns side A's result (0 when its body returned
    // 0) and side B's exit status (or its signal as 128 + N).
    std::vector<int> RunSides(const struct shl_channel_spec &spec,
                              const std::function<int(struct shl_channel *)> &a,
                              const std::function<int(struct shl_channel *)> &b)
    {
        int report[2];
        if (pipe(report) != 0) {
            ADD_FAILURE() << "pipe: " << strerror(errno);
            return {};
        }
        fflush(nullptr);
        pid_t host = fork();
        if (host == 0) {
            close(report[0]);
            int result[2] = {1, 1};
            struct shl_channel ch;
            struct shl_error err = {};
            if (shl_channel_create(&ch, GetParam(), &spec, &err) != 0) {
                fprintf(stderr, "create: %s\n", ErrorText(err).c_str());
            } else {
                fflush(nullptr);
                pid_t pid = fork();
                if (pid == 0) {
                    int rc = shl_channel_join(&ch, SHL_SIDE_B, &err);
                    if (rc != 0)
                        fprintf(stderr, "side B join: %s\n", ErrorText(err).c_str());
                    else
                        rc = b(&ch);
                    shl_channel_close(&ch);
                    _exit(rc == 0 ? 0 : 1); /* side B never registered: nothing to leave */
                }
                int rc = shl_channel_join(&ch, SHL_SIDE_A, &err);
                if (rc != 0)
                    fprintf(stderr, "side A join: %s\n", ErrorText(err).c_str());
                else
                    rc = a(&ch);
                int status = 0;
                waitpid(pid, &status, 0);
                shl_channel_close(&ch);
                result[0] = rc == 0 ? 0 : 1;
                result[1] = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            }
            (void)!write(report[1], result, sizeof result);
            exit(0); /* exit, not _exit: the host's runtime leaves RouDi */
        }
        close(report[1]);
        int result[2] = {-1, -1};
        ssize_t got = read(report[0], result, sizeof result);
        close(report[0]);
        int status = 0;
        waitpid(host, &status, 0);
        EXPECT_EQ((ssize_t)sizeof result, got) << "the host died: status " << status;
        return {result[0], result[1]};
    }

    static struct shl_roudi roudi_;
    static std::string unavailable_;
};

struct shl_roudi IceoryxTest::roudi_;
std::string IceoryxTest::unavailable_;

const size_t kSizes[] = {1, 8, 64, 4096, 65536, 1u << 20, 3, 1000, 4097, 65537, 100003};

int Fail(const char *what, size_t len, const struct shl_error &err)
{
    fprintf(stderr, "%s %zu: %s\n", what, len, ErrorText(err).c_str());
    return 1;
}

// Side A sends each size and checks the reply; side B checks and answers.
int PingEverySize(struct shl_channel *ch, bool a)
{
    std::vector<unsigned char> buf(1u << 20);
    uint32_t seq = 0;
    for (size_t len : kSizes) {
        struct shl_error err = {};
        if (a) {
            shltest::FillMessage(buf.data(), len, seq, 0);
            if (shl_channel_send(ch, buf.data(), len, &err) != 0)
                return Fail("A send", len, err);
            memset(buf.data(), 0, len);
        }
        if (shl_channel_recv(ch, buf.data(), len, &err) != 0)
            return Fail(a ? "A recv" : "B recv", len, err);
        long bad = shltest::CheckMessage(buf.data(), len, seq, a ? 1 : 0);
        if (bad >= 0) {
            fprintf(stderr, "message %u of %zu bytes wrong at byte %ld\n", seq, len, bad);
            return 1;
        }
        if (!a) {
            shltest::FillMessage(buf.data(), len, seq, 1);
            if (shl_channel_send(ch, buf.data(), len, &err) != 0)
                return Fail("B send", len, err);
        }
        seq++;
    }
    return 0;
}

TEST_P(IceoryxTest, EverySizeArrivesIntactBothWays)
{
    std::vector<int> st = RunSides(
        Spec(1u << 20, 1, 10000), [](struct shl_channel *ch) { return PingEverySize(ch, true); },
        [](struct shl_channel *ch) { return PingEverySize(ch, false); });
    EXPECT_EQ((std::vector<int>{0, 0}), st);
}

const uint32_t kStreamCount = 3000;

// The zero-copy path: the message written into the loaned chunk and checked in place.
TEST_P(IceoryxTest, LoanedChunksStreamInOrder)
{
    const size_t max_msg = 4096 + 17;
    auto produce = [max_msg](struct shl_channel *ch) {
        struct shl_error err = {};
        for (uint32_t seq = 0; seq < kStreamCount; seq++) {
            size_t len = max_msg - seq % 64;
            void *p;
            if (shl_iceoryx_loan(ch, len, &p, &err) != 0)
                return Fail("loan", len, err);
            shltest::FillMessage(static_cast<unsigned char *>(p), len, seq, 0);
            shl_iceoryx_commit(ch, p);
        }
        unsigned char done;
        return shl_channel_recv(ch, &done, 1, &err) == 0 && done == 'D' ? 0 : Fail("done", 1, err);
    };
    auto consume = [max_msg](struct shl_channel *ch) {
        struct shl_error err = {};
        for (uint32_t seq = 0; seq < kStreamCount; seq++) {
            size_t len = max_msg - seq % 64;
            const void *p;
            if (shl_iceoryx_read(ch, len, &p, &err) != 0)
                return Fail("read", len, err);
            long bad = shltest::CheckMessage(static_cast<const unsigned char *>(p), len, seq, 0);
            shl_iceoryx_release(ch, p);
            if (bad >= 0) {
                fprintf(stderr, "stream message %u wrong at byte %ld\n", seq, bad);
                return 1;
            }
        }
        unsigned char done = 'D';
        return shl_channel_send(ch, &done, 1, &err);
    };
    EXPECT_EQ((std::vector<int>{0, 0}), RunSides(Spec(max_msg, 8, 10000), produce, consume));
}

TEST_P(IceoryxTest, WrongLengthIsRefused)
{
    auto a = [](struct shl_channel *ch) {
        unsigned char buf[64] = {1};
        struct shl_error err = {};
        return shl_channel_send(ch, buf, sizeof buf, &err);
    };
    auto b = [](struct shl_channel *ch) {
        unsigned char buf[64];
        struct shl_error err = {};
        if (shl_channel_recv(ch, buf, 32, &err) == 0 || err.errnum != EPROTO)
            return Fail("recv of a 64-byte message as 32", 32, err);
        return 0;
    };
    EXPECT_EQ((std::vector<int>{0, 0}), RunSides(Spec(64, 1, 5000), a, b));
}

// The peer is SIGKILLed: the survivor's recv fails with EPIPE within the timeout.
TEST_P(IceoryxTest, KilledPeerFailsRecvWithinTimeout)
{
    const int timeout_ms = 1500;
    auto survivor = [timeout_ms](struct shl_channel *ch) {
        unsigned char buf[64];
        struct shl_error err = {};
        if (shl_channel_recv(ch, buf, 1, &err) != 0 || buf[0] != 'R')
            return Fail("ready", 1, err);
        double start = NowMs();
        if (shl_channel_recv(ch, buf, 1, &err) == 0 || err.errnum != EPIPE)
            return Fail("recv from the killed peer", 1, err);
        return NowMs() - start < timeout_ms + 500.0 ? 0 : Fail("too slow", 1, err);
    };
    auto victim = [](struct shl_channel *ch) {
        unsigned char ready = 'R';
        struct shl_error err = {};
        if (shl_channel_send(ch, &ready, 1, &err) != 0)
            return 1;
        usleep(100000);
        raise(SIGKILL);
        return 1;
    };
    std::vector<int> st = RunSides(Spec(64, 2, timeout_ms), survivor, victim);
    EXPECT_EQ((std::vector<int>{0, 128 + SIGKILL}), st);
}

// A forked child cannot use the runtime it inherited: create says so instead of letting
// iceoryx act under its parent's name.
TEST_P(IceoryxTest, CreateInAForkedChildIsRefused)
{
    auto a = [this](struct shl_channel *) {
        struct shl_error err = {};
        struct shl_channel_spec spec = Spec(64, 1, 1000);
        fflush(nullptr);
        pid_t child = fork();
        if (child == 0) {
            struct shl_channel inner;
            int rc = shl_channel_create(&inner, GetParam(), &spec, &err);
            _exit(rc == -1 && err.errnum == EBUSY ? 0 : 1);
        }
        int status = 0;
        waitpid(child, &status, 0);
        return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
    };
    auto b = [](struct shl_channel *) { return 0; };
    EXPECT_EQ((std::vector<int>{0, 0}), RunSides(Spec(64, 1, 5000), a, b));
}

TEST_P(IceoryxTest, OversizedChannelIsRefused)
{
    struct shl_channel ch;
    struct shl_error err = {};
    struct shl_channel_spec spec = Spec(SHL_ROUDI_MAX_MSG + 1, 1, 1000);
    EXPECT_EQ(-1, shl_channel_create(&ch, GetParam(), &spec, &err));
    EXPECT_EQ(EMSGSIZE, err.errnum) << ErrorText(err);
}

INSTANTIATE_TEST_SUITE_P(Waits, IceoryxTest,
                         ::testing::Values(&shl_transport_iceoryx, &shl_transport_iceoryx_waitset),
                         [](const ::testing::TestParamInfo<const struct shl_transport *> &info) {
                             std::string name = info.param->name;
                             for (char &c : name)
                                 if (c == '-')
                                     c = '_';
                             return name;
                         });

// Without a RouDi, join fails at once with a clear error instead of waiting on one.
TEST(IceoryxWithoutRoudi, CreateFailsWithENOTCONN)
{
    if (shl_roudi_running() != 0)
        GTEST_SKIP() << "an iox-roudi runs on this machine";
    struct shl_channel ch;
    struct shl_error err = {};
    struct shl_channel_spec spec = {};
    spec.max_msg = 64;
    spec.depth = 1;
    spec.timeout_ms = 1000;
    // In a child: this process must never register with RouDi (see RunSides).
    fflush(nullptr);
    pid_t child = fork();
    if (child == 0) {
        int rc = shl_channel_create(&ch, &shl_transport_iceoryx, &spec, &err);
        _exit(rc == -1 && err.errnum == ENOTCONN ? 0 : 1);
    }
    int status = 0;
    waitpid(child, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

} // namespace
