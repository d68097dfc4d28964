#include "src/transport/shl_roudi.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "src/core/shl_cleanup.h"
#include "src/core/shl_name.h"

#define READY_LINE "RouDi is ready for clients"
#define LOG_MAX 65536

/* Memory pools by chunk size: from 128 B to SHL_ROUDI_MAX_MSG plus room for the chunk's
 * headers, and enough chunks of each for SHL_ROUDI_MAX_DEPTH in flight each way, plus the
 * chunk each side holds, on two channels at once (about 80 MB, reserved sparse). */
static const char config[] = "[general]\n"
                             "version = 1\n"
                             "\n"
                             "[[segment]]\n"
                             "\n"
                             "[[segment.mempool]]\nsize = 128\ncount = 2048\n\n"
                             "[[segment.mempool]]\nsize = 1024\ncount = 2048\n\n"
                             "[[segment.mempool]]\nsize = 16384\ncount = 1100\n\n"
                             "[[segment.mempool]]\nsize = 131072\ncount = 160\n\n"
                             "[[segment.mempool]]\nsize = 1052672\ncount = 40\n";

int shl_roudi_find(char *path, size_t len, struct shl_error *err)
{
    const char *dirs = getenv("PATH");
    if (dirs == NULL || dirs[0] == '\0')
        dirs = "/usr/bin:/bin";
    while (*dirs != '\0') {
        size_t n = strcspn(dirs, ":");
        if (n > 0 && snprintf(path, len, "%.*s/iox-roudi", (int)n, dirs) < (int)len &&
            access(path, X_OK) == 0)
            return 0;
        dirs += n;
        if (*dirs == ':')
            dirs++;
    }
    return shl_fail(err, "shl_roudi_find", ENOENT,
                    "iox-roudi is not in PATH (Debian package iceoryx)");
}

pid_t shl_roudi_running(void)
{
    DIR *proc = opendir("/proc");
    if (proc == NULL)
        return 0;
    pid_t found = 0;
    struct dirent *e;
    while (found == 0 && (e = readdir(proc)) != NULL) {
        if (e->d_name[0] < '1' || e->d_name[0] > '9')
            continue;
        char path[300], comm[32] = "";
        snprintf(path, sizeof path, "/proc/%s/comm", e->d_name);
        FILE *f = fopen(path, "re");
        if (f == NULL)
            continue;
        if (fgets(comm, sizeof comm, f) != NULL && strcmp(comm, "iox-roudi\n") == 0) {
            /* A zombie has removed its objects already and holds nothing. */
            char state = 0;
            snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
            FILE *s = fopen(path, "re");
            if (s != NULL) {
                if (fscanf(s, "%*d (%*[^)]) %c", &state) != 1)
                    state = 0;
                fclose(s);
            }
            if (state != 'Z')
                found = (pid_t)atol(e->d_name);
        }
        fclose(f);
    }
    closedir(proc);
    return found;
}

/* RouDi's fixed objects; the last, its data segment, is named after the user it runs as. */
#define ROUDI_OBJECTS 5

static void object_paths(char paths[ROUDI_OBJECTS][256])
{
    const char *fixed[ROUDI_OBJECTS - 1] = {"/dev/shm/iceoryx_mgmt", "/tmp/roudi",
                                            "/tmp/roudi.lock", "/tmp/iox-unique-roudi.lock"};
    for (int i = 0; i < ROUDI_OBJECTS - 1; i++)
        snprintf(paths[i], sizeof paths[i], "%s", fixed[i]);
    struct passwd *pw = getpwuid(geteuid());
    snprintf(paths[ROUDI_OBJECTS - 1], sizeof paths[0], "/dev/shm/%s",
             pw != NULL ? pw->pw_name : "");
}

int shl_roudi_object_left(char *path, size_t len)
{
    char paths[ROUDI_OBJECTS][256];
    object_paths(paths);
    struct stat st;
    for (int i = 0; i < ROUDI_OBJECTS; i++) {
        if (lstat(paths[i], &st) == 0 && !S_ISDIR(st.st_mode)) {
            snprintf(path, len, "%s", paths[i]);
            return 1;
        }
    }
    return 0;
}

