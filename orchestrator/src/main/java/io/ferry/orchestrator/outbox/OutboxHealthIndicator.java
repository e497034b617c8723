package io.ferry.orchestrator.outbox;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * The outbox's part of /actuator/health: DEGRADED when its oldest unsent row or its backlog pass their thresholds
 * (commands and events are late: the broker is down or slow), UNKNOWN when there are no recent figures (the
 * database does not answer, which the db check reports as DOWN). DEGRADED answers HTTP 200 and ranks between UP
 * and DOWN (management.endpoint.health.status in application.yml).
 */
@Component("outboxHealthIndicator")
class OutboxHealthIndicator implements HealthIndicator {
    static final Status DEGRADED = new Status("DEGRADED", "messages wait in the outbox longer than they should");
    private final OutboxBacklog backlog;

    OutboxHealthIndicator(OutboxBacklog backlog) {
        this.backlog = backlog;
    }

    @Override
    public Health health() {
        var thresholds = backlog.thresholds();
        return backlog.current().map(sample -> {
            boolean late = sample.oldestUnsentAge().compareTo(thresholds.degradedAge()) > 0;
            boolean crowded = sample.backlog() > thresholds.degradedBacklog();
            Health.Builder health = late || crowded ? Health.status(DEGRADED) : Health.up();
            health.withDetail("backlog", sample.backlog())
                    .withDetail("oldestUnsentAgeSeconds", sample.oldestUnsentAge().toMillis() / 1000.0)
                    .withDetail("setAside", sample.setAside())
                    .withDetail("degradedAgeSeconds", thresholds.degradedAge().toSeconds())
                    .withDetail("degradedBacklog", thresholds.degradedBacklog())
                    .withDetail("measuredAt", sample.at().toString());
            if (late || crowded) {
                health.withDetail("reason", (late ? "the oldest unsent message has waited "
                        + sample.oldestUnsentAge().toSeconds() + " s" : sample.backlog() + " messages wait")
                        + "; check the broker and the log of the outbox relay");
            }
            if (sample.setAside() > 0) {
                health.withDetail("setAsideHint", "select id, topic, failed_at, failure from outbox where failed_at is not null");
            }
            return health.build();
        }).orElseGet(() -> Health.unknown().withDetail("reason",
                "no recent outbox figures: the database does not answer").build());
    }
}
