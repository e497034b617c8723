package io.ferry.orchestrator.core;

import io.ferry.schema.common.FailureReason;

/**
 * Whether a migration's pre-copy converged, as an estimate's verdict is judged against it: one rule for the recorded
 * estimate beside the actual, its metric and the what-if.
 */
public final class ConvergeVerdict {
    private ConvergeVerdict() {}

    /**
     * @param reason why it failed; null when it did not
     * @param paused whether the guest was ever paused for the switchover
     * @return true when it completed; false when it failed NOT_CONVERGING, or ran out of its completion time without
     *     ever pausing the guest (its pre-copy never got small enough); null when it ended otherwise (nothing to judge)
     */
    public static Boolean of(boolean completed, FailureReason reason, boolean paused) {
        if (completed) {
            return Boolean.TRUE;
        }
        if (reason == FailureReason.NOT_CONVERGING || reason == FailureReason.COMPLETION_TIMEOUT && !paused) {
            return Boolean.FALSE;
        }
        return null;
    }
}
