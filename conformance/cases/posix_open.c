/* shm_open() creation rules. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_names.h"
#include "conformance/harness/cf_safe.h"

CF_CASE(posix, open_excl_existing_eexist,
        "shm_open() with O_CREAT|O_EXCL on an existing name fails with EEXIST",
        "POSIX.1-2017 shm_open(), ERRORS")
{
    char name[CF_NAME_MAX];
    SAFE_SHM_NEW(0, name);
    CF_EXP_FAIL(shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600), EEXIST);
}

CF_CASE(posix, open_missing_enoent,
        "shm_open() without O_CREAT of a name that does not exist fails with ENOENT",
        "POSIX.1-2017 shm_open(), ERRORS")
{
    char name[CF_NAME_MAX];
    cf_unique_name(name);
    CF_EXP_FAIL(shm_open(name, O_RDWR, 0), ENOENT);
}

CF_CASE(posix, create_size_zero_and_mode_umask,
        "a new object has size 0 and permission bits mode & ~umask",
        "POSIX.1-2017 shm_open(), DESCRIPTION (O_CREAT)")
{
    char name[CF_NAME_MAX];
    cf_unique_name(name);
    cf_track_posix(name);
    umask(027);
    int fd = CF_EXP_FD(shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0666));
    struct stat st;
    SAFE_FSTAT(fd, &st);
    CF_EXPECT_EQ(st.st_size, 0);
    CF_EXPECT((st.st_mode & 0777) == 0640, "mode is %03o", (unsigned)(st.st_mode & 0777));
}

CF_CASE(posix, open_excl_race_one_winner,
        "of several processes racing shm_open(O_CREAT|O_EXCL) on one name exactly one "
        "succeeds and the others fail with EEXIST",
        "POSIX.1-2017 shm_open(), DESCRIPTION (O_EXCL: check and create are atomic)")
{
    enum { RACERS = 8 };
    char name[CF_NAME_MAX];
    cf_unique_name(name);
    cf_track_posix(name);
    int start[2];
    if (pipe(start) != 0)
        CF_BROKEN("pipe failed");
    pid_t pids[RACERS];
    for (int i = 0; i < RACERS; i++) {
        pids[i] = CF_FORK();
        if (pids[i] == 0) {
            char go;
            close(start[1]);
            /* Everyone blocks here until the parent closes the pipe: one start signal. */
            if (read(start[0], &go, 1) != 0)
                _exit(3);
            int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
            _exit(fd >= 0 ? 0 : errno == EEXIST ? 1 : 2);
        }
    }
    close(start[1]);
    int won = 0, lost = 0, other = 0;
    for (int i = 0; i < RACERS; i++) {
        int status;
        if (waitpid(pids[i], &status, 0) != pids[i])
            CF_BROKEN("waitpid failed");
        int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        won += code == 0;
        lost += code == 1;
        other += code != 0 && code != 1;
    }
    CF_EXPECT(won == 1 && lost == RACERS - 1 && other == 0,
              "%d created, %d got EEXIST, %d ended otherwise", won, lost, other);
}

