package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ExtraMigrationsWaitQueuedUnderTheLimitsTest {
    // one outbound migration per host, so a second one from hv-01 must wait
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack()
            .orchestrator(Map.of("ferry.orchestrator.max-outbound-per-host", "1"))
            .agent("hv-01", "VM-A:64,VM-B:64,VM-C:64", 0).agent("hv-02", "", 0).inventory(2, 3);

    private static String submit(String vm, String requestId, int bandwidthMbps) throws Exception {
        var response = stack.post("/api/migrations", """
                {"requestId": "%s", "vmId": "%s", "destinationHost": "hv-02", "bandwidthMbps": %d}"""
                .formatted(requestId, vm, bandwidthMbps));
        assertThat(response.status()).as("submit %s: %s", vm, response.body()).isEqualTo(202);
        return response.body().get("migrationId").asString();
    }

    @Test
    void a_second_migration_from_a_busy_host_waits_queued_and_starts_when_the_first_ends() throws Exception {
        // given a migration from hv-01 in progress (64 MB at 20 Mbit/s: several seconds)
        String first = "limit-a-" + UUID.randomUUID();
        submit("VM-A", first, 20);
        FerryStack.await("the first migration to start", Duration.ofSeconds(60), () -> !"QUEUED".equals(stack.stateOf(first)));

        // when two more are submitted from the same host
        String second = "limit-b-" + UUID.randomUUID();
        String third = "limit-c-" + UUID.randomUUID();
        submit("VM-B", second, 0);
        String thirdId = submit("VM-C", third, 0);

        // then they wait in QUEUED, with nothing issued to any host
        assertThat(stack.stateOf(second)).isEqualTo("QUEUED");
        assertThat(stack.stateOf(third)).isEqualTo("QUEUED");
        assertThat(stack.jdbc().queryForObject("select count(*) from migration_events e join migrations m using "
                + "(migration_id) where m.request_id in (?, ?) and e.type = 'StageCommandIssued'", Integer.class,
                second, third)).isZero();

        // and a queued one can be cancelled at once
        var cancel = stack.post("/api/migrations/" + thirdId + "/cancel", "{}");
        assertThat(cancel.status()).isEqualTo(200);
        assertThat(stack.stateOf(third)).isEqualTo("CANCELLED");

        // and the second starts only after the first ended, and completes
        FerryStack.await("the first migration to complete", Duration.ofSeconds(90), () -> "COMPLETED".equals(stack.stateOf(first)));
        FerryStack.await("the second migration to complete", Duration.ofSeconds(60), () -> "COMPLETED".equals(stack.stateOf(second)));
        var firstEnded = stack.jdbc().queryForObject("select e.recorded_at from migration_events e join migrations m using "
                + "(migration_id) where m.request_id = ? and e.type = 'MigrationCompleted'", java.sql.Timestamp.class, first);
        var secondAdmitted = stack.jdbc().queryForObject("select e.recorded_at from migration_events e join migrations m "
                + "using (migration_id) where m.request_id = ? and e.type = 'MigrationAdmitted'", java.sql.Timestamp.class, second);
        assertThat(secondAdmitted).isAfterOrEqualTo(firstEnded);
    }
}
