package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A second stack in a run dir where one still runs is refused at once, with the pid to stop, and the first is left alone. */
class AStartBesideARunningStackIsRefusedNamingItsLauncherTest {
    @TempDir
    Path runDir;
    private Process running;

    @AfterEach
    void stopIt() {
        running.destroyForcibly();
    }

    @Test
    void theRefusalNamesTheLauncherToStop() throws Exception {
        // given a launcher that runs a stack in this run dir
        running = new ProcessBuilder("sh", "-c", "sleep 60; exit 0", "ferry-launcher").start();
        EarlierLauncher.Recorded.write(runDir, running.pid(), false);

        // when another starts there, then it is refused without waiting, naming the pid to stop
        assertThatThrownBy(() -> EarlierLauncher.await(runDir, Duration.ofSeconds(30), new PrintStream(OutputStream.nullOutputStream())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already runs in " + runDir)
                .hasMessageContaining("kill " + running.pid());
        org.assertj.core.api.Assertions.assertThat(running.isAlive()).isTrue();
    }
}
