// The driver's loops must fail when data goes wrong or a peer goes away. A fake transport
// wraps the real pipe and, in one chosen process, damages, stalls or abandons a message.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "bench/bench_pingpong.h"
#include "bench/bench_session.h"
#include "bench/bench_stream.h"

namespace {

enum class Fault { none, stamp, pattern, die, stall };

// Set before the session forks, so the peer inherits it.
Fault fault = Fault::none;
shl_side faulty_side = SHL_SIDE_B;
unsigned fault_at = 0; // the n-th send of the faulty side (from 1)
unsigned sends = 0;
const shl_transport *pipe_transport = nullptr;

int faulty_send(shl_channel *ch, const void *buf, size_t len, shl_error *err)
{
    if (ch->side != faulty_side || fault == Fault::none || ++sends < fault_at)
        return pipe_transport->send(ch, buf, len, err);
    std::vector<unsigned char> copy(static_cast<const unsigned char *>(buf),
                                    static_cast<const unsigned char *>(buf) + len);
    switch (fault) {
    case Fault::stamp:
        if (sends == fault_at)
            copy[0] ^= 1;
        break;
    case Fault::pattern: // byte 9 lies between the stamps: only a full check sees it
        if (len >= 64)
            copy[9] ^= 1;
        break;
    case Fault::die: _exit(3);
    case Fault::stall: pause(); break;
    case Fault::none: break;
    }
    return pipe_transport->send(ch, copy.data(), len, err);
}

shl_transport faulty;
shl_timer timer;

class Session : public ::testing::Test {
  protected:
    void SetUp() override
    {
        pipe_transport = shl_transport_find("pipe");
        ASSERT_NE(pipe_transport, nullptr);
        faulty = *pipe_transport;
        faulty.send = faulty_send;
        fault = Fault::none;
        faulty_side = SHL_SIDE_B;
        sends = 0;
        shl_error err = {};
        ASSERT_EQ(shl_timer_init(&timer, 1, "/proc/cpuinfo", 5, &err), 0) << err.detail;
    }
    void TearDown() override
    {
        int status;
        EXPECT_EQ(waitpid(-1, &status, WNOHANG), -1) << "a peer was left behind";
    }

    int pingpong(size_t size, shl_error *err, bench_pingpong *pp, bench_peer_report *peer)
    {
        bench_session_config cfg = {&faulty, SHL_NOTIFY_NONE,  size, 1,      -1,
                                    500,     BENCH_SERVE_ECHO, 0,    nullptr};
        *pp = bench_pingpong{};
        pp->warmup = 10;
        pp->min_samples = pp->max_samples = 50;
        pp->budget_ns = 0;
        pp->timer = &timer;
        return bench_session_run(&cfg, bench_pingpong_measure, pp, peer, err);
    }

    // Runs a ping-pong with the peer's fault at its n-th send; it must fail.
    shl_error pingpong_failure(Fault what, unsigned at, size_t size)
    {
        fault = what;
        fault_at = at;
        shl_error err = {};
        bench_pingpong pp;
        bench_peer_report peer;
        EXPECT_EQ(pingpong(size, &err, &pp, &peer), -1);
        bench_pingpong_free(&pp);
        return err;
    }
};

TEST_F(Session, HonestTransportPassesAndThePeerSawEveryMessage)
{
    shl_error err = {};
    bench_pingpong pp;
    bench_peer_report peer;
    ASSERT_EQ(pingpong(256, &err, &pp, &peer), 0) << err.call << " " << err.detail;
    EXPECT_EQ(pp.n, 50u);
    EXPECT_GT(pp.messages, 0u);
    EXPECT_EQ(peer.messages, pp.messages);
    EXPECT_FALSE(peer.failed);
    for (size_t i = 0; i < pp.n; i++)
        EXPECT_GT(pp.samples[i], 0.0);
    bench_pingpong_free(&pp);
}

TEST_F(Session, DamagedStampInATimedEchoFails)
{
    shl_error err = pingpong_failure(Fault::stamp, 30, 256); // 30: inside the timed loop
    EXPECT_STREQ(err.call, "verify");
    EXPECT_EQ(err.errnum, EBADMSG);
}

TEST_F(Session, DamageBetweenTheStampsIsCaughtByTheFullCheck)
{
    shl_error err = pingpong_failure(Fault::pattern, 1, 4096);
    EXPECT_STREQ(err.call, "verify");
    EXPECT_NE(std::string(err.detail).find("byte 9"), std::string::npos) << err.detail;
}

TEST_F(Session, ADeadPeerEndsTheRunWithAnError)
{
    shl_error err = pingpong_failure(Fault::die, 20, 64);
    EXPECT_NE(std::string(err.detail).find("status 3"), std::string::npos) << err.detail;
}

TEST_F(Session, AStuckPeerTimesOutAndIsKilled)
{
    shl_error err = pingpong_failure(Fault::stall, 20, 64);
    EXPECT_EQ(err.errnum, ETIMEDOUT) << err.call << " " << err.detail;
}

TEST_F(Session, TheSenderDamagingDataIsReportedByThePeerThatSawIt)
{
    fault = Fault::stamp;
    faulty_side = SHL_SIDE_A;
    fault_at = 40;
    bench_session_config cfg = {
        &faulty, SHL_NOTIFY_NONE, 64, BENCH_STREAM_MIN_DEPTH, -1, 500, BENCH_SERVE_SINK,
        0,       nullptr};
    bench_stream st = {};
    st.min_rounds = st.max_rounds = 2;
    shl_error err = {};
    bench_peer_report peer;
    EXPECT_EQ(bench_session_run(&cfg, bench_stream_measure, &st, &peer, &err), -1);
    EXPECT_STREQ(err.call, "verify");
    EXPECT_EQ(err.errnum, EBADMSG);
    free(st.samples);
}

} // namespace
