/* Fuzz target for every parser of a command-line value shmlab has: sizes, modes, keys,
 * small numbers, POSIX names, mechanism names and the pid in shmlab's own names. Besides
 * "no crash, no undefined behaviour", each accepted value must round-trip, so that a
 * parser that accepts junk and returns a different number is caught too.
 *
 * Two ways to run it: `bazel test //src:cli_values_fuzz_test` (gcc, the bounded random
 * driver in src/testing/fuzz_driver.c, also under --config=asan/ubsan), or real
 * coverage-guided fuzzing with clang's libFuzzer:
 *   clang -D_GNU_SOURCE -I. -fsanitize=fuzzer,address,undefined src/shmlab/fuzz_cli_values.c \
 *     src/core/shl_parse.c src/core/shl_error.c src/core/shl_name.c src/shm/shl_posix.c \
 *     src/shm/shl_fd.c src/shm/shl_shm.c src/shm/shl_file.c src/shm/shl_sysv.c \
 *     src/shm/shl_map.c src/core/shl_cleanup.c -lrt -o /tmp/fuzz && /tmp/fuzz -max_total_time=60
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/core/shl_name.h"
#include "src/core/shl_parse.h"
#include "src/shm/shl_posix.h"
#include "src/shm/shl_shm.h"

#define CHECK(cond)                                                             \
    do {                                                                        \
        if (!(cond)) {                                                          \
            fprintf(stderr, "fuzz_cli_values: %s failed for '%s'\n", #cond, s); \
            abort();                                                            \
        }                                                                       \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char s[256];
    if (size >= sizeof s)
        size = sizeof s - 1;
    memcpy(s, data, size);
    s[size] = '\0';
    char again[64];
    struct shl_error err;

    size_t bytes, bytes2;
    if (shl_parse_size(s, &bytes, &err) == 0) {
        CHECK(s[0] >= '0' && s[0] <= '9');
        snprintf(again, sizeof again, "%zu", bytes);
        CHECK(shl_parse_size(again, &bytes2, NULL) == 0 && bytes2 == bytes);
    }
    mode_t mode;
    if (shl_parse_mode(s, &mode, &err) == 0)
        CHECK(mode <= 07777);
    key_t key, key2;
    if (shl_parse_key(s, &key, &err) == 0) {
        snprintf(again, sizeof again, "%d", (int)key);
        CHECK(shl_parse_key(again, &key2, NULL) == 0 && key2 == key);
    }
    unsigned u;
    if (shl_parse_uint(s, 255, &u, &err) == 0)
        CHECK(u <= 255);
    if (shl_posix_name_check(s, &err) == 0)
        CHECK(s[0] == '/' && strchr(s + 1, '/') == NULL && strlen(s) <= NAME_MAX + 1);
    enum shl_mech mech;
    if (shl_mech_parse(s, &mech) == 0)
        CHECK(strcmp(shl_mech_name(mech), s) == 0 || strcmp(s, "file") == 0);
    pid_t pid = shl_name_pid(s);
    CHECK(pid == -1 || pid > 0);
    return 0;
}
