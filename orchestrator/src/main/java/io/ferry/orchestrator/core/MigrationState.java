package io.ferry.orchestrator.core;

import io.ferry.orchestrator.core.Ids.CommandId;
import io.ferry.orchestrator.core.Ids.HostId;
import io.ferry.orchestrator.core.Ids.RequestId;
import io.ferry.orchestrator.core.MigrationCommand.Channel;
import io.ferry.schema.common.FailureReason;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A migration as folded from its events: QUEUED, then one of the six stages (Active), then COMPLETED; or, before the
 * destination resumes, CANCELLING / ROLLING_BACK (Unwinding) and then CANCELLED, ROLLED_BACK or FAILED.
 */
public sealed interface MigrationState {

    /** Labels of the states in flight: in a stage or rolling back. They hold a slot and are watched for timeouts. */
    List<String> IN_FLIGHT = io.ferry.schema.MigrationStatus.names(io.ferry.schema.MigrationStatus.IN_FLIGHT);

    /** The label operators see (and the projection stores). */
    String label();

    /** True once nothing more will happen to the migration. */
    default boolean terminal() {
        return switch (this) {
            case Completed c -> true;
            case Cancelled c -> true;
            case RolledBack r -> true;
            case Failed f -> true;
            case Absent a -> false;
            case Queued q -> false;
            case Active a -> false;
            case Unwinding u -> false;
        };
    }

    /** What was asked; empty only before the migration was requested. */
    default Optional<Plan> requested() {
        return switch (this) {
            case Absent a -> Optional.empty();
            case Queued q -> Optional.of(q.plan());
            case Active a -> Optional.of(a.plan());
            case Unwinding u -> Optional.of(u.plan());
            case Completed c -> Optional.of(c.plan());
            case Cancelled c -> Optional.of(c.plan());
            case RolledBack r -> Optional.of(r.plan());
            case Failed f -> Optional.of(f.plan());
        };
    }

    /** What was asked: fixed once the migration is requested. */
    /** @param placement how ferry chose the destination (null: the request named it); @param drain null unless a drain's */
    record Plan(RequestId requestId, VmSpec vm, HostId source, HostId destination, Policy policy, String requestedBy,
            Channel channel, Instant requestedAt, Placement placement, Ids.DrainId drain) {}

    /** What has been achieved so far. {@code breakdown} is where the blackout went, once resumed (null if unsaid). */
    record Progress(String dataAddress, int rounds, long pagesSent, long bytesSent, Instant pausedAt,
            String memoryChecksum, long storageEpoch, long downtimeMs, DowntimeBreakdown breakdown) {
        public static final Progress NONE = new Progress(null, 0, 0, 0, null, null, 0, 0, null);

        Progress withDataAddress(String address) {
            return new Progress(address, rounds, pagesSent, bytesSent, pausedAt, memoryChecksum, storageEpoch, downtimeMs,
                    breakdown);
        }

        Progress plusRound(CopyStats stats) {
            return new Progress(dataAddress, stats.round(), pagesSent + stats.pagesSent(), bytesSent + stats.bytesSent(),
                    pausedAt, memoryChecksum, storageEpoch, downtimeMs, breakdown);
        }

        Progress plusFinalCopy(Instant paused, long pages, long bytes, String checksum) {
            return new Progress(dataAddress, rounds, pagesSent + pages, bytesSent + bytes, paused, checksum, storageEpoch,
                    downtimeMs, breakdown);
        }

        Progress withEpoch(long epoch) {
            return new Progress(dataAddress, rounds, pagesSent, bytesSent, pausedAt, memoryChecksum,
                    Math.max(storageEpoch, epoch), downtimeMs, breakdown);
        }

        Progress withDowntime(long ms, DowntimeBreakdown where) {
            return new Progress(dataAddress, rounds, pagesSent, bytesSent, pausedAt, memoryChecksum, storageEpoch, ms,
                    where);
        }
    }

    record Absent() implements MigrationState {
        @Override
        public String label() {
            return "ABSENT";
        }
    }

    /** Requested and checked, waiting for a free slot under the concurrency limits. */
    record Queued(Plan plan) implements MigrationState {
        @Override
        public String label() {
            return "QUEUED";
        }
    }