void shl_roudi_log_tail(const struct shl_roudi *r, char *buf, size_t len)
{
    buf[0] = '\0';
    if (len == 0 || r->log_fd < 0)
        return;
    struct stat st;
    if (fstat(r->log_fd, &st) != 0)
        return;
    off_t from = st.st_size > (off_t)(len - 1) ? st.st_size - (off_t)(len - 1) : 0;
    ssize_t n = pread(r->log_fd, buf, len - 1, from);
    if (n < 0)
        n = 0;
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
        n--;
    buf[n] = '\0';
}

static int log_says_ready(const struct shl_roudi *r)
{
    char log[LOG_MAX + 1];
    ssize_t n = pread(r->log_fd, log, LOG_MAX, 0);
    if (n <= 0)
        return 0;
    log[n] = '\0';
    return strstr(log, READY_LINE) != NULL;
}

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

static int config_file(struct shl_error *err)
{
    int fd = memfd_create("shmlab-roudi-config", 0);
    if (fd < 0)
        return shl_fail(err, "memfd_create", errno, "RouDi's configuration");
    if (write(fd, config, sizeof config - 1) != (ssize_t)(sizeof config - 1)) {
        int saved = errno;
        close(fd);
        return shl_fail(err, "write", saved, "RouDi's configuration");
    }
    return fd;
}

/* RouDi's SIGTERM handling sends SIGTERM to every process still registered and aborts when
 * one is gone, leaving its objects. A process that died unregistered is dropped by RouDi's
 * monitoring once its keep-alive messages have stopped for ROUDI_DROPS_DEAD_APP_MS: wait
 * that long when one did. */
#define ROUDI_DROPS_DEAD_APP_MS 2000
/* After its starter vanished, the keeper lets the starter's other children (which die with
 * it) go first, so that it can tell they died. */
#define STARTER_CHILDREN_DIE_MS 100

/* The runtime of a process named shmlab-<pid>-iox that died without leaving RouDi (SIGKILL)
 * keeps its socket and lock file in /tmp. Returns how many such processes there are, and
 * removes their files when `remove`. */
static int dead_apps(int remove)
{
    DIR *tmp = opendir("/tmp");
    if (tmp == NULL)
        return 0;
    int dead = 0;
    struct dirent *e;
    while ((e = readdir(tmp)) != NULL) {
        pid_t pid = shl_name_pid(e->d_name);
        const char *tail = strrchr(e->d_name, '-');
        if (pid <= 0 || tail == NULL ||
            (strcmp(tail, "-iox") != 0 && strcmp(tail, "-iox.lock") != 0))
            continue;
        if (kill(pid, 0) == 0 || errno != ESRCH)
            continue;
        if (strcmp(tail, "-iox") == 0)
            dead++;
        if (remove)
            unlinkat(dirfd(tmp), e->d_name, 0);
    }
    closedir(tmp);
    return dead;
}

/* ---- In the keeper: RouDi itself. ---- */

/* In RouDi's process, between fork and exec: nothing that allocates or can fail silently. */
static void exec_roudi(const struct shl_roudi *r, int config_fd, pid_t keeper)
{
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != keeper)
        _exit(127); /* the keeper died before the death signal was armed */
    dup2(r->log_fd, STDOUT_FILENO);
    dup2(r->log_fd, STDERR_FILENO);
    char config_path[64];
    snprintf(config_path, sizeof config_path, "/proc/self/fd/%d", config_fd);
    execl(r->binary, r->binary, "-c", config_path, (char *)NULL);
    _exit(127);
}

static int daemon_start(struct shl_roudi *r, int timeout_ms, struct shl_error *err)
{
    int config_fd = config_file(err);
    if (config_fd < 0)
        return -1;
    pid_t keeper = getpid();
    r->daemon_pid = fork();
    if (r->daemon_pid == 0)
        exec_roudi(r, config_fd, keeper);
    int fork_errno = errno;
    close(config_fd);
    if (r->daemon_pid < 0) {
        r->daemon_pid = 0;
        return shl_fail(err, "fork", fork_errno, "iox-roudi");
    }
    for (int waited = 0;; waited += 10) {
        if (log_says_ready(r))
            return 0;
        int status;
        if (waitpid(r->daemon_pid, &status, WNOHANG) == r->daemon_pid) {
            r->daemon_pid = 0;
            char line[200];
            shl_roudi_log_tail(r, line, sizeof line);
            return shl_fail(err, "iox-roudi", ECHILD,
                            "exited with status %d before it was ready: %s",
                            WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), line);
        }
        if (waited >= timeout_ms)
            return shl_fail(err, "iox-roudi", ETIMEDOUT, "not ready within %d ms", timeout_ms);
        sleep_ms(10);
    }
}

