package io.ferry.orchestrator.drain;

import io.ferry.orchestrator.decision.Decider;
import io.ferry.orchestrator.drain.DrainCommand.Adopt;
import io.ferry.orchestrator.drain.DrainCommand.Cancel;
import io.ferry.orchestrator.drain.DrainCommand.GiveUp;
import io.ferry.orchestrator.drain.DrainCommand.MigrationEnded;
import io.ferry.orchestrator.drain.DrainCommand.Refused;
import io.ferry.orchestrator.drain.DrainCommand.Retarget;
import io.ferry.orchestrator.drain.DrainCommand.Return;
import io.ferry.orchestrator.drain.DrainCommand.Start;
import io.ferry.orchestrator.drain.DrainCommand.Submit;
import io.ferry.orchestrator.drain.DrainCommand.Submitted;
import io.ferry.orchestrator.drain.DrainEvent.DrainCancelRequested;
import io.ferry.orchestrator.drain.DrainEvent.DrainEnded;
import io.ferry.orchestrator.drain.DrainEvent.DrainStarted;
import io.ferry.orchestrator.drain.DrainEvent.HostReturned;
import io.ferry.orchestrator.drain.DrainEvent.MoveAbandoned;
import io.ferry.orchestrator.drain.DrainEvent.MoveAdopted;
import io.ferry.orchestrator.drain.DrainEvent.MoveCompleted;
import io.ferry.orchestrator.drain.DrainEvent.MoveFailed;
import io.ferry.orchestrator.drain.DrainEvent.MoveRetargeted;
import io.ferry.orchestrator.drain.DrainEvent.MoveSubmitted;
import io.ferry.orchestrator.drain.DrainEvent.MoveSubmitting;
import io.ferry.orchestrator.drain.DrainState.Move;
import io.ferry.orchestrator.drain.DrainState.MoveStatus;
import io.ferry.orchestrator.drain.DrainState.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A host drain's state machine, pure: what each input decides, and how each event moves the drain. A drain ends once
 * every move has ended (moved, or left with its reason); a stop leaves queued moves and, when asked, running ones
 * still before stage 3 (the migrations' own rule refuses later cancels).
 */
public final class Drain implements Decider<DrainCommand, DrainEvent, DrainState> {
    /** A VM's move is tried on at most this many hosts before the drain leaves it where it is. */
    public static final int MAX_ATTEMPTS = 3;

    @Override
    public DrainState initial() {
        return DrainState.NONE;
    }

    @Override
    public List<DrainEvent> decide(DrainCommand command, DrainState state) {
        List<DrainEvent> events = new ArrayList<>();
        switch (command) {
            case Start s -> {
                if (state.status() == Status.NONE) {
                    events.add(new DrainStarted(s.host(), s.moves(), s.policy(), s.predictedMs(), s.requestedBy()));
                }
            }
            case Submit s -> {
                Move move = state.move(s.vmId()).orElse(null);
                if (move != null && move.status() == MoveStatus.PLANNED && move.destination() != null
                        && !state.cancelling()) {
                    events.add(new MoveSubmitting(s.vmId(), move.destination(), move.attempts() + 1));
                }
            }
            case Submitted s -> { // also while stopping: the migration exists, and the driver cancels it if queued
                if (is(state, s.vmId(), MoveStatus.SUBMITTING)) {
                    events.add(new MoveSubmitted(s.vmId(), s.migrationId()));
                }
            }
            case Adopt a -> { // also while stopping, as Submitted: the migration runs whatever the drain does
                if (is(state, a.vmId(), MoveStatus.SUBMITTING)) {
                    events.add(new MoveAdopted(a.vmId(), a.migrationId(), a.destination()));
                }
            }
            case MigrationEnded e -> {
                Move move = state.move(e.vmId()).orElse(null);
                if (move != null && move.status() == MoveStatus.SUBMITTED && e.migrationId().equals(move.migrationId())) {
                    String ended = "migration to " + move.destination() + " ended " + e.outcome()
                            + (e.reason() == null ? "" : ": " + e.reason());
                    if ("COMPLETED".equals(e.outcome())) {
                        events.add(new MoveCompleted(e.vmId(), e.migrationId(), e.bytesSent(), e.totalMs()));
                    } else if (state.cancelling()) { // stopped: not retried elsewhere, and not a failure of the VM's
                        events.add(new MoveAbandoned(e.vmId(), "the drain was stopped by " + state.stoppedBy() + "; "
                                + ended));
                    } else {
                        events.add(new MoveFailed(e.vmId(), e.migrationId(), ended));
                    }
                }
            }
            case Refused r -> {
                if (is(state, r.vmId(), MoveStatus.SUBMITTING)) {
                    events.add(state.cancelling() ? new MoveAbandoned(r.vmId(), "the drain was stopped by "
                            + state.stoppedBy() + "; its move was refused: " + r.reason())
                            : new MoveFailed(r.vmId(), null, "refused: " + r.reason()));
                }
            }
            case Retarget r -> {
                Move move = state.move(r.vmId()).orElse(null);
                boolean retry = move != null && move.status() == MoveStatus.FAILED && move.tried().size() < MAX_ATTEMPTS;
                boolean unplaced = move != null && move.status() == MoveStatus.PLANNED && move.destination() == null;
                if ((retry || unplaced) && !state.cancelling()) {
                    events.add(new MoveRetargeted(r.vmId(), r.destination(), r.why()));
                }
            }
            case GiveUp g -> {
                if (is(state, g.vmId(), MoveStatus.FAILED) || is(state, g.vmId(), MoveStatus.PLANNED)
                        || is(state, g.vmId(), MoveStatus.SUBMITTING)) {
                    events.add(new MoveAbandoned(g.vmId(), g.reason()));
                }
            }
            case Cancel c -> {
                if (state.draining() && !state.cancelling()) {
                    stop(state, c.requestedBy(), c.cancelRunning(), events);
                }
            }
            case Return r -> {
                if (state.draining() && !state.cancelling()) {
                    stop(state, r.requestedBy(), false, events);
                }
                if (state.status() != Status.NONE && !state.returned()) {
                    events.add(new HostReturned(r.requestedBy()));
                }
            }
        }
        if (!events.isEmpty()) {
            ending(state, events).ifPresent(events::add);
        }
        return events;
    }

    /**
     * Drops every move not yet requested; a failed move waiting for a retry is left with its failure. A move being
     * requested stays: the driver learns whether its migration exists, then cancels it or leaves the VM.
     */
    private static void stop(DrainState state, String by, boolean cancelRunning, List<DrainEvent> events) {
        events.add(new DrainCancelRequested(by, cancelRunning));
        for (Move move : state.moves()) {
            if (move.status() == MoveStatus.PLANNED || move.status() == MoveStatus.FAILED) {
                events.add(new MoveAbandoned(move.vmId(), move.status() == MoveStatus.FAILED ? move.reason()
                        : "the drain was stopped by " + by + " before this VM's move began"));
            }
        }
    }

    /** Once the events leave every move ended, the drain ends with its summary. */
    private java.util.Optional<DrainEvent> ending(DrainState state, List<DrainEvent> events) {
        DrainState after = state;
        for (DrainEvent event : events) {
            after = evolve(after, event, null);
        }
        if (!after.draining() || after.moves().stream().anyMatch(m -> !m.status().ended())) {
            return java.util.Optional.empty();
        }
        int moved = (int) after.count(java.util.Set.of(MoveStatus.MOVED));
        int failed = (int) after.moves().stream().filter(Move::failed).count();
        int left = after.moves().size() - moved - failed;
        String outcome = after.cancelling() ? "CANCELLED" : moved == after.moves().size() ? "COMPLETED" : "INCOMPLETE";
        StringBuilder summary = new StringBuilder(moved + " of " + after.moves().size() + " VMs moved");
        for (Move m : after.moves()) {
            if (m.status() == MoveStatus.LEFT) {
                summary.append("; ").append(m.vmId()).append(m.failed() ? " failed: " : " left: ").append(m.reason());
            }
        }
        return java.util.Optional.of(new DrainEnded(outcome, moved, failed, left, summary.toString()));
    }

    private static boolean is(DrainState state, String vmId, MoveStatus status) {
        return state.move(vmId).map(m -> m.status() == status).orElse(false);
    }

    @Override
    public DrainState evolve(DrainState state, DrainEvent event, Instant at) {
        return switch (event) {
            case DrainStarted s -> new DrainState(Status.DRAINING, s.host(), s.policy(), s.predictedMs(), s.requestedBy(),
                    at, s.moves().stream().map(Move::planned).toList(), null, false, false, null, null);
            case MoveSubmitting s -> state.withMove(s.vmId(), m -> m.submitting(s.destination()));
            case MoveSubmitted s -> state.withMove(s.vmId(), m -> m.submitted(s.migrationId()));
            case MoveAdopted a -> state.withMove(a.vmId(), m -> m.adopted(a.migrationId(), a.destination()));
            case MoveCompleted c -> state.withMove(c.vmId(), m -> m.completed(c.bytesSent(), c.totalMs()));
            case MoveFailed f -> state.withMove(f.vmId(), m -> m.failed(f.reason()));
            case MoveRetargeted r -> state.withMove(r.vmId(), m -> m.retargeted(r.destination()));
            case MoveAbandoned a -> state.withMove(a.vmId(), m -> m.left(a.reason()));
            case DrainCancelRequested c -> state.with(state.status(), c.requestedBy(), c.cancelRunning(), state.returned(),
                    null, null);
            case DrainEnded e -> state.with(Status.valueOf(e.outcome()), state.stoppedBy(), state.cancelRunning(),
                    state.returned(), at, e.summary());
            case HostReturned r -> state.with(state.status(), state.stoppedBy(), state.cancelRunning(), true,
                    state.endedAt(), state.summary());
        };
    }
}
