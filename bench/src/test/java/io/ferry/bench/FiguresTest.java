package io.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class FiguresTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Scenario IDLE_1G = Scenario.simulated("idle-1g", "idle", "idle", 1000, List.of(), 1024);
    private static final Scenario IDLE_UNCAPPED = Scenario.simulated("idle-uncapped", "idle", "idle", 0, List.of(), 1024);

    private static Run run(Scenario s, String json) {
        return new Run(s, 1, JSON.readTree(json), null);
    }

    @Test
    void capped_runs_compare_total_time_with_the_wire_time_of_the_bytes_actually_sent() {
        Run r = run(IDLE_1G, """
                {"state":"COMPLETED","totalMs":5500,"downtimeMs":20,"rounds":2,"bytesSent":625000000,
                 "memoryBytes":1073741824,"sourcePeakRssBytes":1288490188,"destinationPeakRssBytes":536870912}""");

        assertThat(r.wireMs()).isCloseTo(5000, within(0.001));   // 625 MB x 8 at 1 Gbit/s
        assertThat(r.totalPerWire()).isCloseTo(1.10, within(0.001));
        assertThat(r.streamingPerLoopback(1e9)).isNaN();
        assertThat(r.maxRssPerMemory()).isCloseTo(1.2, within(0.001));
        assertThat(r.maxRssBytes()).isEqualTo(1288490188);
    }

    @Test
    void streaming_prefers_round_one_and_falls_back_to_the_whole_run_as_a_lower_bound() {
        Run whole = run(IDLE_UNCAPPED, """
                {"state":"COMPLETED","totalMs":2000,"bytesSent":2000000000,"memoryBytes":1073741824}""");
        Run round1 = run(IDLE_UNCAPPED, """
                {"state":"COMPLETED","totalMs":2000,"bytesSent":2000000000,"memoryBytes":1073741824,
                 "precopyRound1Bytes":600000000,"precopyRound1Ms":300}""");

        assertThat(whole.streamingFromRound1()).isFalse();
        assertThat(whole.streamingBytesPerSec()).isEqualTo(1e9);
        assertThat(whole.wireMs()).isNaN();
        assertThat(round1.streamingFromRound1()).isTrue();
        assertThat(round1.streamingPerLoopback(4e9)).isEqualTo(0.5);
    }
}
