package io.ferry.hypervisor.simulated;

import io.ferry.hypervisor.Convergence;
import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import io.ferry.hypervisor.Hypervisor.PrecopyResult;
import io.ferry.hypervisor.Hypervisor.RoundStats;
import io.ferry.hypervisor.HypervisorException;
import io.ferry.schema.common.FailureReason;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Stage 2 on the source: round 1 copies every used page while the guest runs; each later round copies the pages
 * dirtied during the previous one. It converges when what remains would go within the downtime budget at the
 * measured link rate. Without auto-converge it copies at most {@code maxRounds} rounds: one that has not converged by
 * then gives up with NOT_CONVERGING. With auto-converge, a guest whose dirty set stops shrinking, or is still too big
 * at the round limit, is throttled one step per round (QEMU's 20 % then +10 %), and those throttled rounds go on past
 * the limit (they are what auto-converge adds). Whenever the remaining set has not shrunk for
 * the progress timeout, pre-copy gives up with NOT_CONVERGING and the guest keeps running on the source, so it never
 * loops forever.
 */
final class Precopy {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Precopy.class);
    static final int THROTTLE_FIRST = Convergence.THROTTLE_FIRST;
    static final int THROTTLE_STEP = Convergence.THROTTLE_STEP;
    static final int THROTTLE_MAX = Convergence.THROTTLE_MAX;
    /** Rounds shorter than this measure latency more than bandwidth; they do not update the link rate. */
    private static final long MEASURABLE_BYTES = 1 << 20;

    private final OutgoingMigration session;
    private final CopyPolicy policy;
    private final Consumer<RoundStats> onRound;
    private final Pacer pacer;

    Precopy(OutgoingMigration session, CopyPolicy policy, Consumer<RoundStats> onRound) {
        this.session = session;
        this.policy = policy;
        this.onRound = onRound;
        this.pacer = new Pacer(policy.bandwidthMbps());
    }

    PrecopyResult run() throws IOException {
        SimulatedVm vm = session.vm;
        GuestMemory memory = vm.memory();
        log.info("migration {}: destination memory: {}", session.migrationId,
                session.awaitDestinationMemory(policy.bandwidthMbps()));
        memory.clearDirtyLog(); // dirty logging starts now; round 1 covers everything used before
        long[] toSend = memory.usedPages();
        double linkRate = 0; // uncompressed page bytes per second the link carried
        Convergence convergence = new Convergence(policy);
        int round = 0;
        try {
            while (true) {
                round++;
                long started = System.nanoTime();
                long pagesBefore = session.pagesSent;
                long bytesBefore = session.bytesSent;
                long rawBefore = session.uncompressedBytes;
                long zeroBefore = session.zeroPages;
                session.sendPages(toSend, pacer);
                session.flush();
                long nanos = Math.max(1, System.nanoTime() - started);
                long bytes = session.bytesSent - bytesBefore;
                long raw = session.uncompressedBytes - rawBefore;
                if (raw >= MEASURABLE_BYTES || linkRate == 0) {
                    linkRate = raw * 1e9 / nanos;
                }
                long dirty = memory.dirtyCount();
                long expectedDowntimeMs = expectedMs(dirty, linkRate);
                onRound.accept(new RoundStats(round, session.pagesSent - pagesBefore, bytes, session.zeroPages - zeroBefore,
                        dirty, dirty * 1e9 / nanos, bytes * 8e3 / nanos, expectedDowntimeMs, nanos / 1_000_000, raw,
                        vm.throttlePercent()));
                if (expectedDowntimeMs <= policy.maxDowntimeMs()) {
                    return new PrecopyResult(round, dirty, expectedDowntimeMs);
                }
                if (!policy.autoConverge() && round >= policy.maxRounds()) {
                    // The round limit holds: no round past it, and the downtime limit is not broken to finish either.
                    throw roundLimit(round, dirty, expectedDowntimeMs);
                }
                boolean progressed = convergence.observe(dirty);
                if (!progressed && convergence.stalled()) {
                    throw convergence.notConverging(round, dirty, "", expectedDowntimeMs, vm.throttlePercent(),
                            "the guest dirties memory faster than the link carries it and keeps running on the source");
                }
                // The downtime limit is never broken to finish sooner: a guest that stops shrinking its dirty set
                // (or is still too fast at the round limit) is slowed down if allowed; otherwise pre-copy goes on
                // only while it still makes progress.
                if (policy.autoConverge() && (round >= policy.maxRounds() || (round > 1 && !progressed))) {
                    if (vm.throttlePercent() < THROTTLE_MAX) {
                        vm.throttle(Convergence.nextThrottle(vm.throttlePercent()));
                        convergence.restart();
                    }
                }
                toSend = memory.harvestDirty();
            }
        } catch (IOException | RuntimeException e) {
            vm.throttle(0); // the guest stays on the source: give it its CPU back
            throw e;
        }
    }

    private HypervisorException roundLimit(int round, long dirty, long expectedMs) {
        return new HypervisorException(FailureReason.NOT_CONVERGING, String.format("pre-copy reached the request's limit of %d "
                + "rounds (maxRounds) with %d pages still dirty, an expected downtime of %d ms against the %d ms "
                + "allowed; the guest keeps running on the source. Allow auto-converge, raise maxRounds, the bandwidth or "
                + "the downtime limit, or migrate when the guest is quieter.", round, dirty, expectedMs,
                policy.maxDowntimeMs()));
    }

    private static long expectedMs(long dirtyPages, double bytesPerSecond) {
        if (dirtyPages == 0) {
            return 0;
        }
        if (bytesPerSecond <= 0) {
            return Long.MAX_VALUE;
        }
        return (long) Math.ceil(dirtyPages * (double) GuestMemory.PAGE_SIZE * 1000 / bytesPerSecond);
    }
}
