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

    /** One recorded round, as CopyProgress carries it. */
    public record Round(int round, long pagesSent, long bytesSent, long zeroPages, long dirtyPagesRemaining, long roundMs,
            int throttlePercent) {}

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
                points.add(new DirtyCurve.Point(r.roundMs() / 1000.0 * (100 - r.throttlePercent()) / 100,
                        r.dirtyPagesRemaining()));
            }
        }
        DirtyCurve curve = DirtyCurve.fit(points, memoryPages);
        Round first = rounds.getFirst();
        long window = rounds.stream().mapToLong(Round::roundMs).sum();
        return new GuestSample(at, window, curve.pagesPerSec(), curve.workingSetPages(), memoryPages, first.pagesSent(),
                first.zeroPages());
    }

    /** The link rate the largest round reached, in Mbit/s (rounds too short to measure a link are left aside). */
    public double linkMbps() {
        Round largest = rounds.stream().max(java.util.Comparator.comparingLong(Round::bytesSent)).orElseThrow();
        return largest.roundMs() <= 0 ? 0 : largest.bytesSent() * 8.0 / 1000 / largest.roundMs();
    }
}
