package io.ferry.cli.commands.watch;

import static io.ferry.cli.testing.Fixtures.ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.cli.connection.Connection;
import io.ferry.cli.connection.FerryClient;
import io.ferry.cli.testing.Fixtures;
import io.ferry.cli.testing.StubFerry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OnATerminalTheProgressLineIsRedrawnInPlaceTest {

    @Test
    void each_update_overwrites_the_last_and_blanks_what_it_left() throws Exception {
        // given a long update followed by a shorter one
        String longer = "{\"stage\":\"PRECOPY\",\"round\":1,\"percentCopied\":50.0,\"throughputMbps\":940.0,\"etaSeconds\":2.5}";
        String shorter = "{\"state\":\"COMPLETED\",\"totalMs\":3240}";
        try (StubFerry api = new StubFerry().on("GET /api/migrations/" + ID, 200, Fixtures.completed(ID))
                .events("GET /api/migrations/" + ID + "/progress", "progress", longer, shorter)) {
            StringWriter out = new StringWriter();

            // when they are followed on a terminal
            int code = new Follower(new FerryClient(new Connection(api.url(), "ops", "pw", "test")), new PrintWriter(out),
                    false, true, Duration.ofMillis(10)).follow(ID);

            // then each starts with a carriage return, the shorter one padded over the longer, then a newline
            String first = "PRECOPY  round 1  [########........]  50%  940 Mbit/s  ETA 2.5 s";
            String second = "COMPLETED  total 3.2 s";
            assertThat(out.toString()).startsWith("\r" + first + "\r" + second + " ".repeat(first.length() - second.length())
                    + System.lineSeparator());
            assertThat(code).isZero();
        }
    }

    @Test
    void a_line_wider_than_79_columns_is_cut_so_it_can_be_redrawn() throws Exception {
        // given an update whose line is wider than a terminal (long stage, thousands of Mbit/s, ETA in minutes)
        String wide = "{\"stage\":\"6/6 network cleanup\",\"round\":10,\"percentCopied\":99.0,\"throughputMbps\":9999.0,"
                + "\"etaSeconds\":65.0}";
        try (StubFerry api = new StubFerry().on("GET /api/migrations/" + ID, 200, Fixtures.completed(ID))
                .events("GET /api/migrations/" + ID + "/progress", "progress", wide)) {
            StringWriter out = new StringWriter();

            // when it is followed on a terminal
            new Follower(new FerryClient(new Connection(api.url(), "ops", "pw", "test")), new PrintWriter(out), false, true,
                    Duration.ofMillis(10)).follow(ID);

            // then the redrawn line holds 79 characters
            String drawn = out.toString().substring(1, out.toString().indexOf(System.lineSeparator()));
            assertThat(ProgressLine.render(io.ferry.cli.output.Json.mapper().readTree(wide)).length()).isGreaterThan(79);
            assertThat(drawn).hasSize(79).startsWith("6/6 network cleanup  round 10");
        }
    }
}
