/* shmlab's standalone conformance checker: runs every linked case (or those matching
 * --filter) each in its own process and prints the verdicts as text, JSON, JUnit XML or
 * Markdown. Exit status: 0 when nothing failed, 1 when a case FAILed or was BROKEN (or the
 * report could not be written), 2 on bad usage. */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conformance/checker/cf_matrix.h"
#include "conformance/checker/cf_platform.h"
#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_runner.h"
#include "src/core/shl_cli.h"

#define MAX_FILTERS 64

enum option_id { OPT_FILTER, OPT_LIST, OPT_FORMAT, OPT_OUTPUT, OPT_HELP };

static const struct shl_cli_option options[] = {
    {"--filter", NULL, OPT_FILTER, true, NULL,
     "run only cases whose id (mechanism.name, e.g. 'sysv.shmat_*') matches one\n"
     "of the globs; may be repeated"},
    {"--list", NULL, OPT_LIST, false, NULL, "print the cases and their rules without running them"},
    {"--format", NULL, OPT_FORMAT, true, NULL, "report format (default text)"},
    {"--output", NULL, OPT_OUTPUT, true, NULL,
     "write the report to FILE and a one-line summary to stdout"},
    {"--help", "-h", OPT_HELP, false, NULL, NULL},
};
#define N_OPTIONS (sizeof options / sizeof options[0])

static void print_usage(void)
{
    char list[1024];
    shl_cli_help(options, N_OPTIONS, 12, list, sizeof list);
    printf("usage: checker [--filter GLOB[,GLOB...]]... [--list]\n"
           "               [--format text|json|junit|markdown] [--output FILE]\n"
           "%s"
           "exit status: 0 no FAIL or BROKEN case, 1 some case FAILed or was BROKEN, 2 bad usage\n",
           list);
}

struct options {
    const char *filters[MAX_FILTERS];
    size_t n_filters;
    int list;
    enum cf_format format;
    const char *output;
};

static _Noreturn void bad_usage(const char *fmt, const char *arg)
{
    fputs("checker: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs(" (see --help)\n", stderr);
    exit(SHL_CLI_USAGE);
}

static int parse_format(const char *name, enum cf_format *format)
{
    static const struct {
        const char *name;
        enum cf_format format;
    } formats[] = {{"text", CF_FORMAT_TEXT},
                   {"json", CF_FORMAT_JSON},
                   {"junit", CF_FORMAT_JUNIT},
                   {"markdown", CF_FORMAT_MARKDOWN}};
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        if (strcmp(name, formats[i].name) == 0) {
            *format = formats[i].format;
            return 0;
        }
    }
    return -1;
}

/* Splits a comma-separated list of globs in place into o->filters. */
static void add_filters(struct options *o, char *list)
{
    for (char *glob = strtok(list, ","); glob != NULL; glob = strtok(NULL, ",")) {
        if (o->n_filters == MAX_FILTERS)
            bad_usage("more than 64 filter globs", "");
        o->filters[o->n_filters++] = glob;
    }
}

static void parse(int argc, char **argv, struct options *o)
{
    memset(o, 0, sizeof *o);
    o->format = CF_FORMAT_TEXT;
    struct shl_cli cli;
    struct shl_cli_item item;
    shl_cli_init(&cli, options, N_OPTIONS, 1, argc, argv);
    while (shl_cli_next(&cli, &item) != SHL_CLI_END) {
        if (item.kind == SHL_CLI_MISSING_VALUE)
            bad_usage("%s needs a value", item.arg);
        if (item.kind != SHL_CLI_OPTION)
            bad_usage("unexpected argument '%s'", item.arg);
        char *value = item.value;
        switch ((enum option_id)item.option->id) {
        case OPT_HELP: print_usage(); exit(0);
        case OPT_LIST: o->list = 1; break;
        case OPT_FILTER:
            if (value[0] == '\0')
                bad_usage("--filter needs a glob%s", "");
            add_filters(o, value);
            break;
        case OPT_FORMAT:
            if (parse_format(value, &o->format) != 0)
                bad_usage("--format must be text, json, junit or markdown, not '%s'", value);
            break;
        case OPT_OUTPUT:
            if (value[0] == '\0')
                bad_usage("--output needs a file name%s", "");
            o->output = value;
            break;
        }
    }
    if (o->list && o->format == CF_FORMAT_JUNIT)
        bad_usage("--list has no JUnit form; use text, json or markdown%s", "");
}

static int selected(const struct options *o, const struct cf_case *c)
{
    if (o->n_filters == 0)
        return 1;
    for (size_t i = 0; i < o->n_filters; i++)
        if (fnmatch(o->filters[i], c->id, 0) == 0)
            return 1;
    return 0;
}

int main(int argc, char **argv)
{
    struct options o;
    parse(argc, argv, &o);

    size_t n = 0;
    for (const struct cf_case *c = cf_cases(); c != NULL; c = c->next)
        n += (size_t)selected(&o, c);
    if (n == 0) {
        fprintf(stderr, "checker: no case matches the filter%s\n",
                o.n_filters ? "" : " (no cases are linked)");
        return 2;
    }
    /* Opened before the run, so that a bad path is reported at once, not after it. */
    FILE *out = stdout;
    char *output = NULL;
    if (o.output != NULL) {
        struct shl_error err;
        if ((output = shl_cli_path(o.output, &err)) == NULL) {
            fprintf(stderr, "checker: cannot write %s: %s\n", o.output, strerror(err.errnum));
            return 1;
        }
        o.output = output;
        if ((out = fopen(o.output, "w")) == NULL) {
            fprintf(stderr, "checker: cannot write %s: %s\n", o.output, strerror(errno));
            free(output);
            return 1;
        }
    }

    struct cf_row *rows = calloc(n, sizeof *rows);
    struct cf_result *results = calloc(n, sizeof *results);
    if (rows == NULL || results == NULL) {
        fprintf(stderr, "checker: out of memory for %zu cases\n", n);
        free(rows);
        free(results);
        free(output);
        if (out != stdout)
            fclose(out);
        return 1;
    }

    struct cf_platform platform;
    cf_platform_read(&platform);

    int failed = 0;
    size_t i = 0;
    for (const struct cf_case *c = cf_cases(); c != NULL; c = c->next) {
        if (!selected(&o, c))
            continue;
        rows[i].c = c;
        if (!o.list) {
            struct cf_result *r = &results[i];
            if (cf_run(c, r) != 0) {
                int err = errno;
                memset(r, 0, sizeof *r);
                r->verdict = CF_BROKEN;
                snprintf(r->reason, sizeof r->reason, "the runner could not start the case: %s",
                         strerror(err));
            }
            failed |= r->verdict == CF_FAIL || r->verdict == CF_BROKEN;
            rows[i].result = r;
        }
        i++;
    }

    int status = failed ? 1 : 0;
    int written = cf_matrix_write(out, o.format, &platform, rows, n) == 0;
    if (out != stdout && fclose(out) != 0)
        written = 0;
    if (!written) {
        fprintf(stderr, "checker: writing the report to %s failed: %s\n",
                o.output ? o.output : "stdout", strerror(errno));
        status = 1;
    } else if (out != stdout && !o.list) {
        char summary[1024];
        cf_matrix_summary(rows, n, summary, sizeof summary);
        printf("%s\nreport: %s\n", summary, o.output);
    }
    free(rows);
    free(results);
    free(output);
    return status;
}
