package io.ferry.hypervisor;

import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import io.ferry.schema.common.FailureReason;
import java.util.function.LongSupplier;

/**
 * The convergence rule both drivers' pre-copy loops follow, so a request behaves the same on either: a round counts
 * as progress when it shrinks the best remaining dirty set by 5 %; a set that has not shrunk for the policy's progress
 * timeout gives up with NOT_CONVERGING and the guest runs on; auto-converge throttles the guest QEMU's way (20 %, then
 * +10 % per step, at most 99 %). One instance follows one migration's pre-copy.
 */
public final class Convergence {
    /** A round must shrink the best remaining set by this factor to count as progress. */
    public static final double PROGRESS = 0.95;
    public static final int THROTTLE_FIRST = 20;
    public static final int THROTTLE_STEP = 10;
    public static final int THROTTLE_MAX = 99;
    /**
     * A throttled guest runs this long, then sleeps its throttled share ({@code slice * t / (100 - t)}): QEMU's
     * CPU_THROTTLE_TIMESLICE_NS, and the simulated guest's.
     */
    public static final long THROTTLE_SLICE_MS = 10;
    /** The progress timeout the agents give pre-copy (the request's progressTimeoutS is the orchestrator's). */
    public static final long PROGRESS_TIMEOUT_MS = 30_000;

    private final CopyPolicy policy;
    private final LongSupplier nanoTime;
    private long bestRemaining = Long.MAX_VALUE;
    private long lastProgress;

    public Convergence(CopyPolicy policy, LongSupplier nanoTime) {
        this.policy = policy;
        this.nanoTime = nanoTime;
        this.lastProgress = nanoTime.getAsLong();
    }

    public Convergence(CopyPolicy policy) {
        this(policy, System::nanoTime);
    }

    /** Records the dirty set a round left; answers whether it was progress. */
    public boolean observe(long remaining) {
        if (remaining < bestRemaining * PROGRESS) {
            bestRemaining = remaining;
            lastProgress = nanoTime.getAsLong();
            return true;
        }
        return false;
    }

    /** Whether the remaining set has not shrunk for longer than the policy's progress timeout. */
    public boolean stalled() {
        return nanoTime.getAsLong() - lastProgress > policy.progressTimeoutMs() * 1_000_000;
    }

    /** A new throttle step deserves its own chance: the progress timeout starts again. */
    public void restart() {
        lastProgress = nanoTime.getAsLong();
    }

    /** The throttle after {@code current}: the first step, one more step, or the ceiling. */
    public static int nextThrottle(int current) {
        return Math.min(THROTTLE_MAX, current == 0 ? THROTTLE_FIRST : current + THROTTLE_STEP);
    }

    /**
     * Why pre-copy gave up, and what the operator can do.
     *
     * @param rateNote what the driver measured of guest and link, e.g. " (the guest dirties …)", or ""
     * @param outcome what became of the migration and the guest, e.g. "the guest keeps running on the source"
     */
    public HypervisorException notConverging(int rounds, long dirtyPages, String rateNote, long expectedMs, int throttle,
            String outcome) {
        return new HypervisorException(FailureReason.NOT_CONVERGING, String.format("after %d rounds %d pages are still "
                + "dirty%s, an expected downtime of %d ms against the %d ms allowed%s; %s. %s raise the bandwidth or the "
                + "downtime limit, or migrate when the guest is quieter.", rounds, dirtyPages, rateNote, expectedMs,
                policy.maxDowntimeMs(), throttle > 0 ? " even with the guest throttled " + throttle + " %" : "", outcome,
                policy.autoConverge() ? "" : "Allow auto-converge,"));
    }
}
