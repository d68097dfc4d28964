/* Joins the checker's JSON reports of several implementations into one matrix: cases as
 * rows, implementations as columns, the reason in every cell that is not a PASS, and the
 * counts of each column. Writes matrix.json, matrix.md and a self-contained matrix.html.
 *
 *   matrix_report --out DIR [--about NAME=TEXT]... COLUMN...
 *   COLUMN is NAME=REPORT.json (the checker ran) or NAME!REASON (it could not run here:
 *   a tool is missing, the build failed); --about says how a column was run.
 *
 * A column that did not run is shown as such and counts nothing, least of all a pass.
 * Exit status: 0 written, 1 a report could not be read or a file not written, 2 bad usage. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conformance/checker/cf_escape.h"
#include "src/core/shl_cli.h"

#define MAX_COLUMNS 32

enum cell { CELL_PASS, CELL_FAIL, CELL_SKIP, CELL_BROKEN, CELL_ABSENT, CELL_KINDS };
static const char *const cell_names[CELL_KINDS] = {"PASS", "FAIL", "SKIP", "BROKEN", "ABSENT"};

struct column {
    const char *name;
    const char *report;  /* NULL when the column did not run */
    const char *not_run; /* why, when it did not */
    const char *about;   /* how it was run ("" if not said) */
    cJSON *json;         /* the checker's report */
    char implementation[256];
    int counts[CELL_KINDS];
};

struct matrix {
    struct column columns[MAX_COLUMNS];
    size_t n_columns;
    const char **ids; /* every case id of any column, in order of first appearance */
    size_t n_ids;
};

enum option_id { OPT_OUT, OPT_ABOUT, OPT_HELP };

static const struct shl_cli_option options[] = {
    {"--out", NULL, OPT_OUT, true, "DIR", NULL},
    {"--about", NULL, OPT_ABOUT, true, "NAME=TEXT",
     "how the column was run (shown under its name)"},
    {"--help", "-h", OPT_HELP, false, NULL, NULL},
};
#define N_OPTIONS (sizeof options / sizeof options[0])

static void print_usage(FILE *to)
{
    char list[512];
    shl_cli_help(options, N_OPTIONS, 20, list, sizeof list);
    fprintf(to,
            "usage: matrix_report --out DIR [--about NAME=TEXT]... "
            "NAME=REPORT.json|NAME!REASON...\n"
            "  NAME=REPORT.json  a column whose checker ran and wrote REPORT.json (--format json)\n"
            "  NAME!REASON       a column that could not run here, and why\n"
            "%s"
            "writes DIR/matrix.json, DIR/matrix.md and DIR/matrix.html\n",
            list);
}

static _Noreturn void bad_usage(const char *what, const char *arg)
{
    fprintf(stderr, "matrix_report: %s '%s' (see --help)\n", what, arg);
    exit(2);
}

static struct column *find_column(struct matrix *m, const char *name)
{
    for (size_t i = 0; i < m->n_columns; i++)
        if (strcmp(m->columns[i].name, name) == 0)
            return &m->columns[i];
    return NULL;
}

static struct column *add_column(struct matrix *m, char *name)
{
    if (name[0] == '\0')
        bad_usage("a column needs a name:", name);
    if (find_column(m, name) != NULL)
        bad_usage("column given twice:", name);
    if (m->n_columns == MAX_COLUMNS)
        bad_usage("too many columns at", name);
    struct column *c = &m->columns[m->n_columns++];
    c->name = name;
    c->about = "";
    return c;
}

static char *read_whole(const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return NULL;
    size_t cap = 1 << 16, len = 0, got;
    char *text = malloc(cap);
    while (text != NULL && (got = fread(text + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (len + 1 == cap) {
            char *bigger = realloc(text, cap *= 2);
            if (bigger == NULL)
                free(text);
            text = bigger;
        }
    }
    if (text != NULL)
        text[len] = '\0';
    fclose(f);
    return text;
}

static const char *string_at(const cJSON *object, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, key);
    return cJSON_IsString(item) && item->valuestring != NULL ? item->valuestring : "";
}

static const cJSON *case_of(const struct column *c, const char *id)
{
    if (c->json == NULL)
        return NULL;
    const cJSON *item;
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(c->json, "cases"))
    {
        if (strcmp(string_at(item, "id"), id) == 0)
            return item;
    }
    return NULL;
}

static enum cell cell_of(const cJSON *result)
{
    if (result == NULL)
        return CELL_ABSENT;
    const char *verdict = string_at(result, "verdict");
    for (int k = 0; k < CELL_ABSENT; k++)
        if (strcmp(verdict, cell_names[k]) == 0)
            return (enum cell)k;
    return CELL_BROKEN;
}

