#include "plots/plot_conformance.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "plots/plot_output.h"

/* The counts are the checker's; they are computed from the cases only when a report has
 * none. */
static const char *const verdicts[] = {"pass", "fail", "skip", "broken"};

static int read_text(const char *path, char **text, size_t *len, struct shl_error *err)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return shl_fail(err, "fopen", errno, "%s: %s", path, strerror(errno));
    struct plot_text buf;
    if (plot_text_open(&buf, err) != 0) {
        fclose(f);
        return -1;
    }
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        fwrite(chunk, 1, got, buf.f);
    fclose(f);
    if (plot_text_close(&buf, err) != 0)
        return -1;
    *text = buf.buf;
    *len = buf.len;
    return 0;
}

/* What is wrong with `root` as a checker report, or NULL. */
static const char *problem_of(const cJSON *root, char *buf, size_t len)
{
    const cJSON *cases = cJSON_GetObjectItemCaseSensitive(root, "cases");
    if (!cJSON_IsObject(root))
        return "the top level is not an object";
    if (!cJSON_IsArray(cases))
        return "no \"cases\" array";
    const cJSON *c;
    int index = 0;
    cJSON_ArrayForEach(c, cases)
    {
        if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(c, "verdict"))) {
            snprintf(buf, len, "cases[%d] has no \"verdict\" text", index);
            return buf;
        }
        index++;
    }
    return NULL;
}

static int read_conformance(const char *path, cJSON **out, struct shl_error *err)
{
    char *text;
    size_t len;
    if (read_text(path, &text, &len, err) != 0)
        return -1;
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    while (root != NULL && end != NULL && end < text + len &&
           (*end == ' ' || *end == '\n' || *end == '\t' || *end == '\r'))
        end++;
    size_t rest = end != NULL && end < text + len ? (size_t)(text + len - end) : 0;
    free(text);
    if (root == NULL || rest > 0) {
        cJSON_Delete(root);
        return shl_fail(err, "cJSON_Parse", EINVAL, "%s is not one JSON document", path);
    }
    char buf[64];
    const char *problem = problem_of(root, buf, sizeof buf);
    if (problem != NULL) {
        cJSON_Delete(root);
        return shl_fail(err, "conformance", EINVAL, "%s: %s", path, problem);
    }
    *out = root;
    return 0;
}

int plot_conformance_check(const char *path, struct shl_error *err)
{
    cJSON *root;
    if (read_conformance(path, &root, err) != 0)
        return -1;
    cJSON_Delete(root);
    return 0;
}

static const char *text_of(const cJSON *obj, const char *key, const char *otherwise)
{
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(value) ? value->valuestring : otherwise;
}

static bool verdict_is(const cJSON *c, const char *verdict)
{
    return strcasecmp(text_of(c, "verdict", ""), verdict) == 0;
}

struct tally {
    char mechanism[64];
    int cases, count[4];
};

/* The checker's counts, or counts computed from the cases; "all" last. */
static size_t conformance_counts(const cJSON *root, struct tally *out, size_t cap)
{
    size_t n = 0;
    const cJSON *counts = cJSON_GetObjectItemCaseSensitive(root, "counts");
    if (cJSON_IsObject(counts)) {
        const cJSON *m;
        for (int all = 0; all < 2; all++)
            cJSON_ArrayForEach(m, counts)
            {
                if ((strcmp(m->string, "all") == 0) != all || n == cap)
                    continue;
                struct tally *t = &out[n++];
                memset(t, 0, sizeof *t);
                snprintf(t->mechanism, sizeof t->mechanism, "%s", m->string);
                t->cases = (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(m, "cases"));
                for (int v = 0; v < 4; v++) {
                    const cJSON *x = cJSON_GetObjectItemCaseSensitive(m, verdicts[v]);
                    t->count[v] = cJSON_IsNumber(x) ? (int)x->valuedouble : 0;
                }
            }
        return n;
    }
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(root, "cases"))
    {
        const char *mechanism = text_of(c, "mechanism", "?");
        size_t at = 0;
        while (at < n && strcmp(out[at].mechanism, mechanism) != 0)
            at++;
        if (at == n && n + 1 < cap) {
            size_t pos = n++;
            while (pos > 0 && strcmp(out[pos - 1].mechanism, mechanism) > 0) {
                out[pos] = out[pos - 1];
                pos--;
            }
            memset(&out[pos], 0, sizeof out[pos]);
            snprintf(out[pos].mechanism, sizeof out[pos].mechanism, "%s", mechanism);
            at = pos;
        }
        if (at == n)
            continue;
        out[at].cases++;
        for (int v = 0; v < 4; v++)
            out[at].count[v] += verdict_is(c, verdicts[v]);
    }
    struct tally *all = &out[n++];
    memset(all, 0, sizeof *all);
    snprintf(all->mechanism, sizeof all->mechanism, "all");
    for (size_t i = 0; i + 1 < n; i++) {
        all->cases += out[i].cases;
        for (int v = 0; v < 4; v++)
            all->count[v] += out[i].count[v];
    }
    return n;
}

