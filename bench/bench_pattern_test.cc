// Every implementation of the zero-copy pattern writes the bytes the header defines, accepts
// what any other one wrote, and rejects a message with any one byte flipped, wherever in
// a line the message begins.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "bench/bench_pattern.h"

namespace {

constexpr uint64_t base = UINT64_C(0x0123456789ABCDEF);

// 65 whole lines past the head, one word after them and four bytes after that.
constexpr size_t ragged_size = 65 * 64 + 8 + 4;

// The pattern as the header defines it, word by word.
std::vector<unsigned char> expected(size_t size, uint64_t b)
{
    std::vector<unsigned char> out(size);
    for (size_t i = 0; i < size; i++) {
        uint64_t word = b + i / 8;
        out[i] = static_cast<unsigned char>(word >> (8 * (i % 8)));
    }
    return out;
}

// A line-aligned buffer with room for a message that begins up to a line into it, and a
// guard byte everywhere else, so that a write outside the message shows.
struct Buffer {
    static constexpr unsigned char guard = 0xA5;
    explicit Buffer(size_t size)
        : bytes((size + 2 * 64) / 64 * 64),
          mem(static_cast<unsigned char *>(std::aligned_alloc(64, bytes)))
    {
    }
    ~Buffer()
    {
        std::free(mem);
    }
    // Where a message begins `offset` bytes in, every byte of the buffer set to the guard.
    unsigned char *at(size_t offset)
    {
        std::memset(mem, guard, bytes);
        return mem + offset;
    }
    // True when nothing outside [offset, offset + size) was written.
    bool untouched_around(size_t offset, size_t size) const
    {
        for (size_t i = 0; i < bytes; i++)
            if ((i < offset || i >= offset + size) && mem[i] != guard)
                return false;
        return true;
    }
    size_t bytes;
    unsigned char *mem;
};

std::vector<const bench_pattern_impl *> usable()
{
    std::vector<const bench_pattern_impl *> out;
    for (size_t i = 0; i < bench_pattern_n_impls; i++)
        if (bench_pattern_impls[i].usable())
            out.push_back(&bench_pattern_impls[i]);
    return out;
}

TEST(Pattern, TheLastImplementationIsAlwaysUsable)
{
    ASSERT_GT(bench_pattern_n_impls, 0u);
    EXPECT_TRUE(bench_pattern_impls[bench_pattern_n_impls - 1].usable());
}

TEST(Pattern, EveryImplementationWritesTheDefinedBytesAndAcceptsEveryOther)
{
    const size_t sizes[] = {0, 1, 7, 8, 56, 63, 64, 120, 128, 200, ragged_size, 1 << 20};
    for (const bench_pattern_impl *writer : usable()) {
        for (size_t size : sizes) {
            Buffer buf(size);
            for (size_t offset = 0; offset < 64; offset += 8) {
                SCOPED_TRACE(std::string(writer->name) + " size " + std::to_string(size) +
                             " offset " + std::to_string(offset));
                unsigned char *msg = buf.at(offset);
                writer->fill(msg, size, base);
                ASSERT_EQ(std::vector<unsigned char>(msg, msg + size), expected(size, base));
                ASSERT_TRUE(buf.untouched_around(offset, size));
                for (const bench_pattern_impl *checker : usable()) {
                    EXPECT_TRUE(checker->intact(msg, size, base)) << checker->name;
                    if (size >= 8) {
                        EXPECT_FALSE(checker->intact(msg, size, base + 1)) << checker->name;
                    }
                }
            }
        }
    }
}

TEST(Pattern, AnyFlippedByteFails)
{
    for (const bench_pattern_impl *impl : usable()) {
        Buffer buf(ragged_size);
        for (size_t offset = 0; offset < 64; offset += 8) {
            unsigned char *msg = buf.at(offset);
            impl->fill(msg, ragged_size, base);
            for (size_t i = 0; i < ragged_size; i++) {
                msg[i] ^= 0x10;
                EXPECT_FALSE(impl->intact(msg, ragged_size, base))
                    << impl->name << " offset " << offset << " byte " << i;
                msg[i] ^= 0x10;
            }
            EXPECT_TRUE(impl->intact(msg, ragged_size, base)) << impl->name;
        }
    }
}

TEST(Pattern, AFlippedByteOfAMebibyteFailsAtTheStartMiddleAndEnd)
{
    const size_t size = 1 << 20;
    Buffer buf(size);
    unsigned char *msg = buf.at(8); // where a ring's slot begins
    bench_pattern_fill(msg, size, base);
    ASSERT_TRUE(bench_pattern_intact(msg, size, base));
    for (size_t i : {size_t{0}, size / 2 + 3, size - 1}) {
        msg[i] ^= 0x01;
        EXPECT_FALSE(bench_pattern_intact(msg, size, base)) << "byte " << i;
        msg[i] ^= 0x01;
    }
}

} // namespace
