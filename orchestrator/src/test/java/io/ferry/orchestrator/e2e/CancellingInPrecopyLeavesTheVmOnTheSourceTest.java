package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.hypervisor.Hypervisor.VmState;
import io.ferry.hypervisor.simulated.SimulatedHypervisor;
import io.ferry.agent.storage.StorageLeases;
import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

class CancellingInPrecopyLeavesTheVmOnTheSourceTest {
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack().agent("hv-01", "SERVER2:256", 5_000)
            .agent("hv-02", "", 5_000).inventory(2, 1);

    @Test
    void the_destination_drops_its_skeleton_and_the_source_keeps_the_vm_and_its_disk() throws Exception {
        ConfigurableApplicationContext hv01 = stack.agent("hv-01");
        ConfigurableApplicationContext hv02 = stack.agent("hv-02");
        // given a migration in pre-copy over a slow link (256 MB at 40 Mbit/s takes about a minute)
        String requestId = "cancel-" + UUID.randomUUID();
        var submitted = stack.post("/api/migrations", """
                {"requestId": "%s", "vmId": "SERVER2", "destinationHost": "hv-02", "bandwidthMbps": 40}""".formatted(requestId));
        assertThat(submitted.status()).isEqualTo(202);
        String id = submitted.body().get("migrationId").asString();
        FerryStack.await("pre-copy", Duration.ofSeconds(60), () -> "PRECOPY".equals(stack.stateOf(requestId)));
        FerryStack.await("the skeleton on hv-02", Duration.ofSeconds(60),
                () -> hv02.getBean(SimulatedHypervisor.class).vms().size() == 1);

        // when an operator cancels it
        var cancel = stack.post("/api/migrations/" + id + "/cancel", "{}");

        // then the cancel is accepted, and the migration ends CANCELLED once both hosts rolled back
        assertThat(cancel.status()).isIn(200, 202);
        assertThat(cancel.body().get("state").asString()).isIn("CANCELLING", "CANCELLED");
        FerryStack.await("the cancel to finish", Duration.ofSeconds(60), () -> "CANCELLED".equals(stack.stateOf(requestId)));
        assertThat(stack.jdbc().queryForList("select type from migration_events where migration_id = ?::uuid and type in "
                + "('CancelRequested', 'AbortConfirmed', 'MigrationCancelled') order by version", String.class, id))
                .containsExactly("CancelRequested", "AbortConfirmed", "AbortConfirmed", "MigrationCancelled");
        assertThat(stack.jdbc().queryForObject("select failure_detail from migrations where migration_id = ?::uuid",
                String.class, id)).isEqualTo("cancelled by ops in PRECOPY");

        // and the VM still runs on the source, the destination holds no skeleton, and the disk stayed with the source
        assertThat(hv01.getBean(SimulatedHypervisor.class).vm("SERVER2").state()).isEqualTo(VmState.RUNNING);
        assertThat(hv02.getBean(SimulatedHypervisor.class).vms()).isEmpty();
        StorageLeases.Lease lease = hv01.getBean(StorageLeases.class).current("SERVER2.vhdx");
        assertThat(lease.owner()).isEqualTo("hv-01");

        // and cancelling again is answered with the final state, changing nothing
        var again = stack.post("/api/migrations/" + id + "/cancel", "{}");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().get("state").asString()).isEqualTo("CANCELLED");
    }
}
