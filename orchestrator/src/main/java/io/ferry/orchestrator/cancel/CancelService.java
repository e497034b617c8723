package io.ferry.orchestrator.cancel;

import io.ferry.orchestrator.core.Ids.MigrationId;
import io.ferry.orchestrator.core.MigrationCommand.Cancel;
import io.ferry.orchestrator.core.MigrationEvent.CancelRefused;
import io.ferry.orchestrator.core.MigrationState;
import io.ferry.orchestrator.decision.EventMetadata;
import io.ferry.orchestrator.migration.Migrations;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.stereotype.Service;

/** Cancels a migration: accepted while queued or before the final copy, refused after it, with the reason. */
@Service
public class CancelService {
    private final Migrations migrations;
    private final Clock clock;
    private final Supplier<UUID> ids;

    public CancelService(Migrations migrations, Clock clock, Supplier<UUID> ids) {
        this.migrations = migrations;
        this.clock = clock;
        this.ids = ids;
    }

    /** Thrown when the migration is past the point where it may be cancelled, or already over. */
    public static final class CancelRefusedException extends RuntimeException {
        private final String state;

        CancelRefusedException(String state, String message) {
            super(message);
            this.state = state;
        }

        public String state() {
            return state;
        }
    }

    /** Thrown when the log holds no such migration. */
    public static final class NoSuchMigrationException extends RuntimeException {
        NoSuchMigrationException(MigrationId id) {
            super("no migration " + id);
        }
    }

    /**
     * One decision answers everything: whether the cancel was refused, whether the migration exists, and its state.
     *
     * @return the state after the cancel: CANCELLING (hosts rolling back) or CANCELLED
     */
    public MigrationState cancel(MigrationId id, String requestedBy) {
        Instant now = clock.instant();
        var decision = migrations.decide(id, new Cancel(requestedBy, now),
                new EventMetadata(requestedBy, "cancel:" + ids.get(), null, now), Optional.empty());
        Optional<CancelRefused> refused = decision.added().stream().map(e -> e.event()).filter(CancelRefused.class::isInstance)
                .map(CancelRefused.class::cast).findFirst();
        if (refused.isPresent()) {
            throw new CancelRefusedException(refused.get().state(), "cancel refused: " + refused.get().detail());
        }
        MigrationState after = decision.after();
        return switch (after) {
            case MigrationState.Absent a -> throw new NoSuchMigrationException(id);
            case MigrationState.Cancelled c -> c;
            case MigrationState.Unwinding u when u.cause() instanceof MigrationState.Cause.Cancel -> u;
            case MigrationState.Unwinding u -> throw new CancelRefusedException(u.label(), "cancel refused: the "
                    + "migration already failed and is rolling back; it will end ROLLED_BACK with the VM on the source");
            default -> throw new CancelRefusedException(after.label(), "cancel refused: the migration is already "
                    + after.label() + " and nothing is left to cancel");
        };
    }
}
