#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "bench/bench_payload.h"

namespace {

class Payload : public ::testing::TestWithParam<size_t> {};

TEST_P(Payload, StampedMessagePassesAndAnyDamageIsCaught)
{
    size_t size = GetParam();
    bench_payload p;
    shl_error err = {};
    ASSERT_EQ(bench_payload_init(&p, size, &err), 0);
    unsigned char *msg = bench_payload_new_message(&p, &err);
    ASSERT_NE(msg, nullptr);
    uint64_t word = 42 | BENCH_WORD_MARK;
    bench_payload_stamp(msg, size, word);
    EXPECT_EQ(bench_payload_verify(msg, size, word, &err), 0);
    EXPECT_EQ(bench_payload_verify_full(&p, msg, word, &err), 0);
    uint64_t got = 0;
    EXPECT_EQ(bench_payload_accept(msg, size, 42, &got, &err), 0);
    EXPECT_EQ(got, word);

    // A wrong sequence number fails the cheap check.
    EXPECT_EQ(bench_payload_verify(msg, size, 43 | BENCH_WORD_MARK, &err), -1);
    EXPECT_EQ(err.errnum, EBADMSG);
    EXPECT_EQ(bench_payload_accept(msg, size, 41, &got, &err), -1);

    // A torn message (last stamp from another message) fails the cheap check.
    bench_payload_stamp(msg, size, word);
    uint64_t other = 41;
    memcpy(msg + size - 8, &other, 8);
    if (size > 8) {
        EXPECT_EQ(bench_payload_verify(msg, size, word, &err), -1);
    }

    // A flipped byte between stamps escapes the cheap check but not the full one.
    bench_payload_stamp(msg, size, word);
    if (size >= 64) {
        msg[9] ^= 0x40; // byte 9 lies between the stamps at 0 and size / 4
        EXPECT_EQ(bench_payload_verify(msg, size, word, &err), 0);
        EXPECT_EQ(bench_payload_verify_full(&p, msg, word, &err), -1);
        EXPECT_EQ(bench_payload_first_difference(&p, msg, word), 9);
    }
    free(msg);
    bench_payload_free(&p);
}

INSTANTIATE_TEST_SUITE_P(Sizes, Payload, ::testing::Values(8, 16, 24, 64, 4096, 1 << 20));

TEST(PayloadInit, RejectsSizesThatAreNotWholeWords)
{
    bench_payload p;
    shl_error err = {};
    EXPECT_EQ(bench_payload_init(&p, 12, &err), -1);
    EXPECT_EQ(err.errnum, EINVAL);
    EXPECT_EQ(bench_payload_init(&p, 0, &err), -1);
}

} // namespace
