package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `./ferry up` started while the previous one still stops its children waits for it instead of failing on its locks. */
class AStartWaitsForAnEarlierStackStillStoppingTest {
    @TempDir
    Path runDir;

    @Test
    void itGoesOnOnceTheEarlierLauncherHasExited() throws Exception {
        // given an earlier launcher of this run dir that is stopping and takes a moment to exit
        Process earlier = new ProcessBuilder("sh", "-c", "sleep 1; exit 0", "ferry-launcher").start();
        EarlierLauncher.Recorded.write(runDir, earlier.pid(), true);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        // when a new stack starts there
        EarlierLauncher.await(runDir, Duration.ofSeconds(30), new PrintStream(printed, true));

        // then it went on only once the earlier one was gone, and said why it waited
        assertThat(earlier.isAlive()).isFalse();
        assertThat(printed.toString()).contains("waiting for the earlier stack").contains("pid " + earlier.pid());
    }
}
