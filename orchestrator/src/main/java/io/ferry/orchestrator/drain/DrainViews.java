package io.ferry.orchestrator.drain;

import io.ferry.orchestrator.core.Ids.DrainId;
import io.ferry.orchestrator.drain.DrainState.Move;
import io.ferry.orchestrator.drain.DrainState.MoveStatus;
import io.ferry.orchestrator.migrations.MigrationsReadModel;
import io.ferry.orchestrator.OrchestratorProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Builds a drain's view: its state from the log, with each running move's migration as the read model has it. */
@Component
class DrainViews {
    private final Drains drains;
    private final MigrationsReadModel migrations;
    private final OrchestratorProperties limits;
    private final Clock clock;

    DrainViews(Drains drains, MigrationsReadModel migrations, OrchestratorProperties limits, Clock clock) {
        this.drains = drains;
        this.migrations = migrations;
        this.limits = limits;
        this.clock = clock;
    }

    DrainView of(DrainId id) {
        DrainState s = drains.current(id);
        if (s.status() == DrainState.Status.NONE) {
            throw new io.ferry.orchestrator.api.NotFound("no drain " + id);
        }
        List<DrainView.MoveView> moves = new ArrayList<>();
        List<Long> remaining = new ArrayList<>();
        long bytes = 0;
        int moved = 0, failed = 0, left = 0, running = 0, waiting = 0;
        Map<java.util.UUID, Map<String, Object>> rows = migrations.progressRows(s.moves().stream()
                .map(Move::migrationId).filter(java.util.Objects::nonNull).toList());
        for (Move m : s.moves()) {
            Map<String, Object> row = m.migrationId() == null ? null : rows.get(m.migrationId());
            String migrationState = row == null ? null : (String) row.get("state");
            long moveBytes = m.status() == MoveStatus.MOVED ? m.bytesSent()
                    : row == null || row.get("bytes_sent") == null ? 0 : ((Number) row.get("bytes_sent")).longValue();
            bytes += moveBytes;
            switch (m.status()) {
                case MOVED -> moved++;
                case LEFT -> {
                    if (m.failed()) {
                        failed++;
                    } else {
                        left++;
                    }
                }
                case SUBMITTED -> {
                    boolean queued = "QUEUED".equals(migrationState);
                    if (queued) {
                        waiting++;
                    } else {
                        running++;
                    }
                    double done = Math.min(1.0, moveBytes / (m.plan().memoryMb() * 1048576.0));
                    remaining.add(Math.round(m.plan().predictedMs() * (1 - done)));
                }
                case PLANNED, SUBMITTING, FAILED -> {
                    waiting++;
                    remaining.add(m.plan().predictedMs());
                }
            }
            moves.add(new DrainView.MoveView(m.plan().order(), m.vmId(), m.plan().memoryMb(), m.destination(),
                    m.status().name(), m.attempts(), m.migrationId(), migrationState, m.plan().predictedMs(), moveBytes,
                    m.tried(), m.reason(), m.plan().why()));
        }
        int slots = Math.min(limits.maxOutboundPerHost(), limits.maxConcurrent());
        long eta = s.draining() ? DrainPlanner.makespan(remaining, slots) : 0;
        long elapsed = Duration.between(s.startedAt(), s.endedAt() != null ? s.endedAt() : clock.instant()).toMillis();
        return new DrainView(id.value(), s.host(), s.status().name(), s.hostMode().name(), s.policy(), s.bandwidthMbps(),
                s.requestedBy(),
                s.startedAt(), s.endedAt(), s.predictedMs(), elapsed, eta, new DrainView.Counts(s.moves().size(),
                moved + failed + left, moved, failed, left, running, waiting), bytes, s.cancelling(), s.summary(), moves);
    }
}
