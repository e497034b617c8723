package io.ferry.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testkit.OrchestratorApi;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * A drain keeps nothing in memory either: its driver starts every round from the logs, so a new orchestrator process
 * started after the old one died with SIGKILL mid-drain goes on with the same moves, making no migration twice.
 */
class ADrainSurvivesTheOrchestratorBeingKilledTest {
    @RegisterExtension
    static final SystemStack stack = SystemStack.forClass(ADrainSurvivesTheOrchestratorBeingKilledTest.class)
            .orchestrator("orchestrator").agent("hv-01", "A:512,B:256,C:128", "uniform:2000")
            .agent("hv-02", "", "uniform:2000").agent("hv-03", "", "uniform:2000");

    @Test
    void a_new_orchestrator_process_finishes_the_drain_the_killed_one_began() {
        // given a drain of hv-01 whose first move is under way
        OrchestratorApi api = stack.api("orchestrator");
        stack.awaitUntil("the three hosts to report", Duration.ofSeconds(60), () -> api.knowsHost("hv-03")
                && api.vm("hv-01", "C").isPresent());
        String drain = api.drain("hv-01");
        stack.awaitUntil("a move of drain " + drain + " to be a migration", Duration.ofSeconds(60),
                () -> !stack.eventLog.drainMigrations(drain).isEmpty());

        // when the orchestrator dies with SIGKILL, and a new process starts against the same database and broker
        stack.kill("orchestrator");
        List<String> atKill = stack.eventLog.drainMigrations(drain);
        stack.restart("orchestrator");
        stack.awaitHealthy("orchestrator");

        // then the drain completes: every VM moved, each by exactly one migration
        stack.awaitUntil("drain " + drain + " to end", Duration.ofSeconds(240), () -> api.drainView(drain)
                .map(d -> !d.path("status").asString().equals("DRAINING")).orElse(false));
        JsonNode done = api.drainView(drain).orElseThrow();
        assertThat(done.path("status").asString()).as(done.toString()).isEqualTo("COMPLETED");
        assertThat(done.path("hostMode").asString()).isEqualTo("MAINTENANCE");
        assertThat(stack.eventLog.drainMigrations(drain)).as("migrations made before the kill: " + atKill)
                .containsExactlyInAnyOrder("A COMPLETED", "B COMPLETED", "C COMPLETED");
        // and its log has no gap and nothing twice
        List<Integer> versions = stack.eventLog.drainVersions(drain);
        assertThat(versions).isEqualTo(IntStream.rangeClosed(1, versions.size()).boxed().toList());
        // and the VMs run on the other hosts
        stack.awaitUntil("hv-01 to report no VMs", Duration.ofSeconds(60), () -> List.of("A", "B", "C").stream()
                .noneMatch(vm -> api.vm("hv-01", vm).isPresent()));
    }
}
