package io.ferry.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testkit.OrchestratorApi;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The orchestrator keeps nothing a migration needs in memory: a new process, started against the same database and
 * broker after the old one died with SIGKILL in the middle of pre-copy, carries the migration to the end without
 * re-issuing a command or recording an outcome twice.
 */
class AMigrationSurvivesTheOrchestratorBeingKilledTest {
    @RegisterExtension
    static final SystemStack stack = SystemStack.forClass(AMigrationSurvivesTheOrchestratorBeingKilledTest.class)
            .orchestrator("orchestrator").agent("hv-01", "SERVER2:512", "uniform:2000").agent("hv-02", "", "uniform:2000");

    @Test
    void a_new_orchestrator_process_completes_the_migration_the_killed_one_left_in_precopy() {
        // given SERVER2 (512 MB, writing 2000 pages/s) migrating from hv-01 to hv-02 over a 200 Mbit/s link, in pre-copy
        OrchestratorApi api = stack.api("orchestrator");
        String id = api.submit(SystemStack.migrationRequest("SERVER2", "hv-02", 200));
        stack.awaitUntil("migration " + id + " to be in PRECOPY", Duration.ofSeconds(60),
                () -> "PRECOPY".equals(api.state(id)));

        // when the orchestrator dies with SIGKILL
        stack.kill("orchestrator");
        int versionAtKill = stack.eventLog.projectedVersion(id);
        assertThat(stack.eventLog.events(id)).as("the switchover had not been issued when the orchestrator died")
                .noneMatch(e -> "FINAL_COPY".equals(e.action()));

        // and a new orchestrator process starts against the same database and broker
        stack.restart("orchestrator");
        stack.awaitHealthy("orchestrator");

        // then the migration completes
        stack.awaitUntil("migration " + id + " to complete under the new orchestrator", Duration.ofSeconds(180),
                () -> "COMPLETED".equals(api.state(id)));
        JsonNode migration = api.migration(id).orElseThrow();
        assertThat(migration.path("failureReason").isNull()).isTrue();

        // and the new process recorded the rest of it: versions 1..n, nothing issued or recorded twice
        var events = stack.eventLog.events(id);
        assertThat(events.size()).as("events recorded after the kill").isGreaterThan(versionAtKill);
        HistoryChecks.assertContiguousWithNothingTwice(id, events, stack.eventLog.projectedVersion(id));
        assertThat(events.getLast().type()).isEqualTo("MigrationCompleted");

        // and the VM runs on hv-02 with the disk's lease
        stack.awaitUntil("the inventory to show SERVER2 running on hv-02 only", Duration.ofSeconds(60),
                () -> api.vm("hv-02", "SERVER2").map(vm -> vm.path("state").asString("").equals("RUNNING")).orElse(false)
                        && api.vm("hv-01", "SERVER2").isEmpty());
        String disk = api.vm("hv-02", "SERVER2").orElseThrow().path("diskPath").asString();
        assertThat(stack.leaseOf(disk).owner()).isEqualTo("hv-02");
    }
}