static int add_id(struct matrix *m, const char *id)
{
    for (size_t k = 0; k < m->n_ids; k++)
        if (strcmp(m->ids[k], id) == 0)
            return 0;
    const char **ids = realloc(m->ids, (m->n_ids + 1) * sizeof *ids);
    if (ids == NULL)
        return -1;
    m->ids = ids;
    m->ids[m->n_ids++] = id;
    return 0;
}

static int load(struct matrix *m, struct column *c)
{
    char *text = read_whole(c->report);
    if (text == NULL) {
        fprintf(stderr, "matrix_report: cannot read %s: %s\n", c->report, strerror(errno));
        return -1;
    }
    c->json = cJSON_Parse(text);
    free(text);
    const cJSON *cases = cJSON_GetObjectItemCaseSensitive(c->json, "cases");
    if (!cJSON_IsArray(cases)) {
        fprintf(stderr, "matrix_report: %s is not the checker's JSON report\n", c->report);
        return -1;
    }
    const cJSON *platform = cJSON_GetObjectItemCaseSensitive(c->json, "platform");
    const cJSON *libc = cJSON_GetObjectItemCaseSensitive(platform, "libc");
    const cJSON *kernel = cJSON_GetObjectItemCaseSensitive(platform, "kernel");
    snprintf(c->implementation, sizeof c->implementation, "%s %s, %s", string_at(libc, "name"),
             string_at(libc, "version"), string_at(kernel, "machine"));
    const cJSON *item;
    cJSON_ArrayForEach(item, cases)
    {
        const char *id = string_at(item, "id");
        if (id[0] != '\0' && add_id(m, id) != 0) {
            fputs("matrix_report: out of memory\n", stderr);
            return -1;
        }
    }
    return 0;
}

static void count(struct matrix *m)
{
    for (size_t i = 0; i < m->n_columns; i++) {
        struct column *c = &m->columns[i];
        for (size_t k = 0; c->json != NULL && k < m->n_ids; k++)
            c->counts[cell_of(case_of(c, m->ids[k]))]++;
    }
}

/* The case's rule and source, from the first column that has it. */
static const cJSON *any_case(const struct matrix *m, const char *id)
{
    for (size_t i = 0; i < m->n_columns; i++) {
        const cJSON *found = case_of(&m->columns[i], id);
        if (found != NULL)
            return found;
    }
    return NULL;
}

static const char *reason_of(const cJSON *result)
{
    return result != NULL ? string_at(result, "reason") : "the case is not in this report";
}

/* ---- matrix.json ---- */

static void write_json(FILE *out, const struct matrix *m)
{
    fputs("{\n  \"schema\": \"shmlab-conformance-matrix/1\",\n  \"columns\": [", out);
    for (size_t i = 0; i < m->n_columns; i++) {
        const struct column *c = &m->columns[i];
        fputs(i ? ",\n    {\"name\": " : "\n    {\"name\": ", out);
        cf_json_string(out, c->name);
        fputs(", \"about\": ", out);
        cf_json_string(out, c->about);
        if (c->json == NULL) {
            fputs(", \"ran\": false, \"not_run\": ", out);
            cf_json_string(out, c->not_run);
        } else {
            fputs(", \"ran\": true, \"implementation\": ", out);
            cf_json_string(out, c->implementation);
            fputs(", \"report\": ", out);
            cf_json_string(out, c->report);
            fputs(", \"counts\": {", out);
            for (int k = 0; k < CELL_KINDS; k++)
                fprintf(out, "%s\"%s\": %d", k ? ", " : "", cell_names[k], c->counts[k]);
            fputc('}', out);
        }
        fputc('}', out);
    }
    fputs("\n  ],\n  \"cases\": [", out);
    for (size_t k = 0; k < m->n_ids; k++) {
        const cJSON *any = any_case(m, m->ids[k]);
        fputs(k ? ",\n    {\"id\": " : "\n    {\"id\": ", out);
        cf_json_string(out, m->ids[k]);
        fputs(", \"rule\": ", out);
        cf_json_string(out, string_at(any, "rule"));
        fputs(", \"source\": ", out);
        cf_json_string(out, string_at(any, "source"));
        fputs(", \"cells\": {", out);
        int first = 1;
        for (size_t i = 0; i < m->n_columns; i++) {
            const struct column *c = &m->columns[i];
            if (c->json == NULL)
                continue;
            const cJSON *r = case_of(c, m->ids[k]);
            fputs(first ? "" : ", ", out);
            first = 0;
            cf_json_string(out, c->name);
            fprintf(out, ": {\"verdict\": \"%s\", \"reason\": ", cell_names[cell_of(r)]);
            cf_json_string(out, reason_of(r));
            fputc('}', out);
        }
        fputs("}}", out);
    }
    fputs("\n  ]\n}\n", out);
}

