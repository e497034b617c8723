package io.ferry.hypervisor.estimate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A migration's recorded pre-copy (its PrecopyRoundCompleted events) read back as what the model needs: the guest's
 * dirty curve fitted to what each unthrottled round left behind in its time, its used and zero pages from round 1, and
 * the link rate round 1 reached. A what-if plays these through {@link PrecopyModel} under another policy.
 *
 * @param memoryPages the guest's pages
 */
public record RecordedPrecopy(long memoryPages, List<Round> rounds) {
    /** A throttled round this many periods long or longer says the guest's rate. */
    static final int THROTTLE_PERIODS = 2;

    /** One recorded round, as CopyProgress carries it. */
    public record Round(int round, long pagesSent, long bytesSent, long zeroPages, long dirtyPagesRemaining, long roundMs,
            int throttlePercent) {
        /** What it left dirty over the time the guest ran: a round throttled t % ran it (100 - t) % of its time. */
        DirtyCurve.Point asUnthrottled() {
            return new DirtyCurve.Point(roundMs / 1000.0 * (100 - throttlePercent) / 100, dirtyPagesRemaining);
        }
    }

    public RecordedPrecopy {
        rounds = List.copyOf(rounds);
    }

    public boolean isEmpty() {
        return rounds.isEmpty();
    }

    /**
     * The guest as its rounds showed it. A round throttled t % ran the guest for (100 - t) % of its time, and the model
     * has a throttled guest dirty what it would unthrottled in that share ({@link DirtyCurve#pages}), so it counts as
     * that much unthrottled time: for a guest that dirties all its memory in every unthrottled round, the throttled
     * rounds are the only ones that show its rate.
     */
    public GuestSample guest(Instant at) {
        List<DirtyCurve.Point> points = new ArrayList<>();
        for (Round r : rounds) {
            if (r.roundMs() > 0 && r.throttlePercent() < 100) {
                points.add(r.asUnthrottled());
            }
        }
        DirtyCurve curve = DirtyCurve.fit(points, memoryPages);
        Round first = rounds.getFirst();
        long window = rounds.stream().mapToLong(Round::roundMs).sum();
        return new GuestSample(at, window, curve.pagesPerSec(), curve.workingSetPages(), memoryPages, first.pagesSent(),
                first.zeroPages());
    }

    /**
     * Whether every round left (nearly) all the memory dirty: such rounds say only that the guest writes at least its
     * memory per round, not how much faster, and a what-if read from them alone names too small a link.
     */
    public boolean onlyBoundsTheRate() {
        return rounds.stream().filter(r -> r.roundMs() > 0).allMatch(r -> r.dirtyPagesRemaining() >= memoryPages * DirtyCurve.SATURATED);
    }

    /**
     * The guest as its rounds showed it, its rate taken from {@code sampled} (a sample taken apart from the migration,
     * over windows short enough to see it) when the rounds only bound it and the sample says more.
     */
    public GuestSample guest(Instant at, java.util.Optional<GuestSample> sampled) {
        GuestSample own = guest(at);
        if (!onlyBoundsTheRate() || sampled.isEmpty() || sampled.get().dirtyPagesPerSec() <= own.dirtyPagesPerSec()) {
            return own;
        }
        return new GuestSample(at, own.windowMs(), sampled.get().dirtyPagesPerSec(), own.workingSetPages(), memoryPages,
                own.usedPages(), own.zeroPages());
    }

    /**
     * The rate its guest dirtied pages at while throttled, as its throttled rounds showed it (each counted as the share
     * of its time the guest ran, as {@link #guest(Instant)} does); empty when it has no throttled round long enough to
     * say it. A throttled guest runs in slices ({@link io.ferry.hypervisor.Convergence#THROTTLE_SLICE_MS} of every {@code slice / (1 - throttle)}, as
     * QEMU's auto-converge and the simulated guest do), so a round shorter than a few such periods saw a whole slice or
     * none, and says nothing of the rate; nor does one that left all the memory dirty.
     */
    public java.util.OptionalDouble throttledRate() {
        List<DirtyCurve.Point> points = new ArrayList<>();
        for (Round r : rounds) {
            if (r.throttlePercent() > 0 && r.throttlePercent() < 100 && r.dirtyPagesRemaining() > 0
                    && r.dirtyPagesRemaining() < memoryPages * DirtyCurve.SATURATED
                    && r.roundMs() >= THROTTLE_PERIODS * io.ferry.hypervisor.Convergence.THROTTLE_SLICE_MS * 100.0 / (100 - r.throttlePercent())) {
                points.add(r.asUnthrottled());
            }
        }
        return points.isEmpty() ? java.util.OptionalDouble.empty()
                : java.util.OptionalDouble.of(DirtyCurve.fit(points, memoryPages).pagesPerSec());
    }

    /**
     * How much faster than round 1 its later rounds ran (their bytes over their time, over round 1's rate), at least 1;
     * 1 without a later round. QEMU's later passes send only the dirty pages, where round 1 reads every page.
     */
    public double laterRoundsFactor() {
        Round first = rounds.getFirst();
        long bytes = rounds.stream().skip(1).mapToLong(Round::bytesSent).sum();
        long ms = rounds.stream().skip(1).mapToLong(Round::roundMs).sum();
        if (ms <= 0 || bytes <= 0 || first.roundMs() <= 0 || first.bytesSent() <= 0) {
            return 1;
        }
        return Math.max(1, ((double) bytes / ms) / ((double) first.bytesSent() / first.roundMs()));
    }

    /** The link rate the largest round reached, in Mbit/s (rounds too short to measure a link are left aside). */
    public double linkMbps() {
        Round largest = rounds.stream().max(java.util.Comparator.comparingLong(Round::bytesSent)).orElseThrow();
        return largest.roundMs() <= 0 ? 0 : largest.bytesSent() * 8.0 / 1000 / largest.roundMs();
    }
}
