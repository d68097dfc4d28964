#include "bench/bench_paths.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/core/shl_cli.h"

void bench_out_dir(const char *given, char *buf, size_t len)
{
    const char *workspace = getenv("BUILD_WORKSPACE_DIRECTORY");
    if (given == NULL) {
        snprintf(buf, len, "%s/bench-out", workspace ? workspace : ".");
        return;
    }
    struct shl_error err;
    char *full = shl_cli_path(given, &err);
    snprintf(buf, len, "%s", full != NULL ? full : given);
    free(full);
}

static int is_executable_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

const char *bench_runfile(const char *argv0, const char *rel, char *buf, size_t len)
{
    const char *dir = getenv("RUNFILES_DIR");
    if (dir != NULL) {
        snprintf(buf, len, "%s/shmlab/%s", dir, rel);
        if (is_executable_file(buf))
            return buf;
    }
    snprintf(buf, len, "%s.runfiles/shmlab/%s", argv0, rel);
    if (is_executable_file(buf))
        return buf;
    snprintf(buf, len, "%s", rel);
    return is_executable_file(buf) ? buf : NULL;
}

const char *bench_in_path(const char *program, char *buf, size_t len)
{
    const char *path = getenv("PATH");
    while (path != NULL && *path != '\0') {
        const char *colon = strchr(path, ':');
        size_t dir_len = colon ? (size_t)(colon - path) : strlen(path);
        snprintf(buf, len, "%.*s/%s", (int)dir_len, path, program);
        if (dir_len > 0 && is_executable_file(buf))
            return buf;
        path = colon ? colon + 1 : NULL;
    }
    return NULL;
}
