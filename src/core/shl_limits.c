#include "src/core/shl_limits.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

int shl_limit_read(const char *path, unsigned long long *value, struct shl_error *err)
{
    FILE *f = fopen(path, "re");
    if (f == NULL)
        return shl_fail(err, "fopen", errno, "%s", path);
    char text[32];
    int read = fgets(text, sizeof text, f) != NULL;
    fclose(f);
    /* A digit first: strtoull would take "-1" as 2^64 - 1. */
    char *end = text;
    errno = 0;
    unsigned long long v = read && text[0] >= '0' && text[0] <= '9' ? strtoull(text, &end, 10) : 0;
    if (v == 0 || errno != 0 || (*end != '\n' && *end != '\0'))
        return shl_fail(err, "read", EINVAL, "%s holds no positive number", path);
    *value = v;
    return 0;
}
