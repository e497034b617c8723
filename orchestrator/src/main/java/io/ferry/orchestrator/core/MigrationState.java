package io.ferry.orchestrator.core;

import io.ferry.orchestrator.core.Ids.CommandId;
import io.ferry.orchestrator.core.Ids.HostId;
import io.ferry.orchestrator.core.Ids.RequestId;
import io.ferry.orchestrator.core.MigrationCommand.Channel;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/** A migration as folded from its events. */
public sealed interface MigrationState {

    /** The label operators see (and the projection stores). */
    String label();

    /** What was asked; empty only before the migration was requested. */
    default java.util.Optional<Plan> requested() {
        return switch (this) {
            case Active a -> java.util.Optional.of(a.plan());
            case Completed c -> java.util.Optional.of(c.plan());
            case Failed f -> java.util.Optional.of(f.plan());
            case Absent a -> java.util.Optional.empty();
        };
    }

    /** What was asked: fixed once the migration is requested. */
    record Plan(RequestId requestId, VmSpec vm, HostId source, HostId destination, Policy policy, String requestedBy,
            Channel channel, Instant requestedAt) {}

    /** What has been achieved so far. */
    record Progress(String dataAddress, int rounds, long pagesSent, long bytesSent, Instant pausedAt,
            String memoryChecksum, long storageEpoch, long downtimeMs) {
        static final Progress NONE = new Progress(null, 0, 0, 0, null, null, 0, 0);

        Progress withDataAddress(String address) {
            return new Progress(address, rounds, pagesSent, bytesSent, pausedAt, memoryChecksum, storageEpoch, downtimeMs);
        }

        Progress plusRound(CopyStats stats) {
            return new Progress(dataAddress, stats.round(), pagesSent + stats.pagesSent(), bytesSent + stats.bytesSent(),
                    pausedAt, memoryChecksum, storageEpoch, downtimeMs);
        }

        Progress plusFinalCopy(Instant paused, long pages, long bytes, String checksum) {
            return new Progress(dataAddress, rounds, pagesSent + pages, bytesSent + bytes, paused, checksum, storageEpoch,
                    downtimeMs);
        }

        Progress withEpoch(long epoch) {
            return new Progress(dataAddress, rounds, pagesSent, bytesSent, pausedAt, memoryChecksum, epoch, downtimeMs);
        }

        Progress withDowntime(long ms) {
            return new Progress(dataAddress, rounds, pagesSent, bytesSent, pausedAt, memoryChecksum, storageEpoch, ms);
        }
    }

    record Absent() implements MigrationState {
        @Override
        public String label() {
            return "ABSENT";
        }
    }

    /**
     * In one of the six stages, waiting for the outcomes of the commands in {@code awaiting} (one per action; the
     * switchover issues four at once so the agents can run them without a Kafka round trip in between).
     */
    record Active(Plan plan, Stage stage, Map<StageAction, CommandId> awaiting, Progress progress)
            implements MigrationState {
        public Active {
            awaiting = Map.copyOf(awaiting);
        }

        @Override
        public String label() {
            return stage.name();
        }

        /** Stages only move forward: outcomes of the two hosts may be consumed in either order. */
        Active at(Stage next) {
            return next.compareTo(stage) <= 0 ? this : new Active(plan, next, awaiting, progress);
        }

        Active with(Progress next) {
            return new Active(plan, stage, awaiting, next);
        }

        Active issued(StageAction action, CommandId command) {
            Map<StageAction, CommandId> next = new EnumMap<>(StageAction.class);
            next.putAll(awaiting);
            next.put(action, command);
            return new Active(plan, stage, next, progress);
        }

        Active done(StageAction action) {
            Map<StageAction, CommandId> next = new EnumMap<>(StageAction.class);
            next.putAll(awaiting);
            next.remove(action);
            return new Active(plan, stage, next, progress);
        }

        boolean awaits(StageAction action, CommandId command) {
            return command.equals(awaiting.get(action));
        }
    }

    record Completed(Plan plan, Progress progress, long totalMs) implements MigrationState {
        @Override
        public String label() {
            return "COMPLETED";
        }
    }

    record Failed(Plan plan, Stage stage, FailureReason reason, String detail, Progress progress)
            implements MigrationState {
        @Override
        public String label() {
            return "FAILED";
        }
    }
}
