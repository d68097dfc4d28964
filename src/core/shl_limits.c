#include "src/transport/shl_limits.h"

#include <errno.h>
#include <stdio.h>

int shl_limit_read(const char *path, long *value, struct shl_error *err)
{
    FILE *f = fopen(path, "re");
    if (f == NULL)
        return shl_fail(err, "fopen", errno, "%s", path);
    int n = fscanf(f, "%ld", value);
    fclose(f);
    if (n != 1 || *value <= 0)
        return shl_fail(err, "fscanf", EINVAL, "%s holds no positive number", path);
    return 0;
}
