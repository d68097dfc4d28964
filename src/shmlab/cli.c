#include "src/shmlab/cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "src/core/shl_cli.h"
#include "src/core/shl_parse.h"
#include "src/shm/shl_posix.h"
#include "src/shm/shl_sysv.h"

int cli_say(const struct opts *o, int status, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (o != NULL && o->cmd != NULL)
        fprintf(stderr, "shmlab %s: %s\n", o->cmd->name, msg);
    else
        fprintf(stderr, "shmlab: %s\n", msg);
    return status;
}

int cli_fail(const struct opts *o, const struct shl_error *err)
{
    char text[512];
    return cli_say(o, EXIT_RUNTIME, "%s", shl_error_text(err, text, sizeof text));
}

/* Each option's id is the letter parse_option() knows it by. */
static const struct shl_cli_option options[] = {
    {"--key", NULL, 'k', true, NULL, NULL},    {"--ftok", NULL, 'f', true, NULL, NULL},
    {"--proj", NULL, 'p', true, NULL, NULL},   {"--name", NULL, 'n', true, NULL, NULL},
    {"--mode", NULL, 'm', true, NULL, NULL},   {"--size", NULL, 's', true, NULL, NULL},
    {"--reuse", NULL, 'r', false, NULL, NULL}, {"--remove", "--unlink", 'R', false, NULL, NULL},
    {"--hold", NULL, 'H', false, NULL, NULL},  {"--dry-run", NULL, 'D', false, NULL, NULL},
    {"--help", "-h", 'h', false, NULL, NULL},
};

static unsigned option_bit(int c)
{
    switch (c) {
    case 'k':
    case 'f':
    case 'p': return OPT_KEY;
    case 'n': return OPT_NAME;
    case 'm': return OPT_MODE;
    case 's': return OPT_SIZE;
    case 'r': return OPT_REUSE;
    case 'R': return OPT_REMOVE;
    case 'H': return OPT_HOLD;
    default: return OPT_DRY;
    }
}

/* A value the parser rejected: its message already says which option and why. */
static int bad_value(const struct opts *o, const char *option, const struct shl_error *err)
{
    return cli_say(o, EXIT_USAGE, "bad %s: %s", option, err->detail);
}

static int parse_option(int c, const char *arg, struct opts *o)
{
    struct shl_error err;
    switch (c) {
    case 'k':
        if (shl_parse_key(arg, &o->key, &err) != 0)
            return bad_value(o, "--key", &err);
        o->has_key = 1;
        return 0;
    case 'f': o->ftok_path = arg; return 0;
    case 'p':
        if (shl_parse_uint(arg, 255, &o->proj, &err) != 0 || o->proj == 0)
            return cli_say(o, EXIT_USAGE, "bad --proj: '%s' is not 1..255", arg);
        return 0;
    case 'n': o->name = arg; return 0;
    case 'm':
        if (shl_parse_mode(arg, &o->mode, &err) != 0)
            return bad_value(o, "--mode", &err);
        o->has_mode = 1;
        return 0;
    case 's':
        if (shl_parse_size(arg, &o->size, &err) != 0)
            return bad_value(o, "--size", &err);
        o->has_size = 1;
        return 0;
    case 'r': o->reuse = 1; return 0;
    case 'R': o->remove = 1; return 0;
    case 'H': o->hold = 1; return 0;
    default: o->dry_run = 1; return 0;
    }
}

static void print_help(const struct command *cmd)
{
    printf("usage: shmlab %s\n\n%s", cmd->synopsis, cmd->help);
}

/* What the command takes in place of a mechanism, for messages. */
static const char *expected(const struct command *cmd)
{
    return cmd->takes_mech == MEMORY_ONLY ? "mmap, sysv, posix, memfd or anon"
                                          : "mmap, sysv or posix";
}

/* Options that name an object belong to one mechanism each. */
static int check_mechanism_options(const struct opts *o)
{
    if (o->anon && o->has_mode)
        return cli_say(o, EXIT_USAGE,
                       "--mode does not apply to anon, which has no name and so no permission "
                       "bits");
    const char *mech = shl_mech_name(o->mech);
    if (o->mech == SHL_MECH_MEMFD && o->cmd->takes_mech == MECH_AND_OBJECT)
        return cli_say(o, EXIT_USAGE,
                       "memfd has no name that another shmlab process could "
                       "open (expected mmap, sysv or posix)");
    if ((o->has_key || o->ftok_path != NULL || o->proj != 0) && o->mech != SHL_MECH_SYSV)
        return cli_say(o, EXIT_USAGE, "--key, --ftok and --proj are for sysv, not %s", mech);
    if (o->has_key && o->ftok_path != NULL)
        return cli_say(o, EXIT_USAGE, "give --key or --ftok, not both");
    if (o->proj != 0 && o->ftok_path == NULL)
        return cli_say(o, EXIT_USAGE, "--proj needs --ftok PATH");
    if (o->name != NULL && o->mech != SHL_MECH_POSIX)
        return cli_say(o, EXIT_USAGE, "--name is for posix, not %s", mech);
    int wants_file = o->mech == SHL_MECH_FILE && o->cmd->takes_mech == MECH_AND_OBJECT;
    if (wants_file && o->path == NULL)
        return cli_say(o, EXIT_USAGE, "mmap needs a FILE argument");
    if (!wants_file && o->path != NULL)
        return cli_say(o, EXIT_USAGE, "unexpected argument '%s'", o->path);
    return 0;
}

