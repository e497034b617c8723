package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * A drain whose moves are capped (--bandwidth) is stopped with --cancel-running while they copy: the moves still
 * before their final copy are cancelled, their VMs stay where they were, and the host takes VMs again.
 */
class StoppingADrainWithCancelRunningCancelsMovesStillCopyingTest {
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack()
            .agent("hv-01", "A:64,B:64", "idle").agent("hv-02", "", "idle").inventory(2, 2);

    @Test
    void the_copying_moves_are_cancelled_and_the_vms_stay_on_the_host() throws Exception {
        // given a drain of hv-01 whose moves may use 20 Mbit/s each (some 15 s for a 64 MB guest), both copying
        var started = stack.post("/api/hosts/hv-01/drain?bandwidthMbps=20", "");
        assertThat(started.status()).as(started.text()).isEqualTo(202);
        String drainId = started.body().get("drainId").asString();
        assertThat(started.body().get("bandwidthMbps").asInt()).isEqualTo(20);
        FerryStack.await("both moves to be copying", Duration.ofSeconds(60), () -> view(drainId).get("moves").valueStream()
                .allMatch(m -> "PRECOPY".equals(m.path("migrationState").asString(""))));

        // when the operator stops it, cancelling running moves too
        var stopped = stack.post("/api/hosts/hv-01/drain/cancel?cancelRunning=true", "");
        assertThat(stopped.status()).as(stopped.text()).isEqualTo(202);

        // then the drain ends CANCELLED with both migrations cancelled (each asked for the drain's cap), nothing moved
        FerryStack.await("the drain to end", Duration.ofSeconds(90), () -> !"DRAINING".equals(view(drainId)
                .get("status").asString()));
        JsonNode done = view(drainId);
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("CANCELLED");
        assertThat(done.get("vms").get("moved").asInt()).isZero();
        assertThat(stack.jdbc().queryForList("select state from migrations where drain_id = ?::uuid", String.class,
                drainId)).containsExactly("CANCELLED", "CANCELLED");
        assertThat(stack.jdbc().queryForList("select payload_json->'policy'->>'bandwidthMbps' from migration_events e "
                + "join migrations m using (migration_id) where m.drain_id = ?::uuid and e.version = 1", String.class,
                drainId)).containsExactly("20", "20");
        // and the VMs run on hv-01, which takes VMs again
        FerryStack.await("hv-01 to report A and B running", Duration.ofSeconds(30), () -> stack.jdbc().queryForList(
                "select vm_id from host_vms where host = 'hv-01' and state = 'RUNNING'", String.class)
                .containsAll(java.util.List.of("A", "B")));
        assertThat(done.get("hostMode").asString()).isEqualTo("ACTIVE");
    }

    private static JsonNode view(String drainId) {
        try {
            return stack.get("/api/drains/" + drainId).body();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read drain " + drainId, e);
        }
    }
}
