package io.ferry.agent.switchover;

import io.ferry.agent.storage.Handoff;
import java.time.Duration;
import java.time.Instant;

/**
 * Where one blackout went, in microseconds: the source's phases as it wrote them into the handoff, and the
 * destination's own. {@code otherUs} is what the phases leave unexplained (waits between the hosts, scheduling), so
 * the parts add up to {@code totalUs}; the total and the handoff span both hosts' clocks. The last page runs until
 * the destination has it loaded: a destination still loading the tail when the source handed over adds that wait to
 * it.
 *
 * @param deviceStateUs null when the driver sends the device state inside the tail (QEMU)
 * @param authorisationWaitUs how long the guest sat paused before its switchover was authorised (0 normally)
 */
public record Breakdown(long totalUs, long lastPageUs, Long deviceStateUs, long digestCheckUs, long storageHandoffUs,
        long resumeUs, long otherUs, long authorisationWaitUs) {

    /**
     * @param arrivedAt when the whole stream had arrived here and was checked (may be after the source's handoff: a
     *     destination still loading the tail counts to the last page, not to the storage handoff)
     * @param takenAt when this host took the lease the source handed over
     * @param resumedAt when the guest ran here
     */
    public static Breakdown of(Handoff handoff, Instant arrivedAt, Instant takenAt, Instant resumedAt) {
        Handoff.SourceTimes source = handoff.times();
        long total = micros(handoff.pausedAt(), resumedAt);
        long loadingAfterHandoff = micros(handoff.handedOverAt(), arrivedAt);
        long lastPage = source.lastPageUs() + loadingAfterHandoff;
        long storage = micros(arrivedAt.isAfter(handoff.handedOverAt()) ? arrivedAt : handoff.handedOverAt(), takenAt);
        long resume = micros(takenAt, resumedAt);
        Long deviceState = source.deviceStateUs() < 0 ? null : source.deviceStateUs();
        long explained = source.authorisationWaitUs() + lastPage + (deviceState == null ? 0 : deviceState)
                + source.digestUs() + storage + resume;
        return new Breakdown(total, lastPage, deviceState, source.digestUs(), storage, resume,
                Math.max(0, total - explained), source.authorisationWaitUs());
    }

    private static long micros(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toNanos() / 1_000);
    }
}
