#include "src/shm/shl_file.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/shm/shl_fd.h"

int shl_file_create(const char *path, size_t size, mode_t mode, unsigned flags, int *fd,
                    int *created, struct shl_error *err)
{
    int reuse = (flags & SHL_CREATE_REUSE) != 0;
    int f = -1;
    *created = 0;
    if (reuse) {
        /* Tell "opened an existing file" from "made a new one", so that a failure below
         * only ever removes a file this call made. */
        f = open(path, O_RDWR | O_CLOEXEC | ((flags & SHL_CREATE_TRUNC) ? O_TRUNC : 0));
        if (f < 0 && errno != ENOENT)
            return shl_fail(err, "open", errno, "%s", path);
    }
    if (f < 0) {
        f = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode);
        if (f < 0)
            return shl_fail(err, "open", errno, "%s", path);
        *created = 1;
    }
    struct stat st;
    if (shl_fd_stat(f, &st, path, err) != 0)
        goto fail;
    if (!S_ISREG(st.st_mode)) {
        shl_fail(err, "open", EINVAL, "%s is not a regular file", path);
        goto fail;
    }
    if (shl_fd_resize(f, size, path, err) != 0)
        goto fail;
    if ((flags & SHL_CREATE_RESERVE) && shl_fd_reserve(f, size, path, err) != 0)
        goto fail;
    *fd = f;
    return 0;
fail:
    close(f);
    if (*created)
        unlink(path);
    *created = 0;
    return -1;
}

int shl_file_open(const char *path, int oflag, int *fd, struct shl_error *err)
{
    /* O_NONBLOCK keeps a FIFO planted under the path from blocking the open; the
     * regular-file check below then refuses it. */
    int f = open(path, oflag | O_CLOEXEC | O_NONBLOCK);
    if (f < 0)
        return shl_fail(err, "open", errno, "%s", path);
    struct stat st;
    if (shl_fd_stat(f, &st, path, err) != 0) {
        close(f);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        close(f);
        return shl_fail(err, "open", EINVAL, "%s is not a regular file", path);
    }
    *fd = f;
    return 0;
}

int shl_file_remove(const char *path, struct shl_error *err)
{
    if (unlink(path) != 0)
        return shl_fail(err, "unlink", errno, "%s", path);
    return 0;
}
