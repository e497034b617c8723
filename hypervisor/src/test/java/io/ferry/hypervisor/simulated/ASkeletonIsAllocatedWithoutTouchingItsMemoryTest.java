package io.ferry.hypervisor.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ASkeletonIsAllocatedWithoutTouchingItsMemoryTest {
    private static final Path STATUS = Path.of("/proc/self/status");

    @Test
    void a_1024_mb_guest_memory_is_created_in_milliseconds_and_holds_almost_nothing() throws IOException {
        // given a JVM that has created guest memory before (classes loaded)
        assumeTrue(Files.isReadable(STATUS), "needs /proc/self/status");
        new GuestMemory(1).close();
        long rssBefore = rssKb();

        // when a 1024 MB guest memory is created
        long started = System.nanoTime();
        try (GuestMemory memory = new GuestMemory(1024)) {
            long millis = (System.nanoTime() - started) / 1_000_000;

            // then that took well under half a second (zeroing it up front took seconds) and it is not resident
            assertThat(millis).isLessThan(500);
            assertThat(memory.pages()).isEqualTo(262_144);
            assertThat(rssKb() - rssBefore).as("RSS growth in kB").isLessThan(64 * 1024);
            // and a never-written page reads, checks and checksums as zero without being touched
            assertThat(memory.isZero(200_000)).isTrue();
            assertThat(memory.usedCount()).isZero();
        }
    }

    @Test
    void closing_guest_memory_returns_it_to_the_host_at_once() throws IOException {
        // given a 128 MB guest memory that was written all over
        assumeTrue(Files.isReadable(STATUS), "needs /proc/self/status");
        GuestMemory memory = new GuestMemory(128);
        byte[] page = new byte[GuestMemory.PAGE_SIZE];
        java.util.Arrays.fill(page, (byte) 7);
        for (int p = 0; p < memory.pages(); p++) {
            memory.write(p, page);
        }
        long rssWritten = rssKb();

        // when it is closed
        memory.close();

        // then its pages are gone from this process without waiting for a GC, and touching it fails cleanly
        assertThat(rssWritten - rssKb()).as("RSS released in kB").isGreaterThan(96 * 1024);
        assertThatThrownBy(() -> memory.writeLong(0, 0, 1L)).isInstanceOf(IllegalStateException.class);
    }

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(STATUS)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in " + STATUS);
    }
}
