package io.ferry.orchestrator.core;

import java.time.Instant;

/**
 * What the pre-copy model predicted for a migration when it was requested, kept in its first event so that, once it
 * ends, estimate and actual stand side by side.
 *
 * @param converges false: predicted to fail NOT_CONVERGING
 * @param totalMs request to completion (to the failure when it does not converge)
 * @param downtimeMs 0 when it does not converge
 * @param sampledAt when the guest sample it rests on was taken; null: there was none
 * @param bandwidthNeededMbps when it does not converge, the link that would make it (null: none, or it converges)
 * @param autoConvergeThrottlePercent when it does not converge, the throttle auto-converge would reach (null: no help)
 * @param maxDowntimeNeededMs when it does not converge, the downtime limit that would make it (null: none)
 * @param sampledDirtyPagesPerSec the dirty rate the guest's sample gave (null: no sample): beside the migration's
 *     throttled rounds, how much slower the guest wrote under its own migration
 */
public record Forecast(boolean converges, int rounds, long totalMs, long precopyMs, long downtimeMs, int throttlePercent,
        double linkMbps, String why, Instant sampledAt, Integer bandwidthNeededMbps, Integer autoConvergeThrottlePercent,
        Long maxDowntimeNeededMs, Double sampledDirtyPagesPerSec) {}
