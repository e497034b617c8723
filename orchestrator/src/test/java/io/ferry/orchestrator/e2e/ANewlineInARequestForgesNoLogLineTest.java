package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class ANewlineInARequestForgesNoLogLineTest {
    private static final String FORGED = "2026-01-01T00:00:00.000Z ERROR 1 --- [ferry] io.ferry.Forged : disk wiped";
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack();

    @Test
    void a_vm_id_with_a_newline_is_logged_escaped_on_one_line(CapturedOutput output) throws Exception {
        // given a topic request whose vmId carries a newline and a whole forged ERROR line after it
        String requestId = "forge-" + UUID.randomUUID();

        // when the orchestrator rejects it and logs the rejection
        new TopicRecords(stack).sendJson(requestId, """
                {"requestId": "%s", "vmId": "SERVER2\\n%s", "destinationHost": "hv-02"}""".formatted(requestId, FORGED));
        FerryStack.await("the rejection to be logged", Duration.ofSeconds(30),
                () -> output.getOut().lines().anyMatch(l -> l.contains("rejected request " + requestId)));

        // then no line of the log is the forged one: the newline is written as an escape inside the rejection's line
        assertThat(output.getOut().lines()).noneMatch(line -> line.startsWith(FORGED.substring(0, 30)));
        assertThat(output.getOut().lines().filter(l -> l.contains("rejected request " + requestId)).findFirst().orElseThrow())
                .contains("SERVER2\\u000a" + FORGED.substring(0, 30));
    }
}
