package io.ferry.hypervisor.estimate;

/**
 * Where the two drivers' pre-copy loops differ, for the model. Both follow {@link io.ferry.hypervisor.Convergence}
 * (5 % progress, the progress timeout, the throttle steps); the simulated one also stops at the request's round limit
 * and converges once the remaining set fits the downtime limit, while QEMU iterates without a round limit and is
 * ready once it fits twice the limit (QemuPrecopy's READY_FACTOR: it then switches under the limit itself).
 */
public enum Driver {
    SIMULATED(1, true),
    QEMU(2, false);

    /** The remaining set converges once it goes within this many downtime limits. */
    public final int readyFactor;
    /** Whether the request's maxRounds ends a pre-copy that has not converged by then. */
    public final boolean roundLimit;

    Driver(int readyFactor, boolean roundLimit) {
        this.readyFactor = readyFactor;
        this.roundLimit = roundLimit;
    }

    /** The driver a heartbeat names ({@code simulated}, {@code qemu}); unknown names are modelled as simulated. */
    public static Driver named(String name) {
        return "qemu".equalsIgnoreCase(name) ? QEMU : SIMULATED;
    }
}
