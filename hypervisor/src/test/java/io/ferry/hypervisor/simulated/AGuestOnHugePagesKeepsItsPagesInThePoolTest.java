package io.ferry.hypervisor.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.hypervisor.Hypervisor.VmSpec;
import io.ferry.hypervisor.Hypervisor.VmState;
import io.ferry.hypervisor.simulated.workload.ContentMix;
import io.ferry.hypervisor.simulated.workload.GuestWorkload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With ferry.agent.memory-dir on hugetlbfs, a kept guest's pages come from the huge page pool while its description
 * and used bitmap stay in the run directory (hugetlbfs takes mappings only), and a restarted agent finds both.
 * Needs a hugetlbfs mount at /dev/hugepages with 64 MiB free (.ci/run reserves it).
 */
class AGuestOnHugePagesKeepsItsPagesInThePoolTest {
    private static final Path HUGE = Path.of("/dev/hugepages");
    private Path runDir;
    private SimulatedHypervisor agent;

    @BeforeEach
    void needsThePool() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(HUGE) && GuestMemory.onHugePages(HUGE),
                "no hugetlbfs mounted at /dev/hugepages (.ci/run mounts one)");
        Assumptions.assumeTrue(freeHugePages() >= 32, "fewer than 32 free huge pages (vm.nr_hugepages; .ci/run reserves them)");
        runDir = Files.createTempDirectory(GuestMemory.defaultDirectory(0), "ferry-huge-test-");
    }

    private static long freeHugePages() throws Exception {
        return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("HugePages_Free:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(0);
    }

    private SimulatedHypervisor start() {
        agent = new SimulatedHypervisor(new SimulatedHypervisor.Settings(4096, List.of("avx2"), 0.5, GuestWorkload.IDLE,
                ContentMix.DEFAULT, HUGE, "127.0.0.1", 0, "127.0.0.1", runDir), Clock.systemUTC());
        return agent;
    }

    private static VmSpec spec(String vmId, int memoryMb) {
        return new VmSpec(vmId, memoryMb, 1, "00:15:5d:00:00:02", "/ferry/disks/" + vmId + ".vhdx", List.of("avx2"));
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
        if (runDir != null) {
            GuestStore.wipe(runDir);
        }
    }

    @Test
    void the_pages_live_on_hugetlbfs_the_description_in_the_run_dir_and_a_restart_finds_them() throws Exception {
        // given an agent whose memory directory is hugetlbfs, with a 32 MB guest booted
        SimulatedHypervisor first = start();
        SimulatedVm vm = first.boot(spec("SERVER2", 32));
        String before = GuestMemory.digest(vm.memory().pageChecksums(), vm.deviceState());
        first.inventoryBooted();
        Path pages = HUGE.resolve(runDir.getFileName().toString()).resolve("SERVER2.mem");

        // then its pages are a file of the pool, and its description and used bitmap are in the run directory
        assertThat(pages).exists();
        assertThat(runDir.resolve("SERVER2.vm")).exists();
        assertThat(runDir.resolve("SERVER2.mem.used")).exists();
        assertThat(runDir.resolve("SERVER2.mem")).doesNotExist();

        // when the agent restarts
        first.close();
        agent = null;
        SimulatedVm back = start().vm("SERVER2");

        // then it re-adopts the guest, page for page
        assertThat(back.state()).isEqualTo(VmState.RUNNING);
        assertThat(GuestMemory.digest(back.memory().pageChecksums(), back.deviceState())).isEqualTo(before);

        // and wiping the run directory frees the pool's pages too
        agent.close();
        agent = null;
        GuestStore.wipe(runDir);
        assertThat(pages).doesNotExist();
        runDir = null;
    }

    @Test
    void memory_that_is_not_whole_huge_pages_is_refused_saying_what_to_do() throws Exception {
        // given an agent whose memory directory is hugetlbfs (2 MiB pages)
        SimulatedHypervisor hypervisor = start();

        // when a guest of 33 MB is booted, then it is refused, naming the page size and the setting
        assertThatThrownBy(() -> hypervisor.boot(spec("ODD", 33)))
                .hasMessageContaining("not a whole number of 2 MiB huge pages")
                .hasMessageContaining("ferry.agent.memory-dir");
    }
}
