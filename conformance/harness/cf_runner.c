#include "conformance/harness/cf_runner.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conformance/harness/cf_names.h"
#include "conformance/harness/cf_report.h"
#include "conformance/harness/cf_userns.h"

/* Everything the case's processes reported, as received. */
struct records {
    char *text;
    size_t len, cap;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int append(struct records *rec, const char *buf, size_t n)
{
    if (rec->len + n + 1 > rec->cap) {
        size_t cap = rec->cap ? rec->cap * 2 : 4096;
        while (cap < rec->len + n + 1)
            cap *= 2;
        char *text = realloc(rec->text, cap);
        if (text == NULL)
            return -1;
        rec->text = text;
        rec->cap = cap;
    }
    memcpy(rec->text + rec->len, buf, n);
    rec->len += n;
    rec->text[rec->len] = '\0';
    return 0;
}

static _Noreturn void run_body(const struct cf_case *c, int fd)
{
    setpgid(0, 0);
    cf_report_fd = fd;
    /* A case that expects SIGSEGV or SIGBUS must see the kernel's default action, not a
     * sanitizer's or a test framework's handler inherited from the parent. */
    static const int defaults[] = {SIGSEGV, SIGBUS,  SIGFPE,  SIGILL, SIGPIPE,
                                   SIGALRM, SIGCHLD, SIGTERM, SIGINT};
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
        signal(defaults[i], SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    alarm(CF_TIMEOUT_S);
    c->body();
    _exit(0);
}

/* Reads records until every process of the case has closed the pipe, killing the
 * whole process group if the case outlives its time. Returns the child's wait status. */
static int collect(pid_t pid, int fd, struct records *rec, int *timed_out)
{
    double deadline = now_s() + CF_TIMEOUT_S + 5;
    int status = 0, reaped = 0, open_ = 1;
    *timed_out = 0;
    while (open_ || !reaped) {
        if (!reaped) {
            pid_t w = waitpid(pid, &status, WNOHANG);
            if (w == pid) {
                reaped = 1;
                /* Helpers a body forgot to reap would hold the pipe open forever. */
                kill(-pid, SIGKILL);
            }
        }
        if (now_s() > deadline && !*timed_out) {
            *timed_out = 1;
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            deadline = now_s() + 5;
        } else if (*timed_out && now_s() > deadline) {
            break;
        }
        if (!open_) {
            struct timespec pause = {0, 5 * 1000 * 1000};
            nanosleep(&pause, NULL);
            continue;
        }
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 50) <= 0)
            continue;
        char buf[4096];
        ssize_t n = read(fd, buf, sizeof buf);
        if (n > 0)
            append(rec, buf, (size_t)n);
        else if (n == 0 || errno != EINTR)
            open_ = 0;
    }
    if (!reaped) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
    }
    return status;
}

static void add_reason(struct cf_result *r, const char *text)
{
    size_t used = strlen(r->reason);
    if (used > 0 && used + 2 < sizeof r->reason) {
        strcat(r->reason, "; ");
        used += 2;
    }
    snprintf(r->reason + used, sizeof r->reason - used, "%s", text);
}

/* The creator pid of segment `id` from /proc/sysvipc/shm, which lists every segment whatever
 * its mode: IPC_STAT needs read permission, which a case may have taken from its creator. */
static long creator_listed(int id)
{
    FILE *f = fopen("/proc/sysvipc/shm", "re");
    if (f == NULL)
        return -1;
    char line[512];
    long creator = -1;
    int listed;
    long pid;
    while (fgets(line, sizeof line, f) != NULL)
        if (sscanf(line, "%*d %d %*o %*u %ld", &listed, &pid) == 2 && listed == id)
            creator = pid;
    fclose(f);
    return creator;
}

/* Removes one registered object; 0, or -1 with errno when this process may not. */
static int cleanup_object(char kind, const char *what)
{
    switch (kind) {
    case CF_REC_POSIX: return shm_unlink(what) == 0 || errno == ENOENT ? 0 : -1;
    case CF_REC_FILE: return unlink(what) == 0 || errno == ENOENT ? 0 : -1;
    case CF_REC_SYSV: {
        int id;
        long creator, now;
        struct shmid_ds ds;
        if (sscanf(what, "%d %ld", &id, &creator) != 2)
            return 0;
        if (shmctl(id, IPC_STAT, &ds) == 0)
            now = (long)ds.shm_cpid;
        else if (errno == EACCES)
            now = creator_listed(id);
        else
            return 0; /* gone already */
        /* Ids are reused: remove the segment only if the case's process still owns it. */
        if (now != creator)
            return 0;
        return shmctl(id, IPC_RMID, NULL);
    }
    }
    return 0;
}

