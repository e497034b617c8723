package io.ferry.hypervisor.estimate;

/** Quantiles of the few recent migrations an estimate learns from. */
public final class Quantile {
    private Quantile() {}

    /**
     * Interpolated between the two nearest values (numpy's default); 0 of none. A new route has three or four migrations,
     * and the nearest value alone was then the most optimistic of them (measured: uncapped estimates 11 % short in the
     * median).
     */
    public static double of(double[] values, double q) {
        if (values.length == 0) {
            return 0;
        }
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        double at = q * (sorted.length - 1);
        int below = (int) Math.floor(at);
        int above = Math.min(sorted.length - 1, below + 1);
        return sorted[below] + (at - below) * (sorted[above] - sorted[below]);
    }
}