/* ---- matrix.md ---- */

static void write_markdown(FILE *out, const struct matrix *m)
{
    fputs("# shmlab conformance matrix\n\n## Columns\n\n"
          "| column | implementation | how it ran | PASS | FAIL | SKIP | BROKEN |\n"
          "| --- | --- | --- | --- | --- | --- | --- |\n",
          out);
    for (size_t i = 0; i < m->n_columns; i++) {
        const struct column *c = &m->columns[i];
        fprintf(out, "| %s | ", c->name);
        if (c->json == NULL) {
            fputs("not run: ", out);
            cf_markdown_cell(out, c->not_run);
            fputs(" | ", out);
            cf_markdown_cell(out, c->about);
            fputs(" | - | - | - | - |\n", out);
            continue;
        }
        cf_markdown_cell(out, c->implementation);
        fputs(" | ", out);
        cf_markdown_cell(out, c->about);
        fprintf(out, " | %d | %d | %d | %d |\n", c->counts[CELL_PASS], c->counts[CELL_FAIL],
                c->counts[CELL_SKIP], c->counts[CELL_BROKEN]);
    }
    fputs("\n## Cases\n\n| case |", out);
    for (size_t i = 0; i < m->n_columns; i++)
        fprintf(out, " %s |", m->columns[i].name);
    fputs("\n| --- |", out);
    for (size_t i = 0; i < m->n_columns; i++)
        fputs(" --- |", out);
    fputc('\n', out);
    for (size_t k = 0; k < m->n_ids; k++) {
        fprintf(out, "| `%s` |", m->ids[k]);
        for (size_t i = 0; i < m->n_columns; i++) {
            const struct column *c = &m->columns[i];
            if (c->json == NULL) {
                fputs(" not run |", out);
                continue;
            }
            const cJSON *r = case_of(c, m->ids[k]);
            enum cell cell = cell_of(r);
            fprintf(out, " %s", cell_names[cell]);
            if (cell != CELL_PASS) {
                fputs(": ", out);
                cf_markdown_cell(out, reason_of(r));
            }
            fputs(" |", out);
        }
        fputc('\n', out);
    }
}

/* ---- matrix.html: one file, nothing to fetch ---- */

static const char html_head[] =
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
    "<title>shmlab conformance matrix</title>\n<style>\n"
    "body{font:13px sans-serif;margin:1em}table{border-collapse:collapse}\n"
    "td,th{border:1px solid #bbb;padding:2px 5px;vertical-align:top;max-width:28em}\n"
    "th{background:#eee}td.id{font-family:monospace;white-space:nowrap}\n"
    ".PASS{background:#d7f5d7}.FAIL{background:#f7c4c4}.SKIP{background:#f4ecc0}\n"
    ".BROKEN{background:#e9c6f2}.ABSENT,.notrun{background:#ddd}\n"
    ".why{display:block;font-size:11px;font-weight:normal;color:#333}\n"
    "</style></head><body>\n<h1>shmlab conformance matrix</h1>\n"
    "<p>Hover a case for its rule and where the rule is written.</p>\n<table>\n"
    "<tr><th>case</th>";

static void write_html(FILE *out, const struct matrix *m)
{
    fputs(html_head, out);
    for (size_t i = 0; i < m->n_columns; i++) {
        const struct column *c = &m->columns[i];
        fputs("<th>", out);
        cf_xml_text(out, c->name);
        fputs("<span class=\"why\">", out);
        cf_xml_text(out, c->json != NULL ? c->implementation : "not run");
        fputs("</span><span class=\"why\">", out);
        cf_xml_text(out, c->about);
        fputs("</span></th>", out);
    }
    fputs("</tr>\n<tr><th>counts</th>", out);
    for (size_t i = 0; i < m->n_columns; i++) {
        const struct column *c = &m->columns[i];
        if (c->json == NULL) {
            fputs("<th class=\"notrun\">not run<span class=\"why\">", out);
            cf_xml_text(out, c->not_run);
            fputs("</span></th>", out);
        } else {
            fprintf(out, "<th>%d PASS<br>%d FAIL<br>%d SKIP<br>%d BROKEN</th>",
                    c->counts[CELL_PASS], c->counts[CELL_FAIL], c->counts[CELL_SKIP],
                    c->counts[CELL_BROKEN]);
        }
    }
    fputs("</tr>\n", out);
    for (size_t k = 0; k < m->n_ids; k++) {
        const cJSON *any = any_case(m, m->ids[k]);
        fputs("<tr><td class=\"id\" title=\"", out);
        cf_xml_text(out, string_at(any, "rule"));
        fputs(" [", out);
        cf_xml_text(out, string_at(any, "source"));
        fputs("]\">", out);
        cf_xml_text(out, m->ids[k]);
        fputs("</td>", out);
        for (size_t i = 0; i < m->n_columns; i++) {
            const struct column *c = &m->columns[i];
            if (c->json == NULL) {
                fputs("<td class=\"notrun\">not run</td>", out);
                continue;
            }
            const cJSON *r = case_of(c, m->ids[k]);
            enum cell cell = cell_of(r);
            fprintf(out, "<td class=\"%s\">%s", cell_names[cell], cell_names[cell]);
            if (cell != CELL_PASS) {
                fputs("<span class=\"why\">", out);
                cf_xml_text(out, reason_of(r));
                fputs("</span>", out);
            }
            fputs("</td>", out);
        }
        fputs("</tr>\n", out);
    }
    fputs("</table>\n</body></html>\n", out);
}

