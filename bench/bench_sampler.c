#include "bench/bench_sampler.h"

#include <errno.h>
#include <stdlib.h>

#include "src/timing/shl_clock.h"

int bench_sampler_init(struct bench_sampler *s, size_t min, size_t max, int64_t budget_ns,
                       struct shl_error *err)
{
    s->n = 0;
    s->min = min;
    s->max = max;
    s->samples = malloc((max ? max : 1) * sizeof *s->samples);
    if (s->samples == NULL)
        return shl_fail(err, "malloc", ENOMEM, "%zu samples", max);
    s->deadline_ns = shl_now_ns() + budget_ns;
    return 0;
}

int bench_sampler_more(const struct bench_sampler *s)
{
    return s->n < s->max && (s->n < s->min || shl_now_ns() < s->deadline_ns);
}
