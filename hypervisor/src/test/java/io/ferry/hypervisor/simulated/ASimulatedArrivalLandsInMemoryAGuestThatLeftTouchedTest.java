package io.ferry.hypervisor.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.hypervisor.Hypervisor.CopyPolicy;
import io.ferry.hypervisor.Hypervisor.MigrationTicket;
import io.ferry.hypervisor.Hypervisor.VmSpec;
import io.ferry.hypervisor.simulated.workload.ContentMix;
import io.ferry.hypervisor.simulated.workload.GuestWorkload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A simulated host keeps the memory a guest that ran here touched, zeroed, and the next guest of that size to arrive
 * maps it: round 1 then writes into touched memory instead of paying the first-write fault on every page.
 */
class ASimulatedArrivalLandsInMemoryAGuestThatLeftTouchedTest {
    private static final long MIB_32 = 32L << 20;
    private final List<Path> runDirs = new ArrayList<>();
    private final List<SimulatedHypervisor> agents = new ArrayList<>();

    private SimulatedHypervisor host(String name) {
        try {
            Path runDir = Files.createTempDirectory(GuestMemory.defaultDirectory(0), "ferry-warm-test-" + name + "-");
            runDirs.add(runDir);
            SimulatedHypervisor agent = new SimulatedHypervisor(new SimulatedHypervisor.Settings(4096, List.of(), 0.6,
                    GuestWorkload.uniform(20_000), ContentMix.DEFAULT, null, "127.0.0.1", 0, "127.0.0.1", runDir),
                    Clock.systemUTC());
            agents.add(agent);
            return agent;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static VmSpec spec(String vmId, int memoryMb) {
        return new VmSpec(vmId, memoryMb, 1, "00:15:5d:00:00:02", "/ferry/disks/" + vmId + ".vhdx", List.of());
    }

    @AfterEach
    void stop() throws Exception {
        for (SimulatedHypervisor agent : agents) {
            agent.close();
        }
        runDirs.forEach(GuestStore::wipe);
    }

    @Test
    void a_guest_that_migrated_away_leaves_its_memory_zeroed_and_its_next_arrival_lands_in_it() throws Exception {
        // given a writing guest that migrated from A to B, and A kept the memory it left (zeroed in the background)
        Hosts hosts = aKeptTheMemoryOfAGuestThatMovedToB();
        SimulatedHypervisor a = hosts.a();
        SimulatedHypervisor b = hosts.b();

        // when the guest comes back
        MigrationTicket back = new MigrationTicket("m-2", "SERVER2", "t-m-2");
        String address = a.prepareSkeleton(back, spec("SERVER2", 32));

        // then the skeleton took it: nothing is kept any more, and what it maps holds no byte of the guest that left
        assertThat(a.keptMemoryBytes()).isZero();
        assertThat(a.vm("SERVER2").memory().usedCount()).isZero();
        assertThat(allZero(store(a).kept("SERVER2").memory())).isTrue();
        // and the guest arrives in it page for page
        b.connectSource(back, address);
        b.precopy(back, CopyPolicy.of(300, 0, 10), r -> {});
        b.finalCopy(back);
        a.resume(back);
        b.discardSource(back);
        assertThat(a.vm("SERVER2").memory().pageChecksums()).isEqualTo(b.switchoverFingerprint("m-2").orElseThrow());
    }

    @Test
    void a_guest_of_another_size_gets_fresh_memory_and_the_kept_one_waits() throws Exception {
        // given a host that kept 32 MiB a departed guest touched
        SimulatedHypervisor a = aKeptTheMemoryOfAGuestThatMovedToB().a();

        // when a 64 MB guest arrives
        a.prepareSkeleton(new MigrationTicket("m-3", "SERVER3", "t-m-3"), spec("SERVER3", 64));

        // then it did not take the 32 MiB
        assertThat(a.keptMemoryBytes()).isEqualTo(MIB_32);
    }

    @Test
    void a_skeleton_that_never_ran_is_not_kept() throws Exception {
        // given a skeleton on B whose migration is aborted before it resumed
        SimulatedHypervisor b = host("b");
        MigrationTicket ticket = new MigrationTicket("m-4", "SERVER4", "t-m-4");
        b.prepareSkeleton(ticket, spec("SERVER4", 32));

        // when it is dropped
        b.abort(ticket);

        // then its memory is deleted, not kept: a batch may have landed in it without its used marks
        await(() -> memFiles(runDirs.getFirst()).isEmpty());
        assertThat(b.keptMemoryBytes()).isZero();
    }

    @Test
    void the_kept_memory_goes_when_the_agent_stops() throws Exception {
        // given a host that kept a departed guest's memory
        SimulatedHypervisor a = aKeptTheMemoryOfAGuestThatMovedToB().a();

        // when its agent stops
        agents.remove(a);
        a.close();

        // then no memory file is left in its run directory
        assertThat(memFiles(runDirs.getFirst())).isEmpty();
    }

    @Test
    void kept_memory_stays_within_its_limit() throws Exception {
        // given a store that may keep 48 MiB, and two 32 MiB guests that ran and left
        Path dir = Files.createTempDirectory(GuestMemory.defaultDirectory(0), "ferry-warm-test-limit-");
        runDirs.add(dir);
        WarmMemory warm = new WarmMemory(dir, 48L << 20);
        for (String vm : List.of("one", "two")) {
            GuestMemory.Kept kept = new GuestMemory.Kept(dir.resolve(vm + ".mem"), dir.resolve(vm + ".mem.used"));
            GuestMemory memory = GuestMemory.persistent(32, kept, false);
            memory.write(7, new byte[GuestMemory.PAGE_SIZE]);

            // when each leaves and is kept
            warm.keep(memory.detach(kept.memory()), kept.used());
        }

        // then one is kept and the other released, its file deleted
        assertThat(warm.keptBytes()).isEqualTo(MIB_32);
        assertThat(memFiles(dir)).hasSize(1);
        warm.releaseAll();
        assertThat(memFiles(dir)).isEmpty();
    }

    @Test
    void kept_memory_makes_room_for_a_guest_of_another_size_when_the_file_system_runs_short() throws Exception {
        // given a store that kept 32 MiB, on a file system that then has only 100 MiB free
        Path dir = Files.createTempDirectory(GuestMemory.defaultDirectory(0), "ferry-warm-test-room-");
        runDirs.add(dir);
        java.util.concurrent.atomic.AtomicLong free = new java.util.concurrent.atomic.AtomicLong(1L << 30);
        WarmMemory warm = new WarmMemory(dir, 1L << 30, free::get);
        GuestMemory.Kept kept = new GuestMemory.Kept(dir.resolve("one.mem"), dir.resolve("one.mem.used"));
        GuestMemory memory = GuestMemory.persistent(32, kept, false);
        memory.write(7, new byte[GuestMemory.PAGE_SIZE]);
        warm.keep(memory.detach(kept.memory()), kept.used());
        assertThat(warm.keptBytes()).isEqualTo(MIB_32);
        free.set(100L << 20);

        // when a 64 MiB guest arrives, which wants twice its size free
        GuestMemory.Mapped forLarge = warm.claim(dir.resolve("two.mem"), 64L << 20);

        // then it gets fresh memory and the kept 32 MiB are released, their file deleted
        assertThat(forLarge).isNull();
        assertThat(warm.keptBytes()).isZero();
        assertThat(memFiles(dir)).isEmpty();
    }

    private record Hosts(SimulatedHypervisor a, SimulatedHypervisor b) {}

    /** Hosts A and B: a 32 MB writing guest booted on A migrated to B, and A has kept the memory it left. */
    private Hosts aKeptTheMemoryOfAGuestThatMovedToB() throws InterruptedException {
        SimulatedHypervisor a = host("a");
        SimulatedHypervisor b = host("b");
        a.boot(spec("SERVER2", 32));
        migrate("m-1", a, b, "SERVER2");
        await(() -> a.keptMemoryBytes() == MIB_32);
        return new Hosts(a, b);
    }

    private static void migrate(String id, SimulatedHypervisor from, SimulatedHypervisor to, String vmId) {
        MigrationTicket ticket = new MigrationTicket(id, vmId, "t-" + id);
        from.connectSource(ticket, to.prepareSkeleton(ticket, spec(vmId, from.vm(vmId).memory().pages() / 256)));
        from.precopy(ticket, CopyPolicy.of(300, 0, 10), r -> {});
        from.finalCopy(ticket);
        to.resume(ticket);
        from.discardSource(ticket);
    }

    private GuestStore store(SimulatedHypervisor agent) {
        return new GuestStore(runDirs.get(agents.indexOf(agent)));
    }

    private static boolean allZero(Path file) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (channel.read(buffer.clear()) > 0) {
                buffer.flip();
                while (buffer.remaining() >= 8) {
                    if (buffer.getLong() != 0) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private static List<Path> memFiles(Path dir) {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".mem")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
