#include "conformance/harness/cf_userns.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_names.h"

#define NOBODY 65534

/* The caller's login name from /etc/passwd ("" if it has none there). */
static void user_name(uid_t uid, char *name, size_t len)
{
    name[0] = '\0';
    FILE *f = fopen("/etc/passwd", "re");
    if (f == NULL)
        return;
    char line[1024];
    while (fgets(line, sizeof line, f) != NULL) {
        char *colon = strchr(line, ':');
        char *id = colon != NULL ? strchr(colon + 1, ':') : NULL;
        if (id != NULL && strtoul(id + 1, NULL, 10) == uid) {
            *colon = '\0';
            snprintf(name, len, "%s", line);
            break;
        }
    }
    fclose(f);
}

/* The first id of the caller's range in a subordinate-id file (/etc/subuid, /etc/subgid),
 * whose lines are "NAME-or-ID:FIRST:COUNT"; 0 if it has none. */
static unsigned long subordinate_first(const char *file, uid_t uid)
{
    char name[256], number[32];
    user_name(uid, name, sizeof name);
    snprintf(number, sizeof number, "%lu", (unsigned long)uid);
    FILE *f = fopen(file, "re");
    if (f == NULL)
        return 0;
    char line[512];
    unsigned long first = 0;
    while (first == 0 && fgets(line, sizeof line, f) != NULL) {
        char *colon = strchr(line, ':');
        if (colon == NULL)
            continue;
        *colon = '\0';
        char *end;
        unsigned long start = strtoul(colon + 1, &end, 10);
        unsigned long count = *end == ':' ? strtoul(end + 1, NULL, 10) : 0;
        if (count > 0 && (strcmp(line, number) == 0 || (name[0] && strcmp(line, name) == 0)))
            first = start;
    }
    fclose(f);
    return first;
}

/* Looked up once and kept: a process that became the other user must still know who that
 * is, and so must its children. */
static unsigned long other_id(const char *file, unsigned long *cache)
{
    if (*cache == 0) {
        unsigned long first = geteuid() == 0 ? 0 : subordinate_first(file, getuid());
        *cache = first != 0 ? first : NOBODY;
    }
    return *cache;
}

uid_t cf_other_uid(void)
{
    static unsigned long uid;
    return (uid_t)other_id("/etc/subuid", &uid);
}

gid_t cf_other_gid(void)
{
    static unsigned long gid;
    return (gid_t)other_id("/etc/subgid", &gid);
}

static const char *find_program(const char *name, char *path, size_t len)
{
    const char *dirs[] = {"/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        snprintf(path, len, "%s/%s", dirs[i], name);
        if (access(path, X_OK) == 0)
            return path;
    }
    return NULL;
}

/* Runs `tool PID OWN OWN 1 OTHER OTHER 1` quietly; 0 if it succeeded. */
static int map_ids(const char *tool, pid_t pid, unsigned long own, unsigned long other)
{
    char path[256], a_pid[24], a_own[24], a_other[24];
    if (find_program(tool, path, sizeof path) == NULL)
        return -1;
    snprintf(a_pid, sizeof a_pid, "%ld", (long)pid);
    snprintf(a_own, sizeof a_own, "%lu", own);
    snprintf(a_other, sizeof a_other, "%lu", other);
    pid_t child = fork();
    if (child == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0)
            dup2(null, STDERR_FILENO);
        execl(path, tool, a_pid, a_own, a_own, "1", a_other, a_other, "1", (char *)NULL);
        _exit(127);
    }
    int status;
    if (child < 0 || waitpid(child, &status, 0) != child)
        return -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* unshare(CLONE_NEWUSER) refuses a process with more than one thread with EINVAL: an
 * emulator running the checker (qemu-user) has threads of its own. */
static const char *multithreaded_hint(int err)
{
    return err == EINVAL ? " (the process has more than one thread, as under an emulator)" : "";
}

/* Moves the caller into a new user namespace where its own ids and the other user's are
 * mapped to themselves; it holds every capability there. 0, or -1 with the reason. */
static int enter_two_user_namespace(char *why, size_t len)
{
    uid_t uid = getuid(), other = cf_other_uid();
    gid_t gid = getgid(), other_gid = cf_other_gid();
    char name[256], path[256];
    if (other == NOBODY || other_gid == NOBODY) {
        user_name(uid, name, sizeof name);
        snprintf(why, len,
                 "no second user: uid %ld (%s) has no range in /etc/subuid and /etc/subgid "
                 "to map one from",
                 (long)uid, name[0] ? name : "no name");
        return -1;
    }
    if (find_program("newuidmap", path, sizeof path) == NULL ||
        find_program("newgidmap", path, sizeof path) == NULL) {
        snprintf(why, len, "no second user: newuidmap/newgidmap are missing (Debian: uidmap)");
        return -1;
    }
    int go[2];
    if (pipe2(go, O_CLOEXEC) != 0) {
        snprintf(why, len, "no second user: pipe: %s", cf_errno_name(errno));
        return -1;
    }
    pid_t self = getpid();
    pid_t mapper = fork();
    if (mapper == 0) {
        /* Stays in the parent user namespace, where newuidmap must run. */
        close(go[1]);
        char c;
        if (read(go[0], &c, 1) != 1)
            _exit(3);
        if (map_ids("newuidmap", self, uid, other) != 0)
            _exit(1);
        _exit(map_ids("newgidmap", self, gid, other_gid) != 0 ? 2 : 0);
    }
    close(go[0]);
    int rc = mapper < 0 ? -1 : unshare(CLONE_NEWUSER);
    int err = errno;
    if (rc == 0 && write(go[1], "g", 1) != 1)
        rc = -1;
    close(go[1]);
    int status = 0;
    if (mapper > 0)
        waitpid(mapper, &status, 0);
    if (rc != 0) {
        snprintf(why, len, "no second user: unshare(CLONE_NEWUSER): %s%s", cf_errno_name(err),
                 multithreaded_hint(err));
        return -1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        /* newuidmap is set-user-ID root: traced (proot) or instrumented (valgrind following
         * children) it runs without that privilege, and the kernel refuses its map. */
        snprintf(why, len,
                 "no second user: %s %ld %ld 1 %ld %ld 1 was refused (it needs its set-user-ID "
                 "privilege, which a tracer or instrumenting tool in between takes away)",
                 WEXITSTATUS(status) == 2 ? "newgidmap" : "newuidmap", (long)self,
                 WEXITSTATUS(status) == 2 ? (long)gid : (long)uid,
                 WEXITSTATUS(status) == 2 ? (long)other_gid : (long)other,
                 WEXITSTATUS(status) == 2 ? (long)other_gid : (long)other);
        return -1;
    }
    return 0;
}

