#include "src/core/shl_name.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/random.h>
#include <unistd.h>

int shl_random(void *buf, size_t len, struct shl_error *err)
{
    unsigned char *p = buf;
    while (len > 0) {
        ssize_t got = getrandom(p, len, 0);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return shl_fail(err, "getrandom", errno, NULL);
        }
        p += got;
        len -= (size_t)got;
    }
    return 0;
}

int shl_name_posix(char *buf, size_t len, struct shl_error *err)
{
    uint64_t bits;
    if (shl_random(&bits, sizeof bits, err) != 0)
        return -1;
    int n = snprintf(buf, len, "/" SHL_NAME_PREFIX "%ld-%016" PRIx64, (long)getpid(), bits);
    if (n < 0 || (size_t)n >= len)
        return shl_fail(err, "shl_name_posix", ENAMETOOLONG, "buffer of %zu bytes", len);
    return 0;
}

int shl_name_key(key_t *key, struct shl_error *err)
{
    uint32_t bits;
    if (shl_random(&bits, sizeof bits, err) != 0)
        return -1;
    /* The low bits are never all zero, so the key can never equal IPC_PRIVATE (0). */
    bits = (bits & ~SHL_KEY_TAG_MASK) | 1u;
    *key = (key_t)(SHL_KEY_TAG | bits);
    return 0;
}

int shl_name_is_ours(const char *name)
{
    if (name[0] == '/')
        name++;
    return strncmp(name, SHL_NAME_PREFIX, strlen(SHL_NAME_PREFIX)) == 0;
}

int shl_key_is_ours(key_t key)
{
    return key != IPC_PRIVATE && ((uint32_t)key & SHL_KEY_TAG_MASK) == SHL_KEY_TAG;
}

const char *shl_tmpdir(void)
{
    const char *dir = getenv("TMPDIR");
    return dir != NULL && dir[0] != '\0' ? dir : "/tmp";
}

/* mkdtemp's template ends in exactly this many X. */
#define FOLDER_RANDOM_LEN 6

int shl_name_folder(char *buf, size_t len, struct shl_error *err)
{
    int n = snprintf(buf, len, "%s/" SHL_NAME_PREFIX "%ld-%.*s", shl_tmpdir(), (long)getpid(),
                     FOLDER_RANDOM_LEN, "XXXXXXXXXX");
    if (n < 0 || (size_t)n >= len)
        return shl_fail(err, "shl_name_folder", ENAMETOOLONG, "TMPDIR %.40s", shl_tmpdir());
    if (mkdtemp(buf) == NULL)
        return shl_fail(err, "mkdtemp", errno, "%s", buf);
    return 0;
}

int shl_name_is_folder(const char *name)
{
    const char *base = strrchr(name, '/');
    base = base != NULL ? base + 1 : name;
    if (shl_name_pid(base) < 0)
        return 0;
    const char *random = strchr(base + strlen(SHL_NAME_PREFIX), '-') + 1;
    return strlen(random) == FOLDER_RANDOM_LEN;
}

pid_t shl_name_pid(const char *name)
{
    const char *base = strrchr(name, '/');
    base = base != NULL ? base + 1 : name;
    size_t plen = strlen(SHL_NAME_PREFIX);
    if (strncmp(base, SHL_NAME_PREFIX, plen) != 0)
        return -1;
    const char *p = base + plen;
    long pid = 0;
    if (*p < '1' || *p > '9')
        return -1;
    for (; *p >= '0' && *p <= '9'; p++) {
        pid = pid * 10 + (*p - '0');
        if (pid > 0x7fffffffL)
            return -1;
    }
    return *p == '-' ? (pid_t)pid : -1;
}
