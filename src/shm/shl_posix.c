#include "src/shm/shl_posix.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "src/shm/shl_fd.h"

int shl_posix_name_check(const char *name, struct shl_error *err)
{
    if (name == NULL || name[0] != '/')
        return shl_fail(err, "name", EINVAL, "'%s' must start with '/'", name ? name : "");
    size_t len = strlen(name + 1);
    if (len == 0 || strcmp(name, "/.") == 0 || strcmp(name, "/..") == 0)
        return shl_fail(err, "name", EINVAL, "'%s' names no object", name);
    if (strchr(name + 1, '/') != NULL)
        return shl_fail(err, "name", EINVAL, "'%s' has a '/' after the first", name);
    if (len > NAME_MAX)
        return shl_fail(err, "name", ENAMETOOLONG, "%zu characters after '/', at most %d", len,
                        NAME_MAX);
    return 0;
}

int shl_posix_create(const char *name, size_t size, mode_t mode, unsigned flags, int *fd,
                     int *created, struct shl_error *err)
{
    *created = 0;
    if (shl_posix_name_check(name, err) != 0)
        return -1;
    int f = -1;
    if (flags & SHL_CREATE_REUSE) {
        /* As for files: only an object this call made may be removed on failure. */
        f = shm_open(name, O_RDWR | ((flags & SHL_CREATE_TRUNC) ? O_TRUNC : 0), 0);
        if (f < 0 && errno != ENOENT)
            return shl_fail(err, "shm_open", errno, "%s", name);
    }
    if (f < 0) {
        f = shm_open(name, O_RDWR | O_CREAT | O_EXCL, mode);
        if (f < 0)
            return shl_fail(err, "shm_open", errno, "%s", name);
        *created = 1;
    }
    if (shl_fd_resize(f, size, name, err) != 0 ||
        ((flags & SHL_CREATE_RESERVE) && shl_fd_reserve(f, size, name, err) != 0)) {
        close(f);
        if (*created)
            shm_unlink(name);
        *created = 0;
        return -1;
    }
    *fd = f;
    return 0;
}

int shl_posix_open(const char *name, int oflag, int *fd, struct shl_error *err)
{
    if (shl_posix_name_check(name, err) != 0)
        return -1;
    int f = shm_open(name, oflag, 0);
    if (f < 0)
        return shl_fail(err, "shm_open", errno, "%s", name);
    *fd = f;
    return 0;
}

int shl_posix_unlink(const char *name, struct shl_error *err)
{
    if (shm_unlink(name) != 0)
        return shl_fail(err, "shm_unlink", errno, "%s", name);
    return 0;
}
