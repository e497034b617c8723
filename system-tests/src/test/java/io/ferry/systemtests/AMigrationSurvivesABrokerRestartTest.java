package io.ferry.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testkit.OrchestratorApi;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Kafka going away for a few seconds in the middle of pre-copy loses nothing: the orchestrator's outbox and the
 * agents' producers hold what they could not send, every client reconnects to the restarted broker, and the migration
 * completes with a clean history.
 */
class AMigrationSurvivesABrokerRestartTest {
    @RegisterExtension
    static final SystemStack stack = SystemStack.forClass(AMigrationSurvivesABrokerRestartTest.class)
            .orchestrator("orchestrator").agent("hv-01", "SERVER2:512", "uniform:2000").agent("hv-02", "", "uniform:2000");

    @Test
    void a_migration_in_precopy_completes_after_the_broker_is_stopped_and_restarted() throws InterruptedException {
        // given SERVER2 (512 MB, writing 2000 pages/s) migrating from hv-01 to hv-02 over a 200 Mbit/s link, in pre-copy
        OrchestratorApi api = stack.api("orchestrator");
        String id = api.submit(SystemStack.migrationRequest("SERVER2", "hv-02", 200));
        stack.awaitUntil("migration " + id + " to be in PRECOPY", Duration.ofSeconds(60),
                () -> "PRECOPY".equals(api.state(id)));

        // when the broker stops, stays away for 3 s, and comes back on the same port with the same data
        stack.broker().stop();
        assertThat(api.state(id)).as("still in pre-copy when the broker went away").isEqualTo("PRECOPY");
        Thread.sleep(3_000);
        stack.broker().restart();

        // then the migration completes
        stack.awaitUntil("migration " + id + " to complete after the broker restart", Duration.ofSeconds(120),
                () -> "COMPLETED".equals(api.state(id)));

        // and its history has versions 1..n with nothing issued or recorded twice
        var events = stack.eventLog.events(id);
        HistoryChecks.assertContiguousWithNothingTwice(id, events, stack.eventLog.projectedVersion(id));
        assertThat(events.getLast().type()).isEqualTo("MigrationCompleted");

        // and every command and event the orchestrator meant to publish reached the broker
        stack.awaitUntil("the outbox to be published", Duration.ofSeconds(60), () -> stack.eventLog.unpublishedOutbox() == 0);

        // and the VM runs on hv-02
        stack.awaitUntil("the inventory to show SERVER2 running on hv-02 only", Duration.ofSeconds(60),
                () -> api.vm("hv-02", "SERVER2").map(vm -> vm.path("state").asString("").equals("RUNNING")).orElse(false)
                        && api.vm("hv-01", "SERVER2").isEmpty());
    }
}
