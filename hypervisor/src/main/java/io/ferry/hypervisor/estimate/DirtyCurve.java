package io.ferry.hypervisor.estimate;

import java.util.ArrayList;
import java.util.List;

/**
 * How many distinct pages a guest dirties in {@code t} seconds: {@code W (1 - e^(-r t / W))}. A guest writes at
 * {@code r} fresh pages per second at first, and its dirty set saturates at its working set {@code W}, as writes start
 * to hit pages already dirty. A linear rate alone overestimates a small busy guest (it cannot dirty more pages than it
 * writes to) and a working set alone misses how fast a short round refills it; this curve holds both, and is fitted to
 * what a sample or a migration's recorded rounds saw.
 *
 * @param pagesPerSec the initial rate of fresh dirty pages, at no throttle
 * @param workingSetPages where the dirty set saturates
 */
public record DirtyCurve(double pagesPerSec, double workingSetPages) {
    /** A point at or above this share of the memory is taken as the whole memory: it no longer says a rate. */
    static final double SATURATED = 0.99;

    /** A guest that writes nothing. */
    public static final DirtyCurve IDLE = new DirtyCurve(0, 0);

    public DirtyCurve {
        if (!(pagesPerSec >= 0) || !(workingSetPages >= 0)) {
            throw new IllegalArgumentException("a dirty curve needs a rate and a working set of 0 or more, got "
                    + pagesPerSec + " pages/s over " + workingSetPages + " pages");
        }
    }

    /** Distinct pages dirtied in {@code seconds} with {@code throttlePercent} of the guest's CPU taken away. */
    public double pages(double seconds, int throttlePercent) {
        if (pagesPerSec == 0 || workingSetPages == 0 || seconds <= 0) {
            return 0;
        }
        double rate = pagesPerSec * (100 - throttlePercent) / 100.0;
        return workingSetPages * -Math.expm1(-rate * seconds / workingSetPages);
    }

    /** One observation: {@code pages} distinct pages were dirtied in {@code seconds}, unthrottled. */
    public record Point(double seconds, double pages) {}

    /**
     * The curve that best fits the points (least squares on the logarithm), its working set at most
     * {@code maxPages} (the guest's memory). Points of about the same length say only a rate at that length: the
     * fit then keeps the largest working set that explains them, the cautious reading for a longer round.
     */
    public static DirtyCurve fit(List<Point> observed, long maxPages) {
        List<Point> points = new ArrayList<>(observed.stream().filter(p -> p.seconds() > 0 && p.pages() > 0).toList());
        if (points.isEmpty() || maxPages <= 0) {
            return IDLE;
        }
        double most = points.stream().mapToDouble(Point::pages).max().orElseThrow();
        if (most >= maxPages) {
            // The guest dirtied all its memory: its working set is the memory, and only the points short of it say its
            // rate (a saturated point says no more than "at least its pages over its time").
            List<Point> unsaturated = points.stream().filter(p -> p.pages() < maxPages * SATURATED).toList();
            double rate = unsaturated.isEmpty() ? points.stream().mapToDouble(p -> p.pages() / p.seconds()).max().orElseThrow()
                    : unsaturated.stream().mapToDouble(p -> -maxPages * Math.log1p(-p.pages() / (double) maxPages) / p.seconds())
                            .average().orElseThrow();
            return new DirtyCurve(rate, maxPages);
        }
        DirtyCurve best = null;
        double bestError = Double.MAX_VALUE;
        // working sets from just above the largest set seen up to the whole memory, geometrically
        int steps = 240;
        double low = most * 1.0001;
        double ratio = Math.pow(Math.max(maxPages, low) / low, 1.0 / steps);
        for (int i = 0; i <= steps; i++) {
            double w = Math.min(maxPages, low * Math.pow(ratio, i));
            double rate = 0;
            for (Point p : points) {
                rate += -w * Math.log1p(-p.pages() / w) / p.seconds();
            }
            DirtyCurve candidate = new DirtyCurve(rate / points.size(), w);
            double error = 0;
            for (Point p : points) {
                double e = Math.log(candidate.pages(p.seconds(), 0) / p.pages());
                error += e * e;
            }
            if (error <= bestError * 1.000001 + 1e-12) { // ties go to the larger working set
                bestError = Math.min(error, bestError);
                best = candidate;
            }
        }
        return best;
    }
}
