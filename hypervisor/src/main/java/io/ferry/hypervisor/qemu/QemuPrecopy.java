package io.ferry.hypervisor.qemu;

import io.ferry.hypervisor.Convergence;
import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import io.ferry.hypervisor.Hypervisor.PrecopyResult;
import io.ferry.hypervisor.Hypervisor.RoundStats;
import io.ferry.hypervisor.HypervisorException;
import io.ferry.schema.common.FailureReason;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 2 on a QEMU source: {@code migrate} under a hold downtime limit of 1 ms and the request's bandwidth, then QEMU
 * copies round after round by itself. ferry follows it through {@code query-migrate} (woken by MIGRATION and
 * MIGRATION_PASS events), reports each round, and returns "converged" as soon as a round ends with a dirty set the
 * link sends within {@link #READY_FACTOR} times the request's downtime limit. The guest keeps running and QEMU keeps iterating: under the hold
 * limit it will not stop the guest, so the switchover's authorisation travels while the guest runs, and the final
 * copy gives the link back and raises the limit, telling QEMU the rate it had before the hold (QEMU decides within
 * its 100 ms accounting period; after a hold longer than a round it first catches up, QemuOutgoing.switchesAtOnce
 * says why). While held, the
 * stream is slowed to a trickle ({@link #HOLD_BYTES_PER_SECOND}): the guest keeps its speed and the dirty set it
 * leaves for the switch is what QEMU alone would have switched with. The limit must be
 * above 0: at 0 QEMU never syncs the dirty bitmap again and completes with round 1's dirty set in the blackout.
 * A guest idle enough to finish under the hold limit stops at {@code pre-switchover} (pause-before-switchover) and
 * waits there, paused, for the authorisation, as before. A dirty set that stops shrinking for the progress timeout
 * ends it with NOT_CONVERGING after a {@code migrate_cancel}, the guest running on.
 */
final class QemuPrecopy {
    private static final Logger log = LoggerFactory.getLogger(QemuPrecopy.class);
    /** No link cap: far above what any NIC here carries (QEMU's own default is 128 MiB/s). */
    static final long UNCAPPED_BYTES_PER_SECOND = 1L << 40;
    private static final Duration POLL = Duration.ofMillis(200);
    /** QEMU's downtime limit until the switchover is authorised: small enough that it never stops a guest that works. */
    static final long HOLD_DOWNTIME_MS = 1;
    /**
     * QEMU's bandwidth while the switchover is authorised. At full speed QEMU would sync the dirty bitmap back to back
     * under the hold limit, which starves a TCG guest until it dirties almost nothing and QEMU stops it unauthorised
     * (measured: within 500 ms for a guest rewriting 32 MiB). Nearly paused, the stream leaves the guest its speed,
     * and the threshold (bandwidth × hold limit) falls below one page, so only a guest that dirtied nothing stops.
     */
    static final long HOLD_BYTES_PER_SECOND = 1 << 20;
    /**
     * Ready, and the stream slowed to the hold, once a round ends with a dirty set the link sends within this many
     * downtime limits. Not 1: rounds at full speed under the hold limit resync back to back as the set shrinks, which on
     * a busy TCG host starves the guest to no dirty page at all, and QEMU stops it before the authorisation (seen for a
     * guest rewriting 32 MiB whose round 1 left 350 ms against a 300 ms limit). QEMU still switches only under the
     * request's limit: the authorisation raises the hold to it, not past it.
     */
    static final int READY_FACTOR = 2;

    private final QemuOutgoing session;
    private final CopyPolicy policy;
    private final Consumer<RoundStats> onRound;

    QemuPrecopy(QemuOutgoing session, CopyPolicy policy, Consumer<RoundStats> onRound) {
        this.session = session;
        this.policy = policy;
        this.onRound = onRound;
    }

    PrecopyResult run() {
        QemuVm vm = session.vm;
        start(vm);
        Convergence convergence = new Convergence(policy);
        long expectedDowntimeMs = policy.maxDowntimeMs();
        int throttle = 0;
        try {
            while (true) {
                long seen = vm.changes.version();
                QueryMigrate now = vm.queryMigrate();
                if (now.status().equals("active") && QemuRounds.tailMs(now) != Long.MAX_VALUE) {
                    expectedDowntimeMs = QemuRounds.tailMs(now);
                }
                switch (now.status()) {
                    case "failed" -> throw new HypervisorException(FailureReason.DATA_CHANNEL_FAILED, "QEMU's migration of "
                            + vm.spec.vmId() + " to " + session.dataAddress + " failed: " + now.errorDesc() + ". The guest"
                            + " keeps running on the source; check that the destination's QEMU still listens there "
                            + "(its skeleton exits when a stream breaks) and that the hosts reach each other.");
                    case "cancelling", "cancelled" -> throw new HypervisorException(FailureReason.DATA_CHANNEL_FAILED, "QEMU's migration"
                            + " of " + vm.spec.vmId() + " was cancelled (the migration was aborted); the guest keeps running "
                            + "on the source.");
                    case "completed" -> throw new HypervisorException(FailureReason.AGENT_ERROR, "QEMU completed the migration of "
                            + vm.spec.vmId() + " without waiting at pre-switchover for the final copy; is the "
                            + "pause-before-switchover capability supported by this QEMU?");
                    default -> { }
                }
                if (QemuRounds.roundEnded(session.reported, now)) {
                    RoundStats round = QemuRounds.round(session.reported, now);
                    session.reported = now;
                    onRound.accept(round);
                    long tailMs = QemuRounds.tailMs(now);
                    if (now.status().equals("active") && tailMs <= READY_FACTOR * policy.maxDowntimeMs()) {
                        vm.qmp().execute("migrate-set-parameters", Map.of("max-bandwidth", HOLD_BYTES_PER_SECOND));
                        session.hold(round.roundMs(), (long) Math.min(QemuRounds.bytesPerSecond(now),
                                session.bandwidthBytesPerSecond));
                        log.info("pre-copy of {} ready after {} rounds: {} pages dirty, about {} ms to send them (limit {} "
                                + "ms); the guest runs on while the switchover is authorised", vm.spec.vmId(),
                                QemuRounds.roundsAt(now), now.remainingPages(), tailMs, policy.maxDowntimeMs());
                        return new PrecopyResult(QemuRounds.roundsAt(now), now.remainingPages(),
                                Math.min(tailMs, policy.maxDowntimeMs())); // QEMU switches only once it fits the limit
                    }
                    if (now.status().equals("active")) {
                        if (round.throttlePercent() > throttle) {
                            throttle = round.throttlePercent();
                            convergence.restart(); // QEMU took a throttle step
                        }
                        if (!convergence.observe(round.dirtyPagesRemaining()) && convergence.stalled()) {
                            throw notConverging(vm, now, expectedDowntimeMs, convergence);
                        }
                    }
                }
                if (now.status().equals("pre-switchover")) {
                    session.converged = now;
                    session.pausedAt = vm.stoppedAt() != null ? vm.stoppedAt() : java.time.Instant.now();
                    vm.markPaused();
                    log.info("pre-copy of {} converged after {} rounds, {} pages left for the final copy; QEMU holds the "
                            + "guest paused at pre-switchover", vm.spec.vmId(), QemuRounds.roundsAt(now), now.remainingPages());
                    return new PrecopyResult(QemuRounds.roundsAt(now), now.remainingPages(), expectedDowntimeMs);
                }
                vm.changes.awaitAfter(seen, POLL);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException(FailureReason.DATA_CHANNEL_FAILED, "pre-copy of " + vm.spec.vmId() + " was interrupted (the "
                    + "migration is being aborted); the guest keeps running on the source", e);
        } catch (QmpException e) {
            if (e.errorClass().equals("Interrupted")) {
                throw new HypervisorException(FailureReason.DATA_CHANNEL_FAILED, "pre-copy of " + vm.spec.vmId() + " was interrupted "
                        + "(the migration is being aborted); the guest keeps running on the source", e);
            }
            throw new HypervisorException(FailureReason.DATA_CHANNEL_FAILED, "lost QEMU during the pre-copy of " + vm.spec.vmId() + ": "
                    + e.getMessage() + "; " + vm.process.logTail(), e);
        }
    }

    /** Capabilities (auto-converge as the request allows), limits, then {@code migrate}. */
    private void start(QemuVm vm) {
        try {
            vm.qmp().execute("migrate-set-capabilities", Map.of("capabilities", List.of(
                    capability("events", true), capability("pause-before-switchover", true),
                    capability("auto-converge", policy.autoConverge()))));
            long bandwidth = policy.bandwidthMbps() > 0 ? policy.bandwidthMbps() * 1_000_000L / 8 : UNCAPPED_BYTES_PER_SECOND;
            session.bandwidthBytesPerSecond = bandwidth;
            session.budgetMs = policy.maxDowntimeMs();
            session.switchTimeout = Duration.ofMillis(Math.max(1_000, policy.progressTimeoutMs()));
            session.switchoverBandwidthSettable = vm.qmp().execute("query-migrate-parameters")
                    .has(QemuOutgoing.SWITCHOVER_BANDWIDTH);
            vm.qmp().execute("migrate-set-parameters", Map.of("downtime-limit", HOLD_DOWNTIME_MS,
                    "max-bandwidth", bandwidth, "cpu-throttle-initial", Convergence.THROTTLE_FIRST,
                    "cpu-throttle-increment", Convergence.THROTTLE_STEP));
            if (policy.compression() != io.ferry.hypervisor.Hypervisor.Compression.NONE) {
                log.info("the QEMU driver sends pages uncompressed; the request's {} compression does not apply",
                        policy.compression());
            }
            vm.qmp().execute("migrate", Map.of("uri", "tcp:" + session.dataAddress));
        } catch (QmpException e) {
            throw new HypervisorException(FailureReason.DATA_CHANNEL_FAILED, "QEMU would not start migrating " + vm.spec.vmId() + " to "
                    + session.dataAddress + ": " + e.desc() + ". The guest keeps running on the source.", e);
        }
    }

    private static HypervisorException notConverging(QemuVm vm, QueryMigrate now, long expectedDowntimeMs,
            Convergence convergence) {
        QemuOutgoing.cancelAndRun(vm);
        return convergence.notConverging(QemuRounds.roundsAt(now), now.remainingPages(), String.format(
                " (the guest dirties %d pages/s against a link of %.0f Mbit/s)", now.dirtyPagesRate(), now.mbps()),
                expectedDowntimeMs, now.cpuThrottlePercent(),
                "QEMU's migration was cancelled and the guest keeps running on the source");
    }

    private static Map<String, Object> capability(String name, boolean state) {
        return Map.of("capability", name, "state", state);
    }
}
