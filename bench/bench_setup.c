#include "bench/bench_setup.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

extern char **environ;

static int run_hyperfine(const struct bench_setup *s, struct shl_error *err)
{
    char command[1024], runs[16], warmup[16];
    snprintf(command, sizeof command, "'%s' lifecycle %s --size %zu", s->shmlab, s->mechanism,
             s->size);
    snprintf(runs, sizeof runs, "%u", s->runs);
    snprintf(warmup, sizeof warmup, "%u", s->warmup);
    /* -N: no shell in between, so the figure is the command's own cost. */
    char *argv[] = {(char *)s->hyperfine,
                    "-N",
                    "--style",
                    "none",
                    "--runs",
                    runs,
                    "--warmup",
                    warmup,
                    "--export-json",
                    (char *)s->json_path,
                    command,
                    NULL};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int rc = posix_spawnp(&pid, s->hyperfine, &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0)
        return shl_fail(err, "posix_spawnp", rc, "%s", s->hyperfine);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return shl_fail(err, "waitpid", errno, "%s", s->hyperfine);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return shl_fail(err, "hyperfine", ECHILD, "%s %zu: exit status %d", s->mechanism, s->size,
                        WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return 0;
}

static char *read_file(const char *path, struct shl_error *err)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        shl_fail(err, "fopen", errno, "%s", path);
        return NULL;
    }
    size_t cap = 1 << 16, len = 0;
    char *text = malloc(cap);
    while (text != NULL) {
        len += fread(text + len, 1, cap - len - 1, f);
        if (len < cap - 1)
            break;
        char *bigger = realloc(text, cap * 2);
        if (bigger == NULL) {
            free(text);
            text = NULL;
            break;
        }
        text = bigger;
        cap *= 2;
    }
    fclose(f);
    if (text == NULL)
        shl_fail(err, "malloc", ENOMEM, "%s", path);
    else
        text[len] = '\0';
    return text;
}

static int parse_times(struct bench_setup *s, struct shl_error *err)
{
    char *text = read_file(s->json_path, err);
    if (text == NULL)
        return -1;
    cJSON *root = cJSON_Parse(text);
    free(text);
    cJSON *results = cJSON_GetObjectItemCaseSensitive(root, "results");
    cJSON *times = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(results, 0), "times");
    int count = cJSON_GetArraySize(times);
    if (!cJSON_IsArray(times) || count == 0) {
        cJSON_Delete(root);
        return shl_fail(err, "hyperfine", EBADMSG, "%s: no results[0].times", s->json_path);
    }
    s->samples = malloc((size_t)count * sizeof *s->samples);
    if (s->samples == NULL) {
        cJSON_Delete(root);
        return shl_fail(err, "malloc", ENOMEM, "%d times", count);
    }
    const cJSON *t;
    cJSON_ArrayForEach(t, times)
    {
        if (cJSON_IsNumber(t))
            s->samples[s->n++] = t->valuedouble * 1e9;
    }
    cJSON_Delete(root);
    return 0;
}

int bench_setup_run(struct bench_setup *s, struct shl_error *err)
{
    s->samples = NULL;
    s->n = 0;
    if (run_hyperfine(s, err) != 0)
        return -1;
    return parse_times(s, err);
}
