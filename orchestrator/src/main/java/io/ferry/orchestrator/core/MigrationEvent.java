package io.ferry.orchestrator.core;

import io.ferry.orchestrator.core.Ids.CommandId;
import io.ferry.orchestrator.core.Ids.DrainId;
import io.ferry.orchestrator.core.Ids.HostId;
import io.ferry.orchestrator.core.Ids.RequestId;
import io.ferry.orchestrator.core.MigrationCommand.Channel;
import io.ferry.schema.common.FailureReason;
import java.time.Instant;

/** A fact in a migration's life, as kept in the event log. */
public sealed interface MigrationEvent {

    /**
     * Requested and pre-checked: the migration waits in QUEUED for a slot.
     *
     * @param placement how ferry chose the destination, or null when the request named it (and in older events)
     * @param drain the host drain it is part of, or null
     * @param forecast what the model predicted at request time, or null (older events)
     */
    record MigrationRequested(RequestId requestId, VmSpec vm, HostId source, HostId destination, Policy policy,
            String requestedBy, Channel channel, Instant requestedAt, Placement placement, DrainId drain, Forecast forecast)
            implements MigrationEvent {
        public MigrationRequested(RequestId requestId, VmSpec vm, HostId source, HostId destination, Policy policy,
                String requestedBy, Channel channel, Instant requestedAt) {
            this(requestId, vm, source, destination, policy, requestedBy, channel, requestedAt, null, null, null);
        }

        public MigrationRequested(RequestId requestId, VmSpec vm, HostId source, HostId destination, Policy policy,
                String requestedBy, Channel channel, Instant requestedAt, Placement placement, DrainId drain) {
            this(requestId, vm, source, destination, policy, requestedBy, channel, requestedAt, placement, drain, null);
        }
    }

    /** A slot was free: setup begins. The counts are what was running when it was admitted, for audit. */
    record MigrationAdmitted(int activeOnSource, int activeInCluster) implements MigrationEvent {}

    record StageCommandIssued(CommandId commandId, StageAction action, HostId target) implements MigrationEvent {}

    record SkeletonCreated(HostId host, String dataAddress) implements MigrationEvent {}

    record SourceConnected(HostId host) implements MigrationEvent {}

    record PrecopyRoundCompleted(CopyStats stats) implements MigrationEvent {}

    record PrecopyConverged(int rounds, long dirtyPagesRemaining, long expectedDowntimeMs) implements MigrationEvent {}

    record FinalCopyCompleted(Instant pausedAt, long pagesSent, long bytesSent, String memoryChecksum)
            implements MigrationEvent {}

    record StorageReleased(HostId host, long epoch) implements MigrationEvent {}

    record StorageAcquired(HostId host, long epoch) implements MigrationEvent {}

    /** @param breakdown where the blackout went, as the agents measured it; null when they did not say */
    record VmResumed(HostId host, Instant resumedAt, long downtimeMs, String memoryChecksum, DowntimeBreakdown breakdown)
            implements MigrationEvent {}

    record NetworkAnnounced(HostId host, String macAddress) implements MigrationEvent {}

    record SourceStopped(HostId host) implements MigrationEvent {}

    record MigrationCompleted(long totalMs, long downtimeMs, int rounds, long pagesSent, long bytesSent)
            implements MigrationEvent {}

    /** After resume a failed step is retried or, after the last retry, given up; the migration still completes. */
    record CleanupStepFailed(StageAction action, FailureReason reason, String detail, boolean retrying)
            implements MigrationEvent {}

    /** An operator asked to cancel before the final copy: both hosts roll back. */
    record CancelRequested(String requestedBy, Stage stage) implements MigrationEvent {}

    /** An operator asked to cancel too late (the final copy had begun); kept so the audit shows who tried. */
    record CancelRefused(String requestedBy, String state, String detail) implements MigrationEvent {}

    /** Something failed before the destination resumed: both hosts roll back. */
    record MigrationFailed(Stage stage, FailureReason reason, String detail) implements MigrationEvent {}

    record AbortConfirmed(HostId host) implements MigrationEvent {}

    /** A host did not confirm its rollback (unreachable, silent, or its abort failed); ferry stops waiting for it. */
    record AbortUnconfirmed(HostId host, String detail) implements MigrationEvent {}

    /** Cancelled; the source confirmed the VM runs there with its storage (or it never left the queue). */
    record MigrationCancelled(String requestedBy, String cancelledIn) implements MigrationEvent {}

    /** Rolled back after a failure; the source confirmed the VM runs there with its storage. */
    record MigrationRolledBack(String note) implements MigrationEvent {}

    /** The source did not confirm the rollback: where the VM runs must be checked by hand. */
    record RollbackIncomplete(String detail) implements MigrationEvent {}
}
