/* `bazel run //bench:all`: two steps in turn, each a program given its arguments as a
 * vector (no shell in between): the driver (//bench:measure) with every argument, then,
 * when it wrote results, the charts and the report (plots/render) from its output folder.
 * What became of the charts goes in charts.txt beside results.json, which stays as the
 * driver wrote it. The exit status is the driver's. */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench/bench_options.h"
#include "bench/bench_paths.h"

static volatile pid_t child;

/* SIGINT and SIGTERM are the driver's to handle (it kills its peers and writes nothing). */
static void forward(int sig)
{
    if (child > 0)
        kill(child, sig);
}

/* Runs `argv` to its end; its stdout goes to our stderr when `stdout_to_stderr`. Returns
 * the exit status, 128 + the signal that ended it, or -1 when it could not be started. */
static int run(char *const argv[], bool stdout_to_stderr)
{
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        /* A launcher killed outright takes the step with it, as a driver killed outright
         * would be gone. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(128 + SIGKILL);
        if (stdout_to_stderr)
            dup2(STDERR_FILENO, STDOUT_FILENO);
        execv(argv[0], argv);
        fprintf(stderr, "bench: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    child = pid;
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    child = 0;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Whether this run's driver wrote results.json (not one an earlier run left). */
static bool written_since(const char *out_dir, time_t start)
{
    char path[4096 + 16];
    struct stat st;
    snprintf(path, sizeof path, "%s/results.json", out_dir);
    return stat(path, &st) == 0 && st.st_mtime >= start;
}

static void record_charts(const char *out_dir, const char *status)
{
    char path[4096 + 16];
    snprintf(path, sizeof path, "%s/charts.txt", out_dir);
    FILE *f = fopen(path, "w");
    if (f == NULL || fprintf(f, "%s\n", status) < 0 || fclose(f) != 0)
        fprintf(stderr, "bench: cannot write %s: %s\n", path, strerror(errno));
    fprintf(stderr, "bench: charts: %s\n", status);
}

int main(int argc, char **argv)
{
    const char *self = argv[0];
    char measure[4096], render[4096], runfiles[4096];
    if (bench_runfile(self, "bench/measure", measure, sizeof measure) == NULL) {
        fprintf(stderr, "bench: bench/measure is not in this build's runfiles\n");
        return 1;
    }
    /* The driver finds its own data (src/shmlab) in our runfiles tree, and the renderer
     * changes folder: the path must not depend on where we were started. */
    char named[4096];
    snprintf(named, sizeof named, "%s.runfiles", self);
    if (getenv("RUNFILES_DIR") == NULL && realpath(named, runfiles) != NULL)
        setenv("RUNFILES_DIR", runfiles, 1);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = forward;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    /* The options only decide whether there is a second step: the driver judges them. */
    struct bench_options opts;
    char msg[256];
    bool parsed = bench_options_parse(argc, argv, &opts, msg, sizeof msg) == 0;
    char out_dir[4096];
    bench_out_dir(parsed ? opts.out_dir : NULL, out_dir, sizeof out_dir);

    time_t start = time(NULL);
    argv[0] = measure;
    int status = run(argv, false);
    if (status < 0) {
        fprintf(stderr, "bench: cannot start %s: %s\n", measure, strerror(errno));
        return 1;
    }
    if (!parsed || opts.help || (status != 0 && status != 1) || !written_since(out_dir, start))
        return status;
    if (opts.no_plots) {
        record_charts(out_dir, "not drawn: --no-plots");
        return status;
    }
    if (bench_runfile(self, "plots/render", render, sizeof render) == NULL) {
        record_charts(out_dir, "not drawn: plots/render is not in this build");
        return status;
    }
    char *render_argv[] = {render, out_dir, NULL};
    int drawn = run(render_argv, true);
    char text[64];
    if (drawn == 0)
        snprintf(text, sizeof text, "drawn by plots/render");
    else
        snprintf(text, sizeof text, "plots/render failed (status %d)", drawn);
    record_charts(out_dir, text);
    return status;
}
