#include "src/shm/shl_fd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>

int shl_fd_resize(int fd, size_t size, const char *what, struct shl_error *err)
{
    if (size > (size_t)INT64_MAX)
        return shl_fail(err, "ftruncate", EFBIG, "%s", what);
    if (ftruncate(fd, (off_t)size) != 0)
        return shl_fail(err, "ftruncate", errno, "%s", what);
    return 0;
}

int shl_fd_reserve(int fd, size_t size, const char *what, struct shl_error *err)
{
    if (size == 0)
        return 0;
    if (size > (size_t)INT64_MAX)
        return shl_fail(err, "posix_fallocate", EFBIG, "%s", what);
    /* posix_fallocate returns the error number instead of setting errno. */
    int rc = posix_fallocate(fd, 0, (off_t)size);
    if (rc != 0)
        return shl_fail(err, "posix_fallocate", rc, "%s", what);
    return 0;
}

int shl_fd_stat(int fd, struct stat *st, const char *what, struct shl_error *err)
{
    if (fstat(fd, st) != 0)
        return shl_fail(err, "fstat", errno, "%s", what);
    return 0;
}

int shl_fd_require(int fd, size_t min, size_t *size, const char *what, struct shl_error *err)
{
    struct stat st;
    if (shl_fd_stat(fd, &st, what, err) != 0)
        return -1;
    if (!S_ISREG(st.st_mode))
        return shl_fail(err, "fstat", EINVAL, "%s is not a regular file", what);
    if ((uintmax_t)st.st_size < (uintmax_t)min)
        return shl_fail(err, "fstat", EINVAL, "%s has %jd bytes, %zu needed", what,
                        (intmax_t)st.st_size, min);
    *size = (size_t)st.st_size;
    return 0;
}

void shl_fd_close(int fd)
{
    if (fd >= 0)
        close(fd);
}
