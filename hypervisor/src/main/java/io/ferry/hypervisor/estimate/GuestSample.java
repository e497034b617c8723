package io.ferry.hypervisor.estimate;

import java.time.Instant;

/**
 * What a source measured of one running guest over a short window, without migrating it: enough for the model to
 * predict a pre-copy. Cheap to take and refreshed now and then, so an estimate needs no round trip to the agent.
 *
 * @param sampledAt when the window ended (the agent's clock)
 * @param windowMs how long the guest was watched
 * @param dirtyPagesPerSec fresh pages dirtied per second at the start of the window
 * @param workingSetPages where the guest's dirty set saturates (its pages when it never does)
 * @param memoryPages the guest's pages
 * @param usedPages pages the guest has used: what round 1 sends
 * @param zeroPages of those, pages that are all zeros (sent as a marker only)
 */
public record GuestSample(Instant sampledAt, long windowMs, double dirtyPagesPerSec, double workingSetPages, long memoryPages,
        long usedPages, long zeroPages) {
    public DirtyCurve curve() {
        return new DirtyCurve(dirtyPagesPerSec, workingSetPages);
    }

    /** Pages dirtied per second over the whole window, as QEMU's calc-dirty-rate reports it. */
    public double windowRatePagesPerSec() {
        return windowMs <= 0 ? 0 : curve().pages(windowMs / 1000.0, 0) * 1000.0 / windowMs;
    }
}