    /**
     * In one of the six stages, waiting for the outcomes of the commands in {@code awaiting} (one per action; the
     * switchover issues four at once so the agents can run them without a Kafka round trip in between).
     *
     * @param admittedAt when setup began (the completion timeout runs from here)
     * @param lastProgressAt when the migration last moved (the progress timeout runs from here)
     * @param retries how often each post-resume step was retried (after resume the migration only moves forward)
     */
    record Active(Plan plan, Stage stage, Map<StageAction, CommandId> awaiting, Progress progress, Instant admittedAt,
            Instant lastProgressAt, Map<StageAction, Integer> retries, List<String> warnings)
            implements MigrationState {
        public Active {
            awaiting = Map.copyOf(awaiting);
            retries = Map.copyOf(retries);
            warnings = List.copyOf(warnings);
        }

        static Active admitted(Plan plan, Instant at) {
            return new Active(plan, Stage.SETUP, Map.of(), Progress.NONE, at, at, Map.of(), List.of());
        }

        @Override
        public String label() {
            return stage.name();
        }

        /** Stages only move forward: outcomes of the two hosts may be consumed in either order. */
        Active at(Stage next) {
            return next.compareTo(stage) <= 0 ? this
                    : new Active(plan, next, awaiting, progress, admittedAt, lastProgressAt, retries, warnings);
        }

        Active with(Progress next) {
            return new Active(plan, stage, awaiting, next, admittedAt, lastProgressAt, retries, warnings);
        }

        Active movedAt(Instant at) {
            return new Active(plan, stage, awaiting, progress, admittedAt, at, retries, warnings);
        }

        Active issued(StageAction action, CommandId command) {
            Map<StageAction, CommandId> next = new EnumMap<>(StageAction.class);
            next.putAll(awaiting);
            next.put(action, command);
            return new Active(plan, stage, next, progress, admittedAt, lastProgressAt, retries, warnings);
        }

        Active done(StageAction action) {
            Map<StageAction, CommandId> next = new EnumMap<>(StageAction.class);
            next.putAll(awaiting);
            next.remove(action);
            return new Active(plan, stage, next, progress, admittedAt, lastProgressAt, retries, warnings);
        }

        Active retried(StageAction action, String warning) {
            Map<StageAction, Integer> next = new EnumMap<>(StageAction.class);
            next.putAll(retries);
            next.merge(action, 1, Integer::sum);
            List<String> w = new java.util.ArrayList<>(warnings);
            w.add(warning);
            return new Active(plan, stage, awaiting, progress, admittedAt, lastProgressAt, next, w);
        }

        int retriesOf(StageAction action) {
            return retries.getOrDefault(action, 0);
        }

        boolean awaits(StageAction action, CommandId command) {
            return command.equals(awaiting.get(action));
        }
    }

    /** Why a migration is being unwound: an operator's cancel, or a failure before the destination resumed. */
    sealed interface Cause {
        record Cancel(String requestedBy, Stage stage) implements Cause {}

        record Failure(Stage stage, FailureReason reason, String detail) implements Cause {}
    }

    /**
     * Rolling back before the destination resumed: both hosts were sent ABORT; the migration ends once each has
     * confirmed or been given up on (unreachable, or silent past the rollback timeout).
     *
     * @param awaiting the ABORT command each host still owes an answer to
     * @param sourceConfirmed the source confirmed the VM runs there with its storage
     * @param unconfirmed hosts given up on, with why
     */
    record Unwinding(Plan plan, Cause cause, Progress progress, Map<HostId, CommandId> awaiting, boolean sourceConfirmed,
            Map<HostId, String> unconfirmed, Instant since) implements MigrationState {
        public Unwinding {
            awaiting = Map.copyOf(awaiting);
            unconfirmed = Map.copyOf(unconfirmed);
        }

        @Override
        public String label() {
            return switch (cause) {
                case Cause.Cancel c -> "CANCELLING";
                case Cause.Failure f -> "ROLLING_BACK";
            };
        }

        Unwinding issued(HostId host, CommandId command) {
            Map<HostId, CommandId> next = new HashMap<>(awaiting);
            next.put(host, command);
            return new Unwinding(plan, cause, progress, next, sourceConfirmed, unconfirmed, since);
        }

        Unwinding confirmed(HostId host) {
            Map<HostId, CommandId> next = new HashMap<>(awaiting);
            next.remove(host);
            return new Unwinding(plan, cause, progress, next, sourceConfirmed || host.equals(plan.source()), unconfirmed,
                    since);
        }

        Unwinding givenUp(HostId host, String why) {
            Map<HostId, CommandId> next = new HashMap<>(awaiting);
            next.remove(host);
            Map<HostId, String> gone = new HashMap<>(unconfirmed);
            gone.put(host, why);
            return new Unwinding(plan, cause, progress, next, sourceConfirmed, gone, since);
        }

        boolean awaits(HostId host, CommandId command) {
            return command.equals(awaiting.get(host));
        }
    }

    /** The VM runs on the destination. {@code warnings} lists post-resume steps that had to be retried or given up. */
    record Completed(Plan plan, Progress progress, long totalMs, List<String> warnings) implements MigrationState {
        @Override
        public String label() {
            return "COMPLETED";
        }
    }

    /** Cancelled by an operator; the VM runs on the source with its storage. */
    record Cancelled(Plan plan, Progress progress, String requestedBy, String cancelledIn) implements MigrationState {
        @Override
        public String label() {
            return "CANCELLED";
        }
    }

    /** Failed before the destination resumed; the source confirmed the VM runs there with its storage. */
    record RolledBack(Plan plan, Stage stage, FailureReason reason, String detail, Progress progress)
            implements MigrationState {
        @Override
        public String label() {
            return "ROLLED_BACK";
        }
    }

    /** Failed, and the source could not confirm the VM runs there (unreachable, or its rollback failed). */
    record Failed(Plan plan, Stage stage, FailureReason reason, String detail, Progress progress)
            implements MigrationState {
        @Override
        public String label() {
            return "FAILED";
        }
    }
}