/* Objects the runner may not remove were given to, or made by, the case's second user (a
 * caller that is not root has one only in a user namespace): removed as that user. */
static void cleanup_as_other_user(const char *kinds, const char *const *whats, size_t n)
{
    if (n == 0)
        return;
    pid_t pid = fork();
    if (pid == 0) {
        char why[512];
        if (cf_try_become_other_user(why, sizeof why) == 0)
            for (size_t i = 0; i < n; i++)
                cleanup_object(kinds[i], whats[i]);
        _exit(0);
    }
    if (pid > 0)
        waitpid(pid, NULL, 0);
}

/* Turns the records into a verdict and removes every registered object. */
static void judge(const struct cf_case *c, struct records *rec, int status, int timed_out,
                  struct cf_result *r)
{
    int fails = 0, skips = 0, broken = 0;
    char refused_kinds[64];
    const char *refused[64];
    size_t n_refused = 0;
    char skip_reason[512] = "";
    char broken_reason[512] = "";
    for (char *line = rec->text, *next; line != NULL && *line != '\0'; line = next) {
        next = strchr(line, '\n');
        if (next != NULL)
            *next++ = '\0';
        char kind = line[0];
        const char *text = line[0] != '\0' && line[1] == ' ' ? line + 2 : "";
        switch (kind) {
        case CF_REC_FAIL:
            fails++;
            add_reason(r, text);
            break;
        case CF_REC_SKIP:
            skips++;
            snprintf(skip_reason, sizeof skip_reason, "%s", text);
            break;
        case CF_REC_BROKEN:
            broken++;
            snprintf(broken_reason, sizeof broken_reason, "%s", text);
            break;
        case CF_REC_INFO: {
            size_t used = strlen(r->info);
            snprintf(r->info + used, sizeof r->info - used, "%s%s", used ? "; " : "", text);
            break;
        }
        default:
            if (cleanup_object(kind, text) != 0 && (errno == EPERM || errno == EACCES) &&
                n_refused < sizeof refused / sizeof refused[0]) {
                refused_kinds[n_refused] = kind;
                refused[n_refused++] = text;
            }
        }
    }
    cleanup_as_other_user(refused_kinds, refused, n_refused);

    char how[160] = "";
    if (timed_out) {
        snprintf(how, sizeof how, "timed out after %d s", CF_TIMEOUT_S);
    } else if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        if (sig == SIGALRM)
            snprintf(how, sizeof how, "timed out after %d s", CF_TIMEOUT_S);
        else if (sig != c->expect_signal)
            snprintf(how, sizeof how, "died of %s%s%s", cf_signal_name(sig),
                     c->expect_signal ? ", expected " : "",
                     c->expect_signal ? cf_signal_name(c->expect_signal) : "");
    } else if (c->expect_signal && !skips && !broken) {
        snprintf(how, sizeof how, "completed, expected to die of %s",
                 cf_signal_name(c->expect_signal));
    } else if (WEXITSTATUS(status) != 0 && !fails && !broken &&
               !(skips && WEXITSTATUS(status) == CF_SKIP_STATUS)) {
        snprintf(how, sizeof how, "exited with status %d", WEXITSTATUS(status));
    }

    if (broken && !fails) {
        r->verdict = CF_BROKEN;
        snprintf(r->reason, sizeof r->reason, "set-up failed: %s", broken_reason);
    } else if (fails || how[0] != '\0') {
        r->verdict = CF_FAIL;
        if (how[0] != '\0')
            add_reason(r, how);
    } else if (skips) {
        r->verdict = CF_SKIP;
        snprintf(r->reason, sizeof r->reason, "%s", skip_reason);
    } else {
        r->verdict = CF_PASS;
    }
}

int cf_run(const struct cf_case *c, struct cf_result *r)
{
    memset(r, 0, sizeof *r);
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return -1;
    fflush(NULL);
    double start = now_s();
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        run_body(c, fds[1]);
    }
    setpgid(pid, pid);
    close(fds[1]);
    struct records rec = {0};
    int timed_out;
    int status = collect(pid, fds[0], &rec, &timed_out);
    close(fds[0]);
    judge(c, &rec, status, timed_out, r);
    free(rec.text);
    r->seconds = now_s() - start;
    return 0;
}

const char *cf_verdict_name(enum cf_verdict v)
{
    switch (v) {
    case CF_PASS: return "PASS";
    case CF_FAIL: return "FAIL";
    case CF_SKIP: return "SKIP";
    case CF_BROKEN: return "BROKEN";
    }
    return "?";
}
