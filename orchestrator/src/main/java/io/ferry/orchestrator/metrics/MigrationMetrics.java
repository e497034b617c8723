package io.ferry.orchestrator.metrics;

import io.ferry.orchestrator.core.ConvergeVerdict;
import io.ferry.orchestrator.core.MigrationEvent;
import io.ferry.orchestrator.core.MigrationCommand;
import io.ferry.orchestrator.core.MigrationState;
import io.ferry.orchestrator.decision.Appended;
import io.ferry.orchestrator.decision.Reactor;
import io.ferry.orchestrator.decision.Recorded;
import io.ferry.schema.MigrationStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import io.ferry.orchestrator.migrations.MigrationsReadModel;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Prometheus metrics, counted from the events this instance appended (after the commit, so a retried or duplicate
 * input never counts twice). Counters are per instance (sum them across instances); the queue and active gauges
 * read the shared read model, so every instance reports the cluster's figure.
 */
@Component
public class MigrationMetrics implements Reactor<MigrationCommand, MigrationEvent, MigrationState> {
    private final MeterRegistry registry;
    private final Timer duration;
    private final Timer downtime;
    private final DistributionSummary rounds;
    private final Counter bytesSent;
    private final DistributionSummary estimateError;
    private final MigrationsReadModel readModel;

    public MigrationMetrics(MeterRegistry registry, MigrationsReadModel readModel) {
        this.registry = registry;
        this.readModel = readModel;
        this.estimateError = DistributionSummary.builder("ferry.estimate.error.ratio")
                .description("|estimated - actual| / actual total time of completed migrations (0.2 = 20 % off)")
                .serviceLevelObjectives(0.1, 0.2, 0.5, 1).register(registry);
        this.duration = Timer.builder("ferry.migration.duration").description("Request to completion of migrations")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofSeconds(1))
                .maximumExpectedValue(Duration.ofHours(2)).register(registry);
        this.downtime = Timer.builder("ferry.migration.downtime").description("Guest pause, source pause to destination resume")
                .serviceLevelObjectives(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(300),
                        Duration.ofSeconds(1), Duration.ofSeconds(5))
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60)).register(registry);
        this.rounds = DistributionSummary.builder("ferry.migration.rounds").description("Pre-copy rounds of completed migrations")
                .serviceLevelObjectives(1, 2, 3, 5, 10, 20).register(registry);
        this.bytesSent = Counter.builder("ferry.migration.bytes.sent").baseUnit("bytes")
                .description("Page bytes sent on the data channels (pre-copy and final copy)").register(registry);
        Gauge.builder("ferry.migrations.queued", readModel, m -> count(m, Set.of(MigrationStatus.QUEUED)))
                .description("Migrations waiting for a slot under the concurrency limits").register(registry);
        Gauge.builder("ferry.migrations.active", readModel, m -> count(m, MigrationStatus.IN_FLIGHT))
                .description("Migrations holding a slot (running or rolling back)").register(registry);
    }

    private static double count(MigrationsReadModel readModel, Set<MigrationStatus> statuses) {
        try {
            return readModel.count(statuses);
        } catch (RuntimeException e) {
            return Double.NaN; // the database is unreachable: say so rather than report zero
        }
    }

    @Override
    public void afterCommit(Appended<MigrationCommand, MigrationEvent, MigrationState> appended) {
        for (Recorded<MigrationEvent> recorded : appended.added()) {
            switch (recorded.event()) {
                case MigrationEvent.MigrationCompleted c -> {
                    ended(MigrationStatus.COMPLETED);
                    duration.record(Duration.ofMillis(c.totalMs()));
                    downtime.record(Duration.ofMillis(c.downtimeMs()));
                    rounds.record(c.rounds());
                    judge(appended.stream(), true, c.totalMs());
                }
                case MigrationEvent.MigrationCancelled c -> ended(MigrationStatus.CANCELLED);
                case MigrationEvent.MigrationRolledBack r -> ended(MigrationStatus.ROLLED_BACK);
                case MigrationEvent.RollbackIncomplete r -> ended(MigrationStatus.FAILED);
                case MigrationEvent.MigrationFailed f -> {
                    Counter.builder("ferry.migration.failures")
                            .description("Failures before resume, by reason and stage").tag("reason", f.reason().name())
                            .tag("stage", f.stage().name()).register(registry).increment();
                    if (Boolean.FALSE.equals(ConvergeVerdict.of(false, f.reason(), !f.stage().beforeFinalCopy()))) {
                        judge(appended.stream(), false, -1);
                    }
                }
                case MigrationEvent.PrecopyRoundCompleted r -> bytesSent.increment(r.stats().bytesSent());
                case MigrationEvent.FinalCopyCompleted f -> bytesSent.increment(f.bytesSent());
                default -> { } // the other events carry nothing these metrics count
            }
        }
    }

    /** Estimate against actual: the total's error (completed only) and whether the converge verdict was right. */
    private void judge(java.util.UUID migration, boolean converged, long actualTotalMs) {
        try {
            readModel.estimated(migration).ifPresent(e -> {
                if (actualTotalMs > 0) {
                    estimateError.record(Math.abs(e.totalMs() - actualTotalMs) / (double) actualTotalMs);
                }
                Counter.builder("ferry.estimate.verdicts").description("Estimated converge verdicts, right or wrong")
                        .tag("right", Boolean.toString(e.converges() == converged)).register(registry).increment();
            });
        } catch (RuntimeException e) {
            // a metric never fails the migration: the estimate stays in the read model for the API
        }
    }

    private void ended(MigrationStatus outcome) {
        Counter.builder("ferry.migrations.ended").description("Migrations that ended, by outcome").tag("outcome", outcome.name())
                .register(registry).increment();
    }
}
