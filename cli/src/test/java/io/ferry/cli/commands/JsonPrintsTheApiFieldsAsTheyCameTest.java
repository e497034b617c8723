package io.ferry.cli.commands;

import static io.ferry.cli.testing.Fixtures.ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.cli.output.Json;
import io.ferry.cli.testing.Fixtures;
import io.ferry.cli.testing.Run;
import io.ferry.cli.testing.StubFerry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class JsonPrintsTheApiFieldsAsTheyCameTest {

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.properties().forEach(e -> names.add(e.getKey()));
        return names;
    }

    @Test
    void list_json_is_the_api_s_page_unchanged() throws Exception {
        // given the API answers a page of one migration
        String page = Fixtures.page(1, Fixtures.completed(ID));
        try (StubFerry api = new StubFerry().on("GET /api/migrations", 200, page)) {

            // when list --json runs
            Run run = Run.ferry(api, "list", "--json");

            // then stdout is that page: same fields, same order, same values
            assertThat(run.exitCode()).isZero();
            JsonNode printed = Json.mapper().readTree(run.out());
            assertThat(printed).isEqualTo(Json.mapper().readTree(page));
            assertThat(fieldNames(printed.path("items").get(0))).containsExactly("migrationId", "requestId", "vmId",
                    "sourceHost", "destinationHost", "state", "failureReason", "failureDetail", "requestedBy", "channel",
                    "version", "createdAt", "updatedAt", "totalMs", "downtimeMs", "rounds", "pagesSent", "bytesSent");
        }
    }

    @Test
    void hosts_and_vms_json_are_the_api_s_arrays_unchanged() throws Exception {
        // given the inventory endpoints
        String hosts = "[{\"host\":\"hv-01\",\"driver\":\"simulated\",\"totalMemoryMb\":16384,\"freeMemoryMb\":15360,"
                + "\"cpuFeatures\":[\"sse4_2\",\"avx2\"],\"lastHeartbeatAt\":\"2026-05-04T10:15:30Z\"}]";
        String vms = "[{\"host\":\"hv-01\",\"vmId\":\"SERVER2\",\"memoryMb\":1024,\"vcpus\":2,\"macAddress\":"
                + "\"52:54:00:12:34:56\",\"diskPath\":\"/shared/SERVER2.img\",\"state\":\"RUNNING\",\"storageEpoch\":3}]";
        try (StubFerry api = new StubFerry().on("GET /api/hosts", 200, hosts).on("GET /api/vms", 200, vms)) {

            // when hosts --json and vms --json run
            Run hostsRun = Run.ferry(api, "hosts", "--json");
            Run vmsRun = Run.ferry(api, "vms", "--json");

            // then each prints what the API answered
            assertThat(Json.mapper().readTree(hostsRun.out())).isEqualTo(Json.mapper().readTree(hosts));
            assertThat(Json.mapper().readTree(vmsRun.out())).isEqualTo(Json.mapper().readTree(vms));
        }
    }
}