static void trimmed(char *buf)
{
    size_t start = strspn(buf, " ");
    memmove(buf, buf + start, strlen(buf + start) + 1);
    size_t len = strlen(buf);
    while (len > 0 && buf[len - 1] == ' ')
        buf[--len] = '\0';
}

static void conformance_platform(const cJSON *root, char *buf, size_t len)
{
    buf[0] = '\0';
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(root, "platform");
    if (!cJSON_IsObject(p))
        return;
    char parts[3][256];
    size_t n = 0;
    const cJSON *libc = cJSON_GetObjectItemCaseSensitive(p, "libc");
    if (libc != NULL && !cJSON_IsNull(libc) && !cJSON_IsFalse(libc))
        snprintf(parts[n++], sizeof parts[0], "%s %s", text_of(libc, "name", "?"),
                 text_of(libc, "version", ""));
    const cJSON *kernel = cJSON_GetObjectItemCaseSensitive(p, "kernel");
    if (kernel != NULL && !cJSON_IsNull(kernel) && !cJSON_IsFalse(kernel))
        snprintf(parts[n++], sizeof parts[0], "%s %s %s", text_of(kernel, "sysname", ""),
                 text_of(kernel, "release", ""), text_of(kernel, "machine", ""));
    const char *fs = text_of(p, "shm_dir_fs", NULL);
    if (fs != NULL)
        snprintf(parts[n++], sizeof parts[0], "/dev/shm on %s", fs);
    size_t used = 0;
    for (size_t i = 0; i < n && used < len; i++) {
        trimmed(parts[i]);
        used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", parts[i]);
    }
}

/* "Checker result NAME (platform): 3 pass, 0 fail." */
static void summary_paragraph(struct plot_report *r, const cJSON *root, const struct tally *all)
{
    char platform[800], summary[160] = "", text[1200];
    conformance_platform(root, platform, sizeof platform);
    size_t used = 0;
    for (int v = 0; v < 4; v++) {
        int count = all ? all->count[v] : 0;
        if (count > 0 || v < 2)
            used += (size_t)snprintf(summary + used, sizeof summary - used, "%s%d %s",
                                     used ? ", " : "", count, verdicts[v]);
    }
    const char *base = strrchr(r->conformance, '/');
    snprintf(text, sizeof text, "Checker result %s%s%s%s: %s.", base ? base + 1 : r->conformance,
             platform[0] ? " (" : "", platform, platform[0] ? ")" : "", summary);
    plot_report_paragraph(r, text);
}

static void counts_table(struct plot_report *r, const struct tally *counts, size_t n)
{
    static const char *const by_mechanism[] = {"mechanism", "cases", "pass",
                                               "fail",      "skip",  "broken"};
    struct plot_table t;
    plot_report_new_table(r, &t, 6, by_mechanism);
    for (size_t i = 0; i < n; i++) {
        char(*row)[PLOT_CELL_MAX] = plot_report_row(r, &t);
        snprintf(row[0], PLOT_CELL_MAX, "%s", counts[i].mechanism);
        snprintf(row[1], PLOT_CELL_MAX, "%d", counts[i].cases);
        for (int v = 0; v < 4; v++)
            snprintf(row[v + 2], PLOT_CELL_MAX, "%d", counts[i].count[v]);
    }
    plot_report_table(r, &t);
}

/* Cases that neither passed nor were skipped (FAIL, BROKEN), with the checker's reason. */
static void failures_table(struct plot_report *r, const cJSON *root)
{
    static const char *const failures[] = {"case", "mechanism", "verdict", "reason"};
    struct plot_table t;
    plot_report_new_table(r, &t, 4, failures);
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(root, "cases"))
    {
        if (verdict_is(c, "pass") || verdict_is(c, "skip"))
            continue;
        char(*row)[PLOT_CELL_MAX] = plot_report_row(r, &t);
        const char *cells[] = {text_of(c, "id", "?"), text_of(c, "mechanism", "?"),
                               text_of(c, "verdict", ""), text_of(c, "reason", "")};
        for (int k = 0; k < 4; k++) {
            snprintf(row[k], PLOT_CELL_MAX, "%s", cells[k]);
            for (char *p = row[k]; *p; p++)
                if (*p == '\t' || *p == '\n')
                    *p = ' ';
        }
    }
    if (t.rows > 1) {
        plot_report_paragraph(r, "Cases that failed or could not be set up:");
        plot_report_table(r, &t);
    } else {
        plot_table_free(&t);
    }
}

void plot_conformance_section(struct plot_report *r)
{
    cJSON *root;
    if (r->conformance == NULL)
        return;
    if (read_conformance(r->conformance, &root, r->err) != 0) {
        r->failed = true;
        return;
    }
    plot_report_heading(r, "Conformance");
    struct tally counts[64];
    size_t n = conformance_counts(root, counts, 64);
    const struct tally *all = NULL;
    for (size_t i = 0; i < n; i++)
        if (strcmp(counts[i].mechanism, "all") == 0)
            all = &counts[i];
    summary_paragraph(r, root, all);
    counts_table(r, counts, n);
    failures_table(r, root);
    cJSON_Delete(root);
}
