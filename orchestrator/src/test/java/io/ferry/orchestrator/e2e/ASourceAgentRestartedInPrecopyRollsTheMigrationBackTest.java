package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.hypervisor.Hypervisor.VmState;
import io.ferry.hypervisor.simulated.GuestMemory;
import io.ferry.hypervisor.simulated.SimulatedHypervisor;
import io.ferry.hypervisor.simulated.SimulatedVm;
import io.ferry.agent.storage.StorageLeases;
import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

class ASourceAgentRestartedInPrecopyRollsTheMigrationBackTest {
    // a liveness timeout well above an agent's restart, so the restart itself, not the silence, ends the migration
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack()
            .orchestrator(Map.of("ferry.orchestrator.host-liveness-timeout", "60s"))
            .agent("hv-01", "SERVER2:256", "idle").agent("hv-02", "", "idle").inventory(2, 1);

    @Test
    void the_migration_fails_agent_restarted_and_the_vm_runs_on_the_source_with_the_memory_it_had() throws Exception {
        ConfigurableApplicationContext hv01 = stack.agent("hv-01");
        ConfigurableApplicationContext hv02 = stack.agent("hv-02");
        // given an idle SERVER2 on hv-01 whose memory a guest changed since boot (so a fresh boot would differ)
        SimulatedVm server2 = hv01.getBean(SimulatedHypervisor.class).vm("SERVER2");
        for (int page = 0; page < 1_000; page++) {
            server2.memory().writeLong(page * 7, page, 0x5EED_0000L + page);
        }
        String digest = digest(server2);

        // and its migration to hv-02 in pre-copy over a slow link (about 150 MB used at 40 Mbit/s: half a minute)
        String requestId = "restart-" + UUID.randomUUID();
        var submitted = stack.post("/api/migrations", """
                {"requestId": "%s", "vmId": "SERVER2", "destinationHost": "hv-02", "bandwidthMbps": 40}""".formatted(requestId));
        assertThat(submitted.status()).isEqualTo(202);
        FerryStack.await("pre-copy", Duration.ofSeconds(30), () -> "PRECOPY".equals(stack.stateOf(requestId)));
        FerryStack.await("pages arriving on hv-02", Duration.ofSeconds(30), () -> hv02.getBean(SimulatedHypervisor.class)
                .vms().size() == 1 && hv02.getBean(SimulatedHypervisor.class).vm("SERVER2").memory().usedCount() > 0);

        // when hv-01's agent dies mid-pre-copy and starts again (its guest lives on in the host's run directory)
        stack.stopAgent("hv-01");
        hv01 = stack.startAgent("hv-01", "SERVER2:256", "idle");

        // then the migration is rolled back because the source's agent restarted
        FerryStack.await("the rollback", Duration.ofSeconds(60), () -> "ROLLED_BACK".equals(stack.stateOf(requestId)));
        assertThat(stack.jdbc().queryForObject("select failure_reason from migrations where request_id = ?", String.class,
                requestId)).isEqualTo("AGENT_RESTARTED");

        // and SERVER2 runs on hv-01 with the memory it had, hv-02 holds no skeleton, and the disk stayed with hv-01
        SimulatedVm readopted = hv01.getBean(SimulatedHypervisor.class).vm("SERVER2");
        assertThat(readopted.state()).isEqualTo(VmState.RUNNING);
        assertThat(digest(readopted)).isEqualTo(digest);
        assertThat(hv02.getBean(SimulatedHypervisor.class).vms()).isEmpty();
        assertThat(hv01.getBean(StorageLeases.class).current("SERVER2.vhdx").owner()).isEqualTo("hv-01");
    }

    /** From the guest's memory itself (every page's checksum) and its device state, not from a heartbeat. */
    private static String digest(SimulatedVm vm) {
        return GuestMemory.digest(vm.memory().pageChecksums(), vm.deviceState());
    }
}
