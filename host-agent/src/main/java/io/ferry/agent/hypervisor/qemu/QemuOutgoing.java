package io.ferry.agent.hypervisor.qemu;

import io.ferry.agent.hypervisor.Hypervisor.FinalCopyResult;
import io.ferry.agent.hypervisor.HypervisorException;
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
    volatile Instant pausedAt;
    volatile QueryMigrate completed;

    QemuOutgoing(String migrationId, QemuVm vm, String dataAddress) {
        this.migrationId = migrationId;
        this.vm = vm;
        this.dataAddress = dataAddress;
    }

    /**
     * Stage 3: {@code migrate-continue} from pre-switchover, until {@code completed}: QEMU sends what is left and the
     * device state, and inactivates the disk image; then until QEMU is {@code postmigrate}. The checksum is a digest of the paused source's vCPU registers.
     */
    FinalCopyResult finalCopy(Duration timeout) {
        String vmId = vm.spec.vmId();
        if (converged == null) {
            throw new HypervisorException("DATA_CHANNEL_FAILED", "the final copy of " + vmId + " was asked for before "
                    + "pre-copy converged");
        }
        try {
            vm.qmp().execute("migrate-continue", Map.of("state", "pre-switchover"));
            QueryMigrate done = awaitFinished(vm, timeout);
            if (!done.status().equals("completed")) {
                throw new HypervisorException("DATA_CHANNEL_FAILED", "the final copy of " + vmId + " ended " + done.status()
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
            String digest = vm.cpuStateDigest();
            log.info("final copy of {} done: QEMU says {} ms downtime so far, {} bytes in all, {} ms in all", vmId,
                    done.downtimeMs(), done.transferredBytes(), done.totalTimeMs());
            QueryMigrate before = reported;
            return new FinalCopyResult(pausedAt, done.pagesSent() - before.pagesSent(),
                    done.transferredBytes() - before.transferredBytes(), digest);
        } catch (QmpException e) {
            throw new HypervisorException("DATA_CHANNEL_FAILED", "lost QEMU during the final copy of " + vmId + ": "
                    + e.getMessage() + "; " + vm.process.logTail(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException("DATA_CHANNEL_FAILED", "the final copy of " + vmId + " was interrupted", e);
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
