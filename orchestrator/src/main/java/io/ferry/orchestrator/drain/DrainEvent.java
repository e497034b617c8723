package io.ferry.orchestrator.drain;

import java.util.List;
import java.util.UUID;

/** A fact in a host drain's life, as kept in its own event log (drain_events). */
public sealed interface DrainEvent {

    /**
     * One VM to move, as planned: where to, in which order, and how long it should take.
     *
     * @param why how its destination was chosen
     */
    record PlannedMove(String vmId, int memoryMb, String destination, int order, long predictedMs, String why) {}

    /**
     * The host stops taking VMs and its VMs start to leave, in this order.
     *
     * @param policy the order's rule ({@link DrainPlanner.Order})
     * @param predictedMs the whole drain, as planned
     */
    record DrainStarted(String host, List<PlannedMove> moves, String policy, long predictedMs, String requestedBy)
            implements DrainEvent {
        public DrainStarted {
            moves = List.copyOf(moves);
        }
    }

    /** A move's migration is about to be requested (attempt 1, or a retry on another host). */
    record MoveSubmitting(String vmId, String destination, int attempt) implements DrainEvent {}

    /** The move's migration exists. */
    record MoveSubmitted(String vmId, UUID migrationId) implements DrainEvent {}

    /**
     * The VM was already leaving the host in a migration of its own (requested before the drain, by someone else): the
     * move follows that migration, to wherever it goes, instead of failing for it.
     */
    record MoveAdopted(String vmId, UUID migrationId, String destination) implements DrainEvent {}

    record MoveCompleted(String vmId, UUID migrationId, long bytesSent, long totalMs) implements DrainEvent {}

    /** A move's migration ended without moving the VM, or was refused; the drain retries or gives up next. */
    record MoveFailed(String vmId, UUID migrationId, String reason) implements DrainEvent {}

    /** A failed move is tried again on another host. */
    record MoveRetargeted(String vmId, String destination, String why) implements DrainEvent {}

    /** The VM stays on the host: no other host could take it, it failed too often, or the drain was stopped. */
    record MoveAbandoned(String vmId, String reason) implements DrainEvent {}

    /** Stop: queued moves are dropped; running ones finish, or are cancelled before stage 3 when asked. */
    record DrainCancelRequested(String requestedBy, boolean cancelRunning) implements DrainEvent {}

    /** Every move has ended. {@code outcome}: COMPLETED (host in MAINTENANCE), INCOMPLETE or CANCELLED. */
    record DrainEnded(String outcome, int moved, int failed, int left, String summary) implements DrainEvent {}

    /** {@code ferry undrain}: the host takes VMs again. */
    record HostReturned(String requestedBy) implements DrainEvent {}
}
