#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
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
static void vrecord_at(char kind, const char *file, int line, const char *lead, const char *fmt,
                       va_list ap)
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

int cf_int_equal(int a_signed, uintmax_t a, int b_signed, uintmax_t b)
{
    /* Same bits are the same value unless one side is a negative signed value and the
     * other an unsigned one that happens to share its bits. */
    if (a != b)
        return 0;
    return a_signed == b_signed || (intmax_t)a >= 0;
}

static void format_int(char *buf, size_t len, int is_signed, uintmax_t v)
{
    if (is_signed)
        snprintf(buf, len, "%jd", (intmax_t)v);
    else if (v > 9)
        snprintf(buf, len, "%ju (0x%jx)", v, v);
    else
        snprintf(buf, len, "%ju", v);
}

void cf_expect_eq_failed(const char *file, int line, const char *a_text, const char *b_text,
                         int a_signed, uintmax_t a, int b_signed, uintmax_t b)
{
    char av[48], bv[48];
    format_int(av, sizeof av, a_signed, a);
    format_int(bv, sizeof bv, b_signed, b);
    cf_fail_at(file, line, "expected %s == %s: %s is %s, %s is %s", a_text, b_text, a_text, av,
               b_text, bv);
}

/* "EINVAL", "EOVERFLOW or EINVAL", "EBADF, EINVAL or ENODEV". */
static void errno_list(char *buf, size_t len, const int *want, size_t n_want)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n_want && used < len; i++) {
        const char *sep = i == 0 ? "" : i + 1 == n_want ? " or " : ", ";
        int n = snprintf(buf + used, len - used, "%s%s", sep, cf_errno_name(want[i]));
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

static int errno_in(int err, const int *want, size_t n_want)
{
    for (size_t i = 0; i < n_want; i++)
        if (err == want[i])
            return 1;
    return 0;
}

void cf_check_fail(long ret, int err, const int *want, size_t n_want, const char *call,
                   const char *file, int line)
{
    if (ret == -1 && errno_in(err, want, n_want))
        return;
    char wanted[256];
    errno_list(wanted, sizeof wanted, want, n_want);
    if (ret != -1)
        cf_fail_at(file, line, "%s returned %ld, expected -1 with %s", call, ret, wanted);
    else
        cf_fail_at(file, line, "%s failed with %s, expected %s", call, cf_errno_name(err), wanted);
}

void cf_check_map_fail(void *ret, int err, const int *want, size_t n_want, const char *call,
                       const char *file, int line)
{
    if (ret == (void *)-1 && errno_in(err, want, n_want))
        return;
    char wanted[256];
    errno_list(wanted, sizeof wanted, want, n_want);
    if (ret != (void *)-1)
        cf_fail_at(file, line, "%s succeeded (%p), expected failure with %s", call, ret, wanted);
    else
        cf_fail_at(file, line, "%s failed with %s, expected %s", call, cf_errno_name(err), wanted);
}

void cf_check_pass(long ret, int err, const char *call, const char *file, int line)
{
    if (ret == -1)
        cf_fail_at(file, line, "%s failed with %s, expected success", call, cf_errno_name(err));
}

void cf_require_pass(long ret, int err, const char *call, const char *file, int line)
{
    if (ret == -1) {
        cf_check_pass(ret, err, call, file, line);
        cf_end_failed();
    }
}

void cf_require_map_pass(void *ret, int err, const char *call, const char *file, int line)
{
    if (ret == (void *)-1) {
        cf_check_pass(-1, err, call, file, line);
        cf_end_failed();
    }
}

pid_t cf_fork_at(const char *file, int line)
{
    pid_t pid = fork();
    if (pid < 0)
        cf_broken_at(file, line, "fork: %s", cf_errno_name(errno));
    return pid;
}

static int wait_for(pid_t pid, const char *file, int line)
{
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            cf_broken_at(file, line, "waitpid: %s", cf_errno_name(errno));
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
        cf_fail_at(file, line, "`%s` completed (exit %d), expected %s", what, WEXITSTATUS(status),
                   cf_signal_name(sig));
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
