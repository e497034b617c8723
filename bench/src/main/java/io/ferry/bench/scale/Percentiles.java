package io.ferry.bench.scale;

import java.util.Arrays;
import java.util.Collection;

/** Nearest-rank percentiles of a sample (no interpolation: every figure reported is one that was measured). */
public record Percentiles(int count, double p50, double p99, double max) {
    public static final Percentiles NONE = new Percentiles(0, Double.NaN, Double.NaN, Double.NaN);

    public static Percentiles of(Collection<? extends Number> values) {
        return of(values.stream().mapToDouble(Number::doubleValue).toArray());
    }

    public static Percentiles of(double[] values) {
        if (values.length == 0) {
            return NONE;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return new Percentiles(sorted.length, rank(sorted, 50), rank(sorted, 99), sorted[sorted.length - 1]);
    }

    /** The smallest value with at least {@code p} % of the sample at or below it. */
    static double rank(double[] sorted, double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
