// Test support: the contents of a test message. A message carries its sequence number in
// its first bytes and a pattern that depends on the sequence number, the direction and the
// position everywhere, so a lost, repeated, reordered, cut or misaligned message fails the
// check.
#ifndef SHMLAB_TESTING_PATTERN_H
#define SHMLAB_TESTING_PATTERN_H

#include <stddef.h>
#include <stdint.h>

namespace shltest {

void FillMessage(unsigned char *buf, size_t len, uint32_t seq, int direction);

// The index of the first wrong byte, or -1 when the message is intact.
long CheckMessage(const unsigned char *buf, size_t len, uint32_t seq, int direction);

} // namespace shltest

#endif
