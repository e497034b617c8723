package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.orchestrator.outbox.Outbox;
import io.ferry.orchestrator.outbox.OutboxRelay;
import io.ferry.schema.Topics;
import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.transaction.support.TransactionTemplate;

class HealthSaysDegradedWhileTheOutboxFallsBehindTest {
    /**
     * The lock of the relay's lane for everything but commands (OutboxRelay.Lane.OTHERS): held elsewhere, this instance
     * publishes none of those.
     */
    private static final long RELAY_LOCK = 0x6665727279L;
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack()
            .orchestrator(Map.of("ferry.orchestrator.outbox.degraded-age", "2s"));

    @Test
    void an_old_unsent_message_makes_health_degraded_with_the_backlog_until_it_is_sent() throws Exception {
        try (Connection other = DriverManager.getConnection(stack.db().jdbcUrl(), stack.db().username(), stack.db().password());
                Statement statement = other.createStatement()) {
            // given another session holding the relay's lock (a stuck instance, say) and a message waiting
            statement.execute("select pg_advisory_lock(" + RELAY_LOCK + ")");
            Outbox outbox = stack.orchestrator().getBean(Outbox.class);
            stack.orchestrator().getBean(TransactionTemplate.class).executeWithoutResult(status -> outbox.add(
                    Topics.REQUESTS_DLQ, "late", "{}".getBytes(StandardCharsets.UTF_8), Outbox.JSON));

            // when it has waited longer than the threshold (2 s here)
            // then health says DEGRADED, still with HTTP 200, and the outbox's details say why
            FerryStack.await("health to say DEGRADED", Duration.ofSeconds(20),
                    () -> "DEGRADED".equals(health().body().path("status").asString("")));
            FerryStack.Response health = health();
            assertThat(health.status()).isEqualTo(200);
            var outboxHealth = health.body().path("components").path("outbox");
            assertThat(outboxHealth.path("status").asString()).isEqualTo("DEGRADED");
            assertThat(outboxHealth.path("details").path("backlog").asLong()).isEqualTo(1);
            assertThat(outboxHealth.path("details").path("oldestUnsentAgeSeconds").asDouble()).isGreaterThan(2.0);
            assertThat(outboxHealth.path("details").path("setAside").asLong()).isZero();
            // and the metrics show the backlog and its age
            String metrics = stack.get("/actuator/prometheus").text();
            assertThat(metrics.lines()).anyMatch(l -> l.matches("ferry_outbox_backlog(\\{.*})? 1\\.0"));
            assertThat(metrics.lines().filter(l -> l.startsWith("ferry_outbox_oldest_unsent_age_seconds")).findFirst()
                    .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))).hasValueSatisfying(
                            age -> assertThat(age).isGreaterThan(2.0));

            // when the lock is released and the message is sent
            statement.execute("select pg_advisory_unlock(" + RELAY_LOCK + ")");
            stack.orchestrator().getBean(OutboxRelay.class).wakeUp();
        }
        // then health is UP again with an empty backlog
        FerryStack.await("health to be UP again", Duration.ofSeconds(20),
                () -> "UP".equals(health().body().path("status").asString("")));
        assertThat(health().body().path("components").path("outbox").path("details").path("backlog").asLong()).isZero();
    }

    private static FerryStack.Response health() {
        try {
            return stack.get("/actuator/health");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