static int daemon_stop(struct shl_roudi *r, struct shl_error *err)
{
    if (r->daemon_pid <= 0)
        return 0;
    int rc = 0;
    if (dead_apps(0) > 0)
        sleep_ms(ROUDI_DROPS_DEAD_APP_MS);
    /* While this RouDi runs, the objects under its names are its own; once it is gone another
     * RouDi may already have made new ones under the same names, which are not ours to
     * judge or remove. So remember which files they are before stopping it. */
    char paths[ROUDI_OBJECTS][256];
    struct stat ours[ROUDI_OBJECTS];
    bool held[ROUDI_OBJECTS];
    object_paths(paths);
    for (int i = 0; i < ROUDI_OBJECTS; i++)
        held[i] = lstat(paths[i], &ours[i]) == 0;
    kill(r->daemon_pid, SIGTERM);
    int waited = 0;
    while (waitpid(r->daemon_pid, NULL, WNOHANG) != r->daemon_pid) {
        if (waited >= SHL_CLEANUP_CHILD_GRACE_MS) {
            kill(r->daemon_pid, SIGKILL);
            waitpid(r->daemon_pid, NULL, 0);
            rc = shl_fail(err, "iox-roudi", ETIMEDOUT, "still running %d ms after SIGTERM: killed",
                          waited);
            break;
        }
        sleep_ms(10);
        waited += 10;
    }
    r->daemon_pid = 0;
    dead_apps(1);
    /* RouDi removes its objects on SIGTERM; one still there is a fault to report. */
    for (int i = 0; i < ROUDI_OBJECTS; i++) {
        struct stat now;
        if (!held[i] || lstat(paths[i], &now) != 0 || now.st_dev != ours[i].st_dev ||
            now.st_ino != ours[i].st_ino)
            continue;
        if (rc == 0) {
            char line[200];
            shl_roudi_log_tail(r, line, sizeof line);
            rc = shl_fail(err, "iox-roudi", EEXIST, "left %s behind (removed now); it said: %s",
                          paths[i], line);
        }
        unlink(paths[i]);
    }
    return rc;
}

/* ---- The keeper: RouDi's parent, which outlives its starter to stop it. ---- */

struct verdict {
    int rc;
    pid_t daemon_pid;
    struct shl_error err;
};

static volatile sig_atomic_t keeper_told_to_stop;

static void keeper_on_term(int sig)
{
    (void)sig;
    keeper_told_to_stop = 1;
}

/* Waits for the starter's word on `ctl`: 'S' (stop), its end closing (it died: stop too), or
 * SIGTERM (its cleanup registry: stop). */
static int starter_vanished(int ctl)
{
    for (;;) {
        struct pollfd p = {.fd = ctl, .events = POLLIN};
        if (keeper_told_to_stop)
            return 0;
        if (poll(&p, 1, -1) < 0)
            continue; /* EINTR: look at the flag */
        char word;
        return read(ctl, &word, 1) != 1;
    }
}

