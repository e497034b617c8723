package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.schema.DataTokenSeal;
import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

class ADrainMoveThatFailsIsRetriedOnAnotherHostTest {
    // hv-02 has the most room, so the plan sends the VM there, but its agent holds another orchestrator's host key:
    // every migration to it fails its data channel
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack().agent("hv-01", "A:64", "idle")
            .agent("hv-02", "", "idle", Map.of(DataTokenSeal.HOST_KEY_PROPERTY,
                    DataTokenSeal.hostKeyText("another-secret", "hv-02")))
            .agent("hv-03", "", "idle", Map.of("ferry.agent.total-memory-mb", "4096")).inventory(3, 1);

    @Test
    void the_vm_moves_to_the_next_host_and_the_drain_completes_naming_the_failed_attempt() throws Exception {
        // given the plan puts A on hv-02
        assertThat(stack.get("/api/hosts/hv-01/drain-plan").body().get("moves").get(0).get("destination").asString())
                .isEqualTo("hv-02");

        // when hv-01 is drained
        String drainId = stack.post("/api/hosts/hv-01/drain", "").body().get("drainId").asString();

        // then the failed move to hv-02 is placed again on hv-03, where A arrives, and the host is in maintenance
        FerryStack.await("the drain to end", Duration.ofSeconds(180), () -> !"DRAINING".equals(view(drainId)
                .get("status").asString()));
        JsonNode done = view(drainId);
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("COMPLETED");
        assertThat(done.get("hostMode").asString()).isEqualTo("MAINTENANCE");
        JsonNode move = done.get("moves").get(0);
        assertThat(move.get("destination").asString()).isEqualTo("hv-03");
        assertThat(move.get("attempts").asInt()).isEqualTo(2);
        assertThat(move.get("tried").toString()).isEqualTo("[\"hv-02\"]");
        assertThat(stack.jdbc().queryForList("select destination_host || ' ' || state from migrations order by created_at",
                String.class)).hasSize(2).last().isEqualTo("hv-03 COMPLETED");
        // and the drain's history says why it moved on
        assertThat(stack.get("/api/drains/" + drainId + "/history").body().toString()).contains("MoveFailed")
                .contains("DATA_CHANNEL_FAILED").contains("MoveRetargeted");
    }

    private static JsonNode view(String drainId) {
        try {
            return stack.get("/api/drains/" + drainId).body();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read drain " + drainId, e);
        }
    }
}
