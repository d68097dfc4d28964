#include "src/testing/pattern.h"

#include <string.h>

namespace shltest {

namespace {

unsigned char At(size_t i, uint32_t seq, int direction)
{
    return (unsigned char)(i * 131u + seq * 7u + (unsigned)direction * 89u + (i >> 8));
}

} // namespace

void FillMessage(unsigned char *buf, size_t len, uint32_t seq, int direction)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = At(i, seq, direction);
    if (len >= sizeof seq)
        memcpy(buf, &seq, sizeof seq);
}

long CheckMessage(const unsigned char *buf, size_t len, uint32_t seq, int direction)
{
    unsigned char head[sizeof seq];
    memcpy(head, &seq, sizeof seq);
    for (size_t i = 0; i < len; i++) {
        unsigned char want = len >= sizeof seq && i < sizeof seq ? head[i] : At(i, seq, direction);
        if (buf[i] != want)
            return (long)i;
    }
    return -1;
}

} // namespace shltest
