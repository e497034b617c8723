package io.ferry.orchestrator.whatif;

import io.ferry.hypervisor.estimate.Estimate;
import io.ferry.orchestrator.core.Policy;

/**
 * A what-if's answer: what happened, what the model says of what happened (how far to trust it), what it says would
 * have happened under the other policy, the guest as its rounds showed it, and one sentence.
 */
record WhatIfView(String migrationId, String vmId, Actual actual, Model asRecorded, Model whatIf, Guest guest,
        String answer) {

    /** @param converged true: completed; false: failed NOT_CONVERGING; null: ended otherwise, or still running */
    record Actual(Boolean converged, String failureReason, int rounds, Long totalMs, Long downtimeMs, PolicyView policy) {}

    record Model(PolicyView policy, boolean converges, int rounds, long totalMs, long precopyMs, long downtimeMs,
            int throttlePercent, double linkMbps, String why, Estimate.Remedies remedies) {
        static Model of(Estimate e, Policy p) {
            return new Model(PolicyView.of(p), e.converges(), e.rounds(), e.totalMs(), e.precopyMs(), e.downtimeMs(),
                    e.throttlePercent(), Math.round(e.linkMbps() * 10) / 10.0, e.why(), e.remedies());
        }
    }

    record PolicyView(long maxDowntimeMs, int bandwidthMbps, int maxRounds, boolean autoConverge) {
        static PolicyView of(Policy p) {
            return new PolicyView(p.maxDowntimeMs(), p.bandwidthMbps(), p.maxRounds(), p.autoConverge());
        }
    }

    /**
     * @param rateIsLowerBound every round left all its memory dirty and no sample since the request said more: it writes
     *     at least {@code dirtyPagesPerSec}, and what the what-if names from it may fall short
     * @param sampledAt when the sample it read was taken (null: none since the request)
     * @param recordedLinkMbps the rate the largest recorded round reached
     */
    record Guest(double dirtyPagesPerSec, boolean rateIsLowerBound, java.time.Instant sampledAt, double workingSetPages,
            long usedPages, long zeroPages, double recordedLinkMbps) {}
}
