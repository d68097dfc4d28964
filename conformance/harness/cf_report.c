#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_names.h"
#include "conformance/harness/cf_report.h"

int cf_report_fd = -1;

static void vrecord(char kind, const char *prefix, const char *fmt, va_list ap)
{
    /* Below PIPE_BUF, so one write() is atomic even when several processes report. */
    char line[1024];
    int n = snprintf(line, sizeof line, "%c %s", kind, prefix);
    if (n < 0 || (size_t)n >= sizeof line)
        n = 2;
    int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    size_t len = strlen(line);
    if (m < 0)
        len = (size_t)n;
    for (size_t i = 0; i < len; i++)
        if (line[i] == '\n')
            line[i] = ' ';
    line[len++] = '\n';
    if (cf_report_fd >= 0) {
        ssize_t ignored = write(cf_report_fd, line, len);
        (void)ignored;
    } else {
        /* Outside the runner (a body called directly while debugging): say it anyway. */
        fwrite(line, 1, len, stderr);
    }
}

void cf_record(char kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vrecord(kind, "", fmt, ap);
    va_end(ap);
}

/* Records `kind` with the place in the case it comes from ("file:line: "), then `lead`. */
static void vrecord_at(char kind, const char *file, int line, const char *lead,
                       const char *fmt, va_list ap)
{
    char where[512];
    snprintf(where, sizeof where, "%s:%d: %s", file, line, lead);
    vrecord(kind, where, fmt, ap);
}

void cf_fail_at(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vrecord_at(CF_REC_FAIL, file, line, "", fmt, ap);
    va_end(ap);
}

void cf_expect_failed(const char *file, int line, const char *cond, const char *fmt, ...)
{
    char lead[400];
    snprintf(lead, sizeof lead, "expected %s: ", cond);
    va_list ap;
    va_start(ap, fmt);
    vrecord_at(CF_REC_FAIL, file, line, lead, fmt, ap);
    va_end(ap);
}

void cf_end_failed(void)
{
    _exit(1);
}

void cf_skip_at(const char *file, int line, const char *fmt, ...)
{
    (void)file;
    (void)line;
    va_list ap;
    va_start(ap, fmt);
    vrecord(CF_REC_SKIP, "", fmt, ap);
    va_end(ap);
    _exit(CF_SKIP_STATUS);
}

void cf_broken_at(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vrecord_at(CF_REC_BROKEN, file, line, "", fmt, ap);
    va_end(ap);
    _exit(1);
}

void cf_info(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vrecord(CF_REC_INFO, "", fmt, ap);
    va_end(ap);
}

void cf_check_fail(long ret, int err, int want, const char *call, const char *file,
                   int line)
{
    if (ret != -1)
        cf_fail_at(file, line, "%s returned %ld, expected -1 with %s", call, ret,
                   cf_errno_name(want));
    else if (err != want)
        cf_fail_at(file, line, "%s failed with %s, expected %s", call,
                   cf_errno_name(err),
                   cf_errno_name(want));
}

void cf_check_map_fail(void *ret, int err, int want, const char *call, const char *file,
                       int line)
{
    if (ret != (void *)-1)
        cf_fail_at(file, line, "%s succeeded (%p), expected failure with %s", call, ret,
                   cf_errno_name(want));
    else if (err != want)
        cf_fail_at(file, line, "%s failed with %s, expected %s", call,
                   cf_errno_name(err),
                   cf_errno_name(want));
}

void cf_check_pass(long ret, int err, const char *call, const char *file, int line)
{
    if (ret == -1)
        cf_fail_at(file, line, "%s failed with %s, expected success", call,
                   cf_errno_name(err));
}

pid_t cf_fork_at(const char *file, int line)
{
    pid_t pid = fork();
    if (pid < 0)
        cf_broken_at(file, line, "fork: %s", strerror(errno));
    return pid;
}

static int wait_for(pid_t pid, const char *file, int line)
{
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            cf_broken_at(file, line, "waitpid: %s", strerror(errno));
    }
    return status;
}

void cf_expect_died_of(pid_t pid, int sig, const char *what, const char *file, int line)
{
    int status = wait_for(pid, file, line);
    if (WIFSIGNALED(status) && WTERMSIG(status) == sig)
        return;
    if (WIFEXITED(status) && WEXITSTATUS(status) == CF_SKIP_STATUS)
        _exit(CF_SKIP_STATUS);
    if (WIFSIGNALED(status))
        cf_fail_at(file, line, "`%s` died of %s, expected %s", what,
                   cf_signal_name(WTERMSIG(status)), cf_signal_name(sig));
    else
        cf_fail_at(file, line, "`%s` completed (exit %d), expected %s", what,
                   WEXITSTATUS(status), cf_signal_name(sig));
}

void cf_reap_at(pid_t pid, const char *file, int line)
{
    int status = wait_for(pid, file, line);
    if (WIFEXITED(status) && WEXITSTATUS(status) == CF_SKIP_STATUS)
        _exit(CF_SKIP_STATUS); /* the helper recorded why */
    if (WIFSIGNALED(status))
        cf_fail_at(file, line, "helper process died of %s", cf_signal_name(WTERMSIG(status)));
    else if (WEXITSTATUS(status) != 0)
        cf_fail_at(file, line, "helper process exited with status %d", WEXITSTATUS(status));
}
