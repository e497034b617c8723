package io.ferry.orchestrator.core;

import io.ferry.orchestrator.core.Ids.CommandId;
import io.ferry.orchestrator.core.Ids.HostId;
import io.ferry.schema.common.FailureReason;
import java.time.Instant;

/** What a host agent reported about a command it was given. */
public sealed interface AgentReport {
    CommandId commandId();

    HostId host();

    record SkeletonReady(CommandId commandId, HostId host, String dataAddress) implements AgentReport {}

    record SourceConnected(CommandId commandId, HostId host) implements AgentReport {}

    record PrecopyProgress(CommandId commandId, HostId host, CopyStats stats) implements AgentReport {}

    record PrecopyConverged(CommandId commandId, HostId host, int rounds, long dirtyPagesRemaining,
            long expectedDowntimeMs) implements AgentReport {}

    record FinalCopyDone(CommandId commandId, HostId host, Instant pausedAt, long pagesSent, long bytesSent,
            String memoryChecksum) implements AgentReport {}

    record StorageReleased(CommandId commandId, HostId host, long epoch) implements AgentReport {}

    record StorageAcquired(CommandId commandId, HostId host, long epoch) implements AgentReport {}

    /**
     * @param pausedAt when the source paused, as the destination learned it on the data channel (null if unknown)
     * @param breakdown where the blackout went, as the agents measured it (null from agents that do not measure it)
     */
    record Resumed(CommandId commandId, HostId host, Instant pausedAt, Instant resumedAt, String memoryChecksum,
            DowntimeBreakdown breakdown) implements AgentReport {
        /** A resume reported without a breakdown, as agents did before they measured one. */
        public Resumed(CommandId commandId, HostId host, Instant pausedAt, Instant resumedAt, String memoryChecksum) {
            this(commandId, host, pausedAt, resumedAt, memoryChecksum, null);
        }
    }

    record NetworkAnnounced(CommandId commandId, HostId host, String macAddress) implements AgentReport {}

    record SourceStopped(CommandId commandId, HostId host) implements AgentReport {}

    record Aborted(CommandId commandId, HostId host) implements AgentReport {}

    record Failed(CommandId commandId, HostId host, FailureReason reason, String detail) implements AgentReport {}
}
