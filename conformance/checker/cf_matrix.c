#include "conformance/checker/cf_matrix.h"

#include <string.h>

#include "conformance/checker/cf_escape.h"

#define MAX_MECHANISMS 8

struct tally {
    const char *mechanism;
    int cases;
    int by_verdict[CF_BROKEN + 1];
    double seconds;
};

/* tallies[0] is every case; the rest one per mechanism, in order of first appearance.
 * Returns how many entries are used. */
static size_t tally(const struct cf_row *rows, size_t n, struct tally t[MAX_MECHANISMS + 1])
{
    memset(t, 0, sizeof(struct tally) * (MAX_MECHANISMS + 1));
    t[0].mechanism = "all";
    size_t used = 1;
    for (size_t i = 0; i < n; i++) {
        size_t m = 1;
        while (m < used && strcmp(t[m].mechanism, rows[i].c->mechanism) != 0)
            m++;
        if (m == used) {
            if (used == MAX_MECHANISMS + 1)
                m = 0; /* more mechanisms than the project has: counted in "all" only */
            else
                t[used++].mechanism = rows[i].c->mechanism;
        }
        struct tally *targets[2] = {&t[0], m != 0 ? &t[m] : NULL};
        for (int k = 0; k < 2 && targets[k] != NULL; k++) {
            targets[k]->cases++;
            if (rows[i].result != NULL) {
                targets[k]->by_verdict[rows[i].result->verdict]++;
                targets[k]->seconds += rows[i].result->seconds;
            }
        }
    }
    return used;
}

void cf_matrix_summary(const struct cf_row *rows, size_t n, char *buf, size_t len)
{
    struct tally t[MAX_MECHANISMS + 1];
    size_t used = tally(rows, n, t);
    size_t at = 0;
    buf[0] = '\0';
    /* Mechanisms first, then the total. */
    for (size_t k = 1; k <= used; k++) {
        const struct tally *x = &t[k % used];
        int w = snprintf(buf + at, len - at, "%s%s: %d cases, %d PASS, %d FAIL, %d SKIP, %d BROKEN",
                         at ? " | " : "", x->mechanism, x->cases, x->by_verdict[CF_PASS],
                         x->by_verdict[CF_FAIL], x->by_verdict[CF_SKIP], x->by_verdict[CF_BROKEN]);
        if (w < 0 || (size_t)w >= len - at)
            return;
        at += (size_t)w;
    }
}

static const char *verdict_of(const struct cf_row *row)
{
    return cf_verdict_name(row->result->verdict);
}

/* ---- text ---- */

static void platform_line(FILE *out, const struct cf_platform *p)
{
    fprintf(out, "%s %s; %s %s %s; page size %ld; SHMLBA %ld; %s on %s; /dev/shm on %s",
            p->libc_name, p->libc_version, p->kernel_sysname, p->kernel_release, p->machine,
            p->page_size, p->shmlba, p->tmp_dir, p->tmp_dir_fs, p->shm_dir_fs);
}

static void write_text(FILE *out, const struct cf_platform *p, const struct cf_row *rows, size_t n)
{
    int width = 0;
    for (size_t i = 0; i < n; i++) {
        int len = (int)strlen(rows[i].c->id);
        width = len > width ? len : width;
    }
    fputs("platform: ", out);
    platform_line(out, p);
    fputs("\n\n", out);
    for (size_t i = 0; i < n; i++) {
        const struct cf_row *row = &rows[i];
        if (row->result == NULL) {
            fprintf(out, "%-*s  %s  [%s]\n", width, row->c->id, row->c->rule, row->c->source);
            continue;
        }
        fprintf(out, "%-*s  %-6s  %s  [%s]\n", width, row->c->id, verdict_of(row), row->c->rule,
                row->c->source);
        if (row->result->verdict != CF_PASS) {
            fprintf(out, "%*s  %s(%s)\n", width, "", verdict_of(row), row->result->reason);
            if (row->result->info[0] != '\0')
                fprintf(out, "%*s  info: %s\n", width, "", row->result->info);
        }
    }
    if (n > 0 && rows[0].result != NULL) {
        char summary[1024];
        cf_matrix_summary(rows, n, summary, sizeof summary);
        fprintf(out, "\n%s\n", summary);
    } else {
        fprintf(out, "\n%zu cases\n", n);
    }
}

/* ---- JSON ---- */

