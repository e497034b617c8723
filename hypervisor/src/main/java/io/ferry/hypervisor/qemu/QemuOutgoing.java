package io.ferry.hypervisor.qemu;

import io.ferry.hypervisor.Hypervisor.FinalCopyResult;
import io.ferry.hypervisor.Hypervisor.TailTimes;
import io.ferry.hypervisor.HypervisorException;
import io.ferry.schema.common.FailureReason;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A source's side of one migration: its QEMU, where the stream goes, and what QEMU said along the way. */
final class QemuOutgoing {
    private static final Logger log = LoggerFactory.getLogger(QemuOutgoing.class);
    final String migrationId;
    final QemuVm vm;
    final String dataAddress;
    /** The sample the last round was reported at. */
    volatile QueryMigrate reported = QueryMigrate.NONE;
    /** At pre-switchover: QEMU has stopped the guest and waits for the final copy. */
    volatile QueryMigrate converged;
    /**
     * Pre-copy is ready to switch but the guest still runs: QEMU iterates under the hold downtime limit until the
     * final copy raises it to {@link #budgetMs}.
     */
    volatile boolean holding;
    /** The request's downtime limit, set when the switchover is authorised. */
    volatile long budgetMs;
    /** The request's link, given back to QEMU when the switchover is authorised. */
    volatile long bandwidthBytesPerSecond = QemuPrecopy.UNCAPPED_BYTES_PER_SECOND;
    /** How long the raised limit may take to bring the guest to the switch before the final copy gives up. */
    volatile Duration switchTimeout = Duration.ofSeconds(30);
    volatile Instant pausedAt;
    /** Full-speed passes QEMU runs under the hold limit once the switchover is authorised ({@link #catchUp}). */
    static final int CATCH_UP_PASSES = 2;
    /** The catch-up passes this final copy asked QEMU for: 0 when it switched at once. */
    volatile int catchUpPasses;
    /** QEMU's parameter (8.2 and later) for the rate its switchover decision assumes instead of the one it measures. */
    static final String SWITCHOVER_BANDWIDTH = "avail-switchover-bandwidth";
    /** Whether this QEMU has {@link #SWITCHOVER_BANDWIDTH}. */
    volatile boolean switchoverBandwidthSettable;
    /** When the hold began ({@link System#nanoTime}), how long the round before it ran, and the rate QEMU had then. */
    private volatile long heldSinceNanos;
    private volatile long roundBeforeHoldMs;
    private volatile long rateBeforeHoldBytesPerSecond;
    volatile QueryMigrate completed;

    QemuOutgoing(String migrationId, QemuVm vm, String dataAddress) {
        this.migrationId = migrationId;
        this.vm = vm;
        this.dataAddress = dataAddress;
    }

    /** Pre-copy is ready: QEMU iterates under the hold from now on, after a round of {@code roundMs} at that rate. */
    void hold(long roundMs, long bytesPerSecond) {
        roundBeforeHoldMs = roundMs;
        rateBeforeHoldBytesPerSecond = bytesPerSecond;
        heldSinceNanos = System.nanoTime();
        holding = true;
    }

