package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

class AnEstimateIsAnsweredAtOnceAndStandsBesideTheActualOnceItEndsTest {
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack()
            .agent("hv-01", "SERVER2:64", "uniform:2000", Map.of("ferry.agent.sample-interval", "1s"))
            .agent("hv-02", "", "idle").inventory(2, 1);

    @Test
    void the_source_samples_the_guest_the_estimate_answers_from_it_and_the_migration_keeps_it_beside_the_actual()
            throws Exception {
        // given the source has sampled SERVER2 (its heartbeat carries the sample)
        FerryStack.await("a sample of SERVER2", Duration.ofSeconds(30), () -> {
            try {
                return stack.get("/api/estimate?vm=SERVER2&to=hv-02").body().path("sample").isObject();
            } catch (Exception e) {
                return false;
            }
        });

        // when a viewer asks for the estimate at 1 Gbit/s
        var estimate = stack.get("/api/estimate?vm=SERVER2&to=hv-02&bandwidthMbps=1000&maxDowntimeMs=300",
                FerryStack.VIEWER, FerryStack.VIEWER_PASSWORD);

        // then it says it converges, in how many rounds, how long and with what pause, from the sampled guest
        assertThat(estimate.status()).as(estimate.text()).isEqualTo(200);
        JsonNode e = estimate.body();
        assertThat(e.get("converges").asBoolean()).isTrue();
        assertThat(e.get("rounds").asInt()).isPositive();
        assertThat(e.get("totalMs").asLong()).isPositive();
        assertThat(e.get("linkMbps").asDouble()).isEqualTo(1000.0);
        assertThat(e.get("sample").get("dirtyPagesPerSec").asDouble()).isPositive();
        assertThat(e.get("sample").get("usedPages").asLong()).isPositive();
        assertThat(e.get("remedies").isNull()).isTrue();

        // and a bad parameter is a 400 naming it, an unknown VM a 404
        var bad = stack.get("/api/estimate?vm=SERVER2&bandwidthMbps=fast");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().get("field").asString()).isEqualTo("bandwidthMbps");
        assertThat(stack.get("/api/estimate").body().get("field").asString()).isEqualTo("vm");
        assertThat(stack.get("/api/estimate?vm=NOPE").status()).isEqualTo(404);

        // when it is migrated
        String requestId = "estimated-" + UUID.randomUUID();
        var submitted = stack.post("/api/migrations", """
                {"requestId": "%s", "vmId": "SERVER2", "destinationHost": "hv-02", "bandwidthMbps": 1000}"""
                .formatted(requestId));
        assertThat(submitted.status()).as(submitted.text()).isEqualTo(202);
        String id = submitted.body().get("migrationId").asString();
        FerryStack.await("the migration to complete", Duration.ofSeconds(90),
                () -> "COMPLETED".equals(stack.stateOf(requestId)));

        // then the migration shows its estimate and, ended, the actual beside it
        JsonNode recorded = stack.get("/api/migrations/" + id).body().get("estimate");
        assertThat(recorded.get("converges").asBoolean()).isTrue();
        assertThat(recorded.get("totalMs").asLong()).isPositive();
        assertThat(recorded.get("rounds").asInt()).isPositive();
        assertThat(recorded.has("downtimeMs")).isTrue();
        assertThat(recorded.get("actualTotalMs").asLong()).isPositive();
        assertThat(recorded.has("actualDowntimeMs")).isTrue();
        assertThat(recorded.get("verdictRight").asBoolean()).isTrue();

        // and the first event of its history carries the estimate
        String history = stack.get("/api/migrations/" + id + "/history").text();
        assertThat(history).contains("\"estimate\"").contains("\"converges\"");

        // and the metric counts it
        var metrics = stack.send(HttpRequest.newBuilder(stack.uri("/actuator/prometheus"))
                .header("Authorization", FerryStack.basic(FerryStack.VIEWER, FerryStack.VIEWER_PASSWORD)).GET().build());
        assertThat(metrics.text()).contains("ferry_estimate_error_ratio_count 1")
                .contains("ferry_estimate_verdicts_total{right=\"true\"} 1.0");
    }
}
