package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

class StoppingADrainDropsItsQueuedMovesAndReturnsTheHostTest {
    // one migration leaves a host at a time, so a drain of three VMs has moves waiting when it is stopped
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack()
            .orchestrator(Map.of("ferry.orchestrator.max-outbound-per-host", "1"))
            .agent("hv-01", "A:64,B:64,C:64", "idle").agent("hv-02", "", "idle").inventory(2, 3);

    @Test
    void the_moves_not_yet_running_are_dropped_the_running_one_finishes_and_the_host_takes_vms_again() throws Exception {
        // given a drain of hv-01 under way
        var started = stack.post("/api/hosts/hv-01/drain", "");
        assertThat(started.status()).as(started.text()).isEqualTo(202);
        String drainId = started.body().get("drainId").asString();

        // when the operator stops it at once
        var stopped = stack.post("/api/hosts/hv-01/drain/cancel", "");
        assertThat(stopped.status()).as(stopped.text()).isEqualTo(202);
        assertThat(stopped.body().get("cancelling").asBoolean()).isTrue();

        // then the drain ends CANCELLED, with at most the one move that was running done
        FerryStack.await("the drain to end", Duration.ofSeconds(90), () -> !"DRAINING".equals(view(drainId)
                .get("status").asString()));
        JsonNode done = view(drainId);
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("CANCELLED");
        assertThat(done.get("vms").get("moved").asInt()).isLessThanOrEqualTo(1);
        List<String> left = new ArrayList<>();
        for (JsonNode move : done.get("moves")) {
            if (move.get("status").asString().equals("LEFT")) {
                left.add(move.get("vmId").asString());
                assertThat(move.get("reason").asString()).contains("stopped by ops");
                // a move stopped after it became a migration: that migration was cancelled from the queue
                if (!move.get("migrationId").isNull()) {
                    assertThat(move.get("migrationState").asString()).isEqualTo("CANCELLED");
                }
            }
        }
        assertThat(left).hasSizeGreaterThanOrEqualTo(2);
        assertThat(done.get("summary").asString()).contains("left: the drain was stopped by ops");
        // and no migration of the drain is still going, and the VMs left stay on hv-01
        assertThat(stack.jdbc().queryForList("select state from migrations where drain_id = ?::uuid", String.class,
                drainId)).allMatch(s -> s.equals("COMPLETED") || s.equals("CANCELLED"));
        FerryStack.await("hv-01 to report the VMs left " + left + " (hosts report " + stack.jdbc().queryForList(
                "select host, vm_id, state from host_vms") + ")", Duration.ofSeconds(30), () -> stack.jdbc().queryForList(
                "select vm_id from host_vms where host = 'hv-01' and state = 'RUNNING'", String.class).containsAll(left));

        // and the host takes VMs again
        assertThat(done.get("hostMode").asString()).isEqualTo("ACTIVE");
        assertThat(stack.get("/api/hosts").body().valueStream().filter(h -> h.get("host").asString().equals("hv-01"))
                .findFirst().orElseThrow().get("mode").asString()).isEqualTo("ACTIVE");
    }

    private static JsonNode view(String drainId) {
        try {
            return stack.get("/api/drains/" + drainId).body();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read drain " + drainId, e);
        }
    }
}
