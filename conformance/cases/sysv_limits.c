/* The system-wide limits on segments (SHMMNI, SHMALL) refuse with ENOSPC. They are lowered
 * in a private IPC namespace of a helper process: nobody else's limits change, and the
 * namespace's segments are destroyed with it, so they need no tracking. */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <unistd.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_names.h"
#include "conformance/harness/cf_safe.h"

/* Moves the calling helper into a new IPC namespace with one System V limit set to value. */
static void private_namespace_with_limit(const char *name, unsigned long value)
{
    cf_private_namespaces(CLONE_NEWIPC);
    char path[64], text[32];
    snprintf(path, sizeof path, "/proc/sys/kernel/%s", name);
    int len = snprintf(text, sizeof text, "%lu\n", value);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        CF_SKIP("cannot set %s in a private IPC namespace: open: %s", path, cf_errno_name(errno));
    if (write(fd, text, (size_t)len) != len)
        CF_SKIP("cannot set %s in a private IPC namespace: write: %s", path, cf_errno_name(errno));
    close(fd);
}

CF_CASE(sysv, shmget_shmmni_exhausted_enospc,
        "shmget() creating a segment when SHMMNI segments exist fails with ENOSPC",
        "POSIX.1-2017 shmget(), ERRORS (ENOSPC); shmget(2)")
{
    pid_t pid = CF_FORK();
    if (pid == 0) {
        private_namespace_with_limit("shmmni", 1);
        CF_EXP_FD(shmget(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600));
        CF_EXP_FAIL(shmget(IPC_PRIVATE, cf_page_size(), IPC_CREAT | 0600), ENOSPC);
        _exit(0);
    }
    CF_REAP(pid);
}

CF_CASE(sysv, shmget_shmall_exhausted_enospc,
        "shmget() creating a segment that would take the total beyond SHMALL pages fails "
        "with ENOSPC, while one that fits succeeds",
        "shmget(2), ERRORS (ENOSPC: SHMALL)")
{
    pid_t pid = CF_FORK();
    if (pid == 0) {
        private_namespace_with_limit("shmall", 4);
        long page = cf_page_size();
        CF_EXP_FD(shmget(IPC_PRIVATE, 3 * page, IPC_CREAT | 0600));
        CF_EXP_FAIL(shmget(IPC_PRIVATE, 2 * page, IPC_CREAT | 0600), ENOSPC);
        CF_EXP_PASS(shmget(IPC_PRIVATE, page, IPC_CREAT | 0600));
        _exit(0);
    }
    CF_REAP(pid);
}

CF_CASE(sysv, namespace_isolates_keys,
        "a key's segment is invisible from another IPC namespace, where the same key "
        "creates a separate segment",
        "ipc_namespaces(7)")
{
    key_t key = cf_unique_key();
    int id = SAFE_SHMGET(key, cf_page_size(), IPC_CREAT | IPC_EXCL | 0600);
    char *p = SAFE_SHMAT(id, NULL, 0);
    memcpy(p, "outer", 6);
    pid_t pid = CF_FORK();
    if (pid == 0) {
        cf_private_namespaces(CLONE_NEWIPC);
        CF_EXP_FAIL(shmget(key, 0, 0600), ENOENT);
        int inner = CF_EXP_FD(shmget(key, cf_page_size(), IPC_CREAT | IPC_EXCL | 0600));
        const char *q = SAFE_SHMAT(inner, NULL, 0);
        CF_EXPECT(q[0] == 0, "the inner segment holds the outer one's data");
        _exit(0);
    }
    CF_REAP(pid);
    CF_EXPECT(shmget(key, 0, 0600) == id, "the outer key changed");
}
