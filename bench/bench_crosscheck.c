#include "bench/bench_crosscheck.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "bench/bench_crosscheck_peers.h"
#include "bench/bench_sampler.h"
#include "src/timing/shl_clock.h"

const char *const bench_crosscheck_kinds[] = {"pipe",       "unix-stream", "tcp",
                                              "zeromq-ipc", "iceoryx",     NULL};

int bench_crosscheck_supports(const char *transport)
{
    for (int i = 0; bench_crosscheck_kinds[i] != NULL; i++)
        if (strcmp(bench_crosscheck_kinds[i], transport) == 0)
            return 1;
    return 0;
}

/* Each side reads from rfd and writes to wfd (the same socket, or two pipes). */
struct ends {
    int a_read, a_write, b_read, b_write;
    /* Sockets carry their timeout in the kernel (SO_RCVTIMEO), so a read is one plain
     * blocking call; a pipe has none, so its reader waits in poll() first. */
    int kernel_timeout;
};

static void close_ends(struct ends *e)
{
    int fds[] = {e->a_read, e->a_write, e->b_read, e->b_write};
    for (int i = 0; i < 4; i++) {
        int dup_of_earlier = 0;
        for (int j = 0; j < i; j++)
            dup_of_earlier |= fds[j] == fds[i];
        if (fds[i] >= 0 && !dup_of_earlier)
            close(fds[i]);
    }
    e->a_read = e->a_write = e->b_read = e->b_write = -1;
}

static int tcp_pair(int fds[2], struct shl_error *err)
{
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listener < 0)
        return shl_fail(err, "socket", errno, "tcp");
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    int one = 1;
    if (bind(listener, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(listener, 1) != 0 ||
        getsockname(listener, (struct sockaddr *)&addr, &len) != 0) {
        int saved = errno;
        close(listener);
        return shl_fail(err, "bind/listen", saved, "127.0.0.1");
    }
    fds[0] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fds[0] < 0 || connect(fds[0], (struct sockaddr *)&addr, sizeof addr) != 0) {
        int saved = errno;
        if (fds[0] >= 0)
            close(fds[0]);
        close(listener);
        return shl_fail(err, "connect", saved, "127.0.0.1");
    }
    fds[1] = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
    int saved = errno;
    close(listener);
    if (fds[1] < 0) {
        close(fds[0]);
        return shl_fail(err, "accept4", saved, "127.0.0.1");
    }
    setsockopt(fds[0], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(fds[1], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return 0;
}

static int open_ends(const char *kind, int timeout_ms, struct ends *e, struct shl_error *err)
{
    e->a_read = e->a_write = e->b_read = e->b_write = -1;
    int p[2], q[2];
    if (strcmp(kind, "pipe") == 0) {
        if (pipe2(p, O_CLOEXEC) != 0)
            return shl_fail(err, "pipe2", errno, "crosscheck");
        if (pipe2(q, O_CLOEXEC) != 0) {
            int saved = errno;
            close(p[0]);
            close(p[1]);
            return shl_fail(err, "pipe2", saved, "crosscheck");
        }
        *e = (struct ends){.a_write = p[1], .b_read = p[0], .b_write = q[1], .a_read = q[0]};
        return 0;
    }
    if (strcmp(kind, "unix-stream") == 0) {
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, p) != 0)
            return shl_fail(err, "socketpair", errno, "crosscheck");
    } else if (tcp_pair(p, err) != 0) {
        return -1;
    }
    struct timeval tv = {.tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000};
    for (int i = 0; i < 2; i++) {
        if (setsockopt(p[i], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0 ||
            setsockopt(p[i], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) != 0) {
            int saved = errno;
            close(p[0]);
            close(p[1]);
            return shl_fail(err, "setsockopt", saved, "SO_RCVTIMEO");
        }
    }
    *e = (struct ends){
        .a_read = p[0], .a_write = p[0], .b_read = p[1], .b_write = p[1], .kernel_timeout = 1};
    return 0;
}

