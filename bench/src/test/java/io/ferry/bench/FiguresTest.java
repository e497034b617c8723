package io.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class FiguresTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Scenario IDLE_1G = new Scenario("idle-1g", "idle", "idle", 1000, List.of());
    private static final Scenario IDLE_UNCAPPED = new Scenario("idle-uncapped", "idle", "idle", 0, List.of());

    private static Run run(Scenario s, String json) {
        return new Run(s, 1, JSON.readTree(json), null);
    }

    @Test
    void capped_runs_compare_total_time_with_the_utilised_memory_over_the_link() {
        Run r = run(IDLE_1G, """
                {"state":"COMPLETED","totalMs":5670,"downtimeMs":20,"rounds":2,"bytesSent":1073741824,
                 "memoryBytes":1073741824,"sourcePeakRssBytes":1288490188,"destinationPeakRssBytes":536870912}""");

        assertThat(r.wireBoundMs()).isCloseTo(0.6 * 1073741824 * 8 / 1e6, within(0.01));   // 5153.96 ms at 1 Gbit/s
        assertThat(r.totalPerWireBound()).isCloseTo(1.10, within(0.001));
        assertThat(r.sentPerMemory()).isEqualTo(1.0);
        assertThat(r.streamingPerLoopback(1e9)).isNaN();
        assertThat(r.maxRssPerMemory()).isCloseTo(1.2, within(0.001));
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
        assertThat(round1.streamingFromRound1()).isTrue();
        assertThat(round1.streamingPerLoopback(4e9)).isEqualTo(0.5);
    }

    @Test
    void targets_use_the_median_of_completed_runs_and_miss_when_none_completed() {
        Scenario hotset = new Scenario("hotset-1g", "hotset", "hotset:5000", 1000, List.of());
        List<Run> runs = List.of(
                run(hotset, "{\"state\":\"COMPLETED\",\"downtimeMs\":40,\"memoryBytes\":100}"),
                new Run(hotset, 2, JSON.readTree("{\"state\":\"COMPLETED\",\"downtimeMs\":45,\"memoryBytes\":100}"), null),
                new Run(hotset, 3, JSON.readTree("{\"state\":\"COMPLETED\",\"downtimeMs\":900,\"memoryBytes\":100}"), null),
                Run.failed(IDLE_1G, 1, "boom"));

        List<Targets.Verdict> verdicts = Targets.judge(runs, Double.NaN);

        assertThat(verdicts).filteredOn(v -> v.target().startsWith("downtime"))
                .singleElement().satisfies(v -> {
                    assertThat(v.value()).isEqualTo(45);
                    assertThat(v.pass()).isTrue();
                });
        assertThat(verdicts).filteredOn(v -> v.scenario().equals("idle-1g") && v.target().startsWith("total"))
                .singleElement().satisfies(v -> assertThat(v.pass()).isFalse());
    }
}
