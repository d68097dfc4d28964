// The peers' plain ping-pongs run, check every echo and give one sample per round trip
// (correctness only; speed belongs to the benchmark). iceoryx's starts its own RouDi and is
// skipped, with the reason, when it cannot be had.
#include <gtest/gtest.h>

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "bench/bench_crosscheck.h"
#include "src/timing/shl_stats.h"
#include "src/transport/shl_roudi.h"

namespace {

std::string ErrorText(const struct shl_error &err)
{
    char buf[512];
    return shl_error_text(&err, buf, sizeof buf);
}

void ExpectSamples(const char *transport, size_t size)
{
    struct bench_crosscheck cc = {};
    cc.size = size;
    cc.warmup = 10;
    cc.min_samples = 200;
    cc.max_samples = 400;
    cc.budget_ns = 50000000;
    cc.peer_cpu = -1;
    cc.timeout_ms = 5000;
    struct shl_error err = {};
    ASSERT_EQ(0, bench_crosscheck_run(transport, &cc, &err)) << ErrorText(err);
    EXPECT_GE(cc.n, cc.min_samples);
    EXPECT_LE(cc.n, cc.max_samples);
    struct shl_stats st;
    shl_stats_compute(cc.samples, cc.n, &st);
    EXPECT_GT(st.min, 0.0);
    printf("%s %zu B: p50 %.0f ns over %zu round trips\n", transport, size, st.p50, cc.n);
    free(cc.samples);
}

TEST(CrosscheckPeers, ZeroMqEchoesEveryMessage)
{
    for (size_t size : {64u, 4096u, 1u << 20})
        ExpectSamples("zeromq-ipc", size);
}

TEST(CrosscheckPeers, IceoryxEchoesEveryMessage)
{
    if (shl_roudi_running() != 0)
        GTEST_SKIP() << "an iox-roudi runs that this test did not start";
    struct shl_roudi roudi;
    struct shl_error err = {};
    if (shl_roudi_start(&roudi, 10000, &err) != 0)
        GTEST_SKIP() << "no RouDi: " << ErrorText(err);
    // In a host child: the caller registers with RouDi, which this process must not.
    fflush(nullptr);
    pid_t host = fork();
    if (host == 0) {
        for (size_t size : {64u, 4096u, 1u << 20})
            ExpectSamples("iceoryx", size);
        exit(::testing::Test::HasFailure() ? 1 : 0);
    }
    int status = 0;
    waitpid(host, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "host status " << status;
    EXPECT_EQ(0, shl_roudi_stop(&roudi, &err)) << ErrorText(err);
}

} // namespace
