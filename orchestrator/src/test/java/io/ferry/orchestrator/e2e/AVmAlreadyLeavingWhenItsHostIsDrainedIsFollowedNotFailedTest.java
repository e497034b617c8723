package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * A VM an operator is already moving off a host when that host is drained: the drain takes that migration as the VM's
 * move and follows it to wherever it goes, instead of failing the move as "already migrating" (or starting a second).
 */
class AVmAlreadyLeavingWhenItsHostIsDrainedIsFollowedNotFailedTest {
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack()
            .agent("hv-01", "A:64,B:64", "idle").agent("hv-02", "", "idle").agent("hv-03", "", "idle").inventory(3, 2);

    @Test
    void the_drain_adopts_the_running_migration_and_completes_with_one_migration_per_vm() throws Exception {
        // given A already leaving hv-01 for hv-03 in a slow migration of its own
        var own = stack.post("/api/migrations", """
                {"vmId": "A", "destinationHost": "hv-03", "bandwidthMbps": 40}""");
        assertThat(own.status()).as(own.text()).isEqualTo(202);
        String ownId = own.body().get("migrationId").asString();
        FerryStack.await("A's migration to copy", Duration.ofSeconds(60), () -> "PRECOPY".equals(state(ownId)));

        // when hv-01 is drained
        var started = stack.post("/api/hosts/hv-01/drain", "");
        assertThat(started.status()).as(started.text()).isEqualTo(202);
        String drainId = started.body().get("drainId").asString();

        // then the drain completes: A's move is that migration, to hv-03, and B moved by a migration of the drain's
        FerryStack.await("the drain to end", Duration.ofSeconds(120), () -> !"DRAINING".equals(view(drainId)
                .get("status").asString()));
        JsonNode done = view(drainId);
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("COMPLETED");
        JsonNode a = move(done, "A");
        assertThat(a.get("status").asString()).as(a.toString()).isEqualTo("MOVED");
        assertThat(a.get("migrationId").asString()).isEqualTo(ownId);
        assertThat(a.get("destination").asString()).isEqualTo("hv-03");
        assertThat(move(done, "B").get("status").asString()).isEqualTo("MOVED");
        // and no second migration was made for A, nor was any refused or failed
        assertThat(stack.jdbc().queryForList("select migration_id::text from migrations where vm_id = 'A'", String.class))
                .containsExactly(ownId);
        assertThat(stack.jdbc().queryForList("select type from drain_events where drain_id = ?::uuid", String.class,
                drainId)).contains("MoveAdopted").doesNotContain("MoveFailed");
    }

    private static JsonNode move(JsonNode drain, String vmId) {
        return drain.get("moves").valueStream().filter(m -> m.get("vmId").asString().equals(vmId)).findFirst()
                .orElseThrow(() -> new AssertionError("no move of " + vmId + " in " + drain));
    }

    private static String state(String migrationId) {
        try {
            return stack.get("/api/migrations/" + migrationId).body().get("state").asString();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read migration " + migrationId, e);
        }
    }

    private static JsonNode view(String drainId) {
        try {
            return stack.get("/api/drains/" + drainId).body();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read drain " + drainId, e);
        }
    }
}
