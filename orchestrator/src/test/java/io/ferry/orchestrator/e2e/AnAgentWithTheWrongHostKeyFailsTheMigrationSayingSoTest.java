package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.schema.DataTokenSeal;
import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AnAgentWithTheWrongHostKeyFailsTheMigrationSayingSoTest {
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack().agent("hv-01", "SERVER2:64", 0)
            // hv-02 was given the key of another orchestrator's secret
            .agent("hv-02", "", "idle",
                    Map.of(DataTokenSeal.HOST_KEY_PROPERTY, DataTokenSeal.hostKeyText("another-secret", "hv-02")));

    @Test
    void the_migration_fails_its_data_channel_naming_the_host_key_setting_and_the_guest_stays() throws Exception {
        // given both agents reported
        stack.awaitInventory(2, 1);

        // when SERVER2 is sent to hv-02
        String requestId = "wrong-key-" + UUID.randomUUID();
        var submit = stack.post("/api/migrations", "{\"requestId\":\"" + requestId
                + "\",\"vmId\":\"SERVER2\",\"destinationHost\":\"hv-02\"}");
        assertThat(submit.status()).isEqualTo(202);
        String migrationId = submit.body().get("migrationId").asString();

        // then it ends without moving the guest, and the reason says which setting on which host to fix
        FerryStack.await("the migration to end", Duration.ofSeconds(60),
                () -> Set.of("ROLLED_BACK", "FAILED").contains(stack.stateOf(requestId)));
        var migration = stack.get("/api/migrations/" + migrationId).body();
        assertThat(migration.get("failureReason").asString()).isEqualTo("DATA_CHANNEL_FAILED");
        assertThat(migration.get("failureDetail").asString()).contains("ferry.agent.host-key").contains("hv-02");
        assertThat(stack.jdbc().queryForObject("select host from host_vms where vm_id = 'SERVER2' and state = 'RUNNING'",
                String.class)).isEqualTo("hv-01");
    }
}