/* Reads exactly len bytes, waiting at most timeout_ms for each chunk. 1 on EOF. */
/* Reads exactly len bytes; a silence of timeout_ms is ETIMEDOUT. 1 on EOF. */
static int read_exact(int fd, int kernel_timeout, char *buf, size_t len, int timeout_ms,
                      struct shl_error *err)
{
    while (len > 0) {
        if (!kernel_timeout) {
            struct pollfd pfd = {.fd = fd, .events = POLLIN};
            int rc = poll(&pfd, 1, timeout_ms);
            if (rc == 0)
                return shl_fail(err, "poll", ETIMEDOUT, "crosscheck peer silent");
            if (rc < 0)
                return shl_fail(err, "poll", errno, "crosscheck");
        }
        ssize_t n = read(fd, buf, len);
        if (n == 0)
            return 1;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return shl_fail(err, "read", ETIMEDOUT, "crosscheck peer silent");
        if (n < 0)
            return shl_fail(err, "read", errno, "crosscheck");
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

static int write_exact(int fd, const char *buf, size_t len, struct shl_error *err)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0)
            return shl_fail(err, "write", errno, "crosscheck");
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

struct echo_arg {
    struct ends *e;
    size_t size;
    int timeout_ms;
};

static int echo(void *arg, struct bench_peer_report *report)
{
    struct echo_arg *a = arg;
    close(a->e->a_read);
    if (a->e->a_write != a->e->a_read)
        close(a->e->a_write);
    char *buf = malloc(a->size);
    if (buf == NULL)
        return shl_fail(&report->err, "malloc", ENOMEM, "crosscheck");
    int rc;
    while ((rc = read_exact(a->e->b_read, a->e->kernel_timeout, buf, a->size, a->timeout_ms,
                            &report->err)) == 0)
        if (write_exact(a->e->b_write, buf, a->size, &report->err) != 0) {
            rc = -1;
            break;
        }
    free(buf);
    return rc < 0 ? -1 : 0;
}

/* One round trip; the first 8 bytes carry a counter the echo must return. */
static int roundtrip(struct ends *e, char *tx, char *rx, size_t size, uint64_t seq, int timeout_ms,
                     struct shl_error *err)
{
    memcpy(tx, &seq, sizeof seq);
    if (write_exact(e->a_write, tx, size, err) != 0)
        return -1;
    int rc = read_exact(e->a_read, e->kernel_timeout, rx, size, timeout_ms, err);
    if (rc != 0)
        return rc < 0 ? -1 : shl_fail(err, "read", EPIPE, "crosscheck peer closed");
    if (memcmp(tx, rx, size) != 0)
        return shl_fail(err, "verify", EBADMSG, "crosscheck echo of %llu differs",
                        (unsigned long long)seq);
    return 0;
}

static int measure(struct ends *e, struct bench_crosscheck *cc, struct shl_error *err)
{
    char *tx = calloc(1, cc->size), *rx = malloc(cc->size);
    int rc = -1;
    if (tx == NULL || rx == NULL) {
        shl_fail(err, "malloc", ENOMEM, "crosscheck");
        goto out;
    }
    uint64_t seq = 0;
    for (unsigned i = 0; i < cc->warmup; i++)
        if (roundtrip(e, tx, rx, cc->size, ++seq, cc->timeout_ms, err) != 0)
            goto out;
    struct bench_sampler sampler;
    if (bench_sampler_init(&sampler, cc->min_samples, cc->max_samples, cc->budget_ns, err) != 0)
        goto out;
    cc->samples = sampler.samples;
    while (bench_sampler_more(&sampler)) {
        int64_t t0 = shl_now_ns();
        if (roundtrip(e, tx, rx, cc->size, ++seq, cc->timeout_ms, err) != 0)
            goto out;
        bench_sampler_add(&sampler, (double)(shl_now_ns() - t0));
        cc->n = sampler.n;
    }
    rc = 0;
out:
    free(tx);
    free(rx);
    return rc;
}

int bench_crosscheck_run(const char *transport, struct bench_crosscheck *cc, struct shl_error *err)
{
    cc->samples = NULL;
    cc->n = 0;
    if (!bench_crosscheck_supports(transport))
        return shl_fail(err, "crosscheck", EINVAL, "no plain ping-pong for %s", transport);
    if (strcmp(transport, "zeromq-ipc") == 0)
        return bench_crosscheck_zeromq(cc, err);
    if (strcmp(transport, "iceoryx") == 0)
        return bench_crosscheck_iceoryx(cc, err);
    struct ends e;
    if (open_ends(transport, cc->timeout_ms, &e, err) != 0)
        return -1;
    struct echo_arg arg = {.e = &e, .size = cc->size, .timeout_ms = cc->timeout_ms};
    struct bench_peer proc;
    if (bench_peer_start(&proc, cc->peer_cpu, echo, &arg, err) != 0) {
        close_ends(&e);
        return -1;
    }
    close(e.b_read);
    if (e.b_write != e.b_read)
        close(e.b_write);
    e.b_read = e.b_write = -1;
    int rc = measure(&e, cc, err);
    close_ends(&e); /* EOF ends the echo */
    struct bench_peer_report report;
    struct shl_error peer_err;
    if (bench_peer_finish(&proc, cc->timeout_ms, &report, &peer_err) != 0 && rc == 0) {
        *err = peer_err;
        return -1;
    }
    if (rc == 0 && report.failed) {
        *err = report.err;
        return -1;
    }
    return rc;
}