CF_CASE(posix, open_creat_existing_opens_it,
        "shm_open() with O_CREAT but not O_EXCL of an existing name opens that object and "
        "ignores the mode argument",
        "POSIX.1-2017 shm_open(), DESCRIPTION (O_CREAT)")
{
    char name[CF_NAME_MAX];
    int fd = SAFE_SHM_NEW(cf_page_size(), name);
    char *p = SAFE_MMAP(NULL, cf_page_size(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    memcpy(p, "first", 6);
    int again = CF_EXP_FD(shm_open(name, O_RDWR | O_CREAT, 0644));
    struct stat a, b;
    SAFE_FSTAT(fd, &a);
    SAFE_FSTAT(again, &b);
    CF_EXPECT(a.st_ino == b.st_ino && a.st_dev == b.st_dev, "a different object was opened");
    CF_EXPECT((b.st_mode & 0777) == 0600, "mode changed to %03o", (unsigned)(b.st_mode & 0777));
    CF_EXPECT_EQ(b.st_size, cf_page_size());
    char got[6];
    SAFE_PREAD(again, got, sizeof got, 0);
    CF_EXPECT(memcmp(got, "first", 6) == 0, "the contents differ");
}

CF_CASE(posix, open_trunc_empties_keeps_mode_owner,
        "shm_open() with O_TRUNC of an existing object makes its size 0 and keeps its mode "
        "and owner; regrown, it reads zeros",
        "POSIX.1-2017 shm_open(), DESCRIPTION (O_TRUNC)")
{
    char name[CF_NAME_MAX];
    long page = cf_page_size();
    int fd = SAFE_SHM_NEW(page, name);
    SAFE_PWRITE(fd, "data", 4, 0);
    /* An owner other than the caller, so that "owner kept" cannot mean "owner reset to me". */
    cf_privilege_over_other_user();
    if (fchown(fd, CF_OTHER_UID, CF_OTHER_GID) != 0)
        CF_SKIP("fchown to %d:%d is not permitted here (%s)", CF_OTHER_UID, CF_OTHER_GID,
                cf_errno_name(errno));
    if (fchmod(fd, 0640) != 0)
        CF_BROKEN("fchmod failed");
    int trunc = CF_EXP_FD(shm_open(name, O_RDWR | O_TRUNC, 0600));
    struct stat st;
    SAFE_FSTAT(trunc, &st);
    CF_EXPECT_EQ(st.st_size, 0);
    CF_EXPECT((st.st_mode & 0777) == 0640, "mode %03o after O_TRUNC",
              (unsigned)(st.st_mode & 0777));
    CF_EXPECT(st.st_uid == CF_OTHER_UID && st.st_gid == CF_OTHER_GID, "owner %ld:%ld after O_TRUNC",
              (long)st.st_uid, (long)st.st_gid);
    SAFE_FTRUNCATE(trunc, page);
    char got[4];
    SAFE_PREAD(fd, got, sizeof got, 0);
    CF_EXPECT(memcmp(got, "\0\0\0\0", 4) == 0, "old data came back after regrowing");
}

CF_CASE(posix, open_rdonly_write_ebadf,
        "write() on a descriptor from shm_open(O_RDONLY) fails with EBADF and changes nothing",
        "POSIX.1-2017 shm_open() (O_RDONLY: read access only); write(), ERRORS (EBADF)")
{
    char name[CF_NAME_MAX];
    int rw = SAFE_SHM_NEW(cf_page_size(), name);
    int ro = SAFE_SHM_OPEN(name, O_RDONLY);
    CF_EXP_FAIL(write(ro, "x", 1), EBADF);
    char got;
    SAFE_PREAD(rw, &got, 1, 0);
    CF_EXPECT(got == 0, "the object was written");
}

CF_CASE(posix, open_rdonly_map_shared_write_eacces,
        "mmap(PROT_WRITE, MAP_SHARED) of a descriptor from shm_open(O_RDONLY) fails with "
        "EACCES",
        "POSIX.1-2017 mmap(), ERRORS (EACCES); shm_open() (O_RDONLY)")
{
    char name[CF_NAME_MAX];
    SAFE_SHM_NEW(cf_page_size(), name);
    int ro = SAFE_SHM_OPEN(name, O_RDONLY);
    CF_EXP_MAP_FAIL(mmap(NULL, cf_page_size(), PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0), EACCES);
}

CF_CASE(posix, open_rdonly_ftruncate_refused,
        "ftruncate() on a descriptor from shm_open(O_RDONLY) fails with EBADF or EINVAL and "
        "keeps the size",
        "POSIX.1-2017 ftruncate(), ERRORS (EBADF or EINVAL: not open for writing)")
{
    char name[CF_NAME_MAX];
    int rw = SAFE_SHM_NEW(cf_page_size(), name);
    int ro = SAFE_SHM_OPEN(name, O_RDONLY);
    CF_EXP_FAIL_ARR(ftruncate(ro, 2 * cf_page_size()), EBADF, EINVAL);
    struct stat st;
    SAFE_FSTAT(rw, &st);
    CF_EXPECT_EQ(st.st_size, cf_page_size());
}

CF_CASE(posix, open_lowest_free_fd_cloexec,
        "shm_open() returns the lowest-numbered free descriptor, with FD_CLOEXEC set",
        "POSIX.1-2017 shm_open(), DESCRIPTION (lowest numbered; FD_CLOEXEC)")
{
    char name[CF_NAME_MAX];
    int first = SAFE_SHM_NEW(0, name);
    /* A hole below two open descriptors: the hole, not the end, must be chosen. */
    int second = dup(first), third = dup(first);
    if (second < 0 || third < 0)
        CF_BROKEN("dup failed");
    int hole = second < third ? second : third;
    SAFE_CLOSE(hole);
    int fd = CF_EXP_FD(shm_open(name, O_RDWR, 0));
    CF_EXPECT_EQ(fd, hole);
    int flags = fcntl(fd, F_GETFD);
    CF_EXPECT(flags >= 0 && (flags & FD_CLOEXEC), "FD_CLOEXEC is not set (flags %d)", flags);
}

CF_CASE(posix, open_fd_closed_on_exec,
        "the descriptor from shm_open() is closed in a program started by exec",
        "POSIX.1-2017 shm_open() (FD_CLOEXEC); exec, DESCRIPTION")
{
    int fd = SAFE_SHM_NEW(0, NULL);
    pid_t pid = CF_FORK();
    if (pid == 0) {
        char script[64];
        /* A redirection to the descriptor works only if it survived exec. `true` rather than
         * `:`: a failed redirection of a special built-in would end the shell itself. */
        snprintf(script, sizeof script, "exec 2>/dev/null; true >&%d && exit 1; exit 0", fd);
        execl("/bin/sh", "sh", "-c", script, (char *)NULL);
        CF_BROKEN("execl(/bin/sh) failed");
    }
    int status;
    if (waitpid(pid, &status, 0) != pid)
        CF_BROKEN("waitpid failed");
    CF_EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 0,
              "descriptor %d was still open after exec", fd);
}

CF_CASE(posix, open_emfile_at_rlimit_nofile,
        "shm_open() fails with EMFILE when RLIMIT_NOFILE descriptors are already open",
        "POSIX.1-2017 shm_open(), ERRORS (EMFILE)")
{
    char name[CF_NAME_MAX];
    int fd = SAFE_SHM_NEW(0, name);
    struct rlimit lim;
    if (getrlimit(RLIMIT_NOFILE, &lim) != 0)
        CF_BROKEN("getrlimit failed");
    lim.rlim_cur = 64;
    if (setrlimit(RLIMIT_NOFILE, &lim) != 0)
        CF_BROKEN("setrlimit(RLIMIT_NOFILE, 64) failed (%s)", cf_errno_name(errno));
    while (dup(fd) >= 0)
        ;
    if (errno != EMFILE)
        CF_BROKEN("filling the descriptor table stopped with %s", cf_errno_name(errno));
    CF_EXP_FAIL(shm_open(name, O_RDWR, 0), EMFILE);
}

CF_CASE(posix, open_contents_persist_after_close,
        "an object's contents persist after every descriptor and mapping is gone, until it "
        "is unlinked",
        "POSIX.1-2017 shm_open(), DESCRIPTION (object persists until unlinked)")
{
    char name[CF_NAME_MAX];
    long page = cf_page_size();
    int fd = SAFE_SHM_NEW(page, name);
    char *p = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    memcpy(p + 1000, "persist", 8);
    SAFE_MUNMAP(p, page);
    SAFE_CLOSE(fd);
    int again = CF_EXP_FD(shm_open(name, O_RDONLY, 0));
    char got[8];
    SAFE_PREAD(again, got, sizeof got, 1000);
    CF_EXPECT(memcmp(got, "persist", 8) == 0, "the contents did not persist");
}

CF_CASE(posix, open_same_name_two_processes,
        "two processes that shm_open() the same name get the same object: same inode, and "
        "each sees the other's stores",
        "POSIX.1-2017 shm_open(), DESCRIPTION (same name refers to the same object)")
{
    char name[CF_NAME_MAX];
    long page = cf_page_size();
    int fd = SAFE_SHM_NEW(page, name);
    char *p = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    memcpy(p, "parent", 7);
    struct stat mine;
    SAFE_FSTAT(fd, &mine);
    pid_t pid = CF_FORK();
    if (pid == 0) {
        /* Nothing inherited is used: the child finds the object by its name alone. */
        int own = CF_EXP_FD(shm_open(name, O_RDWR, 0));
        struct stat st;
        SAFE_FSTAT(own, &st);
        CF_EXPECT(st.st_ino == mine.st_ino && st.st_dev == mine.st_dev, "another object");
        char *q = SAFE_MMAP(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, own, 0);
        CF_EXPECT(memcmp(q, "parent", 7) == 0, "the child sees other bytes");
        memcpy(q + 200, "child", 6);
        _exit(0);
    }
    CF_REAP(pid);
    CF_EXPECT(memcmp(p + 200, "child", 6) == 0, "the child's store is not seen");
}
