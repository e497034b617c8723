package io.ferry.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.schema.Topics;
import io.ferry.testkit.FerryStack;
import io.ferry.testkit.FerryStackExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class BadRequestsAreParkedAndTheConsumerGoesOnTest {
    @RegisterExtension
    static final FerryStackExtension stack = FerryApps.stack().agent("hv-01", "SERVER2:64", "idle")
            .agent("hv-02", "", "idle").inventory(2, 1);

    private static void send(String key, byte[] value, boolean json) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", stack.kafka().bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            var record = new ProducerRecord<>(Topics.REQUESTS, key, value);
            if (json) {
                record.headers().add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
            }
            producer.send(record).get();
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void malformed_records_go_to_the_dead_letter_topic_with_their_error_and_a_json_request_still_migrates() throws Exception {
        // given three bad records: bytes that are no Avro, JSON missing a field, JSON naming an unknown VM
        String good = "json-" + UUID.randomUUID();
        send("garbage-1", new byte[] {1, 2, 3, 4, 5}, false);
        send("missing-1", utf8("{\"requestId\": \"missing-1\", \"destinationHost\": \"hv-02\"}"), true);
        send("ghost-1", utf8("{\"requestId\": \"ghost-1\", \"vmId\": \"GHOST\", \"destinationHost\": \"hv-02\"}"), true);

        // when a well-formed JSON request follows them
        send(good, utf8("""
                {"requestId": "%s", "vmId": "SERVER2", "destinationHost": "hv-02", "compression": "lz4",
                 "requestedBy": "kcat-user"}""".formatted(good)), true);

        // then the consumer went on: the good one completes, with the channel and the requester it claimed, marked as
        // claimed on the topic
        FerryStack.await("the JSON request to complete", Duration.ofSeconds(60), () -> "COMPLETED".equals(stack.stateOf(good)));
        assertThat(stack.jdbc().queryForObject("select requested_by || '/' || channel from migrations where request_id = ?",
                String.class, good)).isEqualTo("kafka:kcat-user/TOPIC");

        // and each bad record is recorded with its reason
        assertThat(stack.jdbc().queryForList("select request_id || ':' || reason from request_rejections "
                + "where channel = 'TOPIC' order by id", String.class))
                .containsExactly("garbage-1:MALFORMED", "missing-1:MALFORMED", "ghost-1:VM_NOT_FOUND");

        // and each is parked on the dead-letter topic, with the error, the source offset and the original value
        List<JsonNode> parked = readDeadLetters(3);
        assertThat(parked).extracting(p -> p.get("key").asString()).containsExactly("garbage-1", "missing-1", "ghost-1");
        assertThat(parked.get(0).get("error").get("reason").asString()).isEqualTo("MALFORMED");
        assertThat(parked.get(0).get("valueBase64").asString()).isEqualTo("AQIDBAU=");
        assertThat(parked.get(1).get("error").get("detail").asString()).contains("'vmId' is required");
        assertThat(parked.get(2).get("error").get("reason").asString()).isEqualTo("VM_NOT_FOUND");
        assertThat(parked.get(2).get("source").get("topic").asString()).isEqualTo(Topics.REQUESTS);
        assertThat(parked.get(2).get("valueText").asString()).contains("GHOST");
    }

    private static List<JsonNode> readDeadLetters(int expected) throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        List<JsonNode> out = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", stack.kafka().bootstrapServers(),
                "group.id", "dlq-reader-" + UUID.randomUUID(), "auto.offset.reset", "earliest"), new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.REQUESTS_DLQ));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(json.readTree(r.value())));
            }
        }
        return out;
    }
}
