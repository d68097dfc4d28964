#include "bench/bench_context.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

static void read_cpu_model(char *buf, size_t len)
{
    snprintf(buf, len, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (f == NULL)
        return;
    char line[256];
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "model name", 10) != 0)
            continue;
        const char *colon = strchr(line, ':');
        if (colon == NULL)
            continue;
        colon++;
        while (*colon == ' ' || *colon == '\t')
            colon++;
        snprintf(buf, len, "%s", colon);
        buf[strcspn(buf, "\n")] = '\0';
        break;
    }
    fclose(f);
}

/* The default send and receive buffer of a fresh socket of this kind. */
static void socket_buffers(int domain, int type, int *snd, int *rcv)
{
    *snd = *rcv = -1;
    int fd = socket(domain, type | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return;
    socklen_t len = sizeof *snd;
    getsockopt(fd, SOL_SOCKET, SO_SNDBUF, snd, &len);
    len = sizeof *rcv;
    getsockopt(fd, SOL_SOCKET, SO_RCVBUF, rcv, &len);
    close(fd);
}

int bench_context_collect(struct shl_results_context *ctx, struct shl_error *err)
{
    memset(ctx, 0, sizeof *ctx);
    struct utsname u;
    if (uname(&u) != 0)
        return shl_fail(err, "uname", errno, "context");
    snprintf(ctx->host, sizeof ctx->host, "%s", u.nodename);
    snprintf(ctx->kernel, sizeof ctx->kernel, "%s %s %s", u.sysname, u.release, u.machine);
    read_cpu_model(ctx->cpu_model, sizeof ctx->cpu_model);
    ctx->cpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0)
        return shl_fail(err, "pipe2", errno, "context");
    ctx->pipe_buffer = fcntl(p[0], F_GETPIPE_SZ);
    close(p[0]);
    close(p[1]);
    socket_buffers(AF_UNIX, SOCK_STREAM, &ctx->unix_stream_sndbuf, &ctx->unix_stream_rcvbuf);
    socket_buffers(AF_UNIX, SOCK_DGRAM, &ctx->unix_dgram_sndbuf, &ctx->unix_dgram_rcvbuf);
    socket_buffers(AF_INET, SOCK_STREAM, &ctx->tcp_sndbuf, &ctx->tcp_rcvbuf);
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(ctx->date, sizeof ctx->date, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return 0;
}