static void keeper(struct shl_roudi *r, int ctl, int rep, int timeout_ms)
{
    /* Its own process group, so that a signal to the starter's group (Ctrl-C, a group kill)
     * leaves it to stop RouDi; SIGTERM is the starter's cleanup asking it to. */
    setpgid(0, 0);
    signal(SIGINT, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    signal(SIGQUIT, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa = {.sa_handler = keeper_on_term};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);

    struct verdict v = {0};
    v.rc = daemon_start(r, timeout_ms, &v.err);
    v.daemon_pid = r->daemon_pid;
    (void)!write(rep, &v, sizeof v);
    if (v.rc == 0) {
        if (starter_vanished(ctl))
            sleep_ms(STARTER_CHILDREN_DIE_MS);
        memset(&v, 0, sizeof v);
        v.rc = daemon_stop(r, &v.err);
        (void)!write(rep, &v, sizeof v);
    } else {
        daemon_stop(r, &(struct shl_error){0});
    }
    _exit(v.rc == 0 ? 0 : 1);
}

/* ---- In the starter. ---- */

static int read_verdict(int rep, int timeout_ms, struct verdict *v, struct shl_error *err)
{
    struct pollfd p = {.fd = rep, .events = POLLIN};
    int n = poll(&p, 1, timeout_ms);
    if (n <= 0)
        return shl_fail(err, "iox-roudi", ETIMEDOUT, "its keeper gave no word within %d ms",
                        timeout_ms);
    if (read(rep, v, sizeof *v) != (ssize_t)sizeof *v)
        return shl_fail(err, "iox-roudi", ECHILD, "its keeper died without a word");
    if (v->rc != 0 && err != NULL)
        *err = v->err;
    return v->rc;
}

static void release(struct shl_roudi *r)
{
    int fds[] = {r->ctl_fd, r->rep_fd, r->log_fd};
    for (int i = 0; i < 3; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    r->ctl_fd = r->rep_fd = r->log_fd = -1;
}

int shl_roudi_start(struct shl_roudi *r, int timeout_ms, struct shl_error *err)
{
    memset(r, 0, sizeof *r);
    r->slot = -1;
    r->log_fd = r->ctl_fd = r->rep_fd = -1;
    if (shl_roudi_find(r->binary, sizeof r->binary, err) != 0)
        return -1;
    pid_t other = shl_roudi_running();
    if (other != 0)
        return shl_fail(err, "shl_roudi_start", EBUSY,
                        "an iox-roudi (pid %d) is running that shmlab did not start; shmlab "
                        "will not share it: stop it, or leave iceoryx out",
                        (int)other);
    r->log_fd = memfd_create("shmlab-roudi-log", MFD_CLOEXEC);
    int ctl[2] = {-1, -1}, rep[2] = {-1, -1};
    if (r->log_fd < 0 || pipe2(ctl, O_CLOEXEC) != 0 || pipe2(rep, O_CLOEXEC) != 0) {
        int saved = errno;
        for (int i = 0; i < 2; i++) {
            if (ctl[i] >= 0)
                close(ctl[i]);
            if (rep[i] >= 0)
                close(rep[i]);
        }
        release(r);
        return shl_fail(err, "pipe2", saved, "RouDi's keeper");
    }
    sigset_t saved;
    shl_cleanup_hold(&saved);
    r->pid = fork();
    if (r->pid == 0) {
        close(ctl[1]);
        close(rep[0]);
        keeper(r, ctl[0], rep[1], timeout_ms);
    }
    int fork_errno = errno;
    if (r->pid > 0)
        r->slot = shl_cleanup_add(SHL_CLEANUP_CHILD, NULL, r->pid, err);
    shl_cleanup_release(&saved);
    close(ctl[0]);
    close(rep[1]);
    r->ctl_fd = ctl[1];
    r->rep_fd = rep[0];
    if (r->pid < 0) {
        r->pid = 0;
        release(r);
        return shl_fail(err, "fork", fork_errno, "RouDi's keeper");
    }
    struct verdict v;
    if (r->slot < 0 || read_verdict(r->rep_fd, timeout_ms + 1000, &v, err) != 0) {
        struct shl_error ignored;
        shl_roudi_stop(r, &ignored);
        return -1;
    }
    r->daemon_pid = v.daemon_pid;
    return 0;
}

int shl_roudi_stop(struct shl_roudi *r, struct shl_error *err)
{
    if (r->pid <= 0) {
        release(r);
        return 0;
    }
    (void)!write(r->ctl_fd, "S", 1);
    struct verdict v;
    int rc = read_verdict(r->rep_fd, ROUDI_DROPS_DEAD_APP_MS + 2 * SHL_CLEANUP_CHILD_GRACE_MS, &v,
                          err);
    int status;
    if (rc != 0 && waitpid(r->pid, &status, WNOHANG) != r->pid)
        kill(r->pid, SIGKILL);
    waitpid(r->pid, &status, 0);
    shl_cleanup_forget(r->slot);
    r->slot = -1;
    r->pid = 0;
    r->daemon_pid = 0;
    release(r);
    return rc;
}
