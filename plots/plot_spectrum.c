#include "plots/plot_spectrum.h"

size_t plot_spectrum(const struct shl_hist *h, struct plot_spectrum_point *out, size_t max)
{
    double last_x = (double)h->total < PLOT_SPECTRUM_MAX_X ? (double)h->total : PLOT_SPECTRUM_MAX_X;
    size_t n = 0;
    struct shl_hist_pct_iter it;
    shl_hist_pct_begin(&it, 5);
    while (shl_hist_pct_next(h, &it)) {
        if (it.percentile >= 100.0)
            break;
        double x = 1.0 / (1.0 - it.percentile / 100.0);
        if (x > last_x)
            break;
        if (n < max)
            out[n] = (struct plot_spectrum_point){x, (double)it.value};
        n++;
    }
    return n;
}
