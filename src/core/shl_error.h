/* Errors as values: the library never prints or exits, it tells its caller which call
 * failed and why, and the caller (a main) decides what a person sees. */
#ifndef SHMLAB_SHL_ERROR_H
#define SHMLAB_SHL_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct shl_error {
    const char *call; /* the failing call, e.g. "shmget"; NULL when there is no error */
    int errnum;       /* errno of that call, or an errno chosen for a rule shmlab enforces */
    char detail[96];  /* optional context: the name, key or path involved */
};

/* Records a failure of `call` with `errnum` and returns -1, so that a function can end
 * with `return shl_fail(err, "mmap", errno, "%s", path);`. `err` may be NULL. */
int shl_fail(struct shl_error *err, const char *call, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Writes "call(detail): strerror" into buf (always NUL-terminated); returns buf. */
const char *shl_error_text(const struct shl_error *err, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif
