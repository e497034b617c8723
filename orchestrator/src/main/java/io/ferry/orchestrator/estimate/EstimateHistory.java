package io.ferry.orchestrator.estimate;

import io.ferry.hypervisor.estimate.PrecopyModel;
import io.ferry.hypervisor.estimate.PrecopyModel.Overheads;
import io.ferry.orchestrator.migrations.MigrationsReadModel.Precopied;
import java.util.List;

/**
 * What ferry measured of its own recent migrations, for the model's link and overheads: the upper quartile of the
 * uncapped ones' round-1 rates (what the link carries here), and the lower quartile of the time outside pre-copy and the pause
 * (setup, storage, resume, network, round trips), for uncapped and capped migrations apart. Pure: the rows are passed in.
 *
 * @param measuredLinkMbps 0 when no uncapped migration is on record
 * @param uncappedOverheads what an uncapped migration spends outside its rounds and pause
 * @param cappedOverheads the same for a capped one
 * @param route whose migrations these are: one source and destination ("from hv-01 to hv-02"), two hosts' either way
 *     ("between hv-01 and hv-02"), or {@link #ALL_ROUTES}
 * @param laterRoundsFactor how much faster than round 1 the uncapped rounds after it ran (median, at least 1; 1 when
 *     none had a second round): QEMU's later passes send only dirty pages, found in its bitmap, where round 1 reads
 *     and checks every page of the guest (measured here: round 1 at 0.85-0.95 Gbit/s; QEMU's own rate at round 2's end 1.7-3.9)
 */
