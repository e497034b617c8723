package io.ferry.orchestrator.drain;

import io.ferry.orchestrator.drain.DrainEvent.PlannedMove;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An input to {@link Drain#decide}: the operator's requests and what the drain's driver observed. */
public sealed interface DrainCommand {
    Instant at();

    record Start(String host, List<PlannedMove> moves, String policy, long predictedMs, String requestedBy, Instant at)
            implements DrainCommand {}

    /** The driver is about to request the move's migration. */
    record Submit(String vmId, Instant at) implements DrainCommand {}

    record Submitted(String vmId, UUID migrationId, Instant at) implements DrainCommand {}

    /** The VM is already migrating off the host in {@code migrationId}; the move takes that migration as its own. */
    record Adopt(String vmId, UUID migrationId, String destination, Instant at) implements DrainCommand {}

    /** The move's migration ended; {@code outcome} is its final state (COMPLETED, CANCELLED, ROLLED_BACK, FAILED). */
    record MigrationEnded(String vmId, UUID migrationId, String outcome, String reason, long bytesSent, long totalMs,
            Instant at) implements DrainCommand {}

    /** ferry refused to start the move (the VM is gone, the host is full, ...). */
    record Refused(String vmId, String reason, Instant at) implements DrainCommand {}

    record Retarget(String vmId, String destination, String why, Instant at) implements DrainCommand {}

    record GiveUp(String vmId, String reason, Instant at) implements DrainCommand {}

    record Cancel(String requestedBy, boolean cancelRunning, Instant at) implements DrainCommand {}

    record Return(String requestedBy, Instant at) implements DrainCommand {}
}
