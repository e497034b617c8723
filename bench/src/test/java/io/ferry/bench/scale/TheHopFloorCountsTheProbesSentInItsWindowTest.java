package io.ferry.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The floor of a window is made of the probes sent in it, whenever they arrived: a probe sent just before the drain and
 * delayed by it is not the drain's, and one sent at its end and received after it is; a half-written last line is
 * skipped.
 */
class TheHopFloorCountsTheProbesSentInItsWindowTest {

    @Test
    void probes_sent_in_the_window_count_and_the_others_do_not(@TempDir Path dir) throws Exception {
        // given probes sent at 1 s (took 90 ms), 2 s (5 ms), 3 s (7 ms) and 4 s (40 ms), and a half-written line
        Path file = dir.resolve("hop-probe.txt");
        Files.writeString(file, "0 1000000 1001000 1090000\n1 2000000 2001000 2005000\n2 3000000 3002000 3007000\n3 4000000 4001000 4040000\n"
                + "4 5000000 5001000 50");

        // when the floor is taken over [2 s, 4 s)
        List<HopProbe.Probe> floor = HopProbe.sentIn(HopProbe.read(file), Instant.ofEpochSecond(2), Instant.ofEpochSecond(4));

        // then only the probes sent at 2 s and 3 s count, in milliseconds, with their commits' part
        assertThat(floor).extracting(HopProbe.Probe::millis).containsExactly(5.0, 7.0);
        assertThat(floor).extracting(HopProbe.Probe::commitMillis).containsExactly(1.0, 2.0);
        assertThat(HopProbe.read(file)).hasSize(4);
    }
}
