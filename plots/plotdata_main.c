/* shl_plotdata: everything the charts and the report show, shaped from results.json (read
 * by src/results). render.sh and compare.sh call it and hand its output to gnuplot:
 *
 *   shl_plotdata charts                          the charts, one "NAME SCRIPT" a line
 *   shl_plotdata check RESULTS [CONFORMANCE]     exit 1 with the first problem
 *   shl_plotdata chart NAME RESULTS WORK         gnuplot settings; data files in WORK
 *   shl_plotdata report RESULTS OUT [CONFORMANCE]  OUT/report.md and OUT/report.html
 *   shl_plotdata compare-chart NAME A B WORK     the same for two runs on one chart
 *   shl_plotdata compare-md A B                  the table of B/A ratios (Markdown)
 *
 * Exit status: 0 done, 1 bad input (one line on stderr), 2 usage, 3 the chart has no data
 * (the reason on stdout). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plots/plot_charts.h"
#include "plots/plot_compare.h"
#include "plots/plot_conformance.h"
#include "plots/plot_output.h"
#include "plots/plot_report.h"
#include "src/core/shl_error.h"
#include "src/results/shl_results.h"

#define EXIT_NO_DATA 3

/* The one line a failure shows. */
static int failed(const struct shl_error *err)
{
    char text[400];
    fprintf(stderr, "%s\n", err->detail[0] ? err->detail : shl_error_text(err, text, sizeof text));
    return 1;
}

/* Settings on stdout, or the reason the chart has nothing to draw and EXIT_NO_DATA. */
static int drawn(int status, char *settings, const char *nothing, const struct shl_error *err)
{
    if (status != 0)
        return failed(err);
    if (settings == NULL) {
        printf("%s\n", nothing);
        return EXIT_NO_DATA;
    }
    fputs(settings, stdout);
    free(settings);
    return 0;
}

static int chart(const char *name, const char *path, const char *work)
{
    struct shl_results run;
    struct shl_error err = {0};
    if (plot_load(path, &run, &err) != 0)
        return failed(&err);
    const struct plot_chart_kind *kind = plot_chart_kind(name);
    char *settings = NULL;
    const char *nothing = NULL;
    int status = kind ? plot_chart(kind, &run, work, &settings, &nothing, &err)
                      : shl_fail(&err, "chart", EINVAL, "no chart named %s", name);
    shl_results_free(&run);
    return drawn(status, settings, nothing, &err);
}

static int load_two(const char *path_a, const char *path_b, struct shl_results *a,
                    struct shl_results *b, struct shl_error *err)
{
    if (plot_load(path_a, a, err) != 0)
        return -1;
    if (plot_load(path_b, b, err) == 0)
        return 0;
    shl_results_free(a);
    return -1;
}

static int compare_chart(const char *name, const char *path_a, const char *path_b, const char *work)
{
    struct shl_error err = {0};
    const struct plot_chart_kind *kind = plot_chart_kind(name);
    if (kind == NULL || kind->compare_title == NULL) {
        shl_fail(&err, "compare-chart", EINVAL, "no comparison chart named %s", name);
        return failed(&err);
    }
    struct shl_results a, b;
    if (load_two(path_a, path_b, &a, &b, &err) != 0)
        return failed(&err);
    char *settings = NULL, nothing[128];
    int status = plot_compare_chart(kind, &a, &b, work, &settings, nothing, sizeof nothing, &err);
    shl_results_free(&a);
    shl_results_free(&b);
    return drawn(status, settings, nothing, &err);
}

static int compare_md(const char *path_a, const char *path_b)
{
    struct shl_error err = {0};
    struct shl_results a, b;
    if (load_two(path_a, path_b, &a, &b, &err) != 0)
        return failed(&err);
    char *text = NULL;
    int status = plot_compare_md(&a, path_a, &b, path_b, &text, &err);
    shl_results_free(&a);
    shl_results_free(&b);
    if (status != 0)
        return failed(&err);
    fputs(text, stdout);
    free(text);
    return 0;
}

static int report(const char *path, const char *out_dir, const char *conformance)
{
    struct shl_results run;
    struct shl_error err = {0};
    if (plot_load(path, &run, &err) != 0)
        return failed(&err);
    int status = plot_report(&run, out_dir, conformance, &err);
    shl_results_free(&run);
    return status == 0 ? 0 : failed(&err);
}

static int check(const char *path, const char *conformance)
{
    struct shl_results run;
    struct shl_error err = {0};
    if (plot_load(path, &run, &err) != 0)
        return failed(&err);
    shl_results_free(&run);
    if (conformance != NULL && plot_conformance_check(conformance, &err) != 0)
        return failed(&err);
    return 0;
}

static int charts(void)
{
    for (size_t i = 0; i < plot_charts_n; i++)
        printf("%s %s\n", plot_charts[i].name, plot_charts[i].script);
    return 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: shl_plotdata charts | check RESULTS [CONFORMANCE] | chart NAME "
                    "RESULTS WORK | report RESULTS OUT [CONFORMANCE] | compare-chart NAME A B "
                    "WORK | compare-md A B\n");
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage();
    const char *command = argv[1];
    if (strcmp(command, "charts") == 0 && argc == 2)
        return charts();
    if (strcmp(command, "check") == 0 && (argc == 3 || argc == 4))
        return check(argv[2], argc == 4 ? argv[3] : NULL);
    if (strcmp(command, "chart") == 0 && argc == 5)
        return chart(argv[2], argv[3], argv[4]);
    if (strcmp(command, "report") == 0 && (argc == 4 || argc == 5))
        return report(argv[2], argv[3], argc == 5 ? argv[4] : NULL);
    if (strcmp(command, "compare-chart") == 0 && argc == 6)
        return compare_chart(argv[2], argv[3], argv[4], argv[5]);
    if (strcmp(command, "compare-md") == 0 && argc == 4)
        return compare_md(argv[2], argv[3]);
    return usage();
}
