#include "src/transport/shl_roudi.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
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

int shl_roudi_object_left(char *path, size_t len)
{
    struct passwd *pw = getpwuid(geteuid());
    const char *fixed[] = {"/dev/shm/iceoryx_mgmt", "/tmp/roudi", "/tmp/roudi.lock",
                           "/tmp/iox-unique-roudi.lock"};
    struct stat st;
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        if (lstat(fixed[i], &st) == 0) {
            snprintf(path, len, "%s", fixed[i]);
            return 1;
        }
    }
    /* The data segment is named after the user RouDi runs as. */
    if (pw != NULL && snprintf(path, len, "/dev/shm/%s", pw->pw_name) < (int)len &&
        lstat(path, &st) == 0)
        return 1;
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

/* In the child, between fork and exec: nothing that allocates or can fail silently. */
static void exec_roudi(const struct shl_roudi *r, int config_fd, const sigset_t *mask,
                       pid_t parent)
{
    /* The parent's handlers would run its cleanup here; RouDi gets the defaults. */
    const int parent_handled[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
    for (size_t i = 0; i < sizeof parent_handled / sizeof parent_handled[0]; i++)
        signal(parent_handled[i], SIG_DFL);
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent)
        _exit(127); /* the parent died before the death signal was armed */
    dup2(r->log_fd, STDOUT_FILENO);
    dup2(r->log_fd, STDERR_FILENO);
    char config_path[64];
    snprintf(config_path, sizeof config_path, "/proc/self/fd/%d", config_fd);
    sigprocmask(SIG_SETMASK, mask, NULL);
    execl(r->binary, r->binary, "-c", config_path, (char *)NULL);
    _exit(127);
}

static int wait_ready(struct shl_roudi *r, int timeout_ms, struct shl_error *err)
{
    for (int waited = 0;; waited += 10) {
        if (log_says_ready(r))
            return 0;
        int status;
        if (waitpid(r->pid, &status, WNOHANG) == r->pid) {
            shl_cleanup_forget(r->slot);
            r->pid = 0;
            char line[200];
            shl_roudi_log_tail(r, line, sizeof line);
            return shl_fail(err, "iox-roudi", ECHILD, "exited with status %d before it was ready: %s",
                            WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
                            line);
        }
        if (waited >= timeout_ms)
            return shl_fail(err, "iox-roudi", ETIMEDOUT, "not ready within %d ms", timeout_ms);
        sleep_ms(10);
    }
}

int shl_roudi_start(struct shl_roudi *r, int timeout_ms, struct shl_error *err)
{
    memset(r, 0, sizeof *r);
    r->slot = -1;
    r->log_fd = -1;
    if (shl_roudi_find(r->binary, sizeof r->binary, err) != 0)
        return -1;
    pid_t other = shl_roudi_running();
    if (other != 0)
        return shl_fail(err, "shl_roudi_start", EBUSY,
                        "an iox-roudi (pid %d) is running that shmlab did not start; shmlab "
                        "will not share it: stop it, or leave iceoryx out",
                        (int)other);
    r->log_fd = memfd_create("shmlab-roudi-log", MFD_CLOEXEC);
    if (r->log_fd < 0)
        return shl_fail(err, "memfd_create", errno, "RouDi's log");
    int config_fd = config_file(err);
    if (config_fd < 0)
        goto fail;
    sigset_t saved;
    shl_cleanup_hold(&saved);
    pid_t parent = getpid();
    r->pid = fork();
    if (r->pid == 0)
        exec_roudi(r, config_fd, &saved, parent);
    int fork_errno = errno;
    if (r->pid > 0)
        r->slot = shl_cleanup_add(SHL_CLEANUP_CHILD, NULL, r->pid, err);
    shl_cleanup_release(&saved);
    close(config_fd);
    if (r->pid < 0) {
        r->pid = 0;
        shl_fail(err, "fork", fork_errno, "iox-roudi");
        goto fail;
    }
    if (r->slot < 0 || wait_ready(r, timeout_ms, err) != 0)
        goto fail;
    return 0;
fail:;
    struct shl_error ignored;
    shl_roudi_stop(r, &ignored);
    return -1;
}

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
        if (pid <= 0 || tail == NULL || (strcmp(tail, "-iox") != 0 && strcmp(tail, "-iox.lock") != 0))
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

/* RouDi's SIGTERM handling sends SIGTERM to every process still registered and aborts when
 * one is gone, leaving its objects. A process that died unregistered is dropped by RouDi's
 * monitoring once its keep-alive messages have stopped for ROUDI_DROPS_DEAD_APP_MS: wait
 * that long when one did. */
#define ROUDI_DROPS_DEAD_APP_MS 2000

int shl_roudi_stop(struct shl_roudi *r, struct shl_error *err)
{
    int rc = 0;
    if (r->pid > 0) {
        if (dead_apps(0) > 0)
            sleep_ms(ROUDI_DROPS_DEAD_APP_MS);
        kill(r->pid, SIGTERM);
        int waited = 0;
        while (waitpid(r->pid, NULL, WNOHANG) != r->pid) {
            if (waited >= SHL_CLEANUP_CHILD_GRACE_MS) {
                kill(r->pid, SIGKILL);
                waitpid(r->pid, NULL, 0);
                rc = shl_fail(err, "iox-roudi", ETIMEDOUT,
                              "still running %d ms after SIGTERM: killed", waited);
                break;
            }
            sleep_ms(10);
            waited += 10;
        }
        shl_cleanup_forget(r->slot);
        r->slot = -1;
        r->pid = 0;
        dead_apps(1);
        char path[256];
        /* RouDi removes its objects on SIGTERM; one still there is a fault to report. */
        while (shl_roudi_object_left(path, sizeof path)) {
            if (rc == 0) {
                char line[200];
                shl_roudi_log_tail(r, line, sizeof line);
                rc = shl_fail(err, "iox-roudi", EEXIST, "left %s behind (removed now); it said: %s",
                              path, line);
            }
            if (unlink(path) != 0)
                break;
        }
    }
    if (r->log_fd >= 0)
        close(r->log_fd);
    r->log_fd = -1;
    return rc;
}
