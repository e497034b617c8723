package io.ferry.orchestrator.estimate;

import io.ferry.hypervisor.Convergence;
import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import io.ferry.hypervisor.estimate.Driver;
import io.ferry.hypervisor.estimate.Estimate;
import io.ferry.hypervisor.estimate.GuestSample;
import io.ferry.hypervisor.estimate.PrecopyModel;
import io.ferry.hypervisor.estimate.SampledPrecopy;
import io.ferry.orchestrator.core.Forecast;
import io.ferry.orchestrator.core.Policy;
import io.ferry.orchestrator.inventory.Inventory;
import io.ferry.orchestrator.migrations.MigrationsReadModel;
import java.time.Clock;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Estimates a migration at once from what the orchestrator already holds: the source's latest sample of the guest
 * (its heartbeat carries it), the policy, and ferry's own recent migrations for the link and the overheads.
 */
@Service
public class Estimates {
    private final Inventory inventory;
    private final MigrationsReadModel readModel;
    private final Clock clock;

    public Estimates(Inventory inventory, MigrationsReadModel readModel, Clock clock) {
        this.inventory = inventory;
        this.readModel = readModel;
        this.clock = clock;
    }

    /**
     * The estimate for the VM where it runs, to {@code destination} (empty: not yet chosen), under {@code policy};
     * empty when the VM runs on no host ferry knows. Without a sample yet, the guest is modelled idle with all its
     * memory used, and the answer says so.
     */
    public Optional<Answer> estimate(String vmId, Optional<String> destination, Policy policy) {
        return inventory.sample(vmId).map(where -> {
            EstimateHistory history = destination.map(d -> history(where.host(), d)).orElseGet(this::history);
            long pages = where.memoryMb() * 256L;
            GuestSample guest = where.sample().orElseGet(() -> new GuestSample(clock.instant(), 0, 0, 0, pages, pages, 0));
            CopyPolicy copy = copyPolicy(policy);
            double link = history.link(policy.bandwidthMbps());
            Driver driver = Driver.named(where.driver());
            if (driver == Driver.QEMU) {
                guest = withQemusZeroPages(vmId, guest);
            }
            PrecopyModel.Inputs in = new PrecopyModel.Inputs(guest, copy, link, driver,
                    history.overheads(policy.bandwidthMbps()), policy.bandwidthMbps() > 0 ? 1 : history.tailFactor(),
                    history.laterRoundsFactor()).withLinkCeiling(history.link(0));
            // Throttled rounds are played at the rate the guest's own throttled rounds showed: under auto-converge the
            // factor is read first; otherwise only a guest that does not converge plays throttled rounds (its remedies)
            double factor = policy.autoConverge() ? throttledRateFactor(vmId) : 1;
            Estimate estimate = PrecopyModel.estimate(with(in, factor));
            if (!policy.autoConverge() && !estimate.converges()) {
                factor = throttledRateFactor(vmId);
                estimate = factor < 1 ? PrecopyModel.estimate(with(in, factor)) : estimate;
            }
            return new Answer(vmId, where.host(), where.driver(), where.sample(), history, policy, estimate,
                    history.linkSource(policy.bandwidthMbps()), factor);
        });
    }

    private double throttledRateFactor(String vmId) {
        return SampledPrecopy.throttledRateFactor(readModel.recentThrottledPrecopies(vmId, THROTTLED_MIGRATIONS));
    }

    private static PrecopyModel.Inputs with(PrecopyModel.Inputs in, double throttledRateFactor) {
        return new PrecopyModel.Inputs(in.guest(), in.policy(), in.linkMbps(), in.driver(), in.overheads(), in.tailFactor(),
                in.laterRoundsFactor(), throttledRateFactor, in.linkCeilingMbps());
    }

    /** A VM's newest migrations with throttled rounds that say how fast it writes throttled. */
    static final int THROTTLED_MIGRATIONS = 4;

    /** How long the history is reused: a drain submits dozens of moves in a second, each estimated. */
    private static final java.time.Duration HISTORY_FRESH = java.time.Duration.ofSeconds(5);
    private volatile Cached cached;

    private record Cached(java.time.Instant at, java.util.List<MigrationsReadModel.Precopied> newestFirst) {}

    /** Two hosts' history either way, read apart from every route's (one entry serves both directions); forgotten with it. */
    private final java.util.Map<String, Cached> pairs = new java.util.concurrent.ConcurrentHashMap<>();

