package io.ferry.orchestrator.drain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A drain as the API shows it: the whole drain's progress (VMs done of total, bytes, ETA) and each VM's move.
 *
 * @param etaMs the predicted time left, from the plan's per-VM predictions and how far each running move is; 0 once
 *     ended
 */
public record DrainView(UUID drainId, String host, String status, String hostMode, String policy, Integer bandwidthMbps,
        String requestedBy,
        Instant startedAt, Instant endedAt, long predictedMs, long elapsedMs, long etaMs, Counts vms, long bytesSent,
        boolean cancelling, String summary, List<MoveView> moves) {

    /** VMs by where their move stands; done = moved + failed + left. */
    public record Counts(int total, int done, int moved, int failed, int left, int running, int waiting) {}

    /** @param migrationState the state of the move's current migration, when it has one */
    public record MoveView(int order, String vmId, int memoryMb, String destination, String status, int attempts,
            UUID migrationId, String migrationState, long predictedMs, long bytesSent, List<String> tried,
            String reason, String why) {}
}
