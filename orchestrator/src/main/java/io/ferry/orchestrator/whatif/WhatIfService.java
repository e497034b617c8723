package io.ferry.orchestrator.whatif;

import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import io.ferry.hypervisor.estimate.Driver;
import io.ferry.hypervisor.estimate.Estimate;
import io.ferry.hypervisor.estimate.PrecopyModel;
import io.ferry.hypervisor.estimate.RecordedPrecopy;
import io.ferry.hypervisor.estimate.WhatIf;
import io.ferry.orchestrator.core.Ids.MigrationId;
import io.ferry.orchestrator.core.MigrationEvent;
import io.ferry.orchestrator.core.Policy;
import io.ferry.orchestrator.decision.Recorded;
import io.ferry.orchestrator.estimate.Estimates;
import io.ferry.orchestrator.eventlog.EventStore;
import io.ferry.orchestrator.inventory.Inventory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;

/** Re-runs a migration's recorded pre-copy telemetry through the estimate's model under another policy. */
@Service
class WhatIfService {
    private final EventStore events;
    private final Estimates estimates;
    private final Inventory inventory;

    WhatIfService(EventStore events, Estimates estimates, Inventory inventory) {
        this.events = events;
        this.estimates = estimates;
        this.inventory = inventory;
    }

    /** A migration without a recorded pre-copy round (it ended before stage 2): nothing to replay. */
    static final class NoPrecopy extends RuntimeException {
        NoPrecopy(String message) {
            super(message);
        }
    }

    /**
     * The policy a what-if asks about: each field left out keeps the recorded one.
     */
    record Ask(Integer bandwidthMbps, Long maxDowntimeMs, Boolean autoConverge, Integer maxRounds) {
        Policy over(Policy p) {
            return new Policy(maxDowntimeMs == null ? p.maxDowntimeMs() : maxDowntimeMs,
                    bandwidthMbps == null ? p.bandwidthMbps() : bandwidthMbps, maxRounds == null ? p.maxRounds() : maxRounds,
                    autoConverge == null ? p.autoConverge() : autoConverge, p.compression(), p.progressTimeoutS(),
                    p.completionTimeoutPerGiBS());
        }
    }

