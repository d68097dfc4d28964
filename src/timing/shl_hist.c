#include "src/timing/shl_hist.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* 3 significant digits: values below 2 * 10^3 need a bucket each, so the first range holds
 * 2^11 = 2048 of them and every later range halves its resolution. */
enum {
    sub_bucket_magnitude = 11,
    sub_bucket_count = 1 << sub_bucket_magnitude,
    half_magnitude = sub_bucket_magnitude - 1,
    half_count = 1 << half_magnitude,
};

static int bucket_of(int64_t value)
{
    uint64_t v = (uint64_t)value | (sub_bucket_count - 1);
    return (64 - __builtin_clzll(v)) - sub_bucket_magnitude;
}

int shl_hist_index_of(const struct shl_hist *h, int64_t value)
{
    (void)h;
    int bucket = bucket_of(value);
    int sub = (int)(value >> bucket);
    return ((bucket + 1) << half_magnitude) + (sub - half_count);
}

static int64_t value_at_index(int index)
{
    int bucket = (index >> half_magnitude) - 1;
    int64_t sub = (index & (half_count - 1)) + half_count;
    if (bucket < 0) {
        sub -= half_count;
        bucket = 0;
    }
    return sub << bucket;
}

int64_t shl_hist_lowest_equivalent(const struct shl_hist *h, int64_t value)
{
    (void)h;
    int bucket = bucket_of(value);
    return (value >> bucket) << bucket;
}

int64_t shl_hist_highest_equivalent(const struct shl_hist *h, int64_t value)
{
    (void)h;
    int bucket = bucket_of(value);
    return ((value >> bucket) << bucket) + ((int64_t)1 << bucket) - 1;
}

static int64_t median_equivalent(int64_t value)
{
    int bucket = bucket_of(value);
    return ((value >> bucket) << bucket) + (((int64_t)1 << bucket) >> 1);
}

int shl_hist_init(struct shl_hist *h, int64_t highest, struct shl_error *err)
{
    memset(h, 0, sizeof *h);
    if (highest < 2)
        return shl_fail(err, "shl_hist_init", EINVAL, "highest %lld below 2", (long long)highest);
    int buckets = 1;
    for (int64_t untrackable = sub_bucket_count; untrackable <= highest; untrackable <<= 1) {
        buckets++;
        if (untrackable > INT64_MAX / 2)
            break;
    }
    h->highest = highest;
    h->bucket_count = buckets;
    h->sub_bucket_count = sub_bucket_count;
    h->counts_len = (buckets + 1) * half_count;
    h->counts = calloc((size_t)h->counts_len, sizeof *h->counts);
    if (h->counts == NULL)
        return shl_fail(err, "calloc", ENOMEM, "%d histogram counts", h->counts_len);
    shl_hist_reset(h);
    return 0;
}

void shl_hist_free(struct shl_hist *h)
{
    free(h->counts);
    h->counts = NULL;
}

void shl_hist_reset(struct shl_hist *h)
{
    if (h->counts != NULL)
        memset(h->counts, 0, (size_t)h->counts_len * sizeof *h->counts);
    h->total = h->clamped = 0;
    h->min = INT64_MAX;
    h->max = 0;
    h->sum = 0;
}

void shl_hist_record_n(struct shl_hist *h, int64_t value, uint64_t count)
{
    if (count == 0)
        return;
    if (value < 0)
        value = 0;
    if (value > h->highest) {
        value = h->highest;
        h->clamped += count;
    }
    h->counts[shl_hist_index_of(h, value)] += count;
    h->total += count;
    h->sum += (double)value * (double)count;
    if (value < h->min)
        h->min = value;
    if (value > h->max)
        h->max = value;
}

int shl_hist_merge(struct shl_hist *dst, const struct shl_hist *src, struct shl_error *err)
{
    if (dst->highest != src->highest)
        return shl_fail(err, "shl_hist_merge", EINVAL, "highest %lld against %lld",
                        (long long)dst->highest, (long long)src->highest);
    for (int i = 0; i < dst->counts_len; i++)
        dst->counts[i] += src->counts[i];
    dst->total += src->total;
    dst->clamped += src->clamped;
    dst->sum += src->sum;
    if (src->total > 0) {
        if (src->min < dst->min)
            dst->min = src->min;
        if (src->max > dst->max)
            dst->max = src->max;
    }
    return 0;
}

int shl_hist_next(const struct shl_hist *h, struct shl_hist_iter *it)
{
    while (it->index < h->counts_len) {
        int i = it->index++;
        if (h->counts[i] == 0)
            continue;
        it->lowest = value_at_index(i);
        it->highest = shl_hist_highest_equivalent(h, it->lowest);
        it->count = h->counts[i];
        it->cumulative += it->count;
        return 1;
    }
    return 0;
}

