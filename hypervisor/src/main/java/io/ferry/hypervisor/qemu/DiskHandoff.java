package io.ferry.hypervisor.qemu;

import io.ferry.hypervisor.HypervisorException;
import io.ferry.schema.common.FailureReason;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Whether a source's QEMU has given its disk image up, i.e. its run state is {@code postmigrate}. QEMU announces the
 * migration {@code completed} (the MIGRATION event, query-migrate) from its migration thread a moment before it leaves
 * {@code finish-migrate} for {@code postmigrate}, and no event marks that second step: so a check right behind the
 * final copy can see {@code finish-migrate}. While QEMU is in that passing state this waits, woken by QEMU's events
 * and re-asking at a short interval, up to a deadline; any other state is answered at once.
 */
final class DiskHandoff {
    static final String HANDED_OVER = "postmigrate";
    /** QEMU's state between stopping the guest for the switchover and the migration's end. */
    static final String PASSING = "finish-migrate";
    /**
     * No event marks the step to postmigrate: re-ask this often (an event wakes the wait sooner). The wait sits inside
     * the blackout, and the step follows {@code completed} within a few ms (QEMU's migration thread takes the big lock
     * once more), so a 20 ms re-ask cost up to 20 ms of downtime for a step that takes 1-3.
     */
    static final Duration RECHECK = Duration.ofMillis(2);

    /** What the wait reads from one QEMU. */
    interface Qemu {
        /** A counter that moves on each QEMU event ({@link QemuVm.Signal#version()}). */
        long version();

        /** QEMU's run state now (query-status). */
        String runState();

        /** Returns when {@link #version()} moved past {@code seen}, or after {@code max}. */
        void awaitAfter(long seen, Duration max) throws InterruptedException;
    }

    private DiskHandoff() {}

    /**
     * Waits up to {@code timeout} while QEMU is {@code finish-migrate}; returns the run state it settled in.
     *
     * @param nanoTime the clock the deadline is kept by ({@code System::nanoTime})
     */
    static String settledRunState(Qemu qemu, Duration timeout, LongSupplier nanoTime) throws InterruptedException {
        long deadline = nanoTime.getAsLong() + timeout.toNanos();
        while (true) {
            long seen = qemu.version();
            String runState = qemu.runState();
            long left = deadline - nanoTime.getAsLong();
            if (!runState.equals(PASSING) || left <= 0) {
                return runState;
            }
            qemu.awaitAfter(seen, Duration.ofNanos(Math.min(left, RECHECK.toNanos())));
        }
    }

    /**
     * Confirms that QEMU gave the disk image of {@code vmId} up, waiting up to {@code timeout} for it to leave
     * {@code finish-migrate}. Throws STORAGE_HANDOFF_FAILED, the lease staying with this host, when it did not.
     */
    static void confirm(String vmId, Qemu qemu, Duration timeout, LongSupplier nanoTime) {
        String runState;
        try {
            runState = settledRunState(qemu, timeout, nanoTime);
        } catch (QmpException e) {
            throw new HypervisorException(FailureReason.STORAGE_HANDOFF_FAILED, "cannot tell whether QEMU still holds the disk of "
                    + vmId + ": " + e.getMessage() + "; the lease stays here", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException(FailureReason.STORAGE_HANDOFF_FAILED, "interrupted while waiting for QEMU to give the disk "
                    + "of " + vmId + " up; the lease stays here", e);
        }
        if (runState.equals(PASSING)) {
            throw new HypervisorException(FailureReason.STORAGE_HANDOFF_FAILED, "QEMU was still finishing the migration of " + vmId
                    + " (run state finish-migrate) " + timeout.toMillis() + " ms after it was asked to hand the disk over, "
                    + "so it may still hold the disk image and the lease stays with this host; look at the source's QEMU "
                    + "(query-migrate) before retrying");
        }
        if (!runState.equals(HANDED_OVER)) {
            throw new HypervisorException(FailureReason.STORAGE_HANDOFF_FAILED, "QEMU still runs " + vmId + " here (run state "
                    + runState + ", not postmigrate), so it holds the disk image and the lease stays with this host; "
                    + "the final copy must complete first");
        }
    }
}
