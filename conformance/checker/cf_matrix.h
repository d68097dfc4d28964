/* The checker's report: every case with its verdict, in one of four formats.
 *
 * JSON (--format json), the shape other tools read (the plots report, the CI gate):
 *   {
 *     "schema": "shmlab-conformance/1",
 *     "platform": {
 *       "libc": {"name": "glibc" | "musl", "version": "2.36"},
 *       "kernel": {"sysname": "Linux", "release": "6.1.0", "version": "#1 SMP ...",
 *                  "machine": "x86_64"},
 *       "page_size": 4096, "shmlba": 4096,
 *       "tmp_dir": "/tmp", "tmp_dir_fs": "tmpfs", "shm_dir_fs": "tmpfs"
 *     },
 *     "cases": [
 *       {"id": "sysv.shmat_rnd_rounds_down_to_shmlba", "mechanism": "sysv",
 *        "rule": "...", "source": "POSIX.1-2017 shmat(), ...",
 *        "verdict": "PASS" | "FAIL" | "SKIP" | "BROKEN",
 *        "reason": "" (why it failed, was skipped or could not be checked),
 *        "info": "" (platform facts the case reported), "seconds": 0.0012}
 *     ],
 *     "counts": {"<mechanism>": {"cases": n, "pass": n, "fail": n, "skip": n, "broken": n},
 *                ..., "all": {...}}
 *   }
 * With --list, cases carry only id, mechanism, rule and source, and "counts" is absent.
 * A SKIP is counted as a skip in every format, never as a pass. */
#ifndef SHMLAB_CF_MATRIX_H
#define SHMLAB_CF_MATRIX_H

#include <stddef.h>
#include <stdio.h>

#include "conformance/checker/cf_platform.h"
#include "conformance/harness/cf_case.h"
#include "conformance/harness/cf_runner.h"

#ifdef __cplusplus
extern "C" {
#endif

enum cf_format { CF_FORMAT_TEXT, CF_FORMAT_JSON, CF_FORMAT_JUNIT, CF_FORMAT_MARKDOWN };

/* One row of the report; result is NULL when cases are listed, not run. */
struct cf_row {
    const struct cf_case *c;
    const struct cf_result *result;
};

/* Writes the report; returns 0, or -1 when the stream reported an error. */
int cf_matrix_write(FILE *out, enum cf_format format, const struct cf_platform *platform,
                    const struct cf_row *rows, size_t n);

/* One line of counts per mechanism and in all, e.g. for a terminal when the report goes to
 * a file; written into buf. */
void cf_matrix_summary(const struct cf_row *rows, size_t n, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif
