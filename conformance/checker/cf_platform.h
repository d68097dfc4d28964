/* The facts about this machine that conformance verdicts depend on, read at run time and
 * printed with every report so that two reports can be told apart (glibc vs musl, tmpfs vs
 * ext4, 4 KiB vs 64 KiB pages). */
#ifndef SHMLAB_CF_PLATFORM_H
#define SHMLAB_CF_PLATFORM_H

#include "conformance/harness/cf_safe.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CF_PLATFORM_FIELD 128

struct cf_platform {
    char libc_name[16]; /* "glibc" or "musl" */
    char libc_version[32];
    char kernel_sysname[CF_PLATFORM_FIELD]; /* uname(2) */
    char kernel_release[CF_PLATFORM_FIELD];
    char kernel_version[CF_PLATFORM_FIELD];
    char machine[CF_PLATFORM_FIELD];
    long page_size;
    long shmlba;
    char tmp_dir[CF_PATH_MAX]; /* where file-mapping cases create their files */
    char tmp_dir_fs[32];       /* its filesystem type, from statfs(2) */
    char shm_dir_fs[32];       /* the filesystem behind POSIX shm (/dev/shm) */
};

void cf_platform_read(struct cf_platform *p);

#ifdef __cplusplus
}
#endif

#endif