public record EstimateHistory(double measuredLinkMbps, Overheads uncappedOverheads, Overheads cappedOverheads, int migrations,
        double tailFactor, String route, double laterRoundsFactor) {
    public EstimateHistory(double measuredLinkMbps, Overheads uncappedOverheads, Overheads cappedOverheads, int migrations,
            double tailFactor, String route) {
        this(measuredLinkMbps, uncappedOverheads, cappedOverheads, migrations, tailFactor, route, 1);
    }

    /**
     * The migrations it reads, newest first. Few, so the estimate follows the hosts as they are now: a load that
     * came or went, JVMs still warming (measured here, a fresh stack's six warm-up migrations ran 0.6-1.0 s outside
     * their rounds, falling leg by leg; learnt from a route's three newest, with a cold one among them, uncapped 1 GiB
     * and QEMU estimates were +14 to +18 % in the median and 10 of 16 within ± 20 %; from the two hosts' newest four,
     * +2 to +7 % and 14 of 16, re-judged on the same runs). Four still give a quartile a neighbour to lean on.
     */
    static final int MIGRATIONS = 4;
    /** Two hosts' migrations are read once they have this many completed, in either direction. */
    static final int ROUTE_MINIMUM = 2;
    static final String ALL_ROUTES = "all routes";

    /**
     * From the newest rows: those from {@code source} to {@code destination} when there are enough of them, else
     * those between the two hosts either way, else every route's.
     */
    static EstimateHistory of(List<Precopied> newestFirst, String source, String destination) {
        return of(newestFirst.stream().filter(r -> r.went(source, destination)).toList(),
                newestFirst.stream().filter(r -> r.went(source, destination) || r.went(destination, source)).toList(),
                newestFirst, source, destination);
    }

    /**
     * The same from the route's own newest migrations, the two hosts' either way, and every route's (the route's may be
     * a subset of the two hosts').
     * The route's own come first once it has {@link #MIGRATIONS}: two hosts' path, load and memory can differ by
     * direction (measured here once: a guest sent back to the host it came from streamed round 1 at 6-7 Gbit/s, the
     * other way at 1.1-1.9). Until then the two hosts' migrations either way: a route's first few alone hold a cold
     * JVM's migration among too few warm ones.
     */
    static EstimateHistory of(List<Precopied> routeNewestFirst, List<Precopied> pairNewestFirst,
            List<Precopied> everyNewestFirst, String source, String destination) {
        if (routeNewestFirst.size() >= MIGRATIONS) {
            return of(routeNewestFirst.stream().limit(MIGRATIONS).toList(), "from " + source + " to " + destination);
        }
        if (pairNewestFirst.size() >= ROUTE_MINIMUM) {
            return of(pairNewestFirst.stream().limit(MIGRATIONS).toList(), "between " + source + " and " + destination);
        }
        return of(everyNewestFirst);
    }

    static EstimateHistory of(List<Precopied> newestFirst) {
        return of(newestFirst.stream().limit(MIGRATIONS).toList(), ALL_ROUTES);
    }

    private static EstimateHistory of(List<Precopied> rows, String route) {
        // The upper quartile: a link is slower than it is only by accident (a fresh JVM's first rounds run interpreted
        // code, measured here at half the rate of later ones; a busy host), never faster.
        if (rows.isEmpty()) {
            return new EstimateHistory(0, Overheads.DEFAULT, Overheads.DEFAULT, 0, 1, route);
        }
        double link = upperQuartile(rows.stream().filter(r -> r.capMbps() == 0 && r.round1Mbps() > 0)
                .mapToDouble(Precopied::round1Mbps).toArray());
        double downtime = median(rows.stream().mapToDouble(Precopied::downtimeMs).toArray());
        long switchover = Math.round(Math.min(downtime, Overheads.DEFAULT.switchoverMs() * 4));
        // The lower quartile, not the median: what a migration spends outside its rounds only ever grows by accident
        // (a fresh JVM's first migration costs 2-4 s more here, a busy host more), so the floor is the typical cost.
        // The stream's wait is apart, as it differs by kind by more than the target's margin: an uncapped stream first
        // waits for the destination to fault in the memory it will write (0.3-0.5 s per GiB used here), a capped one
        // starts at once, the destination's faulting staying ahead of it.
        double base = lowerQuartile(rows.stream().mapToDouble(r -> Math.max(0, r.totalMs() - r.precopyMs()
                - r.downtimeMs() - r.streamWaitMs())).toArray());
        double uncappedWait = median(rows.stream().filter(r -> r.capMbps() == 0).mapToDouble(Precopied::streamWaitMs).toArray());
        double cappedWait = median(rows.stream().filter(r -> r.capMbps() > 0).mapToDouble(Precopied::streamWaitMs).toArray());
        return new EstimateHistory(link, new Overheads(Math.round(base + uncappedWait), switchover),
                new Overheads(Math.round(base + cappedWait), switchover), rows.size(), Math.max(1, tailOf(rows)), route,
                Math.max(1, laterRoundsOf(rows)));
    }

    private static double laterRoundsOf(List<Precopied> rows) {
        double factor = median(rows.stream().filter(r -> r.capMbps() == 0 && r.round1Mbps() > 0 && r.laterRoundsMbps() > 0)
                .mapToDouble(r -> r.laterRoundsMbps() / r.round1Mbps()).toArray());
        return Double.isNaN(factor) ? 1 : factor;
    }

    private static double tailOf(List<Precopied> rows) {
        // QEMU's driver judges the remaining set at QEMU's recent rate, which runs above round 1's average (the
        // average holds the stream's start); the simulated driver reports the average itself, so its factor is 1.
        return median(rows.stream().filter(r -> r.capMbps() == 0 && r.round1Mbps() > 0)
                .mapToDouble(r -> Math.max(1, r.round1ThroughputMbps() / r.round1Mbps())).toArray());
    }

    /** What a migration under a policy with this cap (0: none) spends outside its rounds and pause. */
    public Overheads overheads(int bandwidthMbps) {
        return bandwidthMbps > 0 ? cappedOverheads : uncappedOverheads;
    }

    /** The link a policy gets: its cap when it has one, else the measured rate, else the default. */
    public double link(int bandwidthMbps) {
        if (bandwidthMbps > 0) {
            return measuredLinkMbps > 0 ? Math.min(bandwidthMbps, measuredLinkMbps) : bandwidthMbps;
        }
        return measuredLinkMbps > 0 ? measuredLinkMbps : PrecopyModel.DEFAULT_LINK_MBPS;
    }

    /** Where the link rate comes from, for the answer. */
    String linkSource(int bandwidthMbps) {
        if (bandwidthMbps > 0 && (measuredLinkMbps == 0 || measuredLinkMbps >= bandwidthMbps)) {
            return "the policy's bandwidth cap";
        }
        if (measuredLinkMbps == 0) {
            return "a default (no uncapped migration on record yet)";
        }
        return "the round-1 rate of ferry's last uncapped migrations " + (route.equals(ALL_ROUTES) ? "on all routes"
                : route) + " (upper quartile)";
    }

    private static double upperQuartile(double[] values) {
        return quantile(values, 0.75);
    }

    private static double lowerQuartile(double[] values) {
        return quantile(values, 0.25);
    }

    private static double median(double[] values) {
        return quantile(values, 0.5);
    }

    static double quantile(double[] values, double q) {
        return io.ferry.hypervisor.estimate.Quantile.of(values, q);
    }
}
