package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An outside client, kcat, submits a JSON request and reads the event log topic (the README shows the commands). */
@EnabledIf(value = "kcatInstalled",
        disabledReason = "kcat is not installed (apt-get install kcat; .ci/run installs it): skipping")
class KcatSubmitsAndReadsTheEventLogTest {
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack().agent("hv-01", "SERVER2:64", "idle")
            .agent("hv-02", "", "idle").inventory(2, 1);

    private static boolean kcatInstalled() {
        try {
            return new ProcessBuilder("kcat", "-V").redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String kcat(String stdin, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("kcat", "-b", stack.kafka().bootstrapServers()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("kcat", ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (stdin != null) {
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("kcat %s finished", command).isTrue();
        String output = Files.readString(out);
        assertThat(process.exitValue()).as("kcat %s: %s", command, output).isZero();
        return output;
    }

    @Test
    void a_json_request_from_kcat_migrates_the_vm_and_kcat_reads_its_events() throws Exception {
        // given a running stack
        String requestId = "kcat-" + UUID.randomUUID();

        // when kcat produces a JSON request with the content-type header (the README's command)
        kcat("""
                {"requestId": "%s", "vmId": "SERVER2", "destinationHost": "hv-02", "requestedBy": "kcat"}
                """.formatted(requestId), "-P", "-t", "ferry.migration-requests", "-k", requestId,
                "-H", "content-type=application/json");

        // then the migration completes
        FerryStack.await("the kcat request to complete", Duration.ofSeconds(60),
                () -> "COMPLETED".equals(stack.stateOf(requestId)));
        String migrationId = stack.jdbc().queryForObject("select migration_id::text from migrations where request_id = ?",
                String.class, requestId);
        int events = stack.jdbc().queryForObject("select count(*) from migration_events where migration_id = ?::uuid",
                Integer.class, migrationId);

        // and kcat, as a plain console consumer, reads the whole event log of it from ferry.migration-events as JSON
        FerryStack.await("the relay to publish every event", Duration.ofSeconds(60), () -> stack.jdbc().queryForObject(
                "select count(*) from outbox where published_at is null", Integer.class) == 0);
        String log = kcat(null, "-C", "-t", "ferry.migration-events", "-o", "beginning", "-e", "-q", "-f", "%k %s\n");
        List<String> lines = log.lines().filter(l -> l.startsWith(migrationId + " ")).toList();
        assertThat(lines).hasSize(events);
        assertThat(lines.getFirst()).contains("\"type\":\"MigrationRequested\"").contains("\"actor\":\"kafka:kcat\"");
        assertThat(lines.getLast()).contains("\"type\":\"MigrationCompleted\"");
    }
}
