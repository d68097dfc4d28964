#include "conformance/checker/cf_platform.h"

#include <stdio.h>
#include <string.h>
#include <sys/shm.h>
#include <sys/utsname.h>
#include <sys/vfs.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <gnu/libc-version.h>
#endif

/* musl has no version API; build_static.sh passes the version of the musl it links. */
#ifndef CF_MUSL_VERSION
#define CF_MUSL_VERSION "unknown"
#endif

/* statfs f_type values (linux/magic.h, which musl's headers do not ship). */
static const struct {
    unsigned long magic;
    const char *name;
} filesystems[] = {
    {0x01021994, "tmpfs"}, {0x0000EF53, "ext4"}, {0x794C7630, "overlayfs"}, {0x9123683E, "btrfs"},
    {0x58465342, "xfs"},   {0x00006969, "nfs"},  {0x65735546, "fuse"},      {0x01021997, "9p"},
    {0x858458F6, "ramfs"}, {0x2FC12FC1, "zfs"},  {0xF2F52010, "f2fs"},      {0x00004D44, "vfat"},
};

static void filesystem_of(const char *dir, char *out, size_t len)
{
    struct statfs st;
    if (statfs(dir, &st) != 0) {
        snprintf(out, len, "unknown");
        return;
    }
    for (size_t i = 0; i < sizeof filesystems / sizeof filesystems[0]; i++) {
        if ((unsigned long)st.f_type == filesystems[i].magic) {
            snprintf(out, len, "%s", filesystems[i].name);
            return;
        }
    }
    snprintf(out, len, "0x%lx", (unsigned long)st.f_type);
}

void cf_platform_read(struct cf_platform *p)
{
    memset(p, 0, sizeof *p);
#ifdef __GLIBC__
    snprintf(p->libc_name, sizeof p->libc_name, "glibc");
    snprintf(p->libc_version, sizeof p->libc_version, "%s", gnu_get_libc_version());
#else
    snprintf(p->libc_name, sizeof p->libc_name, "musl");
    snprintf(p->libc_version, sizeof p->libc_version, "%s", CF_MUSL_VERSION);
#endif
    struct utsname u;
    if (uname(&u) == 0) {
        snprintf(p->kernel_sysname, sizeof p->kernel_sysname, "%s", u.sysname);
        snprintf(p->kernel_release, sizeof p->kernel_release, "%s", u.release);
        snprintf(p->kernel_version, sizeof p->kernel_version, "%s", u.version);
        snprintf(p->machine, sizeof p->machine, "%s", u.machine);
    }
    p->page_size = sysconf(_SC_PAGESIZE);
    p->shmlba = (long)SHMLBA;
    snprintf(p->tmp_dir, sizeof p->tmp_dir, "%s", cf_tmp_dir());
    filesystem_of(p->tmp_dir, p->tmp_dir_fs, sizeof p->tmp_dir_fs);
    filesystem_of("/dev/shm", p->shm_dir_fs, sizeof p->shm_dir_fs);
}