int64_t shl_hist_value_at_percentile(const struct shl_hist *h, double p)
{
    if (h->total == 0)
        return 0;
    if (p <= 0)
        return h->min;
    if (p >= 100)
        return h->max;
    uint64_t rank = (uint64_t)(p / 100.0 * (double)h->total + 0.5);
    if (rank < 1)
        rank = 1;
    struct shl_hist_iter it = {0};
    while (shl_hist_next(h, &it))
        if (it.cumulative >= rank)
            return it.highest < h->max ? it.highest : h->max;
    return h->max;
}

double shl_hist_mean(const struct shl_hist *h)
{
    return h->total == 0 ? 0 : h->sum / (double)h->total;
}

double shl_hist_stddev(const struct shl_hist *h)
{
    if (h->total == 0)
        return 0;
    double mean = shl_hist_mean(h), squares = 0;
    struct shl_hist_iter it = {0};
    while (shl_hist_next(h, &it)) {
        double d = (double)median_equivalent(it.lowest) - mean;
        squares += d * d * (double)it.count;
    }
    return sqrt(squares / (double)h->total);
}

void shl_hist_pct_begin(struct shl_hist_pct_iter *it, int ticks_per_half_distance)
{
    memset(it, 0, sizeof *it);
    it->ticks_per_half_distance = ticks_per_half_distance > 0 ? ticks_per_half_distance : 1;
}

int shl_hist_pct_next(const struct shl_hist *h, struct shl_hist_pct_iter *it)
{
    if (it->done || h->total == 0)
        return 0;
    if (it->started && it->bucket.cumulative >= h->total) {
        /* Every bucket is behind: the closing line is 100% at the last value. */
        it->percentile = 100.0;
        it->done = 1;
        return 1;
    }
    if (!it->started) {
        it->started = 1;
        shl_hist_next(h, &it->bucket);
    }
    for (;;) {
        double reached = 100.0 * (double)it->bucket.cumulative / (double)h->total;
        if (it->next_percentile <= reached) {
            it->percentile = it->next_percentile;
            it->value = it->bucket.highest;
            it->cumulative = it->bucket.cumulative;
            /* Halving the distance to 100% doubles the number of steps across it. */
            int halvings = (int)(log(100.0 / (100.0 - it->next_percentile)) / log(2.0)) + 1;
            double ticks = it->ticks_per_half_distance * ldexp(1.0, halvings);
            it->next_percentile += 100.0 / ticks;
            return 1;
        }
        if (!shl_hist_next(h, &it->bucket)) {
            it->percentile = 100.0;
            it->done = 1;
            return 1;
        }
    }
}

int shl_hist_write_hgrm(const struct shl_hist *h, FILE *out, double value_scale,
                        struct shl_error *err)
{
    if (value_scale <= 0)
        return shl_fail(err, "shl_hist_write_hgrm", EINVAL, "value scale %g", value_scale);
    fprintf(out, "%12s %14s %10s %14s\n\n", "Value", "Percentile", "TotalCount",
            "1/(1-Percentile)");
    struct shl_hist_pct_iter it;
    shl_hist_pct_begin(&it, 5);
    while (shl_hist_pct_next(h, &it)) {
        double fraction = it.percentile / 100.0;
        if (it.percentile >= 100.0)
            fprintf(out, "%12.3f %2.12f %10llu\n", (double)it.value / value_scale, fraction,
                    (unsigned long long)it.cumulative);
        else
            fprintf(out, "%12.3f %2.12f %10llu %14.2f\n", (double)it.value / value_scale, fraction,
                    (unsigned long long)it.cumulative, 1.0 / (1.0 - fraction));
    }
    fprintf(out, "#[Mean    = %12.3f, StdDeviation   = %12.3f]\n", shl_hist_mean(h) / value_scale,
            shl_hist_stddev(h) / value_scale);
    fprintf(out, "#[Max     = %12.3f, Total count    = %12llu]\n", (double)h->max / value_scale,
            (unsigned long long)h->total);
    fprintf(out, "#[Buckets = %12d, SubBuckets     = %12d]\n", h->bucket_count,
            h->sub_bucket_count);
    if (ferror(out))
        return shl_fail(err, "fprintf", EIO, ".hgrm");
    return 0;
}

