package io.ferry.orchestrator.core;

import io.ferry.orchestrator.core.AgentReport.Aborted;
import io.ferry.orchestrator.core.AgentReport.Failed;
import io.ferry.orchestrator.core.AgentReport.FinalCopyDone;
import io.ferry.orchestrator.core.AgentReport.PrecopyProgress;
import io.ferry.orchestrator.core.AgentReport.Resumed;
import io.ferry.orchestrator.core.AgentReport.SkeletonReady;
import io.ferry.orchestrator.core.Ids.CommandId;
import io.ferry.orchestrator.core.Ids.HostId;
import io.ferry.orchestrator.core.MigrationCommand.Admit;
import io.ferry.orchestrator.core.MigrationCommand.Cancel;
import io.ferry.orchestrator.core.MigrationCommand.Report;
import io.ferry.orchestrator.core.MigrationCommand.Submit;
import io.ferry.orchestrator.core.MigrationCommand.Tick;
import io.ferry.orchestrator.core.MigrationEvent.AbortConfirmed;
import io.ferry.orchestrator.core.MigrationEvent.AbortUnconfirmed;
import io.ferry.orchestrator.core.MigrationEvent.CancelRefused;
import io.ferry.orchestrator.core.MigrationEvent.CancelRequested;
import io.ferry.orchestrator.core.MigrationEvent.CleanupStepFailed;
import io.ferry.orchestrator.core.MigrationEvent.FinalCopyCompleted;
import io.ferry.orchestrator.core.MigrationEvent.MigrationAdmitted;
import io.ferry.orchestrator.core.MigrationEvent.MigrationCancelled;
import io.ferry.orchestrator.core.MigrationEvent.MigrationCompleted;
import io.ferry.orchestrator.core.MigrationEvent.MigrationFailed;
import io.ferry.orchestrator.core.MigrationEvent.MigrationRequested;
import io.ferry.orchestrator.core.MigrationEvent.MigrationRolledBack;
import io.ferry.orchestrator.core.MigrationEvent.NetworkAnnounced;
import io.ferry.orchestrator.core.MigrationEvent.PrecopyConverged;
import io.ferry.orchestrator.core.MigrationEvent.PrecopyRoundCompleted;
import io.ferry.orchestrator.core.MigrationEvent.RollbackIncomplete;
import io.ferry.orchestrator.core.MigrationEvent.SkeletonCreated;
import io.ferry.orchestrator.core.MigrationEvent.SourceConnected;
import io.ferry.orchestrator.core.MigrationEvent.SourceStopped;
import io.ferry.orchestrator.core.MigrationEvent.StageCommandIssued;
import io.ferry.orchestrator.core.MigrationEvent.StorageAcquired;
import io.ferry.orchestrator.core.MigrationEvent.StorageReleased;
import io.ferry.orchestrator.core.MigrationEvent.VmResumed;
import io.ferry.orchestrator.core.MigrationState.Absent;
import io.ferry.orchestrator.core.MigrationState.Active;
import io.ferry.orchestrator.core.MigrationState.Cancelled;
import io.ferry.orchestrator.core.MigrationState.Cause;
import io.ferry.orchestrator.core.MigrationState.Completed;
import io.ferry.orchestrator.core.MigrationState.Plan;
import io.ferry.orchestrator.core.MigrationState.Progress;
import io.ferry.orchestrator.core.MigrationState.Queued;
import io.ferry.orchestrator.core.MigrationState.RolledBack;
import io.ferry.orchestrator.core.MigrationState.Unwinding;
import io.ferry.schema.common.FailureReason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The migration state machine: {@link #decide} turns an input into events, {@link #evolve} folds an event into the
 * state. Both are pure: time arrives inside the inputs (and with each recorded event) and new ids from the injected
 * supplier, so replaying a log through them gives the same answers every time.
 */
public final class Migration {
    /** How long a rollback waits for a reachable host to confirm its ABORT before giving up on it. */
    public static final Duration ROLLBACK_TIMEOUT = Duration.ofSeconds(60);
    /** After resume a failed step is retried this often, then given up (the VM already runs on the destination). */
    public static final int CLEANUP_RETRIES = 3;

    private static final java.util.Comparator<HostId> BY_NAME = java.util.Comparator.comparing(HostId::value);
    private final Supplier<UUID> ids;

    public Migration(Supplier<UUID> ids) {
        this.ids = Objects.requireNonNull(ids);
    }

    /** An event with the time it was recorded: what {@link #evolve} folds. */
    public record Stamped(MigrationEvent event, Instant at) {}

    public static MigrationState initial() {
        return new Absent();
    }

    public static MigrationState fold(List<Stamped> events) {
        MigrationState state = initial();
        for (Stamped stamped : events) {
            state = evolve(state, stamped.event(), stamped.at());
        }
        return state;
    }

    public List<MigrationEvent> decide(MigrationCommand command, MigrationState state) {
        return switch (command) {
            // The same request again (a redelivery or a retry) changes nothing.
            case Submit submit -> state instanceof Absent ? List.of(requested(submit)) : List.of();
            case Admit admit -> state instanceof Queued queued
                    ? List.of(new MigrationAdmitted(admit.activeOnSource(), admit.activeInCluster()),
                            issue(StageAction.PREPARE_DESTINATION, queued.plan().destination()))
                    : List.of(); // admitted already, or cancelled while queued
            case Cancel cancel -> cancel(cancel, state);
            case Report report -> switch (state) {
                case Active active -> accepts(active, report.report()) ? onReport(active, report) : List.of();
                case Unwinding unwinding -> onUnwindingReport(unwinding, report);
                // Stale or duplicate: nothing waits for an outcome in these states.
                case Absent a -> List.of();
                case Queued q -> List.of();
                case Completed c -> List.of();
                case Cancelled c -> List.of();
                case RolledBack r -> List.of();
                case MigrationState.Failed f -> List.of();
            };
            case Tick tick -> switch (state) {
                case Active active -> active.stage().afterResume() ? cleanupTimeout(active, tick) : watch(active, tick);
                case Unwinding unwinding -> settle(unwinding, giveUpOnSilentHosts(unwinding, tick), tick.at());
                case Absent a -> List.of();
                case Queued q -> List.of(); // a queued migration holds nothing: it may wait as long as it must
                case Completed c -> List.of();
                case Cancelled c -> List.of();
                case RolledBack r -> List.of();
                case MigrationState.Failed f -> List.of();
            };
        };
    }

    /** The seed: cancel "at any point before" the final copy, never after. */
    private List<MigrationEvent> cancel(Cancel cancel, MigrationState state) {
        return switch (state) {
            case Queued queued -> List.of(new MigrationCancelled(cancel.requestedBy(), queued.label()));
            case Active active -> active.stage().beforeFinalCopy()
                    ? unwind(new CancelRequested(cancel.requestedBy(), active.stage()), active.plan())
                    : List.of(new CancelRefused(cancel.requestedBy(), active.label(), "the final copy has begun (stage "
                            + active.label() + "): the VM is paused and its last pages are moving to "
                            + active.plan().destination() + ", so the migration can only complete, or roll back if a "
                            + "step fails; cancel is accepted only before the final copy"));
            // Already unwinding or over: cancelling again changes nothing (the caller is told the state).
            case Unwinding unwinding -> List.of();
            case Absent a -> List.of();
            case Completed c -> List.of();
            case Cancelled c -> List.of();
            case RolledBack r -> List.of();
            case MigrationState.Failed f -> List.of();
        };
    }

    private List<MigrationEvent> onReport(Active active, Report input) {
        Plan plan = active.plan();
        return switch (input.report()) {
            // Connect and pre-copy go to the source together: its agent runs a migration's commands in order, so the
            // pre-copy starts the moment the connection stands, without a round trip through Kafka in between.
            case SkeletonReady ready -> List.of(
                    new SkeletonCreated(ready.host(), ready.dataAddress()),
                    issue(StageAction.CONNECT_SOURCE, plan.source()),
                    issue(StageAction.START_PRECOPY, plan.source()));
            case AgentReport.SourceConnected connected -> List.of(new SourceConnected(connected.host()));
            case PrecopyProgress progress -> List.of(new PrecopyRoundCompleted(progress.stats()));
            // The switchover (stages 3-6) is issued at once: each agent runs its part in order and the hosts hand over
            // through the data channel and the shared lease, so no Kafka round trip lands inside the blackout, nor
            // between the resume and stage 6. The destination announces only after its resume succeeded (its steps
            // run in order and stop at a failure); the source drops its copy only once the lease says the
            // destination runs the guest.
            case AgentReport.PrecopyConverged converged -> List.of(
                    new PrecopyConverged(converged.rounds(), converged.dirtyPagesRemaining(), converged.expectedDowntimeMs()),
                    issue(StageAction.FINAL_COPY, plan.source()),
                    issue(StageAction.RELEASE_STORAGE, plan.source()),
                    issue(StageAction.ACQUIRE_STORAGE, plan.destination()),
                    issue(StageAction.RESUME, plan.destination()),
                    issue(StageAction.ANNOUNCE_NETWORK, plan.destination()),
                    issue(StageAction.STOP_SOURCE, plan.source()));
            case FinalCopyDone done -> List.of(
                    new FinalCopyCompleted(done.pausedAt(), done.pagesSent(), done.bytesSent(), done.memoryChecksum()));
            case AgentReport.StorageReleased released -> List.of(new StorageReleased(released.host(), released.epoch()));
            case AgentReport.StorageAcquired acquired -> List.of(new StorageAcquired(acquired.host(), acquired.epoch()));
            case Resumed resumed -> onResumed(active, resumed);
            case AgentReport.NetworkAnnounced announced ->
                    completedOnceBothDone(active, new NetworkAnnounced(announced.host(), announced.macAddress()), input.at());
            case AgentReport.SourceStopped stopped -> completedOnceBothDone(active, new SourceStopped(stopped.host()), input.at());
            // A stage-6 step may fail before the destination's resume is recorded (the two hosts' outcomes are not
            // ordered), e.g. the source's self-check after the destination already runs the guest: it is retried,
            // never rolled back. A resume that fails rolls back through the destination's own outcome.
            case Failed failed -> active.stage().afterResume() || isCleanup(actionOf(active, failed.commandId()))
                    ? cleanupFailed(active, actionOf(active, failed.commandId()), failed.reason(),
                            failed.host() + ": " + failed.detail(), input.at())
                    : fail(active, failed.reason(), failed.host() + ": " + failed.detail());
            case Aborted aborted -> List.of(); // not accepted while active
        };
    }

    /**
     * An outcome counts when it answers a command the migration waits for with the action it was given. The two
     * hosts' switchover outcomes are not ordered (the destination may resume before the source's final copy is
     * reported, as the source hands the disk over first), so each is accepted in either order.
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
        VmResumed vmResumed = new VmResumed(resumed.host(), resumed.resumedAt(), downtime, resumed.memoryChecksum(),
                resumed.breakdown());
        // Stage 6 was issued with the switchover; the destination announces only after this resume, so its
        // announcement is still awaited here. A migration that converged before stage 6 was issued with it (a log
        // recorded by an older orchestrator) gets both steps now, at once on their two hosts.
        return active.awaiting().containsKey(StageAction.ANNOUNCE_NETWORK) ? List.of(vmResumed) : List.of(vmResumed,
                issue(StageAction.ANNOUNCE_NETWORK, active.plan().destination()),
                issue(StageAction.STOP_SOURCE, active.plan().source()));
    }

    private static boolean isCleanup(StageAction action) {
        return action.stage() == Stage.NETWORK_CLEANUP;
    }

    /** A cleanup step's outcome; the migration completes with the second of the two. */
    private static List<MigrationEvent> completedOnceBothDone(Active active, MigrationEvent outcome, Instant at) {
        Active after = (Active) evolve(active, outcome, at);
        return after.awaiting().isEmpty() ? List.of(outcome, completed(after, at)) : List.of(outcome);
    }

    /** Before resume: a dead host, no progress, or too long overall each end the migration with their own reason. */
    private List<MigrationEvent> watch(Active active, Tick tick) {
        Plan plan = active.plan();
        for (HostId host : List.of(plan.destination(), plan.source())) {
            if (tick.unreachable().contains(host)) {
                return fail(active, FailureReason.HOST_UNREACHABLE, (host.equals(plan.source()) ? "source " : "destination ")
                        + host + " missed its heartbeats for longer than the liveness timeout");
            }
        }
        for (HostId host : List.of(plan.destination(), plan.source())) {
            if (tick.restarted().contains(host)) {
                return fail(active, FailureReason.AGENT_RESTARTED, (host.equals(plan.source()) ? "source " : "destination ")
                        + host + "'s agent restarted during " + active.label() + " and lost the migration's in-flight "
                        + "state (data channel, pre-copy stream, incoming skeleton), which cannot be resumed; the VM "
                        + "stays on " + plan.source());
            }
        }
        Duration idle = Duration.between(active.lastProgressAt(), tick.at());
        if (idle.compareTo(plan.policy().progressTimeout()) > 0) {
            return fail(active, FailureReason.PROGRESS_TIMEOUT, "no outcome from " + plan.source() + " or "
                    + plan.destination() + " for " + idle.toSeconds() + " s (progress timeout "
                    + plan.policy().progressTimeoutS() + " s) while waiting for " + new TreeMap<>(active.awaiting()).keySet());
        }
        Duration limit = plan.policy().completionTimeout(plan.vm().memoryMb());
        Duration running = Duration.between(active.admittedAt(), tick.at());
        if (running.compareTo(limit) > 0) {
            return fail(active, FailureReason.COMPLETION_TIMEOUT, "not resumed after " + running.toSeconds()
                    + " s; the completion timeout for " + plan.vm().memoryMb() + " MB is " + limit.toSeconds() + " s ("
                    + plan.policy().completionTimeoutPerGiBS() + " s per GiB)");
        }
        return List.of();
    }

    /** Before resume every failure rolls back: the destination drops the skeleton, the source keeps (or resumes) the VM. */
    private List<MigrationEvent> fail(Active active, FailureReason reason, String detail) {
        return unwind(new MigrationFailed(active.stage(), reason, detail), active.plan());
    }

    private List<MigrationEvent> unwind(MigrationEvent first, Plan plan) {
        return List.of(first, issue(StageAction.ABORT, plan.destination()), issue(StageAction.ABORT, plan.source()));
    }

    /** After resume the migration only moves forward: a failed step is retried, and at last given up with a warning. */
    private List<MigrationEvent> cleanupFailed(Active active, StageAction action, FailureReason reason, String detail,
            Instant at) {
        Plan plan = active.plan();
        HostId target = action == StageAction.ANNOUNCE_NETWORK ? plan.destination() : plan.source();
        if (active.retriesOf(action) < CLEANUP_RETRIES) {
            return List.of(new CleanupStepFailed(action, reason, detail, true), issue(action, target));
        }
        return completedOnceBothDone(active, new CleanupStepFailed(action, reason, detail, false), at);
    }

    private List<MigrationEvent> cleanupTimeout(Active active, Tick tick) {
        Duration idle = Duration.between(active.lastProgressAt(), tick.at());
        if (idle.compareTo(active.plan().policy().progressTimeout()) <= 0 || active.awaiting().isEmpty()) {
            return List.of();
        }
        StageAction action = new TreeMap<>(active.awaiting()).firstKey();
        return cleanupFailed(active, action, FailureReason.PROGRESS_TIMEOUT, "no answer to " + action + " for "
                + idle.toSeconds() + " s", tick.at());
    }

    private static StageAction actionOf(Active active, CommandId command) {
        return active.awaiting().entrySet().stream().filter(e -> e.getValue().equals(command)).map(Map.Entry::getKey)
                .findFirst().orElseThrow();
    }

    private static List<MigrationEvent> onUnwindingReport(Unwinding unwinding, Report input) {
        AgentReport report = input.report();
        if (!unwinding.awaits(report.host(), report.commandId())) {
            return List.of(); // outcomes of the commands before the abort no longer matter
        }
        MigrationEvent answer = report instanceof Failed failed
                ? new AbortUnconfirmed(failed.host(), "its rollback failed (" + failed.reason() + "): " + failed.detail())
                : new AbortConfirmed(report.host());
        return settle(unwinding, List.of(answer), input.at());
    }

    private static List<MigrationEvent> giveUpOnSilentHosts(Unwinding unwinding, Tick tick) {
        boolean overdue = Duration.between(unwinding.since(), tick.at()).compareTo(ROLLBACK_TIMEOUT) > 0;
        List<MigrationEvent> events = new ArrayList<>();
        for (HostId host : unwinding.awaiting().keySet().stream().sorted(BY_NAME).toList()) {
            if (tick.unreachable().contains(host)) {
                events.add(new AbortUnconfirmed(host, "unreachable: it missed its heartbeats"));
            } else if (overdue) {
                events.add(new AbortUnconfirmed(host, "no answer to ABORT within " + ROLLBACK_TIMEOUT.toSeconds() + " s"));
            }
        }
        return events;
    }

    /** Appends the end of the rollback once no host is left to wait for. */
    private static List<MigrationEvent> settle(Unwinding unwinding, List<MigrationEvent> events, Instant at) {
        if (events.isEmpty()) {
            return events;
        }
        Unwinding after = unwinding;
        for (MigrationEvent event : events) {
            after = (Unwinding) evolve(after, event, at);
        }
        if (!after.awaiting().isEmpty()) {
            return events;
        }
        List<MigrationEvent> all = new ArrayList<>(events);
        Map<String, String> unconfirmed = new TreeMap<>();
        after.unconfirmed().forEach((host, why) -> unconfirmed.put(host.value(), why));
        String note = unconfirmed.isEmpty() ? "" : "not confirmed by " + unconfirmed;
        if (!after.sourceConfirmed()) {
            all.add(new RollbackIncomplete("the source " + after.plan().source() + " did not confirm that "
                    + after.plan().vm().vmId() + " runs there; check the host before retrying (" + note + ")"));
        } else {
            all.add(switch (after.cause()) {
                case Cause.Cancel cancel -> new MigrationCancelled(cancel.requestedBy(), cancel.stage().name());
                case Cause.Failure failure -> new MigrationRolledBack(note);
            });
        }
        return all;
    }

    private static MigrationRequested requested(Submit s) {
        return new MigrationRequested(s.requestId(), s.vm(), s.source(), s.destination(), s.policy(), s.requestedBy(),
                s.channel(), s.at(), s.placement(), s.drain(), s.forecast());
    }

    private static MigrationCompleted completed(Active active, Instant at) {
        Progress p = active.progress();
        long total = Math.max(0, Duration.between(active.plan().requestedAt(), at).toMillis());
        return new MigrationCompleted(total, p.downtimeMs(), p.rounds(), p.pagesSent(), p.bytesSent());
    }

    private StageCommandIssued issue(StageAction action, HostId target) {
        return new StageCommandIssued(new CommandId(ids.get()), action, target);
    }

    /** @param at when the event was recorded: the progress and rollback timeouts run from these times */
    public static MigrationState evolve(MigrationState state, MigrationEvent event, Instant at) {
        return switch (event) {
            case MigrationRequested r -> new Queued(new Plan(r.requestId(), r.vm(), r.source(), r.destination(), r.policy(),
                    r.requestedBy(), r.channel(), r.requestedAt(), r.placement(), r.drain()));
            case MigrationAdmitted admitted -> Active.admitted(queued(state, event).plan(), at);
            case StageCommandIssued issued -> state instanceof Unwinding u
                    ? (issued.action() == StageAction.ABORT ? u.issued(issued.target(), issued.commandId()) : u)
                    : active(state, event).issued(issued.action(), issued.commandId());
            case SkeletonCreated created -> {
                Active a = moved(state, event, at).done(StageAction.PREPARE_DESTINATION);
                yield a.with(a.progress().withDataAddress(created.dataAddress()));
            }
            case SourceConnected connected -> moved(state, event, at).done(StageAction.CONNECT_SOURCE).at(Stage.PRECOPY);
            case PrecopyRoundCompleted round -> {
                Active a = moved(state, event, at);
                yield a.with(a.progress().plusRound(round.stats()));
            }
            case PrecopyConverged converged -> moved(state, event, at).done(StageAction.START_PRECOPY).at(Stage.FINAL_COPY);
            case FinalCopyCompleted done -> {
                Active a = moved(state, event, at).done(StageAction.FINAL_COPY);
                yield a.at(Stage.STORAGE).with(a.progress().plusFinalCopy(done.pausedAt(), done.pagesSent(),
                        done.bytesSent(), done.memoryChecksum()));
            }
            case StorageReleased released -> {
                Active a = moved(state, event, at).done(StageAction.RELEASE_STORAGE);
                yield a.with(a.progress().withEpoch(released.epoch()));
            }
            case StorageAcquired acquired -> {
                Active a = moved(state, event, at).done(StageAction.ACQUIRE_STORAGE);
                yield a.at(Stage.RESUMING).with(a.progress().withEpoch(acquired.epoch()));
            }
            case VmResumed resumed -> {
                Active a = moved(state, event, at).done(StageAction.RESUME);
                yield a.at(Stage.NETWORK_CLEANUP).with(a.progress().withDowntime(resumed.downtimeMs(), resumed.breakdown()));
            }
            case NetworkAnnounced announced -> moved(state, event, at).done(StageAction.ANNOUNCE_NETWORK);
            case SourceStopped stopped -> moved(state, event, at).done(StageAction.STOP_SOURCE);
            case CleanupStepFailed failed -> {
                Active a = moved(state, event, at).retried(failed.action(), failed.action() + " failed ("
                        + failed.reason() + "): " + failed.detail() + (failed.retrying() ? "; retrying" : "; gave up"));
                yield failed.retrying() ? a : a.done(failed.action());
            }
            case MigrationCompleted completed -> {
                Active a = active(state, event);
                yield new Completed(a.plan(), a.progress(), completed.totalMs(), a.warnings());
            }
            case CancelRequested cancel -> {
                Active a = active(state, event);
                yield new Unwinding(a.plan(), new Cause.Cancel(cancel.requestedBy(), cancel.stage()), a.progress(), Map.of(),
                        false, Map.of(), at);
            }
            case CancelRefused refused -> state;
            case MigrationFailed failed -> {
                Active a = active(state, event);
                yield new Unwinding(a.plan(), new Cause.Failure(failed.stage(), failed.reason(), failed.detail()),
                        a.progress(), Map.of(), false, Map.of(), at);
            }
            case AbortConfirmed confirmed -> unwinding(state, event).confirmed(confirmed.host());
            case AbortUnconfirmed unconfirmed -> unwinding(state, event).givenUp(unconfirmed.host(), unconfirmed.detail());
            case MigrationCancelled cancelled -> state instanceof Queued q
                    ? new Cancelled(q.plan(), Progress.NONE, cancelled.requestedBy(), cancelled.cancelledIn())
                    : new Cancelled(unwinding(state, event).plan(), unwinding(state, event).progress(),
                            cancelled.requestedBy(), cancelled.cancelledIn());
            case MigrationRolledBack rolledBack -> {
                Unwinding u = unwinding(state, event);
                Cause.Failure f = (Cause.Failure) u.cause();
                yield new RolledBack(u.plan(), f.stage(), f.reason(), rolledBack.note().isEmpty() ? f.detail()
                        : f.detail() + "; " + rolledBack.note(), u.progress());
            }
            case RollbackIncomplete incomplete -> {
                Unwinding u = unwinding(state, event);
                yield switch (u.cause()) {
                    case Cause.Cancel c -> new MigrationState.Failed(u.plan(), c.stage(), FailureReason.ROLLBACK_INCOMPLETE,
                            "cancelled by " + c.requestedBy() + ", but " + incomplete.detail(), u.progress());
                    case Cause.Failure f -> new MigrationState.Failed(u.plan(), f.stage(), f.reason(),
                            f.detail() + "; rollback incomplete: " + incomplete.detail(), u.progress());
                };
            }
        };
    }

    private static Queued queued(MigrationState state, MigrationEvent event) {
        if (state instanceof Queued q) {
            return q;
        }
        throw inconsistent(state, event);
    }

    private static Active active(MigrationState state, MigrationEvent event) {
        if (state instanceof Active a) {
            return a;
        }
        throw inconsistent(state, event);
    }

    private static Active moved(MigrationState state, MigrationEvent event, Instant at) {
        return active(state, event).movedAt(at);
    }

    private static Unwinding unwinding(MigrationState state, MigrationEvent event) {
        if (state instanceof Unwinding u) {
            return u;
        }
        throw inconsistent(state, event);
    }

    private static IllegalStateException inconsistent(MigrationState state, MigrationEvent event) {
        return new IllegalStateException("event log is inconsistent: " + event.getClass().getSimpleName()
                + " recorded while the migration was " + state.label());
    }
}
