package io.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class EachTargetIsANamedRatioWithItsVerdictTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void the_table_and_the_json_give_name_measured_baseline_ratio_limit_and_verdict() {
        // given a judged target and one left unjudged
        List<Run> runs = List.of(Runs.completed("hotset-1g", 1, "\"downtimeMs\":30,\"totalMs\":5500,\"bytesSent\":625000000,"
                + "\"memoryBytes\":1073741824,\"sourcePeakRssBytes\":1073741824,\"destinationPeakRssBytes\":536870912"));
        List<Targets.Target> targets = Targets.judge(runs, Double.NaN);

        // when reported
        String table = Report.targets(targets);
        JsonNode json = Report.json(JSON, JSON.createObjectNode(), 1024, 1, Loopback.Result.NOT_MEASURED, runs, targets)
                .path("targets");

        // then the wire target reads 5500 ms over 5000 ms = 1.10 against <=1.10, met, in both forms
        assertThat(table.lines().filter(l -> l.contains("total time vs wire time")).findFirst().orElseThrow())
                .contains("MET", "hotset-1g", "5500 ms", "5000 ms", "1.10", "<=1.10", "median of 1");
        JsonNode wire = find(json, "total time vs wire time of bytes sent");
        assertThat(wire.path("point").asInt()).isEqualTo(4);
        assertThat(wire.path("measured").asDouble()).isEqualTo(5500);
        assertThat(wire.path("baseline").asDouble()).isEqualTo(5000);
        assertThat(wire.path("ratio").asDouble()).isEqualTo(1.1);
        assertThat(wire.path("limit").asDouble()).isEqualTo(1.1);
        assertThat(wire.path("comparison").asString()).isEqualTo("<=");
        assertThat(wire.path("met").asBoolean()).isTrue();
        // and the hot-set downtime, one run of three, is shown with met null and the reason
        JsonNode downtime = find(json, "hot-set downtime vs 50 ms");
        assertThat(downtime.path("met").isNull()).isTrue();
        assertThat(downtime.path("verdict").asString()).isEqualTo("NOT_JUDGED");
        assertThat(downtime.path("note").asString()).contains("1 of the 3 completed runs needed");
        assertThat(table).contains("NOT JUDGED", "hot-set downtime vs 50 ms (hotset-1g): 1 of the 3 completed runs needed");
    }

    private static JsonNode find(JsonNode targets, String name) {
        for (JsonNode t : targets) {
            if (t.path("name").asString().equals(name)) {
                return t;
            }
        }
        throw new AssertionError("no target " + name + " in " + targets);
    }
}
