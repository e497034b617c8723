package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The inventory follows a migration, not the heartbeat clock: the agents beat every 10 s here, longer than the whole
 * migration, so only the beats a resume and a source's stop send themselves can tell the orchestrator where the VM is.
 */
class AVmCanMigrateBackTheMomentItsMigrationCompletedTest {
    private static final Map<String, String> SLOW_BEATS = Map.of("ferry.agent.heartbeat-interval", "10s");
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack().agent("hv-01", "SERVER2:128", "idle", SLOW_BEATS)
            .agent("hv-02", "", "idle", SLOW_BEATS).inventory(2, 1);

    @Test
    void a_request_to_move_it_back_right_after_completion_is_admitted_and_completes() throws Exception {
        // given SERVER2 migrated from hv-01 to hv-02
        String there = migrate("hv-02");
        FerryStack.await("the migration to hv-02 to complete", Duration.ofSeconds(60),
                () -> "COMPLETED".equals(stack.stateOf(there)));

        // when an operator asks for it back at once, before any periodic heartbeat
        String back = migrate("hv-01");

        // then it is admitted (not refused as a VM no host runs, or as one already on hv-01) and completes
        FerryStack.await("the migration back to end", Duration.ofSeconds(60),
                () -> stack.stateOf(back) != null && Set.of("COMPLETED", "FAILED", "ROLLED_BACK").contains(stack.stateOf(back)));
        assertThat(stack.stateOf(back)).isEqualTo("COMPLETED");
        // and the inventory follows within moments (the agents' own beats travel beside the outcomes, not before them),
        // well inside the 10 s periodic beat
        FerryStack.await("the inventory to show SERVER2 on hv-01 alone (it shows " + hosts() + ")", Duration.ofSeconds(3),
                () -> hosts().equals(java.util.List.of("hv-01")));
    }

    private static java.util.List<String> hosts() {
        return stack.jdbc().queryForList("select host from host_vms where vm_id = 'SERVER2' and state <> 'SKELETON'",
                String.class);
    }

    private static String migrate(String destination) throws Exception {
        String requestId = "back-" + UUID.randomUUID();
        var submitted = stack.post("/api/migrations", """
                {"requestId": "%s", "vmId": "SERVER2", "destinationHost": "%s"}""".formatted(requestId, destination));
        assertThat(submitted.status()).as("submitting to %s: %s", destination, submitted.text()).isEqualTo(202);
        return requestId;
    }
}