    /**
     * Stage 3, authorised: a guest pre-copy left running gets the request's downtime limit, and QEMU switches at its
     * next pass end: it stops the guest and waits at {@code pre-switchover}, where this answers {@code migrate-continue}
     * at once. QEMU then sends what is left and the device state, inactivates the disk image and completes; then
     * this waits until QEMU is {@code postmigrate}. The checksum is a digest of the paused source's vCPU registers.
     */
    FinalCopyResult finalCopy(Duration timeout) {
        String vmId = vm.spec.vmId();
        if (converged == null && !holding) {
            throw new HypervisorException(FailureReason.DATA_CHANNEL_FAILED, "the final copy of " + vmId + " was asked for before "
                    + "pre-copy converged");
        }
        Instant authorisedAt = Instant.now();
        try {
            long authorisationWaitUs = pauseAtGate(authorisedAt);
            Instant gateSeen = Instant.now();
            vm.qmp().execute("migrate-continue", Map.of("state", "pre-switchover"));
            Instant continued = Instant.now();
            Instant tailFrom = authorisationWaitUs > 0 ? authorisedAt : pausedAt;
            QueryMigrate done = awaitFinished(vm, timeout);
            Instant completedSeen = Instant.now();
            if (!done.status().equals("completed")) {
                throw new HypervisorException(FailureReason.DATA_CHANNEL_FAILED, "the final copy of " + vmId + " ended " + done.status()
                        + ": " + done.errorDesc() + ". The source keeps the guest and its disk; the rollback runs it again "
                        + "here.");
            }
            completed = done;
            // QEMU says completed a moment before it leaves finish-migrate: return once the source is postmigrate, so the
            // disk handoff that follows finds the image given up (releaseDisk waits too, should this run out).
            String settled = DiskHandoff.settledRunState(vm, QemuHypervisor.HANDOFF_TIMEOUT, System::nanoTime);
            if (!settled.equals(DiskHandoff.HANDED_OVER)) {
                log.warn("the migration of {} completed but its QEMU is {}, not yet postmigrate", vmId, settled);
            }
            Instant tailDone = Instant.now();
            String digest = vm.cpuStateDigest();
            long digestUs = Duration.between(tailDone, Instant.now()).toNanos() / 1_000;
            log.info("final copy of {} done: QEMU says {} ms downtime so far, {} bytes in all, {} ms in all; from the pause "
                    + "(µs): at the gate {}, continued {}, completed {}, postmigrate {}, digest {}", vmId, done.downtimeMs(),
                    done.transferredBytes(), done.totalTimeMs(), micros(pausedAt, gateSeen), micros(pausedAt, continued),
                    micros(pausedAt, completedSeen), micros(pausedAt, tailDone), digestUs);
            QueryMigrate before = reported;
            return new FinalCopyResult(pausedAt, done.pagesSent() - before.pagesSent(),
                    done.transferredBytes() - before.transferredBytes(), digest,
                    new TailTimes(Math.max(0, Duration.between(tailFrom, tailDone).toNanos() / 1_000), -1, digestUs,
                            authorisationWaitUs));
        } catch (QmpException e) {
            throw new HypervisorException(FailureReason.DATA_CHANNEL_FAILED, "lost QEMU during the final copy of " + vmId + ": "
                    + e.getMessage() + "; " + vm.process.logTail(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException(FailureReason.DATA_CHANNEL_FAILED, "the final copy of " + vmId + " was interrupted", e);
        }
    }

    private static long micros(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1_000;
    }

    /**
     * Brings QEMU to {@code pre-switchover} with the guest stopped: a guest held running gets the request's link back
     * for the catch-up passes ({@link #catchUp}), then its downtime limit, and QEMU stops it at its next pass end. Returns how long the guest had already sat paused
     * at the gate before {@code authorisedAt}: 0 unless it dirtied nothing under the hold and QEMU stopped it itself.
     */
    long pauseAtGate(Instant authorisedAt) throws InterruptedException {
        if (converged == null) {
            QueryMigrate now = vm.queryMigrate();
            if (!now.status().equals("pre-switchover")) {
                if (switchesAtOnce()) {
                    vm.qmp().execute("migrate-set-parameters", Map.of("max-bandwidth", bandwidthBytesPerSecond,
                            SWITCHOVER_BANDWIDTH, rateBeforeHoldBytesPerSecond, "downtime-limit", budgetMs));
                } else {
                    catchUp(now);
                    vm.qmp().execute("migrate-set-parameters", Map.of("downtime-limit", budgetMs));
                }
                converged = awaitGate();
                pausedAt = vm.stoppedAt() != null ? vm.stoppedAt() : Instant.now();
                vm.markPaused();
                return 0;
            }
            converged = now; // the guest dirtied nothing under the hold: QEMU stopped it by itself
            pausedAt = vm.stoppedAt() != null ? vm.stoppedAt() : authorisedAt;
            vm.markPaused();
        }
        return Math.max(0, Duration.between(pausedAt, authorisedAt).toNanos() / 1_000);
    }

    /**
     * Whether the authorised switchover may skip the catch-up: the hold was no longer than the round before it, so the
     * guest dirtied no more during it than during a full-speed pass, and QEMU can be told the rate it had before the
     * hold ({@link #SWITCHOVER_BANDWIDTH}) rather than measure the held trickle. Then QEMU decides at once, by its own
     * rule (what is dirty fits that rate times the downtime limit), and stops the guest within its 100 ms accounting
     * period; the catch-up would spend two more passes for a dirty set no smaller. A longer hold (an authorisation
     * that took seconds) catches up first, as does a QEMU without the parameter.
     */
    boolean switchesAtOnce() {
        long heldMs = (System.nanoTime() - heldSinceNanos) / 1_000_000;
        return switchoverBandwidthSettable && rateBeforeHoldBytesPerSecond > 0 && heldMs <= roundBeforeHoldMs;
    }

    /**
     * Gives QEMU the request's link back under the hold limit and waits for {@link #CATCH_UP_PASSES} more dirty-bitmap
     * syncs, the guest running: the first ends the pass the hold slowed, the second one at full speed. Raising the limit
     * at once would switch with what the guest dirtied during the whole hold (the authorisation's round trip and up to
     * 100 ms of QEMU's rate limiter), all of it inside the blackout; after the catch-up QEMU switches, as it does alone,
     * with what one full-speed pass left. A guest that dirties nothing reaches pre-switchover on its own, and the gate
     * takes it from there.
     */
    private void catchUp(QueryMigrate held) throws InterruptedException {
        vm.qmp().execute("migrate-set-parameters", Map.of("max-bandwidth", bandwidthBytesPerSecond));
        catchUpPasses = CATCH_UP_PASSES;
        long target = held.dirtySyncCount() + CATCH_UP_PASSES;
        long deadline = System.nanoTime() + switchTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            long seen = vm.changes.version();
            QueryMigrate now = vm.queryMigrate();
            if (now.dirtySyncCount() >= target || !now.status().equals("active")) {
                return;
            }
            vm.changes.awaitAfter(seen, Duration.ofMillis(20));
        }
    }

    /**
     * Waits, woken by QEMU's events, for the raised limit to take QEMU to {@code pre-switchover} (guest stopped). A
     * guest that does not get under the limit within the switch timeout is never paused: the migration is cancelled
     * and it runs on here.
     */
    private QueryMigrate awaitGate() throws InterruptedException {
        long deadline = System.nanoTime() + switchTimeout.toNanos();
        while (true) {
            long seen = vm.changes.version();
            QueryMigrate now = vm.queryMigrate();
            switch (now.status()) {
                case "pre-switchover" -> {
                    return now;
                }
                case "failed", "cancelling", "cancelled", "completed" -> throw new HypervisorException(FailureReason.DATA_CHANNEL_FAILED,
                        "QEMU's migration of " + vm.spec.vmId() + " ended " + now.status() + " before the switchover"
                        + (now.errorDesc() == null ? "" : ": " + now.errorDesc()) + "; the guest keeps running on the source");
                default -> { }
            }
            if (System.nanoTime() > deadline) {
                cancelAndRun(vm);
                throw new HypervisorException(FailureReason.NOT_CONVERGING, String.format("the switchover of %s was authorised, but "
                        + "in %d s under a downtime limit of %d ms QEMU never found the dirty set small enough to stop the "
                        + "guest (%d pages left, %d pages/s dirtied); the migration was cancelled before any pause and the "
                        + "guest keeps running on the source. Raise the downtime limit or the bandwidth, or allow "
                        + "auto-converge.", vm.spec.vmId(), switchTimeout.toSeconds(), budgetMs, now.remainingPages(),
                        now.dirtyPagesRate()));
            }
            vm.changes.awaitAfter(seen, Duration.ofMillis(20));
        }
    }

    /**
     * Cancels an unfinished outgoing migration and makes sure the guest runs: QEMU restarts a guest it stopped for the
     * switchover, and a guest it had already handed over (completed) is left for the source's resume after abort,
     * which takes the disk back first.
     */
    static void cancelAndRun(QemuVm vm) {
        boolean interrupted = Thread.interrupted(); // an abort interrupts the pre-copy; the clean-up must still talk to QEMU
        try {
            QueryMigrate now = vm.queryMigrate();
            if (!now.finished() && !now.status().equals("none")) {
                vm.qmp().execute("migrate_cancel");
                now = awaitFinished(vm, Duration.ofSeconds(30));
                log.info("migration of {} cancelled ({}); the guest is {}", vm.spec.vmId(), now.status(), vm.runState());
            }
            if (!now.status().equals("completed") && !vm.runState().equals("running")) {
                vm.cont();
            }
        } catch (QmpException e) {
            log.warn("cancelling the migration of {}: {}", vm.spec.vmId(), e.getMessage());
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits until the source's migration finished (completed, failed or cancelled), or {@code timeout}. */
    private static QueryMigrate awaitFinished(QemuVm vm, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long seen = vm.changes.version();
            QueryMigrate now = vm.queryMigrate();
            if (now.finished() || System.nanoTime() > deadline) {
                return now;
            }
            vm.changes.awaitAfter(seen, Duration.ofMillis(50));
        }
    }
}
