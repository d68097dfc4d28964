// The broadcast ring on plain memory in one process, then across processes (one writer,
// N forked readers) with every strategy; every message of every reader is checked.
#include <gtest/gtest.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "src/testing/pattern.h"

#include "src/transport/shl_broadcast.h"

namespace {

std::string ErrorText(const struct shl_error &err)
{
    char buf[512];
    return shl_error_text(&err, buf, sizeof buf);
}

// Memory for a ring, 64-byte aligned; shared across fork when `shared`.
struct Memory {
    Memory(size_t len, bool shared) : len(len)
    {
        ptr = mmap(nullptr, len, PROT_READ | PROT_WRITE,
                   (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS, -1, 0);
    }
    ~Memory()
    {
        if (ptr != MAP_FAILED)
            munmap(ptr, len);
    }
    size_t len;
    void *ptr;
};

TEST(Broadcast, RefusesBadGeometry)
{
    EXPECT_EQ(0u, shl_broadcast_size(0, 8, 64));
    EXPECT_EQ(0u, shl_broadcast_size(SHL_BROADCAST_MAX_READERS + 1, 8, 64));
    EXPECT_EQ(0u, shl_broadcast_size(2, 0, 64));
    EXPECT_EQ(0u, shl_broadcast_size(2, 8, 0));
    size_t need = shl_broadcast_size(2, 8, 64);
    ASSERT_GT(need, 0u);
    Memory m(need, false);
    struct shl_broadcast *b = nullptr;
    struct shl_error err = {};
    EXPECT_EQ(-1, shl_broadcast_init(&b, m.ptr, need - 1, 2, 8, 64, SHL_NOTIFY_SPIN, &err));
    EXPECT_EQ(EINVAL, err.errnum);
    EXPECT_EQ(-1, shl_broadcast_init(&b, (char *)m.ptr + 8, need, 2, 8, 64, SHL_NOTIFY_SPIN, &err));
    EXPECT_EQ(EINVAL, err.errnum) << "misaligned memory";
}

TEST(Broadcast, EveryReaderGetsEveryMessageInOrder)
{
    const uint32_t readers = 3, depth = 4;
    size_t need = shl_broadcast_size(readers, depth, 100);
    Memory m(need, false);
    struct shl_broadcast *b = nullptr;
    struct shl_error err = {};
    ASSERT_EQ(0, shl_broadcast_init(&b, m.ptr, need, readers, depth, 100, SHL_NOTIFY_SPIN, &err))
        << ErrorText(err);
    unsigned char msg[100];
    for (uint32_t round = 0; round < 10; round++) {
        for (uint32_t k = 0; k < depth; k++) {
            uint32_t seq = round * depth + k;
            shltest::FillMessage(msg, 10 + seq, seq, 0);
            ASSERT_EQ(0, shl_broadcast_publish(b, msg, 10 + seq, 100, &err)) << ErrorText(err);
        }
        for (uint32_t r = 0; r < readers; r++) {
            for (uint32_t k = 0; k < depth; k++) {
                uint32_t seq = round * depth + k;
                const void *p;
                size_t len = 0;
                ASSERT_EQ(0, shl_broadcast_read(b, r, &p, &len, 100, &err)) << ErrorText(err);
                EXPECT_EQ(10u + seq, len);
                EXPECT_EQ(-1,
                          shltest::CheckMessage(static_cast<const unsigned char *>(p), len, seq, 0))
                    << "reader " << r << " message " << seq;
                shl_broadcast_release(b, r);
            }
        }
    }
    shl_broadcast_close(b);
}

// Two readers; one reads everything, the other nothing: the writer fills the ring and then
// must wait, however far the fast reader is ahead.
TEST(Broadcast, TheSlowestReaderHoldsTheWriterBack)
{
    const uint32_t depth = 8;
    size_t need = shl_broadcast_size(2, depth, 64);
    Memory m(need, false);
    struct shl_broadcast *b = nullptr;
    struct shl_error err = {};
    ASSERT_EQ(0, shl_broadcast_init(&b, m.ptr, need, 2, depth, 64, SHL_NOTIFY_FUTEX, &err));
    unsigned char msg[64] = {0};
    for (uint32_t i = 0; i < depth; i++) {
        ASSERT_EQ(0, shl_broadcast_publish(b, msg, sizeof msg, 100, &err)) << i;
        const void *p;
        size_t len;
        ASSERT_EQ(0, shl_broadcast_read(b, 0, &p, &len, 100, &err));
        shl_broadcast_release(b, 0);
    }
    EXPECT_EQ(-1, shl_broadcast_publish(b, msg, sizeof msg, 50, &err));
    EXPECT_EQ(ETIMEDOUT, err.errnum) << ErrorText(err);
    // The slow reader takes one: one slot is free again, and only one.
    const void *p;
    size_t len;
    ASSERT_EQ(0, shl_broadcast_read(b, 1, &p, &len, 100, &err));
    shl_broadcast_release(b, 1);
    EXPECT_EQ(0, shl_broadcast_publish(b, msg, sizeof msg, 50, &err)) << ErrorText(err);
    EXPECT_EQ(-1, shl_broadcast_publish(b, msg, sizeof msg, 50, &err));
    // The fast reader takes the one new message; then it finds nothing and times out.
    ASSERT_EQ(0, shl_broadcast_read(b, 0, &p, &len, 100, &err));
    shl_broadcast_release(b, 0);
    EXPECT_EQ(-1, shl_broadcast_read(b, 0, &p, &len, 50, &err));
    EXPECT_EQ(ETIMEDOUT, err.errnum);
    EXPECT_EQ(-1, shl_broadcast_publish(b, msg, 65, 50, &err));
    EXPECT_EQ(EMSGSIZE, err.errnum);
    shl_broadcast_close(b);
}

// One writer process and N reader processes over MAP_SHARED memory.
class BroadcastAcrossProcesses
    : public ::testing::TestWithParam<std::tuple<enum shl_notify_kind, uint32_t>> {};

TEST_P(BroadcastAcrossProcesses, EveryReaderChecksEveryMessage)
{
    const enum shl_notify_kind kind = std::get<0>(GetParam());
    const uint32_t readers = std::get<1>(GetParam());
    const uint32_t depth = 16, count = 4000;
    const size_t max_msg = 4096 + 64;
    size_t need = shl_broadcast_size(readers, depth, max_msg);
    Memory m(need, true);
    ASSERT_NE(MAP_FAILED, m.ptr);
    struct shl_broadcast *b = nullptr;
    struct shl_error err = {};
    ASSERT_EQ(0, shl_broadcast_init(&b, m.ptr, need, readers, depth, max_msg, kind, &err))
        << ErrorText(err);
    std::vector<pid_t> pids;
    for (uint32_t r = 0; r < readers; r++) {
        fflush(nullptr);
        pid_t pid = fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            for (uint32_t seq = 0; seq < count; seq++) {
                const void *p;
                size_t len;
                if (shl_broadcast_read(b, r, &p, &len, 10000, &err) != 0) {
                    fprintf(stderr, "reader %u at %u: %s\n", r, seq, ErrorText(err).c_str());
                    _exit(1);
                }
                long bad = len == max_msg - seq % 97
                               ? shltest::CheckMessage(static_cast<const unsigned char *>(p), len,
                                                       seq, 0)
                               : 0;
                shl_broadcast_release(b, r);
                if (bad >= 0) {
                    fprintf(stderr, "reader %u: message %u (%zu bytes) wrong at %ld\n", r, seq, len,
                            bad);
                    _exit(1);
                }
            }
            _exit(0);
        }
        pids.push_back(pid);
    }
    for (uint32_t seq = 0; seq < count; seq++) {
        void *slot;
        ASSERT_EQ(0, shl_broadcast_loan(b, &slot, 10000, &err)) << seq << ": " << ErrorText(err);
        size_t len = max_msg - seq % 97;
        shltest::FillMessage(static_cast<unsigned char *>(slot), len, seq, 0);
        shl_broadcast_commit(b, len);
    }
    for (pid_t pid : pids) {
        int status = 0;
        ASSERT_EQ(pid, waitpid(pid, &status, 0));
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "reader pid " << pid;
    }
    shl_broadcast_close(b);
}

std::string Name(const ::testing::TestParamInfo<std::tuple<enum shl_notify_kind, uint32_t>> &info)
{
    return std::string(shl_notify_name(std::get<0>(info.param))) + "_" +
           std::to_string(std::get<1>(info.param)) + "_readers";
}

// Spinning readers need a CPU each: more than this machine may have is left to the
// blocking strategies.
INSTANTIATE_TEST_SUITE_P(Spin, BroadcastAcrossProcesses,
                         ::testing::Combine(::testing::Values(SHL_NOTIFY_SPIN),
                                            ::testing::Values(1u)),
                         Name);
INSTANTIATE_TEST_SUITE_P(Blocking, BroadcastAcrossProcesses,
                         ::testing::Combine(::testing::Values(SHL_NOTIFY_FUTEX, SHL_NOTIFY_SEM,
                                                              SHL_NOTIFY_EVENTFD),
                                            ::testing::Values(1u, 4u, 8u)),
                         Name);

} // namespace
