package io.ferry.hypervisor.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.hypervisor.Hypervisor.MigrationTicket;
import io.ferry.hypervisor.Hypervisor.VmSpec;
import io.ferry.hypervisor.Hypervisor.VmState;
import io.ferry.hypervisor.simulated.workload.ContentMix;
import io.ferry.hypervisor.simulated.workload.GuestWorkload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The simulated driver keeps its guests in the host's run directory, so they outlive the agent as QEMU guests do. */
class ARestartedAgentReadoptsItsGuestsWithTheirMemoryTest {
    private final Path runDir = runDir();
    private SimulatedHypervisor agent;

    private static Path runDir() {
        try {
            return Files.createTempDirectory(GuestMemory.defaultDirectory(0), "ferry-readopt-test-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private SimulatedHypervisor start(GuestWorkload workload) {
        agent = new SimulatedHypervisor(new SimulatedHypervisor.Settings(4096, List.of("avx2"), 0.5, workload,
                ContentMix.DEFAULT, null, "127.0.0.1", 0, "127.0.0.1", runDir), Clock.systemUTC());
        return agent;
    }

    private static VmSpec spec(String vmId) {
        return new VmSpec(vmId, 32, 1, "00:15:5d:00:00:02", "/ferry/disks/" + vmId + ".vhdx", List.of("avx2"));
    }

    private static String digest(SimulatedVm vm) {
        return GuestMemory.digest(vm.memory().pageChecksums(), vm.deviceState());
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
        GuestStore.wipe(runDir);
    }

    @Test
    void a_running_guest_comes_back_running_with_the_same_memory_digest() throws Exception {
        // given an agent that booted an idle guest (its memory does not change by itself)
        SimulatedHypervisor first = start(GuestWorkload.IDLE);
        String before = digest(first.boot(spec("SERVER2")));
        first.inventoryBooted();

        // when the agent goes away and a new one starts on the same run directory
        first.close();
        SimulatedHypervisor second = start(GuestWorkload.IDLE);

        // then it holds the guest, running, with the memory and device state it had, and boots no inventory again
        assertThat(second.bootsInventory()).isFalse();
        assertThat(second.vm("SERVER2").state()).isEqualTo(VmState.RUNNING);
        assertThat(digest(second.vm("SERVER2"))).isEqualTo(before);
    }

    @Test
    void a_writing_guest_keeps_every_write_and_its_workload_runs_again() throws Exception {
        // given an agent whose guest writes memory, stopped after some writes
        SimulatedHypervisor first = start(GuestWorkload.uniform(20_000));
        SimulatedVm vm = first.boot(spec("SERVER2"));
        await(() -> vm.writes() > 1_000);
        vm.pause();
        String atPause = digest(vm);
        vm.resume();
        await(() -> vm.writes() > 2_000);
        vm.pause(); // a paused guest is adopted paused: nothing may change it before we read it back
        String last = digest(vm);
        assertThat(last).isNotEqualTo(atPause);

        // when the agent goes away and a new one starts
        first.close();
        SimulatedHypervisor second = start(GuestWorkload.uniform(20_000));

        // then the guest comes back paused with every write it made, and once resumed its workload writes again
        SimulatedVm adopted = second.vm("SERVER2");
        assertThat(adopted.state()).isEqualTo(VmState.PAUSED);
        assertThat(digest(adopted)).isEqualTo(last);
        adopted.resume();
        await(() -> adopted.writes() > 100);
    }

    @Test
    void a_skeleton_is_dropped_and_a_guest_that_left_leaves_no_files() throws Exception {
        // given an agent with a skeleton waiting for an incoming migration, and a guest it then drops as a rolled-back skeleton
        SimulatedHypervisor first = start(GuestWorkload.IDLE);
        first.prepareSkeleton(new MigrationTicket("m-1", "SERVER3", "token"), spec("SERVER3"));
        first.prepareSkeleton(new MigrationTicket("m-2", "SERVER4", "token"), spec("SERVER4"));
        first.abort(new MigrationTicket("m-2", "SERVER4", "token"));
        assertThat(files()).noneMatch(f -> f.startsWith("SERVER4"));

        // when the agent goes away and a new one starts
        first.close();
        SimulatedHypervisor second = start(GuestWorkload.IDLE);

        // then the skeleton, whose incoming migration died with the old agent, is gone with its files
        assertThat(second.vms()).isEmpty();
        assertThat(files()).noneMatch(f -> f.startsWith("SERVER"));
    }

    private List<String> files() throws java.io.IOException {
        try (var list = Files.list(runDir)) {
            return list.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("deadline").isBefore(deadline);
            Thread.sleep(10);
        }
    }
}
