#include "src/core/shl_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int shl_fail(struct shl_error *err, const char *call, int errnum, const char *fmt, ...)
{
    if (err == NULL)
        return -1;
    err->call = call;
    err->errnum = errnum;
    err->detail[0] = '\0';
    if (fmt != NULL) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->detail, sizeof err->detail, fmt, ap);
        va_end(ap);
    }
    return -1;
}

const char *shl_error_text(const struct shl_error *err, char *buf, size_t len)
{
    if (len == 0)
        return buf;
    if (err == NULL || err->call == NULL) {
        snprintf(buf, len, "no error");
        return buf;
    }
    if (err->detail[0] != '\0')
        snprintf(buf, len, "%s(%s): %s", err->call, err->detail, strerror(err->errnum));
    else
        snprintf(buf, len, "%s: %s", err->call, strerror(err->errnum));
    return buf;
}
