package io.ferry.hypervisor.estimate;

import java.util.List;

/**
 * What the model predicts for one migration.
 *
 * @param converges whether pre-copy converges under the policy (false: it would fail NOT_CONVERGING, the guest running on)
 * @param rounds pre-copy rounds until it converges or gives up
 * @param totalMs request to completion; when it does not converge, request to the failure
 * @param precopyMs the pre-copy's part of it
 * @param downtimeMs the guest's pause (0 when it does not converge: it is never paused)
 * @param throttlePercent the auto-converge throttle it ends with
 * @param bytes bytes the pre-copy sends
 * @param linkMbps the link rate the model assumed
 * @param why one sentence: why it converges or not
 * @param perRound each round the model played
 * @param remedies when it does not converge: what would make it (null when it converges)
 */
public record Estimate(boolean converges, int rounds, long totalMs, long precopyMs, long downtimeMs, int throttlePercent,
        long bytes, double linkMbps, String why, List<Round> perRound, Remedies remedies) {

    /** One predicted round: how long it takes and what it leaves dirty. */
    public record Round(int round, long pagesSent, long ms, long dirtyPagesLeft, long expectedDowntimeMs, int throttlePercent) {}

    /**
     * What would make a migration that does not converge converge; each null when nothing within reason does.
     *
     * @param bandwidthMbps the smallest link (and bandwidth cap) with which it converges, all else as asked
     * @param autoConvergeThrottlePercent with auto-converge allowed, the throttle it would converge at
     * @param maxDowntimeMs the smallest downtime limit with which it converges, all else as asked
     */
    public record Remedies(Integer bandwidthMbps, Integer autoConvergeThrottlePercent, Long maxDowntimeMs) {}
}
