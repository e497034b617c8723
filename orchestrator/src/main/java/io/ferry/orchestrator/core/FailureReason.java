package io.ferry.orchestrator.core;

/** Why a migration failed: typed, so operators can count and alert on them; the detail says the rest. */
public enum FailureReason {
    /** The destination could not create the skeleton VM or allocate its memory. */
    SKELETON_FAILED,
    /** The TCP data channel between the agents could not be opened or broke. */
    DATA_CHANNEL_FAILED,
    /** The destination's memory did not match the source's after the final copy. */
    MEMORY_MISMATCH,
    /** The storage lease could not be handed over. */
    STORAGE_HANDOFF_FAILED,
    /** The destination could not resume the VM. */
    RESUME_FAILED,
    /** The guest dirties memory faster than the link can carry it. */
    NOT_CONVERGING,
    /** An agent reported an error that fits no other reason. */
    AGENT_ERROR,
    /** An agent sent an outcome ferry does not understand. */
    UNKNOWN_OUTCOME,
    /** A host of the migration missed its heartbeats for longer than the liveness timeout. */
    HOST_UNREACHABLE,
    /**
     * A host's agent restarted while the migration was in flight and lost the state it held only in memory (the data
     * channel, the pre-copy stream, an incoming skeleton), which cannot be resumed: the migration rolls back.
     */
    AGENT_RESTARTED,
    /** Nothing moved (no outcome from either host) for longer than the policy's progress timeout. */
    PROGRESS_TIMEOUT,
    /** Not done within the completion timeout, which scales with the VM's memory (KubeVirt: 150 s per GiB). */
    COMPLETION_TIMEOUT,
    /** The source did not confirm its rollback, so ferry cannot vouch for where the VM runs. */
    ROLLBACK_INCOMPLETE;

    /** Reads a reason an agent reported; anything unknown becomes {@link #AGENT_ERROR} rather than being lost. */
    public static FailureReason fromAgent(String name) {
        if (name == null) {
            return AGENT_ERROR;
        }
        try {
            return valueOf(name);
        } catch (IllegalArgumentException e) {
            return AGENT_ERROR;
        }
    }
}
