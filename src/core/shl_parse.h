/* Strict parsing of the numbers a person types: the whole string must be the number,
 * with no sign where none makes sense, no overflow and no trailing junk, so that
 * `--size 10x` or `--key 99999999999` is an error and not a silently different value. */
#ifndef SHMLAB_SHL_PARSE_H
#define SHMLAB_SHL_PARSE_H

#include <stddef.h>
#include <sys/types.h>

#include "src/core/shl_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A byte count: decimal digits with an optional binary suffix K, M, G (KiB, MiB, GiB),
 * e.g. "4096", "64K", "1M". Zero is accepted; callers that need more check themselves. */
int shl_parse_size(const char *s, size_t *out, struct shl_error *err);

/* Permission bits in octal, at most 07777 (e.g. "0600", "644"). */
int shl_parse_mode(const char *s, mode_t *out, struct shl_error *err);

/* A System V key: decimal, 0x-hex or 0-octal, in the range of a 32-bit key_t; negative
 * decimal values are accepted because ipcs prints some keys that way. */
int shl_parse_key(const char *s, key_t *out, struct shl_error *err);

/* A non-negative int (decimal), e.g. an ftok project id or a count, at most `max`. */
int shl_parse_uint(const char *s, unsigned max, unsigned *out, struct shl_error *err);

#ifdef __cplusplus
}
#endif

#endif
