/* A bounded stand-in for libFuzzer's main, so that a fuzz target runs as an ordinary test
 * with gcc and under the sanitizer configs: it feeds the target its seeds, then random
 * mutations of them (byte flips, inserts, deletes, splices with the dictionary), for
 * SHMLAB_FUZZ_ITERATIONS rounds (default 200000). A crash or abort fails the test. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const seeds[] = {
    "",
    "0",
    "4096",
    "64K",
    "1M",
    "2G",
    "1T",
    "0600",
    "07777",
    "1234",
    "0x4d2",
    "0xffffffff",
    "-2147483648",
    "255",
    "/xyz",
    "/shmlab-123-0123456789abcdef",
    "mmap",
    "sysv",
    "posix",
    "file",
    "/.",
    "/..",
    "/a/b",
    "18446744073709551615",
    "-",
    "0x",
    "K",
    "/",
};

static uint64_t state = 0x9e3779b97f4a7c15u;

static uint64_t next(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

int main(void)
{
    const size_t nseeds = sizeof seeds / sizeof seeds[0];
    const char *env = getenv("SHMLAB_FUZZ_ITERATIONS");
    long iterations = env != NULL ? atol(env) : 200000;
    for (size_t i = 0; i < nseeds; i++)
        LLVMFuzzerTestOneInput((const uint8_t *)seeds[i], strlen(seeds[i]));
    uint8_t buf[300];
    for (long it = 0; it < iterations; it++) {
        const char *seed = seeds[next() % nseeds];
        size_t len = strlen(seed);
        memcpy(buf, seed, len);
        for (int m = (int)(next() % 4); m >= 0; m--) {
            size_t at = len == 0 ? 0 : next() % (len + 1);
            switch (next() % 4) {
            case 0:
                if (len > 0)
                    buf[at % len] = (uint8_t)next();
                break;
            case 1:
                if (len < sizeof buf - 1) {
                    memmove(buf + at + 1, buf + at, len - at);
                    buf[at] = (uint8_t)next();
                    len++;
                }
                break;
            case 2:
                if (len > 0 && at < len) {
                    memmove(buf + at, buf + at + 1, len - at - 1);
                    len--;
                }
                break;
            default: {
                const char *other = seeds[next() % nseeds];
                size_t olen = strlen(other);
                if (at + olen < sizeof buf) {
                    memcpy(buf + at, other, olen);
                    if (at + olen > len)
                        len = at + olen;
                }
            }
            }
        }
        LLVMFuzzerTestOneInput(buf, len);
    }
    printf("fuzz driver: %zu seeds and %ld mutations, no failure\n", nseeds, iterations);
    return 0;
}
