package io.ferry.orchestrator.drain;

import io.ferry.orchestrator.drain.DrainEvent.PlannedMove;
import io.ferry.orchestrator.placement.HostMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * A host drain as its log says: each VM's move, whether it was asked to stop, and how it ended.
 *
 * @param stoppedBy who stopped the drain (drain --cancel or undrain), null while it is not stopping
 * @param cancelRunning when stopping, also cancel moves still before stage 3 (else they finish)
 */
public record DrainState(Status status, String host, String policy, long predictedMs, String requestedBy,
        Instant startedAt, List<Move> moves, String stoppedBy, boolean cancelRunning, boolean returned, Instant endedAt,
        String summary) {

    public static final DrainState NONE = new DrainState(Status.NONE, null, null, 0, null, null, List.of(), null, false,
            false, null, null);

    public DrainState {
        moves = List.copyOf(moves);
    }

    public enum Status { NONE, DRAINING, COMPLETED, INCOMPLETE, CANCELLED }

    /**
     * Where a VM's move stands. PLANNED: not yet a migration (also after a retarget); SUBMITTING: recorded before its
     * migration is requested, so a stop meanwhile cannot miss the migration it makes; SUBMITTED: its migration runs;
     * FAILED: that migration failed and the driver decides next; MOVED; LEFT: it stays on the host.
     */
    public enum MoveStatus { PLANNED, SUBMITTING, SUBMITTED, FAILED, MOVED, LEFT;

        boolean ended() {
            return this == MOVED || this == LEFT;
        }
    }

    /**
     * @param tried the destinations its failed attempts went to
     * @param reason why it failed or was left, else null
     */
    public record Move(PlannedMove plan, MoveStatus status, String destination, int attempts, UUID migrationId,
            List<String> tried, String reason, long bytesSent, long totalMs) {
        public Move {
            tried = List.copyOf(tried);
        }

        static Move planned(PlannedMove plan) {
            return new Move(plan, MoveStatus.PLANNED, plan.destination(), 0, null, List.of(), null, 0, 0);
        }

        public String vmId() {
            return plan.vmId();
        }

        /** Left after at least one attempt failed or was refused: a failure, not a move the drain never made. */
        public boolean failed() {
            return status == MoveStatus.LEFT && !tried.isEmpty();
        }

        Move submitting(String to) {
            return new Move(plan, MoveStatus.SUBMITTING, to, attempts + 1, null, tried, null, 0, 0);
        }

        Move submitted(UUID migration) {
            return new Move(plan, MoveStatus.SUBMITTED, destination, attempts, migration, tried, null, 0, 0);
        }

        Move adopted(UUID migration, String to) {
            return new Move(plan, MoveStatus.SUBMITTED, to, attempts, migration, tried, null, 0, 0);
        }

        /** The request id of this attempt's migration: the same on every try, so requesting it twice makes one. */
        public String requestId(UUID drain) {
            return "drain-" + drain + "-" + plan.vmId() + "-" + attempts;
        }

        Move completed(long bytes, long ms) {
            return new Move(plan, MoveStatus.MOVED, destination, attempts, migrationId, tried, null, bytes, ms);
        }

        Move failed(String why) {
            List<String> all = new ArrayList<>(tried);
            if (destination != null) {
                all.add(destination);
            }
            return new Move(plan, MoveStatus.FAILED, destination, attempts, migrationId, all, why, 0, 0);
        }

        Move retargeted(String to) {
            return new Move(plan, MoveStatus.PLANNED, to, attempts, null, tried, reason, 0, 0);
        }

        Move left(String why) {
            return new Move(plan, MoveStatus.LEFT, destination, attempts, migrationId, tried, why, 0, 0);
        }
    }

    public boolean cancelling() {
        return stoppedBy != null;
    }

    public boolean draining() {
        return status == Status.DRAINING;
    }

    /** What the host is, as this drain leaves it. */
    public HostMode hostMode() {
        if (returned) {
            return HostMode.ACTIVE;
        }
        return switch (status) {
            case NONE, CANCELLED -> HostMode.ACTIVE;
            case DRAINING, INCOMPLETE -> HostMode.DRAINING;
            case COMPLETED -> HostMode.MAINTENANCE;
        };
    }

    public java.util.Optional<Move> move(String vmId) {
        return moves.stream().filter(m -> m.vmId().equals(vmId)).findFirst();
    }

    public long count(Set<MoveStatus> statuses) {
        return moves.stream().filter(m -> statuses.contains(m.status())).count();
    }

    DrainState withMove(String vmId, UnaryOperator<Move> change) {
        return new DrainState(status, host, policy, predictedMs, requestedBy, startedAt,
                moves.stream().map(m -> m.vmId().equals(vmId) ? change.apply(m) : m).toList(), stoppedBy, cancelRunning,
                returned, endedAt, summary);
    }

    DrainState with(Status s, String stopper, boolean isCancelRunning, boolean isReturned, Instant ended, String text) {
        return new DrainState(s, host, policy, predictedMs, requestedBy, startedAt, moves, stopper, isCancelRunning,
                isReturned, ended, text);
    }
}
