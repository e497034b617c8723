package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.orchestrator.outbox.Outbox;
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
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox relay publishes the agents' stage commands in a lane of their own: a command written after an event does
 * not wait for the event to be published (in the scale bench, for a batch of events to be acknowledged).
 */
class AStageCommandIsPublishedWhileTheOtherRelayLaneIsHeldTest {
    /** The lock of the relay's lane for everything but commands (OutboxRelay.Lane.OTHERS). */
    private static final long OTHERS_LANE_LOCK = 0x6665727279L;
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack().orchestrator(Map.of());

    @Test
    void the_command_goes_out_while_the_event_written_before_it_waits() throws Exception {
        try (Connection other = DriverManager.getConnection(stack.db().jdbcUrl(), stack.db().username(), stack.db().password());
                Statement statement = other.createStatement()) {
            // given the other lane held (as if busy with a long batch), and an event then a command written after it
            statement.execute("select pg_advisory_lock(" + OTHERS_LANE_LOCK + ")");
            Outbox outbox = stack.orchestrator().getBean(Outbox.class);
            stack.orchestrator().getBean(TransactionTemplate.class).executeWithoutResult(status -> {
                outbox.add(Topics.EVENTS, "lane-test", "{}".getBytes(StandardCharsets.UTF_8), Outbox.JSON);
                outbox.add(Topics.COMMANDS_PREFIX + "hv-lane", "lane-test", "{}".getBytes(StandardCharsets.UTF_8), Outbox.JSON);
            });

            // when the relay is woken by that commit
            // then the command is published and the event, written first, is not
            JdbcTemplate jdbc = stack.orchestrator().getBean(JdbcTemplate.class);
            FerryStack.await("the command to be published", Duration.ofSeconds(20), () -> jdbc.queryForObject(
                    "select count(*) from outbox where message_key = 'lane-test' and topic = ? and published_at is not null",
                    Long.class, Topics.COMMANDS_PREFIX + "hv-lane") == 1);
            assertThat(jdbc.queryForObject("select published_at is null from outbox where message_key = 'lane-test' "
                    + "and topic = ?", Boolean.class, Topics.EVENTS)).isTrue();

            // and once the other lane is free, the event goes out too
            statement.execute("select pg_advisory_unlock(" + OTHERS_LANE_LOCK + ")");
        }
        FerryStack.await("the event to be published", Duration.ofSeconds(20), () -> jdbc().queryForObject(
                "select count(*) from outbox where message_key = 'lane-test' and published_at is null", Long.class) == 0);
    }

    private static JdbcTemplate jdbc() {
        return stack.orchestrator().getBean(JdbcTemplate.class);
    }
}
