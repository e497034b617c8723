package io.ferry.orchestrator.outbox;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * When the outbox counts as falling behind (health DEGRADED).
 *
 * @param degradedAge the oldest unsent row is older than this
 * @param degradedBacklog more rows than this wait to be sent
 * @param sampleInterval how often the backlog is measured (for health and metrics, which never query themselves)
 */
@ConfigurationProperties("ferry.orchestrator.outbox")
public record OutboxHealthProperties(
        @DefaultValue("30s") Duration degradedAge,
        @DefaultValue("1000") long degradedBacklog,
        @DefaultValue("1s") Duration sampleInterval) {
    public OutboxHealthProperties {
        if (degradedAge.isNegative() || degradedAge.isZero() || sampleInterval.isNegative() || sampleInterval.isZero()) {
            throw new IllegalArgumentException("ferry.orchestrator.outbox.degraded-age and sample-interval must be "
                    + "positive, got " + degradedAge + " and " + sampleInterval);
        }
        if (degradedBacklog < 1) {
            throw new IllegalArgumentException("ferry.orchestrator.outbox.degraded-backlog must be at least 1, got "
                    + degradedBacklog);
        }
    }
}