    /** The next estimate reads the history again: a migration completed. */
    void forgetHistory() {
        cached = null;
        pairs.clear();
    }

    /** What ferry measured of its recent migrations on every route: the link and the overheads the model assumes. */
    public EstimateHistory history() {
        return EstimateHistory.of(newestFirst());
    }

    /** The same from {@code source} to {@code destination}: that route's, else the two hosts' either way, once they have some. */
    public EstimateHistory history(String source, String destination) {
        java.time.Instant now = clock.instant();
        String pairKey = source.compareTo(destination) < 0 ? source + " " + destination : destination + " " + source;
        Cached pair = pairs.compute(pairKey, (key, c) -> fresh(c, now) ? c
                : new Cached(now, readModel.recentPrecopiesBetween(source, destination, EstimateHistory.MIGRATIONS)));
        java.util.List<MigrationsReadModel.Precopied> between = pair.newestFirst();
        return EstimateHistory.of(between.stream().filter(r -> r.went(source, destination)).toList(), between,
                newestFirst(), source, destination);
    }

    private java.util.List<MigrationsReadModel.Precopied> newestFirst() {
        Cached c = cached;
        java.time.Instant now = clock.instant();
        if (!fresh(c, now)) {
            c = new Cached(now, readModel.recentPrecopies(EstimateHistory.MIGRATIONS));
            cached = c;
        }
        return c.newestFirst();
    }

    private static boolean fresh(Cached c, java.time.Instant now) {
        return c != null && !c.at().plus(HISTORY_FRESH).isBefore(now);
    }

    /**
     * QEMU's sample cannot say which pages are zero (it counts every page as used); QEMU's own count of the zero pages
     * its last round 1 of this VM sent as a marker says it, as the share of the pages it sent.
     */
    private GuestSample withQemusZeroPages(String vmId, GuestSample guest) {
        return readModel.lastRoundOne(vmId).filter(r -> r.pagesSent() > 0).map(r -> new GuestSample(guest.sampledAt(),
                guest.windowMs(), guest.dirtyPagesPerSec(), guest.workingSetPages(), guest.memoryPages(), guest.usedPages(),
                Math.round(guest.usedPages() * Math.min(1.0, r.zeroPages() / (double) r.pagesSent())))).orElse(guest);
    }

    /** What a migration records: the estimate, or null when the VM is unknown or the model fails (never a refusal). */
    public Forecast forecast(String vmId, String destination, Policy policy) {
        try {
            return estimate(vmId, Optional.of(destination), policy).map(Answer::forecast).orElse(null);
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(Estimates.class).warn("no estimate for {}: {}", vmId, e.toString());
            return null;
        }
    }

    /** The driver's view of a request's policy: the agent's progress timeout, as Tickets passes it. */
    public static CopyPolicy copyPolicy(Policy p) {
        return new CopyPolicy(p.maxDowntimeMs(), p.bandwidthMbps(), p.maxRounds(), p.autoConverge(),
                io.ferry.hypervisor.Hypervisor.Compression.valueOf(p.compression().name()), Convergence.PROGRESS_TIMEOUT_MS);
    }

    /**
     * @param sample the guest's sample it rests on; empty: none yet (modelled idle, all memory used)
     * @param linkSource where the link rate comes from
     * @param throttledRateFactor the share of its sample's rate the guest's throttled rounds were played at, from its own
     *     recent throttled rounds (1: the sample's rate)
     */
    public record Answer(String vmId, String sourceHost, String driver, Optional<GuestSample> sample, EstimateHistory history,
            Policy policy, Estimate estimate, String linkSource, double throttledRateFactor) {
        public Forecast forecast() {
            Estimate e = estimate;
            Estimate.Remedies r = e.remedies();
            return new Forecast(e.converges(), e.rounds(), e.totalMs(), e.precopyMs(), e.downtimeMs(), e.throttlePercent(),
                    Math.round(e.linkMbps() * 10) / 10.0, e.why(), sample.map(s -> s.sampledAt().truncatedTo(java.time.temporal.ChronoUnit.MILLIS)).orElse(null),
                    r == null ? null : r.bandwidthMbps(), r == null ? null : r.autoConvergeThrottlePercent(),
                    r == null ? null : r.maxDowntimeMs(), sample.map(GuestSample::dirtyPagesPerSec).orElse(null));
        }
    }
}
