package io.ferry.hypervisor;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The driver seam: every stage handler talks to this, never to a particular hypervisor. Two drivers implement it,
 * chosen per host by {@code ferry.agent.driver}: the simulated VM ({@code hypervisor.simulated}) and QEMU over QMP
 * ({@code hypervisor.qemu}). Methods run on the host that the stage names and may block (they run on the stage
 * lanes' threads).
 */
public interface Hypervisor {

    String driverName();

    List<VmInfo> vms();

    long totalMemoryMb();

    long freeMemoryMb();

    List<String> cpuFeatures();

    /** Stage 1, destination: create the skeleton VM, allocate its memory, accept the source on the data channel. */
    String prepareSkeleton(MigrationTicket ticket, VmSpec spec);

    /** Stage 1, source: open the data channel to the destination and send the VM's configuration over it. */
    void connectSource(MigrationTicket ticket, String dataAddress);

    /** Stage 2, source: copy memory while the guest runs, round after round, until it converges. */
    PrecopyResult precopy(MigrationTicket ticket, CopyPolicy policy, Consumer<RoundStats> onRound);

    /**
     * Stage 3, source, once the switchover is authorised: pause the guest and send the remaining pages and the
     * register/device state. Pre-copy left the guest running (QEMU iterating under a tiny downtime limit), so nothing
     * that decides the switchover happens after the pause.
     */
    FinalCopyResult finalCopy(MigrationTicket ticket);

    /**
     * Stage 3, destination: wait until the whole stream, device state included, has arrived and been checked here,
     * and return the digest of what arrived, to compare with the source's before the guest runs. The skeleton stays
     * paused. {@link #resume} afterwards only starts it.
     */
    String awaitArrival(MigrationTicket ticket, java.time.Duration timeout);

    /**
     * Stage 4, source, before the disk's lease is given up: make sure nothing on this host still writes the disk (QEMU
     * gives its image up when the switchover completes). Throws STORAGE_HANDOFF_FAILED otherwise, keeping the lease.
     */
    void releaseDisk(MigrationTicket ticket);

    /** Stage 5, destination: run the VM from the memory and state received. */
    ResumeResult resume(MigrationTicket ticket);

    /**
     * Stage 6, destination: announce the VM's MAC address from here (QEMU's announce-self); the handler also updates
     * the switch's table.
     */
    void announce(MigrationTicket ticket);

    /**
     * Runs the code of the blackout (digests, checks) a few times on scratch data, so that a fresh agent's first
     * switchover does not pay for class loading and the interpreter. Called once, off the start-up path.
     */
    default void warmUp() {
    }

    /**
     * Watches a running guest for about {@code window} without migrating it (an estimate's input): how fast it dirties
     * fresh pages and where its dirty set saturates, its used and zero pages. Blocks for the window. Empty when the VM
     * does not run here. It never touches a pre-copy's dirty log.
     */
    java.util.Optional<io.ferry.hypervisor.estimate.GuestSample> sample(String vmId, java.time.Duration window);

    /** Stage 6, source: drop the paused copy and free its memory. */
    void discardSource(MigrationTicket ticket);

    /**
     * Roll back this host's part. A destination drops its skeleton and memory, and refuses (HypervisorException) once
     * the VM has resumed here: past resume a migration only moves forward. A source stops sending and leaves the
     * guest as it is; if the final copy paused it, {@link #resumeAfterAbort} runs it again once the disk is back.
     */
    void abort(MigrationTicket ticket);

    /** Source, after it holds the VM's disk again: run the guest again if the final copy had paused it. */
    void resumeAfterAbort(MigrationTicket ticket);

    /**
     * One migration on this host; {@code token} is the data channel's one-time secret (never logged);
     * {@code sourceDataHost}, on a destination, where the source's data channel must come from (null: not known).
     */
    record MigrationTicket(String migrationId, String vmId, String token, String sourceDataHost) {
        public MigrationTicket(String migrationId, String vmId, String token) {
            this(migrationId, vmId, token, null);
        }

        @Override
        public String toString() {
            return "MigrationTicket[" + migrationId + ", " + vmId + "]";
        }
    }

    record VmSpec(String vmId, int memoryMb, int vcpus, String macAddress, String diskPath, List<String> cpuFeatures) {}

    enum VmState { RUNNING, PAUSED, SKELETON }

    record VmInfo(VmSpec spec, VmState state) {}

    enum Compression { NONE, LZ4, ZSTD }

    /**
     * @param progressTimeoutMs how long pre-copy may go without the remaining dirty set shrinking before it gives up
     *     with NOT_CONVERGING (the guest keeps running on the source)
     */
    record CopyPolicy(long maxDowntimeMs, int bandwidthMbps, int maxRounds, boolean autoConverge, Compression compression,
            long progressTimeoutMs) {
        public static CopyPolicy of(long maxDowntimeMs, int bandwidthMbps, int maxRounds) {
            return new CopyPolicy(maxDowntimeMs, bandwidthMbps, maxRounds, false, Compression.NONE, 30_000);
        }
    }

    record RoundStats(int round, long pagesSent, long bytesSent, long zeroPages, long dirtyPagesRemaining,
            double dirtyRatePagesPerSec, double throughputMbps, long expectedDowntimeMs, long roundMs, long uncompressedBytes,
            int throttlePercent) {}

    record PrecopyResult(int rounds, long dirtyPagesRemaining, long expectedDowntimeMs) {}

    /** @param times where the source's part of the blackout went */
    record FinalCopyResult(Instant pausedAt, long pagesSent, long bytesSent, String memoryChecksum, TailTimes times) {}

    /**
     * The source's part of the blackout, in microseconds.
     *
     * @param lastPageUs pause to the last page sent (QEMU: to its migration completed, device state included)
     * @param deviceStateUs the device state sent; -1 when the driver sends it inside the tail (QEMU)
     * @param digestUs the source's digest of the paused guest and, where the driver checks on the stream, the
     *     destination's answer
     * @param authorisationWaitUs how long the guest sat paused before the switchover was authorised: 0 unless QEMU
     *     finished pre-copy on its own (a guest too idle to keep it iterating)
     */
    record TailTimes(long lastPageUs, long deviceStateUs, long digestUs, long authorisationWaitUs) {}

    /** @param pausedAt when the source paused the guest, so the destination can state the downtime */
    record ResumeResult(Instant pausedAt, Instant resumedAt, String memoryChecksum) {}
}
