#include "bench/bench_load.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <vector>

#include <time.h>

namespace {

// A transport that delivers at once, except that one send stalls: what a descheduled
// sender, a full ring or a page fault looks like to the schedule.
struct StallingChannel {
    const shl_timer *timer;
    std::vector<uint64_t> received;
    std::vector<uint64_t> sent; // when each send began: what a closed-loop timer would use
    uint64_t stall_at;
    long stall_ns;
    uint64_t stall_end = 0;
};

int StallingSend(void *arg, uint64_t i, shl_error *)
{
    auto *c = static_cast<StallingChannel *>(arg);
    c->sent[i] = shl_timer_read(c->timer);
    if (i == c->stall_at) {
        timespec pause = {0, c->stall_ns};
        nanosleep(&pause, nullptr);
        c->stall_end = shl_timer_read(c->timer);
    }
    c->received[i] = shl_timer_read(c->timer);
    return 0;
}

int64_t TicksToNs(const shl_timer &t, uint64_t ticks)
{
    return (int64_t)(ticks * t.ns_per_tick);
}

TEST(Load, RatesClimbByTenThenDouble)
{
    std::vector<double> rates;
    for (double r = bench_load_next_rate(0); r != 0; r = bench_load_next_rate(r))
        rates.push_back(r);
    ASSERT_GE(rates.size(), 5u);
    EXPECT_EQ(rates[0], 1e3);
    EXPECT_EQ(rates[1], 1e4);
    EXPECT_EQ(rates[2], 1e5);
    EXPECT_EQ(rates[3], 1e6);
    EXPECT_EQ(rates[4], 2e6);
    EXPECT_LE(rates.back(), BENCH_LOAD_MAX_RATE_HZ);
}

// The correction: a 5 ms stall at 100 kHz delays the ~500 messages due during it, and every
// one of them is charged with the time it waited past its intended send, not just the one
// message that was in flight when the stall began.
TEST(Load, AStallRaisesTheLatencyOfEveryMessageDueDuringIt)
{
    shl_timer timer;
    shl_error err = {};
    ASSERT_EQ(shl_timer_init(&timer, 1, "/proc/cpuinfo", 10, &err), 0) << err.detail;
    const uint64_t n = 3000;
    StallingChannel ch{&timer, std::vector<uint64_t>(n), std::vector<uint64_t>(n), 1000,
                       5 * 1000 * 1000};
    bench_load_schedule s = {shl_timer_read(&timer) + (uint64_t)(1e6 / timer.ns_per_tick),
                             1e4 / timer.ns_per_tick, n}; // 1 ms from now, every 10 us
    ASSERT_EQ(bench_load_send(&timer, &s, StallingSend, &ch, &err), 0) << err.detail;
    for (uint64_t i = 0; i < n; i++)
        ASSERT_GE(ch.sent[i], bench_load_due(&s, i)) << "message " << i << " sent early";

    shl_hist h;
    ASSERT_EQ(shl_hist_init(&h, SHL_HIST_LATENCY_HIGHEST_NS, &err), 0);
    double achieved = bench_load_record(&timer, &s, ch.received.data(), &h, nullptr);
    EXPECT_EQ(h.total, n);
    EXPECT_GT(achieved, 0);

    size_t due_during = 0, closed_loop_slow = 0;
    for (uint64_t i = ch.stall_at; i < n; i++) {
        uint64_t due = bench_load_due(&s, i);
        int64_t latency = TicksToNs(timer, ch.received[i] - due);
        int64_t send_to_receive = TicksToNs(timer, ch.received[i] - ch.sent[i]);
        if (send_to_receive > 1000000)
            closed_loop_slow++;
        if (due >= ch.stall_end)
            continue;
        due_during++;
        // It could not be received before the stall ended.
        EXPECT_GE(latency, TicksToNs(timer, ch.stall_end - due) - 1000) << "message " << i;
    }
    EXPECT_GE(due_during, 400u); // 5 ms at 10 us apart, at least (a loaded host adds more)
    // Counted from the intended time, the messages due during the stall fill the tail: the
    // p(1 - due_during/n) latency is at least a quarter of the stall.
    double tail = 100.0 * (1.0 - (double)due_during / 2 / n);
    EXPECT_GE(shl_hist_value_at_percentile(&h, tail), 5 * 1000 * 1000 / 4);
    // A closed-loop timer (from the actual send) sees only the stalled send as slow.
    EXPECT_LT(closed_loop_slow, due_during / 10);
    shl_hist_free(&h);
}

TEST(Load, AchievedRateOfAScheduleKeptIsTheOfferedRate)
{
    shl_timer timer;
    shl_error err = {};
    ASSERT_EQ(shl_timer_init(&timer, 0, "/proc/cpuinfo", 1, &err), 0); // ticks are ns
    const uint64_t n = 1001;
    bench_load_schedule s = {1000000, 1000.0, n}; // 1 MHz from t = 1 ms
    std::vector<uint64_t> received(n);
    for (uint64_t i = 0; i < n; i++)
        received[i] = bench_load_due(&s, i) + 50; // 50 ns each
    shl_hist h;
    ASSERT_EQ(shl_hist_init(&h, 1000000000, &err), 0);
    double achieved = bench_load_record(&timer, &s, received.data(), &h, nullptr);
    EXPECT_NEAR(achieved, 1e6, 1e6 * 1e-3);
    EXPECT_EQ(shl_hist_value_at_percentile(&h, 50), 50);
    // Received half as fast as offered: the achieved rate says so.
    for (uint64_t i = 0; i < n; i++)
        received[i] = s.t0 + 2 * (received[i] - s.t0);
    shl_hist_reset(&h);
    achieved = bench_load_record(&timer, &s, received.data(), &h, nullptr);
    EXPECT_NEAR(achieved, 5e5, 5e5 * 1e-2);
    EXPECT_LT(achieved, BENCH_LOAD_REACHED * 1e6);
    shl_hist_free(&h);
}

} // namespace
