package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TheEstimateLearnsFromAMigrationTheMomentItCompletesTest {
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack()
            .agent("hv-01", "SERVER2:64", "idle").agent("hv-02", "", "idle").inventory(2, 1);

    @Test
    void the_estimate_asked_right_after_a_migration_completed_counts_it() throws Exception {
        // given an estimate read from an empty history (the orchestrator keeps that history for a few seconds)
        assertThat(stack.get("/api/estimate?vm=SERVER2").body().get("historyMigrations").asInt()).isZero();

        // when a migration completes
        String requestId = "learnt-" + UUID.randomUUID();
        var submitted = stack.post("/api/migrations", """
                {"requestId": "%s", "vmId": "SERVER2", "destinationHost": "hv-02"}""".formatted(requestId));
        assertThat(submitted.status()).as(submitted.text()).isEqualTo(202);
        FerryStack.await("the migration to complete", Duration.ofSeconds(90),
                () -> "COMPLETED".equals(stack.stateOf(requestId)));

        // then the next estimate already learns from it, not from the history kept before it
        var next = stack.get("/api/estimate?vm=SERVER2");
        assertThat(next.status()).as(next.text()).isEqualTo(200);
        assertThat(next.body().get("historyMigrations").asInt()).isEqualTo(1);
    }
}
