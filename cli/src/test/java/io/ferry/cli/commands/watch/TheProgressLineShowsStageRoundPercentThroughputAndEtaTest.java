package io.ferry.cli.commands.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.cli.output.Json;
import org.junit.jupiter.api.Test;

class TheProgressLineShowsStageRoundPercentThroughputAndEtaTest {

    private static String render(String json) {
        return ProgressLine.render(Json.mapper().readTree(json));
    }

    @Test
    void a_precopy_update_shows_every_figure() {
        // given an update in pre-copy round 3, 45.7 % copied at 812.4 Mbit/s, 3.24 s to go
        String update = """
                {"migrationId":"m","version":9,"state":"PRECOPY","stage":"2/6 memory pre-copy","round":3,"memoryMb":1024,"pagesSent":120000,
                 "bytesSent":491520000,"percentCopied":45.7,"throughputMbps":812.4,"dirtyPagesRemaining":900,
                 "etaSeconds":3.24,"downtimeMs":null,"totalMs":2100,"failureReason":null,"failureDetail":null}""";

        // when it is rendered
        String line = render(update);

        // then the bar is 7 of 16 marks filled, the percent rounds down, and the ETA reads in seconds
        assertThat(line).isEqualTo("2/6 memory pre-copy  round 3  [#######.........]  45%  812 Mbit/s  ETA 3.2 s");
        assertThat(line.length()).isLessThan(80);
    }

    @Test
    void what_the_update_lacks_is_left_out() {
        // given an update in setup, before any copying
        String update = "{\"state\":\"SETUP\",\"stage\":\"1/6 setup\",\"round\":0,\"percentCopied\":null,\"etaSeconds\":null}";

        // when it is rendered
        // then only the stage shows
        assertThat(render(update)).isEqualTo("1/6 setup");
    }

    @Test
    void percent_is_kept_between_0_and_100() {
        // given an update that overshoots (pages re-sent count twice)
        String update = "{\"stage\":\"3/6 final copy\",\"round\":5,\"percentCopied\":103.0}";

        // when it is rendered
        // then the bar is full at 100 %
        assertThat(render(update)).isEqualTo("3/6 final copy  round 5  [################] 100%");
    }

    @Test
    void a_finished_migration_shows_its_times_or_its_reason() {
        // when the last update of a completed and of a rolled-back migration are rendered
        String completed = render("{\"state\":\"COMPLETED\",\"totalMs\":3240,\"downtimeMs\":41}");
        String rolledBack = render("{\"state\":\"ROLLED_BACK\",\"totalMs\":31000,\"failureReason\":\"NOT_CONVERGING\"}");

        // then they read as an outcome
        assertThat(completed).isEqualTo("COMPLETED  total 3.2 s  downtime 41 ms");
        assertThat(rolledBack).isEqualTo("ROLLED_BACK  total 31.0 s  NOT_CONVERGING");
    }
}
