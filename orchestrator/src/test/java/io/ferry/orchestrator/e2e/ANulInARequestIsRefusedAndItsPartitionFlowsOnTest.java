package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ANulInARequestIsRefusedAndItsPartitionFlowsOnTest {
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack().agent("hv-01", "SERVER2:64", "idle")
            .agent("hv-02", "", "idle").inventory(2, 1);
    private static TopicRecords topic;

    @BeforeAll
    static void startStack() throws Exception {
        topic = new TopicRecords(stack);
    }

    @Test
    void a_topic_record_with_nul_in_its_vm_id_is_dead_lettered_and_the_request_behind_it_completes() throws Exception {
        // given a JSON request whose vmId holds a NUL (PostgreSQL text cannot store one), and a good request behind
        // it under the same key, so on the same partition
        String key = "nul-partition-" + UUID.randomUUID();
        String bad = "nul-" + UUID.randomUUID();
        String good = "after-nul-" + UUID.randomUUID();
        topic.sendJson(key, """
                {"requestId": "%s", "vmId": "SER\\u0000VER2", "destinationHost": "hv-02"}""".formatted(bad));

        // when the good request follows
        topic.sendJson(key, """
                {"requestId": "%s", "vmId": "SERVER2", "destinationHost": "hv-02"}""".formatted(good));

        // then the partition went on: the good request completes
        FerryStack.await("the request behind the NUL to complete", Duration.ofSeconds(60),
                () -> "COMPLETED".equals(stack.stateOf(good)));

        // and the bad one is recorded with its reason naming the field, the NUL stored escaped
        var rejection = stack.jdbc().queryForMap("select vm_id, reason, detail from request_rejections where request_id = ?",
                bad);
        assertThat(rejection.get("reason")).isEqualTo("INVALID_REQUEST");
        assertThat(rejection.get("vm_id")).isEqualTo("SER\\u0000VER2");
        assertThat((String) rejection.get("detail")).contains("field 'vmId'").contains("U+0000");

        // and it is parked on the dead-letter topic with its original value
        var parked = topic.deadLetter(l -> l.path("key").asString("").equals(key), Duration.ofSeconds(20));
        assertThat(parked).as("the dead letter of " + bad).isNotNull();
        assertThat(parked.get("error").get("reason").asString()).isEqualTo("INVALID_REQUEST");
        assertThat(parked.get("valueText").asString()).contains(bad).contains("\\u0000");
    }

    @Test
    void a_rest_request_with_nul_in_its_vm_id_is_a_400_naming_the_field() throws Exception {
        // given a REST body whose vmId holds a NUL
        String requestId = "rest-nul-" + UUID.randomUUID();

        // when it is submitted
        var response = stack.post("/api/migrations", """
                {"requestId": "%s", "vmId": "SER\\u0000VER2", "destinationHost": "hv-02"}""".formatted(requestId));

        // then it is refused as problem+json naming vmId, and recorded
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().get("reason").asString()).isEqualTo("INVALID_REQUEST");
        assertThat(response.body().get("field").asString()).isEqualTo("vmId");
        assertThat(response.body().get("detail").asString()).contains("field 'vmId'").contains("U+0000");
        assertThat(stack.jdbc().queryForObject("select reason from request_rejections where request_id = ?", String.class,
                requestId)).isEqualTo("INVALID_REQUEST");
    }
}
