package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DrainMovesAreAdmittedBeforeOrdinaryRequestsTest {
    // one migration at a time in the whole cluster: every admission is a choice between what waits
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack()
            .orchestrator(Map.of("ferry.orchestrator.max-concurrent", "1"))
            .agent("hv-01", "W:64,X:64", "idle").agent("hv-02", "D1:64,D2:64", "idle").agent("hv-03", "", "idle")
            .inventory(3, 4);

    @Test
    void moves_of_a_drain_started_later_are_admitted_ahead_of_an_ordinary_request_that_queued_first() throws Exception {
        // given the only slot taken by a slow migration, and an ordinary request queued behind it
        String slow = "slow-" + UUID.randomUUID();
        assertThat(stack.post("/api/migrations", """
                {"requestId": "%s", "vmId": "W", "destinationHost": "hv-03", "bandwidthMbps": 60}""".formatted(slow))
                .status()).isEqualTo(202);
        String ordinary = "ordinary-" + UUID.randomUUID();
        assertThat(stack.post("/api/migrations", """
                {"requestId": "%s", "vmId": "X", "destinationHost": "hv-03"}""".formatted(ordinary)).status())
                .isEqualTo(202);
        assertThat(stack.stateOf(ordinary)).isEqualTo("QUEUED");

        // when hv-02 is drained after that
        var drain = stack.post("/api/hosts/hv-02/drain", "");
        assertThat(drain.status()).as(drain.text()).isEqualTo(202);
        String drainId = drain.body().get("drainId").asString();

        // then, once the slot frees, both drain moves are admitted before the ordinary request, within the limit
        FerryStack.await("every migration to end", Duration.ofSeconds(180), () -> stack.jdbc().queryForObject(
                "select count(*) from migrations where state <> 'COMPLETED'", Integer.class) == 0
                && stack.jdbc().queryForObject("select count(*) from migrations", Integer.class) == 4);
        List<String> admitted = stack.jdbc().queryForList("""
                select coalesce(m.drain_id::text, m.request_id) from migration_events e join migrations m using (migration_id)
                where e.type = 'MigrationAdmitted' order by e.position""", String.class);
        assertThat(admitted).containsExactly(slow, drainId, drainId, ordinary);
        // and never two at once: each admission saw the cluster empty
        assertThat(stack.jdbc().queryForList("""
                select (payload_json->>'activeInCluster')::int from migration_events where type = 'MigrationAdmitted'""",
                Integer.class)).containsOnly(0);
    }
}
