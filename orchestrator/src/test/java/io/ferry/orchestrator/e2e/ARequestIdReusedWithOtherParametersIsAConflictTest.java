package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ARequestIdReusedWithOtherParametersIsAConflictTest {
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack().agent("hv-01", "SERVER2:64", "idle")
            .agent("hv-02", "", "idle").inventory(2, 1);

    @Test
    void the_same_parameters_again_are_the_same_migration_and_other_ones_are_refused_on_both_channels() throws Exception {
        // given a slow migration made from a request id
        String requestId = "reuse-" + UUID.randomUUID();
        String body = """
                {"requestId": "%s", "vmId": "SERVER2", "destinationHost": "hv-02", "bandwidthMbps": 5}""";
        var first = stack.post("/api/migrations", body.formatted(requestId));
        assertThat(first.status()).isEqualTo(202);
        String migrationId = first.body().get("migrationId").asString();

        // when the same request comes again, it is the same migration
        var again = stack.post("/api/migrations", body.formatted(requestId));
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.body().get("migrationId").asString()).isEqualTo(migrationId);

        // when the id comes with other parameters on REST, it is a 409 naming what differs
        var other = stack.post("/api/migrations", """
                {"requestId": "%s", "vmId": "SERVER2", "destinationHost": "hv-02", "bandwidthMbps": 50,
                 "maxRounds": 3}""".formatted(requestId));
        assertThat(other.status()).isEqualTo(409);
        assertThat(other.body().get("reason").asString()).isEqualTo("REQUEST_ID_CONFLICT");
        assertThat(other.body().get("field").asString()).isEqualTo("requestId");
        assertThat(other.body().get("detail").asString()).contains("already made migration " + migrationId)
                .contains("bandwidthMbps was 5, now 50").contains("maxRounds was 10, now 3")
                .doesNotContain("vmId was");

        // and when it comes with other parameters on the topic, it is dead-lettered with that reason
        var topic = new TopicRecords(stack);
        topic.sendJson(requestId, """
                {"requestId": "%s", "vmId": "SERVER2", "destinationHost": "hv-02", "bandwidthMbps": 7}"""
                .formatted(requestId));
        FerryStack.await("the topic's conflict to be recorded", Duration.ofSeconds(30), () -> stack.jdbc().queryForObject(
                "select count(*) from request_rejections where request_id = ? and channel = 'TOPIC'", Integer.class,
                requestId) == 1);
        assertThat(stack.jdbc().queryForObject("select reason from request_rejections where request_id = ? and channel = "
                + "'TOPIC'", String.class, requestId)).isEqualTo("REQUEST_ID_CONFLICT");
        var parked = topic.deadLetter(l -> l.path("key").asString("").equals(requestId), Duration.ofSeconds(20));
        assertThat(parked).as("the dead letter of the reused id").isNotNull();
        assertThat(parked.get("error").get("detail").asString()).contains("bandwidthMbps was 5, now 7");

        // and the first migration is untouched (cancelled here to clean up)
        assertThat(stack.jdbc().queryForObject("select count(*) from migrations where request_id = ?", Integer.class,
                requestId)).isEqualTo(1);
        stack.post("/api/migrations/" + migrationId + "/cancel", "{}");
        FerryStack.await("the cancel", Duration.ofSeconds(30), () -> "CANCELLED".equals(stack.stateOf(requestId)));
    }
}
