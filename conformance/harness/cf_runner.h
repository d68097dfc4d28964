/* Runs one case in a child process of its own and turns what happened into a verdict:
 * records the body wrote, how the child ended, and whether that matched the case's
 * expectation. Afterwards it removes every object the case registered, whatever the
 * outcome, so a failing or crashing case leaves nothing behind. */
#ifndef SHMLAB_CF_RUNNER_H
#define SHMLAB_CF_RUNNER_H

#include "conformance/harness/cf_case.h"

#ifdef __cplusplus
extern "C" {
#endif

enum cf_verdict {
    CF_PASS,
    CF_FAIL,   /* the rule was violated (or the case hung, or died unexpectedly) */
    CF_SKIP,   /* the case cannot run here; reason says why */
    CF_BROKEN, /* set-up failed before the rule could be checked */
};

struct cf_result {
    enum cf_verdict verdict;
    char reason[2048]; /* failures, skip or set-up reason; empty on PASS */
    char info[512];    /* platform facts the case reported */
    double seconds;
};

/* Seconds a case may take before it is killed and failed. */
#define CF_TIMEOUT_S 30

/* Runs c; returns 0, or -1 with errno when the runner itself could not (pipe, fork). */
int cf_run(const struct cf_case *c, struct cf_result *r);

const char *cf_verdict_name(enum cf_verdict v);

#ifdef __cplusplus
}
#endif

#endif
