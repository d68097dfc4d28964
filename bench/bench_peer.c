#include "bench/bench_peer.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "src/timing/shl_clock.h"
#include "src/timing/shl_pin.h"

static volatile sig_atomic_t running_pid;

void bench_peer_kill_running(void)
{
    pid_t pid = (pid_t)running_pid;
    if (pid > 0)
        kill(pid, SIGKILL);
}

void bench_peer_track(pid_t pid)
{
    running_pid = pid;
}

static void write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        p += n;
        len -= (size_t)n;
    }
}

static void run_child(int report_fd, pid_t parent, int cpu, bench_peer_fn fn, void *arg)
{
    struct bench_peer_report report;
    memset(&report, 0, sizeof report);
    /* The parent's handlers (SIGINT) are not this process's business: it dies with it. */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent) {
        report.failed = 1;
        shl_fail(&report.err, "prctl", errno, "PR_SET_PDEATHSIG");
    } else if (cpu >= 0 && shl_pin_to_cpu(cpu, &report.err) != 0) {
        report.failed = 1;
    } else if (fn(arg, &report) != 0) {
        report.failed = 1;
    }
    write_all(report_fd, &report, sizeof report);
    _exit(report.failed ? 1 : 0);
}

int bench_peer_start(struct bench_peer *peer, int cpu, bench_peer_fn fn, void *arg,
                     struct shl_error *err)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return shl_fail(err, "pipe2", errno, "peer report");
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        int saved = errno;
        close(fds[0]);
        close(fds[1]);
        return shl_fail(err, "fork", saved, "benchmark peer");
    }
    if (pid == 0) {
        close(fds[0]);
        run_child(fds[1], parent, cpu, fn, arg);
    }
    close(fds[1]);
    peer->pid = pid;
    peer->report_fd = fds[0];
    running_pid = pid;
    return 0;
}

static void release(struct bench_peer *peer)
{
    running_pid = 0;
    close(peer->report_fd);
    peer->pid = -1;
    peer->report_fd = -1;
}

static void reap(struct bench_peer *peer, int *status)
{
    while (waitpid(peer->pid, status, 0) < 0 && errno == EINTR)
        ;
    release(peer);
}

void bench_peer_kill(struct bench_peer *peer)
{
    if (peer->pid <= 0)
        return;
    int status;
    kill(peer->pid, SIGKILL);
    reap(peer, &status);
}

int bench_peer_finish(struct bench_peer *peer, int timeout_ms, struct bench_peer_report *report,
                      struct shl_error *err)
{
    memset(report, 0, sizeof *report);
    int64_t deadline = shl_now_ns() + (int64_t)timeout_ms * 1000000;
    size_t got = 0;
    while (got < sizeof *report) {
        int64_t left_ms = (deadline - shl_now_ns()) / 1000000;
        if (left_ms <= 0) {
            bench_peer_kill(peer);
            return shl_fail(err, "peer", ETIMEDOUT, "no report within %d ms; killed", timeout_ms);
        }
        struct pollfd pfd = {.fd = peer->report_fd, .events = POLLIN};
        int rc = poll(&pfd, 1, (int)left_ms);
        if (rc < 0 && errno != EINTR) {
            int saved = errno;
            bench_peer_kill(peer);
            return shl_fail(err, "poll", saved, "peer report");
        }
        if (rc <= 0)
            continue;
        ssize_t n = read(peer->report_fd, (char *)report + got, sizeof *report - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    int status = 0;
    if (got < sizeof *report) {
        /* It closed its end without a report: it died. Say how. */
        reap(peer, &status);
        if (WIFSIGNALED(status))
            return shl_fail(err, "peer", EPIPE, "killed by signal %d before reporting",
                            WTERMSIG(status));
        return shl_fail(err, "peer", EPIPE, "exited with status %d before reporting",
                        WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    }
    /* It has reported; it exits right after. Give it the rest of the time, then kill. */
    while (waitpid(peer->pid, &status, WNOHANG) == 0) {
        if (shl_now_ns() > deadline) {
            bench_peer_kill(peer);
            return 0;
        }
        usleep(1000);
    }
    release(peer);
    return 0;
}