static const char base64_digits[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static size_t put_varint(unsigned char *out, int64_t v)
{
    uint64_t zz = ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
    size_t n = 0;
    do {
        unsigned char byte = zz & 0x7f;
        zz >>= 7;
        out[n++] = byte | (zz ? 0x80 : 0);
    } while (zz);
    return n;
}

char *shl_hist_encode(const struct shl_hist *h, struct shl_error *err)
{
    int last = -1;
    for (int i = 0; i < h->counts_len; i++)
        if (h->counts[i] != 0)
            last = i;
    /* At most one varint of 10 bytes per index. */
    unsigned char *raw = malloc((size_t)(last + 2) * 10);
    if (raw == NULL) {
        shl_fail(err, "malloc", ENOMEM, "histogram encoding");
        return NULL;
    }
    size_t len = 0;
    for (int i = 0; i <= last;) {
        if (h->counts[i] == 0) {
            int run = i;
            while (h->counts[run] == 0)
                run++;
            len += put_varint(raw + len, -(int64_t)(run - i));
            i = run;
        } else {
            len += put_varint(raw + len, (int64_t)h->counts[i]);
            i++;
        }
    }
    char *text = malloc((len + 2) / 3 * 4 + 1);
    if (text == NULL) {
        free(raw);
        shl_fail(err, "malloc", ENOMEM, "histogram encoding");
        return NULL;
    }
    size_t o = 0;
    for (size_t i = 0; i < len; i += 3) {
        uint32_t chunk = (uint32_t)raw[i] << 16;
        if (i + 1 < len)
            chunk |= (uint32_t)raw[i + 1] << 8;
        if (i + 2 < len)
            chunk |= raw[i + 2];
        text[o++] = base64_digits[(chunk >> 18) & 63];
        text[o++] = base64_digits[(chunk >> 12) & 63];
        text[o++] = i + 1 < len ? base64_digits[(chunk >> 6) & 63] : '=';
        text[o++] = i + 2 < len ? base64_digits[chunk & 63] : '=';
    }
    text[o] = '\0';
    free(raw);
    return text;
}

static int base64_value(char c)
{
    const char *p = c != '\0' ? strchr(base64_digits, c) : NULL;
    return p == NULL ? -1 : (int)(p - base64_digits);
}

/* Decodes base64 text into a malloc'ed buffer; -1 on a malformed string. */
static int base64_decode(const char *text, unsigned char **out, size_t *len)
{
    size_t n = strlen(text);
    if (n % 4 != 0)
        return -1;
    unsigned char *raw = malloc(n / 4 * 3 + 1);
    if (raw == NULL)
        return -1;
    size_t o = 0;
    for (size_t i = 0; i < n; i += 4) {
        int pad = text[i + 3] != '=' ? 0 : text[i + 2] != '=' ? 1 : 2;
        if ((pad > 0 && i + 4 != n) || (pad == 0 && text[i + 2] == '='))
            goto bad;
        uint32_t chunk = 0;
        for (int k = 0; k < 4; k++) {
            int d = k >= 4 - pad ? 0 : base64_value(text[i + k]);
            if (d < 0)
                goto bad;
            chunk = chunk << 6 | (uint32_t)d;
        }
        raw[o++] = (unsigned char)(chunk >> 16);
        if (pad < 2)
            raw[o++] = (unsigned char)(chunk >> 8);
        if (pad < 1)
            raw[o++] = (unsigned char)chunk;
    }
    *out = raw;
    *len = o;
    return 0;
bad:
    free(raw);
    return -1;
}

int shl_hist_decode(struct shl_hist *h, const char *text, struct shl_error *err)
{
    unsigned char *raw;
    size_t len;
    if (base64_decode(text, &raw, &len) != 0)
        return shl_fail(err, "shl_hist_decode", EINVAL, "counts are not base64");
    shl_hist_reset(h);
    int index = 0;
    for (size_t p = 0; p < len;) {
        uint64_t zz = 0;
        int shift = 0;
        for (;;) {
            if (p == len || shift > 63) {
                free(raw);
                return shl_fail(err, "shl_hist_decode", EINVAL, "truncated varint");
            }
            unsigned char byte = raw[p++];
            zz |= (uint64_t)(byte & 0x7f) << shift;
            shift += 7;
            if (!(byte & 0x80))
                break;
        }
        int64_t v = (int64_t)(zz >> 1) ^ -(int64_t)(zz & 1);
        if (v < 0 && -v <= h->counts_len - index) {
            index += (int)-v;
            continue;
        }
        if (v <= 0 || index >= h->counts_len) {
            free(raw);
            return shl_fail(err, "shl_hist_decode", EINVAL, "count %lld at index %d of %d",
                            (long long)v, index, h->counts_len);
        }
        int64_t low = value_at_index(index);
        h->counts[index++] = (uint64_t)v;
        h->total += (uint64_t)v;
        h->sum += (double)median_equivalent(low) * (double)v;
        if (low < h->min)
            h->min = low;
        h->max = shl_hist_highest_equivalent(h, low);
    }
    free(raw);
    return 0;
}
