package io.ferry.hypervisor.estimate;

import java.util.List;

/**
 * One of a guest's past migrations beside the rate its sample said when it was estimated: together they say how much
 * slower the guest dirtied pages while throttled under its own migration than it did sampled alone.
 *
 * @param sampledPagesPerSec the rate the guest's sample gave its estimate (fresh pages per second, unthrottled)
 * @param precopy its recorded rounds
 */
public record SampledPrecopy(double sampledPagesPerSec, RecordedPrecopy precopy) {
    /** A factor below this says more about a bad fit than about the guest; it is not believed further. */
    static final double LOWEST_FACTOR = 0.05;

    /**
     * The median, over the migrations whose throttled rounds say the guest's rate, of that rate over the sample's,
     * between {@link #LOWEST_FACTOR} and 1; 1 when none says it (the model then plays the sample's rate).
     */
    public static double throttledRateFactor(List<SampledPrecopy> history) {
        double[] ratios = history.stream().filter(h -> h.sampledPagesPerSec() > 0 && !h.precopy().isEmpty())
                .mapToDouble(h -> h.precopy().throttledRate().orElse(Double.NaN) / h.sampledPagesPerSec())
                .filter(r -> r > 0 && Double.isFinite(r)).toArray();
        return ratios.length == 0 ? 1 : Math.max(LOWEST_FACTOR, Math.min(1, Quantile.of(ratios, 0.5)));
    }
}
