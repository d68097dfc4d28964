/* The command-line conventions every shmlab tool shares: long options from one table per
 * tool, "--name VALUE" or "--name=VALUE", positionals in any place until "--", and --help
 * generated from the same table. The parser only classifies what it reads; each tool's main
 * words the one-line error and exits with status 2 (SHL_CLI_USAGE). */
#ifndef SHMLAB_SHL_CLI_H
#define SHMLAB_SHL_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "src/core/shl_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The exit status of a bad invocation, for every tool. */
enum { SHL_CLI_USAGE = 2 };

struct shl_cli_option {
    const char *name;    /* "--size" */
    const char *alias;   /* another spelling ("-h", "--unlink"), or NULL */
    int id;              /* the tool's own name for the option */
    bool takes_value;    /* "--name VALUE"; otherwise a flag */
    const char *metavar; /* the value as --help shows it ("LIST"), or NULL */
    const char *help;    /* its --help text; a '\n' continues under the text's column */
};

struct shl_cli {
    const struct shl_cli_option *options;
    size_t n_options;
    int argc;
    char *const *argv;
    int next;              /* the argv index read next */
    bool prefixes;         /* a unique prefix ("--siz") names its option, as getopt_long allows */
    bool positionals_only; /* after "--" */
};

enum shl_cli_kind {
    SHL_CLI_END,              /* nothing left */
    SHL_CLI_OPTION,           /* item.option, with item.value when it takes one */
    SHL_CLI_POSITIONAL,       /* item.value is the argument */
    SHL_CLI_UNKNOWN,          /* an option the table lacks (item.arg as typed) */
    SHL_CLI_MISSING_VALUE,    /* item.option needs a value and argv ended */
    SHL_CLI_UNEXPECTED_VALUE, /* item.option is a flag, given "=value" */
};

struct shl_cli_item {
    enum shl_cli_kind kind;
    const struct shl_cli_option *option;
    const char *arg; /* the argv element as typed */
    char *value;     /* points into argv, writable like it */
};

void shl_cli_init(struct shl_cli *cli, const struct shl_cli_option *options, size_t n_options,
                  int first, int argc, char *const argv[]);

/* Reads the next option or positional. A value option takes the next argument whatever it
 * looks like, so "--out --x" names a folder "--x". */
enum shl_cli_kind shl_cli_next(struct shl_cli *cli, struct shl_cli_item *item);

/* Writes the option list of --help into buf: "  NAME VALUE" padded to `column`, then the help
 * text; each '\n' in it starts a line indented to `column`. Returns the length it needs (as
 * snprintf does). */
size_t shl_cli_help(const struct shl_cli_option *options, size_t n_options, int column, char *buf,
                    size_t len);

/* A path the user typed, made absolute against the folder `bazel run` was called from
 * (BUILD_WORKING_DIRECTORY): bazel starts the binary in its runfiles tree, but a relative
 * path means the caller's folder. Outside bazel, or for an absolute path, a copy. The caller
 * frees the result; NULL only when memory ran out. */
char *shl_cli_path(const char *path, struct shl_error *err);

#ifdef __cplusplus
}
#endif

#endif
