package io.ferry.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class ScaleTargetsAreRatiosToTheIssuesLimitsTest {
    private static JsonNode judge(String scale) {
        return ScaleTargets.judge(Rest.JSON.readTree(scale));
    }

    private static JsonNode named(JsonNode targets, String prefix) {
        for (JsonNode t : targets) {
            if (t.path("name").asString().startsWith(prefix)) {
                return t;
            }
        }
        throw new AssertionError("no target " + prefix + " in " + targets);
    }

    @Test
    void given_a_hop_p99_above_20_ms_when_judged_then_it_is_missed_by_its_ratio() {
        JsonNode targets = judge("""
                {"drain": {"stageHopMs": {"count": 10, "p99": 25.0}, "orchestratorHeap": {"liveRatio": 1.1},
                 "allVerified": true, "completed": 2, "migrations": 2}}""");

        JsonNode hop = named(targets, "stage hop p99");
        assertThat(hop.path("ratio").asDouble()).isEqualTo(1.25);
        assertThat(hop.path("verdict").asString()).isEqualTo("MISSED");
        assertThat(named(targets, "orchestrator live heap").path("verdict").asString()).isEqualTo("MET");
        assertThat(named(targets, "every migration").path("verdict").asString()).isEqualTo("MET");
    }

    @Test
    void given_fewer_than_a_million_events_when_the_history_is_judged_then_it_is_not_judged() {
        JsonNode targets = judge("""
                {"eventLog": {"writers": 8, "appendsPerSecond": 6000, "eventsInLog": 500000,
                 "historyMs": {"p99": 1.0}}}""");

        assertThat(named(targets, "event appends").path("verdict").asString()).isEqualTo("MET");
        assertThat(named(targets, "one migration's history").path("verdict").asString()).isEqualTo("NOT JUDGED");
    }

    @Test
    void given_largest_first_a_quarter_shorter_when_the_order_is_judged_then_it_meets_the_20_percent_goal() {
        JsonNode targets = judge("""
                {"order": {"byBandwidth": [{"bandwidthMbps": 1000, "runs": [{}, {}], "largestFirstMs": 3000,
                "asListedMs": 4000, "ratio": 0.75}]}}""");

        JsonNode order = named(targets, "drain time, largest first / as listed, each move capped at 1000 Mbit/s");
        assertThat(order.path("met").asBoolean()).isTrue();
        assertThat(order.path("limit").asDouble()).isEqualTo(0.80);
    }

    @Test
    void given_order_pairs_at_two_bandwidths_when_judged_then_each_is_judged_on_its_own() {
        JsonNode targets = judge("""
                {"order": {"byBandwidth": [
                {"bandwidthMbps": 1000, "runs": [{}, {}], "largestFirstMs": 3000, "asListedMs": 4000, "ratio": 0.75},
                {"bandwidthMbps": 0, "runs": [{}, {}], "largestFirstMs": 3900, "asListedMs": 4000, "ratio": 0.975}]}}""");

        assertThat(named(targets, "drain time, largest first / as listed, each move capped at 1000 Mbit/s").path("verdict").asString()).isEqualTo("MET");
        assertThat(named(targets, "drain time, largest first / as listed, moves uncapped").path("verdict").asString()).isEqualTo("MISSED");
    }
}
