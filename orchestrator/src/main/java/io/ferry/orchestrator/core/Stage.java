package io.ferry.orchestrator.core;

/** The six stages of a live migration (Hyper-V R2), in order. */
public enum Stage {
    SETUP, PRECOPY, FINAL_COPY, STORAGE, RESUMING, NETWORK_CLEANUP;

    /** Before the final copy a migration can still be abandoned with the VM untouched on the source. */
    public boolean beforeFinalCopy() {
        return this == SETUP || this == PRECOPY;
    }

    /** Once the destination runs the VM the migration only moves forward. */
    public boolean afterResume() {
        return this == NETWORK_CLEANUP;
    }
}
