package io.ferry.hypervisor.estimate;

/**
 * Where the two drivers' pre-copy loops differ, for the model. Both follow {@link io.ferry.hypervisor.Convergence}
 * (5 % progress, the progress timeout, the throttle steps); the simulated one also stops at the request's round limit
 * and converges once the remaining set fits the downtime limit, while QEMU iterates without a round limit and is
 * ready once it fits twice the limit (QemuPrecopy's READY_FACTOR: it then switches under the limit itself).
 */
public enum Driver {
    SIMULATED(1, true, true),
    QEMU(2, false, false);

    /** The remaining set converges once it goes within this many downtime limits. */
    public final int readyFactor;
    /** Whether the request's maxRounds ends a pre-copy that has not converged by then. */
    public final boolean roundLimit;
    /**
     * Whether the pause sends the set left at convergence. QEMU's does not: its driver keeps it iterating under a 1 ms
     * downtime limit until the switchover is authorised (QemuPrecopy.HOLD_DOWNTIME_MS), so it pauses with only what
     * its last pass left, and its pause is about its switchover alone (measured here: 48-94 ms for a 256 MB guest
     * rewriting 64 MiB, whose set at convergence would take 250-300 ms).
     */
    public final boolean pauseSendsConvergedSet;

    Driver(int readyFactor, boolean roundLimit, boolean pauseSendsConvergedSet) {
        this.readyFactor = readyFactor;
        this.roundLimit = roundLimit;
        this.pauseSendsConvergedSet = pauseSendsConvergedSet;
    }

    /** The driver a heartbeat names ({@code simulated}, {@code qemu}); unknown names are modelled as simulated. */
    public static Driver named(String name) {
        return "qemu".equalsIgnoreCase(name) ? QEMU : SIMULATED;
    }
}
