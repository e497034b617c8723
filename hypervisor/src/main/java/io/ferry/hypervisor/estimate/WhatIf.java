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
 */
public record WhatIf(Estimate asRecorded, Estimate whatIf, GuestSample guest) {

    /**
     * @param recordedLinkMbps the link the recorded rounds ran on ({@link RecordedPrecopy#linkMbps()})
     * @param uncappedLinkMbps what the link carries without a cap, for a what-if that lifts the cap (0: unknown, then the
     *     recorded rate)
     */
    public static WhatIf play(RecordedPrecopy recorded, CopyPolicy recordedPolicy, CopyPolicy policy, Driver driver,
            PrecopyModel.Overheads overheads, double uncappedLinkMbps) {
        return play(recorded, java.util.Optional.empty(), recordedPolicy, policy, driver, overheads, uncappedLinkMbps);
    }

    /**
     * @param sampled the guest's latest sample, for a rate its rounds only bound
     *     ({@link RecordedPrecopy#guest(Instant, java.util.Optional)})
     */
    public static WhatIf play(RecordedPrecopy recorded, java.util.Optional<GuestSample> sampled, CopyPolicy recordedPolicy,
            CopyPolicy policy, Driver driver, PrecopyModel.Overheads overheads, double uncappedLinkMbps) {
        GuestSample guest = recorded.guest(Instant.EPOCH, sampled);
        double recordedLink = recorded.linkMbps();
        double later = recorded.laterRoundsFactor(); // the model keeps it only on an uncapped link
        Estimate asRecorded = PrecopyModel.estimate(new PrecopyModel.Inputs(guest, recordedPolicy, recordedLink, driver,
                overheads, 1, later));
        double link;
        if (policy.bandwidthMbps() > 0) {
            link = policy.bandwidthMbps(); // the what-if names the link it asks about
        } else if (recordedPolicy.bandwidthMbps() > 0 && uncappedLinkMbps > 0) {
            link = uncappedLinkMbps;
        } else {
            link = recordedLink;
        }
        Estimate whatIf = PrecopyModel.estimate(new PrecopyModel.Inputs(guest, policy, link, driver, overheads, 1, later));
        return new WhatIf(asRecorded, whatIf, guest);
    }
}
