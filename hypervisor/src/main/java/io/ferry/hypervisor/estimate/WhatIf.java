package io.ferry.hypervisor.estimate;

import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import java.time.Instant;

/**
 * Re-runs a migration's recorded pre-copy through {@link PrecopyModel} under another policy: the guest as its rounds
 * showed it, the link as round 1 measured it (or as the what-if names it). Played under the recorded policy too, so
 * the answer shows how well the model reproduces what happened before it says what would have.
 *
 * @param asRecorded the model under the policy the migration ran with
 * @param whatIf the model under the other policy
 * @param guest the guest fitted to the recorded rounds
 * @param rateIsLowerBound every round left all the memory dirty and no sample said more: the guest writes at least
 *     {@code guest.dirtyPagesPerSec()}, perhaps far more, so a link or limit named from it may fall short
 * @param sampledAt when the sample it could read (taken since the request) was taken; null when there was none
 */
public record WhatIf(Estimate asRecorded, Estimate whatIf, GuestSample guest, boolean rateIsLowerBound, Instant sampledAt) {

    /**
     * @param uncappedLinkMbps what the link carries without a cap, for a what-if that lifts the cap (0: unknown, then the
     *     recorded rate), and the most any cap gets (0: unknown, then {@link PrecopyModel#DEFAULT_LINK_MBPS})
     */
    public static WhatIf play(RecordedPrecopy recorded, CopyPolicy recordedPolicy, CopyPolicy policy, Driver driver,
            PrecopyModel.Overheads overheads, double uncappedLinkMbps) {
        return play(recorded, java.util.Optional.empty(), Instant.EPOCH, recordedPolicy, policy, driver, overheads,
                uncappedLinkMbps);
    }

    /**
     * @param sampled the guest's latest sample, for a rate its rounds only bound
     *     ({@link RecordedPrecopy#guest(Instant, java.util.Optional)}); read only when taken at or after
     *     {@code requestedAt}, as an older one may say what the guest did before it changed (2026-12-02: a write-heavy
     *     guest sampled in its first seconds, while its memory was still being faulted in, at 44,800-127,700 pages/s,
     *     and at 2.2-3.6 M pages/s once it had run ten seconds; a what-if read the first and named a link that failed)
     */
    public static WhatIf play(RecordedPrecopy recorded, java.util.Optional<GuestSample> sampled, Instant requestedAt,
            CopyPolicy recordedPolicy, CopyPolicy policy, Driver driver, PrecopyModel.Overheads overheads,
            double uncappedLinkMbps) {
        java.util.Optional<GuestSample> since = sampled.filter(s -> !s.sampledAt().isBefore(requestedAt));
        GuestSample guest = recorded.guest(Instant.EPOCH, since);
        boolean lowerBound = recorded.onlyBoundsTheRate() && guest.dirtyPagesPerSec() <= recorded.guest(Instant.EPOCH).dirtyPagesPerSec();
        double recordedLink = recorded.linkMbps();
        double ceiling = uncappedLinkMbps > 0 ? uncappedLinkMbps : PrecopyModel.DEFAULT_LINK_MBPS;
        double later = recorded.laterRoundsFactor(); // the model keeps it only on an uncapped link
        Estimate asRecorded = PrecopyModel.estimate(new PrecopyModel.Inputs(guest, recordedPolicy, recordedLink, driver,
                overheads, 1, later).withLinkCeiling(ceiling));
        double link;
        if (policy.bandwidthMbps() > 0) {
            // the cap it asks about, as much of it as the recorded cap delivered, and no more than the link carries
            double delivered = recordedPolicy.bandwidthMbps() > 0 && recordedLink > 0 ? Math.min(1, recordedLink / recordedPolicy.bandwidthMbps()) : 1;
            link = policy.bandwidthMbps() * delivered;
            link = uncappedLinkMbps > 0 ? Math.min(link, uncappedLinkMbps) : link;
        } else if (recordedPolicy.bandwidthMbps() > 0 && uncappedLinkMbps > 0) {
            link = uncappedLinkMbps;
        } else {
            link = recordedLink;
        }
        Estimate whatIf = PrecopyModel.estimate(new PrecopyModel.Inputs(guest, policy, link, driver, overheads, 1, later)
                .withLinkCeiling(ceiling));
        return new WhatIf(asRecorded, whatIf, guest, lowerBound, since.map(GuestSample::sampledAt).orElse(null));
    }
}