/* Writes `<separator>"key": "value"`. */
static void json_member(FILE *out, const char *separator, const char *key, const char *value)
{
    fprintf(out, "%s\"%s\": ", separator, key);
    cf_json_string(out, value);
}

static void write_json(FILE *out, const struct cf_platform *p, const struct cf_row *rows, size_t n)
{
    fputs("{\n  \"schema\": \"shmlab-conformance/1\",\n  \"platform\": {\n    \"libc\": {", out);
    json_member(out, "", "name", p->libc_name);
    json_member(out, ", ", "version", p->libc_version);
    fputs("},\n    \"kernel\": {", out);
    json_member(out, "", "sysname", p->kernel_sysname);
    json_member(out, ", ", "release", p->kernel_release);
    json_member(out, ", ", "version", p->kernel_version);
    json_member(out, ", ", "machine", p->machine);
    fprintf(out, "},\n    \"page_size\": %ld,\n    \"shmlba\": %ld", p->page_size, p->shmlba);
    json_member(out, ",\n    ", "tmp_dir", p->tmp_dir);
    json_member(out, ",\n    ", "tmp_dir_fs", p->tmp_dir_fs);
    json_member(out, ",\n    ", "shm_dir_fs", p->shm_dir_fs);
    fputs("\n  },\n  \"cases\": [", out);
    for (size_t i = 0; i < n; i++) {
        const struct cf_row *row = &rows[i];
        json_member(out, i ? ",\n    {" : "\n    {", "id", row->c->id);
        json_member(out, ", ", "mechanism", row->c->mechanism);
        json_member(out, ", ", "rule", row->c->rule);
        json_member(out, ", ", "source", row->c->source);
        if (row->result != NULL) {
            json_member(out, ", ", "verdict", verdict_of(row));
            json_member(out, ", ", "reason", row->result->reason);
            json_member(out, ", ", "info", row->result->info);
            fprintf(out, ", \"seconds\": %.6f", row->result->seconds);
        }
        fputc('}', out);
    }
    fputs(n ? "\n  ]" : "]", out);
    if (n > 0 && rows[0].result != NULL) {
        struct tally t[MAX_MECHANISMS + 1];
        size_t used = tally(rows, n, t);
        fputs(",\n  \"counts\": {", out);
        for (size_t k = 1; k <= used; k++) {
            const struct tally *x = &t[k % used];
            fputs(k > 1 ? ",\n    " : "\n    ", out);
            cf_json_string(out, x->mechanism);
            fprintf(out,
                    ": {\"cases\": %d, \"pass\": %d, \"fail\": %d, \"skip\": %d, "
                    "\"broken\": %d}",
                    x->cases, x->by_verdict[CF_PASS], x->by_verdict[CF_FAIL],
                    x->by_verdict[CF_SKIP], x->by_verdict[CF_BROKEN]);
        }
        fputs("\n  }", out);
    }
    fputs("\n}\n", out);
}

/* ---- JUnit XML: one testsuite per mechanism ---- */

static void junit_suite_open(FILE *out, const struct tally *x, const struct cf_platform *p)
{
    fputs("  <testsuite name=\"", out);
    cf_xml_text(out, x->mechanism);
    fprintf(out, "\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"%.6f\">\n",
            x->cases, x->by_verdict[CF_FAIL], x->by_verdict[CF_BROKEN], x->by_verdict[CF_SKIP],
            x->seconds);
    fputs("    <properties>\n      <property name=\"platform\" value=\"", out);
    char line[CF_PATH_MAX + 4 * CF_PLATFORM_FIELD];
    FILE *mem = fmemopen(line, sizeof line, "w");
    if (mem != NULL) {
        platform_line(mem, p);
        fclose(mem);
        line[sizeof line - 1] = '\0';
        cf_xml_text(out, line);
    }
    fputs("\"/>\n    </properties>\n", out);
}

