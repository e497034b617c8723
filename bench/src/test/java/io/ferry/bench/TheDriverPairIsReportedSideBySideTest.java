package io.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class TheDriverPairIsReportedSideBySideTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void qemus_own_figures_and_the_simulated_drivers_share_one_table_and_one_json_node() {
        // given a pair's result
        DriverPair.Result pair = new DriverPair.Result(256, 64, 135_000, 0.43,
                new DriverPair.Figures("qemu", 1124, 72, 82, 288_669_418, 2, 256L << 20),
                new DriverPair.Figures("simulated", 337, 31, 31, 194_800_704, 1, 256L << 20), null);

        // when it is reported
        String table = Report.drivers(pair);
        JsonNode json = Report.driversJson(JSON, pair);

        // then each driver has its row with its figures, and the JSON carries the same numbers
        assertThat(table).contains("256 MB guest, 64 MiB rewritten in a loop (135000 page writes/s, 43 % of memory used)");
        assertThat(table.lines().filter(l -> l.startsWith("qemu ")).findFirst().orElseThrow())
                .contains("1124", "72", "82", "288669418", "1.08");
        assertThat(table.lines().filter(l -> l.startsWith("simulated ")).findFirst().orElseThrow())
                .contains("337", "31", "194800704", "0.73");
        assertThat(json.path("qemu").path("downtimeMs").asLong()).isEqualTo(72);
        assertThat(json.path("simulated").path("bytesSent").asLong()).isEqualTo(194_800_704);
    }

    @Test
    void a_machine_without_qemu_gets_the_reason_instead_of_figures() {
        // given the pair was skipped, when it is reported, then the reason is said in both forms
        DriverPair.Result skipped = DriverPair.Result.skipped(256, 64, "qemu-system-x86_64 or qemu-img is not installed");
        assertThat(Report.drivers(skipped)).contains("skipped: qemu-system-x86_64 or qemu-img is not installed");
        assertThat(Report.driversJson(JSON, skipped).path("skipped").asString()).contains("not installed");
    }
}
