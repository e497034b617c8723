package io.ferry.orchestrator.core;

import io.ferry.orchestrator.core.Ids.CommandId;
import io.ferry.orchestrator.core.Ids.HostId;
import io.ferry.orchestrator.core.Ids.RequestId;
import io.ferry.orchestrator.core.MigrationCommand.Channel;
import java.time.Instant;

/** A fact in a migration's life, as kept in the event log. */
public sealed interface MigrationEvent {

    record MigrationRequested(RequestId requestId, VmSpec vm, HostId source, HostId destination, Policy policy,
            String requestedBy, Channel channel, Instant requestedAt) implements MigrationEvent {}

    record StageCommandIssued(CommandId commandId, StageAction action, HostId target) implements MigrationEvent {}

    record SkeletonCreated(HostId host, String dataAddress) implements MigrationEvent {}

    record SourceConnected(HostId host) implements MigrationEvent {}

    record PrecopyRoundCompleted(CopyStats stats) implements MigrationEvent {}

    record PrecopyConverged(int rounds, long dirtyPagesRemaining, long expectedDowntimeMs) implements MigrationEvent {}

    record FinalCopyCompleted(Instant pausedAt, long pagesSent, long bytesSent, String memoryChecksum)
            implements MigrationEvent {}

    record StorageReleased(HostId host, long epoch) implements MigrationEvent {}

    record StorageAcquired(HostId host, long epoch) implements MigrationEvent {}

    record VmResumed(HostId host, Instant resumedAt, long downtimeMs, String memoryChecksum) implements MigrationEvent {}

    record NetworkAnnounced(HostId host, String macAddress) implements MigrationEvent {}

    record SourceStopped(HostId host) implements MigrationEvent {}

    record MigrationCompleted(long totalMs, long downtimeMs, int rounds, long pagesSent, long bytesSent)
            implements MigrationEvent {}

    record MigrationFailed(Stage stage, FailureReason reason, String detail) implements MigrationEvent {}
}