static void write_junit(FILE *out, const struct cf_platform *p, const struct cf_row *rows, size_t n)
{
    struct tally t[MAX_MECHANISMS + 1];
    size_t used = tally(rows, n, t);
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
    fprintf(out,
            "<testsuites name=\"shmlab-conformance\" tests=\"%d\" failures=\"%d\" "
            "errors=\"%d\" skipped=\"%d\" time=\"%.6f\">\n",
            t[0].cases, t[0].by_verdict[CF_FAIL], t[0].by_verdict[CF_BROKEN],
            t[0].by_verdict[CF_SKIP], t[0].seconds);
    for (size_t m = 1; m < used; m++) {
        junit_suite_open(out, &t[m], p);
        for (size_t i = 0; i < n; i++) {
            const struct cf_row *row = &rows[i];
            if (strcmp(row->c->mechanism, t[m].mechanism) != 0)
                continue;
            const char *dot = strchr(row->c->id, '.');
            fputs("    <testcase classname=\"", out);
            cf_xml_text(out, row->c->mechanism);
            fputs("\" name=\"", out);
            cf_xml_text(out, dot != NULL ? dot + 1 : row->c->id);
            fprintf(out, "\" time=\"%.6f\">\n", row->result->seconds);
            const char *element = NULL;
            switch (row->result->verdict) {
            case CF_PASS: break;
            case CF_SKIP: element = "skipped"; break;
            case CF_FAIL: element = "failure"; break;
            case CF_BROKEN: element = "error"; break;
            }
            if (element != NULL) {
                fprintf(out, "      <%s message=\"", element);
                cf_xml_text(out, row->result->reason);
                fprintf(out, "\" type=\"%s\">", verdict_of(row));
                cf_xml_text(out, row->c->rule);
                fputs(" [", out);
                cf_xml_text(out, row->c->source);
                fputs("]", out);
                if (row->result->info[0] != '\0') {
                    fputs("\ninfo: ", out);
                    cf_xml_text(out, row->result->info);
                }
                fprintf(out, "</%s>\n", element);
            }
            fputs("      <properties><property name=\"rule\" value=\"", out);
            cf_xml_text(out, row->c->rule);
            fputs("\"/><property name=\"source\" value=\"", out);
            cf_xml_text(out, row->c->source);
            fputs("\"/></properties>\n    </testcase>\n", out);
        }
        fputs("  </testsuite>\n", out);
    }
    fputs("</testsuites>\n", out);
}

/* ---- Markdown: one table per mechanism, then the counts ---- */

static void write_markdown(FILE *out, const struct cf_platform *p, const struct cf_row *rows,
                           size_t n)
{
    struct tally t[MAX_MECHANISMS + 1];
    size_t used = tally(rows, n, t);
    int ran = n > 0 && rows[0].result != NULL;
    fputs("# shmlab conformance\n\nPlatform: ", out);
    platform_line(out, p);
    fputs("\n", out);
    for (size_t m = 1; m < used; m++) {
        fprintf(out, "\n## %s\n\n", t[m].mechanism);
        fputs(ran ? "| case | verdict | rule | source |\n| --- | --- | --- | --- |\n"
                  : "| case | rule | source |\n| --- | --- | --- |\n",
              out);
        for (size_t i = 0; i < n; i++) {
            const struct cf_row *row = &rows[i];
            if (strcmp(row->c->mechanism, t[m].mechanism) != 0)
                continue;
            fprintf(out, "| `%s` | ", row->c->id);
            if (ran) {
                fputs(verdict_of(row), out);
                if (row->result->verdict != CF_PASS) {
                    fputs(" (", out);
                    cf_markdown_cell(out, row->result->reason);
                    fputs(")", out);
                }
                fputs(" | ", out);
            }
            cf_markdown_cell(out, row->c->rule);
            fputs(" | ", out);
            cf_markdown_cell(out, row->c->source);
            fputs(" |\n", out);
        }
    }
    if (ran) {
        fputs("\n## Counts\n\n| mechanism | cases | PASS | FAIL | SKIP | BROKEN |\n"
              "| --- | --- | --- | --- | --- | --- |\n",
              out);
        for (size_t k = 1; k <= used; k++) {
            const struct tally *x = &t[k % used];
            fprintf(out, "| %s | %d | %d | %d | %d | %d |\n", x->mechanism, x->cases,
                    x->by_verdict[CF_PASS], x->by_verdict[CF_FAIL], x->by_verdict[CF_SKIP],
                    x->by_verdict[CF_BROKEN]);
        }
    }
}

int cf_matrix_write(FILE *out, enum cf_format format, const struct cf_platform *platform,
                    const struct cf_row *rows, size_t n)
{
    switch (format) {
    case CF_FORMAT_TEXT: write_text(out, platform, rows, n); break;
    case CF_FORMAT_JSON: write_json(out, platform, rows, n); break;
    case CF_FORMAT_JUNIT: write_junit(out, platform, rows, n); break;
    case CF_FORMAT_MARKDOWN: write_markdown(out, platform, rows, n); break;
    }
    return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}
