package io.ferry.cli.commands.watch;

import static io.ferry.cli.testing.Fixtures.ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.cli.testing.Fixtures;
import io.ferry.cli.testing.Run;
import io.ferry.cli.testing.StubFerry;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WatchPollsWhenTheServerHasNoProgressStreamTest {

    @Test
    void a_404_on_the_stream_falls_back_to_reading_the_migration_until_it_ends() throws Exception {
        // given a server without the progress stream, whose migration completes on the third read
        AtomicInteger reads = new AtomicInteger();
        try (StubFerry api = new StubFerry().on("GET /api/migrations/" + ID, exchange -> {
            int n = reads.incrementAndGet();
            String body = n == 1 ? Fixtures.migration(ID, "PRECOPY", null, null, null)
                    : n == 2 ? Fixtures.migration(ID, "PRECOPY", null, null, null).replace("\"version\":17", "\"version\":18")
                    : Fixtures.completed(ID).replace("\"version\":17", "\"version\":30");
            StubFerry.send(exchange, 200, "application/json", body);
        })) {

            // when watch runs with stdout not a terminal
            Run run = Run.ferry(api, "watch", ID);

            // then it read the migration until COMPLETED, a line per change, and exits 0
            assertThat(reads.get()).isEqualTo(3); // the lookup, the read after the stream's 404, one poll later
            assertThat(run.out().lines().limit(3)).containsExactly("PRECOPY  round 3  1.00 GB sent",
                    "COMPLETED  total 3.2 s  downtime 41 ms", "");
            assertThat(run.exitCode()).isZero();
        }
    }
}
