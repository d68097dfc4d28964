#include "src/core/shl_cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void shl_cli_init(struct shl_cli *cli, const struct shl_cli_option *options, size_t n_options,
                  int first, int argc, char *const argv[])
{
    memset(cli, 0, sizeof *cli);
    cli->options = options;
    cli->n_options = n_options;
    cli->argc = argc;
    cli->argv = argv;
    cli->next = first;
}

/* Whether `spelling` is the first `len` bytes of arg, exactly (or, with prefixes, as a
 * start of the spelling). */
static bool spells(const char *spelling, const char *arg, size_t len, bool prefix)
{
    if (spelling == NULL || strncmp(spelling, arg, len) != 0)
        return false;
    return spelling[len] == '\0' || (prefix && len > 2);
}

/* The option arg[0..len) names: an exact spelling first, then a unique prefix. */
static const struct shl_cli_option *lookup(const struct shl_cli *cli, const char *arg, size_t len)
{
    for (size_t i = 0; i < cli->n_options; i++) {
        const struct shl_cli_option *o = &cli->options[i];
        if (spells(o->name, arg, len, false) || spells(o->alias, arg, len, false))
            return o;
    }
    if (!cli->prefixes || strncmp(arg, "--", 2) != 0)
        return NULL;
    const struct shl_cli_option *found = NULL;
    for (size_t i = 0; i < cli->n_options; i++) {
        const struct shl_cli_option *o = &cli->options[i];
        if (spells(o->name, arg, len, true) || spells(o->alias, arg, len, true)) {
            if (found != NULL && found->id != o->id)
                return NULL; /* ambiguous */
            found = o;
        }
    }
    return found;
}

enum shl_cli_kind shl_cli_next(struct shl_cli *cli, struct shl_cli_item *item)
{
    memset(item, 0, sizeof *item);
    if (cli->next >= cli->argc)
        return item->kind = SHL_CLI_END;
    char *arg = cli->argv[cli->next++];
    item->arg = arg;
    if (!cli->positionals_only && strcmp(arg, "--") == 0) {
        cli->positionals_only = true;
        return shl_cli_next(cli, item);
    }
    if (cli->positionals_only || arg[0] != '-' || arg[1] == '\0') {
        item->value = arg;
        return item->kind = SHL_CLI_POSITIONAL;
    }
    char *eq = strncmp(arg, "--", 2) == 0 ? strchr(arg, '=') : NULL;
    size_t len = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
    item->option = lookup(cli, arg, len);
    if (item->option == NULL)
        return item->kind = SHL_CLI_UNKNOWN;
    if (!item->option->takes_value)
        return item->kind = eq != NULL ? SHL_CLI_UNEXPECTED_VALUE : SHL_CLI_OPTION;
    if (eq != NULL) {
        item->value = eq + 1;
    } else if (cli->next < cli->argc) {
        item->value = cli->argv[cli->next++];
    } else {
        return item->kind = SHL_CLI_MISSING_VALUE;
    }
    return item->kind = SHL_CLI_OPTION;
}

/* Appends like snprintf at buf+*used, counting what does not fit. */
static void append(char *buf, size_t len, size_t *used, const char *text, size_t n)
{
    if (*used < len) {
        size_t room = len - *used - 1;
        memcpy(buf + *used, text, n < room ? n : room);
        buf[*used + (n < room ? n : room)] = '\0';
    }
    *used += n;
}

static void pad(char *buf, size_t len, size_t *used, size_t n)
{
    for (size_t i = 0; i < n; i++)
        append(buf, len, used, " ", 1);
}

size_t shl_cli_help(const struct shl_cli_option *options, size_t n_options, int column, char *buf,
                    size_t len)
{
    size_t used = 0;
    if (len > 0)
        buf[0] = '\0';
    for (size_t i = 0; i < n_options; i++) {
        const struct shl_cli_option *o = &options[i];
        if (o->help == NULL)
            continue;
        char head[96];
        int n = snprintf(head, sizeof head, "  %s%s%s", o->name, o->metavar ? " " : "",
                         o->metavar ? o->metavar : "");
        size_t head_len = n < 0 ? 0 : (size_t)n < sizeof head ? (size_t)n : sizeof head - 1;
        append(buf, len, &used, head, head_len);
        pad(buf, len, &used, head_len < (size_t)column ? (size_t)column - head_len : 1);
        for (const char *line = o->help;;) {
            const char *nl = strchr(line, '\n');
            size_t line_len = nl != NULL ? (size_t)(nl - line) : strlen(line);
            append(buf, len, &used, line, line_len);
            append(buf, len, &used, "\n", 1);
            if (nl == NULL)
                break;
            line = nl + 1;
            pad(buf, len, &used, (size_t)column);
        }
    }
    return used;
}

char *shl_cli_path(const char *path, struct shl_error *err)
{
    const char *base = getenv("BUILD_WORKING_DIRECTORY");
    if (path[0] == '/' || base == NULL || base[0] == '\0')
        base = NULL;
    size_t len = (base != NULL ? strlen(base) + 1 : 0) + strlen(path) + 1;
    char *full = malloc(len);
    if (full == NULL) {
        shl_fail(err, "malloc", ENOMEM, "%s", path);
        return NULL;
    }
    snprintf(full, len, "%s%s%s", base != NULL ? base : "", base != NULL ? "/" : "", path);
    return full;
}
