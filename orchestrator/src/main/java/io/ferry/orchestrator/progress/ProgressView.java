package io.ferry.orchestrator.progress;

import io.ferry.schema.MigrationStatus;

/**
 * One update of a migration's live progress, as the SSE stream and `ferry watch` show it.
 *
 * @param percentCopied pages sent so far (all rounds) against the guest's pages, capped at 99 until it completes
 * @param etaSeconds time to send what is still dirty at the last round's throughput (null before the first round)
 */
public record ProgressView(String migrationId, int version, String state, String stage, int round, int memoryMb,
        long pagesSent, long bytesSent, double percentCopied, Double throughputMbps, Long dirtyPagesRemaining,
        Double etaSeconds, Long downtimeMs, Long totalMs, String failureReason, String failureDetail) {

    public boolean terminal() {
        MigrationStatus status = MigrationStatus.parse(state);
        return status != null && status.terminal();
    }
}
