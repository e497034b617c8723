package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

class ARequestWithoutADestinationIsPlacedAndSaysWhyTest {
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack().agent("hv-01", "SERVER2:64", "idle")
            .agent("hv-02", "", "idle", Map.of("ferry.agent.total-memory-mb", "300"))
            .agent("hv-03", "", "idle", Map.of("ferry.agent.cpu-features", "sse4_2,avx"))
            .agent("hv-04", "", "idle", Map.of("ferry.agent.total-memory-mb", "2048")).inventory(4, 1);

    @Test
    void ferry_picks_the_host_with_most_room_that_passes_every_precheck_records_why_and_the_vm_moves_there()
            throws Exception {
        // given SERVER2 on hv-01; hv-02 has little room, hv-03 lacks avx2, hv-04 has the most room
        String requestId = "placed-" + UUID.randomUUID();

        // when it is submitted without a destination
        var response = stack.post("/api/migrations", """
                {"requestId": "%s", "vmId": "SERVER2"}""".formatted(requestId));

        // then ferry chose hv-04 and says why, and which hosts it ruled out for which check
        assertThat(response.status()).as(response.text()).isEqualTo(202);
        assertThat(response.body().get("destinationHost").asString()).isEqualTo("hv-04");
        JsonNode placement = response.body().get("placement");
        assertThat(placement.get("chosen").asString()).isEqualTo("hv-04");
        assertThat(placement.get("why").asString()).contains("most memory free after SERVER2").contains("hv-02");
        assertThat(placement.get("ruledOut").toString()).contains("hv-01").contains("where SERVER2 runs now")
                .contains("hv-03").contains("lacks CPU features [avx2]");

        // and the choice is in the migration's first event, for audit and replay
        String first = stack.jdbc().queryForObject("""
                select e.payload_json::text from migration_events e join migrations m using (migration_id)
                where m.request_id = ? and e.version = 1""", String.class, requestId);
        assertThat(first).contains("\"chosen\": \"hv-04\"").contains("lacks CPU features [avx2]");

        // and the VM moves there
        FerryStack.await("the migration to complete", Duration.ofSeconds(90),
                () -> "COMPLETED".equals(stack.stateOf(requestId)));
    }
}
