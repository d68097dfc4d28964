/* The command line of `shmlab`: one parser for every command, so that each option means
 * the same everywhere and is refused where it has no meaning. */
#ifndef SHMLAB_SHMLAB_CLI_H
#define SHMLAB_SHMLAB_CLI_H

#include <stddef.h>
#include <sys/types.h>

#include "src/core/shl_cli.h"
#include "src/shm/shl_shm.h"

/* Exit statuses: 2 for a usage error, 1 for a failure at run time. */
enum { EXIT_USAGE = SHL_CLI_USAGE, EXIT_RUNTIME = 1 };

/* Which options a command accepts. */
enum {
    OPT_KEY = 1 << 0,    /* --key K, --ftok PATH, --proj N (sysv) */
    OPT_NAME = 1 << 1,   /* --name /N (posix) */
    OPT_MODE = 1 << 2,   /* --mode OCTAL */
    OPT_SIZE = 1 << 3,   /* --size BYTES */
    OPT_REUSE = 1 << 4,  /* --reuse */
    OPT_REMOVE = 1 << 5, /* --remove, --unlink */
    OPT_HOLD = 1 << 6,   /* --hold */
    OPT_DRY = 1 << 7,    /* --dry-run */
};

/* What a command takes after its name: nothing; the memory it makes for itself (any
 * mechanism, memfd included, or anon: a MAP_SHARED|MAP_ANONYMOUS mapping, which has no
 * name and is no mechanism); or a mechanism and the object (a FILE for mmap; --key /
 * --name for the others), which another process can open, so never memfd or anon. */
enum { NO_MECH, MEMORY_ONLY, MECH_AND_OBJECT };

struct command;

struct opts {
    const struct command *cmd;
    enum shl_mech mech;
    int anon;         /* MEMORY_ONLY: anon instead of a mechanism (mech is then unset) */
    const char *path; /* mmap: FILE */
    const char *name; /* posix: --name */
    key_t key;
    int has_key;
    const char *ftok_path;
    unsigned proj;
    mode_t mode;
    int has_mode;
    size_t size;
    int has_size;
    int reuse, remove, hold, dry_run;
};

struct command {
    const char *name;
    unsigned accepts; /* OPT_* */
    int takes_mech;   /* NO_MECH, MEMORY_ONLY or MECH_AND_OBJECT */
    const char *synopsis;
    const char *help; /* the rest of `shmlab CMD --help` */
    int (*run)(const struct opts *o);
};

/* Prints "shmlab[ CMD]: message" on stderr and returns `status`. */
int cli_say(const struct opts *o, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Reports a library error as a runtime failure (exit status 1). */
int cli_fail(const struct opts *o, const struct shl_error *err);

/* Parses argv (after the command name) into *o. Returns 0, or an exit status after
 * printing a one-line message (EXIT_USAGE) or the help (0, with *done set). */
int cli_parse(const struct command *cmd, int argc, char **argv, struct opts *o, int *done);

/* The object the options name: the tutorial's default key or name unless one is given. */
int cli_spec(const struct opts *o, const char *default_id, struct shl_shm_spec *spec);

#endif
