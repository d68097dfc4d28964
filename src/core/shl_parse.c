#include "src/core/shl_parse.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

/* strtoull accepts leading blanks and a sign (and wraps "-1" to the maximum), so the
 * first character is checked to be a digit before it is called. */
static int parse_unsigned(const char *s, int base, unsigned long long *out, char **end,
                          const char *what, struct shl_error *err)
{
    if (s == NULL || !isdigit((unsigned char)s[0]))
        return shl_fail(err, what, EINVAL, "'%s' is not a number", s == NULL ? "" : s);
    errno = 0;
    *out = strtoull(s, end, base);
    if (errno == ERANGE)
        return shl_fail(err, what, ERANGE, "'%s'", s);
    return 0;
}

int shl_parse_size(const char *s, size_t *out, struct shl_error *err)
{
    unsigned long long v;
    char *end;
    if (parse_unsigned(s, 10, &v, &end, "size", err) != 0)
        return -1;
    unsigned shift = 0;
    switch (*end) {
    case '\0': break;
    case 'K':
    case 'k':
        shift = 10;
        end++;
        break;
    case 'M':
    case 'm':
        shift = 20;
        end++;
        break;
    case 'G':
    case 'g':
        shift = 30;
        end++;
        break;
    case 'T':
    case 't':
        shift = 40;
        end++;
        break;
    default: end = NULL; break;
    }
    if (end == NULL || *end != '\0')
        return shl_fail(err, "size", EINVAL, "'%s' is not a byte count (digits, then K, M, G or T)",
                        s);
    if (v > (SIZE_MAX >> shift))
        return shl_fail(err, "size", ERANGE, "'%s'", s);
    *out = (size_t)(v << shift);
    return 0;
}

int shl_parse_mode(const char *s, mode_t *out, struct shl_error *err)
{
    unsigned long long v;
    char *end;
    if (parse_unsigned(s, 8, &v, &end, "mode", err) != 0)
        return -1;
    if (*end != '\0' || v > 07777)
        return shl_fail(err, "mode", EINVAL, "'%s' is not an octal mode up to 07777", s);
    *out = (mode_t)v;
    return 0;
}

int shl_parse_key(const char *s, key_t *out, struct shl_error *err)
{
    int negative = s != NULL && s[0] == '-';
    unsigned long long v;
    char *end;
    if (parse_unsigned(negative ? s + 1 : s, 0, &v, &end, "key", err) != 0)
        return -1;
    if (*end != '\0')
        return shl_fail(err, "key", EINVAL, "'%s' is not a number", s);
    /* A key is 32 bits: either a non-negative value up to UINT32_MAX (as ipcs prints it in
     * hex) or a negative one down to INT32_MIN. */
    if (negative ? v > (unsigned long long)INT32_MAX + 1 : v > UINT32_MAX)
        return shl_fail(err, "key", ERANGE, "'%s' does not fit in 32 bits", s);
    *out = negative ? (key_t)(-(long long)v) : (key_t)(uint32_t)v;
    return 0;
}

int shl_parse_uint(const char *s, unsigned max, unsigned *out, struct shl_error *err)
{
    unsigned long long v;
    char *end;
    if (parse_unsigned(s, 10, &v, &end, "number", err) != 0)
        return -1;
    if (*end != '\0' || v > max)
        return shl_fail(err, "number", EINVAL, "'%s' is not a whole number up to %u", s, max);
    *out = (unsigned)v;
    return 0;
}
