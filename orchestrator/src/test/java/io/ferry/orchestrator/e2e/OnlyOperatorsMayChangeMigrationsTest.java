package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class OnlyOperatorsMayChangeMigrationsTest {
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack().agent("hv-01", "SERVER2:64", "idle")
            .agent("hv-02", "", "idle").inventory(2, 1);

    private static String body(String requestId) {
        return """
                {"requestId": "%s", "vmId": "SERVER2", "destinationHost": "hv-02"}""".formatted(requestId);
    }

    @Test
    void anonymous_callers_are_refused_with_a_problem() throws Exception {
        // given no credentials
        // when reading or submitting
        var read = stack.get("/api/migrations", null, null);
        var write = stack.post("/api/migrations", body("anon-" + UUID.randomUUID()), null, null);

        // then both are refused as problem+json naming the reason
        assertThat(read.status()).isEqualTo(401);
        assertThat(read.body().get("reason").asString()).isEqualTo("UNAUTHENTICATED");
        assertThat(write.status()).isEqualTo(401);
        assertThat(stack.get("/api/migrations", "ops", "wrong-password").status()).isEqualTo(401);
    }

    @Test
    void a_viewer_may_read_but_not_submit_or_cancel() throws Exception {
        // given the viewer user
        // when it lists, submits and cancels
        var list = stack.get("/api/migrations", FerryStack.VIEWER, FerryStack.VIEWER_PASSWORD);
        String requestId = "viewer-" + UUID.randomUUID();
        var submit = stack.post("/api/migrations", body(requestId), FerryStack.VIEWER, FerryStack.VIEWER_PASSWORD);
        var cancel = stack.post("/api/migrations/" + UUID.randomUUID() + "/cancel", "{}", FerryStack.VIEWER,
                FerryStack.VIEWER_PASSWORD);

        // then only the read is allowed, and nothing was submitted
        assertThat(list.status()).isEqualTo(200);
        assertThat(submit.status()).isEqualTo(403);
        assertThat(submit.body().get("reason").asString()).isEqualTo("FORBIDDEN");
        assertThat(submit.body().get("detail").asString()).contains("audit").contains("OPERATOR");
        assertThat(cancel.status()).isEqualTo(403);
        assertThat(stack.stateOf(requestId)).isNull();
    }

    @Test
    void an_operator_submits_and_is_recorded_as_the_actor(CapturedOutput logs) throws Exception {
        // given the operator user
        String requestId = "ops-" + UUID.randomUUID();

        // when it submits through the CLI channel
        var submit = stack.send(java.net.http.HttpRequest.newBuilder(stack.uri("/api/migrations"))
                .header("Authorization", FerryStack.basic(FerryStack.OPERATOR, FerryStack.OPERATOR_PASSWORD))
                .header("Content-Type", "application/json").header("X-Ferry-Channel", "CLI")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body(requestId))).build());

        // then the request is accepted and the audit names who asked and how
        assertThat(submit.status()).isEqualTo(202);
        assertThat(submit.body().get("requestedBy").asString()).isEqualTo("ops");
        assertThat(submit.body().get("channel").asString()).isEqualTo("CLI");
        assertThat(stack.jdbc().queryForObject("select e.actor from migration_events e join migrations m using "
                + "(migration_id) where m.request_id = ? and e.type = 'MigrationRequested'", String.class, requestId))
                .isEqualTo("ops");
        FerryStack.await("the migration to complete", Duration.ofSeconds(60), () -> "COMPLETED".equals(stack.stateOf(requestId)));

        // and no password and no data-channel token reached the logs of the orchestrator and agents or the event log
        String migrationId = submit.body().get("migrationId").asString();
        String token = dataToken(migrationId);
        String eventLog = String.join("\n", stack.jdbc().queryForList("select payload_json::text || actor from "
                + "migration_events", String.class)) + String.join("\n", stack.jdbc().queryForList(
                "select input::text from migration_inputs", String.class));
        assertThat(logs.getAll()).as("the captured logs of this migration").contains(migrationId).doesNotContain(FerryStack.OPERATOR_PASSWORD)
                .doesNotContain(FerryStack.VIEWER_PASSWORD).doesNotContain(token);
        assertThat(eventLog).doesNotContain(FerryStack.OPERATOR_PASSWORD).doesNotContain(token);
    }

    /** The token as the orchestrator derives it: HMAC-SHA256 of the migration id under its secret, in hex. */
    private static String dataToken(String migrationId) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(FerryStack.DATA_TOKEN_SECRET.getBytes(
                java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
        return java.util.HexFormat.of().formatHex(mac.doFinal(migrationId.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
