/* The channel from a case's processes to the runner: one record per line, each written
 * with a single write() so that records from several processes of a case never mix.
 * Internal to the harness. */
#ifndef SHMLAB_CF_REPORT_H
#define SHMLAB_CF_REPORT_H

#ifdef __cplusplus
extern "C" {
#endif

/* Record kinds, the first character of a line. */
#define CF_REC_FAIL 'F'
#define CF_REC_SKIP 'S'
#define CF_REC_BROKEN 'B'
#define CF_REC_INFO 'I'
#define CF_REC_SYSV 'V'  /* "V <shmid> <creator pid>" */
#define CF_REC_POSIX 'P' /* "P <name>" */
#define CF_REC_FILE 'L'  /* "L <path>" */

/* The exit status of a process of a case that skipped it: a helper's skip ends its parent
 * too (cf_reap_at), so that the rest of the body never judges what the helper did not do. */
#define CF_SKIP_STATUS 77

/* Set by the runner in the case's child before the body runs. */
extern int cf_report_fd;

void cf_record(char kind, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#ifdef __cplusplus
}
#endif

#endif
