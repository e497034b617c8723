package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

class AWhatIfOfAMigrationThatDidNotConvergeNamesAPolicyThatDoesTest {
    // an 8 MB guest rewriting 100,000 pages/s against a 200 Mbit/s link (~6,000 pages/s): it never converges alone
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack()
            .agent("hv-01", "SERVER2:8", "uniform:100000", Map.of("ferry.agent.sample-interval", "1s"))
            .agent("hv-02", "", "idle").inventory(2, 1);

    @Test
    void the_estimate_foresees_not_converging_the_what_if_says_auto_converge_would_and_a_migration_with_it_converges()
            throws Exception {
        // given the source has sampled SERVER2
        FerryStack.await("a sample of SERVER2", Duration.ofSeconds(30), () -> {
            try {
                return stack.get("/api/estimate?vm=SERVER2").body().path("sample").isObject();
            } catch (Exception e) {
                return false;
            }
        });

        // when it is migrated at 200 Mbit/s, 50 ms and 3 rounds without auto-converge
        String failing = "outrun-" + UUID.randomUUID();
        var submitted = stack.post("/api/migrations", """
                {"requestId": "%s", "vmId": "SERVER2", "destinationHost": "hv-02", "bandwidthMbps": 200,
                 "maxDowntimeMs": 50, "maxRounds": 3}""".formatted(failing));
        assertThat(submitted.status()).as(submitted.text()).isEqualTo(202);
        String id = submitted.body().get("migrationId").asString();
        FerryStack.await("the migration to roll back", Duration.ofSeconds(90),
                () -> "ROLLED_BACK".equals(stack.stateOf(failing)));

        // then it failed NOT_CONVERGING as its recorded estimate said it would
        JsonNode migration = stack.get("/api/migrations/" + id).body();
        assertThat(migration.get("failureReason").asString()).isEqualTo("NOT_CONVERGING");
        assertThat(migration.get("estimate").get("converges").asBoolean()).isFalse();
        assertThat(migration.get("estimate").get("verdictRight").asBoolean()).isTrue();
        assertThat(migration.get("estimate").get("remedies").get("autoConvergeThrottlePercent").isNumber()).isTrue();

        // when its recorded rounds are replayed with auto-converge, by a viewer, once SERVER2's host has sampled it since
        // (every round left all its memory dirty, so the rounds only bound its rate, and an older sample is not read)
        FerryStack.await("a what-if that reads a sample taken since the request", Duration.ofSeconds(30), () -> {
            try {
                return !stack.post("/api/migrations/" + id + "/what-if", "{}").body().path("guest")
                        .path("rateIsLowerBound").asBoolean(true);
            } catch (Exception e) {
                return false;
            }
        });
        var whatIf = stack.post("/api/migrations/" + id + "/what-if", """
                {"autoConverge": true}""", FerryStack.VIEWER, FerryStack.VIEWER_PASSWORD);

        // then the model reproduces the failure under the recorded policy, and says auto-converge would converge
        assertThat(whatIf.status()).as(whatIf.text()).isEqualTo(200);
        JsonNode answer = whatIf.body();
        assertThat(answer.get("actual").get("converged").asBoolean()).isFalse();
        assertThat(answer.get("asRecorded").get("converges").asBoolean()).isFalse();
        assertThat(answer.get("asRecorded").get("remedies").get("autoConvergeThrottlePercent").isNumber()).isTrue();
        assertThat(answer.get("whatIf").get("converges").asBoolean()).as(answer.toString()).isTrue();
        assertThat(answer.get("whatIf").get("throttlePercent").asInt()).isPositive();
        assertThat(answer.get("answer").asString()).contains("would have converged");
        assertThat(java.time.Instant.parse(answer.get("guest").get("sampledAt").asString()))
                .isAfterOrEqualTo(java.time.Instant.parse(migration.get("createdAt").asString()));

        // and a bad what-if field is a 400 naming it
        var bad = stack.post("/api/migrations/" + id + "/what-if", """
                {"bandwith": 2000}""");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().get("field").asString()).isEqualTo("bandwith");

        // when it is migrated again with the policy the what-if named
        String retried = "throttled-" + UUID.randomUUID();
        assertThat(stack.post("/api/migrations", """
                {"requestId": "%s", "vmId": "SERVER2", "destinationHost": "hv-02", "bandwidthMbps": 200,
                 "maxDowntimeMs": 50, "maxRounds": 3, "autoConverge": true}""".formatted(retried)).status())
                .isEqualTo(202);

        // then it converges and completes
        FerryStack.await("the migration with auto-converge to complete", Duration.ofSeconds(120),
                () -> "COMPLETED".equals(stack.stateOf(retried)));
    }
}
