package io.ferry.orchestrator.outbox;

import io.ferry.orchestrator.support.BackgroundLoop;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Measures the outbox on a thread of its own, so health and metrics answer at once from the last figures even
 * when the database does not: how many rows wait, how old the oldest is, how many were set aside.
 */
@Component
public class OutboxBacklog extends BackgroundLoop {
    private final JdbcTemplate jdbc;
    private final OutboxHealthProperties properties;
    private final Clock clock;
    private volatile Sample last;

    /**
     * @param backlog rows not yet sent (nor set aside)
     * @param oldestUnsentAge how long the oldest of them has waited (zero when none waits)
     * @param setAside rows set aside as impossible to send
     * @param at when this was measured
     */
    public record Sample(long backlog, Duration oldestUnsentAge, long setAside, Instant at) {}

    OutboxBacklog(JdbcTemplate jdbc, OutboxHealthProperties properties, Clock clock) {
        super("outbox-backlog");
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
    }

    /** The last figures if they are recent (a few intervals old at most), else empty: the database does not answer. */
    public Optional<Sample> current() {
        Sample sample = last;
        Duration stale = properties.sampleInterval().multipliedBy(3).plusSeconds(5);
        return sample == null || sample.at().plus(stale).isBefore(clock.instant()) ? Optional.empty() : Optional.of(sample);
    }

    public OutboxHealthProperties thresholds() {
        return properties;
    }

    @Override
    protected void round() {
        last = jdbc.queryForObject("""
                select (select count(*) from outbox where published_at is null and failed_at is null),
                       (select coalesce(extract(epoch from now() - min(created_at)), 0) from outbox
                         where published_at is null and failed_at is null),
                       (select count(*) from outbox where failed_at is not null)""",
                (rs, i) -> new Sample(rs.getLong(1), Duration.ofMillis(Math.max(0, Math.round(rs.getDouble(2) * 1000))),
                        rs.getLong(3), clock.instant()));
    }

    @Override
    protected void pause() throws InterruptedException {
        Thread.sleep(properties.sampleInterval());
    }
}
