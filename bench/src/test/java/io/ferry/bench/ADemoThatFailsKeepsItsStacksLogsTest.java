package io.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A demo that fails leaves its processes' logs where the next demo overwrites them: the bench keeps a copy. */
class ADemoThatFailsKeepsItsStacksLogsTest {
    @TempDir
    Path home;

    @Test
    void theStacksLogsAreCopiedBesideTheRunsStderr() throws Exception {
        // given a ferry whose demo writes an agent's log and fails before any summary
        Path ferry = home.resolve("ferry");
        Files.writeString(ferry, """
                #!/bin/sh
                mkdir -p "$(dirname "$0")/.ferry/demo/logs"
                echo "agent hv-02 never reported its inventory" > "$(dirname "$0")/.ferry/demo/logs/agent-hv-02.log"
                echo "timed out waiting for both agents" >&2
                exit 1
                """);
        Files.setPosixFilePermissions(ferry, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path logs = home.resolve("bench-logs");
        Scenario scenario = Scenario.simulated("idle-1g", "idle", "idle", Scenario.GBIT, List.of(), 64);

        // when the bench runs it
        Run run = new DemoRunner(ferry, logs, 0).run(scenario, 2);

        // then the run failed, says where the stack's logs are kept, and they are there
        Path kept = logs.resolve("idle-1g-2-stack-logs");
        assertThat(run.error()).contains("timed out waiting for both agents").contains(kept.toString());
        assertThat(kept.resolve("agent-hv-02.log")).hasContent("agent hv-02 never reported its inventory");
    }
}
