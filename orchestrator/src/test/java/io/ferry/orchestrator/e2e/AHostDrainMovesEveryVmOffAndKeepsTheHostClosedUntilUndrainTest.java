package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

class AHostDrainMovesEveryVmOffAndKeepsTheHostClosedUntilUndrainTest {
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack().agent("hv-01", "A:64,B:64,C:128", "idle")
            .agent("hv-02", "", "idle").agent("hv-03", "", "idle").inventory(3, 3);

    @Test
    void the_dry_run_plans_without_acting_the_drain_moves_all_vms_and_the_host_takes_none_until_undrained()
            throws Exception {
        // given three VMs on hv-01
        // when the drain's plan is asked for
        var plan = stack.get("/api/hosts/hv-01/drain-plan");

        // then it lists each VM, largest first, with a destination and a predicted time, and the whole drain's
        assertThat(plan.status()).as(plan.text()).isEqualTo(200);
        assertThat(plan.body().get("moves").valueStream().map(m -> m.get("vmId").asString()).toList())
                .containsExactly("C", "A", "B");
        for (JsonNode move : plan.body().get("moves")) {
            assertThat(move.get("destination").asString()).isIn("hv-02", "hv-03");
            assertThat(move.get("predictedMs").asLong()).isPositive();
        }
        assertThat(plan.body().get("predictedMs").asLong()).isPositive();
        // and nothing happened: no drain, no migration
        assertThat(stack.jdbc().queryForObject("select count(*) from drains", Integer.class)).isZero();
        assertThat(stack.jdbc().queryForObject("select count(*) from migrations", Integer.class)).isZero();

        // when hv-01 is drained
        var started = stack.post("/api/hosts/hv-01/drain", "");
        assertThat(started.status()).as(started.text()).isEqualTo(202);
        String drainId = started.body().get("drainId").asString();
        assertThat(started.body().get("hostMode").asString()).isEqualTo("DRAINING");

        // then every VM moves off and the host ends in MAINTENANCE, with a summary
        FerryStack.await("the drain to end", Duration.ofSeconds(180),
                () -> !"DRAINING".equals(view(drainId).get("status").asString()));
        JsonNode done = view(drainId);
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("COMPLETED");
        assertThat(done.get("hostMode").asString()).isEqualTo("MAINTENANCE");
        assertThat(done.get("vms").get("moved").asInt()).isEqualTo(3);
        assertThat(done.get("summary").asString()).isEqualTo("3 of 3 VMs moved");
        assertThat(stack.jdbc().queryForList("select state from migrations where drain_id = ?::uuid", String.class,
                drainId)).containsOnly("COMPLETED").hasSize(3);
        FerryStack.await("hv-01 to report no VMs", Duration.ofSeconds(30), () -> stack.jdbc().queryForObject(
                "select count(*) from host_vms where host = 'hv-01'", Integer.class) == 0);

        // and its history is a log of its own, like a migration's
        List<String> types = stack.get("/api/drains/" + drainId + "/history").body().valueStream()
                .map(e -> e.get("type").asString()).toList();
        assertThat(types.getFirst()).isEqualTo("DrainStarted");
        assertThat(types.getLast()).isEqualTo("DrainEnded");
        assertThat(types).filteredOn("MoveCompleted"::equals).hasSize(3);
        // and it replays with today's code to the same end
        var replay = stack.get("/api/drains/" + drainId + "/replay").body();
        assertThat(replay.get("consistent").asBoolean()).as(replay.toString()).isTrue();
        assertThat(replay.get("finalStatus").asString()).isEqualTo("COMPLETED");

        // and nothing new is placed on it: neither by name nor by placement
        var named = submit("A", "\"destinationHost\": \"hv-01\",");
        assertThat(named.status()).isEqualTo(409);
        assertThat(named.body().get("reason").asString()).isEqualTo("HOST_NOT_ACTIVE");
        String vmOnHv02 = stack.jdbc().queryForObject("select vm_id from host_vms where host = 'hv-02' limit 1",
                String.class);
        var placed = submit(vmOnHv02, "");
        assertThat(placed.status()).as(placed.text()).isEqualTo(202);
        assertThat(placed.body().get("destinationHost").asString()).isEqualTo("hv-03");
        assertThat(placed.body().get("placement").get("ruledOut").toString()).contains("hv-01").contains("MAINTENANCE");

        // when it is undrained, it takes VMs again
        var undrained = stack.post("/api/hosts/hv-01/undrain", "");
        assertThat(undrained.status()).as(undrained.text()).isEqualTo(200);
        assertThat(undrained.body().get("hostMode").asString()).isEqualTo("ACTIVE");
        FerryStack.await("the placed migration to end", Duration.ofSeconds(60), () -> stack.jdbc().queryForObject(
                "select count(*) from migrations where state not in ('COMPLETED','FAILED','CANCELLED','ROLLED_BACK')",
                Integer.class) == 0);
        var back = submit("A", "\"destinationHost\": \"hv-01\",");
        assertThat(back.status()).as(back.text()).isEqualTo(202);
    }

    private static JsonNode view(String drainId) {
        try {
            return stack.get("/api/drains/" + drainId).body();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read drain " + drainId, e);
        }
    }

    private static io.ferry.testkit.RestApi.Response submit(String vm, String destination) throws Exception {
        return stack.post("/api/migrations", """
                {"requestId": "%s", %s "vmId": "%s"}""".formatted("after-drain-" + UUID.randomUUID(), destination, vm));
    }
}
