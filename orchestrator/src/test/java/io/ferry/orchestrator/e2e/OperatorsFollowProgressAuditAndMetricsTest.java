package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class OperatorsFollowProgressAuditAndMetricsTest {
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack().agent("hv-01", "SERVER2:128", "uniform:2000")
            .agent("hv-02", "", "idle").inventory(2, 1);

    @Test
    void the_progress_stream_follows_a_migration_to_its_end_and_the_audit_and_metrics_show_it() throws Exception {
        // given a migration over a capped link (128 MB at 100 Mbit/s: several seconds of pre-copy)
        String requestId = "watch-" + UUID.randomUUID();
        var submitted = stack.post("/api/migrations", """
                {"requestId": "%s", "vmId": "SERVER2", "destinationHost": "hv-02", "bandwidthMbps": 100}"""
                .formatted(requestId));
        String id = submitted.body().get("migrationId").asString();

        // when a viewer follows its progress stream
        List<JsonNode> updates = new ArrayList<>();
        JsonMapper json = JsonMapper.builder().build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            var response = http.send(HttpRequest.newBuilder(stack.uri("/api/migrations/" + id + "/progress"))
                    .header("Authorization", FerryStack.basic(FerryStack.VIEWER, FerryStack.VIEWER_PASSWORD))
                    .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(90)).GET().build(),
                    HttpResponse.BodyHandlers.ofLines());
            assertThat(response.statusCode()).isEqualTo(200);
            response.body().filter(line -> line.startsWith("data:"))
                    .forEach(line -> updates.add(json.readTree(line.substring(5).trim())));
        }

        // then the stream showed it moving through pre-copy and ended with it completed and fully copied
        assertThat(updates).extracting(u -> u.get("state").asString()).contains("PRECOPY").last().isEqualTo("COMPLETED");
        JsonNode last = updates.getLast();
        assertThat(last.get("percentCopied").asDouble()).isEqualTo(100.0);
        assertThat(last.get("memoryMb").asInt()).isEqualTo(128);
        assertThat(last.get("downtimeMs").asLong()).isPositive();
        assertThat(updates).anySatisfy(u -> assertThat(u.get("throughputMbps").isNull()).isFalse());

        // and the audit across migrations lists who did what for this VM, newest first
        var audit = stack.get("/api/audit?vmId=SERVER2&outcome=COMPLETED&size=500");
        assertThat(audit.status()).isEqualTo(200);
        List<String> actors = new ArrayList<>();
        audit.body().get("items").forEach(e -> actors.add(e.get("actor").asString()));
        assertThat(actors).contains("ops", "orchestrator:scheduler", "agent:hv-01", "agent:hv-02");
        assertThat(audit.body().get("items").get(0).get("type").asString()).isEqualTo("MigrationCompleted");

        // and the metrics show the outcome, the downtime histogram, the bytes and the queue
        var metrics = stack.send(HttpRequest.newBuilder(stack.uri("/actuator/prometheus"))
                .header("Authorization", FerryStack.basic(FerryStack.VIEWER, FerryStack.VIEWER_PASSWORD)).GET().build());
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.text()).contains("ferry_migrations_ended_total{outcome=\"COMPLETED\"} 1.0")
                .contains("ferry_migration_downtime_seconds_bucket").contains("ferry_migration_duration_seconds_count 1")
                .contains("ferry_migrations_queued 0.0").containsPattern("ferry_migration_bytes_sent_bytes_total [1-9]");
    }

    @Test
    void the_openapi_document_describes_the_api_without_credentials() throws Exception {
        // when anyone fetches the OpenAPI document
        var doc = stack.get("/v3/api-docs", null, null);

        // then it lists the operations
        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.body().get("paths").propertyNames()).contains("/api/migrations", "/api/migrations/{id}",
                "/api/migrations/{id}/cancel", "/api/migrations/{id}/history", "/api/migrations/{id}/progress",
                "/api/migrations/{id}/replay", "/api/replay", "/api/hosts", "/api/vms", "/api/audit");
    }
}
