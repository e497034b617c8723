package io.ferry.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When a guest's QEMU exits, the RAM file it mapped (touched memory) is zeroed and kept; the next QEMU of that size
 * maps it instead of fresh memory. Kept memory stays within its limit and goes with the agent.
 */
class MemoryAGuestTouchedIsKeptForTheNextArrivalOfItsSizeTest {
    private static final long MIB = 1 << 20;

    @TempDir
    Path shm;

    @Test
    void a_departed_guests_file_is_zeroed_and_mapped_by_the_next_skeleton_of_its_size() throws IOException {
        // given a guest whose QEMU mapped a fresh file and wrote to it
        GuestRam ram = GuestRam.open(shm, Path.of("/run/ferry/hv-01"), 8 * MIB);
        GuestRam.Claim guest = ram.claim("SERVER2", 2 * MIB).orElseThrow();
        assertThat(guest.warm()).isFalse();
        Files.write(guest.file(), filled(2 * MIB));

        // when its QEMU exits
        ram.release(guest.file());

        // then its memory is kept, zeroed, and the next QEMU of that size maps it
        eventually(() -> ram.kept() == 2 * MIB, "the departed guest's 2 MiB are kept");
        GuestRam.Claim skeleton = ram.claim("SERVER7-in-abc", 2 * MIB).orElseThrow();
        assertThat(skeleton.warm()).isTrue();
        assertThat(skeleton.file().getFileName().toString()).startsWith("guest-SERVER7-in-abc-");
        assertThat(Files.readAllBytes(skeleton.file())).containsOnly((byte) 0).hasSize((int) (2 * MIB));
        assertThat(ram.kept()).isZero();
        ram.close();
    }

    @Test
    void a_guest_of_another_size_gets_fresh_memory() throws IOException {
        GuestRam ram = GuestRam.open(shm, Path.of("/run/ferry/hv-01"), 8 * MIB);
        GuestRam.Claim guest = ram.claim("SERVER2", 2 * MIB).orElseThrow();
        Files.write(guest.file(), filled(2 * MIB));
        ram.release(guest.file());
        eventually(() -> ram.kept() == 2 * MIB, "the departed guest's memory is kept");

        // when a QEMU of 4 MiB starts, then it gets a new file (QEMU creates it) and the 2 MiB stay kept
        GuestRam.Claim other = ram.claim("SERVER3", 4 * MIB).orElseThrow();
        assertThat(other.warm()).isFalse();
        assertThat(other.file()).doesNotExist();
        assertThat(ram.kept()).isEqualTo(2 * MIB);
        ram.close();
    }

    @Test
    void kept_memory_stays_within_its_limit() throws IOException {
        // given a limit of 3 MiB and two guests of 2 MiB that leave
        GuestRam ram = GuestRam.open(shm, Path.of("/run/ferry/hv-01"), 3 * MIB);
        GuestRam.Claim first = ram.claim("A", 2 * MIB).orElseThrow();
        GuestRam.Claim second = ram.claim("B", 2 * MIB).orElseThrow();
        Files.write(first.file(), filled(2 * MIB));
        Files.write(second.file(), filled(2 * MIB));
        ram.release(first.file());
        ram.release(second.file());

        // then one is kept and the other's file is gone
        eventually(() -> fileCount(ram.dir(), "zeroing-*") == 0 && fileCount(ram.dir(), "guest-*") == 0,
                "both files were dealt with");
        assertThat(ram.kept()).isEqualTo(2 * MIB);
        ram.close();
    }

    @Test
    void a_file_still_mapped_is_never_kept() throws IOException {
        // given a file no QEMU of this agent claimed or adopted
        GuestRam ram = GuestRam.open(shm, Path.of("/run/ferry/hv-01"), 8 * MIB);
        Path stranger = ram.dir().resolve("guest-X-1.ram");
        Files.write(stranger, filled(MIB));

        // when it is released, then it is left as it is
        ram.release(stranger);
        assertThat(Files.readAllBytes(stranger)).contains((byte) 7);
        ram.close();
    }

    @Test
    void the_kept_memory_goes_with_the_agent_and_so_do_its_guests_files_unless_they_live_on() throws IOException {
        GuestRam ram = GuestRam.open(shm, Path.of("/run/ferry/hv-01"), 8 * MIB);
        GuestRam.Claim left = ram.claim("A", MIB).orElseThrow();
        GuestRam.Claim running = ram.claim("B", MIB).orElseThrow();
        Files.write(left.file(), filled(MIB));
        Files.write(running.file(), filled(MIB));
        ram.release(left.file());
        eventually(() -> ram.kept() == MIB, "A's memory is kept");

        // when the agent stops with its guests running on, then only the running guest's file stays
        ram.close(true);
        assertThat(running.file()).exists();
        assertThat(fileCount(ram.dir(), "warm-*")).isZero();

        // and the next agent there adopts it; one that stops its guests leaves nothing
        GuestRam next = GuestRam.open(shm, Path.of("/run/ferry/hv-01"), 8 * MIB);
        next.adopt(running.file());
        next.forgetAllBut(next.inUse());
        assertThat(running.file()).exists();
        next.close(false);
        assertThat(ram.dir()).doesNotExist();
    }

    @Test
    void the_directory_of_an_agent_that_is_gone_is_removed_by_the_next_agent_to_start() throws IOException {
        // given the directory of an agent whose process no longer runs
        Path gone = GuestRam.dirOf(shm, Path.of("/run/ferry/hv-09"));
        Files.createDirectories(gone);
        Files.writeString(gone.resolve("agent.pid"), "2147483000 0");
        Files.write(gone.resolve("warm-1048576-1.ram"), filled(MIB));

        // when another agent starts on this machine
        GuestRam ram = GuestRam.open(shm, Path.of("/run/ferry/hv-01"), 8 * MIB);

        // then that directory is gone, and its own stays
        assertThat(gone).doesNotExist();
        assertThat(ram.dir()).exists();
        ram.close();
    }

    @Test
    void only_the_agents_user_may_open_the_guests_memory() throws IOException {
        GuestRam ram = GuestRam.open(shm, Path.of("/run/ferry/hv-01"), 8 * MIB);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(ram.dir())))
                .isEqualTo("rwx------");
        ram.close();
    }

    @Test
    void the_qemu_command_line_names_the_file_it_maps() {
        GuestRam ram = GuestRam.open(shm, Path.of("/run/ferry/hv-01"), 8 * MIB);
        Path file = ram.dir().resolve("guest-SERVER2-1f.ram");
        assertThat(ram.fileOnCommandLine(java.util.List.of("qemu-system-x86_64", "-object",
                "memory-backend-file,id=pc.ram,size=262144k,mem-path=" + file + ",share=on"))).contains(file);
        assertThat(ram.fileOnCommandLine(java.util.List.of("-object",
                "memory-backend-file,id=pc.ram,size=262144k,mem-path=/dev/shm,share=on"))).isEmpty();
        ram.close();
    }

    private static byte[] filled(long bytes) {
        byte[] data = new byte[(int) bytes];
        java.util.Arrays.fill(data, (byte) 7);
        return data;
    }

    private static long fileCount(Path dir, String glob) {
        try (var files = Files.newDirectoryStream(dir, glob)) {
            long n = 0;
            for (Path ignored : files) {
                n++;
            }
            return n;
        } catch (IOException e) {
            return -1;
        }
    }

    private static void eventually(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            try {
                Thread.sleep(10); // polling the condition, not waiting a fixed time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
