package io.ferry.cli;

import static io.ferry.cli.testing.Fixtures.ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.cli.connection.Connection;
import io.ferry.cli.connection.FerryClient;
import io.ferry.cli.testing.Fixtures;
import io.ferry.cli.testing.StubFerry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The demo narrates its migration from the history, read when the progress stream says the migration changed: its reads
 * follow the migration's changes, not the clock, so they do not load the stack whose migration it measures.
 */
class TheDemoReadsTheHistoryWhenTheProgressStreamSaysItChangedTest {
    private static final String REQUESTED = "{\"version\":1,\"type\":\"MigrationRequested\",\"payload\":{\"vmId\":\"SERVER2\","
            + "\"sourceHost\":\"hv-01\",\"destinationHost\":\"hv-02\",\"requestedBy\":\"ops\",\"channel\":\"KAFKA\"}}";
    private static final String COMPLETED = "{\"version\":2,\"type\":\"MigrationCompleted\",\"payload\":{\"totalMs\":3240}}";

    @Test
    void two_changes_on_the_stream_cost_one_history_read_each_and_the_narration_ends_with_the_migration() throws Exception {
        // given a migration whose progress stream sends two changes, the second its end, slowly enough that a
        // clock-driven poll every 100 ms would read many times meanwhile
        AtomicInteger historyReads = new AtomicInteger();
        try (StubFerry api = new StubFerry()
                .on("GET /api/migrations", 200, Fixtures.page(1, Fixtures.completed(ID)))
                .on("GET /api/migrations/" + ID + "/progress", exchange -> {
                    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                    exchange.sendResponseHeaders(200, 0);
                    try (var body = exchange.getResponseBody()) {
                        for (String state : new String[] {"PRECOPY", "COMPLETED"}) {
                            sleepQuietly(600);
                            body.write(("event: progress\ndata: {\"state\":\"" + state + "\"}\n\n")
                                    .getBytes(StandardCharsets.UTF_8));
                            body.flush();
                        }
                    }
                })
                .on("GET /api/migrations/" + ID + "/history", exchange -> StubFerry.send(exchange, 200, "application/json",
                        historyReads.incrementAndGet() == 1 ? "[" + REQUESTED + "]" : "[" + REQUESTED + "," + COMPLETED + "]"))
                .on("GET /api/migrations/" + ID, exchange -> StubFerry.send(exchange, 200, "application/json",
                        historyReads.get() < 2 ? Fixtures.migration(ID, "PRECOPY", null, null, null)
                                : Fixtures.completed(ID)))) {
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            AtomicInteger ticks = new AtomicInteger();
            FerryClient client = new FerryClient(new Connection(api.url(), "ops", "secret", "a test"));

            // when the demo follows the request's migration
            var migration = new DemoFollower(ticks::incrementAndGet, client, new PrintStream(printed, true,
                    StandardCharsets.UTF_8), Duration.ofMinutes(1)).follow("req-1");

            // then it narrated both events once, returned the ended migration, read the history once per change (plus
            // the first look) while its own checks ran on the clock
            String out = printed.toString(StandardCharsets.UTF_8);
            assertThat(out).contains("migration " + ID).containsOnlyOnce("requested      SERVER2 hv-01 -> hv-02")
                    .containsOnlyOnce("completed");
            assertThat(migration.path("state").asString()).isEqualTo("COMPLETED");
            assertThat(historyReads.get()).isBetween(2, 3);
            assertThat(ticks.get()).isGreaterThanOrEqualTo(3);
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
