package io.ferry.orchestrator.outcomes;

import io.ferry.orchestrator.core.AgentReport;
import io.ferry.schema.common.FailureReason;
import io.ferry.orchestrator.core.Ids.CommandId;
import io.ferry.orchestrator.core.Ids.HostId;
import io.ferry.orchestrator.eventlog.EventCodec;
import io.ferry.schema.agent.AgentOutcome;
import io.ferry.schema.common.CopyProgress;
import java.util.UUID;

/** Reads an agent's wire outcome as the core's report; missing fields become a typed failure, not a crash. */
final class OutcomeMapper {
    private OutcomeMapper() {}

    static AgentReport toReport(AgentOutcome o) {
        CommandId command = new CommandId(UUID.fromString(o.getCommandId()));
        HostId host = new HostId(o.getHost());
        try {
            return switch (o.getKind()) {
                case SKELETON_READY -> new AgentReport.SkeletonReady(command, host, required(o.getDataAddress(), "dataAddress"));
                case SOURCE_CONNECTED -> new AgentReport.SourceConnected(command, host);
                case PRECOPY_PROGRESS -> new AgentReport.PrecopyProgress(command, host,
                        EventCodec.stats(required(o.getProgress(), "progress")));
                case PRECOPY_CONVERGED -> {
                    CopyProgress p = required(o.getProgress(), "progress");
                    yield new AgentReport.PrecopyConverged(command, host, p.getRound(), p.getDirtyPagesRemaining(),
                            p.getExpectedDowntimeMs());
                }
                case FINAL_COPY_DONE -> new AgentReport.FinalCopyDone(command, host, required(o.getPausedAt(), "pausedAt"),
                        required(o.getPagesSent(), "pagesSent"), required(o.getBytesSent(), "bytesSent"),
                        required(o.getMemoryChecksum(), "memoryChecksum"));
                case STORAGE_RELEASED -> new AgentReport.StorageReleased(command, host, required(o.getStorageEpoch(), "storageEpoch"));
                case STORAGE_ACQUIRED -> new AgentReport.StorageAcquired(command, host, required(o.getStorageEpoch(), "storageEpoch"));
                case RESUMED -> new AgentReport.Resumed(command, host, o.getPausedAt(), o.getOccurredAt(),
                        required(o.getMemoryChecksum(), "memoryChecksum"),
                        o.getDowntimeBreakdown() == null ? null : EventCodec.breakdown(o.getDowntimeBreakdown()));
                case NETWORK_ANNOUNCED -> new AgentReport.NetworkAnnounced(command, host, o.getDetail() == null ? "" : o.getDetail());
                case SOURCE_STOPPED -> new AgentReport.SourceStopped(command, host);
                case ABORTED -> new AgentReport.Aborted(command, host);
                case FAILED -> new AgentReport.Failed(command, host, reason(o.getFailureReason()),
                        o.getDetail() == null ? "no detail given" : o.getDetail());
                case UNKNOWN -> new AgentReport.Failed(command, host, FailureReason.UNKNOWN_OUTCOME,
                        "the agent reported an outcome this orchestrator does not know");
            };
        } catch (MissingFieldException e) {
            return new AgentReport.Failed(command, host, FailureReason.UNKNOWN_OUTCOME,
                    o.getKind() + " outcome lacks " + e.getMessage());
        }
    }

    /**
     * The wire keeps the reason a string (released AgentOutcome v1 has it so, and string to enum is no Avro
     * promotion); a name this orchestrator does not know becomes AGENT_ERROR rather than being lost, as the enum's
     * default does for Avro readers.
     */
    static FailureReason reason(String name) {
        if (name == null) {
            return FailureReason.AGENT_ERROR;
        }
        try {
            return FailureReason.valueOf(name);
        } catch (IllegalArgumentException e) {
            return FailureReason.AGENT_ERROR;
        }
    }

    private static <T> T required(T value, String field) {
        if (value == null) {
            throw new MissingFieldException(field);
        }
        return value;
    }

    private static final class MissingFieldException extends RuntimeException {
        MissingFieldException(String field) {
            super(field, null, false, false);
        }
    }
}