    Optional<WhatIfView> whatIf(MigrationId id, Ask ask) {
        List<Recorded<MigrationEvent>> log = events.load(id.value());
        if (log.isEmpty()) {
            return Optional.empty();
        }
        MigrationEvent.MigrationRequested requested = null;
        java.time.Instant requestedAt = null;
        MigrationEvent.MigrationCompleted completed = null;
        MigrationEvent.MigrationFailed failed = null;
        List<RecordedPrecopy.Round> rounds = new ArrayList<>();
        for (Recorded<MigrationEvent> r : log) {
            switch (r.event()) {
                case MigrationEvent.MigrationRequested e -> {
                    requested = e;
                    requestedAt = r.recordedAt();
                }
                case MigrationEvent.PrecopyRoundCompleted e -> rounds.add(new RecordedPrecopy.Round(e.stats().round(),
                        e.stats().pagesSent(), e.stats().bytesSent(), e.stats().zeroPages(), e.stats().dirtyPagesRemaining(),
                        e.stats().roundMs(), e.stats().throttlePercent()));
                case MigrationEvent.MigrationCompleted e -> completed = e;
                case MigrationEvent.MigrationFailed e -> failed = failed == null ? e : failed;
                default -> { } // the other events say nothing of the pre-copy's figures
            }
        }
        if (requested == null) {
            return Optional.empty();
        }
        if (rounds.isEmpty()) {
            throw new NoPrecopy("migration " + id + " recorded no pre-copy round (it ended before stage 2), so there is "
                    + "no telemetry to replay; ask GET /api/estimate?vm=" + requested.vm().vmId() + " instead");
        }
        Policy recordedPolicy = requested.policy();
        Policy policy;
        try {
            policy = ask.over(recordedPolicy);
        } catch (IllegalArgumentException e) {
            throw new io.ferry.orchestrator.api.InvalidParameter("policy", e.getMessage());
        }
        RecordedPrecopy precopy = new RecordedPrecopy(requested.vm().memoryMb() * 256L, rounds);
        Driver driver = inventory.host(requested.source().value()).map(h -> Driver.named(h.driver())).orElse(Driver.SIMULATED);
        var history = estimates.history(requested.source().value(), requested.destination().value());
        long precopyMs = rounds.stream().mapToLong(RecordedPrecopy.Round::roundMs).sum();
        // A completed migration measured its own overheads; otherwise those of ferry's recent migrations.
        PrecopyModel.Overheads learnt = history.overheads(policy.bandwidthMbps());
        PrecopyModel.Overheads overheads = completed == null ? learnt : new PrecopyModel.Overheads(
                Math.max(0, completed.totalMs() - precopyMs - completed.downtimeMs()), learnt.switchoverMs());
        // the guest's latest sample (its heartbeat's), for a guest whose rounds only bound its rate: read only when taken
        // since the request, as an older one may be of the guest before it changed (see WhatIf.play)
        var sampled = inventory.sample(requested.vm().vmId().value()).flatMap(Inventory.Sampled::sample);
        WhatIf result = WhatIf.play(precopy, sampled, requestedAt, Estimates.copyPolicy(recordedPolicy),
                Estimates.copyPolicy(policy), driver, overheads, history.measuredLinkMbps());
        Boolean converged = io.ferry.orchestrator.core.ConvergeVerdict.of(completed != null,
                failed == null ? null : failed.reason(), failed == null || !failed.stage().beforeFinalCopy());
        WhatIfView.Actual actual = new WhatIfView.Actual(converged, failed == null ? null : failed.reason().name(),
                rounds.size(), completed == null ? null : completed.totalMs(), completed == null ? null : completed.downtimeMs(),
                WhatIfView.PolicyView.of(recordedPolicy));
        return Optional.of(new WhatIfView(id.toString(), requested.vm().vmId().value(), actual,
                WhatIfView.Model.of(result.asRecorded(), recordedPolicy), WhatIfView.Model.of(result.whatIf(), policy),
                new WhatIfView.Guest(result.guest().dirtyPagesPerSec(), result.rateIsLowerBound(),
                        result.sampledAt(), result.guest().workingSetPages(),
                        result.guest().usedPages(), result.guest().zeroPages(), Math.round(precopy.linkMbps() * 10) / 10.0),
                answer(result, policy)));
    }

    private static String answer(WhatIf result, Policy p) {
        Estimate e = result.whatIf();
        String caveat = !result.rateIsLowerBound() ? "" : String.format(" (every round left all its memory dirty and "
                + "its host has not sampled it since the request, so it writes at least %.0f pages/s and perhaps far "
                + "more: ask again once it has, within its agent's sample interval)", result.guest().dirtyPagesPerSec());
        String under = String.format("with bandwidth %s, max downtime %d ms%s", p.bandwidthMbps() == 0 ? "uncapped"
                : p.bandwidthMbps() + " Mbit/s", p.maxDowntimeMs(), p.autoConverge() ? ", auto-converge" : "");
        if (e.converges()) {
            return String.format("%s it would have converged after %d rounds, %.1f s after the request, with a pause of "
                    + "about %d ms%s%s", under, e.rounds(), e.totalMs() / 1000.0, e.downtimeMs(),
                    e.throttlePercent() > 0 ? " (the guest throttled " + e.throttlePercent() + " %)" : "", caveat);
        }
        Estimate.Remedies r = e.remedies();
        List<String> would = new ArrayList<>();
        if (r != null && r.bandwidthMbps() != null) {
            would.add("bandwidth=" + r.bandwidthMbps());
        }
        if (r != null && r.autoConvergeThrottlePercent() != null) {
            would.add("auto-converge=true (throttled to " + r.autoConvergeThrottlePercent() + " %)");
        }
        if (r != null && r.maxDowntimeMs() != null) {
            would.add("max-downtime=" + r.maxDowntimeMs());
        }
        return String.format("%s it would still not converge: %s%s%s", under, e.why(),
                would.isEmpty() ? "" : "; each of these would: " + String.join(", ", would), caveat);
    }
}