int cli_parse(const struct command *cmd, int argc, char **argv, struct opts *o, int *done)
{
    memset(o, 0, sizeof *o);
    o->cmd = cmd;
    o->mode = 0600;
    *done = 0;
    struct shl_cli cli;
    struct shl_cli_item item;
    shl_cli_init(&cli, options, sizeof options / sizeof options[0], 1, argc, argv);
    cli.prefixes = true; /* as getopt_long, which this command line always had */
    char *args[3];
    int nargs = 0;
    while (shl_cli_next(&cli, &item) != SHL_CLI_END) {
        if (item.kind == SHL_CLI_POSITIONAL) {
            if (nargs < 3)
                args[nargs] = item.value;
            nargs++;
            continue;
        }
        if (item.kind == SHL_CLI_MISSING_VALUE)
            return cli_say(o, EXIT_USAGE, "option '%s' needs a value", item.arg);
        if (item.kind != SHL_CLI_OPTION)
            return cli_say(o, EXIT_USAGE, "unknown option '%s' (see shmlab %s --help)", item.arg,
                           cmd->name);
        int c = item.option->id;
        if (c == 'h') {
            print_help(cmd);
            *done = 1;
            return 0;
        }
        if (!(cmd->accepts & option_bit(c)))
            return cli_say(o, EXIT_USAGE, "option '%s' does not apply here (see shmlab %s --help)",
                           item.arg, cmd->name);
        int rc = parse_option(c, item.value, o);
        if (rc != 0)
            return rc;
    }
    if (!cmd->takes_mech) {
        if (nargs > 0)
            return cli_say(o, EXIT_USAGE, "unexpected argument '%s'", args[0]);
        return 0;
    }
    if (nargs == 0)
        return cli_say(o, EXIT_USAGE, "missing mechanism: %s", expected(cmd));
    if (cmd->takes_mech == MEMORY_ONLY && strcmp(args[0], "anon") == 0)
        o->anon = 1;
    else if (shl_mech_parse(args[0], &o->mech) != 0)
        return cli_say(o, EXIT_USAGE, "unknown mechanism '%s' (expected %s)", args[0],
                       expected(cmd));
    if (nargs > 2)
        return cli_say(o, EXIT_USAGE, "unexpected argument '%s'", args[2]);
    if (nargs == 2)
        o->path = args[1];
    if (o->path != NULL && o->path[0] == '\0')
        return cli_say(o, EXIT_USAGE, "FILE is empty");
    return check_mechanism_options(o);
}

int cli_spec(const struct opts *o, const char *default_id, struct shl_shm_spec *spec)
{
    memset(spec, 0, sizeof *spec);
    spec->mech = o->mech;
    spec->mode = o->mode;
    struct shl_error err;
    switch (o->mech) {
    case SHL_MECH_FILE: spec->name = o->path; return 0;
    case SHL_MECH_POSIX:
        spec->name = o->name != NULL ? o->name : default_id;
        if (shl_posix_name_check(spec->name, &err) != 0)
            return bad_value(o, "--name", &err);
        return 0;
    default:
        spec->has_key = 1;
        if (o->ftok_path != NULL) {
            if (shl_sysv_ftok(o->ftok_path, o->proj != 0 ? (int)o->proj : 1, &spec->key, &err) != 0)
                return cli_fail(o, &err);
            return 0;
        }
        if (o->has_key) {
            /* A private segment could never be found again by key: every `write` would
             * leak one, and `read`/`info`/`remove` would name none. */
            if (o->key == IPC_PRIVATE)
                return cli_say(o, EXIT_USAGE,
                               "bad --key: 0 is IPC_PRIVATE, which names no segment");
            spec->key = o->key;
            return 0;
        }
        if (shl_parse_key(default_id, &spec->key, &err) != 0)
            return cli_fail(o, &err);
        return 0;
    }
}