/* Clears every capability. A change of uid between two ids that are not 0 keeps them,
 * which inside the user namespace would let the "other user" override file permissions. */
static int drop_capabilities(void)
{
    struct {
        uint32_t version;
        int pid;
    } header = {0x20080522, 0}; /* _LINUX_CAPABILITY_VERSION_3 */
    struct {
        uint32_t effective, permitted, inheritable;
    } data[2];
    memset(data, 0, sizeof data);
    return (int)syscall(SYS_capset, &header, data);
}

int cf_try_become_other_user(char *why, size_t len)
{
    uid_t other = cf_other_uid();
    gid_t other_gid = cf_other_gid();
    if (geteuid() != 0 && enter_two_user_namespace(why, len) != 0)
        return -1;
    if (setgroups(0, NULL) != 0) {
        snprintf(why, len, "cannot drop to another user: setgroups(0, NULL): %s",
                 cf_errno_name(errno));
        return -1;
    }
    if (setresgid(other_gid, other_gid, other_gid) != 0 || setresuid(other, other, other) != 0 ||
        drop_capabilities() != 0) {
        snprintf(why, len, "cannot drop to another user %ld:%ld: %s", (long)other, (long)other_gid,
                 cf_errno_name(errno));
        return -1;
    }
    return 0;
}

void cf_become_other_user(void)
{
    char why[512];
    if (cf_try_become_other_user(why, sizeof why) != 0)
        cf_skip_at(__FILE__, __LINE__, "%s", why);
    /* A kernel that ignored the drop would turn every refusal check into a false PASS. */
    if (geteuid() != CF_OTHER_UID || getegid() != CF_OTHER_GID)
        cf_broken_at(__FILE__, __LINE__, "still euid %ld egid %ld after dropping privileges",
                     (long)geteuid(), (long)getegid());
}

void cf_privilege_over_other_user(void)
{
    char why[512];
    if (geteuid() != 0 && enter_two_user_namespace(why, sizeof why) != 0)
        cf_skip_at(__FILE__, __LINE__, "%s", why);
}

static int write_text(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = write(fd, text, strlen(text));
    int err = errno;
    close(fd);
    errno = err;
    return n == (ssize_t)strlen(text) ? 0 : -1;
}

void cf_private_namespaces(int clone_flags)
{
    const char *what = clone_flags == CLONE_NEWIPC  ? "IPC"
                       : clone_flags == CLONE_NEWNS ? "mount"
                                                    : "IPC and mount";
    if (unshare(clone_flags) == 0)
        return;
    int err = errno;
    if (err != EPERM || geteuid() == 0)
        cf_skip_at(__FILE__, __LINE__, "cannot make a private %s namespace: unshare: %s", what,
                   cf_errno_name(err));
    uid_t uid = geteuid();
    gid_t gid = getegid();
    if (unshare(CLONE_NEWUSER | clone_flags) != 0) {
        err = errno;
        cf_skip_at(__FILE__, __LINE__,
                   "cannot make a private %s namespace: unshare: EPERM (not privileged), and "
                   "in a user namespace of its own: %s%s",
                   what, cf_errno_name(err), multithreaded_hint(err));
    }
    char map[64];
    if (write_text("/proc/self/setgroups", "deny") != 0)
        cf_skip_at(__FILE__, __LINE__, "user namespace: /proc/self/setgroups: %s",
                   cf_errno_name(errno));
    /* Root of its namespaces: the IPC namespace's sysctls (shmmni, shm_next_id) belong to
     * the user namespace's uid 0. */
    snprintf(map, sizeof map, "0 %ld 1", (long)uid);
    if (write_text("/proc/self/uid_map", map) != 0)
        cf_skip_at(__FILE__, __LINE__, "user namespace: /proc/self/uid_map: %s",
                   cf_errno_name(errno));
    snprintf(map, sizeof map, "0 %ld 1", (long)gid);
    if (write_text("/proc/self/gid_map", map) != 0)
        cf_skip_at(__FILE__, __LINE__, "user namespace: /proc/self/gid_map: %s",
                   cf_errno_name(errno));
}
