#include "src/testing/run.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

namespace shltest {

std::string Runfile(const std::string &path)
{
    const char *dir = getenv("TEST_SRCDIR");
    return std::string(dir != nullptr ? dir : ".") + "/shmlab/" + path;
}

[[noreturn]] static void ExecOrDie(const std::vector<std::string> &argv)
{
    std::vector<char *> args;
    for (const auto &a : argv)
        args.push_back(const_cast<char *>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
}

static long long NowMs()
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

Result Exec(const std::vector<std::string> &argv, const std::vector<std::string> &env,
            int timeout_s)
{
    Result r;
    int out[2], err[2];
    if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0)
        return r;
    pid_t pid = fork();
    if (pid == 0) {
        for (const auto &e : env)
            putenv(const_cast<char *>(e.c_str()));
        int devnull = open("/dev/null", O_RDONLY);
        dup2(devnull, 0);
        dup2(out[1], 1);
        dup2(err[1], 2);
        ExecOrDie(argv);
    }
    r.pid = pid;
    close(out[1]);
    close(err[1]);
    struct pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    std::string *bufs[2] = {&r.out, &r.err};
    long long deadline = NowMs() + timeout_s * 1000LL;
    int open_fds = 2;
    while (open_fds > 0) {
        long long left = deadline - NowMs();
        if (left <= 0) {
            r.timed_out = true;
            kill(pid, SIGKILL);
            break;
        }
        if (poll(fds, 2, (int)left) < 0)
            continue;
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP)))
                continue;
            char buf[4096];
            ssize_t n = read(fds[i].fd, buf, sizeof buf);
            if (n > 0) {
                bufs[i]->append(buf, (size_t)n);
            } else {
                close(fds[i].fd);
                fds[i].fd = -1;
                open_fds--;
            }
        }
    }
    for (auto &f : fds)
        if (f.fd >= 0)
            close(f.fd);
    int ws;
    waitpid(pid, &ws, 0);
    if (WIFEXITED(ws))
        r.status = WEXITSTATUS(ws);
    else if (WIFSIGNALED(ws))
        r.signal = WTERMSIG(ws);
    return r;
}

// Forks `child` with the write end of a pipe and returns the child's pid once something
// arrives on the read end, or -1 (after reaping it) if the child closes it first.
static pid_t ForkAwaiting(const std::function<void(int)> &child)
{
    int ready[2];
    if (pipe(ready) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        close(ready[0]);
        child(ready[1]);
        _exit(127);
    }
    close(ready[1]);
    char c;
    ssize_t n = pid > 0 ? read(ready[0], &c, 1) : -1;
    close(ready[0]);
    if (n == 1)
        return pid;
    if (pid > 0)
        waitpid(pid, nullptr, 0);
    return -1;
}

pid_t ForkReady(const std::function<bool()> &setup)
{
    return ForkAwaiting([&](int fd) {
        if (!setup())
            _exit(3);
        (void)!write(fd, "x", 1);
        for (;;)
            pause();
    });
}

pid_t StartUntilOutput(const std::vector<std::string> &argv)
{
    return ForkAwaiting([&](int fd) {
        dup2(fd, 1);
        ExecOrDie(argv);
    });
}

bool WithFileSizeLimit(off_t limit, const std::function<bool()> &body)
{
    pid_t pid = fork();
    if (pid < 0)
        return false;
    if (pid == 0) {
        struct rlimit rl = {(rlim_t)limit, (rlim_t)limit};
        signal(SIGXFSZ, SIG_IGN);
        _exit(setrlimit(RLIMIT_FSIZE, &rl) == 0 && body() ? 0 : 1);
    }
    int ws;
    return waitpid(pid, &ws, 0) == pid && WIFEXITED(ws) && WEXITSTATUS(ws) == 0;
}

int Lines(const std::string &s)
{
    int n = 0;
    for (char c : s)
        n += c == '\n';
    return n + (!s.empty() && s.back() != '\n');
}

} // namespace shltest
