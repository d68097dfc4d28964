#include "src/shm/shl_memfd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/shm/shl_fd.h"

int shl_memfd_create(const char *label, size_t size, mode_t mode, unsigned flags, int *fd,
                     struct shl_error *err)
{
    if (label == NULL || strlen(label) > SHL_MEMFD_LABEL_MAX)
        return shl_fail(err, "memfd_create", EINVAL, "a label of 0..%d characters is needed",
                        SHL_MEMFD_LABEL_MAX);
    int f = memfd_create(label, MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (f < 0)
        return shl_fail(err, "memfd_create", errno, "%s", label);
    if (fchmod(f, mode) != 0) {
        shl_fail(err, "fchmod", errno, "%s", label);
        close(f);
        return -1;
    }
    if (shl_fd_resize(f, size, label, err) != 0 ||
        ((flags & SHL_CREATE_RESERVE) && shl_fd_reserve(f, size, label, err) != 0)) {
        close(f);
        return -1;
    }
    *fd = f;
    return 0;
}

int shl_memfd_path(int fd, char *buf, size_t len, struct shl_error *err)
{
    int n = snprintf(buf, len, "/proc/%ld/fd/%d", (long)getpid(), fd);
    if (fd < 0 || n < 0 || (size_t)n >= len)
        return shl_fail(err, "memfd path", fd < 0 ? EBADF : ENAMETOOLONG, "descriptor %d", fd);
    return 0;
}

int shl_memfd_open(const char *path, int oflag, int *fd, struct shl_error *err)
{
    int f = open(path, oflag | O_CLOEXEC);
    if (f < 0)
        return shl_fail(err, "open", errno, "%s", path);
    /* Only a memfd's target reads "/memfd:LABEL (deleted)". */
    char target[64];
    ssize_t n = readlink(path, target, sizeof target - 1);
    if (n >= 0)
        target[n] = '\0';
    if (n < 0 || strncmp(target, "/memfd:", 7) != 0) {
        close(f);
        return shl_fail(err, "open", EINVAL, "%s is not a memfd", path);
    }
    *fd = f;
    return 0;
}

int shl_memfd_add_seals(int fd, unsigned seals, struct shl_error *err)
{
    if (fcntl(fd, F_ADD_SEALS, (int)seals) != 0)
        return shl_fail(err, "fcntl(F_ADD_SEALS)", errno, "seals %#x", seals);
    return 0;
}

int shl_memfd_get_seals(int fd, unsigned *seals, struct shl_error *err)
{
    int s = fcntl(fd, F_GET_SEALS);
    if (s < 0)
        return shl_fail(err, "fcntl(F_GET_SEALS)", errno, "descriptor %d", fd);
    *seals = (unsigned)s;
    return 0;
}
