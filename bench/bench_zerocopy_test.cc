// The zero-copy round trip and stream must fail when a byte written in place goes wrong. A
// fake transport wraps the anonymous ring and, in side A, flips one byte of a chosen loaned
// slot just before it is committed, where only the consumer's check of every byte sees it.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <string>
#include <sys/wait.h>

#include "bench/bench_stream.h"
#include "bench/bench_zerocopy.h"

namespace {

const shl_transport *ring = nullptr;
shl_transport faulty;

// Set before the run forks, so the peer inherits it (and, as side B, ignores it).
size_t fault_at = 0;     // the n-th full-size commit of side A (from 1); 0: none
size_t fault_offset = 0; // the byte of that message to flip
size_t message_size = 0;
size_t commits = 0;
void *loaned = nullptr;

int faulty_loan(shl_channel *ch, size_t len, void **slot, shl_error *err)
{
    int rc = ring->loan(ch, len, slot, err);
    loaned = rc == 0 ? *slot : nullptr;
    return rc;
}

void faulty_commit(shl_channel *ch, size_t len)
{
    if (ch->side == SHL_SIDE_A && len == message_size && loaned != nullptr && ++commits == fault_at)
        static_cast<unsigned char *>(loaned)[fault_offset] ^= 0x10;
    ring->commit(ch, len);
}

class ZeroCopy : public ::testing::Test {
  protected:
    void SetUp() override
    {
        ring = shl_transport_find("anon");
        ASSERT_NE(ring, nullptr);
        ASSERT_NE(ring->loan, nullptr);
        faulty = *ring;
        faulty.loan = faulty_loan;
        faulty.commit = faulty_commit;
        fault_at = 0;
        commits = 0;
        loaned = nullptr;
    }
    void TearDown() override
    {
        int status;
        EXPECT_EQ(waitpid(-1, &status, WNOHANG), -1) << "a peer was left behind";
    }

    int run(bool stream, size_t size, bench_zerocopy *z, shl_error *err)
    {
        message_size = size;
        *z = bench_zerocopy{};
        z->transport = &faulty;
        z->notify = SHL_NOTIFY_FUTEX;
        z->stream = stream;
        z->size = size;
        z->warmup = 5;
        z->min_samples = z->max_samples = 3;
        z->budget_ns = 0;
        z->peer_cpu = -1;
        z->timeout_ms = 2000;
        int rc = bench_zerocopy_run(z, err);
        free(z->samples);
        z->samples = nullptr;
        return rc;
    }

    // Runs with byte `offset` of side A's n-th message flipped; it must fail the check.
    shl_error failure(bool stream, size_t size, size_t at, size_t offset)
    {
        fault_at = at;
        fault_offset = offset;
        shl_error err = {};
        bench_zerocopy z;
        EXPECT_EQ(run(stream, size, &z, &err), -1);
        EXPECT_GE(commits, at) << "the fault was never injected";
        return err;
    }
};

TEST_F(ZeroCopy, HonestStreamPassesWithEveryTimedMessageCounted)
{
    shl_error err = {};
    bench_zerocopy z;
    ASSERT_EQ(run(true, 4096, &z, &err), 0) << err.call << " " << err.detail;
    EXPECT_EQ(z.n, 3u);
    EXPECT_EQ(z.messages, 3u * bench_stream_per_round(4096));
}

TEST_F(ZeroCopy, FlippedByteInATimedStreamMessageFails)
{
    // Past the warm-up round, in the middle of the message.
    size_t at = bench_stream_per_round(4096) + 7;
    shl_error err = failure(true, 4096, at, 2049);
    EXPECT_STREQ(err.call, "verify");
    EXPECT_EQ(err.errnum, EBADMSG);
}

TEST_F(ZeroCopy, FlippedLastByteOfAnOddSizedStreamMessageFails)
{
    // 4100 bytes: the last four lie beyond the last whole word.
    shl_error err = failure(true, 4100, 3, 4099);
    EXPECT_STREQ(err.call, "verify");
    EXPECT_EQ(err.errnum, EBADMSG);
}

TEST_F(ZeroCopy, FlippedByteInARoundTripRequestFails)
{
    shl_error err = failure(false, 4096, 7, 100);
    EXPECT_STREQ(err.call, "verify");
    EXPECT_EQ(err.errnum, EBADMSG);
}

// 65 whole 64-byte blocks, one word after them and four bytes after that: the message is
// written and checked a block, a word and a byte at a time, and each part must hold.
constexpr size_t ragged_size = 65 * 64 + 8 + 4;

TEST_F(ZeroCopy, HonestRaggedRoundTripAndStreamPass)
{
    for (bool stream : {false, true}) {
        SCOPED_TRACE(stream ? "stream" : "round trip");
        shl_error err = {};
        bench_zerocopy z;
        ASSERT_EQ(run(stream, ragged_size, &z, &err), 0) << err.call << " " << err.detail;
        EXPECT_EQ(z.n, 3u);
    }
}

TEST_F(ZeroCopy, FlippedByteAnywhereInARoundTripRequestFails)
{
    // The first and last byte; one in each 16-byte lane of a block; the last byte of the
    // last block; the word after the blocks; the bytes after that word.
    const size_t offsets[] = {0, 1, 16, 37, 63, 2085, 4159, 4160, 4167, 4168, ragged_size - 1};
    for (size_t offset : offsets) {
        SCOPED_TRACE("byte " + std::to_string(offset));
        commits = 0;
        shl_error err = failure(false, ragged_size, 7, offset);
        EXPECT_STREQ(err.call, "verify");
        EXPECT_EQ(err.errnum, EBADMSG);
    }
}

} // namespace
