package io.ferry.orchestrator.core;

import io.ferry.orchestrator.core.AgentReport.Aborted;
import io.ferry.orchestrator.core.AgentReport.Failed;
import io.ferry.orchestrator.core.AgentReport.FinalCopyDone;
import io.ferry.orchestrator.core.AgentReport.PrecopyProgress;
import io.ferry.orchestrator.core.AgentReport.Resumed;
import io.ferry.orchestrator.core.AgentReport.SkeletonReady;
import io.ferry.orchestrator.core.Ids.CommandId;
import io.ferry.orchestrator.core.Ids.HostId;
import io.ferry.orchestrator.core.MigrationCommand.Report;
import io.ferry.orchestrator.core.MigrationCommand.Submit;
import io.ferry.orchestrator.core.MigrationEvent.FinalCopyCompleted;
import io.ferry.orchestrator.core.MigrationEvent.MigrationCompleted;
import io.ferry.orchestrator.core.MigrationEvent.MigrationFailed;
import io.ferry.orchestrator.core.MigrationEvent.MigrationRequested;
import io.ferry.orchestrator.core.MigrationEvent.NetworkAnnounced;
import io.ferry.orchestrator.core.MigrationEvent.PrecopyConverged;
import io.ferry.orchestrator.core.MigrationEvent.PrecopyRoundCompleted;
import io.ferry.orchestrator.core.MigrationEvent.SkeletonCreated;
import io.ferry.orchestrator.core.MigrationEvent.SourceConnected;
import io.ferry.orchestrator.core.MigrationEvent.SourceStopped;
import io.ferry.orchestrator.core.MigrationEvent.StageCommandIssued;
import io.ferry.orchestrator.core.MigrationEvent.StorageAcquired;
import io.ferry.orchestrator.core.MigrationEvent.StorageReleased;
import io.ferry.orchestrator.core.MigrationEvent.VmResumed;
import io.ferry.orchestrator.core.MigrationState.Absent;
import io.ferry.orchestrator.core.MigrationState.Active;
import io.ferry.orchestrator.core.MigrationState.Completed;
import io.ferry.orchestrator.core.MigrationState.Plan;
import io.ferry.orchestrator.core.MigrationState.Progress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The migration state machine: {@link #decide} turns an input into events, {@link #evolve} folds an event into the
 * state. Both are pure: time arrives inside the inputs and new ids from the injected supplier, so replaying a log
 * through them gives the same answers every time.
 */
public final class Migration {
    private final Supplier<UUID> ids;

    public Migration(Supplier<UUID> ids) {
        this.ids = Objects.requireNonNull(ids);
    }

    public static MigrationState initial() {
        return new Absent();
    }

    public static MigrationState fold(List<MigrationEvent> events) {
        MigrationState state = initial();
        for (MigrationEvent event : events) {
            state = evolve(state, event);
        }
        return state;
    }

    public List<MigrationEvent> decide(MigrationCommand command, MigrationState state) {
        return switch (command) {
            case Submit submit -> switch (state) {
                case Absent absent -> List.of(requested(submit), issue(StageAction.PREPARE_DESTINATION, submit.destination()));
                // The same request again (a redelivery or a retry) changes nothing.
                case Active active -> List.of();
                case Completed completed -> List.of();
                case MigrationState.Failed failed -> List.of();
            };
            case Report report -> switch (state) {
                case Active active -> accepts(active, report.report())
                        ? onReport(active, report)
                        : List.of(); // stale or duplicate: not an outcome this migration waits for
                case Absent absent -> List.of();
                case Completed completed -> List.of();
                case MigrationState.Failed failed -> List.of();
            };
        };
    }

    private List<MigrationEvent> onReport(Active active, Report input) {
        Plan plan = active.plan();
        return switch (input.report()) {
            case SkeletonReady ready -> List.of(
                    new SkeletonCreated(ready.host(), ready.dataAddress()),
                    issue(StageAction.CONNECT_SOURCE, plan.source()));
            case AgentReport.SourceConnected connected -> List.of(
                    new SourceConnected(connected.host()),
                    issue(StageAction.START_PRECOPY, plan.source()));
            case PrecopyProgress progress -> List.of(new PrecopyRoundCompleted(progress.stats()));
            // The switchover (stages 3-5) is issued at once: each agent runs its part in order and the hosts hand over
            // through the data channel and the shared lease, so no Kafka round trip lands inside the blackout.
            case AgentReport.PrecopyConverged converged -> List.of(
                    new PrecopyConverged(converged.rounds(), converged.dirtyPagesRemaining(), converged.expectedDowntimeMs()),
                    issue(StageAction.FINAL_COPY, plan.source()),
                    issue(StageAction.RELEASE_STORAGE, plan.source()),
                    issue(StageAction.ACQUIRE_STORAGE, plan.destination()),
                    issue(StageAction.RESUME, plan.destination()));
            case FinalCopyDone done -> List.of(
                    new FinalCopyCompleted(done.pausedAt(), done.pagesSent(), done.bytesSent(), done.memoryChecksum()));
            case AgentReport.StorageReleased released -> List.of(new StorageReleased(released.host(), released.epoch()));
            case AgentReport.StorageAcquired acquired -> List.of(new StorageAcquired(acquired.host(), acquired.epoch()));
            case Resumed resumed -> onResumed(active, resumed);
            case AgentReport.NetworkAnnounced announced -> List.of(
                    new NetworkAnnounced(announced.host(), announced.macAddress()),
                    issue(StageAction.STOP_SOURCE, plan.source()));
            case AgentReport.SourceStopped stopped -> List.of(
                    new SourceStopped(stopped.host()),
                    completed(active, input));
            case Failed failed -> fail(active, failed.reason(), failed.host() + ": " + failed.detail());
            // An abort is only ever answered after the migration failed, so an active one ignores it.
            case Aborted aborted -> List.of();
        };
    }

    /**
     * An outcome counts when it answers a command the migration waits for with the action it was given. Outcomes of
     * one migration share a Kafka partition, and each agent reports a step before the next host can observe it (the
     * lease is released only after FINAL_COPY was reported), so the final copy is always recorded before resume.
     */
    private static boolean accepts(Active active, AgentReport report) {
        return switch (report) {
            case Failed failed -> active.awaiting().containsValue(failed.commandId());
            case Aborted aborted -> false;
            case PrecopyProgress progress -> active.awaits(StageAction.START_PRECOPY, progress.commandId());
            case SkeletonReady r -> active.awaits(StageAction.PREPARE_DESTINATION, r.commandId());
            case AgentReport.SourceConnected r -> active.awaits(StageAction.CONNECT_SOURCE, r.commandId());
            case AgentReport.PrecopyConverged r -> active.awaits(StageAction.START_PRECOPY, r.commandId());
            case FinalCopyDone r -> active.awaits(StageAction.FINAL_COPY, r.commandId());
            case AgentReport.StorageReleased r -> active.awaits(StageAction.RELEASE_STORAGE, r.commandId());
            case AgentReport.StorageAcquired r -> active.awaits(StageAction.ACQUIRE_STORAGE, r.commandId());
            case Resumed r -> active.awaits(StageAction.RESUME, r.commandId());
            case AgentReport.NetworkAnnounced r -> active.awaits(StageAction.ANNOUNCE_NETWORK, r.commandId());
            case AgentReport.SourceStopped r -> active.awaits(StageAction.STOP_SOURCE, r.commandId());
        };
    }

    private List<MigrationEvent> onResumed(Active active, Resumed resumed) {
        // The source's checksum may not be recorded yet (its outcome and the destination's are not ordered); the
        // destination compared against it on the data channel before resuming either way.
        String expected = active.progress().memoryChecksum();
        if (expected != null && !expected.equals(resumed.memoryChecksum())) {
            return fail(active, FailureReason.MEMORY_MISMATCH, "destination memory checksum " + resumed.memoryChecksum()
                    + " differs from the source's " + expected + " at pause");
        }
        Instant pausedAt = resumed.pausedAt() != null ? resumed.pausedAt() : active.progress().pausedAt();
        long downtime = pausedAt == null ? 0 : Math.max(0, Duration.between(pausedAt, resumed.resumedAt()).toMillis());
        return List.of(
                new VmResumed(resumed.host(), resumed.resumedAt(), downtime, resumed.memoryChecksum()),
                issue(StageAction.ANNOUNCE_NETWORK, active.plan().destination()));
    }

    private List<MigrationEvent> fail(Active active, FailureReason reason, String detail) {
        MigrationFailed failed = new MigrationFailed(active.stage(), reason, detail);
        if (active.stage().afterResume()) {
            return List.of(failed); // the VM already runs on the destination: nothing to roll back
        }
        // Both hosts roll back their part: the destination drops the skeleton, the source keeps (or resumes) the VM.
        return List.of(failed, issue(StageAction.ABORT, active.plan().destination()),
                issue(StageAction.ABORT, active.plan().source()));
    }

    private static MigrationRequested requested(Submit s) {
        return new MigrationRequested(s.requestId(), s.vm(), s.source(), s.destination(), s.policy(), s.requestedBy(),
                s.channel(), s.at());
    }

    private static MigrationCompleted completed(Active active, Report input) {
        Progress p = active.progress();
        long total = Math.max(0, Duration.between(active.plan().requestedAt(), input.at()).toMillis());
        return new MigrationCompleted(total, p.downtimeMs(), p.rounds(), p.pagesSent(), p.bytesSent());
    }

    private StageCommandIssued issue(StageAction action, HostId target) {
        return new StageCommandIssued(new CommandId(ids.get()), action, target);
    }

    public static MigrationState evolve(MigrationState state, MigrationEvent event) {
        return switch (event) {
            case MigrationRequested r -> new Active(
                    new Plan(r.requestId(), r.vm(), r.source(), r.destination(), r.policy(), r.requestedBy(), r.channel(),
                            r.requestedAt()),
                    Stage.SETUP, Map.of(), Progress.NONE);
            case StageCommandIssued issued -> state instanceof Active a && issued.action() != StageAction.ABORT
                    ? a.issued(issued.action(), issued.commandId())
                    : state; // aborts issued after a failure change nothing
            case SkeletonCreated created -> {
                Active a = active(state, event).done(StageAction.PREPARE_DESTINATION);
                yield a.with(a.progress().withDataAddress(created.dataAddress()));
            }
            case SourceConnected connected -> active(state, event).done(StageAction.CONNECT_SOURCE).at(Stage.PRECOPY);
            case PrecopyRoundCompleted round -> {
                Active a = active(state, event);
                yield a.with(a.progress().plusRound(round.stats()));
            }
            case PrecopyConverged converged -> active(state, event).done(StageAction.START_PRECOPY).at(Stage.FINAL_COPY);
            case FinalCopyCompleted done -> {
                Active a = active(state, event).done(StageAction.FINAL_COPY);
                yield a.at(Stage.STORAGE).with(a.progress().plusFinalCopy(done.pausedAt(), done.pagesSent(), done.bytesSent(),
                        done.memoryChecksum()));
            }
            case StorageReleased released -> {
                Active a = active(state, event).done(StageAction.RELEASE_STORAGE);
                yield a.with(a.progress().withEpoch(Math.max(a.progress().storageEpoch(), released.epoch())));
            }
            case StorageAcquired acquired -> {
                Active a = active(state, event).done(StageAction.ACQUIRE_STORAGE);
                yield a.at(Stage.RESUMING).with(a.progress().withEpoch(Math.max(a.progress().storageEpoch(), acquired.epoch())));
            }
            case VmResumed resumed -> {
                Active a = active(state, event).done(StageAction.RESUME);
                yield a.at(Stage.NETWORK_CLEANUP).with(a.progress().withDowntime(resumed.downtimeMs()));
            }
            case NetworkAnnounced announced -> active(state, event).done(StageAction.ANNOUNCE_NETWORK);
            case SourceStopped stopped -> active(state, event).done(StageAction.STOP_SOURCE);
            case MigrationCompleted completed -> {
                Active a = active(state, event);
                yield new Completed(a.plan(), a.progress(), completed.totalMs());
            }
            case MigrationFailed failed -> {
                Active a = active(state, event);
                yield new MigrationState.Failed(a.plan(), failed.stage(), failed.reason(), failed.detail(), a.progress());
            }
        };
    }

    private static Active active(MigrationState state, MigrationEvent event) {
        if (state instanceof Active a) {
            return a;
        }
        throw new IllegalStateException("event log is inconsistent: " + event.getClass().getSimpleName()
                + " recorded while the migration was " + state.label());
    }
}
