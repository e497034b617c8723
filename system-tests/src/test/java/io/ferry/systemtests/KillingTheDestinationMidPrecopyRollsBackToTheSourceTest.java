package io.ferry.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testkit.OrchestratorApi;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * A destination host that dies during pre-copy: the source sees the data channel reset (or, if the kernel did not
 * reset it, the watchdog sees the missing heartbeats), both hosts are told to roll back, the dead destination is
 * given up on once its heartbeats stop, and the migration ends ROLLED_BACK with the VM running on the source, which
 * still owns its disk.
 */
class KillingTheDestinationMidPrecopyRollsBackToTheSourceTest {
    @RegisterExtension
    static final SystemStack stack = SystemStack.forClass(KillingTheDestinationMidPrecopyRollsBackToTheSourceTest.class)
            .orchestrator("orchestrator", "--ferry.orchestrator.host-liveness-timeout=3s")
            .agent("hv-01", "SERVER2:512", "uniform:2000").agent("hv-02", "", "uniform:2000");

    @Test
    void the_migration_rolls_back_with_host_unreachable_and_the_vm_keeps_running_on_the_source() {
        // given SERVER2 (512 MB, writing 2000 pages/s) migrating from hv-01 to hv-02 over a 200 Mbit/s link, in pre-copy
        OrchestratorApi api = stack.api("orchestrator");
        String id = api.submit(SystemStack.migrationRequest("SERVER2", "hv-02", 200));
        stack.awaitUntil("migration " + id + " to be in PRECOPY", Duration.ofSeconds(60),
                () -> "PRECOPY".equals(api.state(id)));

        // when the destination's agent dies with SIGKILL
        stack.kill("hv-02");

        // then the migration ends rolled back: the source confirmed, the dead destination was given up on
        stack.awaitUntil("migration " + id + " to end", Duration.ofSeconds(60),
                () -> List.of("ROLLED_BACK", "FAILED").contains(api.state(id)));
        Instant ended = Instant.now();
        JsonNode migration = api.migration(id).orElseThrow();
        String detail = migration.path("failureDetail").asString(null);
        assertThat(migration.path("state").asString()).as("state (detail: %s)", detail).isEqualTo("ROLLED_BACK");
        // a SIGKILL resets the data channel at once, so the source usually reports it before the heartbeats lapse
        assertThat(migration.path("failureReason").asString(null)).as("failure reason (detail: %s)", detail)
                .isIn("DATA_CHANNEL_FAILED", "HOST_UNREACHABLE");
        assertThat(detail).contains("not confirmed by {hv-02=unreachable");

        // and its history has versions 1..n with nothing issued or recorded twice
        HistoryChecks.assertContiguousWithNothingTwice(id, stack.eventLog.events(id), stack.eventLog.projectedVersion(id));

        // and hv-01, in a heartbeat sent after the migration ended, reports SERVER2 running
        stack.awaitUntil("a heartbeat from hv-01 after the migration ended", Duration.ofSeconds(60),
                () -> lastHeartbeat(api, "hv-01").isAfter(ended));
        JsonNode vm = api.vm("hv-01", "SERVER2").orElseThrow(() -> new AssertionError("SERVER2 is not on hv-01: "
                + api.vms()));
        assertThat(vm.path("state").asString()).isEqualTo("RUNNING");

        // and hv-01 still owns the lease of SERVER2's disk
        assertThat(stack.leaseOf(vm.path("diskPath").asString()).owner()).isEqualTo("hv-01");
    }

    private static Instant lastHeartbeat(OrchestratorApi api, String host) {
        for (JsonNode h : api.hosts()) {
            if (h.path("host").asString("").equals(host)) {
                return Instant.parse(h.path("lastHeartbeatAt").asString());
            }
        }
        return Instant.EPOCH;
    }
}
