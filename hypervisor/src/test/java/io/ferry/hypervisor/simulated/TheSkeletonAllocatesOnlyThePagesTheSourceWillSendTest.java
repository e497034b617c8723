package io.ferry.hypervisor.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The destination allocates its skeleton's memory ahead of the stream, but only the pages the source said it will send
 * with content (so it holds what the guest uses, not its whole memory), and without changing a page that already
 * arrived.
 */
class TheSkeletonAllocatesOnlyThePagesTheSourceWillSendTest {
    private static final Path SMAPS = Path.of("/proc/self/smaps");
    private static final java.util.regex.Pattern MAPPING = java.util.regex.Pattern.compile("[0-9a-f]+-[0-9a-f]+ ");
    private Path dir;
    private GuestMemory memory;

    @AfterEach
    void close() throws IOException {
        if (memory != null) {
            memory.close();
        }
        if (dir != null) {
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void given_a_hint_for_a_quarter_of_the_pages_when_the_prefault_is_done_then_only_that_quarter_is_resident_and_unchanged()
            throws Exception {
        // given a 64 MB skeleton in a directory of its own, where 100 pages of the hinted quarter already arrived
        assumeTrue(Files.isReadable(SMAPS), "needs /proc/self/smaps");
        Path base = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        dir = Files.createTempDirectory(base, "prefault-test-");
        memory = new GuestMemory(64, dir);
        int quarter = memory.pages() / 4;
        byte[] page = new byte[GuestMemory.PAGE_SIZE];
        int[] arrived = new int[100];
        for (int i = 0; i < arrived.length; i++) {
            Arrays.fill(page, (byte) (i + 1));
            memory.load(i * 37, page, 0);
            arrived[i] = crc(page);
        }
        long[] hint = new long[(memory.pages() + 63) / 64];
        Arrays.fill(hint, 0, quarter / 64, -1L);

        // when the prefaulter has gone through the hint
        Prefaulter prefaulter = new Prefaulter(memory, "m-1", hint);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!prefaulter.done() && Instant.now().isBefore(deadline)) {
            Thread.onSpinWait();
        }
        assertThat(prefaulter.done()).as("prefault finished within 30 s").isTrue();

        // then the quarter is resident and nothing else (a 64 MB skeleton would hold 64 MB if it all were)
        long residentKb = residentKb(dir);
        assertThat(residentKb).as("resident kB of the skeleton").isBetween(quarter * 4L - 64, quarter * 4L + 1024);
        // and the pages that had arrived are as they arrived, and no page became used by being allocated
        int[] now = memory.pageChecksums();
        for (int i = 0; i < arrived.length; i++) {
            assertThat(now[i * 37]).isEqualTo(arrived[i]);
        }
        assertThat(memory.usedCount()).isEqualTo(arrived.length);
    }

    private static int crc(byte[] page) {
        CRC32C crc = new CRC32C();
        crc.update(page);
        return (int) crc.getValue();
    }

    /** Rss of the mappings of files in {@code dir} (the memory's file is unlinked, but smaps still names it). */
    private static long residentKb(Path dir) throws IOException {
        long kb = 0;
        boolean inside = false;
        for (String line : Files.readAllLines(SMAPS)) {
            if (MAPPING.matcher(line).lookingAt()) {
                inside = line.contains(dir.toString());
            } else if (inside && line.startsWith("Rss:")) {
                kb += Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return kb;
    }
}
