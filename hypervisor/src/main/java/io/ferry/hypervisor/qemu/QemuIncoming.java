package io.ferry.hypervisor.qemu;

import io.ferry.hypervisor.Hypervisor.ResumeResult;
import io.ferry.hypervisor.HypervisorException;
import io.ferry.schema.common.FailureReason;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A destination's side of one migration: the skeleton QEMU and the address it listens on. */
final class QemuIncoming {
    final String migrationId;
    final QemuVm skeleton;
    final String address;

    private QemuIncoming(String migrationId, QemuVm skeleton, String address) {
        this.migrationId = migrationId;
        this.skeleton = skeleton;
        this.address = address;
    }

    /**
     * Stage 1: the skeleton's capabilities (events; {@code late-block-activate}, so it takes the disk image only at
     * {@code cont}, after the lease came here), then {@code migrate-incoming} on a port QEMU picks.
     */
    static QemuIncoming listen(String migrationId, QemuVm skeleton, String bindHost, String advertisedHost,
            java.nio.file.Path runDir, String token) { // runDir null: no TLS on the stream
        skeleton.qmp().execute("migrate-set-capabilities", Map.of("capabilities", List.of(
                Map.of("capability", "events", "state", true),
                Map.of("capability", "late-block-activate", "state", true))));
        if (runDir != null) {
            QemuTls.enable(skeleton, runDir, migrationId, token, "server");
        }
        return new QemuIncoming(migrationId, skeleton, advertisedHost + ":" + skeleton.qmp().migrateIncoming(bindHost));
    }

    /** The digest of the vCPU registers as loaded here, once the whole stream arrived (null before). */
    private volatile String arrivedDigest;

    /**
     * Stage 3, destination: waits until the whole stream has loaded (the skeleton's migration completed, the guest
     * paused) and digests the vCPU registers, which must equal the source's at pause.
     */
    String awaitArrival(Duration timeout) {
        String vmId = skeleton.spec.vmId();
        try {
            String status = awaitLoaded(timeout);
            if (!status.equals("completed")) {
                throw new HypervisorException(FailureReason.RESUME_FAILED, "the migration stream of " + vmId + " did not load here "
                        + "(status " + status + "); " + skeleton.process.logTail());
            }
            arrivedDigest = skeleton.cpuStateDigest();
            return arrivedDigest;
        } catch (QmpException e) {
            throw new HypervisorException(FailureReason.RESUME_FAILED, "lost the destination's QEMU of " + vmId + ": " + e.getMessage()
                    + "; " + skeleton.process.logTail(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException(FailureReason.RESUME_FAILED, "interrupted while waiting for " + vmId + " to arrive", e);
        }
    }

    /**
     * Stage 5: once the whole stream has loaded and been digested ({@link #awaitArrival}, done here if not yet),
     * {@code cont}, which takes the disk image's write lock first.
     */
    ResumeResult resume(Clock clock, Duration timeout) {
        String vmId = skeleton.spec.vmId();
        String digest = arrivedDigest != null ? arrivedDigest : awaitArrival(timeout);
        try {
            skeleton.cont();
        } catch (QmpException e) {
            throw new HypervisorException(FailureReason.RESUME_FAILED, "QEMU would not run " + vmId + " here: " + e.desc()
                    + (e.desc().contains("lock") ? ". Another QEMU still holds the disk image " + skeleton.spec.diskPath()
                            + " (did the source run the guest again?); this copy stays paused." : ""), e);
        }
        return new ResumeResult(null, clock.instant(), digest);
    }

    /** The skeleton's migration status once it is completed or failed, or why it cannot be. */
    private String awaitLoaded(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long seen = skeleton.changes.version();
            if (!skeleton.alive()) {
                return "exited (its QEMU is gone: the stream broke or was cancelled)";
            }
            String status = skeleton.qmp().execute("query-migrate").path("status").asString("none");
            if (status.equals("completed") || status.equals("failed")) {
                return status;
            }
            if (System.nanoTime() > deadline) {
                return status + " after " + timeout.toSeconds() + " s";
            }
            skeleton.changes.awaitAfter(seen, Duration.ofMillis(20));
        }
    }
}