static int write_to(const char *dir, const char *file,
                    void (*writer)(FILE *, const struct matrix *), const struct matrix *m)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *out = fopen(path, "w");
    if (out == NULL) {
        fprintf(stderr, "matrix_report: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    writer(out, m);
    int failed = ferror(out);
    if (fclose(out) != 0 || failed) {
        fprintf(stderr, "matrix_report: writing %s failed: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

static void parse(int argc, char **argv, struct matrix *m, const char **out)
{
    char *abouts[MAX_COLUMNS];
    size_t n_abouts = 0;
    struct shl_cli cli;
    struct shl_cli_item item;
    shl_cli_init(&cli, options, N_OPTIONS, 1, argc, argv);
    while (shl_cli_next(&cli, &item) != SHL_CLI_END) {
        char *value = item.value;
        if (item.kind == SHL_CLI_MISSING_VALUE)
            bad_usage("a value is missing after", item.arg);
        if (item.kind == SHL_CLI_OPTION && item.option->id == OPT_HELP) {
            print_usage(stdout);
            exit(0);
        } else if (item.kind == SHL_CLI_OPTION && item.option->id == OPT_OUT) {
            if (value[0] == '\0')
                bad_usage("--out needs a folder, not", value);
            *out = value;
        } else if (item.kind == SHL_CLI_OPTION) {
            if (strchr(value, '=') == NULL || n_abouts == MAX_COLUMNS)
                bad_usage("--about wants NAME=TEXT, not", value);
            abouts[n_abouts++] = value;
        } else {
            char *arg = item.kind == SHL_CLI_POSITIONAL ? value : NULL;
            char *eq = arg ? strchr(arg, '=') : NULL, *bang = arg ? strchr(arg, '!') : NULL;
            if (eq != NULL && (bang == NULL || eq < bang)) {
                *eq = '\0';
                add_column(m, arg)->report = eq + 1;
            } else if (bang != NULL) {
                *bang = '\0';
                add_column(m, arg)->not_run = bang[1] != '\0' ? bang + 1 : "no reason given";
            } else {
                bad_usage("a column is NAME=REPORT.json or NAME!REASON, not", item.arg);
            }
        }
    }
    if (*out == NULL || m->n_columns == 0) {
        print_usage(stderr);
        exit(2);
    }
    for (size_t k = 0; k < n_abouts; k++) {
        char *eq = strchr(abouts[k], '=');
        *eq = '\0';
        struct column *c = find_column(m, abouts[k]);
        if (c == NULL)
            bad_usage("--about names no column:", abouts[k]);
        c->about = eq + 1;
    }
}

int main(int argc, char **argv)
{
    static struct matrix m;
    const char *out = NULL;
    parse(argc, argv, &m, &out);
    for (size_t i = 0; i < m.n_columns; i++)
        if (m.columns[i].report != NULL && load(&m, &m.columns[i]) != 0)
            return 1;
    count(&m);
    if (write_to(out, "matrix.json", write_json, &m) != 0 ||
        write_to(out, "matrix.md", write_markdown, &m) != 0 ||
        write_to(out, "matrix.html", write_html, &m) != 0)
        return 1;
    for (size_t i = 0; i < m.n_columns; i++) {
        const struct column *c = &m.columns[i];
        if (c->json == NULL)
            printf("%-14s not run: %s\n", c->name, c->not_run);
        else
            printf("%-14s %3d PASS %3d FAIL %3d SKIP %3d BROKEN  %s\n", c->name,
                   c->counts[CELL_PASS], c->counts[CELL_FAIL], c->counts[CELL_SKIP],
                   c->counts[CELL_BROKEN], c->implementation);
    }
    return 0;
}
