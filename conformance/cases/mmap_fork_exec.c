/* File mappings across fork() and exec(). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_names.h"
#include "conformance/harness/cf_safe.h"

CF_CASE(mmap, fork_shared_mapping_stays_shared,
        "after fork() a MAP_SHARED mapping is shared between parent and child in both "
        "directions, at the same address",
        "POSIX.1-2017 fork() (mappings retained; MAP_SHARED stays shared); mmap(2)")
{
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(page, NULL);
    volatile char *p = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    pid_t pid = CF_FORK();
    if (pid == 0) {
        p[0] = 'c';
        if (cf_spin_until(&p[1], 'p', 10) != 0)
            CF_FAIL("the child never saw the parent's store");
        _exit(0);
    }
    CF_ASSERT(cf_spin_until(&p[0], 'c', 10) == 0, "the parent never saw the child's store");
    p[1] = 'p';
    CF_REAP(pid);
    char got[2];
    SAFE_PREAD(fd, got, 2, 0);
    CF_EXPECT(got[0] == 'c' && got[1] == 'p', "the file holds %d,%d", got[0], got[1]);
}

CF_CASE(mmap, fork_private_mapping_copied,
        "after fork() a MAP_PRIVATE mapping is a copy: the child sees earlier stores, and "
        "later stores of either process stay its own",
        "POSIX.1-2017 fork() (MAP_PRIVATE mappings: copies of the parent's); mmap(2)")
{
    long page = cf_page_size();
    int fd = SAFE_PATTERN_FILE(page, NULL);
    volatile unsigned char *p = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    p[0] = 'x';
    int go[2];
    SAFE_PIPE(go);
    pid_t pid = CF_FORK();
    if (pid == 0) {
        CF_EXPECT(p[0] == 'x', "the child does not see the parent's earlier store");
        p[1] = 'c';
        char c;
        if (read(go[0], &c, 1) != 1)
            CF_BROKEN("read from the parent failed");
        CF_EXPECT(p[2] == cf_pattern_byte(2), "the child sees the parent's later store");
        _exit(0);
    }
    p[2] = 'p';
    CF_ASSERT(write(go[1], "g", 1) == 1, "write to the child failed: %s", cf_errno_name(errno));
    CF_REAP(pid);
    CF_EXPECT(p[1] == cf_pattern_byte(1), "the parent sees the child's store");
    unsigned char got[3];
    SAFE_PREAD(fd, got, 3, 0);
    CF_EXPECT(cf_pattern_mismatch(got, 3, 0) == -1, "a private store reached the file");
}

CF_CASE(mmap, fork_child_munmap_leaves_parent,
        "munmap() in a forked child leaves the parent's inherited mapping in place",
        "POSIX.1-2017 fork() (separate address spaces); munmap()")
{
    long page = cf_page_size();
    int fd = SAFE_PATTERN_FILE(page, NULL);
    volatile unsigned char *p = SAFE_MMAP(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
    pid_t pid = CF_FORK();
    if (pid == 0) {
        SAFE_MUNMAP((void *)p, page);
        _exit(0);
    }
    CF_REAP(pid);
    CF_EXPECT(cf_pattern_mismatch(p, page, 0) == -1, "the parent's mapping changed");
}

/* Whether /proc/<pid>/maps lists a mapping of inode `ino`: 1 yes, 0 no (-1 when the process
 * maps nothing at all, as a zombie). */
static int maps_inode(pid_t pid, ino_t ino)
{
    char path[64], line[4096];
    snprintf(path, sizeof path, "/proc/%ld/maps", (long)pid);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        CF_SKIP("cannot read %s: %s", path, cf_errno_name(errno));
    int lines = 0, found = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        unsigned long inode;
        lines++;
        if (sscanf(line, "%*s %*s %*s %*s %lu", &inode) == 1 && inode == (unsigned long)ino)
            found = 1;
    }
    fclose(f);
    return lines == 0 ? -1 : found;
}

CF_CASE(mmap, exec_drops_mappings,
        "exec() removes the process's file mappings: the new image maps none of them",
        "POSIX.1-2017 exec, DESCRIPTION (memory mappings created in the process are unmapped "
        "before the address space is rebuilt)")
{
    const char *shell = "/bin/sh";
    if (access(shell, X_OK) != 0)
        CF_SKIP("%s is not available to exec", shell);
    long page = cf_page_size();
    int fd = SAFE_TMPFILE(page, NULL);
    struct stat st;
    SAFE_FSTAT(fd, &st);
    int ready[2], hold[2];
    SAFE_PIPE(ready);
    SAFE_PIPE(hold);
    pid_t pid = CF_FORK();
    if (pid == 0) {
        close(ready[0]);
        close(hold[1]);
        SAFE_MMAP(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
        /* The pipe closes at exec, which tells the parent the new image is in place. */
        fcntl(ready[1], F_SETFD, FD_CLOEXEC);
        char go;
        if (write(ready[1], "m", 1) != 1 || read(hold[0], &go, 1) != 1 ||
            dup2(hold[0], STDIN_FILENO) < 0)
            _exit(126);
        execl(shell, "sh", "-c", "read line; exit 0", (char *)NULL);
        _exit(127);
    }
    close(ready[1]);
    close(hold[0]);
    char c;
    CF_ASSERT(read(ready[0], &c, 1) == 1, "the child did not map the file");
    int before = maps_inode(pid, st.st_ino);
    CF_ASSERT(write(hold[1], "g", 1) == 1, "write to the child: %s", cf_errno_name(errno));
    CF_ASSERT(read(ready[0], &c, 1) == 0, "unexpected data from the child");
    int after = maps_inode(pid, st.st_ino);
    close(hold[1]);
    int status;
    CF_ASSERT(waitpid(pid, &status, 0) == pid, "waitpid: %s", cf_errno_name(errno));
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
        CF_SKIP("exec of %s failed", shell);
    CF_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0,
              "the exec'd shell did not run to its end (status %#x)", status);
    if (before != 1)
        CF_BROKEN("/proc/<pid>/maps did not list the mapping before exec (%d)", before);
    CF_EXPECT(after == 0, "after exec the mapping is %s",
              after < 0 ? "unknown: the process mapped nothing" : "still listed");
}
